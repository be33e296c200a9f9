/* guard.c -- limits per address and per target: counts each address's connections not logged in,
 * slows guessed resume tokens and admin secrets with buckets per address and per target, and
 * logs failures in summary; uses guard.h, server.h (log, loop, config), common/bucket and hash */
#include "guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "hash.h"

#define STAGE     "guard"
#define GUARD_KEY 64 /* an IPv6 address in text with its zone fits */

struct guard_addr {
    struct guard_addr *next; /* chain of one bucket of the table */
    int pending;             /* connections not logged in */
    bool failed;             /* fails was spent from and may not be full yet */
    bucket_t fails;          /* GUARD_FAIL_BURST, one more every GUARD_FAIL_EVERY s */
    char key[GUARD_KEY];     /* the address, without port */
};

typedef struct guard_target {
    char key[PROTO_USERNAME_SIZE + 8]; /* "r:" + the name's key, or "a:" for the admin secret */
    bucket_t fails;
} guard_target_t;

/* Failures since the last summary line, per kind of secret. */
typedef struct guard_tally {
    long wrong;    /* checked and wrong */
    long refused;  /* refused unchecked */
    bool reported; /* the first of this period went to the log at once */
    char last_addr[GUARD_KEY];
    char last_target[PROTO_USERNAME_SIZE];
} guard_tally_t;

struct guard {
    guard_addr_t *buckets[GUARD_BUCKETS];
    long crowded;                 /* connections refused since the last summary */
    char crowded_addr[GUARD_KEY]; /* the last address refused */
    guard_target_t targets[GUARD_MAX_TARGETS];
    int ntargets;
    guard_tally_t tally[2];
    long long timer;
};

static const char *const guard_kind_name[2] = {"resume token", "admin secret"};

/* The buckets count in units of GUARD_FAIL_EVERY ms, so that a rate of one a "second" refills one
 * guess every GUARD_FAIL_EVERY seconds. */
static int64_t guard_clock(void)
{
    return loop_now() / LOOP_NS_PER_MS / GUARD_FAIL_EVERY;
}

static bool guard_full(bucket_t *b, int64_t now)
{
    bucket_fill(b, now, 1, GUARD_FAIL_BURST);
    return b->milli >= (int64_t)GUARD_FAIL_BURST * BUCKET_UNIT;
}

/* Forgets addresses with nothing to remember: no connection pending, failures forgiven. */
static void guard_sweep(guard_t *g)
{
    int64_t now = guard_clock();
    for (int i = 0; i < GUARD_BUCKETS; i++) {
        for (guard_addr_t **pp = &g->buckets[i]; *pp;) {
            guard_addr_t *a = *pp;
            if (a->failed && guard_full(&a->fails, now))
                a->failed = false;
            if (a->pending == 0 && !a->failed) {
                *pp = a->next;
                free(a);
            } else {
                pp = &a->next;
            }
        }
    }
}

static void guard_summarise(server_t *s)
{
    guard_t *g = s->guard;
    if (g->crowded > 0)
        log_msg(&s->log, LOG_WARN, STAGE,
                "in the last %d s: %ld connections refused, too many not logged in from one "
                "address (--max-pending-per-address %d; the last from %s)",
                GUARD_LOG_EVERY, g->crowded, s->cfg.max_pending, g->crowded_addr);
    g->crowded = 0;
    for (int k = 0; k < 2; k++) {
        guard_tally_t *t = &g->tally[k];
        if (t->wrong + t->refused > 0)
            log_msg(&s->log, LOG_WARN, STAGE,
                    "in the last %d s: %ld wrong %ss, %ld more refused unchecked (the last for "
                    "\"%s\" from %s)",
                    GUARD_LOG_EVERY, t->wrong, guard_kind_name[k], t->refused, t->last_target,
                    t->last_addr);
        memset(t, 0, sizeof *t);
    }
}

static int64_t guard_on_timer(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    server_t *s = ud;
    guard_summarise(s);
    guard_sweep(s->guard);
    return loop_now() + (int64_t)GUARD_LOG_EVERY * LOOP_NS_PER_SEC;
}

int guard_create(server_t *s)
{
    s->guard = calloc(1, sizeof *s->guard);
    if (!s->guard)
        return -1;
    s->guard->timer = loop_add_timer(
        s->loop, loop_now() + (int64_t)GUARD_LOG_EVERY * LOOP_NS_PER_SEC, guard_on_timer, s);
    return s->guard->timer < 0 ? -1 : 0;
}

void guard_free(server_t *s)
{
    guard_t *g = s->guard;
    if (!g)
        return;
    if (g->timer > 0)
        loop_del_timer(s->loop, g->timer);
    guard_summarise(s); /* the last period's failures are told too */
    for (int i = 0; i < GUARD_BUCKETS; i++) {
        while (g->buckets[i]) {
            guard_addr_t *a = g->buckets[i];
            g->buckets[i] = a->next;
            free(a);
        }
    }
    free(g);
    s->guard = NULL;
}

/* "127.0.0.1:5000" -> "127.0.0.1", "[::1]:5000" -> "::1". */
static void guard_key(const char *peer, char *key, size_t cap)
{
    const char *start = peer, *end = strrchr(peer, ':');
    if (peer[0] == '[') {
        start = peer + 1;
        end = strchr(start, ']');
    }
    size_t len = end ? (size_t)(end - start) : strlen(start);
    if (len >= cap)
        len = cap - 1;
    memcpy(key, start, len);
    key[len] = '\0';
}

static guard_addr_t *guard_lookup(guard_t *g, const char *key, bool create)
{
    guard_addr_t **head = &g->buckets[hash32_bytes(HASH32_INIT, key, strlen(key)) % GUARD_BUCKETS];
    for (guard_addr_t *a = *head; a; a = a->next)
        if (strcmp(a->key, key) == 0)
            return a;
    if (!create)
        return NULL;
    guard_addr_t *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    snprintf(a->key, sizeof a->key, "%s", key);
    bucket_start_full(&a->fails, guard_clock(), GUARD_FAIL_BURST);
    a->next = *head;
    *head = a;
    return a;
}

guard_addr_t *guard_admit(server_t *s, const char *peer, char *why, size_t cap)
{
    char key[GUARD_KEY];
    guard_key(peer, key, sizeof key);
    guard_addr_t *a = guard_lookup(s->guard, key, true);
    if (!a) {
        snprintf(why, cap, "server out of memory, try again later");
        return NULL;
    }
    if (a->pending >= s->cfg.max_pending) {
        s->guard->crowded++;
        snprintf(s->guard->crowded_addr, sizeof s->guard->crowded_addr, "%s", key);
        snprintf(why, cap,
                 "too many connections from your address that have not logged in (%d at most)",
                 s->cfg.max_pending);
        return NULL;
    }
    a->pending++;
    return a;
}

void guard_release(server_t *s, guard_addr_t **a)
{
    (void)s;
    if (*a) {
        (*a)->pending--;
        *a = NULL; /* the sweep frees it once nothing is left to remember */
    }
}

int guard_pending(const guard_addr_t *a)
{
    return a ? a->pending : 0;
}

int guard_pending_from(server_t *s, const char *peer)
{
    char key[GUARD_KEY];
    guard_key(peer, key, sizeof key);
    return guard_pending(guard_lookup(s->guard, key, false));
}

int guard_login_timeout(const server_t *s, const guard_addr_t *a)
{
    bool crowd = a && a->pending > s->cfg.max_pending / GUARD_CROWD_SHARE;
    return crowd ? GUARD_CROWD_LOGIN_TIMEOUT : SERVER_LOGIN_TIMEOUT;
}

/* The target's bucket; a new one (full) replaces the fullest when the table is full. */
static guard_target_t *guard_target(guard_t *g, guard_secret_t kind, const char *target)
{
    char key[sizeof g->targets[0].key];
    char folded[PROTO_USERNAME_SIZE] = "";
    if (kind == GUARD_RESUME) /* one admin secret: one target, whatever name is tried */
        proto_username_key(target, folded, sizeof folded);
    snprintf(key, sizeof key, "%c:%s", kind == GUARD_ADMIN ? 'a' : 'r', folded);
    int64_t now = guard_clock();
    guard_target_t *fullest = NULL;
    for (int i = 0; i < g->ntargets; i++) {
        guard_target_t *t = &g->targets[i];
        if (strcmp(t->key, key) == 0)
            return t;
        bucket_fill(&t->fails, now, 1, GUARD_FAIL_BURST);
        if (!fullest || t->fails.milli > fullest->fails.milli)
            fullest = t;
    }
    guard_target_t *t = g->ntargets < GUARD_MAX_TARGETS ? &g->targets[g->ntargets++] : fullest;
    snprintf(t->key, sizeof t->key, "%s", key);
    bucket_start_full(&t->fails, now, GUARD_FAIL_BURST);
    return t;
}

/* Seconds until b holds a whole guess again. */
static int guard_wait(const bucket_t *b)
{
    int64_t units = BUCKET_UNIT - b->milli; /* clock units of GUARD_FAIL_EVERY ms */
    int64_t ms = units * GUARD_FAIL_EVERY;
    return (int)((ms + 999) / 1000);
}

static void guard_note(guard_tally_t *t, const guard_addr_t *a, const char *target)
{
    snprintf(t->last_addr, sizeof t->last_addr, "%s", a ? a->key : "?");
    snprintf(t->last_target, sizeof t->last_target, "%s", target);
}

int guard_may_try(server_t *s, guard_addr_t *a, guard_secret_t kind, const char *target)
{
    guard_t *g = s->guard;
    int64_t now = guard_clock();
    int wait = 0;
    if (a) {
        bucket_fill(&a->fails, now, 1, GUARD_FAIL_BURST);
        if (!bucket_ready(&a->fails))
            wait = guard_wait(&a->fails);
    }
    /* The target's limit holds for addresses that guessed wrong lately: one that did not (the
     * real player, resuming) is checked, so guessing at a name never locks its owner out. */
    if (!wait && (!a || a->failed)) {
        guard_target_t *t = guard_target(g, kind, target);
        bucket_fill(&t->fails, now, 1, GUARD_FAIL_BURST);
        if (!bucket_ready(&t->fails))
            wait = guard_wait(&t->fails);
    }
    if (wait) {
        g->tally[kind].refused++;
        guard_note(&g->tally[kind], a, target);
    }
    return wait;
}

void guard_failed(server_t *s, guard_addr_t *a, guard_secret_t kind, const char *target)
{
    guard_t *g = s->guard;
    int64_t now = guard_clock();
    if (a) {
        bucket_take(&a->fails, now, 1, GUARD_FAIL_BURST);
        a->failed = true;
    }
    bucket_take(&guard_target(g, kind, target)->fails, now, 1, GUARD_FAIL_BURST);
    guard_tally_t *t = &g->tally[kind];
    t->wrong++;
    guard_note(t, a, target);
    if (!t->reported) {
        t->reported = true;
        log_msg(&s->log, LOG_WARN, STAGE,
                "wrong %s for \"%s\" from %s (more are summed up every %d s)",
                guard_kind_name[kind], target, a ? a->key : "?", GUARD_LOG_EVERY);
        t->wrong = 0; /* this one is told */
    }
}
