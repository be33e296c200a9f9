/* scene_host.c -- Host a game: its name, group size, round length, port; Start runs a server,
 * joins it */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "scene_common.h"
#include "scene_host.h"
#include "widgets.h"

#define HOST_FORM_W     560
#define HOST_LABEL_W    220
#define HOST_TOP        150
#define HOST_PITCH      62
#define HOST_PORT_CHARS 5

static void row_rect(const client_t *c, int row, int *x, int *y, int *w)
{
    *x = c->view_w / 2 - HOST_FORM_W / 2;
    *y = HOST_TOP + row * HOST_PITCH;
    *w = HOST_FORM_W;
}

/* "Kim's game" from the name this player last logged in with (or gave on the command line);
 * "" when there is none yet (the server then names it after the computer). */
static void host_default_name(const client_t *c, char *out, size_t cap)
{
    const char *who = c->settings.username[0] ? c->settings.username : c->cli_username;
    static const char suffix[] = "'s game";
    out[0] = '\0';
    if (!who[0])
        return;
    /* Whole code points of the name, so that the suffix fits PROTO_MAX_SERVER_NAME bytes. */
    size_t room = cap - sizeof suffix, keep = strlen(who);
    while (keep > room) { /* drop whole code points from the end */
        keep--;
        while (keep > 0 && ((unsigned char)who[keep] & 0xC0) == 0x80)
            keep--;
    }
    client_fmt(out, cap, "%.*s%s", (int)keep, who, suffix);
}

static void host_enter(client_t *c)
{
    host_t *h = &c->host;
    h->focus = HOST_ROW_START;
    if (!h->name_edited)
        host_default_name(c, h->name, sizeof h->name);
    h->group_size = c->settings.host_group_size;
    if (h->group_size < PROTO_MIN_GROUP || h->group_size > PROTO_MAX_GROUP)
        h->group_size = PROTO_MIN_GROUP;
    h->round_seconds = c->settings.host_round_seconds;
    client_fmt(h->port, sizeof h->port, "%d", c->settings.host_port);
    h->offered_port = 0;
    /* Coming back from a failed connect to our own server: say what happened. */
    session_take_host_failure(&c->session, h->error, sizeof h->error);
    h->phase = h->error[0] ? HOST_FAILED : HOST_IDLE;
}

static void host_leave(client_t *c)
{
    c->host.error[0] = '\0';
    c->host.phase = HOST_IDLE;
}

static void fail(client_t *c, const char *why, int port)
{
    host_t *h = &c->host;
    h->phase = HOST_FAILED;
    if (strstr(why, "in use") && port < 65535) {
        /* Offer the next port, already filled in. */
        client_fmt(h->port, sizeof h->port, "%d", port + 1);
        h->offered_port = port + 1;
        client_fmt(h->error, sizeof h->error,
                   "Port %d is already in use (another game or program?). "
                   "Port %d is filled in: press Start to try it.",
                   port, port + 1);
        h->focus = HOST_ROW_START;
    } else {
        client_fmt(h->error, sizeof h->error, "Could not start the server: %s", why);
    }
}

static void host_start(client_t *c)
{
    host_t *h = &c->host;
    char *end;
    long port = strtol(h->port, &end, 10);
    if (end == h->port || *end || port < 1 || port > 65535) {
        h->phase = HOST_FAILED;
        client_fmt(h->error, sizeof h->error, "The port must be a number from 1 to 65535");
        h->focus = HOST_ROW_PORT;
        return;
    }
    widget_trim(h->name);
    c->settings.host_group_size = h->group_size;
    c->settings.host_round_seconds = h->round_seconds;
    /* A port offered after a clash is for this once: the player's own choice stays the
     * default, so the next host is where the Join lists expect a game. */
    if ((int)port != h->offered_port)
        c->settings.host_port = (int)port;
    char err[256];
    if (client_save_settings(c, err, sizeof err) != 0)
        fprintf(stderr, "nine43: %s\n", err);
    if (!c->host_ops || !c->host_ops->start) {
        fail(c, "hosting is not available", (int)port);
        return;
    }
    client_stop_hosting(c, NULL);
    if (c->host_ops->start(c, (int)port, h->group_size, h->round_seconds, err, sizeof err) != 0) {
        fail(c, err, (int)port);
        return;
    }
    session_hosting_started(&c->session, (int)port);
    h->phase = HOST_STARTING;
    h->started_ms = c->now_ms;
    h->error[0] = '\0';
}

static void host_back(client_t *c)
{
    if (c->host.phase == HOST_STARTING)
        client_stop_hosting(c, NULL);
    c->host.phase = HOST_IDLE;
    client_goto(c, SCENE_MENU);
}

static void host_update(client_t *c)
{
    host_t *h = &c->host;
    if (h->phase != HOST_STARTING)
        return;
    char err[256] = "";
    int port = 0;
    int r = c->host_ops && c->host_ops->poll ? c->host_ops->poll(c, &port, err, sizeof err) : -1;
    if (r == 0 && c->now_ms - h->started_ms > HOST_START_TIMEOUT_MS) {
        client_fmt(err, sizeof err, "it did not start listening within %d seconds",
                   HOST_START_TIMEOUT_MS / 1000);
        r = -1;
    }
    if (r < 0) {
        int asked = c->session.hosted_port;
        client_stop_hosting(c, NULL);
        fail(c, err[0] ? err : "unknown error", asked);
        return;
    }
    if (r == 0)
        return;
    char lan[48], address[64];
    host_lan_address(lan, sizeof lan);
    client_fmt(address, sizeof address, "%s:%d", lan, port);
    session_hosting_listening(&c->session, port, address);
    h->phase = HOST_IDLE;
    c->connect_back = SCENE_HOST;
    client_connect(c, "127.0.0.1", port);
}

static void change(client_t *c, int row, int dir)
{
    host_t *h = &c->host;
    if (row == HOST_ROW_GROUP) {
        h->group_size += dir;
        if (h->group_size < PROTO_MIN_GROUP)
            h->group_size = PROTO_MAX_GROUP;
        if (h->group_size > PROTO_MAX_GROUP)
            h->group_size = PROTO_MIN_GROUP;
    } else if (row == HOST_ROW_ROUND) {
        h->round_seconds += dir * HOST_ROUND_STEP;
        if (h->round_seconds < HOST_MIN_ROUND)
            h->round_seconds = HOST_MAX_ROUND;
        if (h->round_seconds > HOST_MAX_ROUND)
            h->round_seconds = HOST_MIN_ROUND;
    }
}

static void activate(client_t *c, int row)
{
    switch (row) {
    case HOST_ROW_GROUP:
    case HOST_ROW_ROUND:
        change(c, row, 1);
        break;
    case HOST_ROW_NAME:
    case HOST_ROW_PORT:
        c->host.focus = HOST_ROW_START;
        break;
    case HOST_ROW_START:
        host_start(c);
        break;
    case HOST_ROW_BACK:
        host_back(c);
        break;
    default:
        break;
    }
}

static int row_at(const client_t *c, int x, int y)
{
    for (int i = 0; i < HOST_ROW_COUNT; i++) {
        int rx, ry, rw;
        row_rect(c, i, &rx, &ry, &rw);
        int left = i < HOST_ROW_START ? rx + HOST_LABEL_W : rx;
        if (widget_hit(x, y, left, ry, rx + rw - left, SCENE_BUTTON_H))
            return i;
    }
    return -1;
}

const char *host_hint(const client_t *c)
{
    switch (c->host.focus) {
    case HOST_ROW_GROUP:
    case HOST_ROW_ROUND:
        return "Up/Down choose  ·  Left/Right or Enter change  ·  Esc back";
    case HOST_ROW_NAME:
        return "Up/Down choose  ·  type the name friends see, Enter next  ·  Esc back";
    case HOST_ROW_PORT:
        return "Up/Down choose  ·  type the port, Enter next  ·  Esc back";
    case HOST_ROW_START:
        return "Up/Down choose  ·  Enter start  ·  Esc back";
    default:
        return "Up/Down choose  ·  Enter or Esc back";
    }
}

static void host_input(client_t *c, const input_event_t *ev)
{
    host_t *h = &c->host;
    if (h->phase == HOST_STARTING) {
        if (ev->kind == IN_BACK || ev->kind == IN_CONFIRM ||
            (ev->kind == IN_CLICK && row_at(c, ev->x, ev->y) == HOST_ROW_BACK))
            host_back(c); /* the only thing to do while it starts: cancel */
        return;
    }
    if (scene_move_focus(&h->focus, HOST_ROW_COUNT, ev))
        return;
    switch (ev->kind) {
    case IN_BACK:
        host_back(c);
        return;
    case IN_CONFIRM:
        activate(c, h->focus);
        return;
    case IN_LEFT:
    case IN_RIGHT:
        change(c, h->focus, ev->kind == IN_LEFT ? -1 : 1);
        return;
    case IN_POINT: {
        int r = row_at(c, ev->x, ev->y);
        if (r >= 0 && r != HOST_ROW_PORT && r != HOST_ROW_NAME)
            h->focus = r;
        return;
    }
    case IN_CLICK: {
        int r = row_at(c, ev->x, ev->y);
        if (r < 0)
            return;
        h->focus = r;
        if (r != HOST_ROW_PORT && r != HOST_ROW_NAME)
            activate(c, r);
        return;
    }
    case IN_TEXT:
    case IN_BACKSPACE:
        if (h->focus == HOST_ROW_NAME)
            h->name_edited |= widget_text_input(h->name, sizeof h->name, PROTO_MAX_SERVER_NAME, ev);
        if (h->focus == HOST_ROW_PORT) {
            if (ev->kind == IN_TEXT && (ev->text[0] < '0' || ev->text[0] > '9'))
                return;
            widget_text_input(h->port, sizeof h->port, HOST_PORT_CHARS, ev);
        }
        return;
    default:
        return;
    }
}

static void host_draw(client_t *c, ui_t *ui)
{
    host_t *h = &c->host;
    scene_draw_heading(c, ui, "Host a game",
                       "Runs a server on this computer; friends on your network join it");
    static const char *const labels[HOST_ROW_COUNT] = {
        "Game name", "Players per game", "Round length", "Port", "Start", "Back"};
    int th = ui_line_height(ui, UI_FONT_NORMAL);
    bool starting = h->phase == HOST_STARTING;
    for (int i = 0; i < HOST_ROW_COUNT; i++) {
        int x, y, w;
        row_rect(c, i, &x, &y, &w);
        bool focused = h->focus == i && !starting;
        if (i >= HOST_ROW_START) {
            int bw = (w - HOST_LABEL_W);
            ui_button(ui, x + HOST_LABEL_W, y, bw, SCENE_BUTTON_H,
                      i == HOST_ROW_START && starting ? "Starting..." : labels[i],
                      focused || (starting && i == HOST_ROW_BACK), !starting || i == HOST_ROW_BACK);
            continue;
        }
        ui_text(ui, UI_FONT_NORMAL, x, y + (SCENE_BUTTON_H - th) / 2, UI_LEFT,
                focused ? UI_ACCENT : UI_TEXT, labels[i]);
        int fx = x + HOST_LABEL_W, fw = w - HOST_LABEL_W;
        char value[64];
        if (i == HOST_ROW_PORT || i == HOST_ROW_NAME) {
            ui_text_field(ui, fx, y, fw, SCENE_BUTTON_H, NULL,
                          i == HOST_ROW_PORT ? h->port : h->name, focused, c->now_ms);
            continue;
        }
        if (i == HOST_ROW_GROUP)
            client_fmt(value, sizeof value, "<  %d players  >", h->group_size);
        else if (h->round_seconds == 0)
            client_fmt(value, sizeof value, "<  the world's own  >");
        else
            client_fmt(value, sizeof value, "<  %d:%02d  >", h->round_seconds / 60,
                       h->round_seconds % 60);
        ui_button(ui, fx, y, fw, SCENE_BUTTON_H, value, focused, !starting);
    }
    int x, y, w;
    row_rect(c, HOST_ROW_BACK, &x, &y, &w);
    int my = y + SCENE_BUTTON_H + 24;
    if (starting) {
        char msg[128];
        client_fmt(msg, sizeof msg, "Starting the server on port %d...", c->session.hosted_port);
        scene_draw_message(ui, c->view_w / 2, my, HOST_FORM_W, msg, UI_ACCENT);
    } else if (h->error[0]) {
        scene_draw_message(ui, c->view_w / 2, my, HOST_FORM_W, h->error, UI_BAD);
    }
    scene_draw_hint(c, ui, host_hint(c));
}

const scene_t scene_host = {
    .name = "host",
    .enter = host_enter,
    .leave = host_leave,
    .input = host_input,
    .update = host_update,
    .draw = host_draw,
};
