/* name_tables_gen.c -- build-time generator of common/name.c's tables from Debian's ICU (its
 * Unicode character data and its TR39 confusables): the class of every code point a name may
 * not hold, and each code point's skeleton; writes C to stdout; runs on the build machine only */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "../name_class.h"

#define GEN_MAX_CP   0x10FFFF
#define GEN_SKELETON 256 /* bytes of one code point's skeleton: the longest is 18 code points */
#define GEN_ROUNDS   4   /* skeleton-fold-skeleton applied until it no longer changes */

/* U+2800 BRAILLE PATTERN BLANK is a symbol (So) that draws nothing: the one invisible character
 * the Unicode properties do not mark as ignorable. */
#define GEN_BLANK_SYMBOL 0x2800

static int gen_class(UChar32 c)
{
    switch (u_charType(c)) {
    case U_CONTROL_CHAR:
        return NAME_CONTROL;
    case U_FORMAT_CHAR:
        return NAME_FORMAT;
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
        return NAME_SEPARATOR;
    case U_SPACE_SEPARATOR:
        return NAME_SPACE;
    case U_UNASSIGNED:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
        return NAME_UNASSIGNED;
    default:
        break;
    }
    if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE))
        return NAME_SPACE;
    if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || c == GEN_BLANK_SYMBOL)
        return NAME_INVISIBLE;
    switch (u_charType(c)) {
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
        return NAME_MARK;
    default:
        return NAME_OK;
    }
}

static void gen_ranges(void)
{
    printf("const name_range_t name_ranges[] = {\n");
    long n = 0;
    UChar32 lo = 0;
    int cls = gen_class(0);
    for (UChar32 c = 1; c <= GEN_MAX_CP + 1; c++) {
        int k = c <= GEN_MAX_CP ? gen_class(c) : -1;
        if (k == cls)
            continue;
        if (cls != NAME_OK) {
            printf("    {0x%04X, 0x%04X, %d},\n", (unsigned)lo, (unsigned)(c - 1), cls);
            n++;
        }
        lo = c;
        cls = k;
    }
    printf("};\nconst size_t name_nranges = %ld;\n\n", n);
}

/* s (UTF-8) folded to lower case ("ALICE" and "alice" look alike to anyone). */
static int gen_fold(const char *s, char *out, size_t cap)
{
    UChar u[GEN_SKELETON], f[GEN_SKELETON];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(u, GEN_SKELETON, &n, s, -1, &st);
    int32_t m = u_strFoldCase(f, GEN_SKELETON, u, n, U_FOLD_CASE_DEFAULT, &st);
    u_strToUTF8(out, (int32_t)cap, NULL, f, m, &st);
    return U_FAILURE(st) ? -1 : 0;
}

/* One code point's skeleton: folded first (so that "I" is "i" like "ALICE" is "alice", rather than
 * the "l" it looks like), then TR39's skeleton folded again, until it stays put. */
static int gen_skeleton(const USpoofChecker *sc, UChar32 c, char *out, size_t cap)
{
    char cur[GEN_SKELETON], folded[GEN_SKELETON], next[GEN_SKELETON];
    int32_t len = 0;
    UBool err = 0;
    U8_APPEND((uint8_t *)cur, len, (int32_t)sizeof cur, c, err);
    if (err)
        return -1;
    cur[len] = '\0';
    for (int round = 0; round < GEN_ROUNDS; round++) {
        UErrorCode st = U_ZERO_ERROR;
        char tmp[GEN_SKELETON];
        if (gen_fold(cur, folded, sizeof folded) < 0)
            return -1;
        uspoof_getSkeletonUTF8(sc, 0, folded, -1, tmp, sizeof tmp, &st);
        if (U_FAILURE(st) || gen_fold(tmp, next, sizeof next) < 0)
            return -1;
        if (strcmp(next, cur) == 0)
            break;
        snprintf(cur, sizeof cur, "%s", next);
    }
    snprintf(out, cap, "%s", cur);
    return 0;
}

static void gen_skeletons(void)
{
    UErrorCode st = U_ZERO_ERROR;
    USpoofChecker *sc = uspoof_open(&st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "name_tables_gen: uspoof_open: %s\n", u_errorName(st));
        exit(1);
    }
    static char pool[1 << 20];
    size_t used = 0;
    long n = 0;
    printf("const name_map_t name_maps[] = {\n");
    for (UChar32 c = 0; c <= GEN_MAX_CP; c++) {
        int cls = gen_class(c);
        if (cls != NAME_OK && cls != NAME_MARK && cls != NAME_SPACE)
            continue; /* refused anyway: no skeleton needed */
        if (c >= NAME_HANGUL_FIRST && c <= NAME_HANGUL_LAST)
            continue; /* name.c decomposes them by arithmetic */
        char sk[GEN_SKELETON], self[8];
        int32_t len = 0;
        UBool err = 0;
        U8_APPEND((uint8_t *)self, len, (int32_t)sizeof self, c, err);
        if (err)
            continue; /* a surrogate: refused as unassigned already */
        self[len] = '\0';
        if (gen_skeleton(sc, c, sk, sizeof sk) < 0 || strcmp(sk, self) == 0)
            continue;
        size_t sl = strlen(sk);
        if (used + sl > sizeof pool || sl > NAME_MAP_MAX_LEN) {
            fprintf(stderr, "name_tables_gen: U+%04X: skeleton too long\n", (unsigned)c);
            exit(1);
        }
        printf("    {0x%04X | %zuu << 21, %zu},\n", (unsigned)c, sl, used);
        memcpy(pool + used, sk, sl);
        used += sl;
        n++;
    }
    printf("};\nconst size_t name_nmaps = %ld;\n\n", n);
    printf("const char name_pool[] =\n");
    for (size_t i = 0; i < used; i += 32) {
        printf("    \"");
        for (size_t j = i; j < used && j < i + 32; j++)
            printf("\\x%02x", (unsigned char)pool[j]);
        printf("\"\n");
    }
    printf("    \"\";\n");
    uspoof_close(sc);
}

int main(void)
{
    printf("/* name_tables.c -- generated by name_tables_gen from ICU %s (Unicode %s): do not "
           "edit */\n",
           U_ICU_VERSION, U_UNICODE_VERSION);
    printf("#include \"name_class.h\"\n\n");
    gen_ranges();
    gen_skeletons();
    return 0;
}
