/* scene_game.h -- state of the game round scene ("game"): world, players, snapshots, your input
 * and its prediction; no SDL */
#ifndef NINE43_SCENE_GAME_H
#define NINE43_SCENE_GAME_H

#include <stdbool.h>
#include <stdint.h>

#include "brain.h"
#include "draw_map.h"
#include "predict.h"
#include "proto.h"
#include "world.h"

/* After a stall (a dragged window, a slow frame) at most this many local ticks run at once;
 * the rest are skipped, and the next snapshot corrects the position. */
#define GAME_MAX_CATCHUP_TICKS 4
/* Layout, logical units. */
#define GAME_HUD_H           48  /* the bar on top: your points, time left */
#define GAME_BOARD_W         232 /* the scoreboard on the right */
#define GAME_MARGIN          12
#define GAME_TIME_WARNING_MS 10000 /* the clock turns red for the last seconds */

typedef struct game_player {
    char name[PROTO_USERNAME_SIZE];
    uint8_t color[3];
} game_player_t;

typedef struct game {
    /* From "game start". */
    bool started;       /* a playable world arrived */
    bool bad_world;     /* "game start" held a world we cannot build: notice says why */
    bool confirm_leave; /* Esc was pressed: "Leave this round?" waits for Enter or Esc */
    char notice[PROTO_TEXT_SIZE + 64];
    world_t world;
    int nplayers;
    game_player_t players[PROTO_MAX_PLAYERS];
    char you[PROTO_USERNAME_SIZE];
    int tick_rate;
    int duration; /* seconds */
    uint32_t start_ms;
    unsigned world_version; /* changes with every "game start": the drawn map is refreshed */

    /* From "state". */
    bool have_state;
    msg_state_t state;
    uint32_t state_ms; /* when it arrived */
    int me;            /* your index in state.players, -1 when not in it */
    predict_t predict;

    /* Your input: one "input" per local tick while a control is held or when it changes,
     * each one predicted; nothing while idle. */
    uint32_t seq; /* seq of the last input sent */
    sim_input_t last_sent;
    bool ticking;          /* the local tick clock runs */
    uint32_t tick_base_ms; /* local ticks are counted from here (no drift at 1000/30 ms) */
    uint32_t local_ticks;
    uint32_t next_tick_ms; /* when the next local tick is due */
    uint32_t inputs_sent;
    brain_t brain; /* --autoplay */

    /* Drawing cache (written by draw only): the map drawn once into a texture. */
    map_layer_t map_layer; /* its texture is freed on leaving */
    map_disc_t disc;       /* every small circle */
    float last_frame_ms;   /* time the last draw took, for the debug overlay */
} game_t;

typedef struct client client_t;

/* The input to send for this tick: c->held, or the autoplay brain's choice. */
void game_choose_input(client_t *c, sim_input_t *out);
/* The colour of player name (grey when unknown). */
void game_player_color(const client_t *c, const char *name, uint8_t rgb[3]);
/* Milliseconds left in the round at c->now_ms, counted down from the last state. */
int32_t game_time_left_ms(const client_t *c);
/* Where the map is drawn in a view of view_w x view_h logical units. */
map_fit_t game_map_fit(const client_t *c, int view_w, int view_h);
/* state.players indexes sorted by score, highest first (ties by name); returns the count. */
int game_ranking(const client_t *c, int *order);

#endif
