/* scene_join.c -- Join a game: host and port (the last used remembered), Connect; room for the LAN
 * list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lan.h"
#include "scene_common.h"
#include "scene_join.h"
#include "widgets.h"

#define JOIN_FORM_W     400
#define JOIN_FORM_TOP   190
#define JOIN_ROW_PITCH  84
#define JOIN_PORT_CHARS 5
#define JOIN_HOST_CHARS 253                  /* the longest DNS name */
#define JOIN_LAN_TOP    (JOIN_FORM_TOP - 22) /* the LAN panel, right of the form */
#define JOIN_LAN_H      330
#define JOIN_LAN_ROW_Y  56 /* first row, below the panel's title */
#define JOIN_LAN_ROW_H  50
#define JOIN_LAN_PAD    14

/* The form is the left column; the right column is where the LAN server list goes. */
static int form_x(const client_t *c)
{
    return c->view_w / 2 - JOIN_FORM_W - 20;
}

static void row_rect(const client_t *c, int row, int *x, int *y, int *w, int *h)
{
    *x = form_x(c);
    *w = JOIN_FORM_W;
    *h = row <= JOIN_ROW_PORT ? SCENE_FIELD_H : SCENE_BUTTON_H;
    *y = JOIN_FORM_TOP + row * JOIN_ROW_PITCH;
    if (row >= JOIN_ROW_CONNECT) /* buttons sit closer together than labelled fields */
        *y = JOIN_FORM_TOP + 2 * JOIN_ROW_PITCH + (row - JOIN_ROW_CONNECT) * (SCENE_BUTTON_H + 14);
}

/* LAN games shown: the browser's list, at most JOIN_LAN_ROWS. */
static int lan_shown(const client_t *c)
{
    if (!c->join.lan)
        return 0;
    int n = lan_browser_count(c->join.lan);
    return n < JOIN_LAN_ROWS ? n : JOIN_LAN_ROWS;
}

static void lan_row_rect(const client_t *c, int i, int *x, int *y, int *w, int *h)
{
    *x = c->view_w / 2 + 20 + JOIN_LAN_PAD;
    *w = JOIN_FORM_W - 2 * JOIN_LAN_PAD;
    *y = JOIN_LAN_TOP + JOIN_LAN_ROW_Y + i * JOIN_LAN_ROW_H;
    *h = JOIN_LAN_ROW_H - 6;
}

static void lan_open(client_t *c)
{
    join_t *j = &c->join;
    j->lan = NULL;
    j->lan_error[0] = '\0';
    if (!c->lan_io)
        return;
    j->lan = lan_browser_new(c->lan_io, c->discovery_addr[0] ? c->discovery_addr : NULL,
                             c->discovery_port, j->lan_error, sizeof j->lan_error);
}

static void join_leave(client_t *c)
{
    lan_browser_free(c->join.lan);
    c->join.lan = NULL;
}

static void join_update(client_t *c)
{
    join_t *j = &c->join;
    if (!j->lan)
        return;
    lan_browser_update(j->lan, (int64_t)c->now_ms);
    /* A game that went away takes its row, and the focus moves up to what is there. */
    if (j->focus >= JOIN_ROW_COUNT + lan_shown(c))
        j->focus = lan_shown(c) ? JOIN_ROW_COUNT + lan_shown(c) - 1 : JOIN_ROW_BACK;
}

/* Joins the i-th LAN game through the same path as a typed address. */
static void join_lan(client_t *c, int i)
{
    join_t *j = &c->join;
    const lan_server_t *s = j->lan ? lan_browser_server(j->lan, i) : NULL;
    if (!s)
        return;
    if (!s->compatible) {
        client_fmt(j->error, sizeof j->error, "%s cannot be joined: %s", s->name, s->why);
        return;
    }
    char host[LAN_HOST_SIZE], port[JOIN_PORT_SIZE];
    client_fmt(host, sizeof host, "%s", s->host);
    client_fmt(port, sizeof port, "%d", s->port);
    join_connect_to(c, host, port);
}

static void join_enter(client_t *c)
{
    join_t *j = &c->join;
    lan_open(c);
    j->focus = JOIN_ROW_HOST;
    client_fmt(j->host, sizeof j->host, "%s",
               c->settings.last_host[0] ? c->settings.last_host : "localhost");
    client_fmt(j->port, sizeof j->port, "%d",
               c->settings.last_port > 0 ? c->settings.last_port : SETTINGS_DEFAULT_PORT);
    j->error[0] = '\0';
}

/* Connects to host:port after checking them; remembers them as the last server used. Other
 * ways to pick a server (the LAN list) call this too. Returns false with j->error set. */
bool join_connect_to(client_t *c, const char *host, const char *port_text)
{
    join_t *j = &c->join;
    char h[JOIN_HOST_SIZE];
    client_fmt(h, sizeof h, "%s", host);
    /* Trim spaces around the host a player may have typed. */
    char *start = h;
    while (*start == ' ')
        start++;
    size_t len = strlen(start);
    while (len > 0 && start[len - 1] == ' ')
        start[--len] = '\0';
    /* "host:port" typed into the host field. */
    char *colon = strrchr(start, ':');
    const char *ptext = port_text;
    if (colon && strchr(start, ':') == colon) {
        *colon = '\0';
        ptext = colon + 1;
    }
    if (!start[0] || strchr(start, ' ')) {
        client_fmt(j->error, sizeof j->error, "Type the host's name or address, e.g. 192.168.1.20");
        j->focus = JOIN_ROW_HOST;
        return false;
    }
    char *end;
    long port = strtol(ptext, &end, 10);
    if (end == ptext || *end || port < 1 || port > 65535) {
        client_fmt(j->error, sizeof j->error, "The port must be a number from 1 to 65535");
        j->focus = JOIN_ROW_PORT;
        return false;
    }
    j->error[0] = '\0';
    client_fmt(c->settings.last_host, sizeof c->settings.last_host, "%s", start);
    c->settings.last_port = (int)port;
    char err[256];
    if (client_save_settings(c, err, sizeof err) != 0)
        fprintf(stderr, "nine43: %s\n", err); /* joining matters more than remembering */
    c->connect_back = SCENE_JOIN;
    client_connect(c, c->settings.last_host, (int)port);
    return true;
}

static void activate(client_t *c, int row)
{
    join_t *j = &c->join;
    switch (row) {
    case JOIN_ROW_HOST:
        j->focus = JOIN_ROW_PORT;
        break;
    case JOIN_ROW_PORT:
    case JOIN_ROW_CONNECT:
        join_connect_to(c, j->host, j->port);
        break;
    case JOIN_ROW_BACK:
        client_goto(c, SCENE_MENU);
        break;
    default:
        if (row >= JOIN_ROW_COUNT)
            join_lan(c, row - JOIN_ROW_COUNT);
        break;
    }
}

static int row_at(const client_t *c, int x, int y)
{
    for (int i = 0; i < JOIN_ROW_COUNT; i++) {
        int rx, ry, rw, rh;
        row_rect(c, i, &rx, &ry, &rw, &rh);
        if (widget_hit(x, y, rx, ry, rw, rh))
            return i;
    }
    for (int i = 0; i < lan_shown(c); i++) {
        int rx, ry, rw, rh;
        lan_row_rect(c, i, &rx, &ry, &rw, &rh);
        if (widget_hit(x, y, rx, ry, rw, rh))
            return JOIN_ROW_COUNT + i;
    }
    return -1;
}

static void join_input(client_t *c, const input_event_t *ev)
{
    join_t *j = &c->join;
    if (scene_move_focus(&j->focus, JOIN_ROW_COUNT + lan_shown(c), ev))
        return;
    switch (ev->kind) {
    case IN_BACK:
        client_goto(c, SCENE_MENU);
        return;
    case IN_CONFIRM:
        activate(c, j->focus);
        return;
    case IN_POINT: {
        int r = row_at(c, ev->x, ev->y);
        if (r >= JOIN_ROW_CONNECT) /* hovering a button focuses it; fields need a click */
            j->focus = r;
        return;
    }
    case IN_CLICK: {
        int r = row_at(c, ev->x, ev->y);
        if (r < 0)
            return;
        j->focus = r;
        if (r >= JOIN_ROW_CONNECT)
            activate(c, r);
        return;
    }
    case IN_TEXT:
    case IN_BACKSPACE:
        if (j->focus == JOIN_ROW_HOST) {
            widget_text_input(j->host, sizeof j->host, JOIN_HOST_CHARS, ev);
        } else if (j->focus == JOIN_ROW_PORT) {
            if (ev->kind == IN_TEXT && (ev->text[0] < '0' || ev->text[0] > '9'))
                return;
            widget_text_input(j->port, sizeof j->port, JOIN_PORT_CHARS, ev);
        }
        return;
    default:
        return;
    }
}

/* text cut (with "...") to fit w at font, into out. */
static const char *fit(ui_t *ui, ui_font_t font, const char *text, int w, char *out, size_t cap)
{
    client_fmt(out, cap, "%s", text);
    size_t len = strlen(out);
    while (len > 0 && ui_text_width(ui, font, out) > w) {
        do
            len--;
        while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80);
        client_fmt(out + len, cap - len, "...");
    }
    return out;
}

/* One LAN game in two lines: its name and how many wait in its lobby; then its address, the
 * players and the ping (or why it cannot be joined). */
static void draw_lan_row(client_t *c, ui_t *ui, int i, const lan_server_t *s)
{
    int x, y, w, h;
    lan_row_rect(c, i, &x, &y, &w, &h);
    bool focused = c->join.focus == JOIN_ROW_COUNT + i;
    ui_fill_rect(ui, x, y, w, h, UI_BG);
    if (focused)
        ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    char right[64], left[160], cut[160];
    if (s->compatible)
        client_fmt(right, sizeof right, "lobby %d/%d", s->lobby, s->group_size);
    else
        client_fmt(right, sizeof right, "version %d", s->version);
    int rw = ui_text(ui, UI_FONT_SMALL, x + w - 10, y + 6, UI_RIGHT,
                     s->compatible ? UI_ACCENT : UI_BAD, right);
    ui_text(ui, UI_FONT_NORMAL, x + 10, y + 2, UI_LEFT, s->compatible ? UI_TEXT : UI_DIM,
            fit(ui, UI_FONT_NORMAL, s->name, w - rw - 30, cut, sizeof cut));
    if (!s->compatible) {
        ui_text(ui, UI_FONT_SMALL, x + 10, y + 26, UI_LEFT, UI_BAD,
                fit(ui, UI_FONT_SMALL, s->why, w - 20, cut, sizeof cut));
        return;
    }
    join_lan_counts(s, right, sizeof right);
    rw = ui_text(ui, UI_FONT_SMALL, x + w - 10, y + 26, UI_RIGHT, UI_DIM, right);
    client_fmt(left, sizeof left, "%s", s->address);
    ui_text(ui, UI_FONT_SMALL, x + 10, y + 26, UI_LEFT, UI_TEXT,
            fit(ui, UI_FONT_SMALL, left, w - rw - 30, cut, sizeof cut));
}

void join_lan_counts(const lan_server_t *s, char *out, size_t cap)
{
    /* "players" counts the lobby too: a player who only waits there is not playing. */
    int in_game = s->players - s->lobby;
    client_fmt(out, cap, "%d in a game \xc2\xb7 %d ms", in_game > 0 ? in_game : 0, s->ping_ms);
}

/* The right column: games found on the LAN, or what was searched and how to find an
 * address by hand. */
static void draw_lan(client_t *c, ui_t *ui)
{
    join_t *j = &c->join;
    int rx = c->view_w / 2 + 20, ry = JOIN_LAN_TOP, rw = JOIN_FORM_W, rh = JOIN_LAN_H;
    int tw = rw - 2 * JOIN_LAN_PAD;
    ui_fill_rect(ui, rx, ry, rw, rh, UI_PANEL);
    int n = lan_shown(c);
    ui_text(ui, UI_FONT_NORMAL, rx + JOIN_LAN_PAD, ry + 18, UI_LEFT, UI_ACCENT,
            j->lan ? "Games on your network" : "Where is the game?");
    if (n > 0) {
        for (int i = 0; i < n; i++)
            draw_lan_row(c, ui, i, lan_browser_server(j->lan, i));
        return;
    }
    int y = ry + JOIN_LAN_ROW_Y;
    if (j->lan)
        y += ui_text_wrapped(ui, UI_FONT_SMALL, rx + JOIN_LAN_PAD, y, tw, UI_LEFT, UI_DIM,
                             lan_browser_status(j->lan), true) +
             16;
    else if (j->lan_error[0])
        y += ui_text_wrapped(ui, UI_FONT_SMALL, rx + JOIN_LAN_PAD, y, tw, UI_LEFT, UI_BAD,
                             j->lan_error, true) +
             16;
    y += ui_text_wrapped(ui, UI_FONT_SMALL, rx + JOIN_LAN_PAD, y, tw, UI_LEFT, UI_TEXT,
                         "The host sees the address to give friends in the lobby, "
                         "for example 192.168.1.20, port 9999.",
                         true) +
         16;
    ui_text_wrapped(ui, UI_FONT_SMALL, rx + JOIN_LAN_PAD, y, tw, UI_LEFT, UI_DIM,
                    "On this computer, use localhost. If a friend cannot connect or see the "
                    "game, their firewall may need to allow TCP and UDP port 9999.",
                    true);
}

static void join_draw(client_t *c, ui_t *ui)
{
    join_t *j = &c->join;
    scene_draw_heading(c, ui, "Join a game", "Type the address of the computer hosting the game");
    static const char *const labels[JOIN_ROW_COUNT] = {"Host (name or address)", "Port", "Connect",
                                                       "Back"};
    for (int i = 0; i < JOIN_ROW_COUNT; i++) {
        int x, y, w, h;
        row_rect(c, i, &x, &y, &w, &h);
        if (i <= JOIN_ROW_PORT)
            ui_text_field(ui, x, y, w, h, labels[i], i == JOIN_ROW_HOST ? j->host : j->port,
                          j->focus == i, c->now_ms);
        else
            ui_button(ui, x, y, w, h, labels[i], j->focus == i, true);
    }
    int x, y, w, h;
    row_rect(c, JOIN_ROW_BACK, &x, &y, &w, &h);
    if (j->error[0])
        scene_draw_message(ui, x + w / 2, y + h + 20, w, j->error, UI_BAD);

    draw_lan(c, ui);
    scene_draw_hint(c, ui, "Tab or Up/Down move  ·  Enter connect  ·  Esc back");
}

const scene_t scene_join = {
    .name = "join",
    .enter = join_enter,
    .leave = join_leave,
    .input = join_input,
    .update = join_update,
    .draw = join_draw,
};
