/* sys_net_win32.c -- sys_net.h on Windows, beside the platform-free sys_net.c: Winsock 2
 * (WSAPoll, WSARecvMsg/WSASendMsg with IP_PKTINFO) and GetAdaptersAddresses; ws2_32 and
 * iphlpapi only */
#include "sys_net_addr.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <iphlpapi.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYS_POLL_STACK   64        /* sockets sys_poll converts without allocating */
#define SYS_ADAPTERS_CAP (1 << 20) /* bytes of adapter list GetAdaptersAddresses may take */

/* A socket travels as an int (sys_net.h): Winsock's handles are small numbers that fit, and
 * INVALID_SOCKET becomes -1 and back. */
static SOCKET sk(int s)
{
    return (SOCKET)(intptr_t)s;
}

static int sk_int(SOCKET s)
{
    return s == INVALID_SOCKET ? -1 : (int)s;
}

static INIT_ONCE sys_wsa_once = INIT_ONCE_STATIC_INIT;
static int sys_wsa_error; /* WSAStartup's result, set once */

static BOOL CALLBACK sys_wsa_start(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once, (void)param, (void)ctx;
    WSADATA data;
    sys_wsa_error = WSAStartup(MAKEWORD(2, 2), &data);
    return TRUE;
}

/* Winsock is started once, by the first call that needs it, and never stopped: the process
 * ends with it. Returns 0, or the error WSAStartup gave. */
static int sys_wsa(void)
{
    InitOnceExecuteOnce(&sys_wsa_once, sys_wsa_start, NULL, NULL);
    return sys_wsa_error;
}

/* Writes "what: reason" for the Winsock or Windows error code e (English where Windows has it,
 * with no line end: the text goes into one-line logs and messages). */
static void sys_net_fmt(char *err, size_t errlen, const char *what, int e)
{
    if (!err || !errlen)
        return;
    char text[256] = "";
    DWORD n =
        FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)e,
                       MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), text, sizeof text, NULL);
    if (n == 0)
        n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                           (DWORD)e, 0, text, sizeof text, NULL);
    while (n > 0 &&
           (text[n - 1] == '\r' || text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '.'))
        text[--n] = '\0';
    if (n == 0)
        snprintf(err, errlen, "%s: error %d", what, e);
    else
        snprintf(err, errlen, "%s: %s (%d)", what, text, e);
}

/* A socket of this process only: children started with inherited handles never hold it. */
static SOCKET sys_socket(int family, int type, int proto)
{
    if (sys_wsa() != 0) {
        WSASetLastError(WSANOTINITIALISED);
        return INVALID_SOCKET;
    }
    return WSASocketW(family, type, proto, NULL, 0,
                      WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
}

/* ---- for sys_net.c ---- */

int sys_net_start(char *err, size_t errlen)
{
    int e = sys_wsa();
    if (e == 0)
        return 0;
    sys_net_fmt(err, errlen, "cannot start Winsock", e);
    return -1;
}

void sys_net_fmt_resolve(char *err, size_t errlen, const char *host, int rc)
{
    char what[300];
    snprintf(what, sizeof what, "cannot resolve %s", host);
    sys_net_fmt(err, errlen, what, rc); /* getaddrinfo's codes are Winsock errors */
}

/* ---- TCP ---- */

static int sys_setopt(SOCKET s, int level, int name, int value, const char *what, char *err,
                      size_t errlen)
{
    if (setsockopt(s, level, name, (const char *)&value, sizeof value) == 0)
        return 0;
    sys_net_fmt(err, errlen, what, WSAGetLastError());
    return -1;
}

int sys_net_set_nonblock(int s, char *err, size_t errlen)
{
    u_long on = 1;
    if (ioctlsocket(sk(s), FIONBIO, &on) != 0) {
        sys_net_fmt(err, errlen, "FIONBIO", WSAGetLastError());
        return -1;
    }
    return 0;
}

int sys_tcp_listen(const sys_addr_t *a, int backlog, char *err, size_t errlen)
{
    SOCKET s = sys_socket(sys_addr_sa(a)->sa_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) {
        sys_net_fmt(err, errlen, "socket", WSAGetLastError());
        return -1;
    }
    /* Not SO_REUSEADDR: on Windows it lets a second program bind a port that one listens on
     * and take its connections. SO_EXCLUSIVEADDRUSE makes the second server fail instead, as
     * it does on Linux. The IPv6 listener takes IPv6 only, so that IPv4 has its own. */
    if (sys_setopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1, "SO_EXCLUSIVEADDRUSE", err, errlen) < 0 ||
        (sys_addr_is_ipv6(a) &&
         sys_setopt(s, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY", err, errlen) < 0) ||
        sys_net_set_nonblock(sk_int(s), err, errlen) < 0) {
        closesocket(s);
        return -1;
    }
    if (bind(s, sys_addr_sa(a), (int)a->len) != 0 || listen(s, backlog) != 0) {
        sys_net_fmt(err, errlen, "cannot listen", WSAGetLastError());
        closesocket(s);
        return -1;
    }
    return sk_int(s);
}

int sys_tcp_port_in_use(int port)
{
    SOCKET s = sys_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET)
        return -1;
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    int one = 1; /* as a listener does */
    setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof one);
    int r = 0;
    if (bind(s, (struct sockaddr *)&sin, sizeof sin) != 0) {
        int e = WSAGetLastError();
        r = e == WSAEADDRINUSE || e == WSAEACCES ? 1 : -1; /* EACCES: held exclusively */
    }
    closesocket(s);
    return r;
}

int sys_tcp_accept(int listener, sys_addr_t *peer, char *err, size_t errlen)
{
    SOCKADDR_STORAGE ss;
    for (;;) {
        int len = sizeof ss;
        SOCKET s = accept(sk(listener), (struct sockaddr *)&ss, &len);
        if (s != INVALID_SOCKET) {
            /* The accepted socket inherits non-blocking from the listener, but not the
             * listener's no-inherit flag. */
            SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
            if (sys_net_set_nonblock(sk_int(s), err, errlen) < 0) {
                closesocket(s);
                return SYS_NET_ERROR;
            }
            if (peer)
                sys_addr_from(peer, (struct sockaddr *)&ss, len);
            return sk_int(s);
        }
        int e = WSAGetLastError();
        if (e == WSAEINTR || e == WSAECONNRESET)
            continue; /* that one went away: the next may be there */
        sys_net_fmt(err, errlen, "accept", e);
        if (e == WSAEWOULDBLOCK)
            return SYS_NET_AGAIN;
        if (e == WSAEMFILE || e == WSAENOBUFS)
            return SYS_NET_FULL;
        return SYS_NET_ERROR;
    }
}

int sys_tcp_connect(const sys_addr_t *a, bool *pending, char *err, size_t errlen)
{
    *pending = false;
    SOCKET s = sys_socket(sys_addr_sa(a)->sa_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) {
        sys_net_fmt(err, errlen, "socket", WSAGetLastError());
        return -1;
    }
    if (sys_net_set_nonblock(sk_int(s), err, errlen) < 0 ||
        sys_tcp_nodelay(sk_int(s), err, errlen) < 0) {
        closesocket(s);
        return -1;
    }
    if (connect(s, sys_addr_sa(a), (int)a->len) == 0)
        return sk_int(s);
    int e = WSAGetLastError();
    if (e == WSAEWOULDBLOCK || e == WSAEINPROGRESS) {
        *pending = true;
        return sk_int(s);
    }
    sys_net_fmt(err, errlen, "connect", e);
    closesocket(s);
    return -1;
}

int sys_tcp_connect_result(int s, char *err, size_t errlen)
{
    int e = 0;
    int len = sizeof e;
    if (getsockopt(sk(s), SOL_SOCKET, SO_ERROR, (char *)&e, &len) != 0)
        e = WSAGetLastError();
    if (e == 0)
        return 0;
    sys_net_fmt(err, errlen, "connect", e);
    return -1;
}

/* select, not WSAPoll: WSAPoll before Windows 10 2004 never reports a refused connect. */
int sys_tcp_connect_done(int s, char *err, size_t errlen)
{
    fd_set w, x;
    FD_ZERO(&w);
    FD_ZERO(&x);
    FD_SET(sk(s), &w);
    FD_SET(sk(s), &x);
    struct timeval now = {0, 0};
    int r = select(0, NULL, &w, &x, &now);
    if (r == SOCKET_ERROR) {
        sys_net_fmt(err, errlen, "select", WSAGetLastError());
        return -1;
    }
    if (r == 0)
        return 0;
    if (FD_ISSET(sk(s), &x)) {
        if (sys_tcp_connect_result(s, err, errlen) == 0 && err && errlen)
            snprintf(err, errlen, "connect: failed");
        return -1;
    }
    return sys_tcp_connect_result(s, err, errlen) == 0 ? 1 : -1;
}

int sys_tcp_nodelay(int s, char *err, size_t errlen)
{
    return sys_setopt(sk(s), IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY", err, errlen);
}

int sys_net_set_sndbuf(int s, int bytes, char *err, size_t errlen)
{
    return sys_setopt(sk(s), SOL_SOCKET, SO_SNDBUF, bytes, "SO_SNDBUF", err, errlen);
}

/* What a failed send or receive means, from its Winsock error. */
static long sys_io_result(int e, const char *what, char *err, size_t errlen)
{
    sys_net_fmt(err, errlen, what, e);
    if (e == WSAEWOULDBLOCK)
        return SYS_NET_AGAIN;
    if (e == WSAECONNRESET || e == WSAECONNABORTED || e == WSAENOTCONN || e == WSAESHUTDOWN ||
        e == WSAETIMEDOUT || e == WSAENETRESET)
        return SYS_NET_CLOSED;
    return SYS_NET_ERROR;
}

/* One call moves at most this much: Winsock counts in int. */
static int sys_io_len(size_t len)
{
    return len > INT_MAX ? INT_MAX : (int)len;
}

long sys_net_send(int s, const void *buf, size_t len, char *err, size_t errlen)
{
    if (len == 0)
        return 0;
    /* No SIGPIPE on Windows: a closed peer is an error code. */
    int n = send(sk(s), (const char *)buf, sys_io_len(len), 0);
    if (n != SOCKET_ERROR)
        return (long)n;
    return sys_io_result(WSAGetLastError(), "send", err, errlen);
}

long sys_net_recv(int s, void *buf, size_t cap, char *err, size_t errlen)
{
    int n = recv(sk(s), (char *)buf, sys_io_len(cap), 0);
    if (n > 0)
        return (long)n;
    if (n == 0) {
        if (err && errlen)
            snprintf(err, errlen, "the connection was closed");
        return SYS_NET_CLOSED;
    }
    /* A reset is an error here: the peer did not end the stream. */
    return sys_io_result(WSAGetLastError(), "recv", err, errlen) == SYS_NET_AGAIN ? SYS_NET_AGAIN
                                                                                  : SYS_NET_ERROR;
}

int sys_net_local_addr(int s, sys_addr_t *out)
{
    SOCKADDR_STORAGE ss;
    int len = sizeof ss;
    if (getsockname(sk(s), (struct sockaddr *)&ss, &len) != 0)
        return -1;
    sys_addr_from(out, (struct sockaddr *)&ss, len);
    return 0;
}

int sys_net_peer_addr(int s, sys_addr_t *out)
{
    SOCKADDR_STORAGE ss;
    int len = sizeof ss;
    if (getpeername(sk(s), (struct sockaddr *)&ss, &len) != 0)
        return -1;
    sys_addr_from(out, (struct sockaddr *)&ss, len);
    return 0;
}

void sys_net_shutdown_write(int s)
{
    shutdown(sk(s), SD_SEND);
}

void sys_net_close(int s)
{
    if (s >= 0)
        closesocket(sk(s));
}

/* ---- UDP ---- */

int sys_udp_open(const sys_addr_t *a, unsigned flags, char *err, size_t errlen)
{
    SOCKET s = sys_socket(sys_addr_sa(a)->sa_family, SOCK_DGRAM, IPPROTO_UDP);
    if (s == INVALID_SOCKET) {
        sys_net_fmt(err, errlen, "UDP socket", WSAGetLastError());
        return -1;
    }
    /* SO_REUSEADDR on a UDP port: every server on this PC binds the shared discovery port,
     * and each receives the broadcast probes (a unicast probe reaches one of them). */
    if (sys_net_set_nonblock(sk_int(s), err, errlen) < 0 ||
        ((flags & SYS_UDP_REUSEADDR) &&
         sys_setopt(s, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR", err, errlen) < 0) ||
        ((flags & SYS_UDP_BROADCAST) &&
         sys_setopt(s, SOL_SOCKET, SO_BROADCAST, 1, "SO_BROADCAST", err, errlen) < 0) ||
        ((flags & SYS_UDP_PKTINFO) &&
         sys_setopt(s, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO", err, errlen) < 0)) {
        closesocket(s);
        return -1;
    }
    if (bind(s, sys_addr_sa(a), (int)a->len) != 0) {
        char what[48];
        snprintf(what, sizeof what, "cannot bind UDP port %d", sys_addr_port(a));
        sys_net_fmt(err, errlen, what, WSAGetLastError());
        closesocket(s);
        return -1;
    }
    return sk_int(s);
}

/* Winsock's message calls are extensions, found through the socket once per process. */
static LPFN_WSARECVMSG sys_recvmsg_fn;
static INIT_ONCE sys_recvmsg_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK sys_find_recvmsg(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once, (void)ctx;
    GUID id = WSAID_WSARECVMSG;
    DWORD got = 0;
    if (WSAIoctl(*(SOCKET *)param, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id,
                 &sys_recvmsg_fn, sizeof sys_recvmsg_fn, &got, NULL, NULL) != 0)
        sys_recvmsg_fn = NULL;
    return TRUE;
}

/* The local address that answers a datagram which arrived for dest on interface ifindex: dest
 * itself, unless it is a broadcast address (Windows reports the packet's destination, where
 * Linux reports the interface's address), then the interface's first IPv4 address. */
static uint32_t sys_reply_addr(uint32_t dest_be, int ifindex)
{
    sys_iface_t ifs[32];
    int n = sys_net_interfaces(ifs, 32);
    for (int i = 0; i < n; i++)
        if (ifs[i].addr_be == dest_be)
            return dest_be;
    for (int i = 0; i < n; i++)
        if (ifs[i].index == ifindex)
            return ifs[i].addr_be;
    return 0;
}

long sys_udp_recv(int s, void *buf, size_t cap, sys_addr_t *from, sys_udp_meta_t *meta, char *err,
                  size_t errlen)
{
    SOCKET so = sk(s);
    InitOnceExecuteOnce(&sys_recvmsg_once, sys_find_recvmsg, &so, NULL);
    SOCKADDR_STORAGE ss;
    char control[WSA_CMSG_SPACE(sizeof(IN_PKTINFO)) + 64];
    WSABUF data = {.len = (ULONG)sys_io_len(cap), .buf = (char *)buf};
    WSAMSG mh = {.name = (LPSOCKADDR)&ss,
                 .namelen = sizeof ss,
                 .lpBuffers = &data,
                 .dwBufferCount = 1,
                 .Control = {.len = sizeof control, .buf = control},
                 .dwFlags = 0};
    DWORD got = 0;
    bool truncated = false;
    int rc;
    if (sys_recvmsg_fn) {
        rc = sys_recvmsg_fn(so, &mh, &got, NULL, NULL);
    } else { /* no WSARecvMsg: the datagram without where it arrived */
        int len = sizeof ss;
        int n = recvfrom(so, (char *)buf, sys_io_len(cap), 0, (struct sockaddr *)&ss, &len);
        rc = n == SOCKET_ERROR ? SOCKET_ERROR : 0;
        got = n == SOCKET_ERROR ? 0 : (DWORD)n;
        mh.namelen = len;
        mh.Control.len = 0;
    }
    if (rc == SOCKET_ERROR) {
        int e = WSAGetLastError();
        if (e != WSAEMSGSIZE) /* too long for buf: what fitted is there, the rest is lost */
            return sys_io_result(e, "WSARecvMsg", err, errlen) == SYS_NET_AGAIN ? SYS_NET_AGAIN
                                                                                : SYS_NET_ERROR;
        truncated = true;
        got = (DWORD)cap;
    }
    if (from)
        sys_addr_from(from, (struct sockaddr *)&ss, mh.namelen);
    if (meta) {
        memset(meta, 0, sizeof *meta);
        /* Windows does not tell a cut datagram's real length (longer than cap is all we know),
         * nor when it arrived (SYS_UDP_TIMESTAMP: arrived_us stays 0). */
        meta->truncated = truncated || (mh.dwFlags & MSG_TRUNC);
        meta->length = meta->truncated ? cap + 1 : got;
        for (WSACMSGHDR *c = mh.Control.len ? WSA_CMSG_FIRSTHDR(&mh) : NULL; c;
             c = WSA_CMSG_NXTHDR(&mh, c)) {
            if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO)
                continue;
            IN_PKTINFO pi;
            memcpy(&pi, WSA_CMSG_DATA(c), sizeof pi);
            meta->ifindex = (int)pi.ipi_ifindex;
            meta->dest_be = sys_reply_addr(pi.ipi_addr.s_addr, meta->ifindex);
            meta->has_dest = meta->dest_be != 0;
        }
    }
    return (long)got;
}

long sys_udp_send(int s, const void *buf, size_t len, const sys_addr_t *to, uint32_t from_be,
                  char *err, size_t errlen)
{
    SOCKET so = sk(s);
    if (from_be != 0) {
        char control[WSA_CMSG_SPACE(sizeof(IN_PKTINFO))];
        memset(control, 0, sizeof control);
        WSABUF data = {.len = (ULONG)sys_io_len(len), .buf = (char *)buf};
        WSAMSG mh = {.name = (LPSOCKADDR)(void *)to->u.raw,
                     .namelen = (INT)to->len,
                     .lpBuffers = &data,
                     .dwBufferCount = 1,
                     .Control = {.len = sizeof control, .buf = control}};
        WSACMSGHDR *c = WSA_CMSG_FIRSTHDR(&mh);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
        IN_PKTINFO pi = {.ipi_ifindex = 0};
        pi.ipi_addr.s_addr = from_be;
        memcpy(WSA_CMSG_DATA(c), &pi, sizeof pi);
        DWORD sent = 0;
        if (WSASendMsg(so, &mh, 0, &sent, NULL, NULL) == 0)
            return (long)sent;
        if (WSAGetLastError() == WSAEWOULDBLOCK)
            return SYS_NET_AGAIN;
        /* A stack that refuses the source address: send from where routing says. */
    }
    int n = sendto(so, (const char *)buf, sys_io_len(len), 0, sys_addr_sa(to), (int)to->len);
    if (n != SOCKET_ERROR)
        return (long)n;
    return sys_io_result(WSAGetLastError(), "sendto", err, errlen) == SYS_NET_AGAIN ? SYS_NET_AGAIN
                                                                                    : SYS_NET_ERROR;
}

/* ---- interfaces ---- */

/* One adapter's IPv4 addresses into out (from *n up to max). */
static void sys_adapter_addrs(const IP_ADAPTER_ADDRESSES *ad, sys_iface_t *out, int *n, int max)
{
    for (const IP_ADAPTER_UNICAST_ADDRESS *u = ad->FirstUnicastAddress; u && *n < max;
         u = u->Next) {
        const struct sockaddr *sa = u->Address.lpSockaddr;
        if (!sa || sa->sa_family != AF_INET)
            continue;
        sys_iface_t *f = &out[(*n)++];
        memset(f, 0, sizeof *f);
        if (!ad->FriendlyName || !WideCharToMultiByte(CP_UTF8, 0, ad->FriendlyName, -1, f->name,
                                                      sizeof f->name, NULL, NULL))
            snprintf(f->name, sizeof f->name, "%.*s", (int)sizeof f->name - 1,
                     ad->AdapterName ? ad->AdapterName : "?");
        f->index = (int)ad->IfIndex;
        f->addr_be = ((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr;
        unsigned prefix = u->OnLinkPrefixLength <= 32 ? u->OnLinkPrefixLength : 32;
        uint32_t mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
        f->mask_be = htonl(mask);
        f->loopback = ad->IfType == IF_TYPE_SOFTWARE_LOOPBACK;
        f->up = ad->OperStatus == IfOperStatusUp;
        if (prefix < 31) /* a /31 or /32 has no broadcast address */
            f->bcast_be = f->addr_be | ~f->mask_be;
    }
}

int sys_net_interfaces(sys_iface_t *out, int max)
{
    ULONG flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
    ULONG size = 16 * 1024;
    IP_ADAPTER_ADDRESSES *list = NULL;
    ULONG rc = ERROR_BUFFER_OVERFLOW;
    while (rc == ERROR_BUFFER_OVERFLOW && size <= SYS_ADAPTERS_CAP) {
        free(list);
        if (!(list = malloc(size)))
            return 0;
        rc = GetAdaptersAddresses(AF_INET, flags, NULL, list, &size);
    }
    int n = 0;
    if (rc == NO_ERROR)
        for (const IP_ADAPTER_ADDRESSES *ad = list; ad && n < max; ad = ad->Next)
            sys_adapter_addrs(ad, out, &n, max);
    free(list);
    return n;
}

/* ---- waiting ---- */

int sys_poll(sys_pollfd_t *fds, int n, int timeout_ms)
{
    WSAPOLLFD stack[SYS_POLL_STACK];
    int map[SYS_POLL_STACK]; /* which of fds each entry of w is */
    WSAPOLLFD *w = stack;
    int *from = map;
    if (n > SYS_POLL_STACK) {
        w = malloc((size_t)n * sizeof *w);
        from = malloc((size_t)n * sizeof *from);
        if (!w || !from) {
            free(w);
            free(from);
            return -1;
        }
    }
    /* Only open sockets go to WSAPoll (it fails on a set without one, where poll would wait). */
    int k = 0;
    for (int i = 0; i < n; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;
        w[k].fd = sk(fds[i].fd);
        w[k].events = (SHORT)(((fds[i].events & SYS_POLL_IN) ? POLLRDNORM : 0) |
                              ((fds[i].events & SYS_POLL_OUT) ? POLLWRNORM : 0));
        w[k].revents = 0;
        from[k++] = i;
    }
    int r;
    if (k == 0) {
        Sleep(timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms);
        r = 0;
    } else {
        r = WSAPoll(w, (ULONG)k, timeout_ms);
    }
    for (int j = 0; r > 0 && j < k; j++) {
        SHORT re = w[j].revents;
        short out = 0;
        if (re & (POLLRDNORM | POLLRDBAND))
            out |= SYS_POLL_IN;
        if (re & POLLWRNORM)
            out |= SYS_POLL_OUT;
        if (re & POLLERR)
            out |= SYS_POLL_ERR;
        if (re & POLLHUP)
            out |= SYS_POLL_HUP;
        if (re & POLLNVAL)
            out |= SYS_POLL_NVAL;
        fds[from[j]].revents = out;
    }
    if (w != stack)
        free(w);
    if (from != map)
        free(from);
    return r == SOCKET_ERROR ? -1 : r;
}
