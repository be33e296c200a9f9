/* bot.c -- headless players on one poll(2) loop; depends on common/ (proto, linebuf, world,
 * sim, rng), the seam (sys_net.h, sys_os.h) and the brain, never on SDL */
#include "bot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sys_os.h"

static const char *const PHASE_NAMES[] = {
    [BOT_IDLE] = "not started", [BOT_CONNECTING] = "connecting", [BOT_GREETING] = "greeting",
    [BOT_LOGGING_IN] = "login", [BOT_LOBBY] = "lobby",           [BOT_VOTING] = "vote",
    [BOT_PLAYING] = "game",     [BOT_END] = "end screen",        [BOT_WATCHING] = "watching",
    [BOT_DONE] = "done",        [BOT_FAILED] = "failed",
};

const char *bot_phase_name(bot_phase_t p)
{
    if ((int)p < 0 || (size_t)p >= sizeof(PHASE_NAMES) / sizeof(PHASE_NAMES[0]))
        return "?";
    return PHASE_NAMES[p];
}

double bot_now(void)
{
    return (double)sys_clock_ns() / (double)SYS_NS_PER_SEC;
}

long bot_raise_fd_limit(long need)
{
    char err[128];
    long limit = sys_raise_fd_limit(need, err, sizeof err);
    return limit < 0 ? need : limit; /* unlimited */
}

static void set_phase(bot_set_t *s, bot_t *b, bot_phase_t phase)
{
    bot_phase_t from = b->phase;
    if (from == phase)
        return;
    b->phase = phase;
    if (phase == BOT_DONE)
        s->nfinished++;
    if (s->cfg.hooks.on_phase)
        s->cfg.hooks.on_phase(s->cfg.hooks.ud, b, from);
}

static void drop_game(bot_t *b)
{
    free(b->world);
    free(b->brain);
    b->world = NULL;
    b->brain = NULL;
    b->me = -1;
}

static void close_conn(bot_t *b)
{
    sys_net_close(b->fd);
    b->fd = -1;
    if (!b->in_feed)
        linebuf_free(&b->lb);
    free(b->out);
    b->out = NULL;
    b->out_len = b->out_cap = 0;
    drop_game(b);
}

static void fail(bot_set_t *s, bot_t *b, const char *fmt, ...)
{
    if (b->phase == BOT_FAILED || b->phase == BOT_DONE)
        return;
    char what[BOT_MAX_REASON - 32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    snprintf(b->reason, sizeof(b->reason), "%.*s (in %s)", (int)sizeof(what), what,
             bot_phase_name(b->phase));
    if (s->nfailed == 0)
        snprintf(s->first_failure, sizeof(s->first_failure), "%.*s: %.*s", PROTO_USERNAME_SIZE,
                 b->username[0] ? b->username : "bot", BOT_MAX_REASON - 1, b->reason);
    s->nfailed++;
    close_conn(b);
    set_phase(s, b, BOT_FAILED);
}

/* Writes what is queued; keeps the rest for POLLOUT. Returns 0, or -1 when the bot failed. */
static int flush_out(bot_set_t *s, bot_t *b)
{
    size_t off = 0;
    while (off < b->out_len) {
        char why[128];
        long n = sys_net_send(b->fd, b->out + off, b->out_len - off, why, sizeof why);
        if (n > 0) {
            off += (size_t)n;
            s->bytes_out += (uint64_t)n;
        } else if (n == SYS_NET_AGAIN) {
            break;
        } else {
            fail(s, b, "%s", n < 0 ? why : "write: nothing written");
            return -1;
        }
    }
    if (off == b->out_len) {
        /* Nothing pending: give the buffer back, idle bots hold none. */
        free(b->out);
        b->out = NULL;
        b->out_len = b->out_cap = 0;
    } else if (off > 0) {
        memmove(b->out, b->out + off, b->out_len - off);
        b->out_len -= off;
    }
    return 0;
}

static int queue_bytes(bot_set_t *s, bot_t *b, const char *data, size_t len)
{
    if (b->fd < 0)
        return -1;
    if (b->out_len + len > BOT_MAX_OUTPUT) {
        fail(s, b, "the server stopped reading (%zu bytes queued)", b->out_len);
        return -1;
    }
    if (b->out_len + len > b->out_cap) {
        size_t cap = b->out_cap ? b->out_cap : 256;
        while (cap < b->out_len + len)
            cap *= 2;
        char *p = realloc(b->out, cap);
        if (!p) {
            fail(s, b, "out of memory");
            return -1;
        }
        b->out = p;
        b->out_cap = cap;
    }
    memcpy(b->out + b->out_len, data, len);
    b->out_len += len;
    if (b->phase == BOT_CONNECTING)
        return 0;
    return flush_out(s, b);
}

/* s->enc_msg holds the message; only its type and its own fields are set. */
static int send_msg(bot_set_t *s, bot_t *b)
{
    int n = proto_encode(s->enc_msg, s->enc, PROTO_MAX_LINE);
    if (n < 0) {
        fail(s, b, "cannot encode a \"%s\" message", proto_type_name(s->enc_msg->type));
        return -1;
    }
    return queue_bytes(s, b, s->enc, (size_t)n);
}

static int send_simple(bot_set_t *s, bot_t *b, msg_type_t type)
{
    s->enc_msg->type = type;
    return send_msg(s, b);
}

static void make_username(const bot_set_t *s, bot_t *b)
{
    if (b->attempt <= 1)
        snprintf(b->username, sizeof(b->username), "%s%d", s->cfg.prefix, b->index);
    else
        snprintf(b->username, sizeof(b->username), "%s%d_%d", s->cfg.prefix, b->index, b->attempt);
}

static int send_login(bot_set_t *s, bot_t *b)
{
    if (b->resuming) {
        /* The same name, with the token: the server may still be letting the old connection
         * go, and then asks to try again. */
        if (++b->resume_tries > BOT_MAX_LOGIN_ATTEMPTS) {
            fail(s, b, "could not resume: %d tries", BOT_MAX_LOGIN_ATTEMPTS);
            return -1;
        }
    } else {
        if (++b->attempt > BOT_MAX_LOGIN_ATTEMPTS) {
            fail(s, b, "login refused: %d names taken", BOT_MAX_LOGIN_ATTEMPTS);
            return -1;
        }
        make_username(s, b);
    }
    s->enc_msg->type = MSG_LOGIN;
    snprintf(s->enc_msg->u.login.username, sizeof(s->enc_msg->u.login.username), "%s", b->username);
    s->enc_msg->u.login.version = PROTO_VERSION;
    /* Only a bot that drops on purpose asks for a token: the others keep the server's plain
     * quit path, as load tests expect. */
    s->enc_msg->u.login.resume_sent = s->cfg.drop_every_ms > 0;
    s->enc_msg->u.login.features = s->cfg.watch ? PROTO_FEATURE_PARTY | PROTO_FEATURE_WATCH : 0;
    snprintf(s->enc_msg->u.login.resume, sizeof(s->enc_msg->u.login.resume), "%s",
             b->resuming ? b->token : "");
    set_phase(s, b, BOT_LOGGING_IN);
    return send_msg(s, b);
}

static int send_input(bot_set_t *s, bot_t *b, const sim_input_t *in)
{
    s->enc_msg->type = MSG_INPUT;
    s->enc_msg->u.input.seq = in->seq;
    s->enc_msg->u.input.dx = in->dx;
    s->enc_msg->u.input.dy = in->dy;
    s->enc_msg->u.input.dash = in->dash;
    if (send_msg(s, b) != 0)
        return -1;
    b->sent = *in;
    b->sent_any = true;
    s->inputs_out++;
    if (s->cfg.hooks.on_input)
        s->cfg.hooks.on_input(s->cfg.hooks.ud, b, in);
    return 0;
}

uint32_t bot_send_input(bot_set_t *s, bot_t *b, int dx, int dy, bool dash)
{
    if (b->phase != BOT_PLAYING || b->fd < 0)
        return 0;
    if (++b->manual_seq == 0)
        b->manual_seq = 1;
    sim_input_t in = {.seq = b->manual_seq,
                      .dx = (int8_t)(dx < 0 ? -1 : dx > 0),
                      .dy = (int8_t)(dy < 0 ? -1 : dy > 0),
                      .dash = dash};
    return send_input(s, b, &in) == 0 ? in.seq : 0;
}

static void on_game_start(bot_set_t *s, bot_t *b, const msg_game_start_t *gs)
{
    drop_game(b);
    b->world = malloc(sizeof(*b->world));
    b->brain = s->cfg.manual_input ? NULL : malloc(sizeof(*b->brain));
    if (!b->world || (!s->cfg.manual_input && !b->brain)) {
        fail(s, b, "out of memory");
        return;
    }
    char err[256];
    /* The bot only needs the tiles: a duration out of range is replaced. */
    if (proto_world_info_to_world(b->world, &gs->world, gs->duration, err, sizeof(err)) != 0) {
        fail(s, b, "the server sent a world that does not load: %s", err);
        return;
    }
    b->me = -1;
    for (int i = 0; i < gs->nplayers && i < PROTO_MAX_PLAYERS; i++) {
        if (strcmp(gs->players[i].username, gs->you) == 0)
            b->me = i;
    }
    if (b->brain)
        brain_init(b->brain,
                   s->cfg.seed ^ gs->seed ^ ((uint64_t)b->index << 32) ^ (uint64_t)b->rounds_done);
    b->sent_any = false;
    b->last_ack = 0;
    b->next_drop = bot_now() + s->cfg.drop_every_ms / 1000.0;
    set_phase(s, b, BOT_PLAYING);
    if (s->cfg.verbose)
        printf("%s: round %d on %s with %d players\n", b->username, b->rounds_done + 1,
               gs->world.name, gs->nplayers);
}

static void on_state(bot_set_t *s, bot_t *b, const msg_state_t *st)
{
    s->states_in++;
    if (b->phase != BOT_PLAYING || !b->world)
        return;
    /* The game start's order is the simulation's; still, trust the names. */
    if (b->me < 0 || b->me >= st->nplayers || strcmp(st->players[b->me].username, b->username) != 0)
        b->me = brain_find_player(st, b->username);
    if (b->me >= 0)
        b->last_ack = st->players[b->me].ack;
    if (s->cfg.hooks.on_state)
        s->cfg.hooks.on_state(s->cfg.hooks.ud, b, st);
    /* Tick 0 is the countdown's snapshot: an input before GO would be dropped, and the bot
     * sends only changes. */
    if (b->phase != BOT_PLAYING || !b->brain || b->me < 0 || st->tick == 0)
        return;
    sim_input_t in;
    brain_decide(b->brain, b->world, st, b->me, &in);
    /* Send only what changes: the server holds the last input. */
    if (!b->sent_any || in.dx != b->sent.dx || in.dy != b->sent.dy || in.dash != b->sent.dash)
        send_input(s, b, &in);
}

static void on_fin(bot_set_t *s, bot_t *b, const msg_fin_t *fin)
{
    b->rounds_done++;
    drop_game(b);
    if (s->cfg.verbose) {
        for (int i = 0; i < fin->nresults; i++) {
            if (strcmp(fin->results[i].username, b->username) == 0)
                printf("%s: round %d on %s: score %d, rank %d of %d\n", b->username, b->rounds_done,
                       fin->world, fin->results[i].score, fin->results[i].rank, fin->nresults);
        }
    }
    if (s->cfg.rounds > 0 && b->rounds_done >= s->cfg.rounds) {
        if (s->cfg.stay) {
            set_phase(s, b, BOT_DONE);
            return;
        }
        /* Done before saying so: a server that shuts down closes right after "fin", and the
         * "quit" that then meets a closed socket (EPIPE, a reset) is no failure. */
        set_phase(s, b, BOT_DONE);
        if (s->cfg.verbose)
            printf("%s: done after %d rounds\n", b->username, b->rounds_done);
        send_simple(s, b, MSG_QUIT);
        close_conn(b);
        return;
    }
    if (send_simple(s, b, MSG_CONTINUE) == 0)
        set_phase(s, b, BOT_END);
}

static void on_select_world(bot_set_t *s, bot_t *b, const msg_select_world_t *sw)
{
    set_phase(s, b, BOT_VOTING);
    if (s->cfg.vote == BOT_VOTE_NONE || sw->nworlds < 1)
        return;
    int index =
        s->cfg.vote == BOT_VOTE_FIRST ? 0 : (int)(rng_next(&b->rng) % (uint64_t)sw->nworlds);
    s->enc_msg->type = MSG_VOTE;
    s->enc_msg->u.vote.index = index;
    send_msg(s, b);
}

/* Watch mode: the first group in a round (or voting for one) in the lobby's view. */
static void watch_pick(bot_set_t *s, bot_t *b, const msg_lobby_update_t *u)
{
    if (b->phase != BOT_LOBBY || b->watching != 0)
        return;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < u->ngroups; i++) {
            const proto_group_info_t *g = &u->groups[i];
            if (g->id > 0 && g->phase == (pass == 0 ? PROTO_PHASE_GAME : PROTO_PHASE_VOTE)) {
                b->watching = g->id;
                s->enc_msg->type = MSG_WATCH;
                s->enc_msg->u.watch.group = g->id;
                if (send_msg(s, b) == 0)
                    set_phase(s, b, BOT_WATCHING);
                return;
            }
        }
}

static void watch_fin(bot_set_t *s, bot_t *b, const msg_fin_t *fin)
{
    b->watched_fin = malloc(sizeof *b->watched_fin);
    if (!b->watched_fin) {
        fail(s, b, "out of memory");
        return;
    }
    *b->watched_fin = *fin;
    b->watched_fin->continue_ms = 0;
    set_phase(s, b, BOT_DONE);
    send_simple(s, b, MSG_QUIT);
    close_conn(b);
}

/* Watch mode's messages: 0 when handled here. */
static int watch_message(bot_set_t *s, bot_t *b, const msg_t *m)
{
    switch (m->type) {
    case MSG_LOBBY_UPDATE:
        watch_pick(s, b, &m->u.lobby_update);
        return 0;
    case MSG_WATCH_REPLY:
        if (!m->u.watch_reply.accepted)
            fail(s, b, "watching group %d refused: %s", (int)m->u.watch_reply.group,
                 m->u.watch_reply.message);
        else if (s->cfg.verbose)
            printf("%s: watching group %d\n", b->username, (int)m->u.watch_reply.group);
        return 0;
    case MSG_WATCH_END:
        fail(s, b, "watching ended: %s", m->u.watch_end.message);
        return 0;
    case MSG_STATE:
        if (b->phase == BOT_WATCHING && b->watch_states++ == 0)
            b->watch_first = m->u.state.tick;
        return -1; /* counted as any state */
    case MSG_FINISH:
        if (b->phase == BOT_WATCHING)
            watch_fin(s, b, &m->u.fin);
        return 0;
    case MSG_SELECT_WORLD:
    case MSG_GAME_START:
        return 0; /* a watcher never plays: its own round would start only with others */
    default:
        return -1;
    }
}

static void on_message(bot_set_t *s, bot_t *b, const msg_t *m)
{
    if (s->cfg.watch && watch_message(s, b, m) == 0)
        return;
    switch (m->type) {
    case MSG_PING:
        send_simple(s, b, MSG_PONG);
        break;
    case MSG_LOGIN_PROMPT:
        if (b->phase != BOT_GREETING)
            break;
        b->t_greeted = bot_now();
        if (!s->cfg.login) {
            set_phase(s, b, BOT_DONE); /* greeted, and staying connected */
            break;
        }
        send_login(s, b);
        break;
    case MSG_LOGIN_UPDATE:
        if (b->phase != BOT_LOGGING_IN)
            break;
        if (m->u.login_update.accepted && b->resuming) {
            /* Back in the round: "game start" comes again, then states. */
            b->resuming = false;
            s->resumes++;
            set_phase(s, b, BOT_PLAYING);
            if (s->cfg.verbose)
                printf("%s: resumed\n", b->username);
        } else if (m->u.login_update.accepted) {
            snprintf(b->token, sizeof(b->token), "%s", m->u.login_update.resume);
            set_phase(s, b, BOT_LOBBY);
            if (s->cfg.verbose)
                printf("%s: logged in\n", b->username);
        } else if (b->resuming && strstr(m->u.login_update.message, "try again")) {
            send_login(s, b);
        } else if (strstr(m->u.login_update.message, "taken") && !b->resuming) {
            send_login(s, b);
        } else {
            fail(s, b, "login refused for \"%s\": %s", b->username, m->u.login_update.message);
        }
        break;
    case MSG_LOBBY:
        if (b->t_welcomed == 0)
            b->t_welcomed = bot_now();
        if (b->phase == BOT_LOGGING_IN || b->phase == BOT_END || b->phase == BOT_PLAYING ||
            b->phase == BOT_VOTING)
            set_phase(s, b, BOT_LOBBY);
        break;
    case MSG_SELECT_WORLD:
        if (b->phase == BOT_LOBBY || b->phase == BOT_END)
            on_select_world(s, b, &m->u.select_world);
        break;
    case MSG_GAME_START:
        if (b->phase == BOT_LOBBY || b->phase == BOT_VOTING || b->phase == BOT_END ||
            b->phase == BOT_PLAYING) /* again after a resume */
            on_game_start(s, b, &m->u.game_start);
        break;
    case MSG_STATE:
        on_state(s, b, &m->u.state);
        break;
    case MSG_FINISH:
        if (b->phase == BOT_PLAYING)
            on_fin(s, b, &m->u.fin);
        break;
    case MSG_ERROR:
        s->errors_in++;
        snprintf(b->last_error, sizeof(b->last_error), "%s", m->u.error.message);
        if (b->phase <= BOT_GREETING) {
            fail(s, b, "server said: %s", m->u.error.message);
        } else if (s->cfg.verbose) {
            fprintf(stderr, "%s: server error: %s\n", b->username, m->u.error.message);
        }
        break;
    case MSG_BYE: /* its last words ("Kicked by the host: ..."), said by the failure to come */
        snprintf(b->last_error, sizeof(b->last_error), "%s", m->u.bye.message);
        break;
    default: /* lobby updates, votes, chat: nothing to do */
        break;
    }
}

typedef struct line_ctx {
    bot_set_t *s;
    bot_t *b;
} line_ctx_t;

static int on_line(void *ud, char *line, size_t len)
{
    line_ctx_t *c = ud;
    char err[256];
    c->s->lines_in++;
    if (proto_decode(line, len, PROTO_TO_CLIENT, c->s->msg, err, sizeof(err)) != PROTO_OK) {
        if (c->s->cfg.verbose)
            fprintf(stderr, "%s: undecodable line from the server: %s\n", c->b->username, err);
        return 0;
    }
    on_message(c->s, c->b, c->s->msg);
    return c->b->fd < 0; /* stop when the bot closed */
}

static void on_readable(bot_set_t *s, bot_t *b)
{
    static char buf[BOT_READ_CHUNK];
    for (int i = 0; i < BOT_READS_PER_WAKE && b->fd >= 0; i++) {
        char why[128];
        long n = sys_net_recv(b->fd, buf, sizeof(buf), why, sizeof why);
        if (n == SYS_NET_AGAIN)
            return;
        if (n < 0) {
            if (b->phase == BOT_DONE) {
                /* A bot that stays after its rounds may be let go. */
                close_conn(b);
                return;
            }
            const char *sys = n == SYS_NET_ERROR ? why : NULL;
            if (b->last_error[0])
                fail(s, b, "server closed the connection%s%s after saying: %.200s", sys ? ": " : "",
                     sys ? sys : "", b->last_error);
            else
                fail(s, b, "server closed the connection%s%s", sys ? ": " : "", sys ? sys : "");
            return;
        }
        s->bytes_in += (uint64_t)n;
        line_ctx_t ctx = {s, b};
        b->in_feed = true;
        int r = linebuf_feed(&b->lb, buf, (size_t)n, on_line, &ctx);
        b->in_feed = false;
        if (b->fd < 0) {
            linebuf_free(&b->lb); /* closed while handling a line */
            return;
        }
        if (r == LINEBUF_TOO_LONG) {
            fail(s, b, "the server sent a line over %d bytes", PROTO_MAX_LINE);
            return;
        }
        if (r == LINEBUF_NOMEM) {
            fail(s, b, "out of memory");
            return;
        }
        if ((size_t)n < sizeof(buf))
            return;
    }
}

static void on_connected(bot_set_t *s, bot_t *b)
{
    char why[128];
    if (sys_tcp_connect_result(b->fd, why, sizeof why) < 0) {
        fail(s, b, "%s", why);
        return;
    }
    set_phase(s, b, BOT_GREETING);
    if (b->out_len > 0)
        flush_out(s, b);
}

int bot_set_init(bot_set_t *s, const bot_config_t *cfg, const char *host, int port, int count,
                 char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    s->cfg = *cfg;
    if (!s->cfg.prefix)
        s->cfg.prefix = "bot";
    if (count < 1) {
        snprintf(err, errlen, "no bots to start");
        return -1;
    }
    if (sys_addr_resolve(host, port, false, &s->addr, 1, err, errlen) < 0)
        return -1;

    s->nbots = count;
    s->bots = calloc((size_t)count, sizeof(*s->bots));
    s->pfds = calloc((size_t)count, sizeof(*s->pfds));
    s->pfd_bot = calloc((size_t)count, sizeof(*s->pfd_bot));
    s->msg = calloc(1, sizeof(*s->msg));
    s->enc_msg = calloc(1, sizeof(*s->enc_msg));
    s->enc = malloc(PROTO_MAX_LINE);
    if (!s->bots || !s->pfds || !s->pfd_bot || !s->msg || !s->enc_msg || !s->enc) {
        snprintf(err, errlen, "out of memory for %d bots", count);
        bot_set_free(s);
        return -1;
    }
    for (int i = 0; i < count; i++) {
        bot_t *b = &s->bots[i];
        b->index = i + 1;
        b->fd = -1;
        b->me = -1;
        b->rng = s->cfg.seed + 0x632be59bd9b4e019ull * (uint64_t)(i + 1);
        linebuf_init(&b->lb, PROTO_MAX_LINE);
        make_username(s, b);
    }
    return 0;
}

int bot_start(bot_set_t *s, int i)
{
    bot_t *b = &s->bots[i];
    if (b->phase != BOT_IDLE)
        return 0;
    b->t_start = bot_now();
    char why[128];
    bool pending = false;
    int fd = sys_tcp_connect(&s->addr, &pending, why, sizeof why);
    if (fd < 0) {
        fail(s, b, "%s", why);
        return -1;
    }
    b->fd = fd;
    set_phase(s, b, BOT_CONNECTING);
    if (!pending)
        set_phase(s, b, BOT_GREETING);
    return 0;
}

void bot_start_all(bot_set_t *s)
{
    for (int i = 0; i < s->nbots; i++)
        bot_start(s, i);
}

/* drop_every_ms: a bot in a round whose time has come closes its socket without a word, as a
 * Wi-Fi blip would, and connects again to resume with its token. */
static void bot_drop_due(bot_set_t *s)
{
    if (s->cfg.drop_every_ms <= 0)
        return;
    double now = bot_now();
    for (int i = 0; i < s->nbots; i++) {
        bot_t *b = &s->bots[i];
        if (b->phase != BOT_PLAYING || b->fd < 0 || !b->token[0] || now < b->next_drop)
            continue;
        close_conn(b);
        b->resuming = true;
        b->resume_tries = 0;
        s->drops++;
        if (s->cfg.verbose)
            printf("%s: dropped its connection\n", b->username);
        set_phase(s, b, BOT_IDLE);
        bot_start(s, i);
    }
}

int bot_set_poll(bot_set_t *s, int timeout_ms)
{
    int n = 0;
    for (int i = 0; i < s->nbots; i++) {
        bot_t *b = &s->bots[i];
        if (b->fd < 0)
            continue;
        short ev = SYS_POLL_IN;
        if (b->phase == BOT_CONNECTING || b->out_len > 0)
            ev |= SYS_POLL_OUT;
        s->pfds[n] = (sys_pollfd_t){.fd = b->fd, .events = ev};
        s->pfd_bot[n] = i;
        n++;
    }
    int r = sys_poll(s->pfds, n, timeout_ms);
    if (r < 0) {
        snprintf(s->poll_error, sizeof s->poll_error, "%s", strerror(errno));
        return -1;
    }
    for (int k = 0; k < n && r > 0; k++) {
        short re = s->pfds[k].revents;
        if (!re)
            continue;
        r--;
        bot_t *b = &s->bots[s->pfd_bot[k]];
        if (b->fd != s->pfds[k].fd)
            continue;
        if (b->phase == BOT_CONNECTING) {
            if (re & (SYS_POLL_OUT | SYS_POLL_ERR | SYS_POLL_HUP))
                on_connected(s, b);
            continue;
        }
        if (re & (SYS_POLL_IN | SYS_POLL_ERR | SYS_POLL_HUP))
            on_readable(s, b);
        if (b->fd >= 0 && (re & SYS_POLL_OUT) && b->out_len > 0)
            flush_out(s, b);
    }
    bot_drop_due(s);
    return 0;
}

void bot_set_census(const bot_set_t *s, char *buf, size_t cap)
{
    int counts[BOT_FAILED + 1] = {0};
    for (int i = 0; i < s->nbots; i++)
        counts[s->bots[i].phase]++;
    size_t len = 0;
    buf[0] = '\0';
    for (int p = 0; p <= BOT_FAILED; p++) {
        if (p == BOT_DONE || counts[p] == 0 || len + 1 >= cap)
            continue;
        int n = snprintf(buf + len, cap - len, "%s%d in %s", len ? ", " : "", counts[p],
                         bot_phase_name((bot_phase_t)p));
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

bool bot_set_over(const bot_set_t *s)
{
    return s->nfinished + s->nfailed >= s->nbots;
}

void bot_set_free(bot_set_t *s)
{
    if (s->bots) {
        for (int i = 0; i < s->nbots; i++) {
            bot_t *b = &s->bots[i];
            if (b->fd >= 0 && s->enc_msg && s->enc) {
                s->enc_msg->type = MSG_QUIT;
                int n = proto_encode(s->enc_msg, s->enc, PROTO_MAX_LINE);
                if (n > 0 && b->phase != BOT_CONNECTING)
                    sys_net_send(b->fd, s->enc, (size_t)n, NULL, 0); /* closing anyway */
            }
            close_conn(b);
            free(b->watched_fin);
        }
    }
    free(s->bots);
    free(s->pfds);
    free(s->pfd_bot);
    free(s->msg);
    free(s->enc_msg);
    free(s->enc);
    memset(s, 0, sizeof(*s));
}
