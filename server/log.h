/* log.h -- the server's event log: one line per event on stderr with time, level and stage; depends
 * on nothing */
#ifndef NINE43_LOG_H
#define NINE43_LOG_H

typedef enum log_level {
    LOG_ERROR = 0,
    LOG_WARN = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3,
} log_level_t;

typedef struct log {
    log_level_t level; /* events above this level are not written */
} log_t;

/* "error", "warn", "info", "debug" -> level; -1 for anything else. */
int log_parse_level(const char *name);

/* Writes "2026-11-27 12:00:00.123 INFO  login: alice logged in (fd 7)" to stderr. */
void log_msg(const log_t *lg, log_level_t level, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
