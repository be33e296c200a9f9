/* client.c -- the scene runner: scene switching, message routing, ping, connection loss, the
 * frame's sound queue (menu and chat sounds); knows scenes only through the table it is given;
 * no SDL but its log, on session.c, settings.c, sfx_events.h, state_chatbox.h (is a line being
 * typed) and state_end.h (who of our round is still on the server) */
#include "client.h"

#include <SDL_log.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

/* Messages that open a scene: the runner switches before the scene sees the message. */
static const struct {
    msg_type_t type;
    scene_id_t scene;
} routes[] = {
    {MSG_LOGIN_PROMPT, SCENE_USERNAME}, {MSG_LOBBY, SCENE_LOBBY}, {MSG_SELECT_WORLD, SCENE_VOTE},
    {MSG_GAME_START, SCENE_GAME},       {MSG_FINISH, SCENE_END},
};

static scene_id_t route_of(msg_type_t type);
static void client_give_up(client_t *c, const char *why);
static void client_host_leave_input(client_t *c, const input_event_t *ev);

void client_init(client_t *c, const scene_t *const *scenes, const client_net_ops_t *net,
                 const client_host_ops_t *host)
{
    memset(c, 0, sizeof *c);
    settings_defaults(&c->settings);
    session_init(&c->session);
    c->net = net;
    c->host_ops = host;
    c->view_w = UI_VIEW_MIN_W;
    c->view_h = UI_VIEW_H;
    c->connect_back = SCENE_JOIN;
    c->scenes = scenes;
    c->scene = SCENE_MENU;
    if (scenes[c->scene]->enter)
        scenes[c->scene]->enter(c);
}

const scene_t *client_scene(const client_t *c)
{
    return c->scenes[c->scene];
}

void client_goto(client_t *c, scene_id_t id)
{
    if (id < 0 || id >= SCENE_COUNT)
        return;
    const scene_t *const *scenes = c->scenes;
    if (scenes[c->scene]->leave)
        scenes[c->scene]->leave(c);
    c->scene = id;
    c->scene_shown = false;
    c->scene_entered_ms = c->now_ms;
    if (scenes[id]->enter)
        scenes[id]->enter(c);
}

/* Menu feedback in one place: every screen but the round moves focus on the arrows and Tab
 * and confirms on Enter or a click; the round uses the arrows to move. While a chat line is
 * typed (the vote and end screens) the keys are the line's, and nothing in the menu moves. */
static void client_ui_sound(client_t *c, const input_event_t *ev)
{
    if (c->scene == SCENE_GAME || chatbox_state_open(&c->chatbox, c->session.serial))
        return;
    switch (ev->kind) {
    case IN_UP:
    case IN_DOWN:
    case IN_LEFT:
    case IN_RIGHT:
    case IN_TAB:
        client_sfx_play(c, SFX_UI_MOVE, SFX_EVENTS_VOL_UI);
        break;
    case IN_CONFIRM:
    case IN_CLICK:
        client_sfx_play(c, SFX_UI_CONFIRM, SFX_EVENTS_VOL_UI);
        break;
    default:
        break;
    }
}

void client_input(client_t *c, const input_event_t *ev)
{
    /* While reconnecting the game is frozen: Esc, Enter or a click on Cancel give up. */
    if (c->session.reconnecting) {
        if (ev->kind == IN_BACK || ev->kind == IN_CONFIRM || ev->kind == IN_CLICK)
            client_cancel_reconnect(c);
        return;
    }
    if (c->host_leave_ask) {
        client_host_leave_input(c, ev);
        return;
    }
    client_ui_sound(c, ev);
    const scene_t *s = client_scene(c);
    if (s->input)
        s->input(c, ev);
}

/* The reconnect loop: one attempt a second, on the same address, until it resumes, fails for
 * good or SESSION_RECONNECT_MS pass; the scene stays, frozen, meanwhile. */
static void client_reconnect_step(client_t *c)
{
    session_t *s = &c->session;
    if (session_reconnect_expired(s, c->now_ms)) {
        char why[SESSION_LINK_TEXT + 64];
        client_fmt(why, sizeof why, "%s (could not get back in within %d s)", s->reconnect_why,
                   SESSION_RECONNECT_MS / 1000);
        client_give_up(c, why);
        return;
    }
    if (session_reconnect_due(s, c->now_ms)) {
        session_reconnect_attempted(s, c->now_ms);
        if (c->net && c->net->connect)
            c->net->connect(c, s->server_host, s->server_port);
    }
}

void client_cancel_reconnect(client_t *c)
{
    if (!c->session.reconnecting)
        return;
    client_give_up(c, "you cancelled reconnecting");
}

void client_sfx(client_t *c, const sfx_event_t *ev, int n)
{
    for (int i = 0; i < n && c->nsfx < CLIENT_SFX_QUEUE; i++)
        c->sfx[c->nsfx++] = ev[i];
}

void client_sfx_play(client_t *c, sfx_sound_t sound, float volume)
{
    sfx_event_t ev = {.sound = sound, .volume = volume, .pan = 0.0f};
    client_sfx(c, &ev, 1);
}

void client_update(client_t *c)
{
    if (c->host_ops && c->host_ops->tick)
        c->host_ops->tick(c); /* a server being stopped, whatever the scene */
    if (c->session.reconnecting) {
        /* The scene stays frozen (no prediction, no inputs) until the server has us back. */
        client_reconnect_step(c);
        return;
    }
    /* Pings measure the round trip for the debug overlay. */
    if (session_ping_due(&c->session, c->now_ms)) {
        msg_t m;
        proto_init(&m, MSG_PING);
        client_send(c, &m);
        session_ping_sent(&c->session, c->now_ms);
    }
    const scene_t *s = client_scene(c);
    if (s->update)
        s->update(c);
}

void client_send(client_t *c, const msg_t *m)
{
    if (c->session.connected && c->net && c->net->send)
        c->net->send(c, m);
}

void client_connect(client_t *c, const char *host, int port)
{
    if (c->net && c->net->close)
        c->net->close(c);
    session_begin(&c->session, host, port);
    client_goto(c, SCENE_CONNECT);
    if (c->net && c->net->connect)
        c->net->connect(c, c->session.server_host, port);
}

void client_on_connected(client_t *c)
{
    session_link_up(&c->session, c->now_ms);
}

void client_on_connect_failed(client_t *c, const char *why)
{
    if (c->session.reconnecting)
        return; /* the next attempt is scheduled already */
    session_link_failed(&c->session, why, c->now_ms);
    if (c->scene != SCENE_CONNECT)
        return;
    if (c->quit_after_rounds > 0 && !c->autoplay) {
        /* A scripted run with nobody to press Retry. */
        c->quit = true;
        c->exit_code = 1;
    }
}

/* While reconnecting: the greeting is answered with the name and the token, and the answer
 * decides; what the server sends after that ("game start" again) goes to the scenes. */
static bool client_reconnect_message(client_t *c, const msg_t *m)
{
    if (m->type == MSG_LOGIN_PROMPT) {
        msg_t login;
        proto_init(&login, MSG_LOGIN);
        client_fmt(login.u.login.username, sizeof login.u.login.username, "%s",
                   c->session.username);
        login.u.login.version = PROTO_VERSION;
        login.u.login.features = CLIENT_FEATURES; /* the server keeps the first login's */
        login.u.login.resume_sent = true;
        client_fmt(login.u.login.resume, sizeof login.u.login.resume, "%s",
                   c->session.resume_token);
        client_send(c, &login);
        return true;
    }
    if (m->type != MSG_LOGIN_UPDATE)
        return true; /* nothing else is expected before the answer */
    if (!m->u.login_update.accepted && strstr(m->u.login_update.message, "try again")) {
        /* The server is still letting the old connection go: the next attempt will do. */
        if (c->net && c->net->close)
            c->net->close(c);
        session_reconnect_retry(&c->session);
        return true;
    }
    if (!m->u.login_update.accepted) {
        char why[SESSION_LINK_TEXT + 64];
        client_fmt(why, sizeof why, "%s (the server did not take us back: %s)",
                   c->session.reconnect_why, m->u.login_update.message);
        client_give_up(c, why);
        return true;
    }
    session_reconnect_end(&c->session);
    session_on_message(&c->session, m, c->now_ms);
    return true;
}

/* A part of the round's replay: once whole, kept in replays_dir (replays.c). A bad part or file
 * is logged and dropped; the round goes on. */
static void client_on_replay(client_t *c, const msg_replay_t *m)
{
    const uint8_t *data;
    size_t len;
    char err[300];
    int rc = replays_rx_part(&c->replay_rx, m, &data, &len, err, sizeof err);
    if (rc == 0)
        return;
    if (rc > 0 && !c->replays_dir[0]) {
        replays_rx_free(&c->replay_rx);
        return;
    }
    if (rc > 0) {
        char path[CLIENT_REPLAY_PATH];
        rc = replays_save(c->replays_dir, data, len, path, sizeof path, err, sizeof err);
        replays_rx_free(&c->replay_rx);
        if (rc == 0)
            client_fmt(c->replay_kept, sizeof c->replay_kept, "%s", path);
    }
    if (rc < 0) {
        client_fmt(c->replay_kept, sizeof c->replay_kept, "replay not kept: %s", err);
        fprintf(stderr, "nine43: %s\n", c->replay_kept);
    }
}

void client_on_message(client_t *c, const msg_t *m)
{
    if (c->session.reconnecting && client_reconnect_message(c, m))
        return;
    switch (m->type) {
    case MSG_PING: {
        msg_t pong;
        proto_init(&pong, MSG_PONG);
        client_send(c, &pong);
        return;
    }
    case MSG_PONG:
        session_on_message(&c->session, m, c->now_ms);
        return;
    case MSG_FINISH:
        c->rounds_done++;
        break;
    case MSG_REPLAY:
        client_on_replay(c, &m->u.replay);
        return;
    case MSG_CHAT:
        /* Your own line coming back is no news. */
        if (strcmp(m->u.chat.from, c->session.username) != 0)
            client_sfx_play(c, SFX_CHAT, SFX_EVENTS_VOL_UI);
        break;
    default:
        break;
    }
    session_on_message(&c->session, m, c->now_ms);
    scene_id_t to = route_of(m->type);
    if (to != SCENE_COUNT && to != c->scene)
        client_goto(c, to);
    const scene_t *s = client_scene(c);
    if (s->message)
        s->message(c, m);
}

void client_stop_hosting(client_t *c, const char *if_alone)
{
    if (c->session.hosting && c->host_ops && c->host_ops->stop)
        c->host_ops->stop(c, if_alone);
    session_hosting_stopped(&c->session);
}

/* Scenes where a dropped player has a place on the server to go back to: its group's, or the
 * lobby's while it watches a group (one still voting: the lobby shows until its round starts). */
static bool client_can_resume(const client_t *c)
{
    return c->session.resume_token[0] && c->session.username[0] &&
           (c->scene == SCENE_VOTE || c->scene == SCENE_GAME || c->scene == SCENE_END ||
            (c->scene == SCENE_LOBBY && c->lobby.watch_group > 0));
}

void client_on_lost(client_t *c, const char *why)
{
    if (c->net && c->net->close)
        c->net->close(c);
    /* The screen says it too, but only the log outlives the screen (a report, a bug hunt). */
    const char *said = c->session.bye[0] ? c->session.bye : c->session.server_error;
    SDL_Log("nine43: connection lost: %s%s%s%s; %s", why && why[0] ? why : "closed",
            said[0] ? " (server said: " : "", said, said[0] ? ")" : "",
            c->session.reconnecting ? "trying again"
            : client_can_resume(c)  ? "resuming"
                                    : "giving up");
    if (c->session.reconnecting) {
        session_reconnect_retry(&c->session); /* an attempt's connection went too: try again */
        return;
    }
    if (client_can_resume(c)) {
        session_reconnect_begin(&c->session, why, c->now_ms);
        return;
    }
    client_give_up(c, why);
}

static void client_give_up(client_t *c, const char *why)
{
    if (c->net && c->net->close)
        c->net->close(c);
    char me[sizeof c->session.username]; /* session_close forgets it */
    client_fmt(me, sizeof me, "%s", c->session.username);
    session_close(&c->session);
    char notice[sizeof c->notice];
    if (c->session.bye[0])
        client_fmt(notice, sizeof notice, "%s", c->session.bye); /* the server said why */
    else if (c->session.server_error[0])
        client_fmt(notice, sizeof notice, "Connection lost: %s (server said: %s)",
                   why && why[0] ? why : "closed", c->session.server_error);
    else
        client_fmt(notice, sizeof notice, "Connection lost: %s", why && why[0] ? why : "closed");
    client_stop_hosting(c, me[0] ? me : NULL); /* our link went, not theirs: the server knows */
    if (c->quit_after_rounds > 0 && c->rounds_done < c->quit_after_rounds) {
        fprintf(stderr, "nine43: %s\n", notice);
        c->quit = true;
        c->exit_code = 1;
    }
    if (c->scene == SCENE_END && c->session.bye[0]) {
        /* The server closed after its last round: the results stay until the player has seen
         * them, and the end screen's Continue leads to the menu with the reason. */
        memcpy(c->notice, notice, sizeof c->notice);
        return;
    }
    client_goto(c, SCENE_MENU);
    /* After the switch: leaving a scene may clear the notice of an earlier visit. */
    memcpy(c->notice, notice, sizeof c->notice);
}

/* Our group's players still here, by its last "group": in the vote (who has left it) and on the
 * end screen (who has left the server; one back in the lobby is still here). -1 where neither
 * applies, or on the end screen before one came. A vote is always among others: before its
 * "group" arrives it counts one, so that the host is asked rather than its party stopped. */
static int client_round_mates_here(const client_t *c)
{
    const msg_group_t *g;
    if (c->scene == SCENE_END && c->end.have_group)
        g = &c->end.group;
    else if (c->scene == SCENE_VOTE && c->vote.have_group)
        g = &c->vote.group;
    else if (c->scene == SCENE_VOTE)
        return 1;
    else
        return -1;
    int n = 0;
    for (int k = 0; k < g->nplayers; k++)
        n += !g->players[k].left && strcmp(g->players[k].username, c->session.username) != 0;
    return n;
}

int client_others_on_server(const client_t *c)
{
    const session_t *s = &c->session;
    int n = 0, mates = client_round_mates_here(c);
    if (c->scene == SCENE_LOBBY) {
        for (int i = 0; i < s->nplayers; i++)
            n += strcmp(s->players[i], s->username) != 0;
    } else if (mates >= 0) {
        n += mates;
    } else if (c->game.nplayers > 0) {
        n += c->game.nplayers - 1; /* our round; the lobby's view is from before it */
    }
    for (int g = 0; g < s->ngroups; g++)
        n += s->groups[g].nplayers;
    return n;
}

void client_leave_now(client_t *c, client_server_fate_t fate)
{
    char me[sizeof c->session.username]; /* session_close forgets it */
    client_fmt(me, sizeof me, "%s", c->session.username);
    if (fate == CLIENT_SERVER_KEEP && c->session.hosting && c->host_ops && c->host_ops->detach) {
        int others = client_others_on_server(c);
        c->host_ops->detach(c);
        session_hosting_detached(&c->session);
        client_tell_kept(c, others);
    }
    if (c->session.connected) {
        msg_t m;
        proto_init(&m, MSG_QUIT);
        client_send(c, &m);
    }
    if (c->net && c->net->close)
        c->net->close(c);
    session_close(&c->session);
    client_stop_hosting(c, fate == CLIENT_SERVER_STOP_IF_ALONE && me[0] ? me : NULL);
    client_goto(c, SCENE_MENU);
}

void client_tell_kept(client_t *c, int others)
{
    /* One line under the menu (the question said the rest: it stops once everyone has left). */
    client_fmt(c->kept, sizeof c->kept, "Your server runs on for %d other player%s.", others,
               others == 1 ? "" : "s");
}

bool client_leave_asks_host(const client_t *c)
{
    return c->session.hosting && c->session.connected && client_others_on_server(c) > 0;
}

void client_leave_server(client_t *c)
{
    if (client_leave_asks_host(c)) {
        c->host_leave_ask = true;
        c->host_leave_quits = false;
        c->host_leave_focus = CLIENT_LEAVE_KEEP;
        return;
    }
    client_leave_now(c, CLIENT_SERVER_STOP_IF_ALONE); /* we count nobody; the server may */
}

void client_request_quit(client_t *c)
{
    if (c->host_leave_ask && c->host_leave_quits) {
        client_host_leave_answer(c, CLIENT_LEAVE_KEEP); /* closed twice: nobody loses a round */
        return;
    }
    if (client_leave_asks_host(c)) {
        c->host_leave_ask = true;
        c->host_leave_quits = true;
        c->host_leave_focus = CLIENT_LEAVE_KEEP;
        return;
    }
    c->quit = true;
}

void client_host_leave_answer(client_t *c, int answer)
{
    if (!c->host_leave_ask)
        return;
    c->host_leave_ask = false;
    if (answer == CLIENT_LEAVE_CANCEL)
        return;
    client_leave_now(c, answer == CLIENT_LEAVE_KEEP ? CLIENT_SERVER_KEEP : CLIENT_SERVER_STOP);
    if (c->host_leave_quits)
        c->quit = true;
}

void client_host_leave_button(const client_t *c, int i, int *x, int *y, int *w, int *h)
{
    *w = CLIENT_LEAVE_BUTTON_W;
    *h = CLIENT_LEAVE_BUTTON_H;
    *x = (c->view_w - *w) / 2;
    *y = c->view_h / 2 - 20 + i * (CLIENT_LEAVE_BUTTON_H + 12);
}

/* The question takes every key and click while it is open. */
static void client_host_leave_input(client_t *c, const input_event_t *ev)
{
    int x, y, w, h;
    switch (ev->kind) {
    case IN_UP:
        c->host_leave_focus = (c->host_leave_focus + CLIENT_LEAVE_COUNT - 1) % CLIENT_LEAVE_COUNT;
        return;
    case IN_DOWN:
    case IN_TAB:
        c->host_leave_focus = (c->host_leave_focus + 1) % CLIENT_LEAVE_COUNT;
        return;
    case IN_CONFIRM:
        client_host_leave_answer(c, c->host_leave_focus);
        return;
    case IN_BACK:
        client_host_leave_answer(c, CLIENT_LEAVE_CANCEL);
        return;
    case IN_CLICK:
        for (int i = 0; i < CLIENT_LEAVE_COUNT; i++) {
            client_host_leave_button(c, i, &x, &y, &w, &h);
            if (ev->x >= x && ev->x < x + w && ev->y >= y && ev->y < y + h) {
                client_host_leave_answer(c, i);
                return;
            }
        }
        return;
    default:
        return;
    }
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

void client_fmt(char *dst, size_t cap, const char *fmt, ...)
{
    if (!dst || cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}
