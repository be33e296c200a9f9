/* conn.c -- connection buffers, caps, rate limits and socket I/O; depends on conn.h, linebuf, proto
 * limits and the seam's sockets (sys_net.h) */
#include "conn.h"

#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "sys_net.h"

#define NS_PER_MS 1000000 /* the buckets count milliseconds, the loop nanoseconds */

void conn_init(conn_t *c, int fd, int64_t now, size_t *held)
{
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->held = held;
    linebuf_init(&c->lb, PROTO_MAX_LINE);
    c->last_recv = now;
    bucket_start_full(&c->msg_rate, now / NS_PER_MS, CONN_RATE_BURST);
    bucket_start_full(&c->chat_rate, now / NS_PER_MS, CONN_CHAT_BURST);
}

bool conn_has_output(const conn_t *c)
{
    return c->out && c->out_len > c->out_off;
}

size_t conn_output_held(const conn_t *c)
{
    return c->out_cap;
}

/* Every change of out_cap goes through here, so that the server-wide sum stays true. */
static void conn_set_cap(conn_t *c, size_t cap)
{
    if (c->held)
        *c->held = *c->held - c->out_cap + cap;
    c->out_cap = (uint32_t)cap;
}

static void free_output(conn_t *c)
{
    free(c->out);
    c->out = NULL;
    c->out_off = c->out_len = 0;
    conn_set_cap(c, 0);
}

void conn_discard_output(conn_t *c)
{
    free_output(c);
}

/* A partial write left the buffer mostly empty: move what is left to the front and give half
 * the buffer back, so that a client that caught up after a burst stops holding its peak. */
static void conn_shrink(conn_t *c)
{
    size_t queued = c->out_len - c->out_off;
    if (c->out_cap < CONN_OUT_SHRINK || queued * 4 > c->out_cap)
        return;
    memmove(c->out, c->out + c->out_off, queued);
    c->out_off = 0;
    c->out_len = (uint32_t)queued;
    size_t cap = c->out_cap / 2;
    char *out = realloc(c->out, cap);
    if (!out)
        return; /* the bigger buffer still works */
    c->out = out;
    conn_set_cap(c, cap);
}

int conn_queue(conn_t *c, const char *data, size_t len, size_t max_output)
{
    size_t queued = c->out_len - c->out_off;
    if (queued + len > max_output)
        return -1;
    if (c->out_off > 0 && c->out_len + len > c->out_cap) {
        memmove(c->out, c->out + c->out_off, queued);
        c->out_len = (uint32_t)queued;
        c->out_off = 0;
    }
    if (c->out_len + len > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : CONN_OUT_INITIAL;
        while (cap < c->out_len + len)
            cap *= 2;
        char *out = realloc(c->out, cap);
        if (!out)
            return -1;
        c->out = out;
        conn_set_cap(c, cap);
    }
    memcpy(c->out + c->out_len, data, len);
    c->out_len += (uint32_t)len;
    return 0;
}

int conn_flush(conn_t *c)
{
    while (conn_has_output(c)) {
        long n = sys_net_send(c->fd, c->out + c->out_off, c->out_len - c->out_off, NULL, 0);
        if (n == SYS_NET_AGAIN) {
            conn_shrink(c);
            return 1;
        }
        if (n < 0)
            return -1;
        c->out_off += (uint32_t)n;
    }
    /* Idle connections hold no output buffer at all. */
    free_output(c);
    return 0;
}

/* Wraps the caller's line callback: a complete line, not a byte, is a sign of life, so that a
 * peer trickling an endless line cannot hold its connection past the idle time-out. */
typedef struct conn_lines {
    conn_t *c;
    linebuf_line_fn fn;
    void *ud;
    int64_t now;
} conn_lines_t;

static int conn_on_line(void *ud, char *line, size_t len)
{
    conn_lines_t *l = ud;
    l->c->last_recv = l->now;
    return l->fn(l->ud, line, len);
}

int conn_read(conn_t *c, char *scratch, size_t cap, linebuf_line_fn fn, void *ud, int64_t now,
              char *err, size_t errlen)
{
    long n = sys_net_recv(c->fd, scratch, cap, err, errlen);
    if (n == SYS_NET_AGAIN)
        return CONN_READ_AGAIN;
    if (n == SYS_NET_CLOSED)
        return CONN_READ_EOF;
    if (n < 0)
        return CONN_READ_ERROR;
    conn_lines_t lines = {.c = c, .fn = fn, .ud = ud, .now = now};
    int rc = linebuf_feed(&c->lb, scratch, (size_t)n, conn_on_line, &lines);
    if (rc == LINEBUF_TOO_LONG)
        return CONN_READ_TOO_LONG;
    if (rc == LINEBUF_NOMEM)
        return CONN_READ_NOMEM;
    return CONN_READ_OK;
}

bool conn_take_token(conn_t *c, int64_t now)
{
    if (!bucket_take(&c->msg_rate, now / NS_PER_MS, CONN_RATE_PER_SEC, CONN_RATE_BURST))
        return false;
    /* Back to a comfortable level: the next drop deserves a new warning. */
    if (c->msg_rate.milli >= CONN_RATE_BURST * BUCKET_UNIT / 2)
        c->flags &= (uint8_t)~CONN_RATE_WARNED;
    return true;
}

bool conn_take_chat_token(conn_t *c, int64_t now)
{
    return bucket_take(&c->chat_rate, now / NS_PER_MS, CONN_CHAT_PER_SEC, CONN_CHAT_BURST);
}

void conn_finish(conn_t *c)
{
    conn_flush(c);
    sys_net_shutdown_write(c->fd);
    char buf[4096];
    size_t drained = 0;
    while (drained < CONN_DRAIN_MAX) {
        long n = sys_net_recv(c->fd, buf, sizeof buf, NULL, 0);
        if (n <= 0)
            break;
        drained += (size_t)n;
    }
}

void conn_close(conn_t *c)
{
    sys_net_close(c->fd);
    c->fd = -1;
    linebuf_free(&c->lb);
    free_output(c);
}
