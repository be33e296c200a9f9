/* evening.h -- the evening's board: per player name, rounds played and won and points since the
 * name first finished a round, kept a while after the player leaves so that a reconnect under
 * the same name picks it up; depends on server.h */
#ifndef NINE43_EVENING_H
#define NINE43_EVENING_H

#include <stdbool.h>

#include "server.h"

#define EVENING_BUCKETS      1024 /* hash table size */
#define EVENING_MAX_NAMES    4096 /* names remembered; past it, the one gone longest is forgotten */
#define EVENING_KEEP_SECONDS 3600 /* a name nobody plays under is remembered this long */

/* The board's own state (s->evening); -1 when out of memory. */
int evening_create(server_t *s);
void evening_free(server_t *s);
/* A finished round of username: played + 1, won + 1 when won, points + score. */
void evening_record(server_t *s, const char *username, int score, bool won);
/* A player under this name logs in, or leaves: while someone plays under a name it is kept. */
void evening_arrive(server_t *s, const char *username);
void evening_depart(server_t *s, const char *username);
/* The board: the PROTO_MAX_EVENING names with the most wins, then points, then fewest rounds. */
void evening_board(server_t *s, msg_evening_t *out);
/* Rounds won under username this evening (0 when unknown). */
int evening_wins(server_t *s, const char *username);

#endif
