/* proc.h -- runs a program as a child with its output in a private temporary folder, and
 * nine43-server until it has written its --port-file; through the seam (sys_os.h), no protocol
 * code */
#ifndef NINE43_PROC_H
#define NINE43_PROC_H

#include <stdbool.h>
#include <stddef.h>

#include "sys_os.h"

#define PROC_MAX_ARGS    62 /* arguments after the program, --port-file and its file included */
#define PROC_POLL_MS     5  /* how often the waiting calls look at the child */
#define PROC_EXEC_FAILED SYS_EXEC_FAILED /* the exit status of a program that could not run */

/* One child process. Zero it before the first use; proc_remove_dir makes it reusable. */
typedef struct proc {
    sys_pid_t pid;       /* 0 = not running (never started, or reaped) */
    int status;          /* once reaped: the exit status 0..255, or 128 + signal */
    int port;            /* the server's TCP port, once its port file was read */
    char dir[256];       /* the private temporary folder ("" = none yet) */
    char log[320];       /* the child's stderr (and stdout, see proc_opts_t), in dir */
    char port_file[320]; /* "" unless started by proc_server_start */
    char port_seen[32];  /* the port file's text at the previous look */
} proc_t;

/* How a child is run: where its folder goes, where its output goes, how it ends. */
typedef struct proc_opts {
    const char *tmp_parent;  /* folder for the private folder; NULL = $TMPDIR, else /tmp */
    const char *dir_prefix;  /* the private folder's name before "-XXXXXX" ("nine43-test") */
    const char *log_name;    /* the log's name in the folder ("server.log") */
    bool stdout_to_null;     /* only stderr goes to the log */
    int parent_death_signal; /* sent to the child when this process dies (0 = none): a crashed
                                game or test never leaves its server running */
    /* proc_server_start runs the server under this program and its arguments (NULL-terminated,
     * e.g. valgrind and its options), or directly when NULL. */
    const char *const *wrapper;
    bool new_session; /* the child leads a session of its own (setsid): a terminal's
                         Ctrl-C or hang-up meant for this process does not reach it */
    /* "NAME=value" entries (NULL-terminated, at most SYS_SPAWN_ENV) set in the child's
     * environment only, never in ours: a secret for the child, with no setenv in a process
     * that runs threads. NULL = the child inherits ours as it is. */
    const char *const *env;
} proc_opts_t;

/* Makes p->dir and names p->log in it, unless p->dir is already made. Returns 0, or -1 with
 * the reason in err. */
int proc_make_dir(proc_t *p, const proc_opts_t *o, char *err, size_t errlen);

/* Starts exe with args (NULL-terminated, without argv[0]); stdin is /dev/null, output is
 * appended to p->log. Returns 0, or -1 with the reason in err. A program that cannot be run
 * exits PROC_EXEC_FAILED (saying why in the log). */
int proc_start(proc_t *p, const proc_opts_t *o, const char *exe, const char *const *args, char *err,
               size_t errlen);

/* Starts nine43-server (path exe) as proc_start does, with "--port-file DIR/port" before
 * args. Returns at once: proc_server_poll or proc_server_wait tell when it listens. */
int proc_server_start(proc_t *p, const proc_opts_t *o, const char *exe, const char *const *args,
                      char *err, size_t errlen);

/* One look, without waiting: 1 when the port file holds a whole port (now in p->port), 0
 * when not yet, -1 when the server has exited (reaped; p->status says how). */
int proc_server_poll(proc_t *p);

/* Waits up to timeout_ms for proc_server_poll to say 1. Returns 0, or -1 with the reason in
 * err (the server exited, or did not write its port file in time: it is left running). */
int proc_server_wait(proc_t *p, int timeout_ms, char *err, size_t errlen);

/* True while the child runs. Does not reap: proc_wait and proc_server_poll still see the
 * exit, and a reaped pid is never signalled later. */
bool proc_running(const proc_t *p);

/* Waits up to timeout_ms (0 = just look) for the child to exit and reaps it. Returns
 * p->status, or -1 on time-out (the child is left running). */
int proc_wait(proc_t *p, int timeout_ms);

/* Sends sig if the child still runs. */
void proc_signal(const proc_t *p, int sig);

/* SIGTERM, up to grace_ms to exit, then SIGKILL. Returns the exit status (as p->status). */
int proc_stop(proc_t *p, int grace_ms);

/* Removes p->dir and everything in it. Safe to call twice. */
void proc_remove_dir(proc_t *p);

/* The path of program name in the folder of the running program ("/opt/nine43/nine43-server").
 * Returns 0, or -1 when /proc/self/exe cannot be read or the path does not fit. */
int proc_beside_self(const char *name, char *out, size_t cap);

#endif
