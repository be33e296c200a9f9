/* sys_os_posix.c -- sys_os.h on Linux and other POSIX systems, beside the platform-free
 * sys_os.c: clock_gettime, clock_nanosleep, getrandom, fork + execve with a built environment,
 * waitpid, a self-pipe for signals, rlimits; libc only */
#define _GNU_SOURCE /* pipe2 */
#include "sys_os.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys_os_random.h"

#define SYS_ENV_MAX  4096 /* entries of the environment a child is given */
#define SYS_PATH_MAX 4096 /* bytes of /proc/self/exe's target */

extern char **environ;

static void sys_fmt(char *err, size_t errlen, const char *what, int code)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", what, strerror(code));
}

/* ---- clocks ---- */

int64_t sys_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * SYS_NS_PER_SEC + ts.tv_nsec;
}

void sys_sleep_until_ns(int64_t when_ns)
{
    struct timespec ts = {.tv_sec = (time_t)(when_ns / SYS_NS_PER_SEC),
                          .tv_nsec = (long)(when_ns % SYS_NS_PER_SEC)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

int64_t sys_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void sys_local_time(char out[SYS_TIME_SIZE])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    char when[SYS_TIME_SIZE];
    size_t n = strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(out, SYS_TIME_SIZE, "%.19s.%03d", n ? when : "?", (int)(ts.tv_nsec / 1000000L % 1000));
}

/* ---- random bytes ---- */

int sys_random_fill(void *buf, size_t len, char *err, size_t errlen)
{
    /* getrandom, not getentropy: glibc's getentropy makes the system call itself, and the
     * tests stand in for this function to show that a secret maker fails when it fails. */
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom((char *)buf + got, len - got, GRND_NONBLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sys_fmt(err, errlen, "no random bytes from the system", n < 0 ? errno : EIO);
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

/* ---- files and names ---- */

int sys_make_private_dir(char *out, size_t cap, const char *parent, const char *prefix, char *err,
                         size_t errlen)
{
    if (!parent) {
        parent = getenv("TMPDIR");
        if (!parent || !parent[0])
            parent = "/tmp";
    }
    int n = snprintf(out, cap, "%s/%s-XXXXXX", parent, prefix);
    if (n < 0 || (size_t)n >= cap) {
        if (err && errlen)
            snprintf(err, errlen, "cannot make a temporary folder: the path is too long");
        if (cap)
            out[0] = '\0';
        return -1;
    }
    if (!mkdtemp(out)) {
        sys_fmt(err, errlen, "cannot make a temporary folder", errno);
        out[0] = '\0';
        return -1;
    }
    return 0;
}

void sys_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char child[SYS_PATH_MAX];
            if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) < (int)sizeof child)
                sys_remove_tree(child);
        }
        closedir(d);
    }
    rmdir(path);
}

int sys_open_log(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 && err && errlen)
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
    return fd;
}

void sys_close_file(int fd)
{
    if (fd >= 0)
        close(fd);
}

int sys_make_dir(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (mkdir(path, 0755) == 0 || (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return 0;
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
}

int sys_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: the path is too long", path);
        return -1;
    }
    unlink(tmp); /* a stale one, or a link someone left in its place, goes first */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    int saved = 0;
    for (size_t off = 0; fd >= 0 && off < len && !saved;) {
        ssize_t n = write(fd, (const char *)data + off, len - off);
        if (n > 0)
            off += (size_t)n;
        else if (n == 0 || errno != EINTR)
            saved = n < 0 ? errno : ENOSPC;
    }
    if (fd < 0)
        saved = errno;
    else if (close(fd) < 0 && !saved)
        saved = errno;
    if (!saved && rename(tmp, path) < 0)
        saved = errno;
    if (!saved)
        return 0;
    if (fd >= 0)
        unlink(tmp);
    snprintf(err, errlen, "%s: %s", path, strerror(saved));
    return -1;
}

bool sys_is_executable(const char *path)
{
    return access(path, X_OK) == 0;
}

const char *sys_path_last_sep(const char *path)
{
    return strrchr(path, '/');
}

void sys_host_name(char *out, size_t cap)
{
    if (cap == 0)
        return;
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) < 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    snprintf(out, cap, "%s", host);
}

/* ---- child processes ---- */

/* The child's environment: this process's, with each of add replacing a variable of the same
 * name or added at the end. Built before fork, since the child of a threaded process may call
 * nothing that allocates. Returns a malloc'd array (the strings are borrowed), or NULL. */
static const char **sys_build_env(const char *const *add)
{
    size_t n = 0, nadd = 0;
    while (environ && environ[n] && n < SYS_ENV_MAX)
        n++;
    while (add && add[nadd] && nadd < SYS_SPAWN_ENV)
        nadd++;
    const char **env = malloc((n + nadd + 1) * sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool replaced = false;
        for (size_t j = 0; j < nadd && !replaced; j++) {
            const char *eq = strchr(add[j], '=');
            size_t name = eq ? (size_t)(eq - add[j]) : strlen(add[j]);
            replaced = strncmp(environ[i], add[j], name) == 0 && environ[i][name] == '=';
        }
        if (!replaced)
            env[k++] = environ[i];
    }
    for (size_t j = 0; j < nadd; j++)
        env[k++] = add[j];
    env[k] = NULL;
    return env;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void sys_child(const sys_spawn_t *sp, pid_t parent, const char **env)
{
    if (sp->parent_death_signal) {
        prctl(PR_SET_PDEATHSIG, sp->parent_death_signal);
        if (getppid() != parent) /* the parent died before prctl took effect */
            _exit(SYS_EXEC_FAILED);
    }
    if (sp->new_session)
        setsid();
    int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_in >= 0)
        dup2(null_in, STDIN_FILENO);
    int null_out = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int out = sp->out_fd >= 0 ? sp->out_fd : null_out;
    int errfd = sp->err_fd >= 0 ? sp->err_fd : null_out;
    if (out >= 0)
        dup2(out, STDOUT_FILENO);
    if (errfd >= 0)
        dup2(errfd, STDERR_FILENO);
    execve(sp->exe, (char *const *)sp->argv, (char *const *)env);
    int e = errno;
    const char *why = strerror(e);
    ssize_t w = write(STDERR_FILENO, "cannot start ", 13);
    w = write(STDERR_FILENO, sp->exe, strlen(sp->exe));
    w = write(STDERR_FILENO, ": ", 2);
    w = write(STDERR_FILENO, why, strlen(why));
    w = write(STDERR_FILENO, "\n", 1);
    (void)w;
    _exit(SYS_EXEC_FAILED);
}

int sys_proc_spawn(const sys_spawn_t *sp, sys_pid_t *pid, char *err, size_t errlen)
{
    const char **env = sys_build_env(sp->env);
    if (!env) {
        sys_fmt(err, errlen, "cannot start a program", ENOMEM);
        return -1;
    }
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0)
        sys_child(sp, parent, env);
    int e = errno; /* free may change it */
    free(env);
    if (child < 0) {
        if (err && errlen)
            snprintf(err, errlen, "cannot start %s: %s", sp->exe, strerror(e));
        return -1;
    }
    *pid = child;
    return 0;
}

static int sys_status(int st)
{
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int sys_proc_reap(sys_pid_t pid, int *status)
{
    int st;
    pid_t r;
    while ((r = waitpid(pid, &st, WNOHANG)) < 0 && errno == EINTR) {
    }
    if (r == 0)
        return 0;
    if (r < 0)
        return -1;
    *status = sys_status(st);
    return 1;
}

int sys_proc_reap_wait(sys_pid_t pid)
{
    int st;
    pid_t r;
    while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {
    }
    return r < 0 ? -1 : sys_status(st);
}

bool sys_proc_running(sys_pid_t pid)
{
    if (pid <= 0)
        return false;
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
        return false;
    return info.si_pid == 0;
}

void sys_proc_signal(sys_pid_t pid, int sig)
{
    if (pid > 0)
        kill(pid, sig);
}

void sys_proc_ask_end(sys_pid_t pid)
{
    sys_proc_signal(pid, SIGTERM);
}

void sys_proc_kill(sys_pid_t pid)
{
    sys_proc_signal(pid, SIGKILL);
}

int sys_proc_self_dir(char *out, size_t cap)
{
    char exe[SYS_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    int len = snprintf(out, cap, "%s", exe);
    return len >= 0 && (size_t)len < cap ? 0 : -1;
}

void sys_env_unset(const char *name)
{
    unsetenv(name);
}

/* ---- signals and limits ---- */

/* The only globals of the seam: what a signal handler needs. */
static int sys_sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t sys_sig_seen;

static void sys_on_signal(int sig)
{
    (void)sig;
    /* A second signal means "now": no clean-up, no waiting for rounds. */
    if (sys_sig_seen++ > 0)
        _exit(1);
    int saved = errno;
    char c = 1;
    ssize_t n = write(sys_sig_pipe[1], &c, 1);
    (void)n;
    errno = saved;
}

int sys_signal_pipe(char *err, size_t errlen)
{
    if (pipe2(sys_sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
        sys_fmt(err, errlen, "signal pipe", errno);
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sys_on_signal;
    sigemptyset(&sa.sa_mask);
    /* One handler at a time: a SIGTERM nested in the SIGINT handler (or the reverse) could
     * otherwise interleave with sys_sig_seen++ and miss the "second signal". */
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) {
        sys_fmt(err, errlen, "sigaction", errno);
        sys_signal_close();
        return -1;
    }
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    return sys_sig_pipe[0];
}

void sys_signal_drain(int fd)
{
    char buf[16];
    while (read(fd, buf, sizeof buf) > 0)
        ;
}

void sys_signal_close(void)
{
    for (int i = 0; i < 2; i++) {
        if (sys_sig_pipe[i] >= 0)
            close(sys_sig_pipe[i]);
        sys_sig_pipe[i] = -1;
    }
}

long sys_raise_fd_limit(long want, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        sys_fmt(err, errlen, "getrlimit", errno);
        return -1;
    }
    rlim_t to = want < 0 ? rl.rlim_max : (rlim_t)want;
    if (rl.rlim_max != RLIM_INFINITY && to > rl.rlim_max)
        to = rl.rlim_max;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < to) {
        rl.rlim_cur = to;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            sys_fmt(err, errlen, "cannot raise the descriptor limit", errno);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur == RLIM_INFINITY ? -1 : (long)rl.rlim_cur;
}
