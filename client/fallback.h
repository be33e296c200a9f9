/* fallback.h -- text whose characters one font lacks (emoji, symbols, other scripts): cut into
 * runs, each in the first font that has its characters, and a visible replacement for what no
 * font has, never an empty box; on SDL2_ttf */
#ifndef NINE43_FALLBACK_H
#define NINE43_FALLBACK_H

#include <SDL.h>
#include <SDL_ttf.h>

#define FALLBACK_MAX_FONTS 4      /* the main font and up to three fallbacks */
#define FALLBACK_MAX_RUNS  64     /* runs of one text; past them the rest stays in the last run */
#define FALLBACK_REPLACE   0xFFFD /* shown for a character no font has ('?' if even that lacks) */

/* fonts[0] is the main font; fonts[1..n-1] are tried in order (NULL entries are skipped).
 * Renders utf8 (blended, in color) as one surface, the runs on one baseline. NULL on failure. */
SDL_Surface *fallback_render(TTF_Font *const *fonts, int n, const char *utf8, SDL_Color color);
/* Width in pixels of the same text, as fallback_render would draw it; 0 on failure. */
int fallback_width(TTF_Font *const *fonts, int n, const char *utf8);

#endif
