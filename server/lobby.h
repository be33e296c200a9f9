/* lobby.h -- stage 3: logged-in players wait for a group, see who is there, and chat; depends on
 * player.h */
#ifndef NINE43_LOBBY_H
#define NINE43_LOBBY_H

#include "player.h"

/* The lobby's own state (s->lobby); -1 when out of memory. */
int lobby_create(server_t *s);
void lobby_free(server_t *s);
/* The hand-off into the lobby, from login and from a group's end screen (sub.c's hook, wired by
 * main.c): p queues for a group. */
void lobby_enter(server_t *s, player_t *p);
/* Players waiting. */
int lobby_count(const server_t *s);
/* A group formed, changed phase, lost a player or ended (sub.c's hook, wired by main.c): the
 * party clients in the lobby get a fresh server view. */
void lobby_view_changed(server_t *s);

#endif
