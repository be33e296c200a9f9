/* discovery.c -- LAN discovery, server side: one UDP socket, probes answered by unicast within
 * token-bucket rate limits; depends on common/proto, common/bucket, common/utf8 and POSIX sockets
 */
#include "discovery.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bucket.h"
#include "proto.h"
#include "utf8.h"

typedef struct sender {
    bool used;
    uint32_t addr; /* IPv4, network order */
    bucket_t bucket;
} sender_t;

struct discovery {
    int fd;
    int port;
    int game_port;             /* the TCP port answers announce (the UDP port unless set) */
    int only_ifindex;          /* answer only probes arriving here (0: any interface) */
    struct in_addr reply_from; /* source of answers when bound to one address */
    char id[DISCOVERY_ID_BYTES * 2 + 1];
    bucket_t total;
    sender_t senders[DISCOVERY_MAX_SENDERS];
    discovery_stats_t stats;
    msg_t msg; /* decoding scratch: a msg_t is large, keep it off the stack */
};

/* The sender's slot, created when absent. A full table gives up the slot heard from least
 * recently: its bucket has refilled the longest, so forgetting it costs the least. */
static sender_t *sender_slot(discovery_t *d, uint32_t addr, int64_t now_ms)
{
    sender_t *free_slot = NULL, *oldest = NULL;
    for (int i = 0; i < DISCOVERY_MAX_SENDERS; i++) {
        sender_t *s = &d->senders[i];
        if (s->used && s->addr == addr)
            return s;
        if (!s->used) {
            if (!free_slot)
                free_slot = s;
        } else if (!oldest || s->bucket.last_ms < oldest->bucket.last_ms) {
            oldest = s;
        }
    }
    sender_t *s = free_slot ? free_slot : oldest;
    s->used = true;
    s->addr = addr;
    bucket_start_full(&s->bucket, now_ms, DISCOVERY_SENDER_BURST);
    return s;
}

static bool is_any_address(const char *a)
{
    return !a || !*a || strcmp(a, "0.0.0.0") == 0 || strcmp(a, "::") == 0 || strcmp(a, "*") == 0;
}

/* Index of the interface that holds addr, or 0. The loopback interface holds its whole network
 * (127.0.0.2 is as local as 127.0.0.1, though only the latter is listed). */
static int interface_holding(struct in_addr addr)
{
    struct ifaddrs *list;
    if (getifaddrs(&list) < 0)
        return 0;
    int exact = 0, loopback_net = 0;
    for (struct ifaddrs *i = list; i && !exact; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
            continue;
        const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)i->ifa_addr;
        if (sin->sin_addr.s_addr == addr.s_addr) {
            exact = (int)if_nametoindex(i->ifa_name);
        } else if ((i->ifa_flags & IFF_LOOPBACK) && i->ifa_netmask) {
            uint32_t mask =
                ((const struct sockaddr_in *)(const void *)i->ifa_netmask)->sin_addr.s_addr;
            if ((sin->sin_addr.s_addr & mask) == (addr.s_addr & mask))
                loopback_net = (int)if_nametoindex(i->ifa_name);
        }
    }
    freeifaddrs(list);
    return exact ? exact : loopback_net;
}

discovery_t *discovery_open(const char *bind_addr, int port, char *err, size_t errlen)
{
    if (port < 0 || port > 65535) {
        snprintf(err, errlen, "bad UDP port %d", port);
        return NULL;
    }
    discovery_t *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->fd = -1;
    d->port = port;
    if (!is_any_address(bind_addr)) {
        if (inet_pton(AF_INET, bind_addr, &d->reply_from) != 1) {
            snprintf(err, errlen,
                     "LAN discovery needs IPv4; --bind %s is not an IPv4 address (use "
                     "--no-discovery, or bind 0.0.0.0)",
                     bind_addr);
            goto fail;
        }
        d->only_ifindex = interface_holding(d->reply_from);
        if (!d->only_ifindex) {
            snprintf(err, errlen, "no network interface holds %s", bind_addr);
            goto fail;
        }
    }
    unsigned char raw[DISCOVERY_ID_BYTES];
    if (getentropy(raw, sizeof raw) < 0) {
        snprintf(err, errlen, "no random source: %s", strerror(errno));
        goto fail;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(d->id + 2 * i, 3, "%02x", raw[i]);

    d->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (d->fd < 0) {
        snprintf(err, errlen, "UDP socket: %s", strerror(errno));
        goto fail;
    }
    int one = 1;
    setsockopt(d->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (setsockopt(d->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) < 0 && d->only_ifindex) {
        snprintf(err, errlen, "IP_PKTINFO: %s", strerror(errno));
        goto fail;
    }
    /* 0.0.0.0 whatever --bind says: a socket bound to one address never sees broadcasts. */
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(d->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        snprintf(err, errlen, "cannot bind UDP port %d: %s", port, strerror(errno));
        goto fail;
    }
    socklen_t salen = sizeof sa;
    if (port == 0 && getsockname(d->fd, (struct sockaddr *)&sa, &salen) == 0)
        d->port = ntohs(sa.sin_port);
    bucket_start_full(&d->total, 0, DISCOVERY_TOTAL_BURST);
    d->total.last_ms = INT64_MIN; /* the first call starts the clock */
    return d;
fail:
    discovery_close(d);
    return NULL;
}

void discovery_close(discovery_t *d)
{
    if (!d)
        return;
    if (d->fd >= 0)
        close(d->fd);
    free(d);
}

int discovery_fd(const discovery_t *d)
{
    return d->fd;
}

int discovery_port(const discovery_t *d)
{
    return d->port;
}

void discovery_answer_for(discovery_t *d, const discovery_t *primary)
{
    d->game_port = primary->game_port ? primary->game_port : primary->port;
    memcpy(d->id, primary->id, sizeof d->id);
}

const char *discovery_id(const discovery_t *d)
{
    return d->id;
}

const discovery_stats_t *discovery_stats(const discovery_t *d)
{
    return &d->stats;
}

int discovery_sender_count(const discovery_t *d)
{
    int n = 0;
    for (int i = 0; i < DISCOVERY_MAX_SENDERS; i++)
        n += d->senders[i].used;
    return n;
}

/* Copies name into dst (cap bytes) cut to PROTO_MAX_SERVER_NAME bytes, control characters
 * dropped, never splitting a character. */
static void copy_name(char *dst, size_t cap, const char *name)
{
    size_t limit = cap - 1 < PROTO_MAX_SERVER_NAME ? cap - 1 : PROTO_MAX_SERVER_NAME;
    size_t len = strlen(name);
    size_t ok = utf8_check(name, len); /* only the well-formed prefix */
    size_t n = utf8_sanitize(dst, cap, name, ok, (size_t)-1);
    while (n > limit) {
        /* Step back to the start of a character. */
        do
            n--;
        while (n > 0 && ((unsigned char)dst[n] & 0xC0) == 0x80);
    }
    dst[n] = '\0';
}

/* Encodes the answer to one probe. Returns its length or -1. */
static int encode_answer(discovery_t *d, const char *token, const discovery_info_t *info, char *buf,
                         size_t cap)
{
    msg_t *m = &d->msg;
    proto_init(m, MSG_SERVER_INFO);
    msg_server_info_t *s = &m->u.server_info;
    snprintf(s->token, sizeof s->token, "%s", token);
    copy_name(s->name, sizeof s->name, info->name ? info->name : "");
    if (!s->name[0])
        discovery_default_name(s->name, sizeof s->name);
    s->port = d->game_port ? d->game_port : d->port;
    s->version = PROTO_VERSION;
    snprintf(s->id, sizeof s->id, "%s", d->id);
    s->players = info->players < 0 ? 0 : info->players;
    s->lobby = info->lobby < 0 ? 0 : info->lobby;
    s->group_size = info->group_size;
    s->worlds = info->worlds < 0 ? 0 : info->worlds;
    return proto_encode(m, buf, cap);
}

/* Decides whether the probe in buf deserves an answer; fills token. */
static bool valid_probe(discovery_t *d, const char *buf, size_t len, char *token, size_t cap)
{
    char why[128];
    if (proto_decode(buf, len, PROTO_TO_SERVER, &d->msg, why, sizeof why) != PROTO_OK)
        return false;
    if (d->msg.type != MSG_DISCOVER)
        return false;
    /* Any version from 1 up is answered, with ours: a client of another version can then say
     * why it cannot join, instead of finding nothing. */
    if (d->msg.u.discover.version < 1)
        return false;
    const char *t = d->msg.u.discover.token;
    size_t tlen = strlen(t);
    if (tlen == 0 || tlen > PROTO_MAX_TOKEN || tlen >= cap)
        return false;
    memcpy(token, t, tlen + 1);
    return true;
}

static void answer(discovery_t *d, const struct sockaddr_in *to, const struct in_pktinfo *pi,
                   const char *buf, int len)
{
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = (size_t)len};
    union {
        char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
        struct cmsghdr align;
    } control;
    struct msghdr mh = {
        .msg_name = (void *)to, .msg_namelen = sizeof *to, .msg_iov = &iov, .msg_iovlen = 1};
    if (pi) {
        /* Answer from the address the probe reached (the one --bind named, or the receiving
         * interface's), so the client records an address it can connect to. */
        memset(&control, 0, sizeof control);
        mh.msg_control = control.buf;
        mh.msg_controllen = sizeof control.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
        struct in_pktinfo out = {.ipi_ifindex = 0};
        out.ipi_spec_dst = d->only_ifindex ? d->reply_from : pi->ipi_spec_dst;
        memcpy(CMSG_DATA(c), &out, sizeof out);
    }
    ssize_t n;
    do
        n = sendmsg(d->fd, &mh, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n == len)
        d->stats.answered++;
    else
        d->stats.send_failed++;
}

/* Takes one answer from the sender's bucket and from the total, or counts why not. */
static bool within_limits(discovery_t *d, uint32_t addr, int64_t now_ms)
{
    sender_t *s = sender_slot(d, addr, now_ms);
    bucket_fill(&s->bucket, now_ms, DISCOVERY_SENDER_RATE, DISCOVERY_SENDER_BURST);
    bucket_fill(&d->total, now_ms, DISCOVERY_TOTAL_RATE, DISCOVERY_TOTAL_BURST);
    if (!bucket_ready(&s->bucket)) {
        d->stats.limited_sender++;
        return false;
    }
    if (!bucket_ready(&d->total)) {
        d->stats.limited_total++;
        return false;
    }
    bucket_spend(&s->bucket);
    bucket_spend(&d->total);
    return true;
}

int discovery_on_readable(discovery_t *d, int64_t now_ms, const discovery_info_t *info)
{
    int answered = 0;
    char buf[DISCOVERY_MAX_DATAGRAM + 1];
    char out[DISCOVERY_ANSWER_SIZE];
    char token[PROTO_MAX_TOKEN + 1];
    if (d->total.last_ms == INT64_MIN)
        d->total.last_ms = now_ms;
    for (int reads = 0; reads < DISCOVERY_MAX_READS; reads++) {
        struct sockaddr_in from;
        union {
            char buf[CMSG_SPACE(sizeof(struct in_pktinfo)) + 64];
            struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf - 1};
        struct msghdr mh = {.msg_name = &from,
                            .msg_namelen = sizeof from,
                            .msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof control.buf};
        ssize_t n = recvmsg(d->fd, &mh, MSG_TRUNC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break; /* EAGAIN: drained; anything else: try again at the next poll */
        }
        d->stats.received++;
        const struct in_pktinfo *pi = NULL;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
                pi = (const struct in_pktinfo *)(const void *)CMSG_DATA(c);
        if (d->only_ifindex && (!pi || pi->ipi_ifindex != d->only_ifindex)) {
            d->stats.foreign++;
            continue;
        }
        /* MSG_TRUNC makes n the datagram's real length: a long one is dropped, not cut. */
        if (n > DISCOVERY_MAX_DATAGRAM || n == 0 || mh.msg_namelen < sizeof from ||
            from.sin_family != AF_INET || from.sin_port == 0 || (mh.msg_flags & MSG_TRUNC)) {
            d->stats.invalid++;
            continue;
        }
        /* The limits come before decoding and every datagram pays, valid or not: a flood then
         * costs a read and a look-up per datagram, not a JSON parse. */
        if (!within_limits(d, from.sin_addr.s_addr, now_ms))
            continue;
        /* An answer is never larger than its probe: a spoofed probe reflected at a victim
         * cannot come back bigger (PROTO_DISCOVER_MIN_SIZE pads every probe enough). */
        if (n < PROTO_DISCOVER_MIN_SIZE) {
            d->stats.too_small++;
            continue;
        }
        size_t len = (size_t)n;
        /* A probe may end in a newline like a TCP line; the decoder wants it without. */
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            len--;
        buf[len] = '\0';
        if (!valid_probe(d, buf, len, token, sizeof token)) {
            d->stats.invalid++;
            continue;
        }
        int olen = encode_answer(d, token, info, out, sizeof out);
        if (olen <= 0) {
            d->stats.send_failed++;
            continue;
        }
        /* One datagram, one message: the newline that ends a TCP line is not sent. */
        if (out[olen - 1] == '\n')
            olen--;
        if (olen > n) {
            d->stats.too_small++;
            continue;
        }
        answer(d, &from, pi, out, olen);
        answered++;
    }
    return answered;
}

void discovery_default_name(char *buf, size_t cap)
{
    if (cap == 0)
        return;
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) < 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    char *dot = strchr(host, '.'); /* "alice-laptop.home.lan" reads as "alice-laptop" */
    if (dot && dot != host)
        *dot = '\0';
    if (!host[0] || !utf8_valid(host, strlen(host)) || utf8_has_control(host, strlen(host))) {
        copy_name(buf, cap, "nine43 game");
        return;
    }
    static const char suffix[] = "'s game";
    size_t room = (cap - 1 < PROTO_MAX_SERVER_NAME ? cap - 1 : PROTO_MAX_SERVER_NAME);
    if (room < sizeof suffix) {
        copy_name(buf, cap, host);
        return;
    }
    size_t keep = strlen(host), max = room - (sizeof suffix - 1);
    if (keep > max) {
        keep = max;
        while (keep > 0 && ((unsigned char)host[keep] & 0xC0) == 0x80)
            keep--; /* never split a character */
    }
    snprintf(buf, cap, "%.*s%s", (int)keep, host, suffix);
}

int discovery_check_name(const char *name, char *err, size_t errlen)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0) {
        snprintf(err, errlen, "--name must not be empty");
        return -1;
    }
    if (len > PROTO_MAX_SERVER_NAME) {
        snprintf(err, errlen, "--name is longer than %d bytes", PROTO_MAX_SERVER_NAME);
        return -1;
    }
    if (!utf8_valid(name, len)) {
        snprintf(err, errlen, "--name is not valid UTF-8");
        return -1;
    }
    if (utf8_has_control(name, len)) {
        snprintf(err, errlen, "--name must not contain control characters");
        return -1;
    }
    return 0;
}
