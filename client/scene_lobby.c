/* scene_lobby.c -- the lobby: who is here ("2 / 4"), the running groups, Start now and its
 * countdown, Watch on each running group, chat, the host's Kick (kick_dialog.c), Leave; the
 * address to give friends when hosting; reads the roster, the server view and the chat log from the
 * session */
#include <stdio.h>
#include <string.h>

#include "chatbox.h"
#include "scene_common.h"
#include "scene_lobby.h"
#include "game_watch.h"
#include "kick_dialog.h"
#include "utf8.h"
#include "widgets.h"

#define LOBBY_TOP          110
#define LOBBY_LEFT_W       300
#define LOBBY_PANEL_BOTTOM 560
#define LOBBY_ROW_Y        576 /* the chat field and the Leave button */
#define LOBBY_SEND_W       110
#define LOBBY_PLAYER_PITCH 34
#define LOBBY_BUTTON_GAP   10
#define LOBBY_KICK_W       66 /* the host's Kick... beside Start now and Leave */
#define LOBBY_GROUP_PITCH  26 /* a running group's line */
#define LOBBY_GROUPS_SHOWN 4  /* lines of groups before "and N more" */
#define LOBBY_WATCH_W      86 /* a running group's Watch button */

static int chat_x(const client_t *c)
{
    (void)c;
    return SCENE_MARGIN + LOBBY_LEFT_W + 20;
}

static int chat_w(const client_t *c)
{
    return c->view_w - chat_x(c) - SCENE_MARGIN;
}

/* The running groups' panel above the chat (a party server only): its height, 0 when none. */
static int groups_h(const client_t *c)
{
    const session_t *s = &c->session;
    if (!s->party)
        return 0;
    int rows = s->ngroups < LOBBY_GROUPS_SHOWN ? s->ngroups : LOBBY_GROUPS_SHOWN;
    int more = s->games > rows ? 1 : 0;
    return 46 + (rows + more > 0 ? rows + more : 1) * LOBBY_GROUP_PITCH;
}

static int chat_top(const client_t *c)
{
    int gh = groups_h(c);
    return gh > 0 ? LOBBY_TOP + gh + 10 : LOBBY_TOP;
}

static void field_rect(const client_t *c, int *x, int *y, int *w)
{
    *x = chat_x(c);
    *y = LOBBY_ROW_Y;
    *w = chat_w(c) - LOBBY_SEND_W - 10;
}

static void send_rect(const client_t *c, int *x, int *y, int *w)
{
    *x = chat_x(c) + chat_w(c) - LOBBY_SEND_W;
    *y = LOBBY_ROW_Y;
    *w = LOBBY_SEND_W;
}

/* The left column's buttons: Leave alone (the original server), or Start now, the host's Kick
 * and Leave side by side on a party server. */
static int start_w(const client_t *c)
{
    int kick = session_i_am_host(&c->session) ? LOBBY_KICK_W + LOBBY_BUTTON_GAP : 0;
    return (LOBBY_LEFT_W - LOBBY_BUTTON_GAP - kick) * 3 / 5;
}

static void start_rect(const client_t *c, int *x, int *y, int *w)
{
    *x = SCENE_MARGIN;
    *y = LOBBY_ROW_Y;
    *w = start_w(c);
}

static void kick_rect(const client_t *c, int *x, int *y, int *w)
{
    *x = SCENE_MARGIN + start_w(c) + LOBBY_BUTTON_GAP;
    *y = LOBBY_ROW_Y;
    *w = LOBBY_KICK_W;
}

static void leave_rect(const client_t *c, int *x, int *y, int *w)
{
    *x = SCENE_MARGIN;
    *y = LOBBY_ROW_Y;
    *w = LOBBY_LEFT_W;
    if (!c->session.party)
        return;
    int used = start_w(c) + LOBBY_BUTTON_GAP;
    if (session_i_am_host(&c->session))
        used += LOBBY_KICK_W + LOBBY_BUTTON_GAP;
    *x += used;
    *w -= used;
}

/* Group i of the view can be watched: a watch server lists its id, and it is not over. */
static bool watchable(const client_t *c, int i)
{
    const session_t *s = &c->session;
    return i >= 0 && i < s->ngroups && i < LOBBY_GROUPS_SHOWN && s->groups[i].id > 0 &&
           s->groups[i].phase != PROTO_PHASE_END;
}

static void watch_rect(const client_t *c, int i, int *x, int *y, int *w)
{
    *w = LOBBY_WATCH_W;
    *x = chat_x(c) + chat_w(c) - LOBBY_WATCH_W - 10;
    *y = LOBBY_TOP + 44 + i * LOBBY_GROUP_PITCH - 3;
}

/* The focus's Watch, on the group picked, else the first one that can be watched: -1 none. */
static int watch_focus(const client_t *c)
{
    if (watchable(c, c->lobby.watch_pick))
        return c->lobby.watch_pick;
    for (int i = 0; i < LOBBY_GROUPS_SHOWN; i++)
        if (watchable(c, i))
            return i;
    return -1;
}

static void watch_group(client_t *c, int i)
{
    c->lobby.focus = LOBBY_ROW_WATCH;
    c->lobby.watch_pick = i;
    c->lobby.watch_group = c->session.groups[i].id;
    game_watch_request(c, c->lobby.watch_group);
}

/* Left and right move the Watch focus through the groups that can be watched. */
static void watch_step(client_t *c, int step)
{
    int at = watch_focus(c);
    for (int k = 1; k <= LOBBY_GROUPS_SHOWN; k++) {
        int i = ((at + step * k) % LOBBY_GROUPS_SHOWN + LOBBY_GROUPS_SHOWN) % LOBBY_GROUPS_SHOWN;
        if (watchable(c, i)) {
            c->lobby.watch_pick = i;
            return;
        }
    }
}

static bool click_watch(client_t *c, const input_event_t *ev)
{
    int x, y, w;
    for (int i = 0; i < LOBBY_GROUPS_SHOWN; i++) {
        watch_rect(c, i, &x, &y, &w);
        if (watchable(c, i) && widget_hit(ev->x, ev->y, x, y, w, LOBBY_GROUP_PITCH - 2)) {
            watch_group(c, i);
            return true;
        }
    }
    return false;
}

/* The rows the focus moves through, in screen order. */
static bool row_shown(const client_t *c, int row)
{
    switch (row) {
    case LOBBY_ROW_WATCH:
        return watch_focus(c) >= 0;
    case LOBBY_ROW_START:
        return c->session.party;
    case LOBBY_ROW_KICK:
        return session_i_am_host(&c->session);
    default:
        return true;
    }
}

static void move_focus(client_t *c, int step)
{
    static const int order[] = {LOBBY_ROW_WATCH, LOBBY_ROW_CHAT, LOBBY_ROW_START, LOBBY_ROW_KICK,
                                LOBBY_ROW_LEAVE};
    const int n = (int)(sizeof order / sizeof order[0]);
    int at = 0;
    while (at < n && order[at] != c->lobby.focus)
        at++;
    for (int k = 1; k <= n; k++) {
        int row = order[((at + step * k) % n + n) % n];
        if (row_shown(c, row)) {
            c->lobby.focus = row;
            return;
        }
    }
}

static void lobby_enter(client_t *c)
{
    /* The roster and chat log are the session's. A half-typed line waits through a round, but
     * not into another connection. */
    lobby_t *l = &c->lobby;
    if (l->serial != c->session.serial) {
        l->input[0] = '\0';
        l->serial = c->session.serial;
    }
    l->focus = LOBBY_ROW_CHAT;
    kick_dialog_close(c);
    l->watch_group = 0; /* back from watching (or playing): no "game start" is watched now */
}

/* Start now, or take it back. */
static void toggle_start(client_t *c)
{
    const session_t *s = &c->session;
    if (!s->party || s->nplayers < PROTO_MIN_GROUP)
        return;
    msg_t m;
    proto_init(&m, MSG_START);
    m.u.start.ready = !session_is_ready(s, s->username);
    client_send(c, &m);
}

static void send_chat(client_t *c)
{
    lobby_t *l = &c->lobby;
    const char *s = l->input;
    while (*s == ' ')
        s++;
    if (!*s)
        return;
    msg_t m;
    proto_init(&m, MSG_CHAT_SEND);
    size_t len = strlen(s);
    utf8_sanitize(m.u.chat_send.text, sizeof m.u.chat_send.text, s, len, PROTO_MAX_CHAT);
    client_send(c, &m);
    l->input[0] = '\0';
}

static void lobby_message(client_t *c, const msg_t *m)
{
    /* The session took the roster, the chat and the welcome already; an error that does not
     * end the connection (a refused line) shows in the chat, where the player looks. */
    if (m->type == MSG_ERROR)
        session_chat_add(&c->session, "", m->u.error.message);
    /* A Watch refused (the round just ended, too many watch it): said where the player looks. */
    if (m->type == MSG_WATCH_REPLY && !m->u.watch_reply.accepted) {
        c->lobby.watch_group = 0;
        session_chat_add(&c->session, "", m->u.watch_reply.message);
    }
    /* Watching a group that still votes stopped: after a drop, that round is over or full. */
    if (m->type == MSG_WATCH_END && c->lobby.watch_group > 0) {
        c->lobby.watch_group = 0;
        session_chat_add(&c->session, "", m->u.watch_end.message);
    }
}

/* A click on one of the left column's buttons: true when it hit one. */
static bool click_buttons(client_t *c, const input_event_t *ev)
{
    int x, y, w;
    leave_rect(c, &x, &y, &w);
    if (widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H)) {
        client_leave_server(c);
        return true;
    }
    start_rect(c, &x, &y, &w);
    if (row_shown(c, LOBBY_ROW_START) && widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H)) {
        c->lobby.focus = LOBBY_ROW_START;
        toggle_start(c);
        return true;
    }
    kick_rect(c, &x, &y, &w);
    if (row_shown(c, LOBBY_ROW_KICK) && widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H)) {
        c->lobby.focus = LOBBY_ROW_KICK;
        kick_dialog_open(c, KICK_DIALOG_OVER_LOBBY);
        return true;
    }
    return false;
}

static void lobby_input(client_t *c, const input_event_t *ev)
{
    lobby_t *l = &c->lobby;
    int x, y, w;
    if (kick_dialog_input(c, ev))
        return;
    if (!row_shown(c, l->focus))
        l->focus = LOBBY_ROW_CHAT; /* the host's mark moved on */
    switch (ev->kind) {
    case IN_TAB:
    case IN_UP:
    case IN_DOWN:
        move_focus(c, ev->kind == IN_UP ? -1 : 1);
        return;
    case IN_BACK:
        /* One Esc moves to Leave, so a stray key does not drop the player from the group. */
        if (l->focus == LOBBY_ROW_LEAVE)
            client_leave_server(c);
        else
            l->focus = LOBBY_ROW_LEAVE;
        return;
    case IN_LEFT:
    case IN_RIGHT:
        if (l->focus == LOBBY_ROW_WATCH)
            watch_step(c, ev->kind == IN_LEFT ? -1 : 1);
        return;
    case IN_CONFIRM:
        if (l->focus == LOBBY_ROW_WATCH && watch_focus(c) >= 0)
            watch_group(c, watch_focus(c));
        else if (l->focus == LOBBY_ROW_LEAVE)
            client_leave_server(c);
        else if (l->focus == LOBBY_ROW_START)
            toggle_start(c);
        else if (l->focus == LOBBY_ROW_KICK)
            kick_dialog_open(c, KICK_DIALOG_OVER_LOBBY);
        else
            send_chat(c);
        return;
    case IN_TEXT:
    case IN_BACKSPACE:
        /* Typing always goes to the chat line. */
        l->focus = LOBBY_ROW_CHAT;
        widget_text_input(l->input, sizeof l->input, PROTO_MAX_CHAT, ev);
        return;
    case IN_POINT:
        leave_rect(c, &x, &y, &w);
        if (widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H))
            l->focus = LOBBY_ROW_LEAVE;
        return;
    case IN_CLICK:
        if (click_buttons(c, ev) || click_watch(c, ev))
            return;
        send_rect(c, &x, &y, &w);
        if (widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H)) {
            l->focus = LOBBY_ROW_CHAT;
            send_chat(c);
            return;
        }
        field_rect(c, &x, &y, &w);
        if (widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H))
            l->focus = LOBBY_ROW_CHAT;
        return;
    default:
        return;
    }
}

void lobby_count_text(const session_t *s, char *buf, size_t cap)
{
    if (s->group_size > 0)
        client_fmt(buf, cap, "%d / %d", s->nplayers, s->group_size);
    else
        client_fmt(buf, cap, "%d", s->nplayers);
}

void lobby_status_text(const session_t *s, char *buf, size_t cap)
{
    int missing = s->group_size - s->nplayers;
    if (!s->have_update)
        client_fmt(buf, cap, "Joining...");
    else if (missing > 0)
        client_fmt(buf, cap, "Waiting for %d more player%s", missing, missing == 1 ? "" : "s");
    else
        client_fmt(buf, cap, "Starting!");
}

void lobby_party_status_text(const session_t *s, uint32_t now_ms, char *buf, size_t cap)
{
    int wait = session_wait_seconds(s, now_ms);
    int ready = s->nready;
    if (!s->have_update)
        client_fmt(buf, cap, "Joining...");
    else if (s->nplayers < PROTO_MIN_GROUP)
        client_fmt(buf, cap, "Waiting for another player (rounds take up to %d)", s->group_size);
    else if (wait >= 0)
        client_fmt(buf, cap, "Starts in %d s (or when all %d press Start now)", wait, s->nplayers);
    else if (ready > 0)
        client_fmt(buf, cap, "%d of %d pressed Start now", ready, s->nplayers);
    else
        client_fmt(buf, cap, "Press Start now to play with the %d here", s->nplayers);
}

void lobby_group_text(const session_t *s, int i, uint32_t now_ms, char *buf, size_t cap)
{
    const proto_group_info_t *g = &s->groups[i];
    char names[PROTO_MAX_PLAYERS * (PROTO_USERNAME_SIZE + 2)] = "";
    for (int k = 0; k < g->nplayers; k++) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", k ? ", " : "", g->players[k]);
    }
    int left = session_group_seconds(s, i, now_ms);
    if (g->phase == PROTO_PHASE_VOTE)
        client_fmt(buf, cap, "choosing a world · %d s · %s", left, names);
    else if (g->phase == PROTO_PHASE_END)
        client_fmt(buf, cap, "%s · results · %s", g->world, names);
    else
        client_fmt(buf, cap, "%s · %d:%02d left · %s", g->world, left / 60, left % 60, names);
    if (g->watching > 0) {
        size_t len = strlen(buf);
        client_fmt(buf + len, cap - len, " · %d watching", g->watching);
    }
}

static bool lobby_ready(const client_t *c)
{
    return c->session.have_update;
}

/* want, or the smaller font when the text is wider than w in it. */
static ui_font_t font_to_fit(ui_t *ui, ui_font_t want, ui_font_t smaller, const char *text, int w)
{
    return ui_text_width(ui, want, text) <= w ? want : smaller;
}

static void draw_players(client_t *c, ui_t *ui)
{
    const session_t *s = &c->session;
    int x = SCENE_MARGIN, y = LOBBY_TOP, w = LOBBY_LEFT_W;
    int h = (c->session.hosting ? LOBBY_PANEL_BOTTOM - 110 : LOBBY_PANEL_BOTTOM) - y;
    ui_fill_rect(ui, x, y, w, h, UI_PANEL);
    char count[48];
    lobby_count_text(s, count, sizeof count);
    ui_text(ui, UI_FONT_NORMAL, x + 16, y + 14, UI_LEFT, UI_DIM, "Players");
    ui_text(ui, UI_FONT_LARGE, x + w - 16, y + 8, UI_RIGHT, UI_ACCENT, count);
    int py = y + 60;
    for (int i = 0; i < s->nplayers && py + LOBBY_PLAYER_PITCH <= y + h - 50; i++) {
        bool me = c->session.username[0] && strcmp(s->players[i], c->session.username) == 0;
        ui_fill_circle(ui, (float)(x + 26), (float)(py + 12), 6, me ? UI_ACCENT : UI_GOOD);
        if (session_is_ready(s, s->players[i]))
            ui_ring(ui, (float)(x + 26), (float)(py + 12), 10, 2, UI_GOOD);
        char name[PROTO_USERNAME_SIZE + 24];
        client_fmt(name, sizeof name, "%s%s%s", s->players[i],
                   session_is_host(s, s->players[i]) ? " (host)" : "", me ? " (you)" : "");
        /* Sixteen wide letters and " (you)" do not fit the panel in the normal font. */
        /* Wins tonight, from the evening's board, on the right of the name. */
        const proto_evening_row_t *ev = session_evening_row(s, s->players[i]);
        char wins[24] = "";
        if (ev && ev->won > 0)
            client_fmt(wins, sizeof wins, "%d win%s", ev->won, ev->won == 1 ? "" : "s");
        int ww = wins[0]
                     ? ui_text(ui, UI_FONT_SMALL, x + w - 14, py + 4, UI_RIGHT, UI_GOOD, wins) + 8
                     : 0;
        ui_text(ui, font_to_fit(ui, UI_FONT_NORMAL, UI_FONT_SMALL, name, w - 44 - 12 - ww), x + 44,
                py, UI_LEFT, me ? UI_ACCENT : UI_TEXT, name);
        py += LOBBY_PLAYER_PITCH;
    }
    char wait[160];
    int missing = s->group_size - s->nplayers;
    if (s->party)
        lobby_party_status_text(s, c->now_ms, wait, sizeof wait);
    else
        lobby_status_text(s, wait, sizeof wait);
    bool soon = s->party ? session_wait_seconds(s, c->now_ms) >= 0 : missing <= 0;
    /* Two lines: the countdown's sentence is longer than the panel is wide. */
    ui_text_wrapped(ui, UI_FONT_SMALL, x + 16, y + h - (s->party ? 52 : 36), w - 32, UI_LEFT,
                    soon ? UI_GOOD : UI_DIM, wait, true);
    if (c->session.hosting && c->session.host_address[0]) {
        int hy = LOBBY_PANEL_BOTTOM - 96;
        ui_fill_rect(ui, x, hy, w, 96, UI_PANEL);
        ui_fill_rect(ui, x, hy, 4, 96, UI_ACCENT);
        ui_text(ui, UI_FONT_SMALL, x + 16, hy + 12, UI_LEFT, UI_DIM, "Hosting. Friends join at:");
        /* "192.168.178.123:65535" is wider than the panel in the large font. */
        ui_text(ui, font_to_fit(ui, UI_FONT_LARGE, UI_FONT_NORMAL, c->session.host_address, w - 32),
                x + 16, hy + 40, UI_LEFT, UI_TEXT, c->session.host_address);
    }
}

static void draw_chat(client_t *c, ui_t *ui)
{
    const session_t *s = &c->session;
    int x = chat_x(c), y = chat_top(c), w = chat_w(c), h = LOBBY_PANEL_BOTTOM - y;
    ui_fill_rect(ui, x, y, w, h, UI_PANEL);
    ui_text(ui, UI_FONT_NORMAL, x + 16, y + 14, UI_LEFT, UI_DIM, "Chat");
    /* Newest at the bottom; older lines above until the panel is full. */
    int top = y + 50, bottom = y + h - 12;
    int ty = bottom;
    char line[PROTO_USERNAME_SIZE + PROTO_CHAT_SIZE + 8];
    for (int k = s->nchat - 1; k >= 0; k--) {
        const session_line_t *ln = session_chat_line(s, k);
        bool server = !ln->from[0];
        if (server)
            client_fmt(line, sizeof line, "* %s", ln->text);
        else
            client_fmt(line, sizeof line, "%s: %s", ln->from, ln->text);
        ui_color_t col =
            server ? UI_DIM
                   : (c->session.username[0] && !strcmp(ln->from, c->session.username) ? UI_ACCENT
                                                                                       : UI_TEXT);
        int lh = ui_text_wrapped(ui, UI_FONT_NORMAL, x + 16, 0, w - 32, UI_LEFT, col, line, false);
        if (ty - lh < top)
            break;
        ty -= lh;
        ui_text_wrapped(ui, UI_FONT_NORMAL, x + 16, ty, w - 32, UI_LEFT, col, line, true);
        ty -= 4;
    }
    if (s->nchat == 0)
        ui_text(ui, UI_FONT_NORMAL, x + 16, top, UI_LEFT, UI_DIM,
                "Say hello: type a line and press Enter.");
}

/* The running groups, newest first, each on a line; the host's among them marked. */
static void draw_groups(client_t *c, ui_t *ui)
{
    const session_t *s = &c->session;
    int x = chat_x(c), y = LOBBY_TOP, w = chat_w(c), h = groups_h(c);
    ui_fill_rect(ui, x, y, w, h, UI_PANEL);
    char title[64];
    client_fmt(title, sizeof title, "Playing now: %d group%s", s->games, s->games == 1 ? "" : "s");
    ui_text(ui, UI_FONT_NORMAL, x + 16, y + 12, UI_LEFT, UI_DIM, title);
    int gy = y + 44;
    char line[PROTO_MAX_PLAYERS * (PROTO_USERNAME_SIZE + 2) + 64];
    int shown = 0;
    for (int i = 0; i < s->ngroups && shown < LOBBY_GROUPS_SHOWN; i++, shown++) {
        lobby_group_text(s, i, c->now_ms, line, sizeof line);
        bool host = false;
        for (int k = 0; k < s->groups[i].nplayers; k++)
            host = host || session_is_host(s, s->groups[i].players[k]);
        ui_fill_circle(ui, (float)(x + 24), (float)(gy + 9), 5,
                       s->groups[i].phase == PROTO_PHASE_GAME ? UI_GOOD : UI_DIM);
        int tw = w - 56 - (watchable(c, i) ? LOBBY_WATCH_W + 10 : 0);
        ui_text(ui, font_to_fit(ui, UI_FONT_SMALL, UI_FONT_SMALL, line, tw), x + 40, gy, UI_LEFT,
                host ? UI_ACCENT : UI_TEXT, line);
        if (watchable(c, i)) {
            int bx, by, bw;
            watch_rect(c, i, &bx, &by, &bw);
            ui_button(ui, bx, by, bw, LOBBY_GROUP_PITCH - 2, "Watch",
                      c->lobby.focus == LOBBY_ROW_WATCH && watch_focus(c) == i, true);
        }
        gy += LOBBY_GROUP_PITCH;
    }
    if (s->games > shown) {
        client_fmt(line, sizeof line, "and %d more", s->games - shown);
        ui_text(ui, UI_FONT_SMALL, x + 40, gy, UI_LEFT, UI_DIM, line);
    } else if (shown == 0) {
        ui_text(ui, UI_FONT_SMALL, x + 40, gy, UI_LEFT, UI_DIM, "Nobody is in a round");
    }
}

static void lobby_draw(client_t *c, ui_t *ui)
{
    lobby_t *l = &c->lobby;
    ui_text(ui, UI_FONT_LARGE, SCENE_MARGIN, 36, UI_LEFT, UI_TEXT, "Lobby");
    char where[400];
    client_fmt(where, sizeof where, "%s  ·  %s:%d", c->session.username, c->session.server_host,
               c->session.server_port);
    ui_text(ui, UI_FONT_NORMAL, c->view_w - SCENE_MARGIN, 44, UI_RIGHT, UI_DIM, where);
    ui_fill_rect(ui, SCENE_MARGIN, 84, c->view_w - 2 * SCENE_MARGIN, 2, UI_FOCUS);
    draw_players(c, ui);
    if (c->session.party)
        draw_groups(c, ui);
    draw_chat(c, ui);
    int x, y, w;
    field_rect(c, &x, &y, &w);
    ui_text_field(ui, x, y, w, SCENE_BUTTON_H, NULL, l->input, l->focus == LOBBY_ROW_CHAT,
                  c->now_ms);
    /* The limit shows as it nears: typing past it is refused, never cut. */
    int left = PROTO_MAX_CHAT - (int)utf8_count(l->input, strlen(l->input));
    if (left <= CHATBOX_WARN_CHARS) {
        char count[48];
        client_fmt(count, sizeof count, left > 0 ? "%d left" : "full: %d characters",
                   left > 0 ? left : PROTO_MAX_CHAT);
        ui_text(ui, UI_FONT_SMALL, x + w, y - 18, UI_RIGHT, left > 0 ? UI_DIM : UI_BAD, count);
    }
    send_rect(c, &x, &y, &w);
    ui_button(ui, x, y, w, SCENE_BUTTON_H, "Send", false, l->input[0] != '\0');
    leave_rect(c, &x, &y, &w);
    ui_button(ui, x, y, w, SCENE_BUTTON_H, "Leave", l->focus == LOBBY_ROW_LEAVE, true);
    if (row_shown(c, LOBBY_ROW_START)) {
        bool ready = session_is_ready(&c->session, c->session.username);
        start_rect(c, &x, &y, &w);
        ui_button(ui, x, y, w, SCENE_BUTTON_H, ready ? "Ready \u2713" : "Start now",
                  l->focus == LOBBY_ROW_START, c->session.nplayers >= PROTO_MIN_GROUP);
    }
    if (row_shown(c, LOBBY_ROW_KICK)) {
        kick_rect(c, &x, &y, &w);
        ui_button(ui, x, y, w, SCENE_BUTTON_H, "Kick", l->focus == LOBBY_ROW_KICK, true);
    }
    kick_dialog_draw(c, ui);
}

const scene_t scene_lobby = {
    .name = "lobby",
    .enter = lobby_enter,
    .input = lobby_input,
    .message = lobby_message,
    .ready = lobby_ready,
    .draw = lobby_draw,
};
