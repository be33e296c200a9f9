/* benchutil.c -- start and stop the real server, /proc readers, percentiles, flags; libc only */
#include "benchutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_sleep(double seconds)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void default_server_path(char *out, size_t cap)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0) {
        snprintf(out, cap, "./nine43-server");
        return;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    size_t len = strlen(self);
    if (len + sizeof("/nine43-server") > cap)
        len = 0; /* cannot happen with PATH_MAX buffers; fall back to the current folder */
    snprintf(out, cap, "%.*s/nine43-server", (int)len, len ? self : ".");
}

int bench_server_start(bench_server_t *s, const char *path, const char *const *extra)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "/tmp/nine43-bench-XXXXXX");
    if (!mkdtemp(s->dir)) {
        perror("bench: mkdtemp");
        s->dir[0] = '\0';
        return -1;
    }
    snprintf(s->log, sizeof(s->log), "%s/server.log", s->dir);
    char exe[PATH_MAX], port_file[128];
    if (path)
        snprintf(exe, sizeof(exe), "%s", path);
    else
        default_server_path(exe, sizeof(exe));
    snprintf(port_file, sizeof(port_file), "%s/port", s->dir);

    const char *argv[BENCH_MAX_ARGS + 8];
    int n = 0;
    argv[n++] = exe;
    argv[n++] = "--bind";
    argv[n++] = "127.0.0.1";
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--port-file";
    argv[n++] = port_file;
    for (int i = 0; extra && extra[i] && i < BENCH_MAX_ARGS; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, s->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    int rc = posix_spawn(&s->pid, exe, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "bench: cannot start %s: %s\n", exe, strerror(rc));
        s->pid = 0;
        bench_server_stop(s);
        return -1;
    }
    double deadline = bench_now() + BENCH_START_TIMEOUT_MS / 1000.0;
    while (bench_now() < deadline) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            int port = 0;
            bool ok = fscanf(f, "%d", &port) == 1 && port > 0;
            fclose(f);
            if (ok) {
                s->port = port;
                return 0;
            }
        }
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            fprintf(stderr, "bench: the server exited at start (log: %s)\n", s->log);
            s->pid = 0;
            return -1;
        }
        bench_sleep(0.01);
    }
    fprintf(stderr, "bench: the server did not listen within %d ms (log: %s)\n",
            BENCH_START_TIMEOUT_MS, s->log);
    bench_server_stop(s);
    return -1;
}

void bench_server_stop(bench_server_t *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        bench_sleep(0.05);
        kill(s->pid, SIGTERM);
        double deadline = bench_now() + BENCH_STOP_TIMEOUT_MS / 1000.0;
        int status;
        while (waitpid(s->pid, &status, WNOHANG) == 0) {
            if (bench_now() > deadline) {
                kill(s->pid, SIGKILL);
                waitpid(s->pid, &status, 0);
                break;
            }
            bench_sleep(0.01);
        }
        s->pid = 0;
    }
    if (s->dir[0] && !getenv("NINE43_BENCH_KEEP")) {
        char path[192];
        snprintf(path, sizeof(path), "%s/port", s->dir);
        unlink(path);
        unlink(s->log);
        rmdir(s->dir);
        s->dir[0] = '\0';
    }
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
