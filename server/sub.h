/* sub.h -- stage 4, the groups: the hand-off from the lobby, then each group's phases (vote,
 * round, end screen) and, after them, its players' way back; depends on player.h */
#ifndef NINE43_SUB_H
#define NINE43_SUB_H

#include "player.h"

/* The groups' way out, wired by main.c to the lobby (which alone knows sub.c, to hand it groups
 * and to show them): where a player goes when its end screen closes, and who hears that the
 * groups changed (one formed, changed phase, lost a player or ended). */
typedef struct sub_hooks {
    void (*back)(server_t *s, player_t *p);
    void (*changed)(server_t *s);
} sub_hooks_t;

/* The groups' own state (s->subs); -1 when out of memory. */
int sub_create_all(server_t *s, const sub_hooks_t *hooks);
/* Frees every group, running or finished (the server is going away). */
void sub_free_all(server_t *s);
/* The hand-off from the lobby: the players leave it as a group (the lobby has unlinked them). */
void sub_start(server_t *s, player_t **players, int n);
/* Groups in vote, game or end screen. */
int sub_count(const server_t *s);
/* Shutdown: groups in the vote or on the end screen are closed, games play on. */
void sub_shutdown(server_t *s);
/* Frees groups that finished (at the loop's safe point). */
void sub_reap(server_t *s);
/* The running groups as the lobby's server view shows them (u->games, u->groups). */
void sub_describe(server_t *s, msg_lobby_update_t *u);
/* p leaves the server (the quit path, after its stage's leave): the end screens of the rounds it
 * played tell their players. */
void sub_departed(server_t *s, const player_t *p);
/* The running group of that id (the lobby view's "id", for "watch"), or NULL. */
struct group *sub_find(server_t *s, unsigned id);

#endif
