/* watch.h -- watching a running group from the lobby (the "watch" feature): who watches which
 * group, what a watcher is sent, the cap per group and the slow watcher's drop; depends on sub.h */
#ifndef NINE43_WATCH_H
#define NINE43_WATCH_H

#include "sub.h"

/* "watch" and "unwatch" from a player in the lobby: 0 handled, -1 not for this login (the
 * generic error reply). A watcher stays in the lobby's queue: watching never costs its place. */
int watch_on_msg(server_t *s, player_t *p, const msg_t *m);
/* p stops watching (if it was): its round starts, or it leaves the lobby. why: the "watch end"
 * p is sent, or NULL to say nothing (the quit path). */
void watch_stop(server_t *s, player_t *p, const char *why);
/* The group's round starts: "game start" (you "") to each watcher. */
void watch_round_starts(sub_t *g);
/* One line the players got (a state, "fin") to every watcher. A watcher with more than
 * SERVER_WATCH_BACKLOG bytes unread is dropped from watching first: a slow reader never holds
 * output for the group (queuing never blocks a tick). */
void watch_send_line(sub_t *g, const char *line, size_t len);
/* The group's watching is over: after "fin" (why NULL: the results say it), or because the
 * group ended early (why is sent). */
void watch_end_all(sub_t *g, const char *why);

#endif
