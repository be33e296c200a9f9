/* sys_os.h -- the platform seam for everything but sockets: clocks, sleeping, the operating
 * system's random bytes, child processes with an explicit environment, the self-pipe for signals.
 * Nothing outside the seam's files calls the OS for these: sys_os.c holds what every platform
 * shares (the hex secret, sleeping in milliseconds), and a platform is one sys_os_<platform>.c
 * (posix, win32). Depends on the C library only. */
#ifndef NINE43_SYS_OS_H
#define NINE43_SYS_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYS_NS_PER_SEC   1000000000LL
#define SYS_NS_PER_MS    1000000LL
#define SYS_TIME_SIZE    32  /* "2026-12-07 05:01:02.345" and its NUL, with room */
#define SYS_SPAWN_ENV    8   /* variables sys_proc_spawn adds to the child's environment */
#define SYS_EXEC_FAILED  127 /* a child's exit status when its program could not be run */
#define SYS_RANDOM_LIMIT 256 /* bytes one sys_random_bytes call gives at most */

/* ---- clocks ---- */

/* Nanoseconds on the monotonic clock (from an arbitrary origin; never goes back). */
int64_t sys_clock_ns(void);

/* Sleeps until the monotonic time when_ns (nanosecond precision). A signal may end it early. */
void sys_sleep_until_ns(int64_t when_ns);

/* Sleeps about ms milliseconds. */
void sys_sleep_ms(int ms);

/* Microseconds on the wall clock (since 1970; may jump: for stamps the OS gives on this clock,
 * such as a datagram's arrival, never for measuring on its own). */
int64_t sys_wall_us(void);

/* The local wall-clock time as "YYYY-MM-DD HH:MM:SS.mmm" (for logs; never for measuring). */
void sys_local_time(char out[SYS_TIME_SIZE]);

/* ---- random bytes ---- */

/* len (<= SYS_RANDOM_LIMIT) bytes from the operating system's random source, fit for secrets.
 * Returns 0, or -1 with the reason in err: there is no fallback to anything guessable, so a
 * caller making a secret must fail in turn. Never blocks (an unseeded pool is an error). */
int sys_random_bytes(void *buf, size_t len, char *err, size_t errlen);

/* Fills out (cap >= 2 * bytes + 1) with bytes random bytes as lowercase hex: a secret. Returns 0,
 * or -1 with the reason in err (out is then ""). */
int sys_random_hex(char *out, size_t cap, size_t bytes, char *err, size_t errlen);

/* ---- files and names ---- */

/* Makes a new folder only this user can enter, "<parent>/<prefix>-XXXXXX" with the X's made
 * unique (parent NULL = the system's temporary folder), its path in out. Returns 0, or -1 with
 * the reason in err (out is then ""). */
int sys_make_private_dir(char *out, size_t cap, const char *parent, const char *prefix, char *err,
                         size_t errlen);

/* Removes path and, for a folder, everything below it; links are removed, never followed. */
void sys_remove_tree(const char *path);

/* Opens path for appending (created, readable by this user only), not inherited by children
 * unless handed to sys_proc_spawn. Returns a descriptor, or -1 with the reason in err. */
int sys_open_log(const char *path, char *err, size_t errlen);

/* Closes a descriptor from sys_open_log. */
void sys_close_file(int fd);

/* Makes the folder path, or finds it there already. Returns 0, or -1 with the path and the
 * reason in err ("/x/shots: Permission denied"). */
int sys_make_dir(const char *path, char *err, size_t errlen);

/* Writes len bytes to path through a new temporary file beside it ("path.tmp", made afresh, never
 * through a link left in its place) renamed over path: a reader sees the old file or the whole
 * new one, never half of it. Returns 0, or -1 with the path and the reason in err. */
int sys_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen);

/* True when path is a program this user may run. */
bool sys_is_executable(const char *path);

/* The last separator in path, where its folder ends ('/', and '\\' on Windows), or NULL. */
const char *sys_path_last_sep(const char *path);

/* This machine's name ("alice-laptop.home.lan"), "" when unknown. */
void sys_host_name(char *out, size_t cap);

/* ---- child processes ---- */

typedef int sys_pid_t; /* 0 = none */

/* How sys_proc_spawn runs a program. */
typedef struct sys_spawn {
    const char *exe;         /* path of the program */
    const char *const *argv; /* NULL-terminated, argv[0] included */
    const char *const *env;  /* "NAME=value" entries (NULL-terminated, at most SYS_SPAWN_ENV)
                                added to, or replacing, this process's environment in the
                                child's only: this process's own is never changed */
    int out_fd;              /* the child's stdout; -1 = nowhere */
    int err_fd;              /* the child's stderr; -1 = nowhere */
    bool new_session;        /* leads a session of its own: a terminal's Ctrl-C misses it */
    int parent_death_signal; /* sent to the child when this process dies (0 = none) */
} sys_spawn_t;

/* Starts a child (stdin from the null device). Returns 0 with its id in pid, or -1 with the
 * reason in err. A program that cannot be run exits SYS_EXEC_FAILED, saying why on err_fd. */
int sys_proc_spawn(const sys_spawn_t *sp, sys_pid_t *pid, char *err, size_t errlen);

/* Reaps pid if it has exited, without waiting. Returns 1 with status (0..255, or 128 + signal)
 * in *status, 0 while it runs, -1 when it is not our child any more. */
int sys_proc_reap(sys_pid_t pid, int *status);

/* Waits for pid to exit and reaps it. Returns its status as sys_proc_reap does, or -1. */
int sys_proc_reap_wait(sys_pid_t pid);

/* True while pid runs (an exited, unreaped child is not running; it stays reapable). */
bool sys_proc_running(sys_pid_t pid);

/* Sends sig (SIGTERM, SIGKILL, ...) to pid. */
void sys_proc_signal(sys_pid_t pid, int sig);

/* Asks pid to end gently: SIGTERM where there are signals. Windows has no gentle signal for a
 * child without a console, so there it does nothing: a caller that must stop one there says so
 * another way (the host's stop message) and ends it with sys_proc_kill after a grace. */
void sys_proc_ask_end(sys_pid_t pid);

/* Ends pid at once (SIGKILL; TerminateProcess on Windows). */
void sys_proc_kill(sys_pid_t pid);

/* The folder of the running program ("/opt/nine43"). Returns 0, or -1. */
int sys_proc_self_dir(char *out, size_t cap);

/* Removes name from this process's environment (for a single-threaded process only: the
 * server, right after reading a secret from it, so that nothing it starts inherits it). */
void sys_env_unset(const char *name);

/* ---- signals and limits ---- */

/* Makes a non-blocking, close-on-exec pipe whose read end becomes readable when SIGINT or
 * SIGTERM arrives; a second such signal ends the process at once (exit status 1). Ignores
 * SIGPIPE. Returns the read end, or -1 with the reason in err. Call once. */
int sys_signal_pipe(char *err, size_t errlen);

/* Empties the pipe's read end once it was readable. */
void sys_signal_drain(int fd);

/* Closes both ends of the pipe. */
void sys_signal_close(void);

/* Raises this process's limit of open descriptors towards want (-1 = as far as allowed).
 * Returns the limit now in force (-1 = unlimited or unknown), and the reason a raise failed in
 * err ("" when it did not). */
long sys_raise_fd_limit(long want, char *err, size_t errlen);

#endif
