/* scene_game.h -- the round scene ("game"): its timing, layout and the helpers its drawing, the
 * end screen and the tests share; no SDL, on client.h */
#ifndef NINE43_SCENE_GAME_H
#define NINE43_SCENE_GAME_H

#include "client.h"

/* After a stall (a dragged window, a slow frame) at most this many local ticks run at once;
 * the rest are skipped, and the next snapshot corrects the position. */
#define GAME_MAX_CATCHUP_TICKS 4
/* Layout, logical units. */
#define GAME_HUD_H           48  /* the bar on top: your points, time left */
#define GAME_BOARD_W         232 /* the scoreboard on the right */
#define GAME_BOARD_ROW_H     28  /* one player's row on it */
#define GAME_MARGIN          12
#define GAME_BOARD_ROW_H     28
#define GAME_CHAT_MAX_W      600   /* the chat over the map, bottom left */
#define GAME_EVENING_W       520   /* the evening's board over the round (Tab) */
#define GAME_TIME_WARNING_MS 10000 /* the clock turns red for the last seconds */
#define GAME_NOTE_MS         1200  /* how long "not ready" or "Sound on" shows */
#define GAME_GO_SHOW_MS      700   /* "GO!" stays this long after the countdown */
#define GAME_FLOAT_MS        900   /* a "+1" rises this long, then goes */
#define GAME_DASH_BAR_X      70    /* the HUD's dash meter: right of the clock's centre */
#define GAME_DASH_BAR_W      150
#define GAME_DASH_BAR_H      26
/* The round's keys (the help under the scores); a host's adds K, its kick dialog. */
#define GAME_KEYS                                                                                  \
    "Arrows or WASD move, Space dashes: a dash into a rival steals a point. T chats, Tab shows "   \
    "the evening's board, M turns the sound off/on."
/* The keys a replay's playback takes (shown where the round's keys are). */
#define GAME_REPLAY_KEYS                                                                           \
    "Space or Enter pauses, Left/Right seek 5 s, Up/Down change the speed, Tab or 1-8 follow a "   \
    "player, 0 the whole map, H the start, Esc back."

extern const scene_t scene_game;

/* The round shown from elsewhere (a replay's playback): c->game is reset when new_world (world
 * and players as "game start" gives them), then shows st as a "state" arriving now, with the
 * board's row of follow (a name, NULL or "" none) highlighted as your own is in a round; no
 * input, prediction or sound. scene_game.draw then draws it; scene_game.leave frees its
 * textures. */
void game_show(client_t *c, bool new_world, const world_t *w, const game_player_t *players,
               int nplayers, const msg_state_t *st, const char *follow);

/* The input to send for this tick: c->held (dash also when pressed since the last tick, however
 * briefly), or the autoplay brain's choice. */
void game_choose_input(client_t *c, sim_input_t *out);
/* The colour of player name (grey when unknown). */
void game_player_color(const client_t *c, const char *name, uint8_t rgb[3]);
/* Your dash: 1 when a press would start one, else how far the cooldown has come (0 while
 * dashing, rising to 1); from your predicted player, else the last state; 1 without one. */
float game_dash_ready(const client_t *c);
/* The score changes still rising at c->now_ms, copied to out (at most GAME_MAX_FLOATS). */
int game_floats(const client_t *c, game_float_t *out);
/* Milliseconds until GO at c->now_ms (0 once the round runs, or without a countdown). */
int32_t game_countdown_ms(const client_t *c);
/* Milliseconds left in the round at c->now_ms, counted down from the last state. */
int32_t game_time_left_ms(const client_t *c);
/* Where the map is drawn in a view of view_w x view_h logical units. */
map_fit_t game_map_fit(const client_t *c, int view_w, int view_h);
/* state.players indexes sorted by score, highest first (ties by name); returns the count. */
int game_ranking(const client_t *c, int *order);

#endif
