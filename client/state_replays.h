/* state_replays.h -- the Replays screen's state (the saved rounds) and the playback's (one round
 * re-simulated: pause, speed, seek, follow); no SDL, on replays.h and common/replay */
#ifndef NINE43_STATE_REPLAYS_H
#define NINE43_STATE_REPLAYS_H

#include <stdbool.h>
#include <stdint.h>

#include "replay.h"
#include "replays.h"

typedef struct replays_list {
    replays_entry_t entries[CLIENT_REPLAYS_LISTED]; /* newest first */
    int count;
    int focus; /* a row, or count for Back */
    int top;   /* first row shown */
} replays_list_t;

/* Playback speeds, in halves: 0.5x, 1x, 2x, 4x. */
#define PLAYBACK_SPEEDS       4
#define PLAYBACK_SEEK_STEP_MS 5000 /* Left and Right */
#define PLAYBACK_MAX_CATCHUP  240  /* ticks stepped in one frame at most (8 s of a round) */

typedef struct playback {
    bool loaded; /* r holds a replay; otherwise error says why */
    char error[400];
    char path[CLIENT_REPLAY_PATH];
    replay_t r;
    replays_entry_t about; /* date, world, players, winner */
    replay_play_t play;    /* the simulation at the shown tick */
    bool paused;
    int speed;        /* index into the speeds: 1 = 1x */
    double carry_ms;  /* round time due but not yet stepped */
    uint32_t last_ms; /* c->now_ms at the last update */
    int follow;       /* the slot followed, -1 = the whole map */
    bool ended;       /* the last tick is shown: the results are up */
    bool differs;     /* the re-simulation left the recording (first_diff) */
    bool new_world;   /* the round's drawing must be reset */
    int back;         /* the scene Esc returns to (a scene_id_t) */
} playback_t;

#endif
