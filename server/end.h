/* end.h -- a group's last phase, the end screen ("fin" and the evening's board): a player is done
 * (g->player_done) when it continues, the phase (g->phase_done) when the screen times out;
 * called by sub.c only; depends on group.h */
#ifndef NINE43_END_H
#define NINE43_END_H

#include "group.h"

void end_begin(group_t *g);
int end_on_msg(group_t *g, int slot, const msg_t *m);
/* Sends "fin" (and to a social player "group") again to the player back in slot. */
void end_resume(group_t *g, int slot);
/* One of the round's players (gone, still holding its name) leaves the server: the group's social
 * players still on the end screen hear "group" with it marked "left". */
void end_player_gone(group_t *g, const player_t *gone);

#endif
