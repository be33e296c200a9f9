/* brain.h -- the autoplay brain shared by the client's --autoplay and nine43-bot; no SDL, no
 * sockets */
#ifndef NINE43_BRAIN_H
#define NINE43_BRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"
#include "sim.h"
#include "world.h"

/* Tuning, in milli-tiles (SIM_ONE = one tile). */
#define BRAIN_DASH_REACH        1500 /* dash at a rival whose centre is at most this far */
#define BRAIN_DASH_REACH_JITTER 300  /* each brain's reach is up to this much shorter (seeded) */
#define BRAIN_DEAD_ZONE         70   /* closer than this on an axis: no input on that axis */
#define BRAIN_DASH_HOLD_MAX     3  /* calls holding dash without a dash starting before a release */
#define BRAIN_STUCK_CALLS       10 /* calls without moving (while steering, unstunned) = stuck */
#define BRAIN_WANDER_CALLS      8  /* calls of a random direction to get unstuck */
#define BRAIN_UNREACHABLE       0xffff /* dist[][] of a tile from which no coin can be reached */

/* Steers towards the nearest reachable coin (by walking distance over the tiles) and dashes
 * at a rival within reach when the dash is ready. Keeps a small per-player memory. */
typedef struct brain {
    uint64_t rng;      /* for small variations, seeded per player */
    uint32_t next_seq; /* seq for the next input */
    int last_dx, last_dy;
    int dash_hold_ticks;
    /* Walking distances from every tile to the nearest present coin, recomputed when the
     * coins change. */
    uint32_t coins_key;
    uint16_t dist[WORLD_MAX_SIZE][WORLD_MAX_SIZE];
    /* Seeded choices and the memory of the previous calls, all set by brain_init. */
    bool dist_valid;        /* dist[][] matches coins_key */
    int order;              /* seeded rotation of the neighbour order: ties go its way */
    int dash_reach;         /* milli-tiles, seeded within BRAIN_DASH_REACH - JITTER .. REACH */
    int32_t last_x, last_y; /* own position at the previous call */
    int stuck_calls;        /* consecutive calls without moving while steering */
    int wander_calls;       /* > 0: going in a random direction to get unstuck */
    int wander_dx, wander_dy;
} brain_t;

/* Call when a game starts (a fresh brain per player and round). Same seed, same choices. */
void brain_init(brain_t *b, uint64_t seed);

/* Chooses the input of player `me` (index into st->players) from the latest snapshot. Fills
 * *out with the next seq (a new one on every call, starting at 1). dx and dy are always
 * -1, 0 or 1. Call once per snapshot (or per tick). A world whose size does not match the
 * snapshot, or an out-of-range `me`, gives a zero input. */
void brain_decide(brain_t *b, const world_t *w, const msg_state_t *st, int me, sim_input_t *out);

/* The index of username in st->players, or -1. */
int brain_find_player(const msg_state_t *st, const char *username);

#endif
