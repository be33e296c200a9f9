/* names.c -- the usernames in use: a hash table of entries kept inside their holders, keyed by
 * the names' confusable skeletons; uses names.h and common/hash, name */
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "name.h"

struct names {
    names_entry_t *buckets[NAMES_BUCKETS];
    int count;
};

static size_t names_index(const char *key)
{
    return hash32_bytes(HASH32_INIT, key, strlen(key)) % NAMES_BUCKETS;
}

names_t *names_create(void)
{
    return calloc(1, sizeof(names_t));
}

void names_destroy(names_t *n)
{
    free(n);
}

names_entry_t *names_find(const names_t *n, const char *username)
{
    char key[NAME_SKELETON_SIZE], other[NAME_SKELETON_SIZE];
    name_skeleton(username, key, sizeof key);
    for (names_entry_t *e = n->buckets[names_index(key)]; e; e = e->next) {
        name_skeleton(e->username, other, sizeof other);
        if (strcmp(key, other) == 0)
            return e;
    }
    return NULL;
}

bool names_taken(const names_t *n, const char *username)
{
    return names_find(n, username) != NULL;
}

void names_hold(names_t *n, names_entry_t *e, const char *username)
{
    char key[NAME_SKELETON_SIZE];
    name_skeleton(username, key, sizeof key);
    names_entry_t **head = &n->buckets[names_index(key)];
    e->username = username;
    e->next = *head;
    *head = e;
    n->count++;
}

void names_release(names_t *n, names_entry_t *e)
{
    if (!e->username)
        return;
    char key[NAME_SKELETON_SIZE];
    name_skeleton(e->username, key, sizeof key);
    for (names_entry_t **pp = &n->buckets[names_index(key)]; *pp; pp = &(*pp)->next) {
        if (*pp == e) {
            *pp = e->next;
            break;
        }
    }
    e->next = NULL;
    e->username = NULL;
    n->count--;
}

bool names_held(const names_entry_t *e)
{
    return e->username != NULL;
}

int names_count(const names_t *n)
{
    return n->count;
}
