/* palette.h -- the players' colours: a named palette chosen to stay apart from one another and
 * from the map, in normal vision and the three common colour-blindness types (tests/
 * test_palette.c checks it), and the nearest free colour when two players want the same one;
 * no SDL, depends on stdbool.h and stdint.h */
#ifndef NINE43_PALETTE_H
#define NINE43_PALETTE_H

#include <stdbool.h>
#include <stdint.h>

#define PALETTE_COUNT 12 /* colours to choose from; a group of 8 always finds free ones */

typedef struct palette_color {
    const char *name; /* "red": shown in Settings and in the clash notice */
    uint8_t rgb[3];
} palette_color_t;

extern const palette_color_t PALETTE[PALETTE_COUNT];

/* want when it is free, else the free colour that looks most like it (the smallest weighted
 * RGB distance; the lower index on a tie); -1 when every colour is used. */
int palette_nearest_free(int want, const bool used[PALETTE_COUNT]);
/* For a player who chose no colour: want when it is free and not too like a colour in use
 * (PALETTE_APART), else the free colour least like every colour in use; -1 when none is free.
 * Pink and magenta, or sky and lavender, are told apart side by side but not at a glance. */
/* The weighted RGB distance ("redmean", squared) from which two colours differ at a glance. */
#define PALETTE_APART 20000
int palette_distinct_free(int want, const bool used[PALETTE_COUNT]);
/* The index of the colour rgb, or -1 when it is not in the palette. */
int palette_find(const uint8_t rgb[3]);
/* A colour for a player who chose none: the same for the same name, round after round. */
int palette_for_name(const char *name);

#endif
