/* host.c -- runs nine43-server as a child for "Host a game" (started and watched by common/proc,
 * stopped by the stop message through host_talk, a step a frame) with a fresh admin secret that
 * makes us its host, and explains why it failed; the OS only through the seam (sys_os.h,
 * sys_net.h) */
#include "host.h"

#include <SDL_log.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_talk.h"
#include "proc.h"
#include "sys_net.h"
#include "sys_os.h"

#define HOST_MAX_IFACES 64 /* interfaces looked at for the address to show */

/* A server we stopped or let go: reaped once it exits, never waited for. */
typedef struct host_gone {
    sys_pid_t pid;    /* 0 = a free slot */
    int64_t kill_at;  /* monotonic ns it is ended at (it did not accept the stop), 0 = never */
    host_talk_t talk; /* the stop's conversation, while it lasts */
    unsigned stop_no; /* which stop it was (host_child_t.stops) */
} host_gone_t;

typedef struct host_child {
    proc_t proc;                     /* the server, its folder and its log */
    int port;                        /* asked for */
    char token[PROTO_MAX_TOKEN + 1]; /* the admin secret we gave it, for "stop" */
    host_gone_t gone[HOST_MAX_GONE]; /* stopped or detached servers */
    unsigned stops;                  /* stops begun */
    bool stop_accepted;              /* the last stop's answer: the server said it stops */
    bool stop_kept;                  /* or it runs on for others (a stop "if alone") */
    int kept_news;                   /* others it runs on for, not yet told the player; 0 = none */
} host_child_t;

/* The server lives in its own folder under $TMPDIR and in a session of its own: it is the
 * party's, not the window's, so a crash of the game does not end the others' round. It ends
 * by itself once nobody is connected (--exit-when-empty). */
static const proc_opts_t HOST_PROC = {
    .dir_prefix = "nine43-host", .log_name = "server.log", .new_session = true};

/* A stop's conversation is over: SIGTERM too where there are signals (after the message, so
 * that the server still answers it), and a server that did not accept gets HOST_STOP_GRACE_MS
 * to exit before it is ended at once. One asked "if alone" that others are on is let go: it
 * ends by itself once they have left. */
static void host_stop_answered(host_child_t *h, host_gone_t *g, host_talk_state_t said)
{
    if (said == HOST_TALK_KEPT) {
        if (g->stop_no == h->stops)
            h->stop_kept = true;
        int others = atoi(g->talk.why); /* the server's "N other players are on ..." */
        h->kept_news = others > 0 ? others : 1;
        SDL_Log("nine43: not stopping the server: %s", g->talk.why);
        return;
    }
    bool stops = said == HOST_TALK_ACCEPTED;
    if (stops && g->stop_no == h->stops)
        h->stop_accepted = true;
    SDL_Log("nine43: stopping the server: %s%s",
            stops ? "it stops" : "it did not accept the stop: ", stops ? "" : g->talk.why);
    sys_proc_ask_end(g->pid);
    if (!stops)
        g->kill_at = sys_clock_ns() + (int64_t)HOST_STOP_GRACE_MS * SYS_NS_PER_MS;
}

/* Carries on the stops under way, ends at once the servers that refused a stop and outlived
 * their grace, and reaps those that exited; never waits. A server still being asked is not
 * reaped yet, so that its pid cannot be another process's when the SIGTERM goes. */
static void host_reap_gone(host_child_t *h)
{
    int status;
    int64_t now = sys_clock_ns();
    for (int i = 0; i < HOST_MAX_GONE; i++) {
        host_gone_t *g = &h->gone[i];
        if (g->pid <= 0)
            continue;
        host_talk_state_t talk = host_talk_step(&g->talk, now);
        if (talk == HOST_TALK_PENDING)
            continue;
        if (talk != HOST_TALK_IDLE)
            host_stop_answered(h, g, talk);
        if (g->kill_at && now >= g->kill_at) {
            SDL_Log("nine43: the server did not stop in %d ms: ending it", HOST_STOP_GRACE_MS);
            sys_proc_kill(g->pid);
            g->kill_at = 0;
        }
        if (sys_proc_reap(g->pid, &status) != 0)
            g->pid = 0;
    }
}

/* The current server is no longer ours to watch: its folder goes (an open log survives its
 * name), its pid waits to be reaped in the slot returned (NULL when all are taken: init reaps
 * it once we exit). */
static host_gone_t *host_let_go(host_child_t *h)
{
    host_reap_gone(h);
    host_gone_t *g = NULL;
    if (h->proc.pid > 0) {
        for (int i = 0; i < HOST_MAX_GONE && !g; i++) {
            if (h->gone[i].pid <= 0)
                g = &h->gone[i];
        }
        if (g) {
            memset(g, 0, sizeof *g);
            g->pid = h->proc.pid;
        }
    }
    proc_remove_dir(&h->proc);
    memset(&h->proc, 0, sizeof h->proc);
    return g;
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

/* A graceful stop: "stop" with the admin secret on a connection of its own (ours to the game may
 * be gone), which every platform's server takes, then SIGTERM too where there are signals; the
 * server lets running rounds finish and says goodbye. if_alone (our login, or NULL): only if
 * nobody else is logged in, which the server knows better than our scenes. The conversation
 * goes on in host_tick, a step a frame: the window never waits for it. */
static void host_stop(client_t *c, const char *if_alone)
{
    host_child_t *h = c->host_data;
    if (!h)
        return;
    sys_pid_t pid = h->proc.pid;
    int port = h->proc.port;
    if (pid > 0) {
        h->stops++;
        h->stop_accepted = h->stop_kept = false;
    }
    host_gone_t *g = host_let_go(h);
    if (g) {
        g->stop_no = h->stops;
        int64_t deadline = sys_clock_ns() + (int64_t)HOST_STOP_ANSWER_MS * SYS_NS_PER_MS;
        if (host_talk_begin(&g->talk, port, h->token, if_alone, deadline) != HOST_TALK_PENDING)
            host_stop_answered(h, g, HOST_TALK_FAILED);
    } else if (pid > 0) {
        SDL_Log("nine43: %d servers are still stopping: this one ends by itself once empty",
                HOST_MAX_GONE);
        sys_proc_ask_end(pid);
    }
    memset(h->token, 0, sizeof h->token);
    host_reap_gone(h); /* the first step now: a loopback connect is often made at once */
}

static void host_tick(client_t *c)
{
    host_child_t *h = c->host_data;
    if (!h)
        return;
    host_reap_gone(h);
    if (h->kept_news && c->scene == SCENE_MENU) /* where the host went, leaving */
        client_tell_kept(c, h->kept_news);
    h->kept_news = 0;
}

static void host_detach(client_t *c)
{
    host_child_t *h = c->host_data;
    if (h) {
        memset(h->token, 0, sizeof h->token);
        host_let_go(h);
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
    host_stop(c, NULL);
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

bool host_stop_kept(const client_t *c)
{
    const host_child_t *h = c->host_data;
    return h && h->stop_kept;
}

/* Whether the game, closing, still waits for this one: its stop's answer, or its grace. */
static bool host_gone_waited(const host_gone_t *g)
{
    return g->pid > 0 && (g->talk.open || g->kill_at);
}

void host_free(client_t *c)
{
    host_stop(c, NULL);
    host_child_t *h = c->host_data;
    /* The game closes: a pending stop gets its answer (HOST_STOP_ANSWER_MS at most), and a
     * server that did not accept it its grace, then it ends. */
    for (int i = 0; h && i < HOST_MAX_GONE; i++) {
        while (host_gone_waited(&h->gone[i])) {
            host_reap_gone(h);
            if (host_gone_waited(&h->gone[i]))
                sys_sleep_ms(HOST_STOP_POLL_MS);
        }
    }
    for (int i = 0; h && i < HOST_MAX_GONE; i++)
        host_talk_end(&h->gone[i].talk);
    free(c->host_data);
    c->host_data = NULL;
}

const client_host_ops_t host_ops = {
    .start = host_start,
    .stop = host_stop,
    .running = host_running,
    .poll = host_poll,
    .detach = host_detach,
    .tick = host_tick,
};
