/* proto_write.h -- the JSON writer behind proto_encode: compact JSON straight into the caller's
 * buffer, checking each value against the limits proto_decode applies; internal to
 * common/proto*.c, depends on nothing but the C library and utf8 */
#ifndef NINE43_PROTO_WRITE_H
#define NINE43_PROTO_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A cursor and the room left after it: one comparison per write. Out of room, room stays 0 and
 * full is set, so every later write of a byte or more fails too. */
typedef struct writer {
    char *at;    /* where the next byte goes */
    size_t room; /* bytes left: of min(buffer, the longest line) */
    bool full;   /* ran out of room */
    bool bad;    /* the message holds something the protocol does not allow */
} writer_t;

/* Inline: every value and key goes through it. */
static inline void write_raw(writer_t *w, const char *s, size_t n)
{
    if (n > w->room) {
        w->full = true;
        w->room = 0;
        return;
    }
    memcpy(w->at, s, n);
    w->at += n;
    w->room -= n;
}

#define WRITE_LIT(w, s) write_raw((w), (s), sizeof(s) - 1)

#define WRITE_KEY_COPY 24 /* bytes write_key copies at once: the longest key and its comma */

/* n bytes of s, which may be read WRITE_KEY_COPY bytes far: a copy of a constant size (a few
 * moves) where a copy of n bytes would be a call or a slow string instruction, for the keys. */
static inline void write_key(writer_t *w, const char *s, size_t n)
{
    if (w->room < WRITE_KEY_COPY) {
        write_raw(w, s, n);
        return;
    }
    memcpy(w->at, s, WRITE_KEY_COPY); /* the bytes after n are written over later */
    w->at += n;
    w->room -= n;
}

extern const char write_digit_pairs[200]; /* "00" "01" ... "99" */

/* Decimal digits, two at a time from the last, into a scratch whose copy has a constant size
 * where there is room (as write_key's): a state line is mostly numbers. */
static inline void write_uint(writer_t *w, uint64_t v)
{
    char tmp[2 * WRITE_KEY_COPY];
    char *end = tmp + WRITE_KEY_COPY, *p = end; /* 20 digits at most */
    while (v >= 100) {
        const char *pair = write_digit_pairs + (v % 100) * 2;
        v /= 100;
        *--p = pair[1];
        *--p = pair[0];
    }
    if (v >= 10) {
        *--p = write_digit_pairs[v * 2 + 1];
        *--p = write_digit_pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    write_key(w, p, (size_t)(end - p));
}

static inline void write_int(writer_t *w, int64_t v)
{
    if (v < 0) {
        WRITE_LIT(w, "-");
        write_uint(w, (uint64_t)0 - (uint64_t)v);
    } else {
        write_uint(w, (uint64_t)v);
    }
}

/* An integer checked against [min, max]. */
static inline void write_int_in(writer_t *w, int64_t v, int64_t min, int64_t max)
{
    if (v < min || v > max)
        w->bad = true;
    write_int(w, v);
}

/* Thousandths in [min, max] as a decimal with at most three decimals: 12345 -> 12.345. */
static inline void write_milli(writer_t *w, int64_t v, int64_t min, int64_t max)
{
    if (v < min || v > max)
        w->bad = true;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        WRITE_LIT(w, "-");
    write_uint(w, u / 1000);
    unsigned frac = (unsigned)(u % 1000);
    if (frac) {
        char tmp[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                       (char)('0' + frac % 10)};
        size_t n = 4;
        while (tmp[n - 1] == '0')
            n--;
        write_raw(w, tmp, n);
    }
}

static inline void write_bool(writer_t *w, bool b)
{
    if (b)
        WRITE_LIT(w, "true");
    else
        WRITE_LIT(w, "false");
}

/* ---------------------------------------------------------------------------------------
 * Cursor writes for a caller that has made sure of WRITE_AT_ROOM bytes (a string's also of its
 * buffer's size): no check, no writer in memory, each returns the cursor after what it wrote.
 * The encoder's walk writes most fields with them, keeping the cursor in a register.
 */

/* Room one write_at_key and one number need, with the overrun of their constant-size copies. */
#define WRITE_AT_ROOM (3 * WRITE_KEY_COPY)

/* A key of n bytes at s, readable WRITE_KEY_COPY bytes far (as write_key). */
static inline char *write_at_key(char *at, const char *s, size_t n)
{
    memcpy(at, s, WRITE_KEY_COPY);
    return at + n;
}

static inline char *write_at_uint(char *at, uint64_t v)
{
    if (v < 10) {
        *at = (char)('0' + v);
        return at + 1;
    }
    char tmp[2 * WRITE_KEY_COPY];
    char *end = tmp + WRITE_KEY_COPY, *p = end;
    while (v >= 100) {
        memcpy(p -= 2, write_digit_pairs + (v % 100) * 2, 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(p -= 2, write_digit_pairs + v * 2, 2);
    else
        *--p = (char)('0' + v);
    memcpy(at, p, WRITE_KEY_COPY);
    return at + (end - p);
}

static inline char *write_at_int(char *at, int64_t v)
{
    if (v >= 0)
        return write_at_uint(at, (uint64_t)v);
    *at = '-';
    return write_at_uint(at + 1, (uint64_t)0 - (uint64_t)v);
}

/* Thousandths as write_milli writes them: 12345 -> 12.345, 12300 -> 12.3, 12000 -> 12. */
static inline char *write_at_milli(char *at, int64_t v)
{
    uint64_t u = (uint64_t)v;
    if (v < 0) {
        *at++ = '-';
        u = (uint64_t)0 - u;
    }
    at = write_at_uint(at, u / 1000);
    unsigned frac = (unsigned)(u % 1000);
    if (frac == 0)
        return at;
    at[0] = '.';
    at[1] = (char)('0' + frac / 100);
    memcpy(at + 2, write_digit_pairs + frac % 100 * 2, 2);
    return at + (frac % 100 == 0 ? 2 : frac % 10 == 0 ? 3 : 4);
}

static inline char *write_at_bool(char *at, bool b)
{
    memcpy(at, b ? "true" : "false", 5);
    return at + (b ? 4 : 5);
}

extern const bool write_plain[256]; /* bytes a string holds as they are: ASCII, no escape */

/* A quoted string from a buffer of size bytes, when it is plain (write_plain) and at most
 * max_chars long; needs size + 2 bytes more than WRITE_AT_ROOM. NULL for any other string:
 * write_str then writes it (its escapes) or finds it bad, from the same cursor. */
static inline char *write_at_str(char *at, const char *s, size_t size, size_t max_chars)
{
    *at++ = '"';
    size_t i = 0;
    while (i < size && write_plain[(unsigned char)s[i]]) {
        at[i] = s[i];
        i++;
    }
    if (i == size || s[i] != '\0' || i > max_chars)
        return NULL;
    at[i] = '"';
    return at + i + 1;
}

/* A quoted string from a buffer of size bytes: NUL-terminated inside it, UTF-8, at most
 * max_chars code points (PROTO_NO_LIMIT: any). Escapes '"', '\\' and control characters. */
void write_str(writer_t *w, const char *s, size_t size, size_t max_chars);

/* A list's count must be within [min, max] before its entries are read. */
bool write_count_ok(writer_t *w, int n, int min, int max);

#endif
