/* scene_menu.c -- the main menu: Join, Host, Replays, Settings, Quit; shows why a connection ended
 */
#include <stdio.h>
#include <string.h>

#include "scene_common.h"
#include "scene_menu.h"
#include "widgets.h"

#define MENU_ROW_W   320
#define MENU_ROW_H   52
#define MENU_ROW_GAP 14
#define MENU_TOP     220

static const char *const menu_labels[MENU_ITEM_COUNT] = {
    [MENU_JOIN] = "Join a game",  [MENU_HOST] = "Host a game", [MENU_REPLAYS] = "Replays",
    [MENU_SETTINGS] = "Settings", [MENU_QUIT] = "Quit",
};

static widget_list_t menu_list(const client_t *c)
{
    widget_list_t l = {
        .count = MENU_ITEM_COUNT,
        .focus = c->menu.focus,
        .x = c->view_w / 2 - MENU_ROW_W / 2,
        .y = MENU_TOP,
        .w = MENU_ROW_W,
        .row_h = MENU_ROW_H,
        .gap = MENU_ROW_GAP,
    };
    return l;
}

static void menu_enter(client_t *c)
{
    c->menu.focus = MENU_JOIN;
}

static void menu_leave(client_t *c)
{
    c->notice[0] = c->kept[0] = '\0'; /* read by now */
}

static void menu_choose(client_t *c, int item)
{
    switch (item) {
    case MENU_JOIN:
        client_goto(c, SCENE_JOIN);
        break;
    case MENU_HOST:
        client_goto(c, SCENE_HOST);
        break;
    case MENU_REPLAYS:
        client_goto(c, SCENE_REPLAYS);
        break;
    case MENU_SETTINGS:
        client_goto(c, SCENE_SETTINGS);
        break;
    case MENU_QUIT:
        c->quit = true;
        break;
    default:
        break;
    }
}

static void menu_input(client_t *c, const input_event_t *ev)
{
    if (ev->kind == IN_BACK) {
        c->menu.focus = MENU_QUIT; /* Esc then Enter quits; one stray Esc does not */
        return;
    }
    widget_list_t l = menu_list(c);
    int chosen = widget_list_input(&l, ev);
    c->menu.focus = l.focus;
    if (chosen >= 0)
        menu_choose(c, chosen);
}

static void menu_draw(client_t *c, ui_t *ui)
{
    int vw = c->view_w;
    ui_text(ui, UI_FONT_TITLE, vw / 2, 70, UI_CENTER, UI_ACCENT, "nine43");
    ui_text(ui, UI_FONT_NORMAL, vw / 2, 150, UI_CENTER, UI_DIM,
            "grab the coins, dash past your friends");
    widget_list_t l = menu_list(c);
    for (int i = 0; i < MENU_ITEM_COUNT; i++) {
        int x, y;
        widget_list_row(&l, i, &x, &y);
        ui_button(ui, x, y, l.w, l.row_h, menu_labels[i], i == c->menu.focus, true);
    }
    int y = MENU_TOP + MENU_ITEM_COUNT * (MENU_ROW_H + MENU_ROW_GAP) + 10;
    if (c->notice[0])
        y += scene_draw_message(ui, vw / 2, y, 720, c->notice, UI_BAD) + 8;
    if (c->kept[0])
        scene_draw_message(ui, vw / 2, y, 720, c->kept, UI_GOOD);
    scene_draw_hint(c, ui, "Arrows + Enter or click  ·  Esc back  ·  F11 fullscreen  ·  F2 debug");
}

const scene_t scene_menu = {
    .name = "menu",
    .enter = menu_enter,
    .leave = menu_leave,
    .input = menu_input,
    .draw = menu_draw,
};
