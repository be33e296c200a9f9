/* names.h -- the usernames in use, compared by their confusable skeleton (common/name: letter
 * case and look-alike characters), so that no two players share one or one that looks like it;
 * depends on common/proto */
#ifndef NINE43_NAMES_H
#define NINE43_NAMES_H

#include <stdbool.h>

#include "proto.h"

#define NAMES_BUCKETS 4096 /* hash table size */

/* One holder's place in the table, kept inside the holder (a player): small, because every
 * connection has one. */
typedef struct names_entry {
    struct names_entry *next; /* chain of one bucket */
    const char *username;     /* the holder's own copy; NULL when nothing is held */
} names_entry_t;

typedef struct names names_t;

/* NULL when out of memory. */
names_t *names_create(void);
void names_destroy(names_t *n);
/* True when username, or one that compares equal to it, is held. */
bool names_taken(const names_t *n, const char *username);
/* Holds username through e until names_release; username must stay put until then. */
void names_hold(names_t *n, names_entry_t *e, const char *username);
/* Gives the name up; nothing when e holds none. */
void names_release(names_t *n, names_entry_t *e);
bool names_held(const names_entry_t *e);
/* Names held: the players logged in. */
int names_count(const names_t *n);
/* The entry holding username, or one that compares equal to it; NULL when none does. */
names_entry_t *names_find(const names_t *n, const char *username);

#endif
