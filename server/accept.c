/* accept.c -- stage 1: non-blocking IPv4/IPv6 listeners, TCP_NODELAY, back-off when out of
 * descriptors */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

#define STAGE          "accept"
#define ACCEPT_BACKLOG 511

static void on_listener(loop_t *l, int fd, void *ud, int mask);

static void describe(const struct sockaddr *sa, char *out, size_t cap)
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
static int open_listener(server_t *s, struct sockaddr *addr, socklen_t len, int port)
{
    char where[80];
    if (addr->sa_family == AF_INET)
        ((struct sockaddr_in *)addr)->sin_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in6 *)addr)->sin6_port = htons((uint16_t)port);
    describe(addr, where, sizeof where);
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

static int bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

int accept_listen(server_t *s)
{
    struct sockaddr_storage addrs[SERVER_MAX_LISTENERS];
    socklen_t lens[SERVER_MAX_LISTENERS];
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
        naddrs = 2;
    } else {
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
    }
    /* With --port 0 the first listener picks the port and the others take the same one. */
    int port = s->cfg.port;
    for (int i = 0; i < naddrs; i++) {
        int fd = open_listener(s, (struct sockaddr *)&addrs[i], lens[i], port);
        if (fd < 0)
            continue;
        if (loop_add_file(s->loop, fd, LOOP_READABLE, on_listener, s) < 0) {
            close(fd);
            continue;
        }
        if (port == 0)
            port = bound_port(fd);
        s->listen_fds[s->nlisten++] = fd;
        struct sockaddr_storage bound;
        socklen_t blen = sizeof bound;
        char where[80] = "?";
        if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0)
            describe((struct sockaddr *)&bound, where, sizeof where);
        log_msg(&s->log, LOG_INFO, STAGE, "listening on %s", where);
    }
    if (s->nlisten == 0) {
        log_msg(&s->log, LOG_ERROR, STAGE, "could not listen on any address");
        return -1;
    }
    s->port = port;
    return 0;
}

void accept_stop(server_t *s)
{
    for (int i = 0; i < s->nlisten; i++) {
        loop_del_file(s->loop, s->listen_fds[i], LOOP_READABLE);
        close(s->listen_fds[i]);
        s->listen_fds[i] = -1;
    }
    s->nlisten = 0;
    if (s->accept_retry_timer > 0)
        loop_del_timer(s->loop, s->accept_retry_timer);
    s->accept_retry_timer = 0;
}

static int64_t resume_accepting(loop_t *l, long long id, void *ud)
{
    (void)id;
    server_t *s = ud;
    s->accept_retry_timer = 0;
    for (int i = 0; i < s->nlisten; i++)
        loop_add_file(l, s->listen_fds[i], LOOP_READABLE, on_listener, s);
    log_msg(&s->log, LOG_DEBUG, STAGE, "accepting connections again");
    return LOOP_NOMORE;
}

/* Out of descriptors or memory: the pending connection stays in the backlog, and accepting
 * it again at once would spin. Stop listening for a moment instead. */
static void back_off(server_t *s, int err)
{
    /* Under a flood this repeats every pause: warn once in a while, the rest is debug. */
    int64_t now = loop_now();
    bool warn = s->accept_warned_at == 0 ||
                now - s->accept_warned_at >= SERVER_ACCEPT_WARN_EVERY * LOOP_NS_PER_SEC;
    if (warn)
        s->accept_warned_at = now;
    log_msg(&s->log, warn ? LOG_WARN : LOG_DEBUG, STAGE, "accept: %s; pausing for %d ms",
            strerror(err), SERVER_ACCEPT_BACKOFF_MS);
    for (int i = 0; i < s->nlisten; i++)
        loop_del_file(s->loop, s->listen_fds[i], LOOP_READABLE);
    s->accept_retry_timer = loop_add_timer(
        s->loop, loop_now() + SERVER_ACCEPT_BACKOFF_MS * LOOP_NS_PER_MS, resume_accepting, s);
}

static void refuse_full(server_t *s, int fd, const char *peer)
{
    msg_t *m = s->out;
    proto_init(m, MSG_ERROR);
    snprintf(m->u.error.message, sizeof m->u.error.message,
             "server full: %d connections at most, try again later", s->cfg.max_clients);
    int n = server_encode(s, m);
    if (n > 0) {
        /* A fresh socket's buffer takes one short line without blocking. */
        ssize_t w = send(fd, s->line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
        (void)w;
    }
    shutdown(fd, SHUT_WR);
    close(fd);
    log_msg(&s->log, LOG_WARN, STAGE, "refused %s: %d connections already (--max-clients)", peer,
            s->nconns);
}

static void on_listener(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    (void)mask;
    server_t *s = ud;
    for (int i = 0; i < SERVER_ACCEPT_PER_EVENT && !s->shutting_down; i++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int cfd = accept4(fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                back_off(s, errno);
                return;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                log_msg(&s->log, LOG_WARN, STAGE, "accept: %s", strerror(errno));
            return;
        }
        char peer[80];
        describe((struct sockaddr *)&ss, peer, sizeof peer);
        int one = 1;
        setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int sndbuf = CONN_SNDBUF;
        setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        if (s->nconns >= s->cfg.max_clients) {
            refuse_full(s, cfd, peer);
            continue;
        }
        server_add_connection(s, cfd, peer);
    }
}
