/* lan_udp.c -- the LAN browser's datagram socket for nine43-bot and the tests, on the seam's UDP
 * (common/sys_net.h): non-blocking, broadcast, an ephemeral port, the kernel's arrival stamps for
 * the ping where the system has them */
#include "lan_udp.h"

#include <stdio.h>
#include <stdlib.h>

#include "sys_net.h"

typedef struct lan_udp {
    int fd;
} lan_udp_t;

static void lan_udp_close(void *io)
{
    lan_udp_t *u = io;
    sys_net_close(u->fd);
    free(u);
}

static void *lan_udp_open(char *err, size_t errlen)
{
    lan_udp_t *u = malloc(sizeof *u);
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sys_addr_t any;
    sys_addr_any(&any, false, 0);
    char why[160];
    u->fd = sys_udp_open(&any, SYS_UDP_BROADCAST | SYS_UDP_TIMESTAMP, why, sizeof why);
    if (u->fd < 0) {
        snprintf(err, errlen, "discovery socket: %s", why);
        free(u);
        return NULL;
    }
    return u;
}

static int lan_udp_send(void *io, uint32_t addr, int port, const void *data, size_t len, char *why,
                        size_t whylen)
{
    lan_udp_t *u = io;
    sys_addr_t to;
    sys_addr_ipv4(&to, sys_ipv4_be(addr), port);
    return sys_udp_send(u->fd, data, len, &to, 0, why, whylen) >= 0 ? 0 : -1;
}

static long lan_udp_recv(void *io, void *buf, size_t cap, uint32_t *from, int64_t *arrived_us)
{
    lan_udp_t *u = io;
    for (;;) {
        sys_addr_t sa;
        sys_udp_meta_t meta;
        long n = sys_udp_recv(u->fd, buf, cap, &sa, &meta, NULL, 0);
        if (n == SYS_NET_AGAIN)
            return 0;
        if (n < 0)
            return -1;
        uint32_t ip_be;
        if (n == 0 || !sys_addr_get_ipv4(&sa, &ip_be, NULL))
            continue; /* nothing to take */
        *from = sys_ipv4_host(ip_be);
        *arrived_us = meta.arrived_us;
        return (long)meta.length; /* the whole length, more than cap when cut */
    }
}

static int lan_udp_local_port(const void *io)
{
    const lan_udp_t *u = io;
    sys_addr_t sa;
    return sys_net_local_addr(u->fd, &sa) == 0 ? sys_addr_port(&sa) : 0;
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
