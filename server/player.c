/* player.c -- every connection: its outbox and flushing, the connection event handler, decoding
 * and dispatch through the player's stage table, the quit path, a dropped player's wait and
 * resume, housekeeping; uses player.h, server.h, conn, loop, names, evening, guard (admission,
 * login time-out) and common (never a stage by name) */
#include "player.h"

#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim, mallopt */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evening.h"
#include "guard.h"
#include "name.h"
#include "sys_net.h"
#include "utf8.h"

#define STAGE "server"

struct players {
    player_t *all;
    int count;
    int away;             /* logged in, connection gone, place kept (player_away) */
    player_t *pending;    /* output to flush before sleeping */
    size_t pending_bytes; /* queued since the last player_flush_pending */
    player_t *closing;    /* to free at the safe point */
    long long housekeeping_timer;
    int noticed; /* players that take notices: a notice walks the list only when there are some */
    player_t *host;                                   /* logged in with the admin secret, or NULL */
    void (*departed)(server_t *s, const player_t *p); /* player_on_departure's, or NULL */
    size_t held;      /* bytes of every connection's output buffer (conn_t.held points here) */
    size_t held_peak; /* the most held since memory was last given back to the system */
    /* The reader's own space: one chunk is read and one line decoded at a time, and nothing a
     * handler does reads another. */
    char readbuf[CONN_READ_CHUNK];
    msg_t in;
};

static void player_on_event(loop_t *l, int fd, void *ud, int mask);
static int64_t player_housekeeping(loop_t *l, long long id, void *ud);
static void player_take_over(server_t *s, player_t *old, player_t *fresh);

int player_create_all(server_t *s)
{
    s->players = calloc(1, sizeof *s->players);
    if (!s->players)
        return -1;
#ifdef __GLIBC__
    /* A fixed threshold: output buffers past it are mapped on their own and unmapped when
     * freed. glibc would otherwise raise it to the largest buffer freed, and the next
     * client's 1 MiB queue would stay in the heap after it drains. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    /* Fixing it also fixes the heap's trim threshold at its 128 KiB default, and a login storm
     * would then shrink and grow the heap (brk, fresh zeroed pages) over and over: the heap
     * keeps up to SERVER_TRIM_BYTES free, and player_give_back trims past that. */
    mallopt(M_TRIM_THRESHOLD, SERVER_TRIM_BYTES);
#endif
    s->players->housekeeping_timer = loop_add_timer(
        s->loop, loop_now() + SERVER_HOUSEKEEPING_MS * LOOP_NS_PER_MS, player_housekeeping, s);
    return s->players->housekeeping_timer < 0 ? -1 : 0;
}

void player_on_departure(server_t *s, void (*fn)(server_t *s, const player_t *p))
{
    s->players->departed = fn;
}

static void player_free(server_t *s, player_t *p)
{
    guard_release(s, &p->guard);
    if (p->conn.fd >= 0)
        loop_del_file(s->loop, p->conn.fd, LOOP_READABLE | LOOP_WRITABLE);
    conn_close(&p->conn);
    free(p);
}

void player_free_all(server_t *s)
{
    if (!s->players)
        return;
    while (s->players->all) {
        player_t *p = s->players->all;
        s->players->all = p->next;
        player_free(s, p);
    }
    free(s->players);
    s->players = NULL;
}

int player_count(const server_t *s)
{
    return s->players->count;
}

int player_away_count(const server_t *s)
{
    return s->players->away;
}

bool player_closing(const player_t *p)
{
    return (p->conn.flags & CONN_CLOSING) != 0;
}

static const char *player_name(const player_t *p)
{
    return names_held(&p->name) ? p->username : "(not logged in)";
}

/* ---- admission ---- */

/* A fresh socket's buffer takes one short line without blocking: say why, then close. */
static void player_refuse(server_t *s, int fd, const char *why)
{
    msg_t m;
    char line[SERVER_LINE_SIZE];
    proto_init(&m, MSG_ERROR);
    snprintf(m.u.error.message, sizeof m.u.error.message, "%s", why);
    int n = server_encode(s, &m, line);
    if (n > 0)
        sys_net_send(fd, line, (size_t)n, NULL, 0); /* all or nothing: it is closed anyway */
    sys_net_shutdown_write(fd);
    sys_net_close(fd);
}

/* The server is full and peer knocks: the address holding the most connections not logged in,
 * if it holds more than peer's does, gives up its oldest one, so that one address cannot keep
 * everyone else out. Returns true when one was closed (it goes at the safe point). */
static bool player_make_room(server_t *s, const char *peer)
{
    player_t *victim = NULL;
    int most = 0;
    for (player_t *p = s->players->all; p; p = p->next) {
        int n = guard_pending(p->guard);
        if (player_closing(p) || n == 0 || n < most)
            continue;
        if (n > most || p->connected_at < victim->connected_at)
            victim = p;
        most = n;
    }
    if (!victim || most <= guard_pending_from(s, peer) + 1)
        return false;
    player_error(s, victim, false,
                 "server full: your address holds the most connections that "
                 "have not logged in, one makes room for another address");
    player_close(s, victim, true, "made room for another address");
    return true;
}

player_t *player_add(server_t *s, int fd, const char *peer)
{
    char why[160];
    if (s->players->count >= s->cfg.max_clients && !player_make_room(s, peer)) {
        snprintf(why, sizeof why, "server full: %d connections at most, try again later",
                 s->cfg.max_clients);
        player_refuse(s, fd, why);
        log_msg(&s->log, LOG_WARN, "accept", "refused %s: %d connections already (--max-clients)",
                peer, s->players->count);
        return NULL;
    }
    guard_addr_t *addr = guard_admit(s, peer, why, sizeof why);
    if (!addr) {
        player_refuse(s, fd, why);
        log_msg(&s->log, LOG_DEBUG, "accept", "refused %s: %s", peer, why);
        return NULL;
    }
    player_t *p = calloc(1, sizeof *p);
    if (!p) {
        guard_release(s, &addr);
        sys_net_close(fd);
        return NULL;
    }
    p->guard = addr;
    int64_t now = loop_now();
    conn_init(&p->conn, fd, now, &s->players->held);
    p->srv = s;
    p->connected_at = now;
    p->slot = -1;
    if (loop_add_file(s->loop, fd, LOOP_READABLE, player_on_event, p) < 0) {
        log_msg(&s->log, LOG_WARN, "accept", "out of memory for fd %d from %s", fd, peer);
        guard_release(s, &p->guard);
        conn_close(&p->conn);
        free(p);
        return NULL;
    }
    p->next = s->players->all;
    if (s->players->all)
        s->players->all->prev = p;
    s->players->all = p;
    s->players->count++;
    log_msg(&s->log, LOG_DEBUG, "accept", "connection from %s (fd %d)", peer, fd);
    return p;
}

/* ---- sending ---- */

static void player_flush_pending(server_t *s);

/* The output buffers together hold more than --output-budget: the connections holding the most
 * go first, their queues thrown away at once, until the rest fits. A walk over every
 * connection per victim, and only past the budget. */
static void player_over_budget(server_t *s)
{
    struct players *ps = s->players;
    while (ps->held > s->cfg.output_budget) {
        player_t *victim = NULL;
        for (player_t *p = ps->all; p; p = p->next)
            if (!player_closing(p) &&
                (!victim || conn_output_held(&p->conn) > conn_output_held(&victim->conn)))
                victim = p;
        if (!victim || conn_output_held(&victim->conn) == 0)
            return;
        log_msg(&s->log, LOG_WARN, STAGE,
                "%s (fd %d) holds %zu KiB of output, the most, with all clients over the budget "
                "of %zu MiB: dropped",
                player_name(victim), victim->conn.fd, conn_output_held(&victim->conn) / 1024,
                s->cfg.output_budget / (1024 * 1024));
        player_drop(s, victim, false, "over the output budget");
        conn_discard_output(&victim->conn);
    }
}

/* Housekeeping: once buffers have drained or gone, the heap's free memory goes back to the
 * system rather than staying at its peak. */
static void player_give_back(struct players *ps)
{
    if (ps->held > ps->held_peak)
        ps->held_peak = ps->held;
    if (ps->held_peak - ps->held < SERVER_TRIM_BYTES)
        return;
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    ps->held_peak = ps->held;
}

void player_send_line(server_t *s, player_t *p, const char *line, size_t len)
{
    if (player_closing(p) || player_away(p))
        return; /* an away player is sent its stage's state again when it resumes */
    if (conn_queue(&p->conn, line, len, s->cfg.max_output) < 0) {
        log_msg(&s->log, LOG_WARN, STAGE,
                "%s (fd %d) is not reading: over %zu bytes of output queued, dropped",
                player_name(p), p->conn.fd, s->cfg.max_output);
        player_drop(s, p, false, "not reading");
        conn_discard_output(&p->conn);
        return;
    }
    if (s->players->held > s->cfg.output_budget) {
        player_over_budget(s);
        if (player_closing(p))
            return;
    }
    if (!(p->conn.flags & CONN_PENDING_WRITE)) {
        p->conn.flags |= CONN_PENDING_WRITE;
        p->next_pending = s->players->pending;
        s->players->pending = p;
    }
    /* Writes wait for the end of the loop iteration, so that each client gets one write for
     * all its messages. But a busy iteration (thousands of logins, groups forming) would
     * hold a buffer per client until then: past a bound, flush now. Flushing frees nobody,
     * so it is safe inside any handler. */
    s->players->pending_bytes += len;
    if (s->players->pending_bytes >= SERVER_FLUSH_PENDING)
        player_flush_pending(s);
}

void player_send_line_if(server_t *s, const char *line, size_t len,
                         bool (*hears)(const player_t *p, const void *ctx), const void *ctx)
{
    for (player_t *p = s->players->all; p; p = p->next)
        if (p->stage && p->stage->logged_in && !player_closing(p) && hears(p, ctx))
            player_send_line(s, p, line, len);
}

void player_send(server_t *s, player_t *p, const msg_t *m)
{
    if (player_closing(p))
        return;
    char line[SERVER_LINE_SIZE];
    int n = server_encode(s, m, line);
    if (n >= 0)
        player_send_line(s, p, line, (size_t)n);
}

void player_send_type(server_t *s, player_t *p, msg_type_t type)
{
    msg_t m;
    proto_init(&m, type);
    player_send(s, p, &m);
}

/* Copies text for the wire: whole code points only, no control characters. */
static void player_copy_text(char *dst, size_t cap, const char *src, size_t max_chars)
{
    size_t len = strlen(src);
    if (utf8_valid(src, len)) {
        utf8_sanitize(dst, cap, src, len, max_chars);
        return;
    }
    size_t j = 0;
    for (size_t i = 0; i < len && j + 1 < cap && j < max_chars; i++)
        dst[j++] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
    dst[j] = '\0';
}

void player_error(server_t *s, player_t *p, bool counted, const char *fmt, ...)
{
    if (player_closing(p))
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    msg_t m;
    proto_init(&m, MSG_ERROR);
    player_copy_text(m.u.error.message, sizeof m.u.error.message, text, PROTO_MAX_TEXT);
    player_send(s, p, &m);
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s (fd %d): error: %s", player_name(p), p->conn.fd, text);
    if (counted && ++p->conn.errors >= CONN_MAX_ERRORS)
        player_close(s, p, true, "too many protocol errors");
}

int player_encode_chat(server_t *s, const player_t *p, const char *text, char *line)
{
    msg_t m;
    proto_init(&m, MSG_CHAT);
    char *clean = m.u.chat.text;
    player_copy_text(clean, sizeof m.u.chat.text, text, PROTO_MAX_CHAT);
    name_strip_hidden(clean); /* nothing may reverse or hide what follows */
    const char *c = clean;
    while (*c == ' ')
        c++;
    if (*c == '\0')
        return -1; /* nothing but spaces */
    memcpy(m.u.chat.from, p->username, sizeof m.u.chat.from);
    return server_encode(s, &m, line);
}

/* ---- notices: system lines for the clients that take them ---- */

void player_set_features(server_t *s, player_t *p, unsigned features)
{
    if (p->features & PLAYER_NOTICE_FEATURES)
        s->players->noticed--;
    p->features = features;
    if (p->features & PLAYER_NOTICE_FEATURES)
        s->players->noticed++;
}

static int player_encode_notice(server_t *s, const char *text, char *line)
{
    msg_t m;
    proto_init(&m, MSG_NOTICE);
    player_copy_text(m.u.notice.text, sizeof m.u.notice.text, text, PROTO_MAX_TEXT);
    return server_encode(s, &m, line);
}

void player_notice(server_t *s, player_t *p, const char *text)
{
    if (!(p->features & PLAYER_NOTICE_FEATURES) || player_closing(p))
        return;
    char line[SERVER_LINE_SIZE];
    int n = player_encode_notice(s, text, line);
    if (n >= 0)
        player_send_line(s, p, line, (size_t)n);
}

void player_notice_all(server_t *s, unsigned features, const char *fmt, ...)
{
    if (s->players->noticed == 0)
        return; /* a server of bots and original clients: no walk over every connection */
    char text[PROTO_TEXT_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char line[SERVER_LINE_SIZE];
    int n = player_encode_notice(s, text, line);
    if (n < 0)
        return;
    for (player_t *p = s->players->all; p; p = p->next)
        if ((p->features & features) && p->stage && p->stage->logged_in && !player_closing(p))
            player_send_line(s, p, line, (size_t)n);
}

/* ---- flushing ---- */

/* Writes what p has queued; what the socket does not take waits for a writable event. */
void player_flush(server_t *s, player_t *p)
{
    if (p->conn.fd < 0)
        return;
    int rc = conn_flush(&p->conn);
    if (rc < 0) {
        player_drop(s, p, false, "write error");
    } else if (rc > 0 && !(p->conn.flags & CONN_WATCH_WRITE)) {
        /* Unwatched, the rest would wait for ever: better lose the player than hang it. */
        if (loop_add_file(s->loop, p->conn.fd, LOOP_WRITABLE, player_on_event, p) < 0)
            player_drop(s, p, false, "out of memory watching its output");
        else
            p->conn.flags |= CONN_WATCH_WRITE;
    }
}

static void player_flush_pending(server_t *s)
{
    struct players *ps = s->players;
    ps->pending_bytes = 0;
    while (ps->pending) {
        player_t *p = ps->pending;
        ps->pending = p->next_pending;
        p->next_pending = NULL;
        p->conn.flags &= (uint8_t)~CONN_PENDING_WRITE;
        if (player_closing(p))
            continue; /* player_reap_one flushes it */
        if (conn_has_output(&p->conn))
            player_flush(s, p);
    }
}

/* ---- the quit path ---- */

void player_close(server_t *s, player_t *p, bool flush, const char *reason)
{
    if (player_closing(p))
        return;
    p->conn.flags |= CONN_CLOSING;
    if (!flush)
        p->conn.flags |= CONN_DISCARD;
    p->next_closing = s->players->closing;
    s->players->closing = p;
    log_msg(&s->log, names_held(&p->name) ? LOG_INFO : LOG_DEBUG, STAGE, "%s (fd %d) %s: %s",
            player_name(p), p->conn.fd, p->dropping ? "drops" : "leaves", reason);
}

/* At the safe point, a player whose connection dropped: its stage keeps its place, or it
 * quits. Returns true when it stays, away, without a connection. */
static bool player_go_away(server_t *s, player_t *p)
{
    p->dropping = false;
    if (!p->stage || !p->stage->away || !p->stage->away(s, p))
        return false;
    if (!(p->conn.flags & CONN_DISCARD))
        conn_finish(&p->conn); /* the last words (an idle time-out's error) still go */
    loop_del_file(s->loop, p->conn.fd, LOOP_READABLE | LOOP_WRITABLE);
    conn_close(&p->conn);
    p->conn.flags &= CONN_PENDING_WRITE; /* it may still be on the pending list */
    p->away_since = loop_now();
    s->players->away++;
    log_msg(&s->log, LOG_INFO, STAGE, "%s is away: its place is kept for %d s", p->username,
            SERVER_RESUME_SECONDS);
    return true;
}

/* At the safe point: the player leaves its stage, frees its username, and its memory goes. */
static void player_reap_one(server_t *s, player_t *p)
{
    if (p->dropping && player_go_away(s, p))
        return;
    if (player_away(p))
        s->players->away--; /* did not come back: it leaves from away */
    if (p->stage && p->stage->leave)
        p->stage->leave(s, p);
    if (names_held(&p->name) && s->players->departed)
        s->players->departed(s, p); /* before its name is free for another to take */
    if (p->features & PLAYER_NOTICE_FEATURES)
        s->players->noticed--;
    if (s->players->host == p)
        s->players->host = NULL;
    if (names_held(&p->name)) {
        names_release(s->names, &p->name);
        evening_depart(s, p->username);
        log_msg(&s->log, LOG_DEBUG, "login", "%s is free again", p->username);
        /* At shutdown everyone leaves at once: nobody is left to read it. */
        if (!s->shutting_down)
            player_notice_all(s, PROTO_FEATURE_SOCIAL, "%s left", p->username);
    }
    if (!(p->conn.flags & CONN_DISCARD) && p->conn.fd >= 0)
        conn_finish(&p->conn); /* best effort: the last error or fin reaches the client */
    if (p->prev)
        p->prev->next = p->next;
    else
        s->players->all = p->next;
    if (p->next)
        p->next->prev = p->prev;
    s->players->count--;
    player_free(s, p);
}

void player_reap(server_t *s)
{
    struct players *ps = s->players;
    /* Reaping a player sends to others (a lobby update, a vote result), and a failed write
     * closes someone: repeat until both lists are empty. */
    while (ps->pending || ps->closing) {
        player_flush_pending(s);
        /* Reap only this batch: someone closed while it is reaped (a queue overflowing on a
         * lobby update, say) may still be on the pending list, which the next flush empties
         * first, so no freed player is left on it. */
        player_t *batch = ps->closing;
        ps->closing = NULL;
        while (batch) {
            player_t *p = batch;
            batch = p->next_closing;
            player_reap_one(s, p);
        }
    }
}

void player_shutdown(server_t *s, const char *why)
{
    for (player_t *p = s->players->all; p; p = p->next)
        if (p->stage && p->stage->leaves_at_shutdown && !player_closing(p))
            player_shutdown_one(s, p, why);
}

void player_shutdown_one(server_t *s, player_t *p, const char *why)
{
    if (p->features & PROTO_FEATURE_PARTY) {
        player_bye(s, p, "shutdown", s->cfg.hosted ? SERVER_BYE_HOSTED : SERVER_BYE_SHUTDOWN);
        return;
    }
    player_error(s, p, false, "%s", why);
    player_close(s, p, true, why);
}

player_t *player_find(server_t *s, const char *username)
{
    names_entry_t *e = names_find(s->names, username);
    return e ? (player_t *)(void *)((char *)e - offsetof(player_t, name)) : NULL;
}

const char *player_host_name(const server_t *s)
{
    return s->players->host ? s->players->host->username : NULL;
}

void player_set_host(server_t *s, player_t *p)
{
    if (s->players->host)
        s->players->host->host = false;
    s->players->host = p;
    p->host = true;
}

void player_address(const player_t *p, char *buf, size_t cap)
{
    sys_addr_t peer;
    buf[0] = '\0';
    if (sys_net_peer_addr(p->conn.fd, &peer) == 0)
        sys_addr_format(&peer, false, buf, cap);
}

void player_bye(server_t *s, player_t *p, const char *reason, const char *message)
{
    if (p->features & PROTO_FEATURE_PARTY) {
        msg_t m;
        proto_init(&m, MSG_BYE);
        snprintf(m.u.bye.reason, sizeof m.u.bye.reason, "%s", reason);
        player_copy_text(m.u.bye.message, sizeof m.u.bye.message, message, PROTO_MAX_TEXT);
        player_send(s, p, &m);
    } else {
        player_error(s, p, false, "%s", message);
    }
    player_close(s, p, true, message);
}

/* ---- reading and dispatch ---- */

/* Messages every stage answers alike. Returns true when m was handled here. */
static bool player_on_common(server_t *s, player_t *p, const msg_t *m, int64_t now)
{
    switch (m->type) {
    case MSG_PING:
        player_send_type(s, p, MSG_PONG);
        return true;
    case MSG_PONG:
        return true; /* its arrival already counted as a sign of life */
    case MSG_QUIT:
        player_close(s, p, true, "quit");
        return true;
    case MSG_ERROR: {
        /* The client's words, without control characters: a newline would forge log lines. */
        char text[PROTO_TEXT_SIZE];
        player_copy_text(text, sizeof text, m->u.error.message, PROTO_MAX_TEXT);
        log_msg(&s->log, LOG_DEBUG, STAGE, "%s (fd %d) reports an error: %s", player_name(p),
                p->conn.fd, text);
        return true;
    }
    case MSG_CHAT_SEND:
        if (p->stage->logged_in && !conn_take_chat_token(&p->conn, now)) {
            player_error(s, p, false, "chat is limited to %d lines per second: slow down",
                         CONN_CHAT_PER_SEC);
            return true;
        }
        return false;
    default:
        return false;
    }
}

/* One line from p: rate limit, decode, the messages every stage answers, then p's stage. */
static void player_dispatch(server_t *s, player_t *p, const char *line, size_t len)
{
    int64_t now = loop_now();
    if (!conn_take_token(&p->conn, now)) {
        if (!(p->conn.flags & CONN_RATE_WARNED)) {
            p->conn.flags |= CONN_RATE_WARNED;
            player_error(s, p, false, "too many messages: some were dropped");
        }
        return;
    }
    char err[PROTO_TEXT_SIZE];
    msg_t *m = &s->players->in;
    if (proto_decode(line, len, PROTO_TO_SERVER, m, err, sizeof err) != PROTO_OK) {
        /* A known type with a bad field may get an answer in kind: a bad "log in" a
         * refusal, a bad "vote" an "ignored". */
        if (!p->stage->on_invalid || p->stage->on_invalid(s, p, m->type, err) < 0)
            player_error(s, p, true, "%s", err);
        return;
    }
    if (player_on_common(s, p, m, now))
        return;
    if (p->stage->on_msg(s, p, m) < 0)
        player_error(s, p, true, "unexpected \"%s\" message %s", proto_type_name(m->type),
                     p->stage->where);
}

static int player_on_line(void *ud, char *line, size_t len)
{
    player_t *p = ud;
    if (player_closing(p))
        return 1;
    player_dispatch(p->srv, p, line, len);
    return player_closing(p) ? 1 : 0;
}

static void player_on_writable(server_t *s, player_t *p)
{
    int rc = conn_flush(&p->conn);
    if (rc < 0) {
        player_drop(s, p, false, "write error");
        return;
    }
    if (rc == 0) {
        loop_del_file(s->loop, p->conn.fd, LOOP_WRITABLE);
        p->conn.flags &= (uint8_t)~CONN_WATCH_WRITE;
    }
}

static void player_on_readable(server_t *s, player_t *p)
{
    char why[128] = "read error";
    int rc = conn_read(&p->conn, s->players->readbuf, CONN_READ_CHUNK, player_on_line, p,
                       loop_now(), why, sizeof why);
    switch (rc) {
    case CONN_READ_OK:
    case CONN_READ_AGAIN:
        break;
    case CONN_READ_EOF:
        player_drop(s, p, true, "disconnected");
        break;
    case CONN_READ_ERROR:
        player_drop(s, p, false, why);
        break;
    case CONN_READ_TOO_LONG:
        player_error(s, p, false, "line longer than %d bytes", PROTO_MAX_LINE);
        player_close(s, p, true, "line too long");
        break;
    default:
        player_close(s, p, false, "out of memory");
        break;
    }
    if (p->takes_over)
        player_take_over(s, p->takes_over, p);
    /* The replies to what was just read go out in one write now rather than at
     * before-sleep: their buffer is freed at once and reused by the next connection, so a
     * burst of logins does not hold one buffer per client until the iteration ends. */
    if (!player_closing(p) && conn_has_output(&p->conn) && !(p->conn.flags & CONN_WATCH_WRITE))
        player_flush(s, p);
}

static void player_on_event(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    (void)fd;
    player_t *p = ud;
    server_t *s = p->srv;
    if (player_closing(p) || player_away(p))
        return;
    if (mask & LOOP_WRITABLE) {
        player_on_writable(s, p);
        if (player_closing(p))
            return;
    }
    if (mask & LOOP_READABLE)
        player_on_readable(s, p);
}

/* ---- housekeeping: idle connections, login time-outs, heartbeats ---- */

static void player_check_idle(server_t *s, player_t *p, int64_t now)
{
    int64_t idle = (int64_t)s->cfg.idle_timeout * LOOP_NS_PER_SEC;
    int64_t ping = (int64_t)SERVER_PING_INTERVAL * LOOP_NS_PER_SEC;
    int login_s = guard_login_timeout(s, p->guard);
    int64_t login = (int64_t)login_s * LOOP_NS_PER_SEC;
    conn_t *c = &p->conn;
    if (!p->stage->logged_in) {
        /* Before login only the login time-out applies: no ping, no idle drop. The original
         * Python client knows no "ping", and its player may take a while to type a name. */
        if (now - p->connected_at >= login) {
            player_error(s, p, false, "no log in within %d seconds", login_s);
            player_close(s, p, true, "log in timed out");
        }
    } else if (player_away(p)) {
        if (now - p->away_since >= (int64_t)SERVER_RESUME_SECONDS * LOOP_NS_PER_SEC)
            player_close(s, p, false, "did not come back");
    } else if (now - c->last_recv >= idle) {
        player_error(s, p, false, "nothing received for %d seconds", s->cfg.idle_timeout);
        player_drop(s, p, true, "idle time-out");
    } else if (now - c->last_recv >= ping && now - c->last_ping >= ping) {
        c->last_ping = now;
        player_send_type(s, p, MSG_PING);
    }
}

static int64_t player_housekeeping(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    server_t *s = ud;
    int64_t now = loop_now();
    for (player_t *p = s->players->all; p; p = p->next)
        if (!player_closing(p) && p->stage)
            player_check_idle(s, p, now);
    player_give_back(s->players);
    return now + SERVER_HOUSEKEEPING_MS * LOOP_NS_PER_MS;
}

/* ---- resuming after a drop ---- */

bool player_away(const player_t *p)
{
    return p->away_since != 0;
}

void player_drop(server_t *s, player_t *p, bool flush, const char *reason)
{
    if (player_closing(p) || player_away(p))
        return;
    /* Through the closing list, so that the connection goes at the safe point like any
     * other; there the stage decides whether the place is kept (player_go_away). */
    p->dropping = p->resume_token[0] && p->stage && p->stage->away;
    player_close(s, p, flush, reason);
}

void player_resume(server_t *s, player_t *fresh, player_t *old)
{
    fresh->takes_over = old;
    /* Closing stops the reading of fresh's lines right after this one; the connection itself
     * moves to old in player_take_over, once linebuf is done with this chunk. */
    player_close(s, fresh, false, "resumes a player");
}

/* fresh's socket becomes old's: old's place, name and stage carry on with it. */
static void player_take_over(server_t *s, player_t *old, player_t *fresh)
{
    fresh->takes_over = NULL;
    if (old->conn.fd >= 0) {
        /* A half-dead connection (a laptop lid, a Wi-Fi blip) is replaced at once. */
        loop_del_file(s->loop, old->conn.fd, LOOP_READABLE | LOOP_WRITABLE);
        conn_close(&old->conn);
    }
    int fd = fresh->conn.fd;
    loop_del_file(s->loop, fd, LOOP_READABLE | LOOP_WRITABLE);
    /* Each player keeps its own place on the pending list: the flag stays with the player. */
    uint8_t old_pending = old->conn.flags & CONN_PENDING_WRITE;
    uint8_t fresh_pending = fresh->conn.flags & CONN_PENDING_WRITE;
    old->conn = fresh->conn;
    old->conn.flags = (uint8_t)((old->conn.flags & ~(CONN_CLOSING | CONN_DISCARD |
                                                     CONN_PENDING_WRITE | CONN_WATCH_WRITE)) |
                                old_pending);
    old->conn.errors = 0;
    old->conn.last_recv = loop_now();
    conn_init(&fresh->conn, -1, loop_now(), &s->players->held);
    fresh->conn.flags = (uint8_t)(CONN_CLOSING | CONN_DISCARD | fresh_pending);
    if (player_away(old))
        s->players->away--;
    old->away_since = 0;
    if (loop_add_file(s->loop, fd, LOOP_READABLE, player_on_event, old) < 0) {
        player_close(s, old, false, "out of memory");
        return;
    }
    log_msg(&s->log, LOG_INFO, STAGE, "%s resumes (fd %d)", old->username, fd);
    msg_t m;
    proto_init(&m, MSG_LOGIN_UPDATE);
    m.u.login_update.accepted = true;
    m.u.login_update.version = PROTO_VERSION;
    memcpy(m.u.login_update.resume, old->resume_token, sizeof old->resume_token);
    player_send(s, old, &m);
    if (old->stage->resume)
        old->stage->resume(s, old);
    if (conn_has_output(&old->conn))
        player_flush(s, old);
}
