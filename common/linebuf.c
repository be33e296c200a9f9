/* linebuf.c -- sans-IO JSON-lines framing: bytes in, complete lines out; depends on libc only */
#include "linebuf.h"

#include <stdlib.h>
#include <string.h>

#define LINEBUF_MIN_ALLOC 256 /* first allocation for a partial line; grows by doubling */

void linebuf_init(linebuf_t *lb, size_t max_line)
{
    lb->pending = NULL;
    lb->len = 0;
    lb->cap = 0;
    lb->max_line = max_line > 0 ? max_line : 1; /* a line needs room for its '\n' at least */
}

static void linebuf_release(linebuf_t *lb)
{
    free(lb->pending);
    lb->pending = NULL;
    lb->len = 0;
    lb->cap = 0;
}

/* Makes room for need bytes plus a NUL. need is below max_line, so the buffer never grows
 * beyond max_line bytes. */
static int linebuf_reserve(linebuf_t *lb, size_t need)
{
    if (need + 1 <= lb->cap)
        return 0;
    size_t cap = lb->cap ? lb->cap * 2 : LINEBUF_MIN_ALLOC;
    if (cap < need + 1)
        cap = need + 1;
    if (cap > lb->max_line)
        cap = lb->max_line > need + 1 ? lb->max_line : need + 1;
    char *p = realloc(lb->pending, cap);
    if (!p)
        return -1;
    lb->pending = p;
    lb->cap = cap;
    return 0;
}

int linebuf_feed(linebuf_t *lb, char *data, size_t len, linebuf_line_fn fn, void *ud)
{
    size_t i = 0;

    while (i < len) {
        char *start = data + i;
        char *nl = memchr(start, '\n', len - i);

        if (!nl) {
            /* An unfinished line: keep it, unless even its newline could no longer fit. */
            size_t rest = len - i;
            if (lb->len + rest >= lb->max_line) {
                linebuf_release(lb);
                return LINEBUF_TOO_LONG;
            }
            if (linebuf_reserve(lb, lb->len + rest) < 0)
                return LINEBUF_NOMEM;
            memcpy(lb->pending + lb->len, start, rest);
            lb->len += rest;
            return LINEBUF_OK;
        }

        size_t seg = (size_t)(nl - start);
        if (lb->len + seg + 1 > lb->max_line) {
            linebuf_release(lb);
            return LINEBUF_TOO_LONG;
        }
        char *line;
        size_t n;
        if (lb->len > 0) {
            if (linebuf_reserve(lb, lb->len + seg) < 0)
                return LINEBUF_NOMEM;
            memcpy(lb->pending + lb->len, start, seg);
            line = lb->pending;
            n = lb->len + seg;
        } else {
            line = start; /* the whole line is in this chunk: no copy */
            n = seg;
        }
        if (n > 0 && line[n - 1] == '\r')
            n--;
        line[n] = '\0';
        i += seg + 1;

        int stop = fn(ud, line, n);
        if (lb->pending)
            linebuf_release(lb); /* nothing is pending any more: hold no buffer */
        if (stop)
            return LINEBUF_STOPPED;
    }
    return LINEBUF_OK;
}

size_t linebuf_pending(const linebuf_t *lb)
{
    return lb->len;
}

void linebuf_free(linebuf_t *lb)
{
    linebuf_release(lb);
}
