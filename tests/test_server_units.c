/* test_server_units.c -- the server's building blocks on their own: event loop, connection buffers,
 * flags */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "conn.h"
#include "evening.h"
#include "loop.h"
#include "server.h"
#include "sys_os.h"

/* ---- loop ---- */

typedef struct fired {
    int count[64];
    int last_mask;
} fired_t;

static void on_fd(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    fired_t *f = ud;
    f->count[fd]++;
    f->last_mask = mask;
    char buf[16];
    if (mask & LOOP_READABLE)
        while (read(fd, buf, sizeof buf) > 0)
            ;
}

/* Many descriptors come and go in any order; only ready ones fire, each with its mask. */
static void test_loop_files(void **state)
{
    (void)state;
    loop_t *l = loop_create();
    assert_non_null(l);
    int pairs[20][2];
    fired_t f = {0};
    for (int i = 0; i < 20; i++) {
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pairs[i]), 0);
        assert_int_equal(loop_add_file(l, pairs[i][0], LOOP_READABLE, on_fd, &f), 0);
    }
    assert_int_equal(loop_file_count(l), 20);
    /* Remove every other one: the dense poll array is rearranged, lookups must follow. */
    for (int i = 0; i < 20; i += 2)
        loop_del_file(l, pairs[i][0], LOOP_READABLE);
    assert_int_equal(loop_file_count(l), 10);
    for (int i = 0; i < 20; i++)
        assert_int_equal(write(pairs[i][1], "x", 1), 1);
    loop_run_once(l, 100);
    for (int i = 0; i < 20; i++)
        assert_int_equal(f.count[pairs[i][0]], i % 2 ? 1 : 0);
    /* Write interest on top of read interest, then off again. */
    assert_int_equal(loop_add_file(l, pairs[1][0], LOOP_WRITABLE, on_fd, &f), 0);
    assert_int_equal(loop_file_mask(l, pairs[1][0]), LOOP_READABLE | LOOP_WRITABLE);
    loop_run_once(l, 100);
    assert_int_equal(f.count[pairs[1][0]], 2);
    assert_int_equal(f.last_mask & LOOP_WRITABLE, LOOP_WRITABLE);
    loop_del_file(l, pairs[1][0], LOOP_WRITABLE);
    assert_int_equal(loop_file_mask(l, pairs[1][0]), LOOP_READABLE);
    for (int i = 0; i < 20; i++) {
        close(pairs[i][0]);
        close(pairs[i][1]);
    }
    loop_destroy(l);
}

typedef struct timers {
    int order[8];
    int n;
    long long other;
    int repeats;
} timers_t;

static int64_t on_timer(loop_t *l, long long id, void *ud)
{
    timers_t *t = ud;
    t->order[t->n++] = (int)id;
    if (t->other) {
        loop_del_timer(l, t->other); /* deleting another timer from inside a callback */
        t->other = 0;
    }
    return LOOP_NOMORE;
}

static int64_t on_repeat(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    timers_t *t = ud;
    return ++t->repeats < 3 ? loop_now() : LOOP_NOMORE;
}

/* Timers fire when due, not before; a callback can delete another; a repeating timer repeats.
 * Nothing here asserts how soon: a loaded machine may wake the loop late, only the order and
 * "not before" are the loop's to keep. */
static void test_loop_timers(void **state)
{
    (void)state;
    loop_t *l = loop_create();
    timers_t t = {0};
    int64_t now = loop_now();
    long long a = loop_add_timer(l, now + 20 * LOOP_NS_PER_MS, on_timer, &t);
    long long b = loop_add_timer(l, now + 40 * LOOP_NS_PER_MS, on_timer, &t);
    long long c = loop_add_timer(l, now + 10 * LOOP_NS_PER_MS, on_timer, &t);
    assert_true(a > 0 && b > 0 && c > 0);
    t.other = b; /* c fires first and deletes b */
    /* Bounded by iterations, not by the clock: each wait lasts until the next timer is due. */
    for (int i = 0; i < 50 && t.n < 2; i++)
        loop_run_once(l, 100);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.order[0], (int)c);
    assert_int_equal(t.order[1], (int)a);
    assert_true(loop_now() - now >= 20 * LOOP_NS_PER_MS);
    loop_run_once(l, 60); /* b would have been due by now */
    assert_int_equal(t.n, 2);
    loop_add_timer(l, loop_now(), on_repeat, &t);
    for (int i = 0; i < 5; i++)
        loop_run_once(l, 10);
    assert_int_equal(t.repeats, 3);
    loop_destroy(l);
}

/* A wake-up that comes late (the machine is loaded) finds several timers due at once: they fire
 * in the order they fell due, ties in the order they were added, whatever order they were
 * added in; a callback's deletion of a later one still holds within that one pass. */
static void test_loop_timers_due_together(void **state)
{
    (void)state;
    loop_t *l = loop_create();
    timers_t t = {0};
    int64_t now = loop_now();
    long long a = loop_add_timer(l, now + 30 * LOOP_NS_PER_MS, on_timer, &t);
    long long b = loop_add_timer(l, now + 20 * LOOP_NS_PER_MS, on_timer, &t);
    long long c = loop_add_timer(l, now + 10 * LOOP_NS_PER_MS, on_timer, &t);
    long long d = loop_add_timer(l, now + 20 * LOOP_NS_PER_MS, on_timer, &t);
    long long e = loop_add_timer(l, now + 40 * LOOP_NS_PER_MS, on_timer, &t);
    assert_true(a > 0 && b > 0 && c > 0 && d > 0 && e > 0);
    t.other = e; /* c, the first due, deletes e though e is due too */
    sys_sleep_until_ns(now + 50 * LOOP_NS_PER_MS); /* the late wake-up, made sure of */
    loop_run_once(l, 0);
    assert_int_equal(t.n, 4);
    assert_int_equal(t.order[0], (int)c);
    assert_int_equal(t.order[1], (int)b);
    assert_int_equal(t.order[2], (int)d);
    assert_int_equal(t.order[3], (int)a);
    loop_run_once(l, 0);
    assert_int_equal(t.n, 4);
    loop_destroy(l);
}

/* The pace's decision, on an injected clock: busy from LOOP_PACE_BUSY_READY ready descriptors in a
 * window, idle again at LOOP_PACE_IDLE_READY or fewer, unchanged in between; a long window counts
 * as a rate. */
static void test_loop_pace(void **state)
{
    (void)state;
    const int64_t w = LOOP_PACE_WINDOW_NS, t = 5 * LOOP_NS_PER_SEC;
    loop_pace_t p = {0};
    assert_false(loop_pace_note(&p, t, 0)); /* the first window starts */
    /* One short of the bound: still idle. */
    assert_false(loop_pace_note(&p, t + w / 2, LOOP_PACE_BUSY_READY - 1));
    assert_false(loop_pace_note(&p, t + w, 0));
    /* At the bound: busy once the window is over, not before. */
    assert_false(loop_pace_note(&p, t + w + w / 2, LOOP_PACE_BUSY_READY));
    assert_true(loop_pace_note(&p, t + 2 * w, 0));
    /* Between the two bounds the mode holds. */
    assert_true(loop_pace_note(&p, t + 2 * w + 1, LOOP_PACE_IDLE_READY + 1));
    assert_true(loop_pace_note(&p, t + 3 * w, 0));
    /* Idle again at the lower bound. */
    assert_true(loop_pace_note(&p, t + 3 * w + 1, LOOP_PACE_IDLE_READY));
    assert_false(loop_pace_note(&p, t + 4 * w, 0));
    /* A wait that slept ten windows long: its count is spread over them. */
    assert_false(loop_pace_note(&p, t + 4 * w + 1, 5 * LOOP_PACE_BUSY_READY));
    assert_false(loop_pace_note(&p, t + 14 * w, 0));
    /* The same count within one window makes it busy. */
    assert_false(loop_pace_note(&p, t + 14 * w + 1, 5 * LOOP_PACE_BUSY_READY));
    assert_true(loop_pace_note(&p, t + 15 * w, 0));
}

static int64_t on_tick(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    (*(int *)ud)++;
    return LOOP_NOMORE;
}

/* Never reads: its descriptor stays ready, and every wait finds it. */
static void on_noise(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    (void)fd;
    (void)mask;
    (*(int *)ud)++;
}

/* Idle, a message wakes the loop at once; busy, it waits for the next timer when that is within
 * the coalescing bound, and is then read in the same iteration, ahead of the timer. */
static void test_loop_coalesce(void **state)
{
    (void)state;
    const int64_t bound = 50 * LOOP_NS_PER_MS, near = 30 * LOOP_NS_PER_MS;
    loop_t *l = loop_create();
    loop_set_coalesce(l, bound);
    int quiet[2], noise[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, quiet), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, noise), 0);
    fired_t f = {0};
    int ticks = 0, noisy = 0;
    assert_int_equal(loop_add_file(l, quiet[0], LOOP_READABLE, on_fd, &f), 0);

    /* Idle: the message is handled without waiting for the timer. */
    assert_false(loop_busy(l));
    loop_add_timer(l, loop_now() + near, on_tick, &ticks);
    assert_int_equal(write(quiet[1], "x", 1), 1);
    loop_run_once(l, -1);
    assert_int_equal(f.count[quiet[0]], 1);
    assert_int_equal(ticks, 0);
    while (ticks == 0)
        loop_run_once(l, -1);

    /* A descriptor ready at every wait makes the loop busy within a window or two. */
    assert_int_equal(write(noise[1], "x", 1), 1);
    assert_int_equal(loop_add_file(l, noise[0], LOOP_READABLE, on_noise, &noisy), 0);
    int64_t deadline = loop_now() + 2 * LOOP_NS_PER_SEC;
    while (!loop_busy(l) && loop_now() < deadline)
        loop_run_once(l, 5);
    assert_true(loop_busy(l));
    /* The window that made it busy has just begun: the next decision is a window away. */
    loop_del_file(l, noise[0], LOOP_READABLE);

    /* Busy, but the next timer is beyond the bound: no coalescing, the message wakes it. */
    long long far = loop_add_timer(l, loop_now() + 4 * bound, on_tick, &ticks);
    assert_int_equal(write(quiet[1], "x", 1), 1);
    loop_run_once(l, -1);
    assert_int_equal(f.count[quiet[0]], 2);
    loop_del_timer(l, far);

    /* Busy, timer near: one iteration sleeps to it, reads the message, then runs the timer. */
    ticks = 0;
    int64_t start = loop_now();
    loop_add_timer(l, start + near, on_tick, &ticks);
    assert_int_equal(write(quiet[1], "x", 1), 1);
    loop_run_once(l, -1);
    assert_true(loop_now() - start >= near);
    assert_int_equal(f.count[quiet[0]], 3);
    assert_int_equal(ticks, 1);

    for (int i = 0; i < 2; i++) {
        close(quiet[i]);
        close(noise[i]);
    }
    loop_destroy(l);
}

/* ---- conn ---- */

/* The output buffer holds up to its cap and refuses beyond; flushing empties and frees it. */
static void test_conn_output(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    conn_t c;
    conn_init(&c, sv[0], loop_now(), NULL);
    assert_false(conn_has_output(&c));
    char chunk[1000];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 10; i++)
        assert_int_equal(conn_queue(&c, chunk, sizeof chunk, 10000), 0);
    assert_int_equal(conn_queue(&c, "y", 1, 10000), -1); /* over the cap */
    assert_true(conn_has_output(&c));
    assert_int_equal(conn_flush(&c), 0);
    assert_false(conn_has_output(&c));
    assert_null(c.out); /* an idle connection holds no buffer */
    char got[20000];
    assert_int_equal(read(sv[1], got, sizeof got), 10000);
    conn_close(&c);
    close(sv[1]);
}

/* The message bucket allows a burst, then refills with time; chat has its own, stricter one. */
static void test_conn_rate(void **state)
{
    (void)state;
    conn_t c;
    int64_t t = 1000 * LOOP_NS_PER_SEC;
    conn_init(&c, -1, t, NULL);
    int taken = 0;
    while (conn_take_token(&c, t))
        taken++;
    assert_int_equal(taken, CONN_RATE_BURST);
    t += LOOP_NS_PER_SEC;
    taken = 0;
    while (conn_take_token(&c, t))
        taken++;
    assert_int_equal(taken, CONN_RATE_PER_SEC);
    int chats = 0;
    t += 10 * LOOP_NS_PER_SEC;
    while (conn_take_chat_token(&c, t))
        chats++;
    assert_int_equal(chats, CONN_CHAT_BURST);
    c.fd = -1;
    conn_close(&c);
}

/* ---- flags ---- */

static int parse(server_config_t *cfg, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = "nine43-server";
    for (int i = 0; args[i]; i++)
        argv[argc++] = (char *)args[i];
    config_defaults(cfg);
    return config_parse(cfg, argc, argv);
}

static void test_flags(void **state)
{
    (void)state;
    server_config_t cfg;
    assert_int_equal(parse(&cfg, (const char *const[]){NULL}), 0);
    assert_int_equal(cfg.port, 9999);
    assert_int_equal(cfg.group_size, 2);
    assert_int_equal(cfg.vote_timeout, 15);
    assert_int_equal(cfg.max_clients, 1024);
    assert_int_equal(cfg.idle_timeout, 30);
    assert_int_equal(cfg.end_timeout, 20);
    assert_int_equal(cfg.round_seconds, 0);
    assert_int_equal(cfg.max_output, CONN_MAX_OUTPUT_DEFAULT);
    assert_true(cfg.name[0] != '\0');
    assert_int_equal(
        parse(&cfg, (const char *const[]){"--port", "0", "--group-size=8", "--bind", "::1",
                                          "--name", "LAN party", "--log-level", "debug",
                                          "--no-discovery", "--max-output", "64", NULL}),
        0);
    assert_int_equal(cfg.port, 0);
    assert_int_equal(cfg.group_size, 8);
    assert_string_equal(cfg.bind, "::1");
    assert_string_equal(cfg.name, "LAN party");
    assert_int_equal(cfg.log_level, LOG_DEBUG);
    assert_true(cfg.no_discovery);
    assert_int_equal(cfg.max_output, 64 * 1024);
    assert_int_equal(parse(&cfg, (const char *const[]){"--group-size", "1", NULL}), 2);
    assert_int_equal(parse(&cfg, (const char *const[]){"--group-size", "2x", NULL}), 2);
    assert_int_equal(parse(&cfg, (const char *const[]){"--idle-timeout", "1", NULL}), 2);
    assert_int_equal(parse(&cfg, (const char *const[]){"--max-output", "1", NULL}), 2);
    assert_int_equal(parse(&cfg, (const char *const[]){"--name", "", NULL}), 2);
    assert_int_equal(parse(&cfg, (const char *const[]){"--worlds", NULL}), 2);
    assert_int_equal(parse(&cfg, (const char *const[]){"-x", NULL}), 2);
}

/* The evening's board: points add up, names match in any case, the order is wins, points, then
 * fewer rounds, and the board holds PROTO_MAX_EVENING rows at most. */
static void test_evening_board(void **state)
{
    (void)state;
    server_t s;
    memset(&s, 0, sizeof s);
    assert_int_equal(evening_create(&s), 0);
    evening_record(&s, "alice", 5, true);
    evening_record(&s, "bob", 7, false);
    evening_record(&s, "Alice", 2, false);
    evening_record(&s, "carol", 9, true);
    assert_int_equal(evening_wins(&s, "ALICE"), 1);
    assert_int_equal(evening_wins(&s, "nobody"), 0);
    msg_evening_t b;
    evening_board(&s, &b);
    assert_int_equal(b.nrows, 3);
    assert_string_equal(b.rows[0].username, "carol"); /* 1 win, 9 points */
    assert_string_equal(b.rows[1].username, "Alice"); /* 1 win, 7 points, as last played */
    assert_int_equal(b.rows[1].played, 2);
    assert_int_equal(b.rows[1].points, 7);
    assert_string_equal(b.rows[2].username, "bob");
    for (int i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        evening_record(&s, name, i, i % 2 == 0);
    }
    evening_board(&s, &b);
    assert_int_equal(b.nrows, PROTO_MAX_EVENING);
    for (int i = 1; i < b.nrows; i++)
        assert_true(
            b.rows[i - 1].won > b.rows[i].won ||
            (b.rows[i - 1].won == b.rows[i].won && b.rows[i - 1].points >= b.rows[i].points));
    assert_string_equal(b.rows[0].username, "p38");
    evening_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop_files),
        cmocka_unit_test(test_loop_timers),
        cmocka_unit_test(test_loop_timers_due_together),
        cmocka_unit_test(test_loop_pace),
        cmocka_unit_test(test_loop_coalesce),
        cmocka_unit_test(test_evening_board),
        cmocka_unit_test(test_conn_output),
        cmocka_unit_test(test_conn_rate),
        cmocka_unit_test(test_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
