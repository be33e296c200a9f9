/* predict.h -- client-side prediction of your own player, interpolation of the others, and the
 * smoothness figures they give; SDL-free, depends only on common/ (sim, world, proto) */
#ifndef NINE43_PREDICT_H
#define NINE43_PREDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"
#include "sim.h"
#include "world.h"

/* Inputs sent but not yet acknowledged, one per predicted tick. At 30 per second this is
 * about 4 s of round trip; older inputs are dropped (a correction then catches up). */
#define PREDICT_MAX_PENDING 128
/* Other players are drawn this far in the past, so there is (almost) always a newer snapshot
 * to move towards: about one tick. */
#define PREDICT_INTERP_DELAY_MS 34
/* When the next snapshot is late, others keep moving along their last velocity for at most
 * this long, then stop and wait. */
#define PREDICT_MAX_EXTRAPOLATE_MS 50
/* A correction of your own position is spread over this long instead of a visible snap. */
#define PREDICT_SMOOTH_MS 120
/* Beyond this distance (milli-tiles) a change is a teleport (a respawn, a long stall): snap
 * at once instead of sliding through walls. */
#define PREDICT_SNAP_DISTANCE (2 * SIM_ONE)

/* What bad networks do to the picture, recorded for --net-stats and the netem test: the
 * distance of each snapshot's correction of your own player (0 when the prediction was right),
 * in bins of PREDICT_STATS_BIN milli-tiles, and how long the others stood frozen waiting for a
 * late snapshot. */
#define PREDICT_STATS_BIN  10
#define PREDICT_STATS_BINS 201 /* the last bin holds everything from 2 tiles on */

typedef struct predict_stats {
    uint32_t hist[PREDICT_STATS_BINS];
    uint32_t snapshots;     /* snapshots with your player in them */
    uint32_t corrections;   /* of those, the ones that moved it */
    int32_t max_correction; /* milli-tiles */
    uint32_t stalls;        /* times the others froze (a snapshot came too late to keep moving) */
    uint32_t stalled_ms;    /* for this long in all */
    uint32_t first_ms, last_ms; /* arrival of the first and the last snapshot */
} predict_stats_t;

typedef struct predict_pending {
    sim_input_t input; /* input.seq is unique per predicted tick */
} predict_pending_t;

/* One snapshot's positions, for interpolation. */
typedef struct predict_snap {
    bool valid;
    uint32_t tick;
    uint32_t recv_ms;
    int nplayers;
    char names[PROTO_MAX_PLAYERS][PROTO_USERNAME_SIZE];
    int32_t x[PROTO_MAX_PLAYERS], y[PROTO_MAX_PLAYERS];
    /* Each player's index in the snapshot before this one (-1: not in it), found by name once,
     * when this one arrived: drawing then goes by index. */
    int older[PROTO_MAX_PLAYERS];
} predict_snap_t;

typedef struct predict {
    const world_t *world; /* not owned */
    int tick_rate;        /* ticks per second, for time between snapshots */

    /* Your player, predicted: the latest tick (self) and the one before (for drawing between
     * ticks), and when the latest tick was predicted. */
    bool have_self;
    sim_player_t self;
    int32_t prev_x, prev_y;
    uint32_t self_tick_ms;

    /* Unacknowledged inputs, oldest first, in a ring. */
    predict_pending_t pending[PREDICT_MAX_PENDING];
    int pending_head, pending_count;
    sim_input_t acked; /* the last input the server applied (for the dash press edge) */

    /* Visual error left from the last correction (milli-tiles), fading out linearly over
     * PREDICT_SMOOTH_MS from err_ms. */
    float err_x, err_y;
    uint32_t err_ms;
    int corrections; /* corrections smoothed so far (debug overlay) */
    int snaps;       /* corrections too large to smooth */

    /* The last two snapshots, for everyone else. */
    predict_snap_t older, newer;

    predict_stats_t stats;
} predict_t;

void predict_init(predict_t *p, const world_t *w, int tick_rate);

/* One local tick: remembers the input (its seq must be new and increasing) and moves your
 * player by one tick with the shared rules. Does nothing before the first snapshot. */
void predict_tick(predict_t *p, const sim_input_t *in, uint32_t now_ms);

/* A snapshot arrived at now_ms. me is your index in st->players (-1: not in it). Resets your
 * player from it, replays the inputs with seq > its ack, and smooths the difference; feeds
 * the interpolation of the others. */
void predict_snapshot(predict_t *p, const msg_state_t *st, int me, uint32_t now_ms);

/* Where to draw your player at now_ms, in tiles. False before the first snapshot. */
bool predict_self_pos(const predict_t *p, uint32_t now_ms, float *x, float *y);

/* The exact predicted position (milli-tiles), without smoothing. */
bool predict_self_exact(const predict_t *p, int32_t *x, int32_t *y);

/* Where to draw player i of the last snapshot (its index in that state's players) at now_ms, in
 * tiles: between the last two snapshots, PREDICT_INTERP_DELAY_MS in the past. False when there
 * is no such player. */
bool predict_other_pos(const predict_t *p, int i, uint32_t now_ms, float *x, float *y);
/* Player i of the last snapshot in the one before it: its index there, -1 when not in it. */
int predict_older_index(const predict_t *p, int i);

int predict_pending(const predict_t *p); /* unacknowledged inputs, for the debug overlay */

/* The correction distance (milli-tiles) below which a share q (0..1) of the snapshots fall, at
 * the resolution of PREDICT_STATS_BIN; 0 without snapshots. */
int32_t predict_stats_quantile(const predict_stats_t *st, double q);

#endif
