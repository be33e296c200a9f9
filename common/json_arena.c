/* json_arena.c -- one bump allocator that cJSON uses while proto_decode parses a line; malloc
 * and free for every other use of cJSON; depends on cJSON and pthread_once */
#include "json_arena.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef JSON_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define json_arena_poison(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define json_arena_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define json_arena_poison(p, n)   ((void)(p), (void)(n))
#define json_arena_unpoison(p, n) ((void)(p), (void)(n))
#endif

_Static_assert(sizeof(cJSON) <= JSON_ARENA_NODE, "JSON_ARENA_NODE holds a cJSON node");
_Static_assert(JSON_ARENA_NODE % JSON_ARENA_ALIGN == 0, "nodes keep the alignment");

/* One arena for the process, in zeroed static memory (pages are touched only as lines need
 * them: a 4-player state uses 5.2 KiB). A thread claims it for one line at a time. */
static _Alignas(JSON_ARENA_ALIGN) unsigned char json_arena_bytes[JSON_ARENA_SIZE];
static size_t json_arena_used; /* bytes handed out since the owner's begin */
static size_t json_arena_last; /* where the latest block starts */
static atomic_flag json_arena_busy = ATOMIC_FLAG_INIT; /* set while a thread owns the arena */
static pthread_once_t json_arena_once = PTHREAD_ONCE_INIT;

/* Per thread, so that another thread's cJSON (none today: the client's audio and connect
 * threads do not use it) never takes arena memory while a line is decoded. */
static _Thread_local bool json_arena_active; /* between this thread's begin and end */
static _Thread_local bool json_arena_mine;   /* ... and it holds the arena */
static _Thread_local size_t json_arena_spills;

static bool json_arena_owns(const void *p)
{
    uintptr_t a = (uintptr_t)p, base = (uintptr_t)json_arena_bytes;
    return a >= base && a < base + JSON_ARENA_SIZE;
}

static void *json_arena_malloc(size_t size)
{
    if (json_arena_mine) {
        size_t need = (size + JSON_ARENA_ALIGN - 1) / JSON_ARENA_ALIGN * JSON_ARENA_ALIGN;
        need += JSON_ARENA_REDZONE;
        if (size > 0 && need <= JSON_ARENA_SIZE - json_arena_used) {
            unsigned char *p = json_arena_bytes + json_arena_used;
            json_arena_last = json_arena_used;
            json_arena_used += need;
            json_arena_unpoison(p, size);
            return p;
        }
    }
    if (json_arena_active)
        json_arena_spills++;
    return malloc(size);
}

/* Blocks of the arena are given back all at once by json_arena_end, except the latest one,
 * given back at once: cJSON copies each number into a block that it frees right after strtod.
 * Anything else was malloc'd (by this hook, or by cJSON before the hooks were installed). */
static void json_arena_free(void *p)
{
    if (!json_arena_owns(p)) {
        free(p);
    } else if (json_arena_mine && p == json_arena_bytes + json_arena_last) {
        json_arena_poison(p, json_arena_used - json_arena_last);
        json_arena_used = json_arena_last;
    }
}

static void json_arena_install(void)
{
    cJSON_Hooks hooks = {.malloc_fn = json_arena_malloc, .free_fn = json_arena_free};
    json_arena_poison(json_arena_bytes, sizeof json_arena_bytes);
    cJSON_InitHooks(&hooks);
}

void json_arena_begin(void)
{
    pthread_once(&json_arena_once, json_arena_install);
    json_arena_spills = 0;
    json_arena_mine = !atomic_flag_test_and_set_explicit(&json_arena_busy, memory_order_acquire);
    if (json_arena_mine)
        json_arena_used = json_arena_last = 0;
    json_arena_active = true;
}

void json_arena_end(cJSON *root)
{
    if (root && json_arena_spills > 0)
        cJSON_Delete(root);
    json_arena_active = false;
    if (json_arena_mine) {
        json_arena_poison(json_arena_bytes, json_arena_used);
        json_arena_mine = false;
        atomic_flag_clear_explicit(&json_arena_busy, memory_order_release);
    }
}

size_t json_arena_spilled(void)
{
    return json_arena_spills;
}
