/* test_linebuf.c -- line framing: any chunking, CRLF, the exact line limit, no buffer when idle */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linebuf.h"
#include "proto.h"

#define MAX_LINES 16

/* What the callback saw. */
typedef struct collected {
    int n;
    char *lines[MAX_LINES];
    size_t lens[MAX_LINES];
    const char *chunk; /* the chunk being fed, to tell copied lines from in-place ones */
    size_t chunk_len;
    int in_place;   /* lines handed out from inside the chunk */
    int stop_after; /* return non-zero after this many lines (0 = never) */
} collected_t;

static int collect(void *ud, char *line, size_t len)
{
    collected_t *c = ud;
    assert_true(c->n < MAX_LINES);
    assert_int_equal(strlen(line), len); /* NUL-terminated, no NUL inside in these tests */
    c->lines[c->n] = malloc(len + 1);
    memcpy(c->lines[c->n], line, len + 1);
    c->lens[c->n] = len;
    c->n++;
    if (c->chunk && line >= c->chunk && line < c->chunk + c->chunk_len)
        c->in_place++;
    return c->stop_after && c->n >= c->stop_after;
}

static void collected_free(collected_t *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->lines[i]);
    memset(c, 0, sizeof *c);
}

/* Feeds data[0..len) as a copy, so the test's literals are never modified. */
static int feed(linebuf_t *lb, collected_t *c, const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    memcpy(copy, data, len);
    c->chunk = copy;
    c->chunk_len = len;
    int rc = linebuf_feed(lb, copy, len, collect, c);
    c->chunk = NULL;
    free(copy);
    return rc;
}

static const char stream[] = "{\"type\":\"ping\"}\n"
                             "{\"type\":\"chat\",\"text\":\"caf\xc3\xa9\"}\r\n"
                             "\n"
                             "\r\n"
                             "last line\n";
static const char *const expected[] = {
    "{\"type\":\"ping\"}", "{\"type\":\"chat\",\"text\":\"caf\xc3\xa9\"}", "", "", "last line",
};
#define NEXPECTED 5

static void assert_expected(const collected_t *c)
{
    assert_int_equal(c->n, NEXPECTED);
    for (int i = 0; i < NEXPECTED; i++)
        assert_string_equal(c->lines[i], expected[i]);
}

static void test_whole_stream_in_one_chunk(void **state)
{
    (void)state;
    linebuf_t lb;
    collected_t c = {0};
    linebuf_init(&lb, PROTO_MAX_LINE);
    assert_int_equal(feed(&lb, &c, stream, sizeof stream - 1), LINEBUF_OK);
    assert_expected(&c);
    assert_int_equal(c.in_place, NEXPECTED); /* all of them handed out without a copy */
    assert_null(lb.pending);
    assert_int_equal(linebuf_pending(&lb), 0);
    collected_free(&c);
    linebuf_free(&lb);
}

static void test_split_at_every_boundary(void **state)
{
    (void)state;
    size_t len = sizeof stream - 1;
    for (size_t i = 0; i <= len; i++) {
        for (size_t j = i; j <= len; j++) {
            linebuf_t lb;
            collected_t c = {0};
            linebuf_init(&lb, PROTO_MAX_LINE);
            assert_int_equal(feed(&lb, &c, stream, i), LINEBUF_OK);
            assert_int_equal(feed(&lb, &c, stream + i, j - i), LINEBUF_OK);
            assert_int_equal(feed(&lb, &c, stream + j, len - j), LINEBUF_OK);
            assert_expected(&c);
            assert_null(lb.pending);
            collected_free(&c);
            linebuf_free(&lb);
        }
    }
}

static void test_one_byte_at_a_time(void **state)
{
    (void)state;
    linebuf_t lb;
    collected_t c = {0};
    linebuf_init(&lb, PROTO_MAX_LINE);
    for (size_t i = 0; i < sizeof stream - 1; i++) {
        assert_int_equal(feed(&lb, &c, stream + i, 1), LINEBUF_OK);
        /* A buffer is held exactly while a line is unfinished. */
        if (stream[i] == '\n')
            assert_null(lb.pending);
        else
            assert_non_null(lb.pending);
    }
    assert_expected(&c);
    collected_free(&c);
    linebuf_free(&lb);
}

static void test_partial_line_kept_then_freed(void **state)
{
    (void)state;
    linebuf_t lb;
    collected_t c = {0};
    linebuf_init(&lb, PROTO_MAX_LINE);
    assert_int_equal(feed(&lb, &c, "{\"type\":", 8), LINEBUF_OK);
    assert_int_equal(c.n, 0);
    assert_int_equal(linebuf_pending(&lb), 8);
    assert_int_equal(feed(&lb, &c, "\"pong\"}\n{\"ty", 12), LINEBUF_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.lines[0], "{\"type\":\"pong\"}");
    assert_int_equal(linebuf_pending(&lb), 4);
    assert_int_equal(feed(&lb, &c, "pe\":\"quit\"}\n", 12), LINEBUF_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.lines[1], "{\"type\":\"quit\"}");
    assert_null(lb.pending); /* idle again: no buffer */
    assert_int_equal(lb.cap, 0);
    collected_free(&c);
    linebuf_free(&lb);
}

/* A line of exactly total bytes counting its terminator (eol is "\n" or "\r\n"). */
static char *make_line(size_t total, const char *eol)
{
    size_t eol_len = strlen(eol);
    char *s = malloc(total + 1);
    memset(s, 'x', total - eol_len);
    memcpy(s + total - eol_len, eol, eol_len + 1);
    return s;
}

static void check_limit(size_t total, const char *eol, int chunked, int expect)
{
    linebuf_t lb;
    collected_t c = {0};
    char *line = make_line(total, eol);
    int rc = LINEBUF_OK;
    linebuf_init(&lb, PROTO_MAX_LINE);
    if (chunked) {
        /* In pieces of 1000 bytes, so the limit is found on a partial line. */
        for (size_t off = 0; off < total && rc == LINEBUF_OK; off += 1000)
            rc = feed(&lb, &c, line + off, total - off < 1000 ? total - off : 1000);
    } else {
        rc = feed(&lb, &c, line, total);
    }
    assert_int_equal(rc, expect);
    if (expect == LINEBUF_OK) {
        assert_int_equal(c.n, 1);
        assert_int_equal(c.lens[0], total - strlen(eol));
    } else {
        assert_int_equal(c.n, 0);
    }
    assert_null(lb.pending); /* freed after a complete line, and after an overlong one */
    assert_true(lb.cap <= PROTO_MAX_LINE);
    collected_free(&c);
    linebuf_free(&lb);
    free(line);
}

static void test_line_limit(void **state)
{
    (void)state;
    for (int chunked = 0; chunked <= 1; chunked++) {
        check_limit(PROTO_MAX_LINE, "\n", chunked, LINEBUF_OK);
        check_limit(PROTO_MAX_LINE + 1, "\n", chunked, LINEBUF_TOO_LONG);
        check_limit(PROTO_MAX_LINE, "\r\n", chunked, LINEBUF_OK);
        check_limit(PROTO_MAX_LINE + 1, "\r\n", chunked, LINEBUF_TOO_LONG);
    }
}

static void test_too_long_without_newline(void **state)
{
    (void)state;
    /* A peer that never sends '\n' is stopped at the limit, not buffered forever. */
    linebuf_t lb;
    collected_t c = {0};
    char chunk[4096];
    int rc = LINEBUF_OK;
    size_t fed = 0;
    memset(chunk, 'y', sizeof chunk);
    linebuf_init(&lb, PROTO_MAX_LINE);
    while (rc == LINEBUF_OK && fed < 10 * PROTO_MAX_LINE) {
        rc = feed(&lb, &c, chunk, sizeof chunk);
        fed += sizeof chunk;
        assert_true(linebuf_pending(&lb) < PROTO_MAX_LINE);
    }
    assert_int_equal(rc, LINEBUF_TOO_LONG);
    assert_true(fed <= PROTO_MAX_LINE + sizeof chunk);
    assert_null(lb.pending);
    linebuf_free(&lb);
}

static void test_stop_drops_the_rest(void **state)
{
    (void)state;
    linebuf_t lb;
    collected_t c = {.stop_after = 1};
    linebuf_init(&lb, PROTO_MAX_LINE);
    assert_int_equal(feed(&lb, &c, "one\ntwo\nthr", 11), LINEBUF_STOPPED);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.lines[0], "one");
    assert_null(lb.pending);
    collected_free(&c);
    linebuf_free(&lb);
}

static void test_lone_cr_kept(void **state)
{
    (void)state;
    /* Only a '\r' right before '\n' belongs to the terminator. */
    linebuf_t lb;
    collected_t c = {0};
    linebuf_init(&lb, PROTO_MAX_LINE);
    assert_int_equal(feed(&lb, &c, "a\rb\r\r\n", 6), LINEBUF_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.lens[0], 4);
    assert_memory_equal(c.lines[0], "a\rb\r", 4);
    collected_free(&c);
    linebuf_free(&lb);
}

static void test_small_limit(void **state)
{
    (void)state;
    linebuf_t lb;
    collected_t c = {0};
    linebuf_init(&lb, 4); /* "abc\n" fits, "abcd\n" does not */
    assert_int_equal(feed(&lb, &c, "ab", 2), LINEBUF_OK);
    assert_int_equal(feed(&lb, &c, "c\n", 2), LINEBUF_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(feed(&lb, &c, "abcd", 4), LINEBUF_TOO_LONG);
    collected_free(&c);
    linebuf_free(&lb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_stream_in_one_chunk),
        cmocka_unit_test(test_split_at_every_boundary),
        cmocka_unit_test(test_one_byte_at_a_time),
        cmocka_unit_test(test_partial_line_kept_then_freed),
        cmocka_unit_test(test_line_limit),
        cmocka_unit_test(test_too_long_without_newline),
        cmocka_unit_test(test_stop_drops_the_rest),
        cmocka_unit_test(test_lone_cr_kept),
        cmocka_unit_test(test_small_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
