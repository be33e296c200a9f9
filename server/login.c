/* login.c -- stage 2: greets, answers status queries, checks usernames and holds them in the
 * names table, keeps the features the login named, gives resume tokens and takes resumes, knows
 * the host by the admin secret, has guard.c slow guessed secrets, refuses banned players, then
 * hands the player to the lobby; uses player.h, names.h, kick.h, lobby.h, sub.h, evening.h */
#include <string.h>

#include "evening.h"
#include "guard.h"
#include "kick.h"
#include "lobby.h"
#include "name.h"
#include "login.h"
#include "sub.h"
#include "sys_os.h"

#define STAGE "login"

static int login_on_msg(server_t *s, player_t *p, const msg_t *m);
static int login_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err);

static const stage_t login_stage = {
    .where = "before log in",
    .logged_in = false,
    .leaves_at_shutdown = true,
    .on_msg = login_on_msg,
    .on_invalid = login_on_invalid,
    .leave = NULL, /* nothing held but the connection: the quit path frees it */
};

void login_enter(server_t *s, player_t *p)
{
    p->stage = &login_stage;
    /* Exactly {"type":"log in"}: the original client compares the whole object. */
    player_send_type(s, p, MSG_LOGIN_PROMPT);
}

static void login_refuse(server_t *s, player_t *p, const char *why)
{
    msg_t m;
    proto_init(&m, MSG_LOGIN_UPDATE);
    m.u.login_update.accepted = false;
    snprintf(m.u.login_update.message, sizeof m.u.login_update.message, "%s", why);
    player_send(s, p, &m);
    log_msg(&s->log, LOG_DEBUG, STAGE, "fd %d refused: %s", p->conn.fd, why);
}

/* A fresh secret for p: hex digits from the system's random source. Returns 0, or -1 with the
 * reason in why: a resume token is a password, so there is no guessable fallback. */
static int login_new_token(player_t *p, char *why, size_t cap)
{
    return sys_random_hex(p->resume_token, sizeof p->resume_token, SERVER_RESUME_TOKEN_BYTES, why,
                          cap);
}

/* Compares in time independent of where the first difference is: the token is a secret. */
static bool login_token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    for (size_t i = 0; i < la && i < lb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0 && la > 0;
}

/* The name is held: with the holder's token, fresh takes its place; without, it is refused. */
static void login_on_taken(server_t *s, player_t *p, const msg_login_t *in)
{
    player_t *holder = player_find(s, in->username);
    if (!in->resume[0] || !holder) {
        char why[PROTO_TEXT_SIZE], a[PROTO_USERNAME_SIZE], b[PROTO_USERNAME_SIZE];
        proto_username_key(in->username, a, sizeof a);
        proto_username_key(holder ? holder->username : in->username, b, sizeof b);
        if (strcmp(a, b) == 0)
            snprintf(why, sizeof why, "username taken");
        else /* the same but for look-alike characters */
            snprintf(why, sizeof why, "username taken: it looks like %s, who is here",
                     holder->username);
        login_refuse(s, p, why);
        return;
    }
    char why[PROTO_TEXT_SIZE];
    int wait = guard_may_try(s, p->guard, GUARD_RESUME, holder->username);
    if (wait > 0) {
        snprintf(why, sizeof why,
                 "username taken (too many wrong resume tokens: try again in %d s)", wait);
        login_refuse(s, p, why);
        return;
    }
    if (!login_token_equal(in->resume, holder->resume_token)) {
        login_refuse(s, p, "username taken (wrong resume token)");
        guard_failed(s, p->guard, GUARD_RESUME, holder->username);
        return;
    }
    if (player_closing(holder)) {
        login_refuse(s, p, "username taken (still leaving: try again)");
        return;
    }
    player_resume(s, p, holder);
}

/* The admin secret, compared in constant time: a wrong guess learns nothing from the delay. */
static bool login_secret_is(const server_t *s, const char *admin)
{
    const char *want = s->cfg.admin_token;
    size_t n = strlen(want);
    if (n == 0 || strlen(admin) != n)
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(want[i] ^ admin[i]);
    return diff == 0;
}

/* A login that names an admin secret: 1 when it is the host's, 0 when not (a wrong one is
 * counted, and the login goes on as anyone's), -1 when p's address or the secret had too many
 * wrong guesses lately (p was refused, unchecked). */
static int login_check_host(server_t *s, player_t *p, const msg_login_t *in)
{
    if (!in->admin[0] || !s->cfg.admin_token[0])
        return 0; /* nothing to guess at */
    int wait = guard_may_try(s, p->guard, GUARD_ADMIN, in->username);
    if (wait > 0) {
        char why[PROTO_TEXT_SIZE];
        snprintf(why, sizeof why, "too many wrong admin secrets: try again in %d s", wait);
        login_refuse(s, p, why);
        return -1;
    }
    if (login_secret_is(s, in->admin))
        return 1;
    guard_failed(s, p->guard, GUARD_ADMIN, in->username);
    return 0;
}

static void login_on_login(server_t *s, player_t *p, const msg_login_t *in)
{
    char why[PROTO_TEXT_SIZE];
    if (in->version != PROTO_VERSION) {
        snprintf(why, sizeof why, "unsupported protocol version %d (this server speaks %d)",
                 in->version, PROTO_VERSION);
        login_refuse(s, p, why);
        return;
    }
    if (name_check(in->username, why, sizeof why) < 0) {
        login_refuse(s, p, why);
        return;
    }
    if (names_taken(s->names, in->username)) {
        login_on_taken(s, p, in);
        return;
    }
    /* Only a client that said it can resume gets a token: the original client never sees one.
     * Made first, so that a player who cannot have one is refused before anything is held. */
    if (in->resume_sent && login_new_token(p, why, sizeof why) < 0) {
        log_msg(&s->log, LOG_ERROR, STAGE, "fd %d: no resume token for %s: %s", p->conn.fd,
                in->username, why);
        login_refuse(s, p,
                     "the server cannot make a resume token (its system gives no random "
                     "bytes): try again later");
        return;
    }
    /* The host is never locked out, even from an address they kicked someone at. */
    int checked = login_check_host(s, p, in);
    if (checked < 0)
        return;
    bool host = checked > 0;
    int banned = host ? 0 : kick_banned(s, p, in->username);
    if (banned > 0) {
        snprintf(why, sizeof why, "kicked by the host: you may log in again in %d s", banned);
        login_refuse(s, p, why);
        return;
    }
    snprintf(p->username, sizeof p->username, "%s", in->username);
    names_hold(s->names, &p->name, p->username);
    guard_release(s, &p->guard); /* logged in: no longer counts against its address */
    player_set_features(s, p, in->features);
    if (host)
        player_set_host(s, p);
    p->color_choice = in->has_color ? in->color : -1;
    evening_arrive(s, p->username); /* a reconnect under the same name keeps its evening */
    msg_t m;
    proto_init(&m, MSG_LOGIN_UPDATE);
    m.u.login_update.accepted = true;
    m.u.login_update.version = PROTO_VERSION;
    memcpy(m.u.login_update.resume, p->resume_token, sizeof p->resume_token);
    player_send(s, p, &m);
    log_msg(&s->log, LOG_INFO, STAGE, "%s logged in (fd %d)%s", p->username, p->conn.fd,
            host ? " as the host" : "");
    /* Before the lobby, which may start a group at once: the news comes first. The newcomer,
     * still in the login stage, is not told of itself. */
    player_notice_all(s, PROTO_FEATURE_SOCIAL, "%s joined", p->username);
    lobby_enter(s, p);
}

void login_get_counts(const server_t *s, server_counts_t *out)
{
    out->connections = player_count(s);
    /* Every logged-in player holds its name, the away ones too: they are not here. */
    out->away = player_away_count(s);
    out->players = names_count(s->names) - out->away;
    out->lobby = lobby_count(s);
    out->games = sub_count(s);
    out->group_size = s->cfg.group_size;
}

static void login_on_status(server_t *s, player_t *p)
{
    server_counts_t counts;
    login_get_counts(s, &counts);
    msg_t m;
    proto_init(&m, MSG_STATUS);
    msg_status_t *st = &m.u.status;
    st->version = PROTO_VERSION;
    st->players = counts.players;
    st->away = counts.away;
    st->lobby = counts.lobby;
    st->games = counts.games;
    st->group_size = counts.group_size;
    st->uptime = server_uptime(s);
    player_send(s, p, &m);
}

/* Logged-in players, the away ones too, other than the one named: who a stop would end. */
static int login_others_than(const server_t *s, const char *username)
{
    return names_count(s->names) - (names_taken(s->names, username) ? 1 : 0);
}

/* "stop" instead of a login: the host (the client that started us, or whoever holds the admin
 * secret) ends the server the way SIGTERM does. A wrong secret counts like a wrong one at
 * login, and the connection goes either way. A stop "if_alone" (a host that counted nobody)
 * keeps the server for whoever else is logged in: only the server knows that at this instant. */
static void login_on_stop(server_t *s, player_t *p, const msg_stop_t *in)
{
    char why[PROTO_TEXT_SIZE], from[64];
    player_address(p, from, sizeof from);
    int wait = 0, others = 0;
    if (!s->cfg.admin_token[0] || !s->stop) {
        snprintf(why, sizeof why, "this server has no host: stop it where it runs");
    } else if ((wait = guard_may_try(s, p->guard, GUARD_ADMIN, "")) > 0) {
        snprintf(why, sizeof why, "too many wrong admin secrets: try again in %d s", wait);
    } else if (!login_secret_is(s, in->admin)) {
        guard_failed(s, p->guard, GUARD_ADMIN, "");
        snprintf(why, sizeof why, "wrong admin secret: the server keeps running");
    } else if (in->if_alone[0] && (others = login_others_than(s, in->if_alone)) > 0) {
        log_msg(&s->log, LOG_INFO, STAGE,
                "%s: the host asks the server to stop if nobody else is on it: %d other%s, it "
                "keeps running",
                from, others, others == 1 ? " is" : "s are");
        msg_t m;
        proto_init(&m, MSG_BYE);
        snprintf(m.u.bye.reason, sizeof m.u.bye.reason, "%s", SERVER_KEPT_REASON);
        snprintf(m.u.bye.message, sizeof m.u.bye.message,
                 "%d other player%s on the server: it runs on for them", others,
                 others == 1 ? " is" : "s are");
        player_send(s, p, &m);
        player_close(s, p, true, "kept the server for the others");
        return;
    } else {
        log_msg(&s->log, LOG_INFO, STAGE, "%s: the host asks the server to stop", from);
        msg_t m;
        proto_init(&m, MSG_BYE);
        snprintf(m.u.bye.reason, sizeof m.u.bye.reason, "%s", SERVER_STOP_REASON);
        snprintf(m.u.bye.message, sizeof m.u.bye.message, "%s", SERVER_STOP_MESSAGE);
        player_send(s, p, &m);
        player_close(s, p, true, "stopped the server");
        s->stop(s, s->stop_ud);
        return;
    }
    log_msg(&s->log, LOG_INFO, STAGE, "%s: stop refused: %s", from, why);
    player_error(s, p, false, "%s", why);
    player_close(s, p, true, why);
}

static int login_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    switch (m->type) {
    case MSG_LOGIN:
        login_on_login(s, p, &m->u.login);
        return 0;
    case MSG_STATUS_QUERY:
        login_on_status(s, p);
        return 0;
    case MSG_STOP:
        login_on_stop(s, p, &m->u.stop);
        return 0;
    default:
        return -1;
    }
}

static int login_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err)
{
    if (type != MSG_LOGIN)
        return -1;
    login_refuse(s, p, err);
    return 0;
}
