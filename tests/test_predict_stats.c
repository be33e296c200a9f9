/* test_predict_stats.c -- the smoothness figures the client records (play/predict.c): the
 * distance of each correction of your own player, and the others' freezes on late snapshots */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "predict.h"

static const char *const ROOM[] = {
    "################", "#S.....c......S#", "#..............#", "#..............#",
    "#..............#", "#..............#", "#S............S#", "################",
};

typedef struct fixture {
    world_t world;
    predict_t pred;
    msg_state_t st;
} fixture_t;

static fixture_t *fixture(void)
{
    fixture_t *f = calloc(1, sizeof *f);
    char err[256];
    assert_int_equal(world_from_rows(&f->world, "room", "", 60, ROOM, 8, err, sizeof err), 0);
    predict_init(&f->pred, &f->world, SIM_TICK_RATE);
    f->st.nplayers = 2;
    snprintf(f->st.players[0].username, PROTO_USERNAME_SIZE, "alice");
    snprintf(f->st.players[1].username, PROTO_USERNAME_SIZE, "bob");
    f->st.players[0].x = f->st.players[0].y = 3000;
    f->st.players[1].x = f->st.players[1].y = 5000;
    return f;
}

/* Snapshot `tick` arriving at now_ms, alice (me) at x. */
static void deliver(fixture_t *f, uint32_t tick, uint32_t now_ms, int32_t x)
{
    f->st.tick = tick;
    f->st.players[0].x = x;
    predict_snapshot(&f->pred, &f->st, 0, now_ms);
}

static void test_a_steady_stream_has_no_corrections_and_no_stalls(void **state)
{
    (void)state;
    fixture_t *f = fixture();
    for (uint32_t t = 1; t <= 90; t++)
        deliver(f, t, 1000 + t * 33, 3000);
    const predict_stats_t *st = &f->pred.stats;
    assert_int_equal(st->snapshots, 89); /* the first one only places the player */
    assert_int_equal(st->corrections, 0);
    assert_int_equal(st->stalls, 0);
    assert_int_equal(predict_stats_quantile(st, 0.99), PREDICT_STATS_BIN);
    free(f);
}

static void test_corrections_are_measured_and_ranked(void **state)
{
    (void)state;
    fixture_t *f = fixture();
    deliver(f, 1, 1000, 3000);
    for (uint32_t t = 2; t <= 99; t++)
        deliver(f, t, 1000 + t * 33, 3000); /* 98 snapshots, right */
    deliver(f, 100, 1000 + 100 * 33, 3200); /* 200 milli-tiles off */
    deliver(f, 101, 1000 + 101 * 33, 3200);
    const predict_stats_t *st = &f->pred.stats;
    assert_int_equal(st->snapshots, 100);
    assert_int_equal(st->corrections, 1);
    assert_int_equal(st->max_correction, 200);
    assert_int_equal(predict_stats_quantile(st, 0.5), PREDICT_STATS_BIN);
    assert_int_equal(predict_stats_quantile(st, 1.0), 200 + PREDICT_STATS_BIN);
    free(f);
}

/* A snapshot 300 ms late: the others moved on for the delay and the extrapolation, then
 * stood still for the rest of the gap. */
static void test_a_late_snapshot_is_a_stall(void **state)
{
    (void)state;
    fixture_t *f = fixture();
    deliver(f, 1, 1000, 3000);
    deliver(f, 2, 1033, 3000);
    deliver(f, 3, 1033 + 300, 3000);
    const predict_stats_t *st = &f->pred.stats;
    assert_int_equal(st->stalls, 1);
    int32_t covered = 33 + PREDICT_INTERP_DELAY_MS + PREDICT_MAX_EXTRAPOLATE_MS;
    assert_int_equal(st->stalled_ms, 300 - covered);
    free(f);
}

/* The countdown: tick 0 on the spawns, then tick 1 three seconds later, at GO. Nothing moved
 * in between, so nobody froze. */
static void test_the_countdown_is_not_a_stall(void **state)
{
    (void)state;
    fixture_t *f = fixture();
    deliver(f, 0, 1000, 3000);
    deliver(f, 1, 4000, 3000);
    deliver(f, 2, 4033, 3000);
    assert_int_equal(f->pred.stats.stalls, 0);
    assert_int_equal(f->pred.stats.stalled_ms, 0);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_steady_stream_has_no_corrections_and_no_stalls),
        cmocka_unit_test(test_corrections_are_measured_and_ranked),
        cmocka_unit_test(test_a_late_snapshot_is_a_stall),
        cmocka_unit_test(test_the_countdown_is_not_a_stall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
