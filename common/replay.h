/* replay.h -- recorded rounds: the file format (docs/REPLAY.md), the writer the server feeds as it
 * steps a round, the reader that bounds every count, and playback that re-simulates a file tick
 * by tick and checks it; depends on sim, world, utf8 and hash (no clock, no sockets) */
#ifndef NINE43_REPLAY_H
#define NINE43_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"
#include "world.h"

#define REPLAY_MAGIC      "N43RPLAY" /* the first 8 bytes of every replay file */
#define REPLAY_MAGIC_SIZE 8
#define REPLAY_VERSION    1 /* the file format's version; a reader refuses any other */

/* Every count and length in a file is bounded by one of these; a file past one is refused. */
#define REPLAY_MAX_TICKS       (WORLD_MAX_DURATION * SIM_TICK_RATE) /* a round's ticks */
#define REPLAY_MAX_NAME        64  /* bytes of a player's name (16 code points of UTF-8) */
#define REPLAY_MAX_TICK_EVENTS 128 /* events applied before one tick's step */
/* Bytes of a whole file: the largest round that could be recorded, every tick full of events. */
#define REPLAY_MAX_FILE (16 * 1024 * 1024)

/* What is fed to the simulation before a tick's step, one byte each (docs/REPLAY.md):
 *   MOVE    an extra step of one player with its held input (a player making up a step it sat
 *           out: sim_move_player alone, no coins or steals);
 *   SIT_OUT the player sits this tick's step out (inactive for the step, active again after);
 *   LEAVE   sim_remove_player;
 *   INPUT   sim_set_input with new controls (an input whose controls equal the held ones only
 *           changes the client's sequence number, which no rule reads, and is not recorded). */
typedef enum replay_event_kind {
    REPLAY_EV_MOVE = 0,
    REPLAY_EV_SIT_OUT = 1,
    REPLAY_EV_LEAVE = 2,
} replay_event_kind_t; /* the byte is kind << 3 | slot */
/* An INPUT is the byte REPLAY_EV_INPUT_BASE + slot * REPLAY_CONTROLS + controls. */
#define REPLAY_EV_INPUT_BASE 32
#define REPLAY_CONTROLS      18 /* dx, dy in -1..1 and dash: 3 * 3 * 2 */

/* The rules a file was made with: a hash of SIM_RULES_VERSION and every constant of sim.h and
 * world.h that a step reads. A file made under other rules is refused, not replayed wrongly. */
uint32_t replay_rules_id(void);

/* A hash of the simulation's state as the rules see it: every field of every player, each
 * coin's refill timer (their places come from the world), the tick, the length and the
 * generator; not the clients' sequence numbers (seq, ack), which no rule reads and a replay
 * does not keep. */
uint64_t replay_state_hash(const sim_game_t *g);

typedef struct replay_player {
    char name[REPLAY_MAX_NAME + 1];
    uint8_t rgb[3]; /* its colour that round */
} replay_player_t;

/* What a file says besides its events. */
typedef struct replay_info {
    uint64_t seed;
    int64_t started; /* Unix time (seconds, UTC) of the round's start */
    uint32_t duration_ticks;
    int nplayers; /* the slots, 1..SIM_MAX_PLAYERS; slot i is the simulation's player i */
    replay_player_t players[SIM_MAX_PLAYERS];
} replay_info_t;

/* ---- writing: the server, as it steps a round ---- */

typedef struct replay_writer {
    uint8_t *buf; /* the whole file so far */
    size_t len, cap;
    size_t events_at; /* offset of the events' length field */
    uint8_t tick[REPLAY_MAX_TICK_EVENTS];
    int ntick;                     /* events of the tick being collected */
    uint8_t held[SIM_MAX_PLAYERS]; /* each slot's controls as last recorded */
    uint32_t ticks;
    bool failed; /* out of memory or past a limit: the recording is abandoned */
    char why[128];
} replay_writer_t;

/* Starts a file: header, players and world, for a game just made with sim_init(g, world, ...).
 * Returns 0, or -1 (w->why says why; w is then freed). */
int replay_writer_begin(replay_writer_t *w, const replay_info_t *info, const world_t *world);
/* After sim_set_input(g, slot, ...): records the slot's held controls if they changed. */
void replay_writer_input(replay_writer_t *w, const sim_game_t *g, int slot);
/* After an extra sim_move_player of slot, before the tick's step. */
void replay_writer_move(replay_writer_t *w, int slot);
/* The slot sits out the coming step. */
void replay_writer_sit_out(replay_writer_t *w, int slot);
/* After sim_remove_player(g, slot). */
void replay_writer_leave(replay_writer_t *w, int slot);
/* After sim_step (and after the players who sat out are active again): closes the tick. */
void replay_writer_tick(replay_writer_t *w, const sim_game_t *g);
/* Closes the file with the final scores and state hash. Returns 0 with *data and *len the
 * file's bytes (owned by w until replay_writer_free), or -1 (w->why). */
int replay_writer_finish(replay_writer_t *w, const sim_game_t *g, const uint8_t **data,
                         size_t *len);
void replay_writer_free(replay_writer_t *w);

/* ---- reading ---- */

typedef struct replay {
    uint16_t version;
    uint32_t rules;
    replay_info_t info;
    world_t world;
    const uint8_t *events; /* into data */
    size_t events_len;
    uint32_t ticks; /* ticks recorded, == info.duration_ticks */
    bool active[SIM_MAX_PLAYERS];
    int32_t scores[SIM_MAX_PLAYERS];
    uint64_t final_hash;
    uint8_t *data; /* the file, owned */
    size_t len;
} replay_t;

/* Checks a whole file in memory: magic, version, rules, every count against its limit, every
 * event, nothing left over. Copies data. Returns 0, or -1 with a message in err. */
int replay_parse(replay_t *r, const uint8_t *data, size_t len, char *err, size_t errlen);
/* Reads and parses a file; errors start with its path. */
int replay_load_file(replay_t *r, const char *path, char *err, size_t errlen);

/* How a folder of replays names its files, the server's (--replay-dir) and the client's alike:
 * REPLAY_FILE_PREFIX, the round's start time first so that names sort by age, then
 * REPLAY_FILE_SUFFIX. Nothing else in such a folder is ever touched. */
#define REPLAY_FILE_PREFIX "round-"
#define REPLAY_FILE_SUFFIX ".n43replay"
bool replay_is_file_name(const char *name);
/* Deletes the oldest replay files of dir (by name) while it holds more than keep, at most
 * max_deletes of them. Returns how many it deleted, or -1 with the file and the reason in err
 * when one could not be deleted. */
int replay_prune_dir(const char *dir, long keep, int max_deletes, char *err, size_t errlen);
void replay_free(replay_t *r);

/* ---- playback: re-simulation from the start, one tick at a time ---- */

typedef struct replay_play {
    const replay_t *r;
    sim_game_t game;     /* its world is r->world */
    size_t pos;          /* next tick's offset in r->events */
    uint32_t first_diff; /* first tick whose state differs from the recording, 0 = none yet */
} replay_play_t;

/* Starts playback at tick 0 (seeking is a fresh start and steps: a minute takes milliseconds). */
void replay_play_start(replay_play_t *p, const replay_t *r);
/* Applies the next tick's events and steps; compares the state with the recording. Returns 1
 * when it stepped, 0 when the round is over. */
int replay_play_step(replay_play_t *p);

/* The verdict of a whole re-simulation. */
typedef struct replay_verdict {
    bool same;                    /* every tick, the final scores and the final hash match */
    uint32_t first_diff;          /* the first tick that differs (0 when same) */
    uint64_t hash;                /* the re-simulated final state's hash */
    bool active[SIM_MAX_PLAYERS]; /* the re-simulated end, slot by slot */
    int32_t scores[SIM_MAX_PLAYERS];
} replay_verdict_t;

/* Re-simulates r from the start to its end and compares. */
void replay_verify(const replay_t *r, replay_verdict_t *v);

#endif
