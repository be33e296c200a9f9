/* log.c -- the server's event log: local time with milliseconds, level, stage, message; depends on
 * log.h and the seam's wall clock */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sys_os.h"

static const char *const level_names[] = {"error", "warn", "info", "debug"};
static const char *const level_tags[] = {"ERROR", "WARN ", "INFO ", "DEBUG"};

int log_parse_level(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, level_names[i]) == 0)
            return i;
    return -1;
}

void log_msg(const log_t *lg, log_level_t level, const char *stage, const char *fmt, ...)
{
    if (lg && level > lg->level)
        return;
    char when[SYS_TIME_SIZE];
    sys_local_time(when);
    /* One fprintf per line so that lines from a crash or a second process never interleave
     * mid-line. */
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %s %s: %s\n", when, level_tags[level], stage, text);
}
