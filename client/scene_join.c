/* scene_join.c -- Join a game: host and port (the last used remembered), Connect; room for the LAN
 * list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scene_common.h"
#include "widgets.h"

#define JOIN_FORM_W     400
#define JOIN_FORM_TOP   190
#define JOIN_ROW_PITCH  84
#define JOIN_PORT_CHARS 5
#define JOIN_HOST_CHARS 253 /* the longest DNS name */

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

static void join_enter(client_t *c)
{
    join_t *j = &c->join;
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
    return -1;
}

static void join_input(client_t *c, const input_event_t *ev)
{
    join_t *j = &c->join;
    if (scene_move_focus(&j->focus, JOIN_ROW_COUNT, ev))
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

    /* The right column: how to find the address (until the LAN list fills this space). */
    int rx = c->view_w / 2 + 20, ry = JOIN_FORM_TOP - 22, rw = JOIN_FORM_W, rh = 330;
    ui_fill_rect(ui, rx, ry, rw, rh, UI_PANEL);
    ui_text(ui, UI_FONT_NORMAL, rx + 20, ry + 18, UI_LEFT, UI_ACCENT, "Where is the game?");
    ui_text_wrapped(ui, UI_FONT_SMALL, rx + 20, ry + 56, rw - 40, UI_LEFT, UI_TEXT,
                    "The host sees the address to give friends in the lobby, "
                    "for example 192.168.1.20, port 9999.",
                    true);
    ui_text_wrapped(ui, UI_FONT_SMALL, rx + 20, ry + 140, rw - 40, UI_LEFT, UI_DIM,
                    "On this computer, use localhost. "
                    "If a friend cannot connect, their firewall may need to allow "
                    "TCP port 9999.",
                    true);
    scene_draw_hint(c, ui, "Tab or Up/Down move  ·  Enter connect  ·  Esc back");
}

const scene_t scene_join = {
    .name = "join",
    .enter = join_enter,
    .input = join_input,
    .draw = join_draw,
};
