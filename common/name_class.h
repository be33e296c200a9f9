/* name_class.h -- the shapes of the generated Unicode tables of common/name.c (name_tables.c, made
 * at build time by common/gen/name_tables_gen.c from Debian's ICU); depends on libc only */
#ifndef NINE43_NAME_CLASS_H
#define NINE43_NAME_CLASS_H

#include <stddef.h>
#include <stdint.h>

/* What a code point is, for the name rules (NAME_OK is never listed). */
enum name_class {
    NAME_OK = 0,
    NAME_CONTROL = 1,    /* Cc */
    NAME_FORMAT = 2,     /* Cf: bidirectional controls, zero-width characters, BOM, tags */
    NAME_SEPARATOR = 3,  /* Zl, Zp: line and paragraph separators */
    NAME_SPACE = 4,      /* Zs and other White_Space: the ordinary space among them */
    NAME_INVISIBLE = 5,  /* Default_Ignorable_Code_Point that is none of the above, U+2800 */
    NAME_UNASSIGNED = 6, /* Cn, Co, Cs: no agreed glyph */
    NAME_MARK = 7,       /* Mn, Me, Mc: combines with what comes before */
};

/* The longest skeleton of one code point, in bytes. */
#define NAME_MAP_MAX_LEN 127

/* Code points lo..hi share a class; sorted, not overlapping. */
typedef struct name_range {
    uint32_t lo, hi;
    uint8_t cls;
} name_range_t;

/* The code point (low 21 bits) and the length of its skeleton (high bits) of name_map_t.key. */
#define NAME_MAP_CP(key)  ((key)&0x1FFFFFu)
#define NAME_MAP_LEN(key) ((key) >> 21)

/* A code point's skeleton is name_pool[off .. off + len); sorted by code point. Code points not
 * listed are their own skeleton, but for the Hangul syllables (U+AC00..U+D7A3), which name.c
 * splits into their letters (jamo) as Unicode's canonical decomposition does. */
typedef struct name_map {
    uint32_t key; /* code point | skeleton length << 21 */
    uint32_t off;
} name_map_t;

#define NAME_HANGUL_FIRST 0xAC00
#define NAME_HANGUL_LAST  0xD7A3

extern const name_range_t name_ranges[];
extern const size_t name_nranges;
extern const name_map_t name_maps[];
extern const size_t name_nmaps;
extern const char name_pool[];

#endif
