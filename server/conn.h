/* conn.h -- one client connection: its socket, line reader, capped output buffer, rate limits;
 * depends on common/linebuf and common/bucket */
#ifndef NINE43_CONN_H
#define NINE43_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bucket.h"
#include "linebuf.h"

#define CONN_MAX_OUTPUT_DEFAULT (1024 * 1024) /* bytes queued for a client that is not reading */
#define CONN_MIN_OUTPUT         (17 * 1024)   /* smallest allowed cap: a maximal line fits */
#define CONN_MAX_OUTPUT_LIMIT   (1024 * 1024 * 1024) /* largest allowed cap (uint32 offsets) */
/* Kernel send buffer per socket (Linux doubles it). Fixed rather than auto-tuned up to
 * tcp_wmem's 4 MiB: seconds of game traffic, and a client that stops reading holds little
 * kernel memory and is noticed through CONN_MAX_OUTPUT soon. */
#define CONN_SNDBUF      (64 * 1024)
#define CONN_OUT_INITIAL 512 /* first output allocation; grows by doubling */
/* A buffer at least this large that a partial write left three quarters empty is made smaller
 * (half its size, or more while the rest needs it): memory goes back as a client catches up. */
#define CONN_OUT_SHRINK   (16 * 1024)
#define CONN_READ_CHUNK   (16 * 1024) /* bytes read per readable event (fairness between clients) */
#define CONN_DRAIN_MAX    (64 * 1024) /* unread input discarded at a polite close */
#define CONN_MAX_ERRORS   16          /* protocol errors before the connection is closed */
#define CONN_RATE_PER_SEC 60          /* messages per second a client may send, sustained */
#define CONN_RATE_BURST   120         /* ... and in a burst; the excess is dropped */
#define CONN_CHAT_PER_SEC 1           /* chat lines per second, sustained */
#define CONN_CHAT_BURST   5           /* ... and in a burst; the excess is dropped */

/* conn_t.flags */
#define CONN_PENDING_WRITE 0x01 /* on the server's list of connections to flush */
#define CONN_CLOSING       0x02 /* marked for close; freed at the loop's safe point */
#define CONN_WATCH_WRITE   0x04 /* the loop watches the socket for writability */
#define CONN_DISCARD       0x08 /* do not flush on close (output overflowed or the peer is gone) */
#define CONN_RATE_WARNED   0x10 /* told about dropped messages since the bucket last refilled */

/* Kept small on purpose: thousands of idle connections each hold one. The line reader and
 * the output buffer allocate only while they hold bytes. */
typedef struct conn {
    int fd;
    uint8_t flags;
    uint8_t errors; /* protocol errors so far */
    linebuf_t lb;
    char *out; /* queued output [out_off, out_len), or NULL when empty */
    uint32_t out_off, out_len, out_cap;
    int64_t last_recv;  /* monotonic ns of the last complete line received */
    int64_t last_ping;  /* monotonic ns of the last ping sent (0 = none) */
    bucket_t msg_rate;  /* CONN_RATE_PER_SEC, CONN_RATE_BURST */
    bucket_t chat_rate; /* CONN_CHAT_PER_SEC, CONN_CHAT_BURST */
    size_t *held;       /* bytes of output buffers held by all connections, or NULL */
} conn_t;

/* held (may be NULL) is the sum this connection's output buffer adds to and takes from as it
 * grows, shrinks and is freed: the server's budget for queued output. */
void conn_init(conn_t *c, int fd, int64_t now, size_t *held);

/* Appends bytes to the output buffer. Returns 0, or -1 when that would exceed max_output
 * bytes (a client that stopped reading) or memory ran out: the caller closes. */
int conn_queue(conn_t *c, const char *data, size_t len, size_t max_output);
bool conn_has_output(const conn_t *c);

/* Writes as much queued output as the socket takes. Returns 0 when everything went (the
 * buffer is freed), 1 when some is left for the next writable event (a mostly empty buffer is
 * made smaller), -1 on a socket error. */
int conn_flush(conn_t *c);
/* Bytes of memory the output buffer holds (its capacity, not what is queued). */
size_t conn_output_held(const conn_t *c);
/* Throws away what is queued and frees the buffer (a connection dropped without a flush). */
void conn_discard_output(conn_t *c);

/* Results of conn_read. */
#define CONN_READ_OK       0 /* bytes were read and their complete lines handed out */
#define CONN_READ_AGAIN    1 /* nothing to read now */
#define CONN_READ_EOF      2 /* the peer closed */
#define CONN_READ_ERROR    3 /* socket error (errno) */
#define CONN_READ_TOO_LONG 4 /* a line exceeded PROTO_MAX_LINE */
#define CONN_READ_NOMEM    5

/* Reads one chunk into scratch (cap bytes) and calls fn for each complete line. */
int conn_read(conn_t *c, char *scratch, size_t cap, linebuf_line_fn fn, void *ud, int64_t now,
              char *err, size_t errlen);

/* Takes one message token; false when the client is over its message rate and the message
 * must be dropped. */
bool conn_take_token(conn_t *c, int64_t now);
/* Takes one chat token (after conn_take_token); false when the client chats too fast. */
bool conn_take_chat_token(conn_t *c, int64_t now);

/* Before a polite close: writes what is queued, says "no more" (FIN), and discards up to
 * CONN_DRAIN_MAX unread bytes, because closing a socket with unread input sends a reset that
 * can destroy the last reply (an error, fin) before the client reads it. */
void conn_finish(conn_t *c);

/* Closes the socket and frees the buffers. */
void conn_close(conn_t *c);

#endif
