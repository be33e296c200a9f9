/* scene_lobby.c -- the lobby: who is here ("2 / 4"), chat, Leave; the address to give friends when
 * hosting; reads the roster and the chat log from the session */
#include <stdio.h>
#include <string.h>

#include "chatbox.h"
#include "scene_common.h"
#include "scene_lobby.h"
#include "utf8.h"
#include "widgets.h"

#define LOBBY_TOP          110
#define LOBBY_LEFT_W       300
#define LOBBY_PANEL_BOTTOM 560
#define LOBBY_ROW_Y        576 /* the chat field and the Leave button */
#define LOBBY_SEND_W       110
#define LOBBY_PLAYER_PITCH 34

static int chat_x(const client_t *c)
{
    (void)c;
    return SCENE_MARGIN + LOBBY_LEFT_W + 20;
}

static int chat_w(const client_t *c)
{
    return c->view_w - chat_x(c) - SCENE_MARGIN;
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

static void leave_rect(const client_t *c, int *x, int *y, int *w)
{
    (void)c;
    *x = SCENE_MARGIN;
    *y = LOBBY_ROW_Y;
    *w = LOBBY_LEFT_W;
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
}

static void lobby_input(client_t *c, const input_event_t *ev)
{
    lobby_t *l = &c->lobby;
    int x, y, w;
    switch (ev->kind) {
    case IN_TAB:
    case IN_UP:
    case IN_DOWN:
        l->focus = l->focus == LOBBY_ROW_CHAT ? LOBBY_ROW_LEAVE : LOBBY_ROW_CHAT;
        return;
    case IN_BACK:
        /* One Esc moves to Leave, so a stray key does not drop the player from the group. */
        if (l->focus == LOBBY_ROW_LEAVE)
            client_leave_server(c);
        else
            l->focus = LOBBY_ROW_LEAVE;
        return;
    case IN_CONFIRM:
        if (l->focus == LOBBY_ROW_LEAVE)
            client_leave_server(c);
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
        leave_rect(c, &x, &y, &w);
        if (widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H)) {
            client_leave_server(c);
            return;
        }
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
        char name[PROTO_USERNAME_SIZE + 8];
        client_fmt(name, sizeof name, "%s%s", s->players[i], me ? " (you)" : "");
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
    char wait[96];
    lobby_status_text(s, wait, sizeof wait);
    int missing = s->group_size - s->nplayers;
    ui_text_wrapped(ui, UI_FONT_SMALL, x + 16, y + h - 36, w - 32, UI_LEFT,
                    missing > 0 ? UI_DIM : UI_GOOD, wait, true);
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
    int x = chat_x(c), y = LOBBY_TOP, w = chat_w(c), h = LOBBY_PANEL_BOTTOM - y;
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
}

const scene_t scene_lobby = {
    .name = "lobby",
    .enter = lobby_enter,
    .input = lobby_input,
    .message = lobby_message,
    .ready = lobby_ready,
    .draw = lobby_draw,
};
