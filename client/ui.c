/* ui.c -- drawing in logical units on SDL2: scaling to the window, sharp fonts with fallbacks
 * (fallback.h) for emoji and other scripts, a text texture cache */
#include "ui_sdl.h"

#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fallback.h"
#include "hash.h"

/* A dark slate theme with one warm accent. */
const ui_color_t UI_BG = {18, 21, 30, 255};
const ui_color_t UI_PANEL = {32, 37, 52, 255};
const ui_color_t UI_TEXT = {226, 230, 240, 255};
const ui_color_t UI_DIM = {128, 136, 158, 255};
const ui_color_t UI_ACCENT = {255, 176, 59, 255};
const ui_color_t UI_GOOD = {96, 206, 128, 255};
const ui_color_t UI_BAD = {240, 96, 96, 255};
const ui_color_t UI_FOCUS = {58, 66, 92, 255};

static const int font_logical_px[UI_FONT_COUNT] = {14, 20, 28, 56};
static const bool font_bold[UI_FONT_COUNT] = {false, false, true, true};

#define UI_TEXT_MAX_BYTES  1024 /* longer strings are drawn, but not cached */
#define UI_CIRCLE_SEGMENTS 48
/* A ring gets segments by its size in pixels: a player's 11-pixel ring looks round with 17,
 * and every triangle costs the software renderer as much as a big one. */
#define UI_RING_MIN_SEGMENTS    16
#define UI_RING_SEGMENTS_PER_PX 1.5f

typedef struct text_entry {
    SDL_Texture *tex; /* NULL = free slot */
    uint32_t hash;
    ui_font_t font;
    ui_color_t color;
    int w, h; /* pixels */
    uint64_t last_used;
    char *text;
} text_entry_t;

struct ui {
    SDL_Renderer *r;
    SDL_Window *win;
    char font_dir[512];
    TTF_Font *fonts[UI_FONT_COUNT];
    /* Each size's fallbacks for what DejaVu Sans Mono lacks (ui_fallback_paths), after it. */
    TTF_Font *chain[UI_FONT_COUNT][FALLBACK_MAX_FONTS];
    int font_px[UI_FONT_COUNT];
    float scale;        /* pixels per logical unit */
    float off_x, off_y; /* pixels: centring when the window is narrower than the minimum view */
    int view_w, view_h;
    text_entry_t cache[UI_TEXT_CACHE_SIZE];
    uint64_t frame;
    unsigned long misses;
    uint8_t text_alpha; /* applied when a cached text is drawn (fading chat); 0 means 255 */
};

static void cache_clear(ui_t *ui)
{
    for (int i = 0; i < UI_TEXT_CACHE_SIZE; i++) {
        if (ui->cache[i].tex)
            SDL_DestroyTexture(ui->cache[i].tex);
        free(ui->cache[i].text);
        memset(&ui->cache[i], 0, sizeof ui->cache[i]);
    }
}

/* Fonts of Debian packages that fill the gaps of the game's own font, tried in this order; a
 * missing file is skipped (scripts/deps.sh installs fonts-symbola with the build). */
static const char *const ui_fallback_paths[FALLBACK_MAX_FONTS - 1] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",            /* more scripts */
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", /* emoji, symbols */
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",     /* Chinese, Japanese, Korean */
};

static void fonts_close_chain(ui_t *ui, int i)
{
    for (int k = 1; k < FALLBACK_MAX_FONTS; k++) {
        if (ui->chain[i][k])
            TTF_CloseFont(ui->chain[i][k]);
        ui->chain[i][k] = NULL;
    }
    ui->chain[i][0] = NULL;
}

static void fonts_close(ui_t *ui)
{
    for (int i = 0; i < UI_FONT_COUNT; i++) {
        if (ui->fonts[i])
            TTF_CloseFont(ui->fonts[i]);
        ui->fonts[i] = NULL;
        fonts_close_chain(ui, i);
    }
}

/* The main font of size i, then its fallbacks at the same pixel size. */
static void fonts_open_chain(ui_t *ui, int i, int px)
{
    fonts_close_chain(ui, i);
    ui->chain[i][0] = ui->fonts[i];
    for (int k = 1; k < FALLBACK_MAX_FONTS; k++) {
        ui->chain[i][k] = TTF_OpenFont(ui_fallback_paths[k - 1], px);
        if (ui->chain[i][k])
            TTF_SetFontHinting(ui->chain[i][k], TTF_HINTING_LIGHT);
    }
}

/* Opens every font at its pixel size for the current scale; text rendered at the real size is
 * sharp, where scaling a texture rendered at logical size would blur. */
static int fonts_open(ui_t *ui, char *err, size_t errlen)
{
    for (int i = 0; i < UI_FONT_COUNT; i++) {
        int px = (int)lroundf(font_logical_px[i] * ui->scale);
        if (px < UI_MIN_TEXT_PX)
            px = UI_MIN_TEXT_PX;
        if (ui->fonts[i] && ui->font_px[i] == px)
            continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", ui->font_dir,
                 font_bold[i] ? "DejaVuSansMono-Bold.ttf" : "DejaVuSansMono.ttf");
        TTF_Font *f = TTF_OpenFont(path, px);
        if (!f) {
            if (err)
                snprintf(err, errlen, "cannot open font %s: %s", path, TTF_GetError());
            return -1;
        }
        TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
        if (ui->fonts[i])
            TTF_CloseFont(ui->fonts[i]);
        ui->fonts[i] = f;
        ui->font_px[i] = px;
        fonts_open_chain(ui, i, px);
    }
    return 0;
}

static void compute_view(ui_t *ui)
{
    int ow = 0, oh = 0;
    if (SDL_GetRendererOutputSize(ui->r, &ow, &oh) != 0 || ow <= 0 || oh <= 0) {
        ow = UI_VIEW_MIN_W;
        oh = UI_VIEW_H;
    }
    /* The view is always UI_VIEW_H high; a wider window shows a wider view rather than
     * black bars. Only a window narrower than the minimum ratio gets bars, top and bottom. */
    float scale = (float)oh / UI_VIEW_H;
    float vw = ow / scale;
    if (vw < UI_VIEW_MIN_W) {
        scale = (float)ow / UI_VIEW_MIN_W;
        vw = UI_VIEW_MIN_W;
    }
    ui->scale = scale;
    ui->view_w = (int)vw;
    ui->view_h = UI_VIEW_H;
    ui->off_x = (ow - ui->view_w * scale) / 2;
    ui->off_y = (oh - ui->view_h * scale) / 2;
}

ui_t *ui_create(SDL_Renderer *r, SDL_Window *w, const char *font_dir, char *err, size_t errlen)
{
    ui_t *ui = calloc(1, sizeof *ui);
    if (!ui) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ui->r = r;
    ui->win = w;
    snprintf(ui->font_dir, sizeof ui->font_dir, "%s", font_dir);
    compute_view(ui);
    if (fonts_open(ui, err, errlen) != 0) {
        fonts_close(ui);
        free(ui);
        return NULL;
    }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return ui;
}

void ui_destroy(ui_t *ui)
{
    if (!ui)
        return;
    cache_clear(ui);
    fonts_close(ui);
    free(ui);
}

void ui_begin_frame(ui_t *ui)
{
    float old = ui->scale;
    compute_view(ui);
    if (fabsf(old - ui->scale) > 0.001f) {
        char err[256];
        cache_clear(ui); /* textures of the old size */
        if (fonts_open(ui, err, sizeof err) != 0)
            SDL_Log("%s", err); /* keep the fonts we had; text is then just blurrier */
    }
    ui->frame++;
    SDL_SetRenderDrawColor(ui->r, UI_BG.r, UI_BG.g, UI_BG.b, 255);
    SDL_RenderClear(ui->r);
}

void ui_window_to_view(const ui_t *ui, int wx, int wy, int *x, int *y)
{
    /* Window points differ from output pixels on HiDPI screens. */
    int ww = 1, wh = 1, ow = 1, oh = 1;
    SDL_GetWindowSize(ui->win, &ww, &wh);
    SDL_GetRendererOutputSize(ui->r, &ow, &oh);
    float px = ww > 0 ? wx * (float)ow / ww : wx;
    float py = wh > 0 ? wy * (float)oh / wh : wy;
    *x = (int)floorf((px - ui->off_x) / ui->scale);
    *y = (int)floorf((py - ui->off_y) / ui->scale);
}

float ui_scale(const ui_t *ui)
{
    return ui->scale;
}

int ui_cache_entries(const ui_t *ui)
{
    int n = 0;
    for (int i = 0; i < UI_TEXT_CACHE_SIZE; i++)
        n += ui->cache[i].tex != NULL;
    return n;
}

unsigned long ui_cache_misses(const ui_t *ui)
{
    return ui->misses;
}

SDL_Renderer *ui_renderer(ui_t *ui)
{
    return ui->r;
}

int ui_view_w(const ui_t *ui)
{
    return ui->view_w;
}

int ui_view_h(const ui_t *ui)
{
    return ui->view_h;
}

static float px_x(const ui_t *ui, float x)
{
    return ui->off_x + x * ui->scale;
}

static float px_y(const ui_t *ui, float y)
{
    return ui->off_y + y * ui->scale;
}

static uint32_t hash_text(const char *s, ui_font_t font, ui_color_t c)
{
    uint32_t h = hash32_bytes(HASH32_INIT, s, strlen(s));
    h = hash32_bytes(h, &font, sizeof font);
    return hash32_bytes(h, &c, sizeof c);
}

/* The cached texture of a text, rendering it on a miss (evicting the least recently used). */
static text_entry_t *text_get(ui_t *ui, ui_font_t font, ui_color_t color, const char *s)
{
    if ((unsigned)font >= UI_FONT_COUNT || !s || !s[0] || !ui->fonts[font])
        return NULL;
    size_t len = strlen(s);
    if (len > UI_TEXT_MAX_BYTES)
        len = UI_TEXT_MAX_BYTES;
    char buf[UI_TEXT_MAX_BYTES + 1];
    memcpy(buf, s, len);
    buf[len] = '\0';
    uint32_t h = hash_text(buf, font, color);
    int victim = 0;
    for (int i = 0; i < UI_TEXT_CACHE_SIZE; i++) {
        text_entry_t *e = &ui->cache[i];
        if (e->tex && e->hash == h && e->font == font && !memcmp(&e->color, &color, sizeof color) &&
            strcmp(e->text, buf) == 0) {
            e->last_used = ui->frame;
            return e;
        }
        if (!e->tex) {
            if (ui->cache[victim].tex)
                victim = i;
        } else if (ui->cache[victim].tex && e->last_used < ui->cache[victim].last_used) {
            victim = i;
        }
    }
    SDL_Color sc = {color.r, color.g, color.b, color.a};
    SDL_Surface *surf = fallback_render(ui->chain[font], FALLBACK_MAX_FONTS, buf, sc);
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(ui->r, surf);
    int w = surf->w, hgt = surf->h;
    SDL_FreeSurface(surf);
    char *copy = strdup(buf);
    if (!tex || !copy) {
        if (tex)
            SDL_DestroyTexture(tex);
        free(copy);
        return NULL;
    }
    ui->misses++;
    text_entry_t *e = &ui->cache[victim];
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    free(e->text);
    e->tex = tex;
    e->hash = h;
    e->font = font;
    e->color = color;
    e->w = w;
    e->h = hgt;
    e->text = copy;
    e->last_used = ui->frame;
    return e;
}

int ui_text(ui_t *ui, ui_font_t font, int x, int y, ui_align_t align, ui_color_t color,
            const char *utf8)
{
    text_entry_t *e = text_get(ui, font, color, utf8);
    if (!e)
        return 0;
    float lw = e->w / ui->scale;
    float lx = (float)x;
    if (align == UI_CENTER)
        lx -= lw / 2;
    else if (align == UI_RIGHT)
        lx -= lw;
    SDL_Rect dst = {(int)lroundf(px_x(ui, lx)), (int)lroundf(px_y(ui, (float)y)), e->w, e->h};
    if (ui->text_alpha) {
        SDL_SetTextureAlphaMod(e->tex, ui->text_alpha);
        SDL_RenderCopy(ui->r, e->tex, NULL, &dst);
        SDL_SetTextureAlphaMod(e->tex, 255);
    } else {
        SDL_RenderCopy(ui->r, e->tex, NULL, &dst);
    }
    return (int)ceilf(lw);
}

void ui_set_text_alpha(ui_t *ui, uint8_t alpha)
{
    ui->text_alpha = alpha == 255 ? 0 : (alpha ? alpha : 1);
}

int ui_text_width(ui_t *ui, ui_font_t font, const char *utf8)
{
    if ((unsigned)font >= UI_FONT_COUNT || !utf8 || !utf8[0] || !ui->fonts[font])
        return 0;
    return (int)ceilf(fallback_width(ui->chain[font], FALLBACK_MAX_FONTS, utf8) / ui->scale);
}

int ui_line_height(ui_t *ui, ui_font_t font)
{
    if ((unsigned)font >= UI_FONT_COUNT || !ui->fonts[font])
        return 0;
    return (int)ceilf(TTF_FontLineSkip(ui->fonts[font]) / ui->scale);
}

static void set_color(ui_t *ui, ui_color_t c)
{
    SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, c.a);
}

void ui_clip(ui_t *ui, int x, int y, int w, int h)
{
    SDL_Rect r = {(int)px_x(ui, (float)x), (int)px_y(ui, (float)y), (int)((float)w * ui->scale),
                  (int)((float)h * ui->scale)};
    SDL_RenderSetClipRect(ui->r, &r);
}

void ui_clip_off(ui_t *ui)
{
    SDL_RenderSetClipRect(ui->r, NULL);
}

void ui_fill_rect(ui_t *ui, int x, int y, int w, int h, ui_color_t color)
{
    SDL_FRect r = {px_x(ui, (float)x), px_y(ui, (float)y), w * ui->scale, h * ui->scale};
    set_color(ui, color);
    if (color.a < 255) {
        SDL_RenderFillRectF(ui->r, &r);
        return;
    }
    /* An opaque rectangle needs no blending: the software renderer then fills instead of
     * blending pixel by pixel, several times faster. */
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
    SDL_RenderFillRectF(ui->r, &r);
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_BLEND);
}

void ui_frame_rect(ui_t *ui, int x, int y, int w, int h, int thickness, ui_color_t color)
{
    if (thickness <= 0)
        return;
    ui_fill_rect(ui, x, y, w, thickness, color);
    ui_fill_rect(ui, x, y + h - thickness, w, thickness, color);
    ui_fill_rect(ui, x, y + thickness, thickness, h - 2 * thickness, color);
    ui_fill_rect(ui, x + w - thickness, y + thickness, thickness, h - 2 * thickness, color);
}

static SDL_Color sdl_color(ui_color_t c)
{
    return (SDL_Color){c.r, c.g, c.b, c.a};
}

void ui_fill_circle(ui_t *ui, float cx, float cy, float r, ui_color_t color)
{
    SDL_Vertex v[UI_CIRCLE_SEGMENTS + 1];
    int idx[UI_CIRCLE_SEGMENTS * 3];
    float pcx = px_x(ui, cx), pcy = px_y(ui, cy), pr = r * ui->scale;
    SDL_Color sc = sdl_color(color);
    v[0] = (SDL_Vertex){{pcx, pcy}, sc, {0, 0}};
    for (int i = 0; i < UI_CIRCLE_SEGMENTS; i++) {
        float a = (float)i * 2.0f * (float)M_PI / UI_CIRCLE_SEGMENTS;
        v[i + 1] = (SDL_Vertex){{pcx + cosf(a) * pr, pcy + sinf(a) * pr}, sc, {0, 0}};
        idx[i * 3] = 0;
        idx[i * 3 + 1] = i + 1;
        idx[i * 3 + 2] = (i + 1) % UI_CIRCLE_SEGMENTS + 1;
    }
    SDL_RenderGeometry(ui->r, NULL, v, UI_CIRCLE_SEGMENTS + 1, idx, UI_CIRCLE_SEGMENTS * 3);
}

static int ring_segments(float outer_px)
{
    int n = (int)ceilf(outer_px * UI_RING_SEGMENTS_PER_PX);
    return n < UI_RING_MIN_SEGMENTS ? UI_RING_MIN_SEGMENTS
           : n > UI_CIRCLE_SEGMENTS ? UI_CIRCLE_SEGMENTS
                                    : n;
}

void ui_ring(ui_t *ui, float cx, float cy, float r, float thickness, ui_color_t color)
{
    ui_arc(ui, cx, cy, r, thickness, 1.0f, color);
}

void ui_arc(ui_t *ui, float cx, float cy, float r, float thickness, float frac, ui_color_t color)
{
    if (!(frac > 0.0f))
        return;
    if (frac > 1.0f)
        frac = 1.0f;
    SDL_Vertex v[(UI_CIRCLE_SEGMENTS + 1) * 2];
    int idx[UI_CIRCLE_SEGMENTS * 6];
    float pcx = px_x(ui, cx), pcy = px_y(ui, cy);
    float outer = r * ui->scale, inner = (r - thickness) * ui->scale;
    int n = (int)ceilf(frac * (float)ring_segments(outer));
    if (inner < 0)
        inner = 0;
    SDL_Color sc = sdl_color(color);
    for (int i = 0; i <= n; i++) {
        float a = -(float)M_PI / 2.0f + 2.0f * (float)M_PI * frac * (float)i / (float)n;
        float ca = cosf(a), sa = sinf(a);
        v[i * 2] = (SDL_Vertex){{pcx + ca * outer, pcy + sa * outer}, sc, {0, 0}};
        v[i * 2 + 1] = (SDL_Vertex){{pcx + ca * inner, pcy + sa * inner}, sc, {0, 0}};
    }
    for (int i = 0; i < n; i++) {
        int o0 = i * 2, i0 = o0 + 1, o1 = o0 + 2, i1 = o0 + 3;
        int *t = &idx[i * 6];
        t[0] = o0, t[1] = o1, t[2] = i0;
        t[3] = i0, t[4] = o1, t[5] = i1;
    }
    SDL_RenderGeometry(ui->r, NULL, v, (n + 1) * 2, idx, n * 6);
}

void ui_line(ui_t *ui, float x1, float y1, float x2, float y2, ui_color_t color)
{
    set_color(ui, color);
    SDL_RenderDrawLineF(ui->r, px_x(ui, x1), px_y(ui, y1), px_x(ui, x2), px_y(ui, y2));
}

void ui_button(ui_t *ui, int x, int y, int w, int h, const char *label, bool focused, bool enabled)
{
    ui_fill_rect(ui, x, y, w, h, focused && enabled ? UI_FOCUS : UI_PANEL);
    if (focused && enabled)
        ui_fill_rect(ui, x, y, 4, h, UI_ACCENT); /* a marker bar on the left */
    ui_frame_rect(ui, x, y, w, h, 1, focused && enabled ? UI_ACCENT : UI_FOCUS);
    int th = ui_line_height(ui, UI_FONT_NORMAL);
    ui_text(ui, UI_FONT_NORMAL, x + w / 2, y + (h - th) / 2, UI_CENTER,
            !enabled ? UI_DIM : (focused ? UI_ACCENT : UI_TEXT), label);
}

void ui_text_field(ui_t *ui, int x, int y, int w, int h, const char *label, const char *value,
                   bool focused, uint32_t now_ms)
{
    int lh_small = ui_line_height(ui, UI_FONT_SMALL);
    if (label && label[0])
        ui_text(ui, UI_FONT_SMALL, x, y - lh_small - 2, UI_LEFT, focused ? UI_ACCENT : UI_DIM,
                label);
    ui_fill_rect(ui, x, y, w, h, UI_PANEL);
    ui_frame_rect(ui, x, y, w, h, focused ? 2 : 1, focused ? UI_ACCENT : UI_FOCUS);
    int th = ui_line_height(ui, UI_FONT_NORMAL);
    int pad = 10;
    const char *shown = value ? value : "";
    /* Show the end of a value too long for the box (where the caret is). */
    while (*shown && ui_text_width(ui, UI_FONT_NORMAL, shown) > w - 2 * pad - 10) {
        shown++;
        while (((unsigned char)*shown & 0xC0) == 0x80)
            shown++;
    }
    int tw = ui_text(ui, UI_FONT_NORMAL, x + pad, y + (h - th) / 2, UI_LEFT, UI_TEXT, shown);
    if (focused && (now_ms / 500) % 2 == 0)
        ui_fill_rect(ui, x + pad + tw + 1, y + (h - th) / 2 + 2, 2, th - 4, UI_ACCENT);
}

/* Bytes of s that fit in w logical units on one line, breaking after a space when it can.
 * The width of a prefix grows with its length, so a binary search over code point
 * boundaries needs only a few measurements. */
static size_t wrap_fit(ui_t *ui, ui_font_t font, const char *s, int w)
{
    size_t bounds[UI_TEXT_MAX_BYTES + 1];
    char line[UI_TEXT_MAX_BYTES + 1];
    size_t len = strlen(s), nb = 0;
    for (size_t i = 1; i <= len && i <= UI_TEXT_MAX_BYTES; i++)
        if (i == len || ((unsigned char)s[i] & 0xC0) != 0x80)
            bounds[nb++] = i;
    size_t lo = 0, hi = nb; /* bounds[0..lo) fit; bounds[hi..) do not */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        memcpy(line, s, bounds[mid]);
        line[bounds[mid]] = '\0';
        if (ui_text_width(ui, font, line) <= w)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return nb > 0 ? bounds[0] : 0; /* not even one character fits: show it anyway */
    size_t fit = bounds[lo - 1];
    if (fit >= len)
        return len;
    for (size_t i = fit; i > 0; i--)
        if (s[i - 1] == ' ' || s[i] == ' ')
            return s[i] == ' ' ? i + 1 : i;
    return fit;
}

int ui_text_wrapped(ui_t *ui, ui_font_t font, int x, int y, int w, ui_align_t align,
                    ui_color_t color, const char *utf8, bool draw)
{
    int lh = ui_line_height(ui, font);
    int h = 0;
    const char *s = utf8 ? utf8 : "";
    char line[UI_TEXT_MAX_BYTES + 1];
    while (*s) {
        size_t n = wrap_fit(ui, font, s, w);
        if (n == 0)
            break;
        memcpy(line, s, n);
        line[n] = '\0';
        size_t end = n;
        while (end > 0 && line[end - 1] == ' ')
            line[--end] = '\0';
        if (draw)
            ui_text(ui, font, x, y + h, align, color, line);
        h += lh;
        s += n;
    }
    return h;
}
