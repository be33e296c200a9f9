/* accept.c -- stage 1: non-blocking IPv4/IPv6 listeners, TCP_NODELAY, back-off when out of
 * descriptors; hands each socket to a callback; uses accept.h, server.h (log, loop, config) and
 * the seam's sockets (sys_net.h) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "sys_net.h"

#define STAGE          "accept"
#define ACCEPT_BACKLOG 511

struct accept {
    server_t *srv;
    accept_fn fn;
    void *ud;
    int fds[SERVER_MAX_LISTENERS];
    int count;
    int port; /* the bound TCP port */
    long long retry_timer;
    int64_t warned_at; /* monotonic ns of the last "pausing" warning */
};

static void accept_on_listener(loop_t *l, int fd, void *ud, int mask);

/* Opens one listener on addr with the given port (0 = any). Returns the socket or -1 (logged). */
static int accept_open_listener(server_t *s, sys_addr_t *addr, int port)
{
    char where[SYS_ADDR_TEXT], why[160];
    sys_addr_set_port(addr, port);
    sys_addr_format(addr, true, where, sizeof where);
    int fd = sys_tcp_listen(addr, ACCEPT_BACKLOG, why, sizeof why);
    if (fd < 0)
        log_msg(&s->log, LOG_WARN, STAGE, "cannot listen on %s: %s", where, why);
    return fd;
}

/* The addresses to listen on: --bind resolved, or both wildcards. Returns how many, or -1. */
static int accept_addresses(server_t *s, sys_addr_t *addrs)
{
    if (s->cfg.bind[0] == '\0') {
        sys_addr_any(&addrs[0], false, 0);
        sys_addr_any(&addrs[1], true, 0);
        return 2;
    }
    char why[160];
    int n = sys_addr_resolve(s->cfg.bind, 0, true, addrs, SERVER_MAX_LISTENERS, why, sizeof why);
    if (n < 0)
        log_msg(&s->log, LOG_ERROR, STAGE, "cannot use --bind %s: %s", s->cfg.bind, why);
    return n;
}

accept_t *accept_listen(server_t *s, accept_fn fn, void *ud)
{
    sys_addr_t addrs[SERVER_MAX_LISTENERS];
    int naddrs = accept_addresses(s, addrs);
    accept_t *a = naddrs < 0 ? NULL : calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->srv = s;
    a->fn = fn;
    a->ud = ud;
    /* With --port 0 the first listener picks the port and the others take the same one. */
    int port = s->cfg.port;
    for (int i = 0; i < naddrs; i++) {
        int fd = accept_open_listener(s, &addrs[i], port);
        if (fd < 0)
            continue;
        if (loop_add_file(s->loop, fd, LOOP_READABLE, accept_on_listener, a) < 0) {
            log_msg(&s->log, LOG_WARN, STAGE, "out of memory watching a listener");
            sys_net_close(fd);
            continue;
        }
        sys_addr_t bound;
        char where[SYS_ADDR_TEXT] = "?";
        if (sys_net_local_addr(fd, &bound) == 0) {
            sys_addr_format(&bound, true, where, sizeof where);
            if (port == 0)
                port = sys_addr_port(&bound);
        }
        a->fds[a->count++] = fd;
        log_msg(&s->log, LOG_INFO, STAGE, "listening on %s", where);
    }
    if (a->count == 0) {
        log_msg(&s->log, LOG_ERROR, STAGE, "could not listen on any address");
        free(a);
        return NULL;
    }
    a->port = port;
    return a;
}

int accept_port(const accept_t *a)
{
    return a->port;
}

void accept_close(accept_t *a)
{
    if (!a)
        return;
    loop_t *loop = a->srv->loop;
    for (int i = 0; i < a->count; i++) {
        loop_del_file(loop, a->fds[i], LOOP_READABLE);
        sys_net_close(a->fds[i]);
    }
    if (a->retry_timer > 0)
        loop_del_timer(loop, a->retry_timer);
    free(a);
}

static int64_t accept_resume(loop_t *l, long long id, void *ud)
{
    accept_t *a = ud;
    a->retry_timer = 0;
    for (int i = 0; i < a->count; i++) {
        if (loop_add_file(l, a->fds[i], LOOP_READABLE, accept_on_listener, a) < 0) {
            /* Still out of memory: try again after another pause, never stop accepting. */
            for (int k = 0; k < i; k++)
                loop_del_file(l, a->fds[k], LOOP_READABLE);
            a->retry_timer = id;
            return loop_now() + SERVER_ACCEPT_BACKOFF_MS * LOOP_NS_PER_MS;
        }
    }
    log_msg(&a->srv->log, LOG_DEBUG, STAGE, "accepting connections again");
    return LOOP_NOMORE;
}

/* Out of descriptors or memory: the pending connection stays in the backlog, and accepting
 * it again at once would spin. Stop listening for a moment instead. */
static void accept_back_off(accept_t *a, const char *why)
{
    server_t *s = a->srv;
    /* Under a flood this repeats every pause: warn once in a while, the rest is debug. */
    int64_t now = loop_now();
    bool warn =
        a->warned_at == 0 || now - a->warned_at >= SERVER_ACCEPT_WARN_EVERY * LOOP_NS_PER_SEC;
    if (warn)
        a->warned_at = now;
    long long timer = loop_add_timer(
        s->loop, loop_now() + SERVER_ACCEPT_BACKOFF_MS * LOOP_NS_PER_MS, accept_resume, a);
    if (timer < 0) {
        /* Without the timer that resumes them, paused listeners would never accept again: keep
         * listening, and spin on the full backlog rather than go deaf. */
        log_msg(&s->log, LOG_ERROR, STAGE, "%s, and no memory for a pause: accepting on", why);
        return;
    }
    log_msg(&s->log, warn ? LOG_WARN : LOG_DEBUG, STAGE, "%s; pausing for %d ms", why,
            SERVER_ACCEPT_BACKOFF_MS);
    for (int i = 0; i < a->count; i++)
        loop_del_file(s->loop, a->fds[i], LOOP_READABLE);
    a->retry_timer = timer;
}

static void accept_on_listener(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    (void)mask;
    accept_t *a = ud;
    server_t *s = a->srv;
    for (int i = 0; i < SERVER_ACCEPT_PER_EVENT && !s->shutting_down; i++) {
        sys_addr_t peer_addr;
        char why[160];
        int cfd = sys_tcp_accept(fd, &peer_addr, why, sizeof why);
        if (cfd == SYS_NET_FULL) {
            accept_back_off(a, why);
            return;
        }
        if (cfd < 0) {
            if (cfd != SYS_NET_AGAIN)
                log_msg(&s->log, LOG_WARN, STAGE, "%s", why);
            return;
        }
        char peer[SYS_ADDR_TEXT];
        sys_addr_format(&peer_addr, true, peer, sizeof peer);
        /* Without these the player still plays, later or with more memory: say so, go on. */
        if (sys_tcp_nodelay(cfd, why, sizeof why) < 0 ||
            sys_net_set_sndbuf(cfd, CONN_SNDBUF, why, sizeof why) < 0)
            log_msg(&s->log, LOG_WARN, STAGE, "%s: %s", peer, why);
        a->fn(a->ud, cfd, peer);
    }
}
