/* benchutil.h -- what the load benchmarks share: start and stop the real server (common/proc),
 * read its memory and CPU from /proc, percentiles, flags; depends on libc and proc */
#ifndef NINE43_BENCHUTIL_H
#define NINE43_BENCHUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc.h"

#define BENCH_START_TIMEOUT_MS 10000 /* the server must listen by then */
#define BENCH_STOP_TIMEOUT_MS  10000 /* then SIGKILL */
#define BENCH_MAX_ARGS         48
/* --max-pending-per-address for benchmarks whose clients all come from 127.0.0.1: the most the
 * server takes, so that neither its refusal nor its shorter login time-out applies */
#define BENCH_MAX_PENDING "1000000"

/* The server under load: pid, port and log (see proc.h), in a private folder under /tmp. */
typedef proc_t bench_server_t;

/* Starts the server binary (path, or nine43-server next to this program when NULL) on
 * 127.0.0.1 with --port 0 --port-file and the extra args (NULL-terminated), and waits until it
 * listens. Returns 0, or -1 with a message on stderr. */
int bench_server_start(bench_server_t *s, const char *path, const char *const *extra);
/* Stops it at once (two SIGTERMs: the second skips waiting for running rounds), reaps it and
 * removes its folder (kept when $NINE43_BENCH_KEEP is set). Safe to call twice. */
void bench_server_stop(bench_server_t *s);
/* Counts the lines of the server's log that contain needle. */
long bench_server_log_count(const bench_server_t *s, const char *needle);

/* From /proc/PID/status: resident set size in KiB, or -1. */
long bench_rss_kib(pid_t pid);
/* From /proc/PID/stat: utime + stime in seconds, or -1. */
double bench_cpu_seconds(pid_t pid);
/* Monotonic seconds. */
double bench_now(void);
void bench_sleep(double seconds);

/* Nearest-rank percentile (q in 0..100) of v[0..n), which it sorts. 0 when n == 0. */
double bench_percentile(double *v, size_t n, double q);

/* "--name value" flags: returns the value of the flag at argv[*i] when it is name (and moves *i
 * past it), else NULL. Exits 2 with a message when the value is missing. */
const char *bench_flag(int argc, char **argv, int *i, const char *name);
/* Parses a whole number in lo..hi, or exits 2 naming the flag. */
long bench_int(const char *flag, const char *value, long lo, long hi);

#endif
