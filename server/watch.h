/* watch.h -- watching a running group from the lobby (the "watch" feature): the "watch" and
 * "unwatch" requests and a watcher's way out of watching; used by lobby.c only; depends on
 * player.h */
#ifndef NINE43_WATCH_H
#define NINE43_WATCH_H

#include "player.h"

/* "watch" and "unwatch" from a player in the lobby: 0 handled, -1 not for this login (the
 * generic error reply). A watcher stays in the lobby's queue: watching never costs its place. */
int watch_on_msg(server_t *s, player_t *p, const msg_t *m);
/* p stops watching (if it was): its round starts, or it leaves the lobby. why: the "watch end"
 * p is sent, or NULL to say nothing (the quit path). */
void watch_stop(server_t *s, player_t *p, const char *why);

#endif
