/* accept.c -- stage 1: non-blocking IPv4/IPv6 listeners, TCP_NODELAY, back-off when out of
 * descriptors; hands each socket to a callback; uses accept.h, server.h (log, loop, config) */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "accept.h"

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

static void accept_describe(const struct sockaddr *sa, char *out, size_t cap)
{
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        snprintf(out, cap, "%s:%d", host, port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
        snprintf(out, cap, "[%s]:%d", host, port);
    } else {
        snprintf(out, cap, "?");
    }
}

/* Opens one listener on addr with the given port (0 = any). Returns the fd or -1 (logged). */
static int accept_open_listener(server_t *s, struct sockaddr *addr, socklen_t len, int port)
{
    char where[80];
    if (addr->sa_family == AF_INET)
        ((struct sockaddr_in *)addr)->sin_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in6 *)addr)->sin6_port = htons((uint16_t)port);
    accept_describe(addr, where, sizeof where);
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        log_msg(&s->log, LOG_WARN, STAGE, "socket for %s: %s", where, strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* The IPv6 listener takes IPv6 only: IPv4 has its own, so both can share the port. */
    if (addr->sa_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, addr, len) < 0 || listen(fd, ACCEPT_BACKLOG) < 0) {
        log_msg(&s->log, LOG_WARN, STAGE, "cannot listen on %s: %s", where, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int accept_bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* The addresses to listen on: --bind resolved, or both wildcards. Returns how many, or -1. */
static int accept_addresses(server_t *s, struct sockaddr_storage *addrs, socklen_t *lens)
{
    int naddrs = 0;
    if (s->cfg.bind[0] == '\0') {
        struct sockaddr_in *in = (struct sockaddr_in *)&addrs[0];
        memset(in, 0, sizeof *in);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_ANY);
        lens[0] = sizeof *in;
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&addrs[1];
        memset(in6, 0, sizeof *in6);
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_any;
        lens[1] = sizeof *in6;
        return 2;
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(s->cfg.bind, NULL, &hints, &res);
    if (rc != 0) {
        log_msg(&s->log, LOG_ERROR, STAGE, "cannot use --bind %s: %s", s->cfg.bind,
                gai_strerror(rc));
        return -1;
    }
    for (struct addrinfo *ai = res; ai && naddrs < SERVER_MAX_LISTENERS; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
            continue;
        memcpy(&addrs[naddrs], ai->ai_addr, ai->ai_addrlen);
        lens[naddrs++] = ai->ai_addrlen;
    }
    freeaddrinfo(res);
    return naddrs;
}

accept_t *accept_listen(server_t *s, accept_fn fn, void *ud)
{
    struct sockaddr_storage addrs[SERVER_MAX_LISTENERS];
    socklen_t lens[SERVER_MAX_LISTENERS];
    int naddrs = accept_addresses(s, addrs, lens);
    accept_t *a = naddrs < 0 ? NULL : calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->srv = s;
    a->fn = fn;
    a->ud = ud;
    /* With --port 0 the first listener picks the port and the others take the same one. */
    int port = s->cfg.port;
    for (int i = 0; i < naddrs; i++) {
        int fd = accept_open_listener(s, (struct sockaddr *)&addrs[i], lens[i], port);
        if (fd < 0)
            continue;
        if (loop_add_file(s->loop, fd, LOOP_READABLE, accept_on_listener, a) < 0) {
            close(fd);
            continue;
        }
        if (port == 0)
            port = accept_bound_port(fd);
        a->fds[a->count++] = fd;
        struct sockaddr_storage bound;
        socklen_t blen = sizeof bound;
        char where[80] = "?";
        if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0)
            accept_describe((struct sockaddr *)&bound, where, sizeof where);
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
        close(a->fds[i]);
    }
    if (a->retry_timer > 0)
        loop_del_timer(loop, a->retry_timer);
    free(a);
}

static int64_t accept_resume(loop_t *l, long long id, void *ud)
{
    (void)id;
    accept_t *a = ud;
    a->retry_timer = 0;
    for (int i = 0; i < a->count; i++)
        loop_add_file(l, a->fds[i], LOOP_READABLE, accept_on_listener, a);
    log_msg(&a->srv->log, LOG_DEBUG, STAGE, "accepting connections again");
    return LOOP_NOMORE;
}

/* Out of descriptors or memory: the pending connection stays in the backlog, and accepting
 * it again at once would spin. Stop listening for a moment instead. */
static void accept_back_off(accept_t *a, int err)
{
    server_t *s = a->srv;
    /* Under a flood this repeats every pause: warn once in a while, the rest is debug. */
    int64_t now = loop_now();
    bool warn =
        a->warned_at == 0 || now - a->warned_at >= SERVER_ACCEPT_WARN_EVERY * LOOP_NS_PER_SEC;
    if (warn)
        a->warned_at = now;
    log_msg(&s->log, warn ? LOG_WARN : LOG_DEBUG, STAGE, "accept: %s; pausing for %d ms",
            strerror(err), SERVER_ACCEPT_BACKOFF_MS);
    for (int i = 0; i < a->count; i++)
        loop_del_file(s->loop, a->fds[i], LOOP_READABLE);
    a->retry_timer = loop_add_timer(s->loop, loop_now() + SERVER_ACCEPT_BACKOFF_MS * LOOP_NS_PER_MS,
                                    accept_resume, a);
}

static void accept_on_listener(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    (void)mask;
    accept_t *a = ud;
    server_t *s = a->srv;
    for (int i = 0; i < SERVER_ACCEPT_PER_EVENT && !s->shutting_down; i++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int cfd = accept4(fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                accept_back_off(a, errno);
                return;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                log_msg(&s->log, LOG_WARN, STAGE, "accept: %s", strerror(errno));
            return;
        }
        char peer[80];
        accept_describe((struct sockaddr *)&ss, peer, sizeof peer);
        int one = 1;
        setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int sndbuf = CONN_SNDBUF;
        setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        a->fn(a->ud, cfd, peer);
    }
}
