/* lan_udp.c -- the LAN browser's datagram socket on POSIX sockets: non-blocking, broadcast,
 * an ephemeral port, the kernel's arrival stamps (SO_TIMESTAMP) for the ping */
#include "lan_udp.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

typedef struct lan_udp {
    int fd;
} lan_udp_t;

static void lan_udp_close(void *io)
{
    lan_udp_t *u = io;
    if (u->fd >= 0)
        close(u->fd);
    free(u);
}

static void *lan_udp_open(char *err, size_t errlen)
{
    lan_udp_t *u = malloc(sizeof *u);
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    u->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (u->fd < 0) {
        snprintf(err, errlen, "discovery socket: %s", strerror(errno));
        lan_udp_close(u);
        return NULL;
    }
    int one = 1;
    /* Arrival stamps for the ping; without them the ping includes the wait for a read. */
    (void)setsockopt(u->fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof one);
    if (setsockopt(u->fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) < 0) {
        snprintf(err, errlen, "discovery socket: SO_BROADCAST: %s", strerror(errno));
        lan_udp_close(u);
        return NULL;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(u->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        snprintf(err, errlen, "discovery socket: bind: %s", strerror(errno));
        lan_udp_close(u);
        return NULL;
    }
    return u;
}

static int lan_udp_send(void *io, uint32_t addr, int port, const void *data, size_t len, char *why,
                        size_t whylen)
{
    lan_udp_t *u = io;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(addr);
    ssize_t n;
    do
        n = sendto(u->fd, data, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, sizeof sa);
    while (n < 0 && errno == EINTR);
    if (n >= 0)
        return 0;
    snprintf(why, whylen, "%s", strerror(errno));
    return -1;
}

/* The kernel's arrival stamp in mh, or 0. */
static int64_t lan_udp_stamp(struct msghdr *mh)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP) {
            struct timeval tv;
            memcpy(&tv, CMSG_DATA(c), sizeof tv);
            return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
        }
    return 0;
}

static long lan_udp_recv(void *io, void *buf, size_t cap, uint32_t *from, int64_t *arrived_us)
{
    lan_udp_t *u = io;
    for (;;) {
        struct sockaddr_in sa;
        union {
            char buf[CMSG_SPACE(sizeof(struct timeval))];
            struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = buf, .iov_len = cap};
        struct msghdr mh = {.msg_name = &sa,
                            .msg_namelen = sizeof sa,
                            .msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof control.buf};
        ssize_t n = recvmsg(u->fd, &mh, MSG_TRUNC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        if (n == 0 || mh.msg_namelen < sizeof sa || sa.sin_family != AF_INET)
            continue; /* nothing to take */
        *from = ntohl(sa.sin_addr.s_addr);
        *arrived_us = lan_udp_stamp(&mh);
        return (long)n; /* MSG_TRUNC: the whole length, more than cap when cut */
    }
}

static int lan_udp_local_port(const void *io)
{
    const lan_udp_t *u = io;
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    if (getsockname(u->fd, (struct sockaddr *)&sa, &len) != 0)
        return 0;
    return ntohs(sa.sin_port);
}

const lan_io_ops_t lan_udp_ops = {
    .open = lan_udp_open,
    .send = lan_udp_send,
    .recv = lan_udp_recv,
    .local_port = lan_udp_local_port,
    .close = lan_udp_close,
};

int lan_udp_fd(const lan_browser_t *b)
{
    const lan_udp_t *u = lan_browser_io(b);
    return u->fd;
}
