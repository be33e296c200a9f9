/* game_watch.h -- the round scene for a watcher (the "watch" feature): whom the view follows,
 * the keys that switch it, Esc back to the lobby; no SDL, on client.h and draw_map.h (the
 * scene passes its board's order and its clicks) */
#ifndef NINE43_GAME_WATCH_H
#define NINE43_GAME_WATCH_H

#include <stdbool.h>

#include "client.h"
#include "draw_map.h"

#define GAME_WATCH_ZOOM 2.0f /* following a player: the map this much larger, around it */

/* Asks the server to watch the group of that id (the lobby's Watch). */
void game_watch_request(client_t *c, int group);
/* A watcher's key: true when taken. Esc sends "unwatch" and shows the lobby; Left and Right (or
 * A and D) follow the previous or next player on the board, 0 or Space the whole map, 1..8 the
 * player at that place. order holds the board's n players (state.players indexes), best first. */
bool game_watch_key(client_t *c, const input_event_t *ev, const int *order, int n);
/* Follows the player at place k of the board (k < 0 or past the end: the whole map); a click
 * on the one followed (toggle) goes back to the whole map. */
void game_watch_follow(client_t *c, int k, const int *order, int n, bool toggle);
/* The name the view follows, or NULL for the whole map. */
const char *game_watch_followed(const client_t *c);
/* Where the map is drawn for a watcher: whole fits the view's map area; following a player,
 * the map GAME_WATCH_ZOOM times larger centred on (px, py) tiles, kept within the map. */
map_fit_t game_watch_fit(map_fit_t whole, float px, float py);

#endif
