/* fallback.c -- text in runs of the fonts that have its characters, with a visible replacement
 * for the rest; uses fallback.h (SDL2, SDL2_ttf) */
#include "fallback.h"

#include <stdbool.h>
#include <string.h>

typedef struct fallback_run {
    int font;
    char text[1024 + 8];
    size_t len;
} fallback_run_t;

/* One code point of s at *i (advanced); invalid bytes give FALLBACK_REPLACE. */
static uint32_t fallback_next(const char *s, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    int n = p[0] < 0x80             ? 1
            : (p[0] & 0xe0) == 0xc0 ? 2
            : (p[0] & 0xf0) == 0xe0 ? 3
            : (p[0] & 0xf8) == 0xf0 ? 4
                                    : 0;
    if (n == 0) {
        (*i)++;
        return FALLBACK_REPLACE;
    }
    uint32_t cp = n == 1 ? p[0] : (uint32_t)(p[0] & (0x7f >> n));
    for (int k = 1; k < n; k++) {
        if ((p[k] & 0xc0) != 0x80) {
            *i += (size_t)k;
            return FALLBACK_REPLACE;
        }
        cp = (cp << 6) | (p[k] & 0x3f);
    }
    *i += (size_t)n;
    return cp;
}

static size_t fallback_put(char *dst, uint32_t cp)
{
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xc0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xe0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        dst[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    dst[0] = (char)(0xf0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    dst[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Joiners and variation selectors shape emoji sequences; alone they would show as boxes. */
static bool fallback_invisible(uint32_t cp)
{
    return cp == 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f);
}

static int fallback_font_for(TTF_Font *const *fonts, int n, uint32_t cp)
{
    for (int f = 0; f < n; f++)
        if (fonts[f] && TTF_GlyphIsProvided32(fonts[f], cp))
            return f;
    return -1;
}

/* Cuts utf8 into runs; returns how many. */
static int fallback_runs(TTF_Font *const *fonts, int n, const char *utf8, fallback_run_t *runs)
{
    int nruns = 0;
    size_t len = strlen(utf8);
    for (size_t i = 0; i < len;) {
        uint32_t cp = fallback_next(utf8, &i);
        if (fallback_invisible(cp))
            continue;
        int f = fallback_font_for(fonts, n, cp);
        if (f < 0) {
            cp = TTF_GlyphIsProvided32(fonts[0], FALLBACK_REPLACE) ? FALLBACK_REPLACE : '?';
            f = 0;
        }
        /* Out of runs, the last run's font draws the rest as well as it can. */
        if (nruns == 0 || (runs[nruns - 1].font != f && nruns < FALLBACK_MAX_RUNS)) {
            runs[nruns].font = f;
            runs[nruns].len = 0;
            nruns++;
        }
        fallback_run_t *r = &runs[nruns - 1];
        if (r->len + 4 < sizeof r->text)
            r->len += fallback_put(r->text + r->len, cp);
        r->text[r->len] = '\0';
    }
    return nruns;
}

static bool fallback_plain(const char *utf8)
{
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++)
        if (*p >= 0x80)
            return false;
    return true;
}

int fallback_width(TTF_Font *const *fonts, int n, const char *utf8)
{
    int w = 0, h = 0;
    if (fallback_plain(utf8))
        return TTF_SizeUTF8(fonts[0], utf8, &w, &h) == 0 ? w : 0;
    static fallback_run_t runs[FALLBACK_MAX_RUNS]; /* large; the client draws on one thread */
    int nruns = fallback_runs(fonts, n, utf8, runs);
    int total = 0;
    for (int r = 0; r < nruns; r++)
        if (TTF_SizeUTF8(fonts[runs[r].font], runs[r].text, &w, &h) == 0)
            total += w;
    return total;
}

SDL_Surface *fallback_render(TTF_Font *const *fonts, int n, const char *utf8, SDL_Color color)
{
    if (fallback_plain(utf8))
        return TTF_RenderUTF8_Blended(fonts[0], utf8, color);
    static fallback_run_t runs[FALLBACK_MAX_RUNS];
    int nruns = fallback_runs(fonts, n, utf8, runs);
    if (nruns == 1)
        return TTF_RenderUTF8_Blended(fonts[runs[0].font], runs[0].text, color);
    SDL_Surface *parts[FALLBACK_MAX_RUNS] = {0};
    int ascent = 0, w = 0, h = 0;
    for (int r = 0; r < nruns; r++)
        if (TTF_FontAscent(fonts[runs[r].font]) > ascent)
            ascent = TTF_FontAscent(fonts[runs[r].font]);
    for (int r = 0; r < nruns; r++) {
        parts[r] = runs[r].text[0]
                       ? TTF_RenderUTF8_Blended(fonts[runs[r].font], runs[r].text, color)
                       : NULL;
        if (!parts[r])
            continue;
        int top = ascent - TTF_FontAscent(fonts[runs[r].font]);
        w += parts[r]->w;
        if (top + parts[r]->h > h)
            h = top + parts[r]->h;
    }
    SDL_Surface *out = w > 0 && h > 0
                           ? SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888)
                           : NULL;
    int x = 0;
    for (int r = 0; r < nruns; r++) {
        if (!parts[r])
            continue;
        if (out) {
            /* Runs do not overlap: copy each one's pixels, alpha included. */
            SDL_SetSurfaceBlendMode(parts[r], SDL_BLENDMODE_NONE);
            SDL_Rect dst = {x, ascent - TTF_FontAscent(fonts[runs[r].font]), parts[r]->w,
                            parts[r]->h};
            SDL_BlitSurface(parts[r], NULL, out, &dst);
        }
        x += parts[r]->w;
        SDL_FreeSurface(parts[r]);
    }
    return out;
}
