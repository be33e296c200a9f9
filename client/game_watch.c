/* game_watch.c -- the round scene for a watcher: whom the view follows (by name, so that it
 * stays on the player as the board reorders), the keys that switch it, Esc back to
 * the lobby with "unwatch"; no SDL, on client.h (the round scene passes its board and clicks) */
#include "game_watch.h"

#include <stdio.h>
#include <string.h>

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

/* The followed player's place on the board, -1 when none. */
static int game_watch_place(const client_t *c, const int *order, int n)
{
    for (int k = 0; k < n; k++)
        if (strcmp(c->game.state.players[order[k]].username, c->game.follow) == 0)
            return k;
    return -1;
}

void game_watch_follow(client_t *c, int k, const int *order, int n, bool toggle)
{
    game_t *g = &c->game;
    if (k < 0 || k >= n || (toggle && k == game_watch_place(c, order, n))) {
        g->follow[0] = '\0';
        return;
    }
    snprintf(g->follow, sizeof g->follow, "%s", g->state.players[order[k]].username);
}

/* Left and right step through the board and the whole map between its ends. */
static void game_watch_step(client_t *c, int step, const int *order, int n)
{
    int k = game_watch_place(c, order, n) + step; /* -1 is the whole map */
    if (k < -1)
        k = n - 1;
    if (k >= n)
        k = -1;
    game_watch_follow(c, k, order, n, false);
}

static bool game_watch_text(client_t *c, const char *t, const int *order, int n)
{
    if (t[0] == '\0' || t[1] != '\0')
        return false;
    if (t[0] == '0' || t[0] == ' ')
        game_watch_follow(c, -1, order, n, false);
    else if (t[0] >= '1' && t[0] <= '8')
        game_watch_follow(c, t[0] - '1', order, n, false);
    else if (t[0] == 'a' || t[0] == 'A' || t[0] == 'd' || t[0] == 'D')
        game_watch_step(c, t[0] == 'a' || t[0] == 'A' ? -1 : 1, order, n);
    else
        return false;
    return true;
}

bool game_watch_key(client_t *c, const input_event_t *ev, const int *order, int n)
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
    case IN_RIGHT:
        game_watch_step(c, ev->kind == IN_LEFT ? -1 : 1, order, n);
        return true;
    case IN_TEXT:
        return game_watch_text(c, ev->text, order, n);
    default:
        return false;
    }
}

map_fit_t game_watch_fit(map_fit_t whole, float px, float py)
{
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
