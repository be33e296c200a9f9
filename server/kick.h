/* kick.h -- the host's kick and the bans it leaves (by name and by address, for
 * SERVER_KICK_BAN_SECONDS); depends on player.h */
#ifndef NINE43_KICK_H
#define NINE43_KICK_H

#include <stddef.h>

#include "player.h"

/* The ban list (s->kicks); -1 when out of memory. */
int kick_create(server_t *s);
void kick_free(server_t *s);
/* A "kick" from p: only the host may; the target gets "bye" (or "error"), is closed and banned,
 * and the other party clients get a "notice". */
void kick_on_msg(server_t *s, player_t *p, const msg_t *m);
/* Seconds p (its address) or username is still banned for, 0 when free to log in. */
int kick_banned(server_t *s, const player_t *p, const char *username);

#endif
