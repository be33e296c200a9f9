/* sys_net_posix.c -- sys_net.h on Linux and other POSIX systems, beside the platform-free
 * sys_net.c: BSD sockets (accept4, SOCK_NONBLOCK, IP_PKTINFO), getifaddrs and poll(2); libc only */
#define _GNU_SOURCE /* accept4 */
#include "sys_net_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

_Static_assert(sizeof(sys_pollfd_t) == sizeof(struct pollfd), "sys_pollfd_t is a struct pollfd");
_Static_assert(offsetof(sys_pollfd_t, revents) == offsetof(struct pollfd, revents),
               "sys_pollfd_t is a struct pollfd");
_Static_assert(SYS_POLL_IN == POLLIN && SYS_POLL_OUT == POLLOUT && SYS_POLL_ERR == POLLERR &&
                   SYS_POLL_HUP == POLLHUP && SYS_POLL_NVAL == POLLNVAL,
               "the poll bits are the OS's");

/* Writes "what: reason" for the error code e, read by the caller right after the failing call. */
static void sys_net_fmt(char *err, size_t errlen, const char *what, int e)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", what, strerror(e));
}

/* ---- for sys_net.c ---- */

int sys_net_start(char *err, size_t errlen)
{
    (void)err, (void)errlen; /* the C library's sockets need no start */
    return 0;
}

void sys_net_fmt_resolve(char *err, size_t errlen, const char *host, int rc)
{
    if (err && errlen)
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
}

/* ---- TCP ---- */

static int sys_setopt(int s, int level, int name, int value, const char *what, char *err,
                      size_t errlen)
{
    if (setsockopt(s, level, name, &value, sizeof value) == 0)
        return 0;
    sys_net_fmt(err, errlen, what, errno);
    return -1;
}

int sys_tcp_listen(const sys_addr_t *a, int backlog, char *err, size_t errlen)
{
    int s = socket(sys_addr_sa(a)->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) {
        sys_net_fmt(err, errlen, "socket", errno);
        return -1;
    }
    /* The IPv6 listener takes IPv6 only: IPv4 has its own, so both can share the port. */
    if (sys_setopt(s, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR", err, errlen) < 0 ||
        (sys_addr_is_ipv6(a) &&
         sys_setopt(s, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY", err, errlen) < 0)) {
        close(s);
        return -1;
    }
    if (bind(s, sys_addr_sa(a), a->len) < 0 || listen(s, backlog) < 0) {
        sys_net_fmt(err, errlen, "cannot listen", errno);
        close(s);
        return -1;
    }
    return s;
}

int sys_tcp_port_in_use(int port)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); /* as a listener does */
    int r = bind(s, (struct sockaddr *)&sin, sizeof sin) == 0 ? 0 : errno == EADDRINUSE ? 1 : -1;
    close(s);
    return r;
}

int sys_tcp_accept(int listener, sys_addr_t *peer, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    for (;;) {
        socklen_t len = sizeof ss;
        int s = accept4(listener, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (s >= 0) {
            if (peer)
                sys_addr_from(peer, (struct sockaddr *)&ss, len);
            return s;
        }
        int e = errno;
        if (e == EINTR || e == ECONNABORTED || e == EPROTO)
            continue; /* that one went away: the next may be there */
        sys_net_fmt(err, errlen, "accept", e);
        if (e == EAGAIN || e == EWOULDBLOCK)
            return SYS_NET_AGAIN;
        if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM)
            return SYS_NET_FULL;
        return SYS_NET_ERROR;
    }
}

int sys_tcp_connect(const sys_addr_t *a, bool *pending, char *err, size_t errlen)
{
    *pending = false;
    int s = socket(sys_addr_sa(a)->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) {
        sys_net_fmt(err, errlen, "socket", errno);
        return -1;
    }
    if (sys_tcp_nodelay(s, err, errlen) < 0) {
        close(s);
        return -1;
    }
    if (connect(s, sys_addr_sa(a), a->len) == 0)
        return s;
    if (errno == EINPROGRESS) {
        *pending = true;
        return s;
    }
    sys_net_fmt(err, errlen, "connect", errno);
    close(s);
    return -1;
}

int sys_tcp_connect_result(int s, char *err, size_t errlen)
{
    int e = 0;
    socklen_t len = sizeof e;
    if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
        e = errno;
    if (e == 0)
        return 0;
    sys_net_fmt(err, errlen, "connect", e);
    return -1;
}

int sys_tcp_connect_done(int s, char *err, size_t errlen)
{
    struct pollfd p = {.fd = s, .events = POLLOUT};
    int r = poll(&p, 1, 0);
    if (r < 0 && errno != EINTR) {
        sys_net_fmt(err, errlen, "poll", errno);
        return -1;
    }
    if (r <= 0)
        return 0;
    return sys_tcp_connect_result(s, err, errlen) == 0 ? 1 : -1;
}

int sys_tcp_nodelay(int s, char *err, size_t errlen)
{
    return sys_setopt(s, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY", err, errlen);
}

int sys_net_set_sndbuf(int s, int bytes, char *err, size_t errlen)
{
    return sys_setopt(s, SOL_SOCKET, SO_SNDBUF, bytes, "SO_SNDBUF", err, errlen);
}

int sys_net_set_nonblock(int s, char *err, size_t errlen)
{
    int flags = fcntl(s, F_GETFL);
    if (flags < 0 || fcntl(s, F_SETFL, flags | O_NONBLOCK) < 0) {
        sys_net_fmt(err, errlen, "O_NONBLOCK", errno);
        return -1;
    }
    return 0;
}

/* What a failed send or receive means, from its errno. */
static long sys_io_result(int e, const char *what, char *err, size_t errlen)
{
    sys_net_fmt(err, errlen, what, e);
    if (e == EAGAIN || e == EWOULDBLOCK)
        return SYS_NET_AGAIN;
    if (e == EPIPE || e == ECONNRESET || e == ENOTCONN || e == ETIMEDOUT)
        return SYS_NET_CLOSED;
    return SYS_NET_ERROR;
}

long sys_net_send(int s, const void *buf, size_t len, char *err, size_t errlen)
{
    if (len == 0)
        return 0;
    for (;;) {
        ssize_t n = send(s, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0)
            return (long)n;
        if (errno != EINTR)
            return sys_io_result(errno, "send", err, errlen);
    }
}

long sys_net_recv(int s, void *buf, size_t cap, char *err, size_t errlen)
{
    for (;;) {
        ssize_t n = recv(s, buf, cap, MSG_DONTWAIT);
        if (n > 0)
            return (long)n;
        if (n == 0) {
            if (err && errlen)
                snprintf(err, errlen, "the connection was closed");
            return SYS_NET_CLOSED;
        }
        if (errno != EINTR) /* a reset is an error here: the peer did not end the stream */
            return sys_io_result(errno, "recv", err, errlen) == SYS_NET_AGAIN ? SYS_NET_AGAIN
                                                                              : SYS_NET_ERROR;
    }
}

int sys_net_local_addr(int s, sys_addr_t *out)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(s, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    sys_addr_from(out, (struct sockaddr *)&ss, len);
    return 0;
}

int sys_net_peer_addr(int s, sys_addr_t *out)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getpeername(s, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    sys_addr_from(out, (struct sockaddr *)&ss, len);
    return 0;
}

void sys_net_shutdown_write(int s)
{
    shutdown(s, SHUT_WR);
}

void sys_net_close(int s)
{
    if (s >= 0)
        close(s);
}

/* ---- UDP ---- */

int sys_udp_open(const sys_addr_t *a, unsigned flags, char *err, size_t errlen)
{
    int s = socket(sys_addr_sa(a)->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) {
        sys_net_fmt(err, errlen, "UDP socket", errno);
        return -1;
    }
    if (((flags & SYS_UDP_REUSEADDR) &&
         sys_setopt(s, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR", err, errlen) < 0) ||
        ((flags & SYS_UDP_BROADCAST) &&
         sys_setopt(s, SOL_SOCKET, SO_BROADCAST, 1, "SO_BROADCAST", err, errlen) < 0) ||
        ((flags & SYS_UDP_PKTINFO) &&
         sys_setopt(s, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO", err, errlen) < 0)) {
        close(s);
        return -1;
    }
    /* Without the kernel's stamps the caller's clock stands in: asked for, not required. */
    if (flags & SYS_UDP_TIMESTAMP)
        sys_setopt(s, SOL_SOCKET, SO_TIMESTAMP, 1, "SO_TIMESTAMP", NULL, 0);
    if (bind(s, sys_addr_sa(a), a->len) < 0) {
        char what[48];
        snprintf(what, sizeof what, "cannot bind UDP port %d", sys_addr_port(a));
        sys_net_fmt(err, errlen, what, errno);
        close(s);
        return -1;
    }
    return s;
}

long sys_udp_recv(int s, void *buf, size_t cap, sys_addr_t *from, sys_udp_meta_t *meta, char *err,
                  size_t errlen)
{
    struct sockaddr_storage ss;
    union {
        char buf[CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(struct timeval)) + 64];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = buf, .iov_len = cap};
    struct msghdr mh = {.msg_name = &ss,
                        .msg_namelen = sizeof ss,
                        .msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = sizeof control.buf};
    ssize_t n;
    do
        n = recvmsg(s, &mh, MSG_TRUNC | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return sys_io_result(errno, "recvmsg", err, errlen) == SYS_NET_AGAIN ? SYS_NET_AGAIN
                                                                             : SYS_NET_ERROR;
    if (from)
        sys_addr_from(from, (struct sockaddr *)&ss, mh.msg_namelen);
    if (meta) {
        memset(meta, 0, sizeof *meta);
        /* MSG_TRUNC makes n the datagram's real length: a long one can be dropped, not cut. */
        meta->length = (size_t)n;
        meta->truncated = (mh.msg_flags & MSG_TRUNC) || (size_t)n > cap;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP) {
                struct timeval tv;
                memcpy(&tv, CMSG_DATA(c), sizeof tv);
                meta->arrived_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
            }
            if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO)
                continue;
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            meta->has_dest = true;
            meta->ifindex = pi.ipi_ifindex;
            meta->dest_be = pi.ipi_spec_dst.s_addr;
        }
    }
    return (size_t)n > cap ? (long)cap : (long)n;
}

long sys_udp_send(int s, const void *buf, size_t len, const sys_addr_t *to, uint32_t from_be,
                  char *err, size_t errlen)
{
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    union {
        char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
        struct cmsghdr align;
    } control;
    struct msghdr mh = {
        .msg_name = (void *)to->u.raw, .msg_namelen = to->len, .msg_iov = &iov, .msg_iovlen = 1};
    if (from_be != 0) {
        memset(&control, 0, sizeof control);
        mh.msg_control = control.buf;
        mh.msg_controllen = sizeof control.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
        struct in_pktinfo pi = {.ipi_ifindex = 0};
        pi.ipi_spec_dst.s_addr = from_be;
        memcpy(CMSG_DATA(c), &pi, sizeof pi);
    }
    ssize_t n;
    do
        n = sendmsg(s, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return sys_io_result(errno, "sendto", err, errlen) == SYS_NET_AGAIN ? SYS_NET_AGAIN
                                                                            : SYS_NET_ERROR;
    return (long)n;
}

/* ---- interfaces ---- */

int sys_net_interfaces(sys_iface_t *out, int max)
{
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0)
        return 0;
    int n = 0;
    for (struct ifaddrs *i = list; i && n < max; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
            continue;
        sys_iface_t *f = &out[n++];
        memset(f, 0, sizeof *f);
        snprintf(f->name, sizeof f->name, "%s", i->ifa_name);
        f->index = (int)if_nametoindex(i->ifa_name);
        f->addr_be = ((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr.s_addr;
        if (i->ifa_netmask && i->ifa_netmask->sa_family == AF_INET)
            f->mask_be =
                ((const struct sockaddr_in *)(const void *)i->ifa_netmask)->sin_addr.s_addr;
        if ((i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr &&
            i->ifa_broadaddr->sa_family == AF_INET)
            f->bcast_be =
                ((const struct sockaddr_in *)(const void *)i->ifa_broadaddr)->sin_addr.s_addr;
        f->up = (i->ifa_flags & IFF_UP) != 0;
        f->running = (i->ifa_flags & IFF_RUNNING) != 0;
        f->loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
    }
    freeifaddrs(list);
    return n;
}

/* ---- waiting ---- */

int sys_poll(sys_pollfd_t *fds, int n, int timeout_ms)
{
    int r = poll((struct pollfd *)(void *)fds, (nfds_t)n, timeout_ms);
    if (r < 0 && errno == EINTR)
        return 0; /* a signal: what it brought is seen by the next look */
    return r;
}
