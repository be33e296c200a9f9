/* hash.h -- FNV-1a, the one non-cryptographic hash of every program (cache keys, change checks,
 * hash tables), 32- and 64-bit, fed in pieces; header only, depends on stddef.h and stdint.h */
#ifndef NINE43_HASH_H
#define NINE43_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH32_INIT UINT32_C(2166136261)
#define HASH64_INIT UINT64_C(1469598103934665603)

/* h = hash32_bytes(HASH32_INIT, a, n); h = hash32_bytes(h, b, m); ... */
static inline uint32_t hash32_bytes(uint32_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT32_C(16777619);
    return h;
}

static inline uint64_t hash64_bytes(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT64_C(1099511628211);
    return h;
}

#endif
