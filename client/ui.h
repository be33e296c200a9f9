/* ui.h -- drawing in logical units: cached text, rectangles, circles, buttons (SDL2, SDL2_ttf) */
#ifndef NINE43_UI_H
#define NINE43_UI_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ui ui_t;

typedef struct ui_color {
    uint8_t r, g, b, a;
} ui_color_t;

typedef enum ui_font {
    UI_FONT_SMALL,  /* 14 logical px: hints, name tags */
    UI_FONT_NORMAL, /* 20: body text, buttons */
    UI_FONT_LARGE,  /* 28: headings */
    UI_FONT_TITLE,  /* 56: the game's title */
    UI_FONT_COUNT
} ui_font_t;

typedef enum ui_align {
    UI_LEFT,
    UI_CENTER,
    UI_RIGHT,
} ui_align_t;

/* The palette every scene uses, so screens look like one game. */
extern const ui_color_t UI_BG, UI_PANEL, UI_TEXT, UI_DIM, UI_ACCENT, UI_GOOD, UI_BAD, UI_FOCUS;

/* Scenes lay themselves out in logical units: the view is UI_VIEW_H high and at least
 * UI_VIEW_MIN_W wide (wider on wide windows). ui scales them to the window and renders text at
 * the window's real resolution, so it stays sharp on HiDPI and fullscreen. */
#define UI_VIEW_MIN_W 960
#define UI_VIEW_H     640
/* No text is rendered smaller than this many pixels, however small the window: in a 640x480
 * window the 14-unit hints and name tags would be 9 px. Widths and line heights are measured
 * on the real size, so layouts make room. */
#define UI_MIN_TEXT_PX 12

int ui_view_w(const ui_t *ui);
int ui_view_h(const ui_t *ui);

/* Text: rendered once into a texture and cached by (font, colour, string); drawing it again
 * is a copy. y is the top of the line. Returns the width drawn. */
int ui_text(ui_t *ui, ui_font_t font, int x, int y, ui_align_t align, ui_color_t color,
            const char *utf8);
int ui_text_width(ui_t *ui, ui_font_t font, const char *utf8);
/* Texts drawn from now on are this opaque (255 = as their colour says): a fading line keeps
 * its one cached texture instead of one per step of the fade. Set it back to 255 after. */
void ui_set_text_alpha(ui_t *ui, uint8_t alpha);
int ui_line_height(ui_t *ui, ui_font_t font);

/* Text broken at spaces into lines at most w wide (a word longer than w
 * is broken anywhere). Draws when draw is true; returns the height used either way. */
int ui_text_wrapped(ui_t *ui, ui_font_t font, int x, int y, int w, ui_align_t align,
                    ui_color_t color, const char *utf8, bool draw);

/* Drawing keeps inside the rectangle (logical units) until ui_clip_off: a zoomed map. */
void ui_clip(ui_t *ui, int x, int y, int w, int h);
void ui_clip_off(ui_t *ui);
void ui_fill_rect(ui_t *ui, int x, int y, int w, int h, ui_color_t color);
void ui_frame_rect(ui_t *ui, int x, int y, int w, int h, int thickness, ui_color_t color);
void ui_fill_circle(ui_t *ui, float cx, float cy, float r, ui_color_t color);
void ui_ring(ui_t *ui, float cx, float cy, float r, float thickness, ui_color_t color);
void ui_line(ui_t *ui, float x1, float y1, float x2, float y2, ui_color_t color);
/* Part of a ring: frac (0..1) of it, clockwise from the top, like a clock's hand. */
void ui_arc(ui_t *ui, float cx, float cy, float r, float thickness, float frac, ui_color_t color);

/* A button or list row: panel, label centred, highlighted when focused or hovered. */
void ui_button(ui_t *ui, int x, int y, int w, int h, const char *label, bool focused, bool enabled);
/* A text field with its caret (blinking on now_ms) when focused. */
void ui_text_field(ui_t *ui, int x, int y, int w, int h, const char *label, const char *value,
                   bool focused, uint32_t now_ms);

#endif
