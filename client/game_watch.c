/* game_watch.c -- the round scene for a watcher: whom the view follows (by name, so that it
 * stays on the player as the board reorders), the keys and clicks that switch it, Esc back to
 * the lobby with "unwatch"; no SDL, on client.h and scene_game.h */
#include "game_watch.h"

#include <stdio.h>
#include <string.h>

#include "scene_game.h"

int game_board_row_y(int k)
{
    return GAME_HUD_H + GAME_MARGIN + 44 + k * GAME_BOARD_ROW_H;
}

void game_watch_request(client_t *c, int group)
{
    msg_t m;
    proto_init(&m, MSG_WATCH);
    m.u.watch.group = group;
    client_send(c, &m);
}

const char *game_watch_followed(const client_t *c)
{
    return c->game.follow[0] ? c->game.follow : NULL;
}

/* Follows the player at place k of the board (-1: the whole map). */
static void game_watch_follow(client_t *c, int k)
{
    game_t *g = &c->game;
    int order[PROTO_MAX_PLAYERS];
    int n = game_ranking(c, order);
    if (k < 0 || k >= n) {
        g->follow[0] = '\0';
        return;
    }
    snprintf(g->follow, sizeof g->follow, "%s", g->state.players[order[k]].username);
}

/* The followed player's place on the board, -1 when none. */
static int game_watch_place(const client_t *c)
{
    int order[PROTO_MAX_PLAYERS];
    int n = game_ranking(c, order);
    for (int k = 0; k < n; k++)
        if (strcmp(c->game.state.players[order[k]].username, c->game.follow) == 0)
            return k;
    return -1;
}

/* Left and right step through the board and the whole map between its ends. */
static void game_watch_step(client_t *c, int step)
{
    int order[PROTO_MAX_PLAYERS];
    int n = game_ranking(c, order);
    int k = game_watch_place(c) + step; /* -1 is the whole map */
    if (k < -1)
        k = n - 1;
    if (k >= n)
        k = -1;
    game_watch_follow(c, k);
}

static bool game_watch_click(client_t *c, const input_event_t *ev)
{
    int x = c->view_w - GAME_BOARD_W - GAME_MARGIN;
    if (ev->x < x || ev->x >= x + GAME_BOARD_W)
        return false;
    int order[PROTO_MAX_PLAYERS];
    int n = game_ranking(c, order);
    for (int k = 0; k < n; k++) {
        int y = game_board_row_y(k);
        if (ev->y >= y - 2 && ev->y < y + GAME_BOARD_ROW_H - 2) {
            /* A click on the one followed goes back to the whole map. */
            game_watch_follow(c, k == game_watch_place(c) ? -1 : k);
            return true;
        }
    }
    return false;
}

bool game_watch_input(client_t *c, const input_event_t *ev)
{
    if (!c->game.watching)
        return false;
    switch (ev->kind) {
    case IN_BACK: {
        msg_t m;
        proto_init(&m, MSG_UNWATCH);
        client_send(c, &m);
        client_goto(c, SCENE_LOBBY);
        return true;
    }
    case IN_LEFT:
        game_watch_step(c, -1);
        return true;
    case IN_RIGHT:
        game_watch_step(c, 1);
        return true;
    case IN_CLICK:
        return game_watch_click(c, ev);
    case IN_TEXT:
        if (ev->text[1] != '\0')
            return false;
        if (ev->text[0] == '0' || ev->text[0] == ' ') {
            game_watch_follow(c, -1);
            return true;
        }
        if (ev->text[0] >= '1' && ev->text[0] <= '8') {
            game_watch_follow(c, ev->text[0] - '1');
            return true;
        }
        if (ev->text[0] == 'a' || ev->text[0] == 'A' || ev->text[0] == 'd' || ev->text[0] == 'D') {
            game_watch_step(c, ev->text[0] == 'a' || ev->text[0] == 'A' ? -1 : 1);
            return true;
        }
        return false;
    default:
        return false;
    }
}

map_fit_t game_watch_fit(const client_t *c, map_fit_t whole, float px, float py)
{
    (void)c;
    map_fit_t f = whole;
    f.tile = whole.tile * GAME_WATCH_ZOOM;
    float area_w = whole.tile * (float)whole.map_w, area_h = whole.tile * (float)whole.map_h;
    float cx = whole.x + area_w / 2, cy = whole.y + area_h / 2;
    f.x = cx - px * f.tile;
    f.y = cy - py * f.tile;
    /* The map's edges stay at or beyond the area's: no empty band inside it. */
    float min_x = whole.x + area_w - f.tile * (float)whole.map_w, max_x = whole.x;
    float min_y = whole.y + area_h - f.tile * (float)whole.map_h, max_y = whole.y;
    f.x = f.x < min_x ? min_x : f.x > max_x ? max_x : f.x;
    f.y = f.y < min_y ? min_y : f.y > max_y ? max_y : f.y;
    return f;
}
