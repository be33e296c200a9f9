/* draw_map.h -- draws a tile map scaled into a rectangle (the game's map, the vote's previews);
 * uses ui.h, and SDL through ui_sdl.h for the cached layer */
#ifndef NINE43_DRAW_MAP_H
#define NINE43_DRAW_MAP_H

#include <stdbool.h>

#include "ui.h"
#include "world.h"

/* Where a map lands: its top-left corner and the size of one tile, in logical units. */
typedef struct map_fit {
    float x, y;
    float tile;
    int map_w, map_h; /* tiles */
} map_fit_t;

/* Fits a map of map_w x map_h tiles into the rectangle: as large as fits, aspect kept,
 * centred. Sizes below 1 give a zero tile. No SDL. */
map_fit_t map_fit(int map_w, int map_h, float rx, float ry, float rw, float rh);

/* A point in tiles (the simulation's tiles, e.g. 3.5, 2.5) to logical units. */
float map_fit_x(const map_fit_t *f, float tile_x);
float map_fit_y(const map_fit_t *f, float tile_y);

/* Draws the static part of a map (floor, walls, spawn marks, coin spots) at fit. A preview
 * leaves the small details out. tiles holds map_h rows of map_w characters. */
void draw_map(ui_t *ui, const char (*tiles)[WORLD_MAX_SIZE + 1], const map_fit_t *fit,
              bool preview);

/* A layer: what does not change between frames (background, map, panels) drawn once into a
 * texture as large as the output and copied, opaque, each frame. It is redrawn through draw
 * (ordinary ui_* calls) when key changes, or the output's size or scale does. Returns false
 * when the renderer has no target textures: the caller then draws directly. */
typedef struct map_layer {
    void *tex; /* SDL_Texture, NULL until first drawn */
    int w, h;  /* pixels: the output's size */
    float scale;
    unsigned long key;
} map_layer_t;
typedef void (*map_layer_fn)(ui_t *ui, void *ctx);
bool map_layer_draw(ui_t *ui, map_layer_t *layer, unsigned long key, map_layer_fn draw, void *ctx);
/* Frees the texture (while the renderer still exists); the layer can be drawn again. */
void map_layer_free(map_layer_t *layer);

/* Discs: one white disc texture, tinted and scaled for every small circle of a frame. A copy
 * is several times cheaper than the triangles ui_fill_circle rasterises in software. Falls
 * back to ui_fill_circle when the texture cannot be made. */
typedef struct map_disc {
    void *tex; /* SDL_Texture, NULL until first used */
    bool failed;
} map_disc_t;
void map_disc_fill(ui_t *ui, map_disc_t *d, float cx, float cy, float r, ui_color_t color);
void map_disc_free(map_disc_t *d);

/* A coin at a tile-centre position, with a gentle bob and shine driven by now_ms. */
void draw_map_coin(ui_t *ui, map_disc_t *d, const map_fit_t *fit, float tile_x, float tile_y,
                   unsigned now_ms);

#endif
