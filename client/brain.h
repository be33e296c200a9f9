/* brain.h -- the autoplay brain shared by the client's --autoplay and nine43-bot; no SDL, no sockets */
#ifndef NINE43_BRAIN_H
#define NINE43_BRAIN_H

#include <stdint.h>

#include "proto.h"
#include "sim.h"
#include "world.h"

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
} brain_t;

void brain_init(brain_t *b, uint64_t seed);

/* Chooses the input of player `me` (index into st->players) from the latest snapshot. Fills
 * *out with the next seq. Call once per snapshot (or per tick). */
void brain_decide(brain_t *b, const world_t *w, const msg_state_t *st, int me, sim_input_t *out);

#endif
