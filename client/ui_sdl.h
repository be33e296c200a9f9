/* ui_sdl.h -- the platform side of ui: made on an SDL renderer; frames, window->view mapping */
#ifndef NINE43_UI_SDL_H
#define NINE43_UI_SDL_H

#include <SDL.h>

#include "ui.h"

#define UI_TEXT_CACHE_SIZE 512 /* cached text textures; the least recently used goes first */

/* Opens the fonts from font_dir (DejaVuSansMono.ttf and DejaVuSansMono-Bold.ttf). Returns NULL
 * with a message in err when a font cannot be opened. */
ui_t *ui_create(SDL_Renderer *r, SDL_Window *w, const char *font_dir, char *err, size_t errlen);
void ui_destroy(ui_t *ui);

/* Starts a frame: reads the output size, recomputes the scale and view (reopening the fonts
 * at the new pixel size when it changed), clears to UI_BG. */
void ui_begin_frame(ui_t *ui);

/* Maps window coordinates (as in SDL mouse events) to logical units. */
void ui_window_to_view(const ui_t *ui, int wx, int wy, int *x, int *y);

/* Figures for the debug overlay and the benchmarks. */
float ui_scale(const ui_t *ui);
int ui_cache_entries(const ui_t *ui);
unsigned long ui_cache_misses(const ui_t *ui); /* texts rendered by SDL_ttf so far */

SDL_Renderer *ui_renderer(ui_t *ui);

#endif
