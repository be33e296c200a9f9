/* name.c -- the Unicode rules for player names and chat over the generated tables: checks,
 * confusable skeletons and the stripping of hidden characters; uses name.h, proto (the basic
 * username rules), utf8 and name_tables.c (generated into the build folder) */
#include "name.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

#define NAME_ZWNJ 0x200C /* zero-width non-joiner: Persian and Indic spelling */
#define NAME_ZWJ  0x200D /* zero-width joiner: emoji sequences */

/* Hangul syllables split into leading, vowel and trailing letters (Unicode 3.12). */
#define NAME_HANGUL_L    0x1100
#define NAME_HANGUL_V    0x1161
#define NAME_HANGUL_T    0x11A7
#define NAME_HANGUL_VCNT 21
#define NAME_HANGUL_TCNT 28

/* Decodes the well-formed sequence at s (its length in *n); a byte that starts none is itself. */
static uint32_t name_decode(const unsigned char *s, size_t *n)
{
    if (s[0] < 0x80) {
        *n = 1;
        return s[0];
    }
    size_t want = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    if (want == 1 || !utf8_valid((const char *)s, want)) {
        *n = 1;
        return s[0];
    }
    uint32_t cp = s[0] & (0x7F >> want);
    for (size_t i = 1; i < want; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    *n = want;
    return cp;
}

int name_class_of(unsigned long cp)
{
    size_t lo = 0, hi = name_nranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < name_ranges[mid].lo)
            hi = mid;
        else if (cp > name_ranges[mid].hi)
            lo = mid + 1;
        else
            return name_ranges[mid].cls;
    }
    return NAME_OK;
}

static int name_refuse(char *err, size_t errlen, const char *what, uint32_t cp)
{
    if (err && errlen > 0)
        snprintf(err, errlen, "username %s (U+%04X)", what, (unsigned)cp);
    return -1;
}

/* The refusal for a character of class cls at the name's start, end or inside; NULL: allowed. */
static const char *name_rule(int cls, uint32_t cp, bool first, bool last)
{
    switch (cls) {
    case NAME_CONTROL:
        return "contains a control character";
    case NAME_FORMAT:
        return "contains an invisible formatting character";
    case NAME_SEPARATOR:
        return "contains a line or paragraph separator";
    case NAME_INVISIBLE:
        return "contains an invisible character";
    case NAME_UNASSIGNED:
        return "contains an unassigned or private-use character";
    case NAME_SPACE:
        if (first || last)
            return "starts or ends with a space";
        return cp == ' ' ? NULL : "contains an unusual space: use an ordinary one";
    case NAME_MARK:
        return first ? "starts with a combining mark" : NULL;
    default:
        return NULL;
    }
}

int name_check(const char *name, char *err, size_t errlen)
{
    if (proto_check_username(name, err, errlen) < 0)
        return -1;
    const unsigned char *s = (const unsigned char *)name;
    size_t len = strlen(name);
    for (size_t i = 0; i < len;) {
        size_t n;
        uint32_t cp = name_decode(s + i, &n);
        const char *why = name_rule(name_class_of(cp), cp, i == 0, i + n == len);
        if (why)
            return name_refuse(err, errlen, why, cp);
        i += n;
    }
    return 0;
}

/* cp's entry in name_maps, or NULL when cp is its own skeleton. */
static const name_map_t *name_map_of(uint32_t cp)
{
    size_t lo = 0, hi = name_nmaps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t at = NAME_MAP_CP(name_maps[mid].key);
        if (cp < at)
            hi = mid;
        else if (cp > at)
            lo = mid + 1;
        else
            return &name_maps[mid];
    }
    return NULL;
}

/* Appends bytes to out when they fit whole; false when they do not (out stays terminated). */
static bool name_append(char *out, size_t cap, size_t *used, const char *bytes, size_t n)
{
    if (*used + n + 1 > cap)
        return false;
    memcpy(out + *used, bytes, n);
    *used += n;
    out[*used] = '\0';
    return true;
}

static bool name_append_cp(char *out, size_t cap, size_t *used, uint32_t cp)
{
    const name_map_t *m = name_map_of(cp);
    if (m)
        return name_append(out, cap, used, name_pool + m->off, NAME_MAP_LEN(m->key));
    char enc[4];
    size_t n;
    if (cp < 0x80) {
        enc[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        enc[0] = (char)(0xC0 | (cp >> 6));
        enc[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        enc[0] = (char)(0xE0 | (cp >> 12));
        enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        enc[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        enc[0] = (char)(0xF0 | (cp >> 18));
        enc[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        enc[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        enc[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return name_append(out, cap, used, enc, n);
}

void name_skeleton(const char *name, char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    const unsigned char *s = (const unsigned char *)name;
    size_t used = 0;
    for (size_t i = 0; s[i];) {
        size_t n;
        uint32_t cp = name_decode(s + i, &n);
        bool ok;
        if (n == 1 && cp >= 0x80) {
            ok = name_append(out, cap, &used, (const char *)s + i, 1); /* not UTF-8: as it is */
        } else if (cp >= NAME_HANGUL_FIRST && cp <= NAME_HANGUL_LAST) {
            uint32_t k = cp - NAME_HANGUL_FIRST;
            uint32_t t = k % NAME_HANGUL_TCNT;
            ok = name_append_cp(out, cap, &used,
                                NAME_HANGUL_L + k / (NAME_HANGUL_VCNT * NAME_HANGUL_TCNT)) &&
                 name_append_cp(out, cap, &used,
                                NAME_HANGUL_V + (k % (NAME_HANGUL_VCNT * NAME_HANGUL_TCNT)) /
                                                    NAME_HANGUL_TCNT) &&
                 (t == 0 || name_append_cp(out, cap, &used, NAME_HANGUL_T + t));
        } else {
            ok = name_append_cp(out, cap, &used, cp);
        }
        if (!ok)
            return;
        i += n;
    }
}

size_t name_trim(char *text)
{
    unsigned char *s = (unsigned char *)text;
    size_t start = 0, end = 0, n;
    for (size_t i = 0; s[i]; i += n) {
        bool space = name_class_of(name_decode(s + i, &n)) == NAME_SPACE;
        if (space && start == i)
            start = i + n; /* still in the leading spaces */
        else if (!space)
            end = i + n; /* the end of the last character that is not a space */
    }
    size_t len = end > start ? end - start : 0;
    memmove(s, s + start, len);
    s[len] = '\0';
    return len;
}

size_t name_strip_hidden(char *text)
{
    unsigned char *s = (unsigned char *)text;
    size_t w = 0;
    for (size_t i = 0; s[i];) {
        size_t n;
        uint32_t cp = name_decode(s + i, &n);
        int cls = name_class_of(cp);
        bool hidden =
            (cls == NAME_FORMAT && cp != NAME_ZWJ && cp != NAME_ZWNJ) || cls == NAME_SEPARATOR;
        if (!hidden) {
            memmove(s + w, s + i, n);
            w += n;
        }
        i += n;
    }
    s[w] = '\0';
    return w;
}
