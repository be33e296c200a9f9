/* host.c -- runs nine43-server as a child for "Host a game": fork/exec, port file, stop; POSIX +
 * Linux prctl */
#include "host.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct host_child {
    pid_t pid; /* 0 = none */
    int port;  /* asked for */
    char dir[256];
    char port_file[320];
    char log_file[320];
    char last_seen[32]; /* the port file's text at the previous poll */
} host_child_t;

int host_server_path(char *out, size_t cap)
{
    const char *env = getenv("NINE43_SERVER");
    if (env && env[0]) {
        if (snprintf(out, cap, "%s", env) >= (int)cap)
            return -1;
        return access(out, X_OK) == 0 ? 0 : -1;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    if (snprintf(out, cap, "%s/%s", exe, HOST_SERVER_EXE) >= (int)cap)
        return -1;
    return access(out, X_OK) == 0 ? 0 : -1;
}

void host_lan_address(char *out, size_t cap)
{
    client_fmt(out, cap, "127.0.0.1");
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0)
        return;
    for (struct ifaddrs *a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET)
            continue;
        if (!(a->ifa_flags & IFF_UP) || (a->ifa_flags & IFF_LOOPBACK))
            continue;
        char buf[INET_ADDRSTRLEN];
        const struct sockaddr_in *sin = (const struct sockaddr_in *)a->ifa_addr;
        if (inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf)) {
            client_fmt(out, cap, "%s", buf);
            break;
        }
    }
    freeifaddrs(list);
}

/* True when something already listens on (or holds) TCP port on any address. */
static bool port_taken(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); /* as the server does */
    bool taken = bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 && errno == EADDRINUSE;
    close(fd);
    return taken;
}

static host_child_t *child_of(client_t *c)
{
    if (!c->host_data)
        c->host_data = calloc(1, sizeof(host_child_t));
    return c->host_data;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void remove_dir(host_child_t *h)
{
    if (!h->dir[0])
        return;
    unlink(h->port_file);
    unlink(h->log_file);
    char tmp[340];
    client_fmt(tmp, sizeof tmp, "%s.tmp", h->port_file); /* a server that writes atomically */
    unlink(tmp);
    rmdir(h->dir);
    h->dir[0] = '\0';
}

static void host_stop(client_t *c)
{
    host_child_t *h = c->host_data;
    if (!h)
        return;
    if (h->pid > 0) {
        kill(h->pid, SIGTERM);
        int waited = 0, status;
        while (waitpid(h->pid, &status, WNOHANG) == 0) {
            if (waited >= HOST_STOP_GRACE_MS) {
                kill(h->pid, SIGKILL);
                waitpid(h->pid, &status, 0);
                break;
            }
            sleep_ms(20);
            waited += 20;
        }
        h->pid = 0;
    }
    remove_dir(h);
}

static int host_start(client_t *c, int port, int group_size, int round_seconds, char *err,
                      size_t errlen)
{
    host_child_t *h = child_of(c);
    if (!h) {
        client_fmt(err, errlen, "out of memory");
        return -1;
    }
    host_stop(c);
    char exe[4096];
    if (host_server_path(exe, sizeof exe) != 0) {
        client_fmt(err, errlen, "%s was not found next to the game", HOST_SERVER_EXE);
        return -1;
    }
    if (port_taken(port)) {
        client_fmt(err, errlen, "port %d is already in use", port);
        return -1;
    }
    const char *tmpdir = getenv("TMPDIR");
    client_fmt(h->dir, sizeof h->dir, "%s/nine43-host-XXXXXX",
               tmpdir && tmpdir[0] ? tmpdir : "/tmp");
    if (!mkdtemp(h->dir)) {
        client_fmt(err, errlen, "cannot make a temporary folder: %s", strerror(errno));
        h->dir[0] = '\0';
        return -1;
    }
    client_fmt(h->port_file, sizeof h->port_file, "%s/port", h->dir);
    client_fmt(h->log_file, sizeof h->log_file, "%s/server.log", h->dir);
    char sport[16], sgroup[16], sround[16];
    client_fmt(sport, sizeof sport, "%d", port);
    client_fmt(sgroup, sizeof sgroup, "%d", group_size);
    client_fmt(sround, sizeof sround, "%d", round_seconds);
    const char *argv[12];
    int a = 0;
    argv[a++] = exe;
    argv[a++] = "--port";
    argv[a++] = sport;
    argv[a++] = "--port-file";
    argv[a++] = h->port_file;
    argv[a++] = "--group-size";
    argv[a++] = sgroup;
    if (round_seconds > 0) {
        argv[a++] = "--round-seconds";
        argv[a++] = sround;
    }
    argv[a] = NULL;

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        client_fmt(err, errlen, "cannot start the server: %s", strerror(errno));
        remove_dir(h);
        return -1;
    }
    if (pid == 0) {
        /* The server must never outlive the game, even if the game crashes. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        int fd = open(h->log_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            close(devnull);
        }
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    h->pid = pid;
    h->port = port;
    h->last_seen[0] = '\0';
    return 0;
}

static bool host_running(client_t *c)
{
    host_child_t *h = c->host_data;
    if (!h || h->pid <= 0)
        return false;
    /* Asked without reaping: host_poll still has to see the exit (and say why), and a reaped
     * pid must not be signalled later by host_stop. */
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)h->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
        return false;
    return info.si_pid == 0;
}

static bool log_contains(const host_child_t *h, const char *needle, char *tail, size_t cap)
{
    tail[0] = '\0';
    FILE *f = fopen(h->log_file, "rb");
    if (!f)
        return false;
    char buf[HOST_LOG_TAIL + 1];
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > HOST_LOG_TAIL)
            fseek(f, size - HOST_LOG_TAIL, SEEK_SET);
        else
            fseek(f, 0, SEEK_SET);
    }
    size_t n = fread(buf, 1, HOST_LOG_TAIL, f);
    fclose(f);
    buf[n] = '\0';
    /* The last non-empty line, to show the player. */
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    const char *last = strrchr(buf, '\n');
    client_fmt(tail, cap, "%s", last ? last + 1 : buf);
    return strstr(buf, needle) != NULL;
}

static int host_poll(client_t *c, int *port, char *err, size_t errlen)
{
    host_child_t *h = c->host_data;
    if (!h || h->pid <= 0) {
        client_fmt(err, errlen, "the server is not running");
        return -1;
    }
    int status;
    pid_t r = waitpid(h->pid, &status, WNOHANG);
    if (r == h->pid) {
        h->pid = 0;
        char tail[256];
        if (log_contains(h, "in use", tail, sizeof tail))
            client_fmt(err, errlen, "port %d is already in use", h->port);
        else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            client_fmt(err, errlen, "%s could not be started", HOST_SERVER_EXE);
        else
            client_fmt(err, errlen, "the server stopped: %s", tail[0] ? tail : "no message");
        remove_dir(h);
        return -1;
    }
    FILE *f = fopen(h->port_file, "r");
    if (!f)
        return 0;
    char buf[32];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *end;
    long p = strtol(buf, &end, 10);
    if (end == buf || p <= 0 || p > 65535)
        return 0;
    /* A file still being written may hold part of the number: trust it once it ends in a
     * newline, or when the same text is read twice in a row. */
    bool complete = *end == '\n' || *end == '\r' || strcmp(buf, h->last_seen) == 0;
    client_fmt(h->last_seen, sizeof h->last_seen, "%s", buf);
    if (!complete)
        return 0;
    *port = (int)p;
    return 1;
}

void host_free(client_t *c)
{
    host_stop(c);
    free(c->host_data);
    c->host_data = NULL;
}

const client_host_ops_t host_ops = {
    .start = host_start,
    .stop = host_stop,
    .running = host_running,
    .poll = host_poll,
};
