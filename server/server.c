/* server.c -- the core: start-up, connections, message dispatch, the quit path, housekeeping,
 * shutdown; uses server.h, conn, loop and common */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets.h"
#include "server.h"
#include "utf8.h"

#define STAGE "server"

/* ---- life cycle ---- */

static void warn_world(void *ud, const char *message)
{
    server_t *s = ud;
    log_msg(&s->log, LOG_WARN, "worlds", "%s", message);
}

static void before_sleep(loop_t *l, void *ud);
static int64_t housekeeping(loop_t *l, long long id, void *ud);

static uint64_t seed_random(void)
{
    uint64_t seed = 0;
    if (getentropy(&seed, sizeof seed) < 0 || seed == 0)
        seed = (uint64_t)loop_now() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ull;
    return seed;
}

int server_init(server_t *s, const server_config_t *cfg)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->log.level = cfg->log_level;
    s->started_at = loop_now();
    s->rng = seed_random();
    for (int i = 0; i < SERVER_MAX_LISTENERS; i++)
        s->listen_fds[i] = -1;

    if (s->cfg.worlds_dir[0] == '\0') {
        char assets[SERVER_PATH_SIZE - 16];
        if (assets_find(assets, sizeof assets) < 0) {
            log_msg(&s->log, LOG_ERROR, "worlds",
                    "cannot find the assets folder (last tried %s); use --worlds DIR", assets);
            return -1;
        }
        snprintf(s->cfg.worlds_dir, sizeof s->cfg.worlds_dir, "%s/worlds", assets);
    }
    s->worlds = calloc(WORLD_MAX_FILES, sizeof *s->worlds);
    s->in = malloc(sizeof *s->in);
    s->out = malloc(sizeof *s->out);
    s->line = malloc(PROTO_MAX_LINE + 1);
    s->readbuf = malloc(CONN_READ_CHUNK);
    s->loop = loop_create();
    if (!s->worlds || !s->in || !s->out || !s->line || !s->readbuf || !s->loop ||
        names_init(s) < 0) {
        log_msg(&s->log, LOG_ERROR, STAGE, "out of memory");
        return -1;
    }
    s->nworlds = world_load_dir(s->worlds, WORLD_MAX_FILES, s->cfg.worlds_dir, warn_world, s);
    if (s->nworlds <= 0) {
        log_msg(&s->log, LOG_ERROR, "worlds", "no valid world in %s", s->cfg.worlds_dir);
        return -1;
    }
    for (int i = 0; i < s->nworlds; i++)
        log_msg(&s->log, LOG_DEBUG, "worlds", "loaded \"%s\" (%dx%d, %d s)", s->worlds[i].name,
                s->worlds[i].width, s->worlds[i].height, s->worlds[i].duration);
    log_msg(&s->log, LOG_INFO, "worlds", "%d world%s from %s", s->nworlds,
            s->nworlds == 1 ? "" : "s", s->cfg.worlds_dir);

    loop_set_before_sleep(s->loop, before_sleep, s);
    s->housekeeping_timer = loop_add_timer(
        s->loop, loop_now() + SERVER_HOUSEKEEPING_MS * LOOP_NS_PER_MS, housekeeping, s);
    return s->housekeeping_timer < 0 ? -1 : 0;
}

static void free_player(server_t *s, player_t *p)
{
    if (p->conn.fd >= 0)
        loop_del_file(s->loop, p->conn.fd, LOOP_READABLE | LOOP_WRITABLE);
    conn_close(&p->conn);
    free(p);
}

void server_free(server_t *s)
{
    accept_stop(s);
    sub_free_all(s);
    while (s->players) {
        player_t *p = s->players;
        s->players = p->next;
        free_player(s, p);
    }
    names_free(s);
    loop_destroy(s->loop);
    free(s->worlds);
    free(s->in);
    free(s->out);
    free(s->line);
    free(s->readbuf);
    memset(s, 0, sizeof *s);
}

uint64_t server_random(server_t *s)
{
    /* xorshift64*: tie-breaks and game seeds need variety, not secrecy. */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 0x2545f4914f6cdd1dull;
}

int64_t server_uptime(const server_t *s)
{
    return (loop_now() - s->started_at) / LOOP_NS_PER_SEC;
}

void server_get_counts(const server_t *s, server_counts_t *out)
{
    out->connections = s->nconns;
    out->players = s->nnamed;
    out->lobby = s->nlobby;
    out->games = s->nsubs;
    out->group_size = s->cfg.group_size;
}

static void on_conn_event(loop_t *l, int fd, void *ud, int mask);
static void flush_one(server_t *s, player_t *p);
static void flush_pending(server_t *s);

/* ---- sending ---- */

bool player_closing(const player_t *p)
{
    return (p->conn.flags & CONN_CLOSING) != 0;
}

static const char *player_name(const player_t *p)
{
    return p->named ? p->username : "(not logged in)";
}

int server_encode(server_t *s, const msg_t *m)
{
    int n = proto_encode(m, s->line, PROTO_MAX_LINE + 1);
    if (n < 0)
        log_msg(&s->log, LOG_ERROR, STAGE, "could not encode a \"%s\" message",
                proto_type_name(m->type));
    return n;
}

void player_send_line(server_t *s, player_t *p, const char *line, size_t len)
{
    if (player_closing(p))
        return;
    if (conn_queue(&p->conn, line, len, s->cfg.max_output) < 0) {
        log_msg(&s->log, LOG_WARN, STAGE,
                "%s (fd %d) is not reading: over %zu bytes of output queued, dropped",
                player_name(p), p->conn.fd, s->cfg.max_output);
        player_close(s, p, false, "not reading");
        return;
    }
    if (!(p->conn.flags & CONN_PENDING_WRITE)) {
        p->conn.flags |= CONN_PENDING_WRITE;
        p->next_pending = s->pending;
        s->pending = p;
    }
    /* Writes wait for the end of the loop iteration, so that each client gets one write for
     * all its messages. But a busy iteration (thousands of logins, groups forming) would
     * hold a buffer per client until then: past a bound, flush now. Flushing frees nobody,
     * so it is safe inside any handler. */
    s->pending_bytes += len;
    if (s->pending_bytes >= SERVER_FLUSH_PENDING)
        flush_pending(s);
}

void player_send(server_t *s, player_t *p, const msg_t *m)
{
    if (player_closing(p))
        return;
    int n = server_encode(s, m);
    if (n >= 0)
        player_send_line(s, p, s->line, (size_t)n);
}

/* Copies text for the wire: whole code points only, no control characters. */
static void copy_text(char *dst, size_t cap, const char *src, size_t max_chars)
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
    proto_init(s->out, MSG_ERROR);
    copy_text(s->out->u.error.message, sizeof s->out->u.error.message, text, PROTO_MAX_TEXT);
    player_send(s, p, s->out);
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s (fd %d): error: %s", player_name(p), p->conn.fd, text);
    if (counted && ++p->conn.errors >= CONN_MAX_ERRORS)
        player_close(s, p, true, "too many protocol errors");
}

bool server_clean_chat(const char *text, char *out, size_t cap)
{
    copy_text(out, cap, text, PROTO_MAX_CHAT);
    for (const char *c = out; *c; c++)
        if (*c != ' ')
            return true;
    return false;
}

/* ---- connections ---- */

void player_close(server_t *s, player_t *p, bool flush, const char *reason)
{
    if (player_closing(p))
        return;
    p->conn.flags |= CONN_CLOSING;
    if (!flush)
        p->conn.flags |= CONN_DISCARD;
    p->next_closing = s->closing;
    s->closing = p;
    log_msg(&s->log, p->named ? LOG_INFO : LOG_DEBUG, STAGE, "%s (fd %d) leaves: %s",
            player_name(p), p->conn.fd, reason);
}

int server_add_connection(server_t *s, int fd, const char *peer)
{
    player_t *p = calloc(1, sizeof *p);
    if (!p) {
        close(fd);
        return -1;
    }
    int64_t now = loop_now();
    conn_init(&p->conn, fd, now);
    p->srv = s;
    p->connected_at = now;
    if (loop_add_file(s->loop, fd, LOOP_READABLE, on_conn_event, p) < 0) {
        log_msg(&s->log, LOG_WARN, "accept", "out of memory for fd %d from %s", fd, peer);
        conn_close(&p->conn);
        free(p);
        return -1;
    }
    p->next = s->players;
    if (s->players)
        s->players->prev = p;
    s->players = p;
    s->nconns++;
    log_msg(&s->log, LOG_DEBUG, "accept", "connection from %s (fd %d)", peer, fd);
    login_enter(s, p);
    flush_one(s, p); /* the greeting: no buffer kept per accepted connection */
    return 0;
}

/* The quit path, at the safe point: the player leaves its stage, frees its username, and
 * its memory goes. */
static void reap_player(server_t *s, player_t *p)
{
    switch (p->state) {
    case PLAYER_LOGIN:
        login_leave(s, p);
        break;
    case PLAYER_LOBBY:
        lobby_leave(s, p);
        break;
    case PLAYER_SUB:
        sub_leave(s, p);
        break;
    }
    names_release(s, p);
    if (!(p->conn.flags & CONN_DISCARD))
        conn_finish(&p->conn); /* best effort: the last error or fin reaches the client */
    if (p->prev)
        p->prev->next = p->next;
    else
        s->players = p->next;
    if (p->next)
        p->next->prev = p->prev;
    s->nconns--;
    free_player(s, p);
}

/* Writes what p has queued; what the socket does not take waits for a writable event. */
static void flush_one(server_t *s, player_t *p)
{
    int rc = conn_flush(&p->conn);
    if (rc < 0) {
        player_close(s, p, false, "write error");
    } else if (rc > 0 && !(p->conn.flags & CONN_WATCH_WRITE)) {
        loop_add_file(s->loop, p->conn.fd, LOOP_WRITABLE, on_conn_event, p);
        p->conn.flags |= CONN_WATCH_WRITE;
    }
}

static void flush_pending(server_t *s)
{
    s->pending_bytes = 0;
    while (s->pending) {
        player_t *p = s->pending;
        s->pending = p->next_pending;
        p->next_pending = NULL;
        p->conn.flags &= (uint8_t)~CONN_PENDING_WRITE;
        if (player_closing(p))
            continue; /* reap_player flushes it */
        if (conn_has_output(&p->conn))
            flush_one(s, p);
    }
}

/* The safe point: no handler is running, so connections and groups can be freed. */
static void before_sleep(loop_t *l, void *ud)
{
    server_t *s = ud;
    /* Reaping a player sends to others (a lobby update, a vote result), and a failed write
     * closes someone: repeat until both lists are empty. */
    while (s->pending || s->closing) {
        flush_pending(s);
        /* Reap only this batch: someone closed while it is reaped (a queue overflowing on a
         * lobby update, say) may still be on the pending list, which the next flush_pending
         * empties first, so no freed player is left on it. */
        player_t *batch = s->closing;
        s->closing = NULL;
        while (batch) {
            player_t *p = batch;
            batch = p->next_closing;
            reap_player(s, p);
        }
    }
    sub_reap(s);
    if (s->shutting_down && s->nconns == 0 && s->nsubs == 0) {
        log_msg(&s->log, LOG_INFO, STAGE, "every round is over: exiting");
        loop_stop(l);
    }
}

typedef struct line_ctx {
    server_t *s;
    player_t *p;
} line_ctx_t;

static const char *stage_name(player_state_t st)
{
    switch (st) {
    case PLAYER_LOGIN:
        return "before log in";
    case PLAYER_LOBBY:
        return "in the lobby";
    case PLAYER_SUB:
        return "in a game";
    }
    return "";
}

static void dispatch_line(server_t *s, player_t *p, const char *line, size_t len)
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
    msg_t *m = s->in;
    if (proto_decode(line, len, PROTO_TO_SERVER, m, err, sizeof err) != PROTO_OK) {
        /* A known type with a bad field may get an answer in kind: a bad "log in" a
         * refusal, a bad "vote" an "ignored". */
        int rc = -1;
        if (p->state == PLAYER_LOGIN)
            rc = login_on_invalid(s, p, m->type, err);
        else if (p->state == PLAYER_SUB)
            rc = sub_on_invalid(s, p, m->type, err);
        if (rc < 0)
            player_error(s, p, true, "%s", err);
        return;
    }
    switch (m->type) {
    case MSG_PING:
        proto_init(s->out, MSG_PONG);
        player_send(s, p, s->out);
        return;
    case MSG_PONG:
        return; /* its arrival already counted as a sign of life */
    case MSG_QUIT:
        player_close(s, p, true, "quit");
        return;
    case MSG_ERROR: {
        /* The client's words, without control characters: a newline would forge log lines. */
        char text[PROTO_TEXT_SIZE];
        copy_text(text, sizeof text, m->u.error.message, PROTO_MAX_TEXT);
        log_msg(&s->log, LOG_DEBUG, STAGE, "%s (fd %d) reports an error: %s", player_name(p),
                p->conn.fd, text);
        return;
    }
    case MSG_CHAT_SEND:
        if (p->state != PLAYER_LOGIN && !conn_take_chat_token(&p->conn, now)) {
            player_error(s, p, false, "chat is limited to %d lines per second: slow down",
                         CONN_CHAT_PER_SEC);
            return;
        }
        break;
    default:
        break;
    }
    int rc = -1;
    switch (p->state) {
    case PLAYER_LOGIN:
        rc = login_on_msg(s, p, m);
        break;
    case PLAYER_LOBBY:
        rc = lobby_on_msg(s, p, m);
        break;
    case PLAYER_SUB:
        rc = sub_on_msg(s, p, m);
        break;
    }
    if (rc < 0)
        player_error(s, p, true, "unexpected \"%s\" message %s", proto_type_name(m->type),
                     stage_name(p->state));
}

static int on_line(void *ud, char *line, size_t len)
{
    line_ctx_t *ctx = ud;
    if (player_closing(ctx->p))
        return 1;
    dispatch_line(ctx->s, ctx->p, line, len);
    return player_closing(ctx->p) ? 1 : 0;
}

static void on_conn_event(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    player_t *p = ud;
    server_t *s = p->srv;
    if (player_closing(p))
        return;
    if (mask & LOOP_WRITABLE) {
        int rc = conn_flush(&p->conn);
        if (rc < 0) {
            player_close(s, p, false, "write error");
            return;
        }
        if (rc == 0) {
            loop_del_file(s->loop, fd, LOOP_WRITABLE);
            p->conn.flags &= (uint8_t)~CONN_WATCH_WRITE;
        }
    }
    if (mask & LOOP_READABLE) {
        line_ctx_t ctx = {s, p};
        int rc = conn_read(&p->conn, s->readbuf, CONN_READ_CHUNK, on_line, &ctx, loop_now());
        switch (rc) {
        case CONN_READ_OK:
        case CONN_READ_AGAIN:
            break;
        case CONN_READ_EOF:
            player_close(s, p, true, "disconnected");
            break;
        case CONN_READ_ERROR:
            player_close(s, p, false, strerror(errno));
            break;
        case CONN_READ_TOO_LONG:
            player_error(s, p, false, "line longer than %d bytes", PROTO_MAX_LINE);
            player_close(s, p, true, "line too long");
            break;
        default:
            player_close(s, p, false, "out of memory");
            break;
        }
        /* The replies to what was just read go out in one write now rather than at
         * before-sleep: their buffer is freed at once and reused by the next connection, so a
         * burst of logins does not hold one buffer per client until the iteration ends. */
        if (!player_closing(p) && conn_has_output(&p->conn) && !(p->conn.flags & CONN_WATCH_WRITE))
            flush_one(s, p);
    }
}

/* ---- housekeeping: idle connections, login time-outs, heartbeats ---- */

static int64_t housekeeping(loop_t *l, long long id, void *ud)
{
    (void)id;
    server_t *s = ud;
    int64_t now = loop_now();
    int64_t idle = (int64_t)s->cfg.idle_timeout * LOOP_NS_PER_SEC;
    int64_t ping = (int64_t)SERVER_PING_INTERVAL * LOOP_NS_PER_SEC;
    int64_t login = (int64_t)SERVER_LOGIN_TIMEOUT * LOOP_NS_PER_SEC;
    for (player_t *p = s->players; p; p = p->next) {
        if (player_closing(p))
            continue;
        conn_t *c = &p->conn;
        if (p->state == PLAYER_LOGIN) {
            /* Before login only the login time-out applies: no ping, no idle drop. The
             * original Python client knows no "ping", and its player may take a while to
             * type a name. */
            if (now - p->connected_at >= login) {
                player_error(s, p, false, "no log in within %d seconds", SERVER_LOGIN_TIMEOUT);
                player_close(s, p, true, "log in timed out");
            }
        } else if (now - c->last_recv >= idle) {
            player_error(s, p, false, "nothing received for %d seconds", s->cfg.idle_timeout);
            player_close(s, p, true, "idle time-out");
        } else if (now - c->last_recv >= ping && now - c->last_ping >= ping) {
            c->last_ping = now;
            proto_init(s->out, MSG_PING);
            player_send(s, p, s->out);
        }
    }
    (void)l;
    return now + SERVER_HOUSEKEEPING_MS * LOOP_NS_PER_MS;
}

/* ---- shutdown ---- */

void server_shutdown(server_t *s)
{
    if (s->shutting_down)
        return;
    s->shutting_down = true;
    log_msg(&s->log, LOG_INFO, STAGE,
            "shutting down: no new connections; running rounds finish (%d group%s)", s->nsubs,
            s->nsubs == 1 ? "" : "s");
    accept_stop(s);
    for (player_t *p = s->players; p; p = p->next) {
        if (p->state == PLAYER_LOGIN || p->state == PLAYER_LOBBY) {
            player_error(s, p, false, "server shutting down");
            player_close(s, p, true, "server shutting down");
        }
    }
    sub_shutdown(s);
}
