/* test_client_ui.c -- ui.c on SDL's dummy video driver: the view follows the window, text is
 * rendered once and cached (bounded), wrapped text stays within its width */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "app.h"
#include "fallback.h"
#include "testutil.h"
#include "ui_sdl.h"

typedef struct fixture {
    SDL_Window *win;
    SDL_Renderer *ren;
    ui_t *ui;
} fixture_t;

static fixture_t *open_ui(int w, int h)
{
    fixture_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->win = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
    assert_non_null(f->win);
    f->ren = SDL_CreateRenderer(f->win, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(f->ren);
    char fonts[1024], err[256];
    snprintf(fonts, sizeof fonts, "%s/assets/fonts", tu_source_dir());
    f->ui = ui_create(f->ren, f->win, fonts, err, sizeof err);
    if (!f->ui)
        fprintf(stderr, "%s\n", err);
    assert_non_null(f->ui);
    ui_begin_frame(f->ui);
    return f;
}

static void close_ui(fixture_t *f)
{
    ui_destroy(f->ui);
    SDL_DestroyRenderer(f->ren);
    SDL_DestroyWindow(f->win);
    free(f);
}

/* 960x640 is the view itself; a wider window shows a wider view, never a narrower one. */
static void test_view_follows_window(void **state)
{
    (void)state;
    fixture_t *f = open_ui(960, 640);
    assert_int_equal(ui_view_w(f->ui), 960);
    assert_int_equal(ui_view_h(f->ui), UI_VIEW_H);
    assert_true(ui_scale(f->ui) > 0.99f && ui_scale(f->ui) < 1.01f);
    close_ui(f);

    f = open_ui(1920, 1080);
    assert_int_equal(ui_view_h(f->ui), UI_VIEW_H);
    assert_int_equal(ui_view_w(f->ui), 1137); /* 1920 / (1080 / 640) */
    assert_true(ui_scale(f->ui) > 1.68f && ui_scale(f->ui) < 1.69f);
    /* Text is rendered at the real size: a line is taller in pixels, the same in units. */
    int lh = ui_line_height(f->ui, UI_FONT_NORMAL);
    assert_true(lh >= 20 && lh <= 28);
    close_ui(f);

    f = open_ui(800, 600); /* narrower than 3:2: the minimum view, letterboxed */
    assert_int_equal(ui_view_w(f->ui), UI_VIEW_MIN_W);
    int x, y;
    ui_window_to_view(f->ui, 400, 300, &x, &y);
    assert_true(abs(x - 480) <= 1 && abs(y - 320) <= 1);
    ui_window_to_view(f->ui, 0, 300, &x, &y);
    assert_true(abs(x) <= 1);
    close_ui(f);
}

/* In a small window no text shrinks below UI_MIN_TEXT_PX: at 640x480 the 14-unit hints and
 * name tags would be 9 px, in the smallest window (480x320) 7 px. The layout measures the
 * larger text, so a line is taller in units there. */
static void test_small_window_text_stays_readable(void **state)
{
    (void)state;
    static const int sizes[][2] = {{640, 480}, {480, 320}};
    for (int i = 0; i < 2; i++) {
        fixture_t *f = open_ui(sizes[i][0], sizes[i][1]);
        float px = (float)ui_line_height(f->ui, UI_FONT_SMALL) * ui_scale(f->ui);
        assert_true(px >= UI_MIN_TEXT_PX);
        int w = ui_text(f->ui, UI_FONT_SMALL, 10, 10, UI_LEFT, UI_TEXT, "bob");
        assert_true((float)w * ui_scale(f->ui) >= 3 * UI_MIN_TEXT_PX / 2);
        close_ui(f);
    }
}

/* Drawing the same text again is a copy of the cached texture, not a new rendering. */
static void test_text_cached(void **state)
{
    (void)state;
    fixture_t *f = open_ui(960, 640);
    unsigned long m0 = ui_cache_misses(f->ui);
    for (int frame = 0; frame < 10; frame++) {
        ui_begin_frame(f->ui);
        ui_text(f->ui, UI_FONT_NORMAL, 10, 10, UI_LEFT, UI_TEXT, "Join a game");
        ui_text(f->ui, UI_FONT_LARGE, 10, 40, UI_LEFT, UI_TEXT, "Join a game");
    }
    assert_int_equal(ui_cache_misses(f->ui) - m0, 2); /* one per font */
    ui_text(f->ui, UI_FONT_NORMAL, 10, 10, UI_LEFT, UI_ACCENT, "Join a game");
    assert_int_equal(ui_cache_misses(f->ui) - m0, 3); /* another colour is another texture */
    assert_int_equal(ui_text(f->ui, UI_FONT_NORMAL, 0, 0, UI_LEFT, UI_TEXT, ""), 0);
    close_ui(f);
}

/* The cache is bounded: many different strings evict the least recently used. */
static void test_text_cache_bounded(void **state)
{
    (void)state;
    fixture_t *f = open_ui(960, 640);
    char s[32];
    for (int i = 0; i < UI_TEXT_CACHE_SIZE + 100; i++) {
        if (i % 50 == 0)
            ui_begin_frame(f->ui);
        snprintf(s, sizeof s, "line %d", i);
        ui_text(f->ui, UI_FONT_SMALL, 0, 0, UI_LEFT, UI_TEXT, s);
        /* One string is drawn every frame: it stays. */
        ui_text(f->ui, UI_FONT_SMALL, 0, 0, UI_LEFT, UI_TEXT, "always");
    }
    assert_int_equal(ui_cache_entries(f->ui), UI_TEXT_CACHE_SIZE);
    unsigned long m = ui_cache_misses(f->ui);
    ui_text(f->ui, UI_FONT_SMALL, 0, 0, UI_LEFT, UI_TEXT, "always");
    assert_int_equal(ui_cache_misses(f->ui), m);
    ui_text(f->ui, UI_FONT_SMALL, 0, 0, UI_LEFT, UI_TEXT, "line 0"); /* evicted long ago */
    assert_int_equal(ui_cache_misses(f->ui), m + 1);
    close_ui(f);
}

/* Wrapped text: every line fits the width; long words are broken; the height counts lines. */
static void test_text_wrapped(void **state)
{
    (void)state;
    fixture_t *f = open_ui(960, 640);
    int lh = ui_line_height(f->ui, UI_FONT_NORMAL);
    const char *text = "Connection lost: the server closed the connection (server said: "
                       "server shutting down)";
    int w = 300;
    int h = ui_text_wrapped(f->ui, UI_FONT_NORMAL, 0, 0, w, UI_LEFT, UI_TEXT, text, false);
    int one = ui_text_width(f->ui, UI_FONT_NORMAL, text);
    assert_true(h >= lh * ((one + w - 1) / w));
    assert_true(h <= lh * 8);
    assert_int_equal(
        ui_text_wrapped(f->ui, UI_FONT_NORMAL, 0, 0, 2000, UI_LEFT, UI_TEXT, text, true), lh);
    /* A word longer than the width is broken rather than drawn past it. */
    h = ui_text_wrapped(f->ui, UI_FONT_NORMAL, 0, 0, 100, UI_LEFT, UI_TEXT,
                        "abcdefghijklmnopqrstuvwxyz", true);
    assert_true(h >= 3 * lh);
    assert_int_equal(ui_text_wrapped(f->ui, UI_FONT_NORMAL, 0, 0, 100, UI_LEFT, UI_TEXT, "", true),
                     0);
    close_ui(f);
}

/* The scenes draw without error at the minimum and a wide view (smoke: no crash, no leak). */
static void test_scenes_draw(void **state)
{
    (void)state;
    static const int sizes[][2] = {{960, 640}, {1920, 1080}};
    for (size_t k = 0; k < 2; k++) {
        fixture_t *f = open_ui(sizes[k][0], sizes[k][1]);
        client_t *c = calloc(1, sizeof *c);
        app_init(c, NULL, NULL);
        c->view_w = ui_view_w(f->ui);
        snprintf(c->notice, sizeof c->notice,
                 "Connection lost: a long reason that wraps onto "
                 "more than one line of the notice box below");
        scene_id_t core[] = {SCENE_MENU,    SCENE_SETTINGS, SCENE_JOIN, SCENE_HOST,
                             SCENE_CONNECT, SCENE_USERNAME, SCENE_LOBBY};
        for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
            if (core[i] != SCENE_MENU)
                client_goto(c, core[i]);
            ui_begin_frame(f->ui);
            client_scene(c)->draw(c, f->ui);
        }
        free(c);
        close_ui(f);
    }
}

#define SYMBOLA "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"

static int opaque_pixels(SDL_Surface *surf)
{
    SDL_Surface *s = SDL_ConvertSurfaceFormat(surf, SDL_PIXELFORMAT_ARGB8888, 0);
    assert_non_null(s);
    int n = 0;
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++) {
            uint32_t v;
            memcpy(&v, (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch + (size_t)x * 4,
                   4);
            n += (v >> 24) > 64;
        }
    SDL_FreeSurface(s);
    return n;
}

/* An emoji the game's font lacks is drawn from the fallback font (fonts-symbola), in a run of
 * its own on the same line; a character no font has becomes a visible U+FFFD, and emoji joiners
 * and variation selectors take no room. */
static void test_text_fallback(void **state)
{
    (void)state;
    TTF_Font *sym = TTF_OpenFont(SYMBOLA, 20);
    if (!sym)
        skip(); /* scripts/deps.sh build installs fonts-symbola */
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/fonts/DejaVuSansMono.ttf", tu_source_dir());
    TTF_Font *mono = TTF_OpenFont(path, 20);
    assert_non_null(mono);
    TTF_Font *chain[FALLBACK_MAX_FONTS] = {mono, NULL, sym, NULL};
    assert_false(TTF_GlyphIsProvided32(mono, 0x1F642));
    int w_ab = fallback_width(chain, FALLBACK_MAX_FONTS, "ab");
    int w_emoji = fallback_width(chain, FALLBACK_MAX_FONTS, "\xf0\x9f\x99\x82");
    assert_true(w_emoji > 0);
    assert_int_equal(fallback_width(chain, FALLBACK_MAX_FONTS,
                                    "a\xf0\x9f\x99\x82"
                                    "b"),
                     w_ab + w_emoji);
    assert_int_equal(fallback_width(chain, FALLBACK_MAX_FONTS, "\xf0\x9f\x99\x82\xef\xb8\x8f"),
                     w_emoji);
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *alone = fallback_render(chain, FALLBACK_MAX_FONTS, "\xf0\x9f\x99\x82", white);
    assert_non_null(alone);
    assert_true(opaque_pixels(alone) > 20); /* a face, not an empty box */
    SDL_Surface *mixed = fallback_render(chain, FALLBACK_MAX_FONTS,
                                         "a\xf0\x9f\x99\x82"
                                         "b",
                                         white);
    assert_non_null(mixed);
    assert_int_equal(mixed->w, w_ab + w_emoji);
    assert_true(opaque_pixels(mixed) > opaque_pixels(alone));
    SDL_FreeSurface(alone);
    SDL_FreeSurface(mixed);
    /* U+10FFFD is in no font: the replacement character instead. */
    int w_none = fallback_width(chain, FALLBACK_MAX_FONTS, "\xf4\x8f\xbf\xbd");
    assert_true(w_none > 0);
    assert_int_equal(w_none, fallback_width(chain, FALLBACK_MAX_FONTS, "\xef\xbf\xbd"));
    TTF_CloseFont(mono);
    TTF_CloseFont(sym);
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "SDL: %s\n", SDL_GetError());
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_follows_window),
        cmocka_unit_test(test_text_cached),
        cmocka_unit_test(test_text_cache_bounded),
        cmocka_unit_test(test_text_wrapped),
        cmocka_unit_test(test_scenes_draw),
        cmocka_unit_test(test_text_fallback),
        cmocka_unit_test(test_small_window_text_stays_readable),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
