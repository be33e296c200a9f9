/* linebuf.h -- sans-IO JSON-lines framing: bytes in, complete lines out, with a hard line limit */
#ifndef NINE43_LINEBUF_H
#define NINE43_LINEBUF_H

#include <stddef.h>

/* Results of linebuf_feed. */
#define LINEBUF_OK       0  /* all bytes consumed; a partial line may be kept for the next feed */
#define LINEBUF_STOPPED  1  /* the callback asked to stop; the rest of the chunk was dropped */
#define LINEBUF_TOO_LONG -1 /* a line exceeded the limit: a framing error, the caller closes */
#define LINEBUF_NOMEM    -2 /* could not keep the partial line */

/* The reader keeps only the unfinished tail of the stream. Its buffer is allocated when a
 * partial line must be kept and freed as soon as nothing is pending, so an idle connection
 * holds no buffer at all. */
typedef struct linebuf {
    char *pending;   /* bytes of an unfinished line, or NULL */
    size_t len;      /* bytes in pending */
    size_t cap;      /* allocated size of pending */
    size_t max_line; /* longest accepted line, counting its '\n' (and '\r' before it) */
} linebuf_t;

/* Called once per complete line, in order. line is NUL-terminated, without its "\n" or
 * "\r\n", and may be modified; it is valid only during the call. Return 0 to go on, non-zero
 * to stop (the connection is closing, say). */
typedef int (*linebuf_line_fn)(void *ud, char *line, size_t len);

void linebuf_init(linebuf_t *lb, size_t max_line);
/* Feeds a chunk of any size (which may be modified in place: lines entirely inside it are
 * handed out without a copy). Returns one of the LINEBUF_ results above. */
int linebuf_feed(linebuf_t *lb, char *data, size_t len, linebuf_line_fn fn, void *ud);
/* Bytes of an unfinished line currently held. */
size_t linebuf_pending(const linebuf_t *lb);
void linebuf_free(linebuf_t *lb);

#endif
