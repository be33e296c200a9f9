/* palette.c -- the players' palette and the choice of a free colour; uses palette.h and hash.h */
#include "palette.h"

#include <limits.h>
#include <string.h>

#include "hash.h"

/* Picked by the greedy search of tests/test_palette.c's model (CIE76 distances after the
 * Machado 2009 simulations of protanopia, deuteranopia and tritanopia): every pair stays at
 * least PALETTE_TEST_MIN_PAIR apart in all four visions, every colour PALETTE_TEST_MIN_MAP from
 * the floor, walls and coins (PALETTE_TEST_MIN_COIN from a coin's gold, so that nobody looks
 * like a coin), and all are light enough to read on the dark floor. */
const palette_color_t PALETTE[PALETTE_COUNT] = {
    {"red", {235, 64, 52}},       {"mint", {102, 255, 194}},     {"violet", {194, 102, 255}},
    {"sky", {166, 219, 255}},     {"teal", {38, 153, 130}},      {"cream", {255, 255, 166}},
    {"apricot", {255, 163, 102}}, {"lavender", {184, 166, 255}}, {"olive", {153, 150, 99}},
    {"pink", {255, 102, 148}},    {"cyan", {10, 191, 191}},      {"magenta", {255, 102, 224}},
};

/* "Redmean": a cheap distance that follows the eye better than plain RGB. */
static long palette_distance(const uint8_t a[3], const uint8_t b[3])
{
    long rm = (a[0] + b[0]) / 2;
    long dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
    return ((512 + rm) * dr * dr >> 8) + 4 * dg * dg + ((767 - rm) * db * db >> 8);
}

int palette_nearest_free(int want, const bool used[PALETTE_COUNT])
{
    if (want < 0 || want >= PALETTE_COUNT)
        want = 0;
    if (!used[want])
        return want;
    int best = -1;
    long best_d = 0;
    for (int i = 0; i < PALETTE_COUNT; i++) {
        if (used[i])
            continue;
        long d = palette_distance(PALETTE[want].rgb, PALETTE[i].rgb);
        if (best < 0 || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

/* How far colour i is from the nearest colour in use (LONG_MAX when none is). */
static long palette_clearance(int i, const bool used[PALETTE_COUNT])
{
    long best = LONG_MAX;
    for (int k = 0; k < PALETTE_COUNT; k++) {
        if (!used[k])
            continue;
        long d = palette_distance(PALETTE[i].rgb, PALETTE[k].rgb);
        if (d < best)
            best = d;
    }
    return best;
}

int palette_distinct_free(int want, const bool used[PALETTE_COUNT])
{
    if (want >= 0 && want < PALETTE_COUNT && !used[want] &&
        palette_clearance(want, used) >= PALETTE_APART)
        return want;
    int best = -1;
    long best_d = -1;
    for (int i = 0; i < PALETTE_COUNT; i++) {
        if (used[i])
            continue;
        long d = palette_clearance(i, used);
        if (d > best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

int palette_find(const uint8_t rgb[3])
{
    for (int i = 0; i < PALETTE_COUNT; i++)
        if (memcmp(PALETTE[i].rgb, rgb, 3) == 0)
            return i;
    return -1;
}

int palette_for_name(const char *name)
{
    return (int)(hash32_bytes(HASH32_INIT, name, strlen(name)) % PALETTE_COUNT);
}
