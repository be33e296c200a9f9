/* client.c -- the scene runner: scene switching, message routing, ping, errors, connection loss; no
 * SDL */
#include "client.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const scene_t *const scenes[SCENE_COUNT] = {
    [SCENE_MENU] = &scene_menu,       [SCENE_SETTINGS] = &scene_settings,
    [SCENE_JOIN] = &scene_join,       [SCENE_HOST] = &scene_host,
    [SCENE_CONNECT] = &scene_connect, [SCENE_USERNAME] = &scene_username,
    [SCENE_LOBBY] = &scene_lobby,     [SCENE_VOTE] = &scene_vote,
    [SCENE_GAME] = &scene_game,       [SCENE_END] = &scene_end,
};

/* Messages that open a scene: the runner switches before the scene sees the message. */
static const struct {
    msg_type_t type;
    scene_id_t scene;
} routes[] = {
    {MSG_LOGIN_PROMPT, SCENE_USERNAME}, {MSG_LOBBY, SCENE_LOBBY}, {MSG_SELECT_WORLD, SCENE_VOTE},
    {MSG_GAME_START, SCENE_GAME},       {MSG_FINISH, SCENE_END},
};

static scene_id_t route_of(msg_type_t type);

void client_init(client_t *c, const client_net_ops_t *net, const client_host_ops_t *host)
{
    memset(c, 0, sizeof *c);
    settings_defaults(&c->settings);
    c->net = net;
    c->host_ops = host;
    c->view_w = CLIENT_VIEW_MIN_W;
    c->view_h = CLIENT_VIEW_H;
    c->ping_ms = -1;
    c->connect_back = SCENE_JOIN;
    c->scene = SCENE_MENU;
    c->next_scene = SCENE_MENU;
    if (scenes[c->scene]->enter)
        scenes[c->scene]->enter(c);
}

const scene_t *client_scene(const client_t *c)
{
    return scenes[c->scene];
}

void client_goto(client_t *c, scene_id_t id)
{
    if (id < 0 || id >= SCENE_COUNT)
        return;
    if (scenes[c->scene]->leave)
        scenes[c->scene]->leave(c);
    c->scene = id;
    c->next_scene = id;
    c->scene_changing = false;
    c->scene_shown = false;
    c->scene_entered_ms = c->now_ms;
    if (scenes[id]->enter)
        scenes[id]->enter(c);
}

void client_input(client_t *c, const input_event_t *ev)
{
    if (scenes[c->scene]->input)
        scenes[c->scene]->input(c, ev);
}

void client_update(client_t *c)
{
    if (c->scene_changing)
        client_goto(c, c->next_scene);
    /* Pings measure the round trip for the debug overlay; only once logged in, since the
     * login stage expects nothing but "log in" (and "status"). */
    if (c->connected && c->username[0] && (int32_t)(c->now_ms - c->ping_due_ms) >= 0) {
        msg_t m;
        proto_init(&m, MSG_PING);
        client_send(c, &m);
        c->ping_sent_ms = c->now_ms;
        c->ping_due_ms = c->now_ms + CLIENT_PING_INTERVAL_MS;
    }
    if (scenes[c->scene]->update)
        scenes[c->scene]->update(c);
}

void client_send(client_t *c, const msg_t *m)
{
    if (c->connected && c->net && c->net->send)
        c->net->send(c, m);
}

void client_connect(client_t *c, const char *host, int port)
{
    if (c->net && c->net->close)
        c->net->close(c);
    c->connected = false;
    c->username[0] = '\0';
    c->server_error[0] = '\0';
    c->ping_ms = -1;
    client_fmt(c->server_host, sizeof c->server_host, "%s", host);
    c->server_port = port;
    memset(&c->lobby, 0, sizeof c->lobby);
    client_goto(c, SCENE_CONNECT);
    if (c->net && c->net->connect)
        c->net->connect(c, c->server_host, port);
}

void client_on_connected(client_t *c)
{
    c->connected = true;
    c->ping_due_ms = c->now_ms + CLIENT_PING_INTERVAL_MS;
    if (c->scene == SCENE_CONNECT) {
        c->connect.phase = CONNECT_CONNECTED;
        client_fmt(c->connect.message, sizeof c->connect.message,
                   "Connected. Waiting for the server...");
    }
}

void client_on_connect_failed(client_t *c, const char *why)
{
    c->connected = false;
    if (c->scene != SCENE_CONNECT)
        return;
    c->connect.phase = CONNECT_FAILED;
    c->connect.focus = 0;
    c->connect.failed_ms = c->now_ms;
    client_fmt(c->connect.message, sizeof c->connect.message, "Could not connect to %s:%d: %s",
               c->server_host, c->server_port, why && why[0] ? why : "unknown error");
    if (c->quit_after_rounds > 0 && !c->autoplay) {
        /* A scripted run with nobody to press Retry. */
        c->quit = true;
        c->exit_code = 1;
    }
}

static void apply_lobby_update(client_t *c, const msg_lobby_update_t *u)
{
    lobby_t *l = &c->lobby;
    l->nplayers = u->nplayers < PROTO_MAX_PLAYERS ? u->nplayers : PROTO_MAX_PLAYERS;
    for (int i = 0; i < l->nplayers; i++)
        client_fmt(l->players[i], sizeof l->players[i], "%s", u->players[i]);
    l->group_size = u->group_size;
    l->have_update = true;
}

void client_on_message(client_t *c, const msg_t *m)
{
    switch (m->type) {
    case MSG_PING: {
        msg_t pong;
        proto_init(&pong, MSG_PONG);
        client_send(c, &pong);
        return;
    }
    case MSG_PONG:
        if (c->ping_sent_ms)
            c->ping_ms = (int)(c->now_ms - c->ping_sent_ms);
        return;
    case MSG_ERROR:
        /* Kept: if the server closes right after, the notice says why. */
        client_fmt(c->server_error, sizeof c->server_error, "%s", m->u.error.message);
        break;
    case MSG_LOBBY_UPDATE:
        /* The lobby's roster is kept whichever scene shows, so it is right on arrival. */
        apply_lobby_update(c, &m->u.lobby_update);
        break;
    case MSG_CHAT:
        lobby_chat_add(c, m->u.chat.from, m->u.chat.text);
        break;
    case MSG_FINISH:
        c->rounds_done++;
        break;
    default:
        break;
    }
    scene_id_t to = route_of(m->type);
    if (to != SCENE_COUNT && to != c->scene)
        client_goto(c, to);
    if (scenes[c->scene]->message)
        scenes[c->scene]->message(c, m);
}

void client_stop_hosting(client_t *c)
{
    if (c->hosting && c->host_ops && c->host_ops->stop)
        c->host_ops->stop(c);
    c->hosting = false;
    c->host_address[0] = '\0';
}

void client_on_lost(client_t *c, const char *why)
{
    if (c->net && c->net->close)
        c->net->close(c);
    c->connected = false;
    c->username[0] = '\0';
    char notice[sizeof c->notice];
    if (c->server_error[0])
        client_fmt(notice, sizeof notice, "Connection lost: %s (server said: %s)",
                   why && why[0] ? why : "closed", c->server_error);
    else
        client_fmt(notice, sizeof notice, "Connection lost: %s", why && why[0] ? why : "closed");
    client_stop_hosting(c);
    if (c->quit_after_rounds > 0 && c->rounds_done < c->quit_after_rounds) {
        fprintf(stderr, "nine43: %s\n", notice);
        c->quit = true;
        c->exit_code = 1;
    }
    client_goto(c, SCENE_MENU);
    /* After the switch: leaving a scene may clear the notice of an earlier visit. */
    memcpy(c->notice, notice, sizeof c->notice);
}

void client_leave_server(client_t *c)
{
    if (c->connected) {
        msg_t m;
        proto_init(&m, MSG_QUIT);
        client_send(c, &m);
    }
    if (c->net && c->net->close)
        c->net->close(c);
    c->connected = false;
    c->username[0] = '\0';
    client_stop_hosting(c);
    client_goto(c, SCENE_MENU);
}

int client_save_settings(client_t *c, char *err, size_t errlen)
{
    if (!c->settings_path[0])
        return 0;
    return settings_save(&c->settings, c->settings_path, err, errlen);
}

static scene_id_t route_of(msg_type_t type)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (routes[i].type == type)
            return routes[i].scene;
    return SCENE_COUNT;
}

bool client_message_waits(const client_t *c, const msg_t *m)
{
    scene_id_t to = route_of(m->type);
    return to != SCENE_COUNT && to != c->scene && !c->scene_shown &&
           c->now_ms - c->scene_entered_ms < CLIENT_SHOW_WAIT_MS;
}

void client_frame_drawn(client_t *c, bool ready)
{
    if (ready)
        c->scene_shown = true;
    if (ready && c->quit_after_rounds > 0 && c->scene == SCENE_END &&
        c->rounds_done >= c->quit_after_rounds) {
        c->quit = true;
        c->exit_code = 0;
    }
}

int client_exit_status(const client_t *c)
{
    if (c->exit_code != 0)
        return c->exit_code;
    if (c->quit_after_rounds > 0 && c->rounds_done < c->quit_after_rounds)
        return 1;
    return 0;
}

void lobby_chat_add(client_t *c, const char *from, const char *text)
{
    lobby_t *l = &c->lobby;
    int slot;
    if (l->nchat < LOBBY_CHAT_LINES) {
        slot = (l->chat_head + l->nchat) % LOBBY_CHAT_LINES;
        l->nchat++;
    } else {
        slot = l->chat_head; /* overwrite the oldest */
        l->chat_head = (l->chat_head + 1) % LOBBY_CHAT_LINES;
    }
    client_fmt(l->chat[slot].from, sizeof l->chat[slot].from, "%s", from ? from : "");
    client_fmt(l->chat[slot].text, sizeof l->chat[slot].text, "%s", text ? text : "");
}

void client_fmt(char *dst, size_t cap, const char *fmt, ...)
{
    if (!dst || cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}
