/* state_game.h -- the round scene's state ("game"): world, players, snapshots, your input and its
 * prediction, the drawing cache; no SDL, on brain.h, draw_map.h, predict.h */
#ifndef NINE43_STATE_GAME_H
#define NINE43_STATE_GAME_H

#include <stdbool.h>
#include <stdint.h>

#include "brain.h"
#include "draw_map.h"
#include "predict.h"
#include "proto.h"
#include "world.h"

typedef struct game_player {
    char name[PROTO_USERNAME_SIZE];
    uint8_t color[3];
} game_player_t;

/* A score change shown where it happened, "+1" or "-1", rising for a moment. */
#define GAME_MAX_FLOATS 16 /* shown at once; the oldest gives way */
typedef struct game_float {
    int32_t x, y; /* milli-tiles: the player's centre when it happened */
    int delta;
    uint32_t born_ms; /* 0 = free */
} game_float_t;

typedef struct game {
    /* From "game start". */
    bool started;       /* a playable world arrived */
    bool bad_world;     /* "game start" held a world we cannot build: notice says why */
    bool confirm_leave; /* Esc was pressed: "Leave this round?" waits for Enter or Esc */
    bool show_board;    /* Tab: the evening's board over the round, until Tab again */
    bool replay;        /* shown by game_show (a replay): its own labels, no "Time!" */
    char notice[PROTO_TEXT_SIZE + 64];
    world_t world;
    int nplayers;
    game_player_t players[PROTO_MAX_PLAYERS];
    char you[PROTO_USERNAME_SIZE];
    bool watching;                    /* a watcher's round: no "you", no input (game_watch.c) */
    char follow[PROTO_USERNAME_SIZE]; /* watching or a replay: the player followed, "" none */
    int watchers;                     /* "watchers": how many watch this round */
    int tick_rate;
    int duration; /* seconds */
    uint32_t start_ms;
    uint32_t go_ms;         /* when the round starts (GO): start_ms + the countdown */
    bool counting_down;     /* before GO, and until GO has been heard */
    int32_t countdown_prev; /* ms to GO on the last frame (INT32_MAX before the first) */
    unsigned world_version; /* changes with every "game start": the drawn map is refreshed */

    /* From "state". */
    bool have_state;
    msg_state_t state;
    uint32_t state_ms; /* when it arrived */
    int me;            /* your index in state.players, -1 when not in it */
    /* Found once per state, so that every frame draws by index: each of state.players' colour
     * (matched by name with "game start"), and the board's order (by score, ties by name). */
    uint8_t colors[PROTO_MAX_PLAYERS][3];
    int ranking[PROTO_MAX_PLAYERS];
    predict_t predict;

    /* Your input: one "input" per local tick while a control is held or when it changes,
     * each one predicted; nothing while idle. */
    uint32_t seq; /* seq of the last input sent */
    sim_input_t last_sent;
    uint32_t dash_presses_seen; /* c->held.dash_presses at the last tick */
    bool ticking;               /* the local tick clock runs */
    uint32_t tick_base_ms;      /* local ticks are counted from here (no drift at 1000/30 ms) */
    uint32_t local_ticks;
    uint32_t next_tick_ms; /* when the next local tick is due */
    uint32_t inputs_sent;
    brain_t brain; /* --autoplay */

    /* Feedback: when a dash press was refused (shows "not ready"), when M last changed the
     * sound (shows "Sound off"/"Sound on"); 0 = never. */
    uint32_t not_ready_ms;
    uint32_t mute_ms;
    game_float_t floats[GAME_MAX_FLOATS];
    unsigned next_float; /* the slot the next one takes (a ring) */

    /* Drawing cache (written by draw only): the map drawn once into a texture. */
    map_layer_t map_layer; /* its texture is freed on leaving */
    map_disc_t disc;       /* every small circle */
    float last_frame_ms;   /* time the last draw took, for the debug overlay */
} game_t;

#endif
