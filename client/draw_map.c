/* draw_map.c -- draws a tile map scaled into a rectangle (the game's map, the vote's previews);
 * uses ui.h, and SDL through ui_sdl.h for pixel-exact tiles and the cached layer */
#include "draw_map.h"

#include "ui_sdl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The map's palette: a cool dark floor, raised slate walls with a lit top edge and a shadow
 * cast on the floor below, faint marks where players spawn and coins appear. */
static const ui_color_t MAP_FLOOR = {30, 36, 52, 255};
static const ui_color_t MAP_GRID = {37, 44, 63, 255};
static const ui_color_t MAP_WALL = {78, 92, 128, 255};
static const ui_color_t MAP_WALL_TOP = {122, 138, 180, 255};
static const ui_color_t MAP_SHADOW = {20, 24, 36, 255};
static const ui_color_t MAP_SPAWN = {60, 76, 108, 255};
static const ui_color_t MAP_COIN_SPOT = {52, 58, 74, 255};
static const ui_color_t PREVIEW_FLOOR = {36, 42, 60, 255};
static const ui_color_t PREVIEW_WALL = {112, 126, 166, 255};
static const ui_color_t PREVIEW_COIN = {230, 185, 60, 255};
static const ui_color_t PREVIEW_SPAWN = {110, 170, 230, 255};
static const ui_color_t COIN_RIM = {196, 140, 28, 255};
static const ui_color_t COIN_FACE = {250, 204, 64, 255};
static const ui_color_t COIN_SHINE = {255, 246, 200, 255};

#define MAP_WALL_TOP_FRACTION 0.18f   /* of a tile: the lit top edge of a wall */
#define MAP_SHADOW_FRACTION   0.22f   /* of a tile: the shadow below a wall */
#define MAP_GRID_MIN_TILE     10.0f   /* logical units: finer grids are noise */
#define COIN_RADIUS           0.24f   /* tiles */
#define COIN_BOB              0.05f   /* tiles up and down */
#define COIN_PERIOD_MS        1400.0f /* one bob */

map_fit_t map_fit(int map_w, int map_h, float rx, float ry, float rw, float rh)
{
    map_fit_t f;
    memset(&f, 0, sizeof f);
    f.map_w = map_w;
    f.map_h = map_h;
    if (map_w < 1 || map_h < 1 || rw < 1.0f || rh < 1.0f) {
        f.x = rx;
        f.y = ry;
        return f;
    }
    float tw = rw / (float)map_w, th = rh / (float)map_h;
    f.tile = tw < th ? tw : th;
    f.x = rx + (rw - f.tile * (float)map_w) / 2.0f;
    f.y = ry + (rh - f.tile * (float)map_h) / 2.0f;
    return f;
}

float map_fit_x(const map_fit_t *f, float tile_x)
{
    return f->x + tile_x * f->tile;
}

float map_fit_y(const map_fit_t *f, float tile_y)
{
    return f->y + tile_y * f->tile;
}

/* Logical units to the output's pixels the way ui maps them (the view centred in the output at
 * ui_scale pixels per unit). The map fills its rectangles here by pixel edges, each rounded
 * once: neighbouring runs then meet exactly, where rounding position and size apart (as float
 * rectangles are) leaves hairline seams at fractional scales. */
typedef struct pixels {
    SDL_Renderer *r;
    float scale, off_x, off_y;
} pixels_t;

static pixels_t pixels_of(ui_t *ui)
{
    pixels_t p = {ui_renderer(ui), ui_scale(ui), 0.0f, 0.0f};
    int ow = 0, oh = 0;
    if (SDL_GetRendererOutputSize(p.r, &ow, &oh) == 0) {
        p.off_x = ((float)ow - (float)ui_view_w(ui) * p.scale) / 2.0f;
        p.off_y = ((float)oh - (float)ui_view_h(ui) * p.scale) / 2.0f;
    }
    return p;
}

/* An opaque rectangle from logical (x0, y0) to (x1, y1), at least one pixel each way. */
static void fill_px(const pixels_t *p, float x0, float y0, float x1, float y1, ui_color_t color)
{
    int px0 = (int)lroundf(p->off_x + x0 * p->scale), px1 = (int)lroundf(p->off_x + x1 * p->scale);
    int py0 = (int)lroundf(p->off_y + y0 * p->scale), py1 = (int)lroundf(p->off_y + y1 * p->scale);
    SDL_Rect rc = {px0, py0, px1 > px0 ? px1 - px0 : 1, py1 > py0 ? py1 - py0 : 1};
    SDL_SetRenderDrawColor(p->r, color.r, color.g, color.b, 255);
    SDL_RenderFillRect(p->r, &rc);
}

/* Tiles [col, col+ncols) of row, from top to top+height (fractions of a tile). */
static void fill_tiles(const pixels_t *p, const map_fit_t *f, int col, int row, int ncols,
                       float top, float height, ui_color_t color)
{
    fill_px(p, map_fit_x(f, (float)col), map_fit_y(f, (float)row + top),
            map_fit_x(f, (float)(col + ncols)), map_fit_y(f, (float)row + top + height), color);
}

static bool is_wall(const char (*tiles)[WORLD_MAX_SIZE + 1], const map_fit_t *f, int c, int r)
{
    if (c < 0 || r < 0 || c >= f->map_w || r >= f->map_h)
        return true;
    return tiles[r][c] == WORLD_WALL;
}

/* What a run of tiles in a row is made of. */
typedef enum run_kind {
    RUN_WALL,
    RUN_WALL_TOP, /* a wall with floor (or nothing) above: its top edge is lit */
    RUN_SHADOW,   /* floor right below a wall */
} run_kind_t;

static bool run_has(const char (*tiles)[WORLD_MAX_SIZE + 1], const map_fit_t *f, run_kind_t kind,
                    int c, int r)
{
    switch (kind) {
    case RUN_WALL:
        return is_wall(tiles, f, c, r);
    case RUN_WALL_TOP:
        return is_wall(tiles, f, c, r) && !is_wall(tiles, f, c, r - 1);
    case RUN_SHADOW:
        return !is_wall(tiles, f, c, r) && is_wall(tiles, f, c, r - 1);
    }
    return false;
}

/* One rectangle per run of kind in row r: a map costs tens of rectangles, not thousands. */
static void fill_runs(const pixels_t *p, const char (*tiles)[WORLD_MAX_SIZE + 1],
                      const map_fit_t *f, int r, run_kind_t kind, float top, float height,
                      ui_color_t color)
{
    int c = 0;
    while (c < f->map_w) {
        if (!run_has(tiles, f, kind, c, r)) {
            c++;
            continue;
        }
        int start = c;
        while (c < f->map_w && run_has(tiles, f, kind, c, r))
            c++;
        fill_tiles(p, f, start, r, c - start, top, height, color);
    }
}

void draw_map(ui_t *ui, const char (*tiles)[WORLD_MAX_SIZE + 1], const map_fit_t *f, bool preview)
{
    if (f->tile <= 0.0f || f->map_w < 1 || f->map_h < 1)
        return;
    pixels_t p = pixels_of(ui);
    /* Every rectangle here is opaque: no blending (much cheaper in software). */
    SDL_BlendMode blend = SDL_BLENDMODE_BLEND;
    SDL_GetRenderDrawBlendMode(p.r, &blend);
    SDL_SetRenderDrawBlendMode(p.r, SDL_BLENDMODE_NONE);
    float x0 = f->x, y0 = f->y;
    float x1 = map_fit_x(f, (float)f->map_w), y1 = map_fit_y(f, (float)f->map_h);
    fill_px(&p, x0, y0, x1, y1, preview ? PREVIEW_FLOOR : MAP_FLOOR);

    if (preview) {
        for (int r = 0; r < f->map_h; r++) {
            fill_runs(&p, tiles, f, r, RUN_WALL, 0.0f, 1.0f, PREVIEW_WALL);
            /* Coin spots and spawns one by one: neighbours stay apart. */
            for (int c = 0; c < f->map_w; c++) {
                if (tiles[r][c] == WORLD_COIN || tiles[r][c] == WORLD_SPAWN)
                    fill_px(&p, map_fit_x(f, (float)c + 0.25f), map_fit_y(f, (float)r + 0.25f),
                            map_fit_x(f, (float)c + 0.75f), map_fit_y(f, (float)r + 0.75f),
                            tiles[r][c] == WORLD_COIN ? PREVIEW_COIN : PREVIEW_SPAWN);
            }
        }
        SDL_SetRenderDrawBlendMode(p.r, blend);
        return;
    }

    if (f->tile >= MAP_GRID_MIN_TILE) {
        float line = 1.0f / p.scale; /* one pixel */
        for (int c = 1; c < f->map_w; c++) {
            float x = map_fit_x(f, (float)c);
            fill_px(&p, x, y0, x + line, y1, MAP_GRID);
        }
        for (int r = 1; r < f->map_h; r++) {
            float y = map_fit_y(f, (float)r);
            fill_px(&p, x0, y, x1, y + line, MAP_GRID);
        }
    }
    for (int r = 0; r < f->map_h; r++) {
        /* Shadows first: the floor right below a wall. */
        fill_runs(&p, tiles, f, r, RUN_SHADOW, 0.0f, MAP_SHADOW_FRACTION, MAP_SHADOW);
        fill_runs(&p, tiles, f, r, RUN_WALL, 0.0f, 1.0f, MAP_WALL);
        fill_runs(&p, tiles, f, r, RUN_WALL_TOP, 0.0f, MAP_WALL_TOP_FRACTION, MAP_WALL_TOP);
    }
    SDL_SetRenderDrawBlendMode(p.r, blend);
    for (int r = 0; r < f->map_h; r++) {
        for (int c = 0; c < f->map_w; c++) {
            float cx = map_fit_x(f, (float)c + 0.5f), cy = map_fit_y(f, (float)r + 0.5f);
            if (tiles[r][c] == WORLD_SPAWN)
                ui_ring(ui, cx, cy, f->tile * 0.32f, f->tile * 0.06f + 1.0f, MAP_SPAWN);
            else if (tiles[r][c] == WORLD_COIN)
                ui_fill_circle(ui, cx, cy, f->tile * 0.12f, MAP_COIN_SPOT);
        }
    }
}

void draw_map_coin(ui_t *ui, map_disc_t *d, const map_fit_t *f, float tile_x, float tile_y,
                   unsigned now_ms)
{
    /* Each coin bobs on its own phase (from its position), so the field shimmers. */
    float phase = (tile_x * 1.7f + tile_y * 2.3f);
    float t = (float)(now_ms % 100000u) / COIN_PERIOD_MS * 6.2831853f + phase;
    float bob = sinf(t) * COIN_BOB;
    float cx = map_fit_x(f, tile_x), cy = map_fit_y(f, tile_y + bob);
    float r = COIN_RADIUS * f->tile;
    map_disc_fill(ui, d, cx, cy, r, COIN_RIM);
    map_disc_fill(ui, d, cx, cy, r * 0.74f, COIN_FACE);
    float shine = 0.22f + 0.08f * sinf(t * 1.5f);
    map_disc_fill(ui, d, cx - r * 0.3f, cy - r * 0.3f, r * shine, COIN_SHINE);
}

#define DISC_TEXTURE_PX 128 /* the disc's diameter in its texture: sharp up to that size */

void map_disc_free(map_disc_t *d)
{
    if (d->tex)
        SDL_DestroyTexture(d->tex);
    memset(d, 0, sizeof *d);
}

static SDL_Texture *disc_texture(SDL_Renderer *r)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, DISC_TEXTURE_PX, DISC_TEXTURE_PX, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    const float c = DISC_TEXTURE_PX / 2.0f;
    for (int y = 0; y < DISC_TEXTURE_PX; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < DISC_TEXTURE_PX; x++) {
            /* White, with the edge's pixel partly covered for a smooth rim when scaled. */
            float dist = hypotf((float)x + 0.5f - c, (float)y + 0.5f - c);
            float cover = c - dist + 0.5f;
            uint32_t a = cover >= 1.0f ? 255u : cover <= 0.0f ? 0u : (uint32_t)(cover * 255.0f);
            row[x] = a << 24 | 0xffffffu;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (t)
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

void map_disc_fill(ui_t *ui, map_disc_t *d, float cx, float cy, float r, ui_color_t color)
{
    if (!d->tex && !d->failed) {
        d->tex = disc_texture(ui_renderer(ui));
        d->failed = d->tex == NULL;
    }
    if (!d->tex) {
        ui_fill_circle(ui, cx, cy, r, color);
        return;
    }
    pixels_t p = pixels_of(ui);
    SDL_FRect dst = {p.off_x + (cx - r) * p.scale, p.off_y + (cy - r) * p.scale, 2.0f * r * p.scale,
                     2.0f * r * p.scale};
    SDL_SetTextureColorMod(d->tex, color.r, color.g, color.b);
    SDL_SetTextureAlphaMod(d->tex, color.a);
    SDL_RenderCopyF(p.r, d->tex, NULL, &dst);
}

void map_layer_free(map_layer_t *l)
{
    if (l->tex)
        SDL_DestroyTexture(l->tex);
    memset(l, 0, sizeof *l);
}

/* Redraws the layer: a texture as large as the output, so ui's coordinates land on the same
 * pixels in it as on the screen. */
static bool layer_render(ui_t *ui, map_layer_t *l, int w, int h, float scale, unsigned long key,
                         map_layer_fn draw, void *ctx)
{
    SDL_Renderer *r = ui_renderer(ui);
    if (!l->tex || l->w != w || l->h != h) {
        map_layer_free(l);
        SDL_Texture *t =
            SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
        if (!t)
            return false;
        /* Opaque: copying it is a plain copy, several times cheaper than blending. */
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_NONE);
        l->tex = t;
        l->w = w;
        l->h = h;
    }
    SDL_Texture *old = SDL_GetRenderTarget(r);
    if (SDL_SetRenderTarget(r, (SDL_Texture *)l->tex) != 0)
        return false;
    SDL_SetRenderDrawColor(r, UI_BG.r, UI_BG.g, UI_BG.b, 255);
    SDL_RenderClear(r);
    draw(ui, ctx);
    SDL_SetRenderTarget(r, old);
    l->scale = scale;
    l->key = key;
    return true;
}

bool map_layer_draw(ui_t *ui, map_layer_t *l, unsigned long key, map_layer_fn draw, void *ctx)
{
    SDL_Renderer *r = ui_renderer(ui);
    if (!SDL_RenderTargetSupported(r))
        return false;
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0 || w <= 0 || h <= 0)
        return false;
    float scale = ui_scale(ui);
    bool current = l->tex && l->w == w && l->h == h && l->scale == scale && l->key == key;
    if (!current && !layer_render(ui, l, w, h, scale, key, draw, ctx))
        return false;
    SDL_RenderCopy(r, (SDL_Texture *)l->tex, NULL, NULL);
    return true;
}
