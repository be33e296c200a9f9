/* rng.h -- splitmix64, the one seeded generator of every program: small, and the same sequence
 * on every machine; header only, depends on stdint.h */
#ifndef NINE43_RNG_H
#define NINE43_RNG_H

#include <stdint.h>

/* Advances STATE and returns the next 64 random bits. */
static inline uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A uniform integer in [0, n), n > 0, without modulo bias (the uneven tail is drawn again). */
static inline uint32_t rng_below(uint64_t *state, uint32_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do {
        r = rng_next(state);
    } while (r >= limit);
    return (uint32_t)(r % n);
}

#endif
