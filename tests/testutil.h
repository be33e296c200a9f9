/* testutil.h -- integration-test helpers: start real binaries (through common/proc), wait,
 * loopback line clients */
#ifndef NINE43_TESTUTIL_H
#define NINE43_TESTUTIL_H

#include <stdbool.h>
#include <sys/types.h>

#include "linebuf.h"
#include "proto.h"
#include "proc.h"

#define TU_START_TIMEOUT_MS 10000 /* a server that has not written its port file by then failed */
#define TU_STOP_GRACE_MS    5000  /* tu_stop: after SIGTERM, then SIGKILL */

/* A child process (pid, port, status, dir, log: see proc.h). Its folder is private, under
 * /tmp; a child is killed when the test dies (cmocka jumps out of a failing test). */
typedef proc_t tu_proc_t;

/* The build folder (binaries) and source folder, from $NINE43_BUILD and $NINE43_SOURCE that
 * CTest sets; "." and ".." otherwise. */
const char *tu_build_dir(void);
const char *tu_source_dir(void);

/* Starts build/<exe> with args (NULL-terminated, without argv[0]); output goes to p->log.
 * Returns 0 or -1. */
int tu_spawn(tu_proc_t *p, const char *exe, const char *const *args);

/* Starts nine43-server on 127.0.0.1 with --port 0 --countdown 0 --port-file and extra args
 * (which may ask for a countdown), and waits (up to TU_START_TIMEOUT_MS) until it listens;
 * p->port is then its port. Returns 0 or -1 (the log is printed to stderr on failure). */
int tu_server_start(tu_proc_t *p, const char *const *extra_args);
/* The same, run under WRAPPER (a program and its options, NULL-terminated: valgrind ...),
 * waiting up to timeout_ms for the port. */
int tu_server_start_under(tu_proc_t *p, const char *const *wrapper, const char *const *extra_args,
                          int timeout_ms);
/* tu_server_start with ENV ("NAME=value" entries, NULL-terminated) in the server's environment. */
int tu_server_start_env(tu_proc_t *p, const char *const *env, const char *const *extra_args);

/* Waits up to timeout_ms for the process to exit. Returns its status (see tu_proc_t), or -1
 * on time-out (the process is left running). */
int tu_wait(tu_proc_t *p, int timeout_ms);

/* Sends sig if the process still runs. */
void tu_signal(tu_proc_t *p, int sig);

/* SIGTERM, up to TU_STOP_GRACE_MS to exit, then SIGKILL. Returns the exit status. */
int tu_stop(tu_proc_t *p);

/* Kills (if running) and removes the temporary folder. Safe to call twice. */
void tu_proc_cleanup(tu_proc_t *p);

/* Prints the process's log to stderr (for a failing test). */
void tu_print_log(const tu_proc_t *p);

/* True when the log contains needle. */
bool tu_log_contains(const tu_proc_t *p, const char *needle);

/* A scripted line client over a real TCP socket to 127.0.0.1:port. */
typedef struct tu_client {
    int fd;
    linebuf_t lb;
    /* Lines received but not yet read, in order (a small ring). */
    char *queue[256];
    int qhead, qlen;
    bool closed; /* the server closed the connection (or a framing error) */
} tu_client_t;

/* Connects (blocking, up to 5 s). Returns 0 or -1. */
int tu_client_connect(tu_client_t *c, int port);
/* The same from a given loopback source address ("127.0.0.2"); NULL = any. */
int tu_client_connect_from(tu_client_t *c, int port, const char *source);
/* Sends text plus '\n' (text without the newline). Returns 0 or -1. */
int tu_client_send(tu_client_t *c, const char *line);
/* Encodes m and sends it. */
int tu_client_send_msg(tu_client_t *c, const msg_t *m);
/* Next line received, waiting up to timeout_ms. Returns a malloc'd string the caller frees, or
 * NULL on time-out or close (then c->closed tells which). */
char *tu_client_recv_line(tu_client_t *c, int timeout_ms);
/* Next message decoded as server->client, waiting up to timeout_ms. Returns 0, or -1 on
 * time-out, close, or a line that does not decode (printed to stderr). */
int tu_client_recv(tu_client_t *c, msg_t *m, int timeout_ms);
/* Reads messages until one of the given type arrives (others are skipped). Returns 0 or -1. */
int tu_client_expect(tu_client_t *c, msg_type_t type, msg_t *m, int timeout_ms);
/* True when the server closes the connection within timeout_ms (lines before that are
 * discarded). */
bool tu_client_wait_closed(tu_client_t *c, int timeout_ms);
void tu_client_close(tu_client_t *c);

/* Logs in: reads the "log in" prompt, sends the name, expects "accepted" and the lobby
 * welcome. Returns 0 or -1. */
int tu_client_login(tu_client_t *c, const char *username, int timeout_ms);

#endif
