/* scene_settings.c -- the settings screen: username, your colour (with a preview), fullscreen,
 * defaults for hosting, sound volume and mute; saved on Back */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scene_common.h"
#include "scene_settings.h"
#include "utf8.h"
#include "widgets.h"

#define SETTINGS_ROW_W      600
#define SETTINGS_ROW_H      46
#define SETTINGS_ROW_GAP    6
#define SETTINGS_TOP        100
#define SETTINGS_LABEL_W    240
#define SETTINGS_PORT_CHARS 5
#define SETTINGS_PREVIEW_W  80 /* the colour's preview, right of its row */
#define SETTINGS_VOL_STEP   10 /* Left/Right on the volume row */

static const ui_color_t SETTINGS_PREVIEW_FLOOR = {30, 36, 52, 255}; /* a round's floor */

static const char *const row_labels[SETROW_COUNT] = {
    [SETROW_USERNAME] = "Username",          [SETROW_COLOR] = "Your colour",
    [SETROW_FULLSCREEN] = "Fullscreen",      [SETROW_GROUP_SIZE] = "Players per game",
    [SETROW_ROUND_SECONDS] = "Round length", [SETROW_HOST_PORT] = "Port to host on",
    [SETROW_VOLUME] = "Sound volume",        [SETROW_BACK] = "Save and go back",
};

static void row_rect(const client_t *c, int row, int *x, int *y, int *w)
{
    *x = c->view_w / 2 - SETTINGS_ROW_W / 2;
    *y = SETTINGS_TOP + row * (SETTINGS_ROW_H + SETTINGS_ROW_GAP);
    *w = SETTINGS_ROW_W;
}

static void settings_enter(client_t *c)
{
    settings_scene_t *s = &c->settings_scene;
    s->focus = SETROW_USERNAME;
    client_fmt(s->username, sizeof s->username, "%s", c->settings.username);
    client_fmt(s->port, sizeof s->port, "%d", c->settings.host_port);
    s->message[0] = '\0';
    s->message_bad = false;
}

/* Applies the edited values and saves. Returns false (with a message) when one is not valid. */
static bool settings_apply(client_t *c)
{
    settings_scene_t *s = &c->settings_scene;
    char err[256];
    widget_trim(s->username);
    if (s->username[0] && proto_check_username(s->username, err, sizeof err) != 0) {
        client_fmt(s->message, sizeof s->message, "Username: %s", err);
        s->message_bad = true;
        s->focus = SETROW_USERNAME;
        return false;
    }
    char *end;
    long port = strtol(s->port, &end, 10);
    if (end == s->port || *end || port < 1 || port > 65535) {
        client_fmt(s->message, sizeof s->message, "The port must be a number from 1 to 65535");
        s->message_bad = true;
        s->focus = SETROW_HOST_PORT;
        return false;
    }
    client_fmt(c->settings.username, sizeof c->settings.username, "%s", s->username);
    c->settings.host_port = (int)port;
    /* A file that cannot be written must not keep the player on this screen: the values
     * hold for this session, and the menu says why they were not saved. */
    if (client_save_settings(c, err, sizeof err) != 0)
        client_fmt(c->notice, sizeof c->notice, "Settings not saved: %s", err);
    return true;
}

static void change(client_t *c, int row, int dir)
{
    settings_t *st = &c->settings;
    switch (row) {
    case SETROW_COLOR:
        /* -1 (none: the server picks one from your name), then each colour, round again. */
        st->color += dir;
        if (st->color < -1)
            st->color = PALETTE_COUNT - 1;
        if (st->color >= PALETTE_COUNT)
            st->color = -1;
        break;
    case SETROW_FULLSCREEN:
        st->fullscreen = !st->fullscreen;
        break;
    case SETROW_GROUP_SIZE:
        st->host_group_size += dir;
        if (st->host_group_size < PROTO_MIN_GROUP)
            st->host_group_size = PROTO_MAX_GROUP;
        if (st->host_group_size > PROTO_MAX_GROUP)
            st->host_group_size = PROTO_MIN_GROUP;
        break;
    case SETROW_ROUND_SECONDS:
        st->host_round_seconds += dir * HOST_ROUND_STEP;
        if (st->host_round_seconds < HOST_MIN_ROUND)
            st->host_round_seconds = HOST_MAX_ROUND;
        if (st->host_round_seconds > HOST_MAX_ROUND)
            st->host_round_seconds = HOST_MIN_ROUND;
        break;
    case SETROW_VOLUME:
        /* Left/Right change the volume (and unmute: a player turning it up wants to hear);
         * Enter toggles mute. */
        if (dir == 0) {
            st->muted = !st->muted;
            break;
        }
        st->muted = false;
        st->volume += dir * SETTINGS_VOL_STEP;
        if (st->volume < 0)
            st->volume = 0;
        if (st->volume > SETTINGS_MAX_VOLUME)
            st->volume = SETTINGS_MAX_VOLUME;
        break;
    default:
        break;
    }
}

static void activate(client_t *c, int row)
{
    settings_scene_t *s = &c->settings_scene;
    if (row == SETROW_BACK) {
        if (settings_apply(c))
            client_goto(c, SCENE_MENU);
    } else if (row == SETROW_USERNAME || row == SETROW_HOST_PORT) {
        s->focus = row + 1;
    } else if (row == SETROW_VOLUME) {
        change(c, row, 0);
    } else {
        change(c, row, 1);
    }
}

static int row_at(const client_t *c, int x, int y)
{
    for (int i = 0; i < SETROW_COUNT; i++) {
        int rx, ry, rw;
        row_rect(c, i, &rx, &ry, &rw);
        if (widget_hit(x, y, rx, ry, rw, SETTINGS_ROW_H))
            return i;
    }
    return -1;
}

static void settings_input(client_t *c, const input_event_t *ev)
{
    settings_scene_t *s = &c->settings_scene;
    if (scene_move_focus(&s->focus, SETROW_COUNT, ev))
        return;
    switch (ev->kind) {
    case IN_BACK:
        if (settings_apply(c))
            client_goto(c, SCENE_MENU);
        return;
    case IN_CONFIRM:
        activate(c, s->focus);
        return;
    case IN_LEFT:
    case IN_RIGHT:
        change(c, s->focus, ev->kind == IN_LEFT ? -1 : 1);
        return;
    case IN_POINT: {
        int r = row_at(c, ev->x, ev->y);
        if (r >= 0)
            s->focus = r;
        return;
    }
    case IN_CLICK: {
        int r = row_at(c, ev->x, ev->y);
        if (r < 0)
            return;
        s->focus = r;
        if (r != SETROW_USERNAME && r != SETROW_HOST_PORT)
            activate(c, r);
        return;
    }
    case IN_TEXT:
    case IN_BACKSPACE:
        if (s->focus == SETROW_USERNAME) {
            widget_text_input(s->username, PROTO_USERNAME_SIZE, PROTO_MAX_USERNAME, ev);
        } else if (s->focus == SETROW_HOST_PORT) {
            if (ev->kind == IN_TEXT && (ev->text[0] < '0' || ev->text[0] > '9'))
                return;
            widget_text_input(s->port, sizeof s->port, SETTINGS_PORT_CHARS, ev);
        }
        return;
    default:
        return;
    }
}

static void row_value(const client_t *c, int row, char *buf, size_t cap)
{
    const settings_t *st = &c->settings;
    switch (row) {
    case SETROW_COLOR:
        client_fmt(buf, cap, "<  %s  >", st->color >= 0 ? PALETTE[st->color].name : "any");
        break;
    case SETROW_FULLSCREEN:
        client_fmt(buf, cap, "%s", st->fullscreen ? "On" : "Off");
        break;
    case SETROW_GROUP_SIZE:
        client_fmt(buf, cap, "<  %d  >", st->host_group_size);
        break;
    case SETROW_ROUND_SECONDS:
        if (st->host_round_seconds == 0)
            client_fmt(buf, cap, "<  the world's own  >");
        else
            client_fmt(buf, cap, "<  %d:%02d  >", st->host_round_seconds / 60,
                       st->host_round_seconds % 60);
        break;
    case SETROW_VOLUME:
        if (st->muted)
            client_fmt(buf, cap, "Muted (Enter: sound on)");
        else
            client_fmt(buf, cap, "<  %d %%  >", st->volume);
        break;
    default:
        buf[0] = '\0';
    }
}

/* Your colour as it looks in a round: a player on the floor, ringed like your own; "any" shows
 * the whole palette instead. */
static void draw_color_preview(client_t *c, ui_t *ui, int x, int y)
{
    int color = c->settings.color;
    ui_fill_rect(ui, x, y, SETTINGS_PREVIEW_W, SETTINGS_ROW_H, SETTINGS_PREVIEW_FLOOR);
    float cy = (float)y + SETTINGS_ROW_H / 2.0f;
    if (color < 0) {
        for (int i = 0; i < PALETTE_COUNT; i++) {
            const uint8_t *rgb = PALETTE[i].rgb;
            ui_fill_circle(ui, (float)x + 8.0f + (float)(i % 6) * 12.0f,
                           cy - 6.0f + (float)(i / 6) * 12.0f, 5.0f,
                           (ui_color_t){rgb[0], rgb[1], rgb[2], 255});
        }
        return;
    }
    const uint8_t *rgb = PALETTE[color].rgb;
    float cx = (float)x + SETTINGS_PREVIEW_W / 2.0f;
    ui_fill_circle(ui, cx, cy, 14.0f, (ui_color_t){rgb[0], rgb[1], rgb[2], 255});
    ui_ring(ui, cx, cy, 16.0f, 2.0f, UI_TEXT);
}

static void settings_draw(client_t *c, ui_t *ui)
{
    settings_scene_t *s = &c->settings_scene;
    scene_draw_heading(c, ui, "Settings", NULL);
    int th = ui_line_height(ui, UI_FONT_NORMAL);
    for (int i = 0; i < SETROW_COUNT; i++) {
        int x, y, w;
        row_rect(c, i, &x, &y, &w);
        bool focused = s->focus == i;
        if (i == SETROW_BACK) {
            ui_button(ui, x + SETTINGS_LABEL_W, y + 10, w - SETTINGS_LABEL_W, SETTINGS_ROW_H,
                      row_labels[i], focused, true);
            continue;
        }
        int ty = y + (SETTINGS_ROW_H - th) / 2;
        ui_text(ui, UI_FONT_NORMAL, x, ty, UI_LEFT, focused ? UI_ACCENT : UI_TEXT, row_labels[i]);
        int fx = x + SETTINGS_LABEL_W, fw = w - SETTINGS_LABEL_W;
        if (i == SETROW_USERNAME || i == SETROW_HOST_PORT) {
            ui_text_field(ui, fx, y, fw, SETTINGS_ROW_H, NULL,
                          i == SETROW_USERNAME ? s->username : s->port, focused, c->now_ms);
            if (i == SETROW_USERNAME) {
                /* The limit shows as it is reached: typing past it is refused, never cut. */
                int n = (int)utf8_count(s->username, strlen(s->username));
                char count[16];
                client_fmt(count, sizeof count, "%d/%d", n, PROTO_MAX_USERNAME);
                ui_text(ui, UI_FONT_SMALL, fx + fw - 10, ty + 3, UI_RIGHT,
                        n >= PROTO_MAX_USERNAME ? UI_BAD : UI_DIM, count);
            }
        } else if (i == SETROW_COLOR) {
            char value[64];
            row_value(c, i, value, sizeof value);
            ui_button(ui, fx, y, fw - SETTINGS_PREVIEW_W - 8, SETTINGS_ROW_H, value, focused, true);
            draw_color_preview(c, ui, fx + fw - SETTINGS_PREVIEW_W, y);
        } else {
            char value[64];
            row_value(c, i, value, sizeof value);
            ui_button(ui, fx, y, fw, SETTINGS_ROW_H, value, focused, true);
        }
    }
    int x, y, w;
    row_rect(c, SETROW_BACK, &x, &y, &w);
    if (s->message[0])
        scene_draw_message(ui, c->view_w / 2, y + SETTINGS_ROW_H + 34, SETTINGS_ROW_W, s->message,
                           s->message_bad ? UI_BAD : UI_GOOD);
    scene_draw_hint(c, ui,
                    "Up/Down choose  ·  Left/Right or Enter change  ·  Esc save and go back");
}

const scene_t scene_settings = {
    .name = "settings",
    .enter = settings_enter,
    .input = settings_input,
    .draw = settings_draw,
};
