/* session.c -- the session with one server: connection, name, roster and server view, chat log,
 * the evening's board, ping, hosting, the server's last words, resume token and reconnect loop;
 * the only writer of session_t; no SDL, uses proto.h */
#include "session.h"

#include <stdio.h>
#include <string.h>

#define SESSION_BACK_LINE "back in the lobby" /* the chat's line for a welcome after a round */

void session_init(session_t *s)
{
    memset(s, 0, sizeof *s);
    s->ping_ms = -1;
}

void session_begin(session_t *s, const char *host, int port)
{
    s->serial++;
    s->connected = false;
    s->link = SESSION_LINK_WAITING;
    s->link_text[0] = '\0';
    s->username[0] = '\0';
    s->server_error[0] = '\0';
    s->ping_ms = -1;
    snprintf(s->server_host, sizeof s->server_host, "%s", host);
    s->server_port = port;
    s->nplayers = 0;
    memset(s->players, 0, sizeof s->players);
    s->group_size = 0;
    s->have_update = false;
    s->welcomed = false;
    memset(s->chat, 0, sizeof s->chat);
    s->chat_head = 0;
    s->nchat = 0;
    s->have_evening = false;
    memset(&s->evening, 0, sizeof s->evening);
    s->resume_token[0] = '\0';
    s->reconnecting = false;
    s->party = false;
    s->host_name[0] = '\0';
    s->nready = 0;
    s->has_wait = false;
    s->games = 0;
    s->ngroups = 0;
    s->closing[0] = '\0';
    s->bye[0] = '\0';
}

void session_link_up(session_t *s, uint32_t now_ms)
{
    s->connected = true;
    s->up_ms = now_ms;
    s->ping_due_ms = now_ms + SESSION_PING_INTERVAL_MS;
    s->link = SESSION_LINK_CONNECTED;
    snprintf(s->link_text, sizeof s->link_text, "Connected. Waiting for the server...");
}

void session_link_failed(session_t *s, const char *why, uint32_t now_ms)
{
    s->connected = false;
    s->link = SESSION_LINK_FAILED;
    s->failed_ms = now_ms;
    snprintf(s->link_text, sizeof s->link_text, "Could not connect to %s:%d: %s", s->server_host,
             s->server_port, why && why[0] ? why : "unknown error");
}

void session_close(session_t *s)
{
    s->connected = false;
    s->username[0] = '\0';
    s->resume_token[0] = '\0';
    s->reconnecting = false;
}

void session_login_accepted(session_t *s, const char *username)
{
    snprintf(s->username, sizeof s->username, "%s", username);
}

static void session_apply_roster(session_t *s, const msg_lobby_update_t *u)
{
    s->nplayers = u->nplayers < PROTO_MAX_PLAYERS ? u->nplayers : PROTO_MAX_PLAYERS;
    for (int i = 0; i < s->nplayers; i++)
        snprintf(s->players[i], sizeof s->players[i], "%s", u->players[i]);
    s->group_size = u->group_size;
    s->have_update = true;
}

static void session_apply_view(session_t *s, const msg_lobby_update_t *u, uint32_t now_ms)
{
    s->party = u->party;
    if (!u->party)
        return;
    snprintf(s->host_name, sizeof s->host_name, "%s", u->host);
    s->nready = u->nready;
    memcpy(s->ready, u->ready, sizeof s->ready);
    s->has_wait = u->has_wait;
    s->wait_until_ms = now_ms + (uint32_t)(u->has_wait ? u->wait_ms : 0);
    s->games = u->games;
    s->ngroups = u->ngroups;
    memcpy(s->groups, u->groups, sizeof s->groups);
    s->groups_ms = now_ms;
}

void session_on_message(session_t *s, const msg_t *m, uint32_t now_ms)
{
    s->clock_ms = now_ms;
    switch (m->type) {
    case MSG_PONG:
        if (s->ping_sent_ms)
            s->ping_ms = (int)(now_ms - s->ping_sent_ms);
        break;
    case MSG_LOGIN_UPDATE:
        /* The token comes on the first acceptance and again, the same, on a resume. */
        if (m->u.login_update.accepted && m->u.login_update.resume[0])
            snprintf(s->resume_token, sizeof s->resume_token, "%s", m->u.login_update.resume);
        break;
    case MSG_ERROR:
        /* Kept: if the server closes right after, the notice says why. */
        snprintf(s->server_error, sizeof s->server_error, "%s", m->u.error.message);
        break;
    case MSG_LOBBY_UPDATE:
        /* Kept whichever scene shows, so the lobby is right on arrival. */
        session_apply_roster(s, &m->u.lobby_update);
        session_apply_view(s, &m->u.lobby_update, now_ms);
        break;
    case MSG_CLOSING:
        snprintf(s->closing, sizeof s->closing, "%s", m->u.closing.message);
        break;
    case MSG_BYE:
        snprintf(s->bye, sizeof s->bye, "%s", m->u.bye.message);
        break;
    case MSG_CHAT:
        session_chat_add(s, m->u.chat.from, m->u.chat.text);
        break;
    case MSG_NOTICE:
        /* The server's system line (joined, left, results, kicked): a line of the chat log
         * without a sender. */
        session_chat_add(s, "", m->u.notice.text);
        break;
    case MSG_EVENING:
        s->evening = m->u.evening;
        if (s->evening.nrows < 0)
            s->evening.nrows = 0;
        if (s->evening.nrows > PROTO_MAX_EVENING)
            s->evening.nrows = PROTO_MAX_EVENING;
        s->have_evening = true;
        break;
    case MSG_LOBBY:
        /* The server says "welcome" each time a player enters, after every round too; the
         * chat keeps the first one and marks a return plainly. */
        if (s->welcomed)
            session_chat_add(s, "", SESSION_BACK_LINE);
        else if (m->u.lobby.message[0])
            session_chat_add(s, "", m->u.lobby.message);
        s->welcomed = true;
        break;
    default:
        break;
    }
}

const proto_evening_row_t *session_evening_row(const session_t *s, const char *name)
{
    char key[PROTO_USERNAME_SIZE], other[PROTO_USERNAME_SIZE];
    proto_username_key(name, key, sizeof key);
    for (int i = 0; s->have_evening && i < s->evening.nrows; i++) {
        proto_username_key(s->evening.rows[i].username, other, sizeof other);
        if (strcmp(key, other) == 0)
            return &s->evening.rows[i];
    }
    return NULL;
}

void session_chat_add(session_t *s, const char *from, const char *text)
{
    int slot;
    if (s->nchat < SESSION_CHAT_LINES) {
        slot = (s->chat_head + s->nchat) % SESSION_CHAT_LINES;
        s->nchat++;
    } else {
        slot = s->chat_head; /* overwrite the oldest */
        s->chat_head = (s->chat_head + 1) % SESSION_CHAT_LINES;
    }
    snprintf(s->chat[slot].from, sizeof s->chat[slot].from, "%s", from ? from : "");
    snprintf(s->chat[slot].text, sizeof s->chat[slot].text, "%s", text ? text : "");
    s->chat[slot].at_ms = s->clock_ms;
}

const session_line_t *session_chat_line(const session_t *s, int k)
{
    return &s->chat[(s->chat_head + k) % SESSION_CHAT_LINES];
}

bool session_ping_due(const session_t *s, uint32_t now_ms)
{
    /* Only once logged in: the login stage expects nothing but "log in" (and "status"). */
    return s->connected && s->username[0] && (int32_t)(now_ms - s->ping_due_ms) >= 0;
}

void session_ping_sent(session_t *s, uint32_t now_ms)
{
    s->ping_sent_ms = now_ms;
    s->ping_due_ms = now_ms + SESSION_PING_INTERVAL_MS;
}

void session_hosting_started(session_t *s, int port)
{
    s->hosting = true;
    s->hosted_port = port;
}

void session_hosting_listening(session_t *s, int port, const char *address)
{
    s->hosted_port = port;
    snprintf(s->host_address, sizeof s->host_address, "%s", address);
}

void session_hosting_stopped(session_t *s)
{
    s->hosting = false;
    s->host_address[0] = '\0';
    s->admin_token[0] = '\0';
}

void session_hosting_failed(session_t *s, const char *why)
{
    snprintf(s->host_failure, sizeof s->host_failure, "%s", why);
}

void session_take_host_failure(session_t *s, char *out, size_t cap)
{
    snprintf(out, cap, "%s", s->host_failure);
    s->host_failure[0] = '\0';
}

void session_reconnect_begin(session_t *s, const char *why, uint32_t now_ms)
{
    s->connected = false;
    s->reconnecting = true;
    s->reconnect_since_ms = now_ms;
    s->reconnect_next_ms = now_ms;
    s->reconnect_attempts = 0;
    snprintf(s->reconnect_why, sizeof s->reconnect_why, "%s", why && why[0] ? why : "closed");
}

bool session_reconnect_due(const session_t *s, uint32_t now_ms)
{
    return s->reconnecting && !s->connected && (int32_t)(now_ms - s->reconnect_next_ms) >= 0;
}

void session_reconnect_attempted(session_t *s, uint32_t now_ms)
{
    s->reconnect_attempts++;
    s->reconnect_next_ms = now_ms + SESSION_RECONNECT_EVERY;
}

bool session_reconnect_expired(const session_t *s, uint32_t now_ms)
{
    return s->reconnecting && now_ms - s->reconnect_since_ms >= SESSION_RECONNECT_MS;
}

void session_reconnect_end(session_t *s)
{
    s->reconnecting = false;
}

void session_reconnect_retry(session_t *s)
{
    s->connected = false;
}

void session_set_admin_token(session_t *s, const char *token)
{
    snprintf(s->admin_token, sizeof s->admin_token, "%s", token ? token : "");
}

bool session_is_host(const session_t *s, const char *name)
{
    return s->host_name[0] && strcmp(s->host_name, name) == 0;
}

bool session_i_am_host(const session_t *s)
{
    return s->party && s->username[0] && session_is_host(s, s->username);
}

bool session_is_ready(const session_t *s, const char *name)
{
    for (int i = 0; i < s->nready; i++)
        if (strcmp(s->ready[i], name) == 0)
            return true;
    return false;
}

int session_wait_seconds(const session_t *s, uint32_t now_ms)
{
    if (!s->has_wait)
        return -1;
    int32_t left = (int32_t)(s->wait_until_ms - now_ms);
    return left > 0 ? (int)((left + 999) / 1000) : 0;
}

int session_group_seconds(const session_t *s, int i, uint32_t now_ms)
{
    if (i < 0 || i >= s->ngroups)
        return 0;
    int32_t left = s->groups[i].time_left_ms - (int32_t)(now_ms - s->groups_ms);
    return left > 0 ? (int)((left + 999) / 1000) : 0;
}

void session_hosting_detached(session_t *s)
{
    snprintf(s->rejoin_token, sizeof s->rejoin_token, "%s", s->admin_token);
    snprintf(s->rejoin_host, sizeof s->rejoin_host, "%s", s->host_address);
    char *colon = strrchr(s->rejoin_host, ':');
    if (colon)
        *colon = '\0';
    s->rejoin_port = s->hosted_port;
    session_hosting_stopped(s);
}

const char *session_login_secret(const session_t *s)
{
    if (s->hosting && s->server_port == s->hosted_port)
        return s->admin_token;
    /* Our own server, left running: only at an address of this machine, never to another
     * server that happens to use the same port. */
    bool here = strcmp(s->server_host, "127.0.0.1") == 0 ||
                strcmp(s->server_host, "localhost") == 0 ||
                (s->rejoin_host[0] && strcmp(s->server_host, s->rejoin_host) == 0);
    if (s->rejoin_token[0] && s->server_port == s->rejoin_port && here)
        return s->rejoin_token;
    return "";
}
