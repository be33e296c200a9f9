/* proto_write.h -- the JSON writer behind proto_encode: compact JSON straight into the caller's
 * buffer, checking each value against the limits proto_decode applies; internal to
 * common/proto*.c, depends on nothing but the C library and utf8 */
#ifndef NINE43_PROTO_WRITE_H
#define NINE43_PROTO_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct writer {
    char *buf;
    size_t cap; /* usable bytes: min(buffer, the longest line) */
    size_t len;
    bool full; /* ran out of room */
    bool bad;  /* the message holds something the protocol does not allow */
} writer_t;

/* Inline: every value and key goes through it. */
static inline void write_raw(writer_t *w, const char *s, size_t n)
{
    if (w->full || n > w->cap - w->len) {
        w->full = true;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

#define WRITE_LIT(w, s) write_raw((w), (s), sizeof(s) - 1)

void write_uint(writer_t *w, uint64_t v);
void write_int(writer_t *w, int64_t v);

/* An integer checked against [min, max]. */
void write_int_in(writer_t *w, int64_t v, int64_t min, int64_t max);

/* Thousandths in [min, max] as a decimal with at most three decimals: 12345 -> 12.345. */
void write_milli(writer_t *w, int64_t v, int64_t min, int64_t max);

void write_bool(writer_t *w, bool b);

/* A quoted string from a buffer of size bytes: NUL-terminated inside it, UTF-8, at most
 * max_chars code points (PROTO_NO_LIMIT: any). Escapes '"', '\\' and control characters. */
void write_str(writer_t *w, const char *s, size_t size, size_t max_chars);

/* A list's count must be within [min, max] before its entries are read. */
bool write_count_ok(writer_t *w, int n, int min, int max);

#endif
