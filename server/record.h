/* record.h -- a round's replay (--replay-dir, a player's "replay" feature): what game.c feeds the
 * simulation, collected as it steps, and one file per round written at its end; depends on
 * group.h and common/replay */
#ifndef NINE43_RECORD_H
#define NINE43_RECORD_H

#include "group.h"
#include "replay.h"

/* Replay files --replay-dir keeps; past it, the oldest of them (by name: the round's start) is
 * deleted after each new one. Other files in the folder are never touched. */
#define SERVER_REPLAY_KEEP 1000
/* Files deleted after one round at most: a folder far over the limit shrinks over rounds
 * instead of stalling the loop once. */
#define SERVER_REPLAY_PRUNE_MAX 16
#define SERVER_REPLAY_PREFIX    REPLAY_FILE_PREFIX
#define SERVER_REPLAY_SUFFIX    REPLAY_FILE_SUFFIX

typedef struct record record_t;

/* After the round's game, colours and removals of players already gone: starts its recording,
 * or returns NULL when there is neither --replay-dir nor a player of the group who logged in
 * with the "replay" feature (or no memory: logged). Every other call takes NULL and then does
 * nothing. */
record_t *record_begin(group_t *g);
/* After sim_set_input on slot. */
void record_input(record_t *r, const sim_game_t *game, int slot);
/* After an extra sim_move_player of slot before the tick's step. */
void record_move(record_t *r, int slot);
/* Slot sits the coming step out. */
void record_sit_out(record_t *r, int slot);
/* After sim_remove_player on slot. */
void record_leave(record_t *r, int slot);
/* After the tick's step, the players who sat out active again. */
void record_tick(record_t *r, const sim_game_t *game);
/* The round is over: sends the file to the group's "replay" players (before "fin"), writes it
 * to --replay-dir (a failure is logged, never fatal) and frees g->record. */
void record_finish(group_t *g);
void record_free(record_t *r);

#endif
