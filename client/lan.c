/* lan.c -- LAN discovery, client side: probe rounds to the interfaces' broadcast addresses,
 * answers merged by server id; SDL-free POSIX, depends on common/proto and common/utf8 */
#include "lan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"

typedef struct probe {
    char token[LAN_TOKEN_BYTES * 2 + 1]; /* "" = unused slot */
    int64_t sent_us;                     /* wall clock at sending, for the ping (microseconds) */
} probe_t;

struct lan_browser {
    int fd;
    int port;
    bool forced; /* probe forced_addr only */
    struct in_addr forced_addr;
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

/* The ping runs from sending to the kernel's arrival stamp (SO_TIMESTAMP, wall clock), not on
 * the caller's now_ms: a client reads once a frame, which would add up to a frame to it. */
static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

lan_browser_t *lan_browser_new(const char *forced_addr, int port, char *err, size_t errlen)
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
    b->fd = -1;
    b->port = port;
    b->next_round_ms = INT64_MIN;
    if (forced_addr && *forced_addr) {
        if (inet_pton(AF_INET, forced_addr, &b->forced_addr) != 1) {
            snprintf(err, errlen, "discovery address \"%.64s\" is not an IPv4 address",
                     forced_addr);
            goto fail;
        }
        b->forced = true;
    }
    b->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (b->fd < 0) {
        snprintf(err, errlen, "discovery socket: %s", strerror(errno));
        goto fail;
    }
    int one = 1;
    /* Arrival stamps for the ping; without them the ping includes the wait for a read. */
    setsockopt(b->fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof one);
    if (setsockopt(b->fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) < 0) {
        snprintf(err, errlen, "discovery socket: SO_BROADCAST: %s", strerror(errno));
        goto fail;
    }
    /* An ephemeral port: answers come back to it by unicast. */
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(b->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        snprintf(err, errlen, "discovery socket: bind: %s", strerror(errno));
        goto fail;
    }
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
    if (b->fd >= 0)
        close(b->fd);
    free(b);
}

int lan_browser_fd(const lan_browser_t *b)
{
    return b->fd;
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

static void send_probe(lan_browser_t *b, struct in_addr to, const char *line, size_t len)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)b->port)};
    sa.sin_addr = to;
    ssize_t n;
    do
        n = sendto(b->fd, line, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, sizeof sa);
    while (n < 0 && errno == EINTR);
    if (n < 0 && !b->send_error[0]) {
        char host[LAN_HOST_SIZE];
        inet_ntop(AF_INET, &to, host, sizeof host);
        snprintf(b->send_error, sizeof b->send_error, "could not probe %s: %s", host,
                 strerror(errno));
    }
}

/* One round: a new token, sent to every target; the searched sentence follows the targets. */
/* A new round's probe slot with a fresh token (the oldest round's slot is reused). */
static probe_t *probe_token(lan_browser_t *b, int64_t now_ms)
{
    probe_t *p = &b->probes[b->next_probe];
    b->next_probe = (b->next_probe + 1) % LAN_RECENT_PROBES;
    /* The token only needs to be unguessable enough that a stray answer to someone else's
     * probe is not taken. */
    unsigned char raw[LAN_TOKEN_BYTES];
    if (getentropy(raw, sizeof raw) < 0) {
        /* No random source: the clock still tells rounds apart. */
        uint64_t t = (uint64_t)now_ms ^ ((uint64_t)getpid() << 32);
        memcpy(raw, &t, sizeof raw < sizeof t ? sizeof raw : sizeof t);
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(p->token + 2 * i, 3, "%02x", raw[i]);
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

/* The broadcast address of an interface worth probing (up, running, broadcast, not loopback),
 * or INADDR_ANY. */
static struct in_addr probe_broadcast_of(const struct ifaddrs *i)
{
    struct in_addr none = {.s_addr = htonl(INADDR_ANY)};
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !i->ifa_netmask)
        return none;
    if (!(i->ifa_flags & IFF_UP) || !(i->ifa_flags & IFF_RUNNING) ||
        !(i->ifa_flags & IFF_BROADCAST) || (i->ifa_flags & IFF_LOOPBACK) || !i->ifa_broadaddr ||
        i->ifa_broadaddr->sa_family != AF_INET)
        return none;
    /* INADDR_ANY here is a point-to-point or /32 address: nowhere to broadcast. */
    return ((const struct sockaddr_in *)(const void *)i->ifa_broadaddr)->sin_addr;
}

/* Appends interface i's network ("192.168.1.0/24") to the list in nets (used bytes so far). */
static void probe_note_network(const struct ifaddrs *i, char *nets, size_t cap, size_t *used)
{
    uint32_t addr = ntohl(((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr.s_addr);
    uint32_t mask =
        ntohl(((const struct sockaddr_in *)(const void *)i->ifa_netmask)->sin_addr.s_addr);
    struct in_addr net = {.s_addr = htonl(addr & mask)};
    char host[LAN_HOST_SIZE];
    inet_ntop(AF_INET, &net, host, sizeof host);
    int w = snprintf(nets + *used, cap - *used, "%s%s/%d", *used ? ", " : "", host,
                     prefix_length(mask));
    if (w > 0 && (size_t)w < cap - *used)
        *used += (size_t)w;
}

/* Sends line to every interface's broadcast address (each once) and to this computer, and
 * says where in b->searched. */
static void probe_interfaces(lan_browser_t *b, const char *line, size_t len)
{
    char nets[LAN_TEXT_SIZE - 64] = ""; /* room left for " or this computer, port N" */
    size_t used = 0;
    struct in_addr sent[LAN_MAX_TARGETS];
    int nsent = 0;
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) == 0) {
        for (struct ifaddrs *i = list; i && nsent < LAN_MAX_TARGETS; i = i->ifa_next) {
            struct in_addr bcast = probe_broadcast_of(i);
            if (bcast.s_addr == htonl(INADDR_ANY))
                continue;
            bool dup = false;
            for (int k = 0; k < nsent; k++)
                dup |= sent[k].s_addr == bcast.s_addr;
            if (dup)
                continue;
            sent[nsent++] = bcast;
            send_probe(b, bcast, line, len);
            probe_note_network(i, nets, sizeof nets, &used);
        }
        freeifaddrs(list);
    }
    /* A game hosted on this computer answers here even where no network has broadcast; the
     * loopback broadcast reaches every server of this computer on the shared discovery port,
     * where a unicast reaches only one of them. */
    struct in_addr loopback = {.s_addr = htonl(INADDR_LOOPBACK)};
    struct in_addr loopback_all = {.s_addr = htonl(LAN_LOOPBACK_BROADCAST)};
    send_probe(b, loopback, line, len);
    send_probe(b, loopback_all, line, len);
    if (used)
        snprintf(b->searched, sizeof b->searched, "%s or this computer, port %d", nets, b->port);
    else
        snprintf(b->searched, sizeof b->searched,
                 "this computer only (no network with broadcast), port %d", b->port);
}

static void probe_round(lan_browser_t *b, int64_t now_ms)
{
    const probe_t *p = probe_token(b, now_ms);
    char line[PROTO_DISCOVER_MIN_SIZE];
    size_t len = probe_line(b, p, line, sizeof line);
    if (len == 0)
        return;
    b->send_error[0] = '\0';
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
static bool take_answer(lan_browser_t *b, const msg_server_info_t *s, struct in_addr from,
                        int64_t arrived_us, int64_t now_ms)
{
    const probe_t *p = NULL;
    for (int i = 0; i < LAN_RECENT_PROBES; i++)
        if (b->probes[i].token[0] && strcmp(b->probes[i].token, s->token) == 0)
            p = &b->probes[i];
    if (!p || !s->id[0] || s->port < 1 || s->port > 65535)
        return false; /* not an answer to one of our recent probes */

    char host[LAN_HOST_SIZE];
    inet_ntop(AF_INET, &from, host, sizeof host);
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
        struct sockaddr_in from;
        union {
            char buf[CMSG_SPACE(sizeof(struct timeval))];
            struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf - 1};
        struct msghdr mh = {.msg_name = &from,
                            .msg_namelen = sizeof from,
                            .msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof control.buf};
        ssize_t n = recvmsg(b->fd, &mh, MSG_TRUNC);
        socklen_t fromlen = mh.msg_namelen;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return; /* EAGAIN: drained */
        }
        if (n == 0 || n > LAN_MAX_DATAGRAM || fromlen < sizeof from || from.sin_family != AF_INET)
            continue;
        size_t len = (size_t)n;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            len--;
        buf[len] = '\0';
        char why[128];
        if (proto_decode(buf, len, PROTO_TO_CLIENT, &b->msg, why, sizeof why) != PROTO_OK ||
            b->msg.type != MSG_SERVER_INFO)
            continue;
        int64_t arrived_us = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP) {
                struct timeval tv;
                memcpy(&tv, CMSG_DATA(c), sizeof tv);
                arrived_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
            }
        if (!arrived_us)
            arrived_us = wall_us();
        *changed |= take_answer(b, &b->msg.u.server_info, from.sin_addr, arrived_us, now_ms);
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
