/* utf8.c -- UTF-8 validation and counting for usernames, chat and world text; depends on nothing */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the well-formed sequence starting at s[0..len), or 0 when it is not one. The
 * byte ranges are those of the Unicode standard's table of well-formed byte sequences, which
 * excludes overlong forms, surrogates and anything above U+10FFFF. */
static size_t utf8_sequence_length(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates U+D800..U+DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* a continuation byte, C0, C1 or F5..FF */
    }
    if (len < n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    }
    return n;
}

size_t utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        /* Runs of ASCII are the common case (every line of a game): skip them eight bytes at a
         * time while no byte has its top bit set, then a byte at a time without the table. */
        uint64_t w;
        while (len - i >= sizeof w) {
            memcpy(&w, p + i, sizeof w);
            if (w & 0x8080808080808080ull)
                break;
            i += sizeof w;
        }
        if (i >= len)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_sequence_length(p + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

bool utf8_valid(const char *s, size_t len)
{
    return utf8_check(s, len) == len;
}

size_t utf8_count(const char *s, size_t len)
{
    size_t count = 0;

    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    }
    return count;
}

/* True when the code point starting at p (n bytes) is C0, DEL or C1. */
static bool utf8_is_control(const unsigned char *p, size_t n)
{
    if (n == 1)
        return p[0] < 0x20 || p[0] == 0x7F;
    return n == 2 && p[0] == 0xC2 && p[1] < 0xA0; /* U+0080..U+009F */
}

/* Length of the code point at p, for well-formed input (1 for anything odd, so loops end). */
static size_t utf8_step(const unsigned char *p, size_t left)
{
    size_t n = utf8_sequence_length(p, left);
    return n ? n : 1;
}

bool utf8_has_control(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        size_t n = utf8_step(p + i, len - i);
        if (utf8_is_control(p + i, n))
            return true;
        i += n;
    }
    return false;
}

size_t utf8_sanitize(char *dst, size_t cap, const char *src, size_t len, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)src;
    size_t out = 0, chars = 0;

    if (cap == 0)
        return 0;
    for (size_t i = 0; i < len && chars < max_chars;) {
        size_t n = utf8_step(p + i, len - i);
        if (!utf8_is_control(p + i, n)) {
            if (out + n > cap - 1)
                break; /* never cut a code point in half */
            for (size_t k = 0; k < n; k++)
                dst[out++] = (char)p[i + k];
            chars++;
        }
        i += n;
    }
    dst[out] = '\0';
    return out;
}

size_t utf8_prefix_bytes(const char *s, size_t len, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len && n > 0) {
        i += utf8_step(p + i, len - i);
        n--;
    }
    return i > len ? len : i;
}
