/* proto_write.c -- the JSON writer behind proto_encode: numbers, booleans and escaped strings
 * written compactly into the caller's buffer, each checked against the decoder's limits;
 * depends on utf8 */
#include "proto_write.h"

#include "proto_read.h" /* PROTO_NO_LIMIT, PROTO_MILLI */
#include "utf8.h"

const char write_digit_pairs[200] = "00010203040506070809101112131415161718192021222324252627282930"
                                    "31323334353637383940414243444546474849505152535455565758596061"
                                    "62636465666768697071727374757677787980818283848586878889909192"
                                    "93949596979899";

/* Printable ASCII and DEL but '"' and '\\': what write_str copies as it is and counts as one
 * code point each. */
const bool write_plain[256] = {
    [0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* ' ' .. '/', not '"' */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* '0' .. '?' */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* '@' .. 'O' */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 'P' .. '_', not '\\' */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* '`' .. 'o' */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 'p' .. DEL */
};

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
    if (n == size) {
        w->bad = true;
        return;
    }
    WRITE_LIT(w, "\"");
    size_t run = 0;       /* start of the bytes not yet written */
    unsigned char hi = 0; /* any byte >= 0x80: the string needs the UTF-8 checks */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        hi |= c;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        write_raw(w, s + run, i - run);
        run = i + 1;
        char esc[6];
        write_raw(w, esc, write_escape(c, esc));
    }
    write_raw(w, s + run, n - run);
    WRITE_LIT(w, "\"");
    /* Checked after writing (a bad line is thrown away whole): ASCII is valid UTF-8 with as
     * many code points as bytes. */
    if (hi & 0x80)
        w->bad |=
            !utf8_valid(s, n) || (max_chars != PROTO_NO_LIMIT && utf8_count(s, n) > max_chars);
    else
        w->bad |= max_chars != PROTO_NO_LIMIT && n > max_chars;
}

bool write_count_ok(writer_t *w, int n, int min, int max)
{
    if (n < min || n > max) {
        w->bad = true;
        return false;
    }
    return true;
}
