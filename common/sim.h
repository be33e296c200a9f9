/* sim.h -- the coin race rules: one deterministic fixed-step simulation for all three programs */
#ifndef NINE43_SIM_H
#define NINE43_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "world.h"

/* Positions and distances are fixed-point integers in milli-tiles (SIM_ONE = one tile), so
 * the rules are exact on every machine and a position survives the wire (three decimals)
 * unchanged. The map's top-left corner is (0, 0); tile (c, r) spans [c, c+1) x [r, r+1). */
#define SIM_ONE                 1000
#define SIM_TICK_RATE           30 /* ticks per second */
#define SIM_MAX_PLAYERS         8
#define SIM_RADIUS              350 /* player circle, 0.35 tiles */
#define SIM_SPEED               133 /* per tick: 4 tiles/s is 133.3, rounded down */
#define SIM_DIAGONAL_SPEED      94  /* per tick on a diagonal: 133 / sqrt(2) */
#define SIM_DASH_FACTOR         3   /* dash speed multiplier */
#define SIM_DASH_TICKS          6   /* 0.2 s */
#define SIM_DASH_COOLDOWN_TICKS 60  /* 2 s, counted from the dash's end */
#define SIM_STUN_TICKS          15  /* 0.5 s */
#define SIM_COIN_PICKUP         600 /* a centre within 0.6 tiles of a coin takes it */
#define SIM_COIN_REFILL_TICKS   150 /* 5 s */
/* A straight move blocked by a wall corner that overlaps the circle by at most this much slides
 * round it (see docs/GAME.md). */
#define SIM_CORNER_NUDGE 250
/* Bumped whenever a step's outcome changes for the same inputs (sim.c's code, not only the
 * constants above): replays made under other rules are refused (common/replay.h). */
#define SIM_RULES_VERSION 1

typedef struct sim_input {
    uint32_t seq;  /* the client's sequence number; 0 = none yet */
    int8_t dx, dy; /* each -1, 0 or 1 (anything else is clamped) */
    bool dash;     /* held: a dash starts when pressed and the cooldown allows */
} sim_input_t;

/* The same controls (the seq aside): a client sends only a change, a server spots a repeat. */
static inline bool sim_input_same(const sim_input_t *a, const sim_input_t *b)
{
    return a->dx == b->dx && a->dy == b->dy && a->dash == b->dash;
}

/* A control is held: a direction or the dash. */
static inline bool sim_input_held(const sim_input_t *in)
{
    return in->dx != 0 || in->dy != 0 || in->dash;
}

typedef struct sim_player {
    bool active;  /* false once the player has left the game */
    int32_t x, y; /* centre, milli-tiles */
    int32_t score;
    uint32_t ack;            /* seq of the last input applied */
    sim_input_t input;       /* held input, applied every tick until replaced */
    uint16_t dash_ticks;     /* > 0 while dashing */
    uint16_t cooldown_ticks; /* > 0 while a new dash is not allowed */
    uint16_t stun_ticks;     /* > 0 while stunned (no movement) */
    bool stole;              /* this dash has already stolen a point */
    bool dash_held;          /* dash was held on the previous tick (a dash needs a new press) */
} sim_player_t;

typedef struct sim_coin {
    int32_t x, y;          /* centre of its coin spot, milli-tiles */
    uint16_t refill_ticks; /* 0 = present; otherwise ticks until it reappears */
} sim_coin_t;

typedef struct sim_game {
    const world_t *world; /* not owned; must outlive the game */
    uint32_t tick;        /* ticks stepped so far */
    uint32_t duration_ticks;
    uint64_t rng; /* seeded generator state: the only randomness in the rules */
    int nplayers;
    sim_player_t players[SIM_MAX_PLAYERS];
    int ncoins;
    sim_coin_t coins[WORLD_MAX_COINS];
} sim_game_t;

typedef struct sim_result {
    int player; /* index into players[] */
    int32_t score;
    int rank; /* 1-based; equal scores share a rank: 1, 1, 3 */
} sim_result_t;

/* Starts a game: players on spawn points (assigned by the seed), every coin present.
 * duration_seconds <= 0 means the world's duration. nplayers is clamped to 1..SIM_MAX_PLAYERS. */
void sim_init(sim_game_t *g, const world_t *w, int nplayers, uint64_t seed, int duration_seconds);

/* Replaces a player's held input (values are clamped); records seq as its ack when applied
 * on the next step. Inputs for inactive players or out-of-range indexes are ignored. */
void sim_set_input(sim_game_t *g, int player, const sim_input_t *in);

/* Advances one tick (1/SIM_TICK_RATE s). Does nothing once the round is over. */
void sim_step(sim_game_t *g);

/* Moves one player by one tick with its held input: walls, sliding, dash and stun timers,
 * but no coins or steals. sim_step uses it; the client uses it alone to predict its own
 * player between snapshots. */
void sim_move_player(const world_t *w, sim_player_t *p);

/* Removes a player who left: no longer moves, scores, is drawn or ranked. */
void sim_remove_player(sim_game_t *g, int player);

bool sim_over(const sim_game_t *g);
uint32_t sim_ticks_left(const sim_game_t *g);

/* Ranks the active players, highest score first (ties in player order). Returns the count. */
int sim_results(const sim_game_t *g, sim_result_t *out);

#endif
