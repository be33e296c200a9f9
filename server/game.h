/* game.h -- a group's second phase, the round at 30 Hz: done (g->phase_done) when its clock runs
 * out; called by sub.c only; depends on group.h */
#ifndef NINE43_GAME_H
#define NINE43_GAME_H

#include "group.h"

/* Returns -1 when the round could not start (out of memory: its players were shut out). */
int game_begin(group_t *g);
int game_on_msg(group_t *g, int slot, const msg_t *m);
void game_player_left(group_t *g, int slot);
/* The slot's connection dropped: its player stands still until it is back. */
void game_player_away(group_t *g, int slot);
/* Sends "game start" again to the player back in slot; "state" follows on the next tick. */
void game_resume(group_t *g, int slot);
/* "game start" to p, who plays as you ("" for a watcher), with the time to GO for who can use
 * it; during the countdown, or when now is true, the current state after it. */
void game_send_start(group_t *g, player_t *p, const char *you, bool now);

#endif
