/* host.c -- runs nine43-server as a child for "Host a game" (started, watched and stopped by
 * common/proc) with a fresh admin secret that makes us its host, and explains why it failed;
 * the OS only through the seam (sys_os.h, sys_net.h) */
#include "host.h"

#include <SDL_log.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "sys_net.h"
#include "sys_os.h"

#define HOST_MAX_IFACES 64 /* interfaces looked at for the address to show */

typedef struct host_child {
    proc_t proc;                     /* the server, its folder and its log */
    int port;                        /* asked for */
    char token[PROTO_MAX_TOKEN + 1]; /* the admin secret we gave it, for "stop" */
    sys_pid_t gone[HOST_MAX_GONE];   /* stopped or detached: reaped without waiting, 0 = free */
    int64_t kill_at[HOST_MAX_GONE];  /* monotonic ns a stopped server is ended at, 0 = never */
    bool stop_accepted;              /* the last stop's answer: the server said it stops */
} host_child_t;

/* The server lives in its own folder under $TMPDIR and in a session of its own: it is the
 * party's, not the window's, so a crash of the game does not end the others' round. It ends
 * by itself once nobody is connected (--exit-when-empty). */
static const proc_opts_t HOST_PROC = {
    .dir_prefix = "nine43-host", .log_name = "server.log", .new_session = true};

/* Reaps the servers we let go, once they exit, and ends at once those that refused a stop and
 * outlived their grace; never waits. */
static void host_reap_gone(host_child_t *h)
{
    int status;
    int64_t now = sys_clock_ns();
    for (int i = 0; i < HOST_MAX_GONE; i++) {
        if (h->gone[i] <= 0)
            continue;
        if (h->kill_at[i] && now >= h->kill_at[i]) {
            SDL_Log("nine43: the server did not stop in %d ms: ending it", HOST_STOP_GRACE_MS);
            sys_proc_kill(h->gone[i]);
            h->kill_at[i] = 0;
        }
        if (sys_proc_reap(h->gone[i], &status) != 0)
            h->gone[i] = h->kill_at[i] = 0;
    }
}

/* The current server is no longer ours to watch: its folder goes (an open log survives its
 * name), its pid waits to be reaped. */
static void host_let_go(host_child_t *h, int64_t kill_at)
{
    host_reap_gone(h);
    if (h->proc.pid > 0) {
        int i = 0;
        while (i < HOST_MAX_GONE && h->gone[i] > 0)
            i++;
        if (i < HOST_MAX_GONE) {
            h->gone[i] = h->proc.pid; /* else init reaps it once we exit */
            h->kill_at[i] = kill_at;
        }
    }
    proc_remove_dir(&h->proc);
    memset(&h->proc, 0, sizeof h->proc);
}

int host_server_path(char *out, size_t cap)
{
    const char *env = getenv("NINE43_SERVER");
    if (env && env[0]) {
        if (snprintf(out, cap, "%s", env) >= (int)cap)
            return -1;
        return sys_is_executable(out) ? 0 : -1;
    }
    if (proc_beside_self(HOST_SERVER_EXE, out, cap) != 0)
        return -1;
    return sys_is_executable(out) ? 0 : -1;
}

void host_lan_address(char *out, size_t cap)
{
    client_fmt(out, cap, "127.0.0.1");
    sys_iface_t ifs[HOST_MAX_IFACES];
    int n = sys_net_interfaces(ifs, HOST_MAX_IFACES);
    for (int i = 0; i < n; i++) {
        if (ifs[i].up && !ifs[i].loopback) {
            sys_ipv4_format(ifs[i].addr_be, out, cap);
            return;
        }
    }
}

static host_child_t *child_of(client_t *c)
{
    if (!c->host_data)
        c->host_data = calloc(1, sizeof(host_child_t));
    return c->host_data;
}

/* One line of the stop's answer, read until the deadline: the message, or -1. */
static int host_read_answer(int fd, char *buf, size_t cap, size_t *len, int64_t deadline)
{
    for (;;) {
        char *nl = memchr(buf, '\n', *len);
        if (nl) {
            msg_t m;
            int type = proto_decode(buf, (size_t)(nl - buf), PROTO_TO_CLIENT, &m, NULL, 0) == 0
                           ? (int)m.type
                           : -1;
            *len -= (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, *len);
            if (type != MSG_LOGIN_PROMPT) /* the greeting every connection gets comes first */
                return type == MSG_BYE && strcmp(m.u.bye.reason, HOST_STOP_REASON) == 0 ? MSG_BYE
                                                                                        : -1;
            continue;
        }
        int64_t left_ms = (deadline - sys_clock_ns()) / SYS_NS_PER_MS;
        sys_pollfd_t pfd = {.fd = fd, .events = SYS_POLL_IN};
        if (*len >= cap || left_ms <= 0 || sys_poll(&pfd, 1, (int)left_ms) <= 0)
            return -1;
        long n = sys_net_recv(fd, buf + *len, cap - *len, NULL, 0);
        if (n == SYS_NET_AGAIN)
            continue;
        if (n <= 0)
            return -1;
        *len += (size_t)n;
    }
}

/* "stop" with the admin secret on a connection of its own (ours to the game may be gone): true
 * when the server said it stops. Loopback answers at once; HOST_STOP_ANSWER_MS bounds a hung
 * server. */
static bool host_send_stop(const host_child_t *h)
{
    if (h->proc.port <= 0 || !h->token[0])
        return false;
    sys_addr_t a;
    sys_addr_ipv4(&a, sys_ipv4_be(0x7f000001u), h->proc.port);
    bool pending = false;
    char err[128];
    int fd = sys_tcp_connect(&a, &pending, err, sizeof err);
    if (fd < 0)
        return false;
    int64_t deadline = sys_clock_ns() + (int64_t)HOST_STOP_ANSWER_MS * SYS_NS_PER_MS;
    sys_pollfd_t pfd = {.fd = fd, .events = SYS_POLL_OUT};
    bool ok = !pending || (sys_poll(&pfd, 1, HOST_STOP_ANSWER_MS) > 0 &&
                           sys_tcp_connect_result(fd, err, sizeof err) == 0);
    msg_t m;
    proto_init(&m, MSG_STOP);
    client_fmt(m.u.stop.admin, sizeof m.u.stop.admin, "%s", h->token);
    char line[PROTO_MAX_LINE];
    int n = ok ? proto_encode(&m, line, sizeof line) : -1;
    ok = n > 0 && sys_net_send(fd, line, (size_t)n, err, sizeof err) == n;
    char buf[HOST_STOP_ANSWER_MAX];
    size_t len = 0;
    ok = ok && host_read_answer(fd, buf, sizeof buf, &len, deadline) == MSG_BYE;
    sys_net_close(fd);
    memset(line, 0, sizeof line);
    return ok;
}

/* A graceful stop: "stop" with the admin secret, which every platform's server takes, and
 * SIGTERM too where there are signals; the server lets running rounds finish and says goodbye.
 * A server that does not accept the stop is ended at once after HOST_STOP_GRACE_MS. */
static void host_stop(client_t *c)
{
    host_child_t *h = c->host_data;
    if (!h)
        return;
    int64_t kill_at = 0;
    if (h->proc.pid > 0) {
        bool said = host_send_stop(h);
        h->stop_accepted = said;
        SDL_Log("nine43: stopping the server: %s",
                said ? "it stops" : "it did not answer the stop");
#ifndef _WIN32
        proc_signal(&h->proc, SIGTERM);
#endif
        if (!said)
            kill_at = sys_clock_ns() + (int64_t)HOST_STOP_GRACE_MS * SYS_NS_PER_MS;
    }
    memset(h->token, 0, sizeof h->token);
    host_let_go(h, kill_at);
}

static void host_detach(client_t *c)
{
    host_child_t *h = c->host_data;
    if (h) {
        memset(h->token, 0, sizeof h->token);
        host_let_go(h, 0);
    }
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
    if (sys_tcp_port_in_use(port) == 1) {
        client_fmt(err, errlen, "port %d is already in use", port);
        return -1;
    }
    char sport[16], sgroup[16], sround[16], sempty[16];
    client_fmt(sport, sizeof sport, "%d", port);
    client_fmt(sgroup, sizeof sgroup, "%d", group_size);
    client_fmt(sround, sizeof sround, "%d", round_seconds);
    client_fmt(sempty, sizeof sempty, "%d", HOST_EMPTY_EXIT_S);
    const char *args[12];
    int a = 0;
    if (c->host.name[0]) { /* the game in the Join lists: "Kim's game" */
        args[a++] = "--name";
        args[a++] = c->host.name;
    }
    args[a++] = "--port";
    args[a++] = sport;
    args[a++] = "--group-size";
    args[a++] = sgroup;
    args[a++] = "--exit-when-empty";
    args[a++] = sempty;
    if (round_seconds > 0) {
        args[a++] = "--round-seconds";
        args[a++] = sround;
    }
    args[a] = NULL;
    char why[256], token[HOST_TOKEN_BYTES * 2 + 1];
    if (sys_random_hex(token, sizeof token, HOST_TOKEN_BYTES, why, sizeof why) != 0) {
        client_fmt(err, errlen, "cannot make the host's secret: %s", why);
        return -1;
    }
    /* The environment of the child only, which only this user can read: never on the command
     * line (ps shows that to everyone), never in ours (we run threads: no setenv), and the
     * server takes it out of its own at once. */
    char env_token[sizeof HOST_TOKEN_ENV + sizeof token + 1];
    client_fmt(env_token, sizeof env_token, "%s=%s", HOST_TOKEN_ENV, token);
    const char *env[] = {env_token, NULL};
    proc_opts_t opts = HOST_PROC;
    opts.env = env;
    int rc = proc_server_start(&h->proc, &opts, exe, args, why, sizeof why);
    memset(env_token, 0, sizeof env_token);
    if (rc != 0) {
        client_fmt(err, errlen, "%s", why);
        proc_remove_dir(&h->proc);
        return -1;
    }
    session_set_admin_token(&c->session, token);
    client_fmt(h->token, sizeof h->token, "%s", token);
    h->port = port;
    return 0;
}

static bool host_running(client_t *c)
{
    host_child_t *h = c->host_data;
    return h && proc_running(&h->proc);
}

static bool log_contains(const host_child_t *h, const char *needle, char *tail, size_t cap)
{
    tail[0] = '\0';
    FILE *f = fopen(h->proc.log, "rb");
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
    if (!h || h->proc.pid <= 0) {
        client_fmt(err, errlen, "the server is not running");
        return -1;
    }
    int r = proc_server_poll(&h->proc);
    if (r < 0) {
        char tail[256];
        if (log_contains(h, "in use", tail, sizeof tail))
            client_fmt(err, errlen, "port %d is already in use", h->port);
        else if (h->proc.status == PROC_EXEC_FAILED)
            client_fmt(err, errlen, "%s could not be started", HOST_SERVER_EXE);
        else
            client_fmt(err, errlen, "the server stopped: %s", tail[0] ? tail : "no message");
        proc_remove_dir(&h->proc);
        return -1;
    }
    if (r == 0)
        return 0;
    *port = h->proc.port;
    return 1;
}

bool host_stop_accepted(const client_t *c)
{
    const host_child_t *h = c->host_data;
    return h && h->stop_accepted;
}

void host_free(client_t *c)
{
    host_stop(c);
    host_child_t *h = c->host_data;
    /* The game closes: a server that refused the stop gets its grace now, then ends. */
    for (int i = 0; h && i < HOST_MAX_GONE; i++) {
        while (h->gone[i] > 0 && h->kill_at[i]) {
            host_reap_gone(h);
            if (h->gone[i] > 0 && h->kill_at[i])
                sys_sleep_ms(HOST_STOP_POLL_MS);
        }
    }
    free(c->host_data);
    c->host_data = NULL;
}

const client_host_ops_t host_ops = {
    .start = host_start,
    .stop = host_stop,
    .running = host_running,
    .poll = host_poll,
    .detach = host_detach,
};
