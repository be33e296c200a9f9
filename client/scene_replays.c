/* scene_replays.c -- Replays: the rounds kept in the replay folder (replays.c), one row each with
 * its date, world, players and winner, a file that cannot be read shown with why; Enter or a
 * click plays it (scene_playback), Esc back to the menu; logic on client.h, drawing on ui.h */
#include "scene_replays.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scene_common.h"
#include "scene_playback.h"
#include "widgets.h"

int replays_rows_shown(const client_t *c)
{
    int rows = (c->view_h - REPLAYS_TOP - 100) / (REPLAYS_ROW_H + REPLAYS_ROW_GAP);
    return rows < 1 ? 1 : rows;
}

static void replays_enter(client_t *c)
{
    replays_list_t *l = &c->replays;
    l->count =
        c->replays_dir[0] ? replays_list(c->replays_dir, l->entries, CLIENT_REPLAYS_LISTED) : 0;
    if (l->focus > l->count)
        l->focus = 0;
    l->top = 0;
}

/* Keeps the focused row on the screen. */
static void replays_scroll(client_t *c)
{
    replays_list_t *l = &c->replays;
    int shown = replays_rows_shown(c);
    if (l->focus < l->count && l->focus < l->top)
        l->top = l->focus;
    if (l->focus < l->count && l->focus >= l->top + shown)
        l->top = l->focus - shown + 1;
}

static widget_list_t replays_rows(const client_t *c)
{
    const replays_list_t *l = &c->replays;
    int shown = replays_rows_shown(c);
    widget_list_t w = {
        .count = l->count - l->top < shown ? l->count - l->top : shown,
        .focus = l->focus - l->top,
        .x = c->view_w / 2 - REPLAYS_W / 2,
        .y = REPLAYS_TOP,
        .w = REPLAYS_W,
        .row_h = REPLAYS_ROW_H,
        .gap = REPLAYS_ROW_GAP,
    };
    return w;
}

static void replays_back_rect(const client_t *c, int *x, int *y, int *w)
{
    *w = 200;
    *x = c->view_w / 2 - *w / 2;
    *y = c->view_h - 90;
}

static void replays_choose(client_t *c, int row)
{
    replays_list_t *l = &c->replays;
    if (row >= l->count) {
        client_goto(c, SCENE_MENU);
        return;
    }
    playback_open(c, l->entries[row].path, SCENE_REPLAYS);
}

static void replays_input(client_t *c, const input_event_t *ev)
{
    replays_list_t *l = &c->replays;
    if (ev->kind == IN_BACK) {
        client_goto(c, SCENE_MENU);
        return;
    }
    if (ev->kind == IN_CLICK || ev->kind == IN_POINT) {
        int x, y, w;
        replays_back_rect(c, &x, &y, &w);
        if (widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H)) {
            l->focus = l->count;
            if (ev->kind == IN_CLICK)
                replays_choose(c, l->count);
            return;
        }
        widget_list_t rows = replays_rows(c);
        int hit = widget_list_hit(&rows, ev->x, ev->y);
        if (hit >= 0) {
            l->focus = l->top + hit;
            if (ev->kind == IN_CLICK)
                replays_choose(c, l->focus);
        }
        return;
    }
    if (ev->kind == IN_CONFIRM) {
        replays_choose(c, l->focus);
        return;
    }
    scene_move_focus(&l->focus, l->count + 1, ev); /* the rows, then Back */
    replays_scroll(c);
}

static void replays_draw_row(ui_t *ui, const replays_entry_t *e, int x, int y, bool focused)
{
    ui_fill_rect(ui, x, y, REPLAYS_W, REPLAYS_ROW_H, focused ? UI_FOCUS : UI_PANEL);
    if (focused)
        ui_frame_rect(ui, x, y, REPLAYS_W, REPLAYS_ROW_H, 2, UI_ACCENT);
    char buf[300];
    const char *base = strrchr(e->path, '/');
    base = base ? base + 1 : e->path;
    if (!e->ok) {
        ui_text(ui, UI_FONT_NORMAL, x + 16, y + 4, UI_LEFT, UI_DIM, base);
        ui_text(ui, UI_FONT_SMALL, x + 16, y + 28, UI_LEFT, UI_BAD, e->error);
        return;
    }
    time_t t = (time_t)e->started;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    ui_text(ui, UI_FONT_NORMAL, x + 16, y + 4, UI_LEFT, UI_TEXT, buf);
    snprintf(buf, sizeof buf, "%s, %u:%02u", e->world, e->seconds / 60, e->seconds % 60);
    ui_text(ui, UI_FONT_NORMAL, x + 280, y + 4, UI_LEFT, UI_ACCENT, buf);
    if (e->winner[0])
        snprintf(buf, sizeof buf, "won by %s (%d)", e->winner, e->winner_score);
    else
        snprintf(buf, sizeof buf, "no winner");
    ui_text(ui, UI_FONT_NORMAL, x + REPLAYS_W - 16, y + 4, UI_RIGHT, UI_GOOD, buf);
    snprintf(buf, sizeof buf, "%d player%s: %s", e->nplayers, e->nplayers == 1 ? "" : "s",
             e->players);
    ui_text(ui, UI_FONT_SMALL, x + 16, y + 30, UI_LEFT, UI_DIM, buf);
}

static void replays_draw(client_t *c, ui_t *ui)
{
    const replays_list_t *l = &c->replays;
    char sub[200];
    client_fmt(sub, sizeof sub, "The last %d rounds you played are kept", CLIENT_REPLAYS_KEPT);
    scene_draw_heading(c, ui, "Replays", sub);
    widget_list_t rows = replays_rows(c);
    for (int i = 0; i < rows.count; i++) {
        int x, y;
        widget_list_row(&rows, i, &x, &y);
        replays_draw_row(ui, &l->entries[l->top + i], x, y, l->top + i == l->focus);
    }
    if (l->count == 0)
        scene_draw_message(ui, c->view_w / 2, REPLAYS_TOP + 20, 640,
                           c->replays_dir[0]
                               ? "No replays yet. Play a round: its replay is kept here."
                               : "Replays are not kept in this mode (no settings folder).",
                           UI_DIM);
    int x, y, w;
    replays_back_rect(c, &x, &y, &w);
    ui_button(ui, x, y, w, SCENE_BUTTON_H, "Back", l->focus == l->count, true);
    scene_draw_hint(c, ui, "Arrows + Enter or click  ·  Esc back");
}

const scene_t scene_replays = {
    .name = "replays",
    .enter = replays_enter,
    .input = replays_input,
    .draw = replays_draw,
};
