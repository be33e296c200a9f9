/* guard.h -- limits per address and per target: connections not logged in from one address, and
 * failed resume tokens and admin secrets, slowed and logged in summary; depends on server.h */
#ifndef NINE43_GUARD_H
#define NINE43_GUARD_H

#include <stdbool.h>

#include "server.h"

/* connections from one address that have not logged in (--max-pending-per-address) */
#define GUARD_DEFAULT_PENDING 64
/* an address holding more than this share of that limit gives its connections only
 * GUARD_CROWD_LOGIN_TIMEOUT to log in instead of SERVER_LOGIN_TIMEOUT */
#define GUARD_CROWD_SHARE         4
#define GUARD_CROWD_LOGIN_TIMEOUT 10
/* failed secrets: each address and each target (a player's name, the admin secret) has a
 * bucket of GUARD_FAIL_BURST wrong guesses, one more every GUARD_FAIL_EVERY seconds; an empty
 * one refuses guesses unchecked */
#define GUARD_FAIL_BURST 5
#define GUARD_FAIL_EVERY 10
/* seconds between summary lines about failed secrets (the first failure is logged at once) */
#define GUARD_LOG_EVERY 10
/* targets remembered at once; past it the one whose bucket is fullest is forgotten */
#define GUARD_MAX_TARGETS 256
/* buckets of the address table (an address is remembered while it has connections not logged
 * in, or until its bucket of failures is full again) */
#define GUARD_BUCKETS 4096

typedef struct guard guard_t;
typedef struct guard_addr guard_addr_t;

/* Kinds of secret. */
typedef enum guard_secret {
    GUARD_RESUME = 0, /* a resume token, targeting a player's name */
    GUARD_ADMIN = 1,  /* the admin secret (one target) */
} guard_secret_t;

/* Creates s->guard (and its summary timer); -1 when out of memory. */
int guard_create(server_t *s);
void guard_free(server_t *s);

/* A new connection from peer ("127.0.0.1:5000", "[::1]:5000"): its address, counted as not
 * logged in, or NULL when that address has --max-pending-per-address such connections already
 * (why then says so, for the peer). */
guard_addr_t *guard_admit(server_t *s, const char *peer, char *why, size_t cap);
/* The connection logged in or went: *a no longer counts, and is set to NULL. */
void guard_release(server_t *s, guard_addr_t **a);
/* Seconds a connection not logged in from a has to log in. */
int guard_login_timeout(const server_t *s, const guard_addr_t *a);
/* Connections not logged in from a (0 for NULL). */
int guard_pending(const guard_addr_t *a);
/* Connections not logged in from peer's address. */
int guard_pending_from(server_t *s, const char *peer);

/* Whether a guess at a secret of this kind for target (a name; "" for the admin secret) from a
 * may be checked: 0 yes, else the seconds until one may (the guess is refused unchecked and
 * counted in the summary). */
int guard_may_try(server_t *s, guard_addr_t *a, guard_secret_t kind, const char *target);
/* A checked guess was wrong: it spends from a's and target's buckets and is logged (the first
 * at once, the rest in a summary every GUARD_LOG_EVERY seconds). */
void guard_failed(server_t *s, guard_addr_t *a, guard_secret_t kind, const char *target);

#endif
