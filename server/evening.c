/* evening.c -- the evening's board: a hash table of names with their rounds, wins and points,
 * forgotten EVENING_KEEP_SECONDS after the last player under the name left; uses evening.h,
 * server.h (the loop's clock) and common/hash */
#include "evening.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

typedef struct evening_entry {
    struct evening_entry *next; /* chain of one bucket */
    char key[PROTO_USERNAME_SIZE];
    char username[PROTO_USERNAME_SIZE]; /* as last played */
    int played, won;
    int32_t points;
    bool here;       /* someone is logged in under the name */
    int64_t left_at; /* monotonic ns of the last departure */
} evening_entry_t;

struct evening {
    evening_entry_t *buckets[EVENING_BUCKETS];
    int count;
};

int evening_create(server_t *s)
{
    s->evening = calloc(1, sizeof *s->evening);
    return s->evening ? 0 : -1;
}

void evening_free(server_t *s)
{
    if (!s->evening)
        return;
    for (int b = 0; b < EVENING_BUCKETS; b++) {
        while (s->evening->buckets[b]) {
            evening_entry_t *e = s->evening->buckets[b];
            s->evening->buckets[b] = e->next;
            free(e);
        }
    }
    free(s->evening);
    s->evening = NULL;
}

static bool evening_expired(const evening_entry_t *e, int64_t now)
{
    return !e->here && now - e->left_at >= (int64_t)EVENING_KEEP_SECONDS * LOOP_NS_PER_SEC;
}

static void evening_unlink(struct evening *ev, evening_entry_t **pp)
{
    evening_entry_t *e = *pp;
    *pp = e->next;
    free(e);
    ev->count--;
}

/* The entry of username, or NULL; an expired one is forgotten on the way. */
static evening_entry_t *evening_find(server_t *s, const char *username, char *key, size_t cap)
{
    proto_username_key(username, key, cap);
    uint32_t b = hash32_bytes(HASH32_INIT, key, strlen(key)) % EVENING_BUCKETS;
    int64_t now = loop_now();
    for (evening_entry_t **pp = &s->evening->buckets[b]; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->key, key) != 0)
            continue;
        if (evening_expired(*pp, now)) {
            evening_unlink(s->evening, pp);
            return NULL;
        }
        return *pp;
    }
    return NULL;
}

/* Full: the name gone longest makes room (rare: a whole party is a few dozen names). */
static void evening_evict(server_t *s)
{
    evening_entry_t **victim = NULL;
    for (int b = 0; b < EVENING_BUCKETS; b++)
        for (evening_entry_t **pp = &s->evening->buckets[b]; *pp; pp = &(*pp)->next)
            if (!victim || ((*pp)->here < (*victim)->here) ||
                ((*pp)->here == (*victim)->here && (*pp)->left_at < (*victim)->left_at))
                victim = pp;
    if (victim)
        evening_unlink(s->evening, victim);
}

void evening_record(server_t *s, const char *username, int score, bool won)
{
    char key[PROTO_USERNAME_SIZE];
    evening_entry_t *e = evening_find(s, username, key, sizeof key);
    if (!e) {
        if (s->evening->count >= EVENING_MAX_NAMES)
            evening_evict(s);
        e = calloc(1, sizeof *e);
        if (!e)
            return; /* the board misses a round; the game goes on */
        memcpy(e->key, key, sizeof e->key);
        uint32_t b = hash32_bytes(HASH32_INIT, key, strlen(key)) % EVENING_BUCKETS;
        e->next = s->evening->buckets[b];
        s->evening->buckets[b] = e;
        s->evening->count++;
        e->here = true; /* only players still in the round are recorded */
    }
    snprintf(e->username, sizeof e->username, "%s", username);
    if (e->played < PROTO_MAX_ROUNDS)
        e->played++;
    if (won && e->won < PROTO_MAX_ROUNDS)
        e->won++;
    int64_t points = (int64_t)e->points + score;
    e->points = points > INT32_MAX ? INT32_MAX : points < INT32_MIN ? INT32_MIN : (int32_t)points;
}

void evening_arrive(server_t *s, const char *username)
{
    char key[PROTO_USERNAME_SIZE];
    evening_entry_t *e = evening_find(s, username, key, sizeof key);
    if (e)
        e->here = true;
}

void evening_depart(server_t *s, const char *username)
{
    char key[PROTO_USERNAME_SIZE];
    evening_entry_t *e = evening_find(s, username, key, sizeof key);
    if (e) {
        e->here = false;
        e->left_at = loop_now();
    }
}

int evening_wins(server_t *s, const char *username)
{
    char key[PROTO_USERNAME_SIZE];
    const evening_entry_t *e = evening_find(s, username, key, sizeof key);
    return e ? e->won : 0;
}

/* True when a ranks above b on the board. */
static bool evening_before(const evening_entry_t *a, const proto_evening_row_t *b)
{
    if (a->won != b->won)
        return a->won > b->won;
    if (a->points != b->points)
        return a->points > b->points;
    return a->played < b->played;
}

void evening_board(server_t *s, msg_evening_t *out)
{
    out->nrows = 0;
    int64_t now = loop_now();
    for (int b = 0; b < EVENING_BUCKETS; b++) {
        for (const evening_entry_t *e = s->evening->buckets[b]; e; e = e->next) {
            if (evening_expired(e, now))
                continue;
            /* Insertion into the short sorted board: O(names x rows), and names are few. */
            int k = out->nrows;
            while (k > 0 && evening_before(e, &out->rows[k - 1]))
                k--;
            if (k >= PROTO_MAX_EVENING)
                continue;
            int last = out->nrows < PROTO_MAX_EVENING ? out->nrows : PROTO_MAX_EVENING - 1;
            memmove(&out->rows[k + 1], &out->rows[k], sizeof out->rows[0] * (size_t)(last - k));
            proto_evening_row_t *r = &out->rows[k];
            memcpy(r->username, e->username, sizeof r->username);
            r->played = e->played;
            r->won = e->won;
            r->points = e->points;
            if (out->nrows < PROTO_MAX_EVENING)
                out->nrows++;
        }
    }
}
