/* benchutil.c -- start and stop the real server, /proc readers, percentiles, flags; depends on
 * libc, common/proc and the seam's clock */
#include "benchutil.h"

#include "sys_os.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double bench_now(void)
{
    return (double)sys_clock_ns() / (double)SYS_NS_PER_SEC;
}

void bench_sleep(double seconds)
{
    /* To the moment, whatever signal comes between. */
    int64_t until = sys_clock_ns() + (int64_t)(seconds * (double)SYS_NS_PER_SEC);
    while (sys_clock_ns() < until)
        sys_sleep_until_ns(until);
}

/* The benchmarks' servers: stdout (nothing of use) is dropped, stderr is the log they read. */
static const proc_opts_t BENCH_PROC = {.tmp_parent = "/tmp",
                                       .dir_prefix = "nine43-bench",
                                       .log_name = "server.log",
                                       .stdout_to_null = true};

int bench_server_start(bench_server_t *s, const char *path, const char *const *extra)
{
    memset(s, 0, sizeof(*s));
    char exe[PATH_MAX], err[512];
    if (path)
        snprintf(exe, sizeof(exe), "%s", path);
    else if (proc_beside_self("nine43-server", exe, sizeof(exe)) != 0)
        snprintf(exe, sizeof(exe), "./nine43-server");

    const char *argv[BENCH_MAX_ARGS + 8];
    int n = 0;
    argv[n++] = "--bind";
    argv[n++] = "127.0.0.1";
    argv[n++] = "--port";
    argv[n++] = "0";
    for (int i = 0; extra && extra[i] && i < BENCH_MAX_ARGS; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    if (proc_server_start(s, &BENCH_PROC, exe, argv, err, sizeof(err)) != 0 ||
        proc_server_wait(s, BENCH_START_TIMEOUT_MS, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench: %s (log: %s)\n", err, s->log[0] ? s->log : "none");
        bench_server_stop(s);
        return -1;
    }
    return 0;
}

void bench_server_stop(bench_server_t *s)
{
    if (s->pid > 0) {
        proc_signal(s, SIGTERM);
        bench_sleep(0.05);
        proc_stop(s, BENCH_STOP_TIMEOUT_MS); /* the second SIGTERM, then SIGKILL */
    }
    if (!getenv("NINE43_BENCH_KEEP"))
        proc_remove_dir(s);
}

long bench_server_log_count(const bench_server_t *s, const char *needle)
{
    FILE *f = fopen(s->log, "r");
    if (!f)
        return -1;
    char line[4096];
    long n = 0;
    while (fgets(line, sizeof(line), f))
        n += strstr(line, needle) != NULL;
    fclose(f);
    return n;
}

long bench_rss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kib = -1;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

double bench_cpu_seconds(pid_t pid)
{
    char path[64], buf[2048];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name may hold spaces and parentheses: fields start after the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    p += 2; /* field 3, state */
    unsigned long utime = 0, stime = 0;
    /* Fields 3..13 are skipped; 14 is utime, 15 stime. */
    if (sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return -1;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_percentile(double *v, size_t n, double q)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    size_t rank = (size_t)((q / 100.0) * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

const char *bench_flag(int argc, char **argv, int *i, const char *name)
{
    if (strcmp(argv[*i], name) != 0)
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s needs a value\n", name);
        exit(2);
    }
    *i += 1;
    return argv[*i];
}

long bench_int(const char *flag, const char *value, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < lo || v > hi) {
        fprintf(stderr, "%s needs a whole number from %ld to %ld, not \"%s\"\n", flag, lo, hi,
                value);
        exit(2);
    }
    return v;
}
