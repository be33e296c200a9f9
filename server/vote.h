/* vote.h -- a group's first phase, the world vote: done (g->phase_done) once g->world is chosen;
 * called by sub.c only; depends on group.h */
#ifndef NINE43_VOTE_H
#define NINE43_VOTE_H

#include "group.h"

void vote_begin(group_t *g);
int vote_on_msg(group_t *g, int slot, const msg_t *m);
void vote_player_left(group_t *g, int slot);
/* A "vote" that did not decode: answered "ignored"; the player may vote again. */
void vote_on_bad(group_t *g, int slot);
/* Sends "select world" and the tally again to the player back in slot. */
void vote_resume(group_t *g, int slot);

#endif
