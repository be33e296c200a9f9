/* json_arena.h -- one bump allocator that cJSON uses while proto_decode parses a line, so that a
 * line costs no malloc or free per node; malloc and free for every other use of cJSON */
#ifndef NINE43_JSON_ARENA_H
#define NINE43_JSON_ARENA_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Bytes one cJSON node may take in the arena: sizeof(cJSON) rounded up to JSON_ARENA_ALIGN
 * (64 on 64-bit systems; json_arena.c checks it). */
#define JSON_ARENA_NODE 64
/* Every block starts at a multiple of this, as malloc's do. */
#define JSON_ARENA_ALIGN 16

/* The sanitizer build keeps a poisoned gap after each block, so that reading past a node or a
 * string in the arena is caught as it would be past a malloc'd one. */
#if defined(__SANITIZE_ADDRESS__)
#define JSON_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JSON_ARENA_ASAN 1
#endif
#endif
#ifdef JSON_ARENA_ASAN
#define JSON_ARENA_REDZONE JSON_ARENA_ALIGN
#else
#define JSON_ARENA_REDZONE 0
#endif
/* The longest line the arena is sized for: proto.h's PROTO_MAX_LINE. Written here as a number
 * because the arena sits below proto and does not include it; test_json_arena fails to build
 * when the two differ. */
#define JSON_ARENA_MAX_LINE 16384
/* Bytes of the arena: enough for any line proto_decode parses (shorter than JSON_ARENA_MAX_LINE).
 * The densest JSON for cJSON is a list of one-digit numbers, a node per two bytes ("0,"); a
 * string takes a node and a copy of at least JSON_ARENA_ALIGN bytes for three bytes or more
 * ("\"\","), a member's name a copy for five ("\"\":0,"); the copy of a number that cJSON
 * makes for strtod is freed before the next block. So a line of N bytes needs at most N / 2
 * nodes' worth, plus the root and that copy. An allocation that does not fit (this bound broken by
 * a new cJSON, or the sanitizer build's red zones) goes to malloc, and free then really frees it.
 * The fuzz target builds with a small arena to take that path often. */
#ifndef JSON_ARENA_SIZE
#define JSON_ARENA_SIZE ((JSON_ARENA_MAX_LINE / 2 + 2) * JSON_ARENA_NODE)
#endif

/* Makes this thread's cJSON allocations come from the arena, from its start, until
 * json_arena_end. The first call installs the hooks (cJSON_InitHooks): no other thread may be
 * inside cJSON at that moment. If another thread holds the arena (two threads decoding at
 * once), this one gets malloc as before. Calls do not nest. */
void json_arena_begin(void);

/* Deletes root (may be NULL), which was parsed since json_arena_begin, and gives the arena
 * back. Nodes in the arena need no freeing: cJSON_Delete walks the tree only when some
 * allocation had to go to malloc. */
void json_arena_end(cJSON *root);

/* Allocations of this arena's current use that went to malloc (it was full or held by
 * another thread): 0 for any line proto_decode accepts. For tests and the benchmark. */
size_t json_arena_spilled(void);

#endif
