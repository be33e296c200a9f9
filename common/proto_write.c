/* proto_write.c -- the JSON writer behind proto_encode: numbers, booleans and escaped strings
 * written compactly into the caller's buffer, each checked against the decoder's limits;
 * depends on utf8 */
#include "proto_write.h"

#include "proto_read.h" /* PROTO_NO_LIMIT, PROTO_MILLI */
#include "utf8.h"

void write_uint(writer_t *w, uint64_t v)
{
    char tmp[24];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    write_raw(w, tmp + n, sizeof tmp - n);
}

void write_int(writer_t *w, int64_t v)
{
    if (v < 0) {
        WRITE_LIT(w, "-");
        write_uint(w, (uint64_t)0 - (uint64_t)v);
    } else {
        write_uint(w, (uint64_t)v);
    }
}

void write_int_in(writer_t *w, int64_t v, int64_t min, int64_t max)
{
    if (v < min || v > max)
        w->bad = true;
    write_int(w, v);
}

void write_milli(writer_t *w, int64_t v, int64_t min, int64_t max)
{
    if (v < min || v > max)
        w->bad = true;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        WRITE_LIT(w, "-");
    write_uint(w, u / PROTO_MILLI);
    unsigned frac = (unsigned)(u % PROTO_MILLI);
    if (frac) {
        char tmp[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                       (char)('0' + frac % 10)};
        size_t n = 4;
        while (tmp[n - 1] == '0')
            n--;
        write_raw(w, tmp, n);
    }
}

void write_bool(writer_t *w, bool b)
{
    if (b)
        WRITE_LIT(w, "true");
    else
        WRITE_LIT(w, "false");
}

/* The escape of control character or quote c into esc; returns its length. */
static size_t write_escape(unsigned char c, char esc[6])
{
    static const char hex[] = "0123456789abcdef";
    esc[0] = '\\';
    switch (c) {
    case '"':
        esc[1] = '"';
        return 2;
    case '\\':
        esc[1] = '\\';
        return 2;
    case '\n':
        esc[1] = 'n';
        return 2;
    case '\r':
        esc[1] = 'r';
        return 2;
    case '\t':
        esc[1] = 't';
        return 2;
    default:
        esc[1] = 'u';
        esc[2] = '0';
        esc[3] = '0';
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        return 6;
    }
}

void write_str(writer_t *w, const char *s, size_t size, size_t max_chars)
{
    size_t n = strnlen(s, size);
    if (n == size || !utf8_valid(s, n) ||
        (max_chars != PROTO_NO_LIMIT && utf8_count(s, n) > max_chars)) {
        w->bad = true;
        return;
    }
    WRITE_LIT(w, "\"");
    size_t run = 0; /* start of the bytes not yet written */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        write_raw(w, s + run, i - run);
        run = i + 1;
        char esc[6];
        write_raw(w, esc, write_escape(c, esc));
    }
    write_raw(w, s + run, n - run);
    WRITE_LIT(w, "\"");
}

bool write_count_ok(writer_t *w, int n, int min, int max)
{
    if (n < min || n > max) {
        w->bad = true;
        return false;
    }
    return true;
}
