/* sys_net.h -- the platform seam for sockets: TCP listen/accept/connect, UDP datagrams,
 * addresses, the IPv4 interfaces and their broadcast addresses, and poll. Nothing outside the
 * seam's files calls the OS for these: sys_net.c holds what every platform shares (resolving,
 * the address helpers), and a platform is one sys_net_<platform>.c (posix, win32). Every socket
 * is non-blocking and close-on-exec. Depends on the C library only. */
#ifndef NINE43_SYS_NET_H
#define NINE43_SYS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A socket is an int (a descriptor; the Windows file maps its SOCKET handles, which fit). What
 * send, recv and accept return when they move no bytes: */
#define SYS_NET_AGAIN  (-1) /* would block: wait for the socket to be ready */
#define SYS_NET_CLOSED (-2) /* the peer closed or reset the connection */
#define SYS_NET_ERROR  (-3) /* anything else (the text says what) */
#define SYS_NET_FULL   (-4) /* accept: out of descriptors or memory: back off before retrying */

#define SYS_ADDR_TEXT  64 /* "[ffff:...:ffff]:65535" and its NUL */
#define SYS_IFACE_NAME 32 /* bytes of an interface's name */

/* An IPv4 or IPv6 address with its port, kept opaque so that no caller needs the OS's headers. */
typedef struct sys_addr {
    union {
        uint64_t align;
        unsigned char raw[128];
    } u;
    unsigned len; /* 0 = none */
} sys_addr_t;

/* ---- addresses ---- */

/* Resolves host (a name or a numeric address; NULL or "" = every local address, for listening)
 * with port. Up to max results, IPv4 and IPv6 only. Returns how many (>= 1), or -1 with the
 * reason in err. */
int sys_addr_resolve(const char *host, int port, bool passive, sys_addr_t *out, int max, char *err,
                     size_t errlen);

/* The wildcard address of IPv4 (ipv6 false) or IPv6 with port. */
void sys_addr_any(sys_addr_t *a, bool ipv6, int port);

/* An IPv4 address (network byte order) with port. */
void sys_addr_ipv4(sys_addr_t *a, uint32_t ip_be, int port);

/* The IPv4 address (network order) and port of a; false when a is not IPv4. */
bool sys_addr_get_ipv4(const sys_addr_t *a, uint32_t *ip_be, int *port);

int sys_addr_port(const sys_addr_t *a);
void sys_addr_set_port(sys_addr_t *a, int port);
bool sys_addr_is_ipv6(const sys_addr_t *a);

/* "1.2.3.4:5" or "[::1]:5"; with_port false gives the host alone ("1.2.3.4", "::1"). */
void sys_addr_format(const sys_addr_t *a, bool with_port, char *out, size_t cap);

/* Parses a dotted IPv4 address into network order. Returns 0, or -1. */
int sys_ipv4_parse(const char *text, uint32_t *ip_be);

/* An IPv4 address from host order to network order, and back. */
uint32_t sys_ipv4_be(uint32_t ip_host);
uint32_t sys_ipv4_host(uint32_t ip_be);

/* Formats an IPv4 address given in network order ("192.168.1.20"). */
void sys_ipv4_format(uint32_t ip_be, char *out, size_t cap);

/* ---- TCP ---- */

/* A listener on a (SO_REUSEADDR; an IPv6 one takes IPv6 only, so that IPv4 can share the port).
 * Returns the socket, or -1 with the reason in err. */
int sys_tcp_listen(const sys_addr_t *a, int backlog, char *err, size_t errlen);

/* Takes one connection: returns its socket (non-blocking) with the peer in *peer (may be NULL),
 * or SYS_NET_AGAIN (none waiting, or one that went away before it was taken), SYS_NET_FULL or
 * SYS_NET_ERROR, with the reason in err. */
int sys_tcp_accept(int listener, sys_addr_t *peer, char *err, size_t errlen);

/* Starts a connection to a (TCP_NODELAY set). Returns the socket, with *pending true when the
 * connection is still being made (sys_tcp_connect_result says how it went once writable), or -1
 * with the reason in err. */
int sys_tcp_connect(const sys_addr_t *a, bool *pending, char *err, size_t errlen);

/* Once a pending connect's socket is writable: 0 when connected, or -1 with the reason in err. */
int sys_tcp_connect_result(int s, char *err, size_t errlen);

/* Whether a pending connect has finished, without waiting (for a caller that does not wait on
 * sockets, such as the game's frame): 1 connected, 0 still being made, or -1 failed with the
 * reason in err. */
int sys_tcp_connect_done(int s, char *err, size_t errlen);

/* Whether TCP port is held by a socket on this machine (what binding the IPv4 wildcard meets):
 * 1 in use, 0 free, -1 unknown (another error). */
int sys_tcp_port_in_use(int port);

/* Options; each returns 0, or -1 with the reason in err. */
int sys_tcp_nodelay(int s, char *err, size_t errlen);
int sys_net_set_sndbuf(int s, int bytes, char *err, size_t errlen);
int sys_net_set_nonblock(int s, char *err, size_t errlen);

/* Sends what the socket takes now (never raises SIGPIPE). Returns the bytes sent (0 < n <= len,
 * or 0 when len is 0), or SYS_NET_AGAIN, SYS_NET_CLOSED (the peer reset or closed it) or
 * SYS_NET_ERROR, with the reason in err (err may be NULL). */
long sys_net_send(int s, const void *buf, size_t len, char *err, size_t errlen);

/* Receives what is there. Returns the bytes read (> 0), SYS_NET_CLOSED at the end of the
 * stream, SYS_NET_AGAIN, or SYS_NET_ERROR (a reset too; reason in err, which may be NULL). */
long sys_net_recv(int s, void *buf, size_t cap, char *err, size_t errlen);

/* The socket's own address, or the peer's. Return 0, or -1. */
int sys_net_local_addr(int s, sys_addr_t *out);
int sys_net_peer_addr(int s, sys_addr_t *out);

/* No more sending: the peer reads the end of the stream after what was sent. */
void sys_net_shutdown_write(int s);

void sys_net_close(int s);

/* ---- UDP ---- */

#define SYS_UDP_REUSEADDR 1 /* SO_REUSEADDR: share the port with another program */
#define SYS_UDP_BROADCAST 2 /* SO_BROADCAST: may send to broadcast addresses */
#define SYS_UDP_PKTINFO   4 /* sys_udp_recv reports where each datagram arrived (required) */
#define SYS_UDP_TIMESTAMP 8 /* sys_udp_recv reports when each datagram arrived (if the OS can) */

/* A datagram socket bound to a (port 0: any). Returns it, or -1 with the reason in err. */
int sys_udp_open(const sys_addr_t *a, unsigned flags, char *err, size_t errlen);

/* Where a datagram arrived (with SYS_UDP_PKTINFO), and its real length. */
typedef struct sys_udp_meta {
    size_t length;      /* the datagram's whole length, even when it did not fit */
    bool truncated;     /* it did not fit in the buffer */
    bool has_dest;      /* the two below are known */
    int ifindex;        /* the interface it arrived on */
    uint32_t dest_be;   /* the local address an answer should come from (network order) */
    int64_t arrived_us; /* with SYS_UDP_TIMESTAMP: the arrival on sys_wall_us's clock, else 0 */
} sys_udp_meta_t;

/* Receives one datagram. Returns the bytes stored (>= 0), SYS_NET_AGAIN when none is waiting,
 * or SYS_NET_ERROR (reason in err, may be NULL). meta may be NULL. */
long sys_udp_recv(int s, void *buf, size_t cap, sys_addr_t *from, sys_udp_meta_t *meta, char *err,
                  size_t errlen);

/* Sends one datagram to to, from the local IPv4 address from_be when it is non-zero (a socket
 * bound to the wildcard answers from the address a probe reached). Returns the bytes sent, or
 * SYS_NET_AGAIN / SYS_NET_ERROR. */
long sys_udp_send(int s, const void *buf, size_t len, const sys_addr_t *to, uint32_t from_be,
                  char *err, size_t errlen);

/* ---- interfaces ---- */

typedef struct sys_iface {
    char name[SYS_IFACE_NAME];
    int index;         /* the OS's interface index, 0 when unknown */
    uint32_t addr_be;  /* IPv4 address, network order */
    uint32_t mask_be;  /* its netmask */
    uint32_t bcast_be; /* its broadcast address (0 = none) */
    bool up, running, loopback;
} sys_iface_t;

/* The IPv4 addresses of this machine's interfaces, up to max. Returns how many (0 when the
 * list cannot be read). */
int sys_net_interfaces(sys_iface_t *out, int max);

/* ---- waiting ---- */

#define SYS_POLL_IN   0x001 /* readable (or a connection to accept) */
#define SYS_POLL_OUT  0x004 /* writable (or a connect finished) */
#define SYS_POLL_ERR  0x008 /* revents only */
#define SYS_POLL_HUP  0x010 /* revents only */
#define SYS_POLL_NVAL 0x020 /* revents only: not an open socket */

/* One socket (or descriptor) to watch: laid out as the platform's own poll entry. */
typedef struct sys_pollfd {
    int fd;
    short events;
    short revents;
} sys_pollfd_t;

/* Waits up to timeout_ms (-1 = no limit, 0 = just look) for any of fds. Returns how many have
 * revents, 0 on time-out or when a signal ended the wait, -1 on error. */
int sys_poll(sys_pollfd_t *fds, int n, int timeout_ms);

#endif
