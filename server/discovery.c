/* discovery.c -- LAN discovery, server side: one UDP socket, probes answered by unicast within
 * token-bucket rate limits; depends on common/proto, common/bucket, common/utf8 and the seam
 * (sys_net.h for the socket and the interfaces, sys_os.h for the random id) */
#include "discovery.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "proto.h"
#include "sys_net.h"
#include "sys_os.h"
#include "utf8.h"

#define DISCOVERY_MAX_IFACES 64 /* interfaces looked at to find the one --bind names */

typedef struct sender {
    bool used;
    uint32_t addr; /* IPv4, network order */
    bucket_t bucket;
} sender_t;

struct discovery {
    int fd;
    int port;
    int game_port;       /* the TCP port answers announce (the UDP port unless set) */
    int only_ifindex;    /* answer only probes arriving here (0: any interface) */
    uint32_t reply_from; /* source of answers when bound to one address (network order) */
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

/* Index of the interface that holds addr (network order), or 0. The loopback interface holds its
 * whole network (127.0.0.2 is as local as 127.0.0.1, though only the latter is listed). */
static int interface_holding(uint32_t addr)
{
    sys_iface_t ifs[DISCOVERY_MAX_IFACES];
    int n = sys_net_interfaces(ifs, DISCOVERY_MAX_IFACES);
    int loopback_net = 0;
    for (int i = 0; i < n; i++) {
        if (ifs[i].addr_be == addr)
            return ifs[i].index;
        if (ifs[i].loopback && (ifs[i].addr_be & ifs[i].mask_be) == (addr & ifs[i].mask_be))
            loopback_net = ifs[i].index;
    }
    return loopback_net;
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
        if (sys_ipv4_parse(bind_addr, &d->reply_from) < 0) {
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
    /* The id ties answers from several interfaces to one server; it comes from the system's
     * random source, never from a guessable one, or discovery stays off. */
    char why[160];
    if (sys_random_hex(d->id, sizeof d->id, DISCOVERY_ID_BYTES, why, sizeof why) < 0) {
        snprintf(err, errlen, "cannot make the discovery id: %s", why);
        goto fail;
    }
    /* 0.0.0.0 whatever --bind says: a socket bound to one address never sees broadcasts. */
    sys_addr_t sa;
    sys_addr_any(&sa, false, port);
    d->fd = sys_udp_open(&sa, SYS_UDP_REUSEADDR | SYS_UDP_PKTINFO, why, sizeof why);
    if (d->fd < 0) {
        snprintf(err, errlen, "%s", why);
        goto fail;
    }
    if (port == 0 && sys_net_local_addr(d->fd, &sa) == 0)
        d->port = sys_addr_port(&sa);
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
    sys_net_close(d->fd);
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

static void answer(discovery_t *d, const sys_addr_t *to, const sys_udp_meta_t *meta,
                   const char *buf, int len)
{
    /* Answer from the address the probe reached (the one --bind named, or the receiving
     * interface's), so the client records an address it can connect to. */
    uint32_t from = d->only_ifindex ? d->reply_from : meta->has_dest ? meta->dest_be : 0;
    if (sys_udp_send(d->fd, buf, (size_t)len, to, from, NULL, 0) == len)
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
        sys_addr_t from;
        sys_udp_meta_t meta;
        long n = sys_udp_recv(d->fd, buf, sizeof buf - 1, &from, &meta, NULL, 0);
        if (n < 0)
            break; /* drained; or an error: try again at the next poll */
        d->stats.received++;
        if (d->only_ifindex && (!meta.has_dest || meta.ifindex != d->only_ifindex)) {
            d->stats.foreign++;
            continue;
        }
        /* meta.length is the datagram's real length: a long one is dropped, not cut. */
        uint32_t from_ip = 0;
        int from_port = 0;
        if (meta.length > DISCOVERY_MAX_DATAGRAM || n == 0 || meta.truncated ||
            !sys_addr_get_ipv4(&from, &from_ip, &from_port) || from_port == 0) {
            d->stats.invalid++;
            continue;
        }
        /* The limits come before decoding and every datagram pays, valid or not: a flood then
         * costs a read and a look-up per datagram, not a JSON parse. */
        if (!within_limits(d, from_ip, now_ms))
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
        answer(d, &from, &meta, out, olen);
        answered++;
    }
    return answered;
}

void discovery_default_name(char *buf, size_t cap)
{
    if (cap == 0)
        return;
    char host[256];
    sys_host_name(host, sizeof host);
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
