/* watch.h -- watching a running group from the lobby (the "watch" feature): the "watch" and
 * "unwatch" requests, a watcher's way out of watching and back to it after a drop; used by
 * lobby.c only; depends on player.h */
#ifndef NINE43_WATCH_H
#define NINE43_WATCH_H

#include <stdbool.h>

#include "player.h"

/* "watch" and "unwatch" from a player in the lobby: 0 handled, -1 not for this login (the
 * generic error reply). A watcher stays in the lobby's queue: watching never costs its place. */
int watch_on_msg(server_t *s, player_t *p, const msg_t *m);
/* p stops watching (if it was): its round starts, or it leaves the lobby. why: the "watch end"
 * p is sent, or NULL to say nothing (the quit path). */
void watch_stop(server_t *s, player_t *p, const char *why);
/* p's connection dropped: true when it was watching (it stops, and the group's id is kept for
 * watch_resume), false when it has nothing to come back to (its drop is a quit). */
bool watch_away(server_t *s, player_t *p);
/* p is back from a drop: it watches the round it watched again ("watch" accepted, "game start",
 * then the round's lines), or, when that round is over or full, is told so in "watch end". A
 * watcher whose old connection was still open never stopped: it is told where the round is. */
void watch_resume(server_t *s, player_t *p);

#endif
