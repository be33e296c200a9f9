/* lan.c -- LAN discovery, client side: probe rounds to the interfaces' broadcast addresses,
 * answers merged by server id; SDL-free, datagrams through the caller's lan_io_ops_t; depends on
 * common/proto, common/utf8 and the seam (the interfaces, the wall clock, random bytes) */
#include "lan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys_net.h"
#include "sys_os.h"
#include "utf8.h"

#define LAN_MAX_IFACES 64 /* interfaces looked at for the ones worth probing */

typedef struct probe {
    char token[LAN_TOKEN_BYTES * 2 + 1]; /* "" = unused slot */
    int64_t sent_us;                     /* wall clock at sending, for the ping (microseconds) */
} probe_t;

struct lan_browser {
    const lan_io_ops_t *ops;
    void *io; /* from ops->open */
    int port;
    bool forced; /* probe forced_addr only */
    uint32_t forced_addr;
    int64_t next_round_ms;  /* when the next round is due; INT64_MIN = at once */
    int64_t first_round_ms; /* when the first round went out */
    int rounds;
    probe_t probes[LAN_RECENT_PROBES]; /* a ring of the latest rounds' tokens */
    int next_probe;
    int count;
    lan_server_t servers[LAN_MAX_SERVERS];
    char searched[LAN_TEXT_SIZE];
    char send_error[128];                  /* the last round's first failed send, or "" */
    char status[LAN_TEXT_SIZE + 128 + 64]; /* searched + send_error + the words around them */
    msg_t msg; /* decoding scratch: a msg_t is large, keep it off the stack */
};

/* The ping runs from sending to the arrival stamp (the bot's socket has the kernel's, on the
 * wall clock), not on the caller's now_ms: a client reads once a frame, which would add up to a
 * frame to it. */
static int64_t wall_us(void)
{
    return sys_wall_us();
}

/* "a.b.c.d" as an address in host order. Returns 0, or -1 when it is not one. */
static int parse_ipv4(const char *text, uint32_t *addr)
{
    unsigned a, b, c, d;
    char end;
    if (sscanf(text, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &end) != 4 || a > 255 || b > 255 ||
        c > 255 || d > 255 || strspn(text, "0123456789.") != strlen(text))
        return -1;
    *addr = a << 24 | b << 16 | c << 8 | d;
    return 0;
}

static void format_ipv4(uint32_t addr, char *out, size_t cap)
{
    snprintf(out, cap, "%u.%u.%u.%u", addr >> 24, addr >> 16 & 255, addr >> 8 & 255, addr & 255);
}

lan_browser_t *lan_browser_new(const lan_io_ops_t *ops, const char *forced_addr, int port,
                               char *err, size_t errlen)
{
    if (port == 0)
        port = LAN_DEFAULT_PORT;
    if (port < 1 || port > 65535) {
        snprintf(err, errlen, "bad discovery port %d", port);
        return NULL;
    }
    if (!forced_addr || !*forced_addr) {
        const char *env = getenv(LAN_ENV_ADDR);
        if (env && *env)
            forced_addr = env;
    }
    lan_browser_t *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->ops = ops;
    b->port = port;
    b->next_round_ms = INT64_MIN;
    if (forced_addr && *forced_addr) {
        if (parse_ipv4(forced_addr, &b->forced_addr) != 0) {
            snprintf(err, errlen, "discovery address \"%.64s\" is not an IPv4 address",
                     forced_addr);
            goto fail;
        }
        b->forced = true;
    }
    /* An ephemeral port: answers come back to it by unicast. */
    b->io = ops->open(err, errlen);
    if (!b->io)
        goto fail;
    if (b->forced)
        snprintf(b->searched, sizeof b->searched, "%s, port %d", forced_addr, port);
    else
        snprintf(b->searched, sizeof b->searched, "this computer, port %d", port);
    return b;
fail:
    lan_browser_free(b);
    return NULL;
}

void lan_browser_free(lan_browser_t *b)
{
    if (!b)
        return;
    if (b->io)
        b->ops->close(b->io);
    free(b);
}

void *lan_browser_io(const lan_browser_t *b)
{
    return b->io;
}

int lan_browser_local_port(const lan_browser_t *b)
{
    return b->ops->local_port(b->io);
}

int lan_browser_count(const lan_browser_t *b)
{
    return b->count;
}

const lan_server_t *lan_browser_server(const lan_browser_t *b, int i)
{
    return i >= 0 && i < b->count ? &b->servers[i] : NULL;
}

const char *lan_browser_searched(const lan_browser_t *b)
{
    return b->searched;
}

const char *lan_browser_status(const lan_browser_t *b)
{
    return b->status;
}

int lan_browser_rounds(const lan_browser_t *b)
{
    return b->rounds;
}

int lan_browser_timeout_ms(const lan_browser_t *b, int64_t now_ms)
{
    if (b->next_round_ms == INT64_MIN || b->next_round_ms <= now_ms)
        return 0;
    int64_t wait = b->next_round_ms - now_ms;
    return wait > LAN_PROBE_INTERVAL_MS ? LAN_PROBE_INTERVAL_MS : (int)wait;
}

static int prefix_length(uint32_t mask_host_order)
{
    int n = 0;
    while (n < 32 && (mask_host_order & (0x80000000u >> n)))
        n++;
    return n;
}

static void send_probe(lan_browser_t *b, uint32_t to, const char *line, size_t len)
{
    char why[80];
    if (b->ops->send(b->io, to, b->port, line, len, why, sizeof why) != 0 && !b->send_error[0]) {
        char host[LAN_HOST_SIZE];
        format_ipv4(to, host, sizeof host);
        snprintf(b->send_error, sizeof b->send_error, "could not probe %s: %s", host, why);
    }
}

/* One round: a new token, sent to every target; the searched sentence follows the targets. */
/* A new round's probe slot with a fresh token (the oldest round's slot is reused). */
static probe_t *probe_token(lan_browser_t *b)
{
    probe_t *p = &b->probes[b->next_probe];
    /* The token keeps answers to someone else's probe, or forged ones, out of the list: from the
     * system's random source only, or no round at all (the list says why). */
    char why[96];
    if (sys_random_hex(p->token, sizeof p->token, LAN_TOKEN_BYTES, why, sizeof why) < 0) {
        snprintf(b->send_error, sizeof b->send_error, "cannot probe: %s", why);
        return NULL;
    }
    b->next_probe = (b->next_probe + 1) % LAN_RECENT_PROBES;
    p->sent_us = wall_us();
    return p;
}

/* The "discover" datagram carrying p's token, without the line's newline. Returns its length,
 * or 0 when it cannot be encoded. */
static size_t probe_line(lan_browser_t *b, const probe_t *p, char *line, size_t cap)
{
    proto_init(&b->msg, MSG_DISCOVER);
    b->msg.u.discover.version = PROTO_VERSION;
    snprintf(b->msg.u.discover.token, sizeof b->msg.u.discover.token, "%s", p->token);
    int len = proto_encode(&b->msg, line, cap);
    if (len <= 0)
        return 0;
    if (line[len - 1] == '\n')
        len--; /* one datagram, one message */
    /* Spaces after the object (JSON whitespace) up to the size servers require: an answer is
     * never larger than its probe, so a spoofed probe cannot be amplified. */
    while ((size_t)len < PROTO_DISCOVER_MIN_SIZE && (size_t)len < cap)
        line[len++] = ' ';
    return (size_t)len;
}

int lan_interfaces(lan_iface_t *out, int max)
{
    sys_iface_t ifs[LAN_MAX_IFACES];
    int n = sys_net_interfaces(ifs, LAN_MAX_IFACES), k = 0;
    for (int i = 0; i < n && k < max; i++) {
        /* Up, running, not loopback, with a broadcast address: 0 there is a point-to-point or
         * /32 address, nowhere to broadcast. */
        if (!ifs[i].up || !ifs[i].running || ifs[i].loopback || ifs[i].bcast_be == 0)
            continue;
        out[k].addr = sys_ipv4_host(ifs[i].addr_be);
        out[k].netmask = sys_ipv4_host(ifs[i].mask_be);
        out[k].broadcast = sys_ipv4_host(ifs[i].bcast_be);
        k++;
    }
    return k;
}

/* Appends interface i's network ("192.168.1.0/24") to the list in nets (used bytes so far). */
static void probe_note_network(const lan_iface_t *i, char *nets, size_t cap, size_t *used)
{
    char host[LAN_HOST_SIZE];
    format_ipv4(i->addr & i->netmask, host, sizeof host);
    int w = snprintf(nets + *used, cap - *used, "%s%s/%d", *used ? ", " : "", host,
                     prefix_length(i->netmask));
    if (w > 0 && (size_t)w < cap - *used)
        *used += (size_t)w;
}

/* Sends line to every interface's broadcast address (each once) and to this computer, and
 * says where in b->searched. */
static void probe_interfaces(lan_browser_t *b, const char *line, size_t len)
{
    char nets[LAN_TEXT_SIZE - 64] = ""; /* room left for " or this computer, port N" */
    size_t used = 0;
    lan_iface_t ifs[LAN_MAX_TARGETS];
    int nifs = lan_interfaces(ifs, LAN_MAX_TARGETS);
    uint32_t sent[LAN_MAX_TARGETS];
    int nsent = 0;
    for (int i = 0; i < nifs; i++) {
        bool dup = false;
        for (int k = 0; k < nsent; k++)
            dup |= sent[k] == ifs[i].broadcast;
        if (dup)
            continue;
        sent[nsent++] = ifs[i].broadcast;
        send_probe(b, ifs[i].broadcast, line, len);
        probe_note_network(&ifs[i], nets, sizeof nets, &used);
    }
    /* A game hosted on this computer answers here even where no network has broadcast; the
     * loopback broadcast reaches every server of this computer on the shared discovery port,
     * where a unicast reaches only one of them. */
    send_probe(b, LAN_LOOPBACK, line, len);
    send_probe(b, LAN_LOOPBACK_BROADCAST, line, len);
    if (used)
        snprintf(b->searched, sizeof b->searched, "%s or this computer, port %d", nets, b->port);
    else
        snprintf(b->searched, sizeof b->searched,
                 "this computer only (no network with broadcast), port %d", b->port);
}

static void probe_round(lan_browser_t *b, int64_t now_ms)
{
    b->send_error[0] = '\0';
    const probe_t *p = probe_token(b);
    if (!p) {
        b->rounds++; /* a round that could not go: the list says why, not "searching" */
        if (b->rounds == 1)
            b->first_round_ms = now_ms;
        return;
    }
    char line[PROTO_DISCOVER_MIN_SIZE];
    size_t len = probe_line(b, p, line, sizeof line);
    if (len == 0)
        return;
    b->rounds++;
    if (b->rounds == 1)
        b->first_round_ms = now_ms;
    if (b->forced)
        send_probe(b, b->forced_addr, line, len);
    else
        probe_interfaces(b, line, len);
}

static int compare_servers(const void *a, const void *b)
{
    const lan_server_t *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    if (c)
        return c;
    c = strcmp(x->host, y->host);
    return c ? c : x->port - y->port;
}

static bool is_loopback(const char *host)
{
    return strncmp(host, "127.", 4) == 0;
}

/* Takes one decoded answer from `from` into the list. Returns true when the list changed. */
static bool take_answer(lan_browser_t *b, const msg_server_info_t *s, uint32_t from,
                        int64_t arrived_us, int64_t now_ms)
{
    const probe_t *p = NULL;
    for (int i = 0; i < LAN_RECENT_PROBES; i++)
        if (b->probes[i].token[0] && strcmp(b->probes[i].token, s->token) == 0)
            p = &b->probes[i];
    if (!p || !s->id[0] || s->port < 1 || s->port > 65535)
        return false; /* not an answer to one of our recent probes */

    char host[LAN_HOST_SIZE];
    format_ipv4(from, host, sizeof host);
    lan_server_t *e = NULL;
    for (int i = 0; i < b->count; i++)
        if (strcmp(b->servers[i].id, s->id) == 0)
            e = &b->servers[i];
    bool changed = false;
    if (!e) {
        if (b->count == LAN_MAX_SERVERS)
            return false;
        e = &b->servers[b->count++];
        memset(e, 0, sizeof *e);
        snprintf(e->id, sizeof e->id, "%s", s->id);
        changed = true;
    }
    /* The same server through several interfaces: keep one address, preferring one that
     * friends on the network can use over this computer's loopback. */
    if (changed || (is_loopback(e->host) && !is_loopback(host)) || strcmp(e->host, host) == 0) {
        if (strcmp(e->host, host) != 0 || e->port != s->port)
            changed = true;
        snprintf(e->host, sizeof e->host, "%s", host);
        e->port = s->port;
        snprintf(e->address, sizeof e->address, "%s:%d", host, s->port);
    }
    size_t nlen = strlen(s->name);
    char name[sizeof e->name];
    utf8_sanitize(name, sizeof name, s->name, utf8_check(s->name, nlen), PROTO_MAX_SERVER_NAME);
    if (strcmp(name, e->name) != 0) {
        snprintf(e->name, sizeof e->name, "%s", name);
        changed = true;
    }
    e->players = s->players < 0 ? 0 : s->players;
    e->lobby = s->lobby < 0 ? 0 : s->lobby;
    e->group_size = s->group_size < 0 ? 0 : s->group_size;
    e->worlds = s->worlds < 0 ? 0 : s->worlds;
    e->version = s->version;
    e->compatible = s->version == PROTO_VERSION;
    if (e->compatible)
        e->why[0] = '\0';
    else
        snprintf(e->why, sizeof e->why, "made for version %d (this game: %d)", s->version,
                 PROTO_VERSION);
    int64_t ping = (arrived_us - p->sent_us + 500) / 1000;
    e->ping_ms = ping < 0 ? 0 : ping > LAN_FORGET_MS ? LAN_FORGET_MS : (int)ping;
    e->last_seen_ms = now_ms;
    return changed;
}

static void read_answers(lan_browser_t *b, int64_t now_ms, bool *changed)
{
    char buf[LAN_MAX_DATAGRAM + 1];
    for (int reads = 0; reads < LAN_MAX_READS; reads++) {
        uint32_t from = 0;
        int64_t arrived_us = 0;
        long n = b->ops->recv(b->io, buf, sizeof buf, &from, &arrived_us);
        if (n <= 0)
            return; /* drained, or an error the next round may not have */
        if (n > LAN_MAX_DATAGRAM)
            continue;
        size_t len = (size_t)n;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            len--;
        buf[len] = '\0';
        char why[128];
        if (proto_decode(buf, len, PROTO_TO_CLIENT, &b->msg, why, sizeof why) != PROTO_OK ||
            b->msg.type != MSG_SERVER_INFO)
            continue;
        if (!arrived_us)
            arrived_us = wall_us();
        *changed |= take_answer(b, &b->msg.u.server_info, from, arrived_us, now_ms);
    }
}

static void update_status(lan_browser_t *b, int64_t now_ms)
{
    if (b->count > 0) {
        b->status[0] = '\0';
        return;
    }
    const char *note_open = b->send_error[0] ? " (" : "";
    const char *note_close = b->send_error[0] ? ")" : "";
    if (b->rounds <= 1 && now_ms - b->first_round_ms < LAN_SEARCHING_MS)
        snprintf(b->status, sizeof b->status, "Searching %s...%s%s%s", b->searched, note_open,
                 b->send_error, note_close);
    else
        snprintf(b->status, sizeof b->status, "No games found on %s%s%s%s", b->searched, note_open,
                 b->send_error, note_close);
}

void lan_browser_update(lan_browser_t *b, int64_t now_ms)
{
    bool changed = false;
    /* Answers first, so that the round about to go out does not forget a server whose answer
     * is already waiting. */
    read_answers(b, now_ms, &changed);
    if (b->next_round_ms == INT64_MIN || now_ms >= b->next_round_ms) {
        probe_round(b, now_ms);
        b->next_round_ms = now_ms + LAN_PROBE_INTERVAL_MS;
    }
    for (int i = 0; i < b->count;) {
        if (now_ms - b->servers[i].last_seen_ms > LAN_FORGET_MS) {
            b->servers[i] = b->servers[--b->count];
            changed = true;
        } else {
            i++;
        }
    }
    if (changed)
        qsort(b->servers, (size_t)b->count, sizeof b->servers[0], compare_servers);
    update_status(b, now_ms);
}
