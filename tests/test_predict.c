/* test_predict.c -- client prediction, reconciliation with the server's ack, and interpolation
 * (play/predict.c) against the real simulation */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "predict.h"
#include "proto.h"
#include "sim.h"
#include "world.h"

/* An open room with a wall block in the middle: walls to slide along and corners to hit. */
static const char *const ROOM[] = {
    "################", "#S.....c......S#", "#..............#", "#....####......#",
    "#....####......#", "#..............#", "#S.....c......S#", "################",
};
#define ROOM_ROWS 8

static const char NAMES[2][PROTO_USERNAME_SIZE] = {"alice", "bob"};

typedef struct fixture {
    world_t world;
    sim_game_t server;
    predict_t pred;
    msg_state_t st;
    uint32_t now;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    char err[256];
    assert_int_equal(world_from_rows(&f->world, "room", "", 60, ROOM, ROOM_ROWS, err, sizeof err),
                     0);
    sim_init(&f->server, &f->world, 2, 7, 60);
    predict_init(&f->pred, &f->world, SIM_TICK_RATE);
    f->now = 1000;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* The server's snapshot reaches the client. */
static void deliver(fixture_t *f)
{
    proto_state_from_sim(&f->st, &f->server, NAMES);
    predict_snapshot(&f->pred, &f->st, 0, f->now);
}

/* The client sends and predicts one input. */
static sim_input_t client_tick(fixture_t *f, uint32_t seq, int dx, int dy, bool dash)
{
    sim_input_t in = {seq, (int8_t)dx, (int8_t)dy, dash};
    predict_tick(&f->pred, &in, f->now);
    return in;
}

static void server_step(fixture_t *f, const sim_input_t *in)
{
    sim_set_input(&f->server, 0, in);
    sim_step(&f->server);
}

/* Inputs that walk, slide along walls, dash and stop: each a tick. */
static void script_input(int i, int *dx, int *dy, bool *dash)
{
    static const int8_t dirs[][2] = {{1, 0},  {1, 1},  {0, 1},  {-1, 1},
                                     {-1, 0}, {0, -1}, {1, -1}, {0, 0}};
    *dx = dirs[(i / 7) % 8][0];
    *dy = dirs[(i / 7) % 8][1];
    *dash = i % 23 == 5 || i % 23 == 6;
}

static void test_no_latency_matches_server(void **state)
{
    fixture_t *f = *state;
    deliver(f); /* the first snapshot places you */
    for (int i = 0; i < 200; i++) {
        int dx, dy;
        bool dash;
        script_input(i, &dx, &dy, &dash);
        f->now += 33;
        sim_input_t in = client_tick(f, (uint32_t)i + 1, dx, dy, dash);
        int32_t px, py;
        assert_true(predict_self_exact(&f->pred, &px, &py));
        server_step(f, &in);
        /* Before the ack arrives, the prediction already equals what the server computed. */
        assert_int_equal(px, f->server.players[0].x);
        assert_int_equal(py, f->server.players[0].y);
        deliver(f);
        assert_true(predict_self_exact(&f->pred, &px, &py));
        assert_int_equal(px, f->server.players[0].x);
        assert_int_equal(py, f->server.players[0].y);
        assert_int_equal(predict_pending(&f->pred), 0);
    }
    assert_int_equal(f->pred.corrections, 0);
    float x, y;
    assert_true(predict_self_pos(&f->pred, f->now + 100, &x, &y));
    assert_float_equal(x, f->server.players[0].x / 1000.0f, 0.0005f);
    assert_float_equal(y, f->server.players[0].y / 1000.0f, 0.0005f);
}

static void test_replays_unacknowledged_inputs(void **state)
{
    fixture_t *f = *state;
    deliver(f);
    /* A reference run of all six inputs: what the server will have done in the end. */
    sim_game_t ref = f->server;
    static const int8_t script[6][3] = {{1, 0, 0}, {1, 0, 1}, {1, 1, 1},
                                        {1, 1, 0}, {0, 1, 0}, {0, 1, 0}};
    sim_input_t ins[6];
    for (int i = 0; i < 6; i++) {
        f->now += 33;
        ins[i] = client_tick(f, (uint32_t)i + 1, script[i][0], script[i][1], script[i][2] != 0);
        sim_set_input(&ref, 0, &ins[i]);
        sim_step(&ref);
    }
    int32_t px, py;
    assert_true(predict_self_exact(&f->pred, &px, &py));
    /* The server has applied three of them (mid-dash) when its snapshot arrives. */
    for (int i = 0; i < 3; i++)
        server_step(f, &ins[i]);
    deliver(f);
    assert_int_equal(f->st.players[0].ack, 3);
    assert_int_equal(predict_pending(&f->pred), 3);
    int32_t rx, ry;
    assert_true(predict_self_exact(&f->pred, &rx, &ry));
    assert_int_equal(rx, ref.players[0].x);
    assert_int_equal(ry, ref.players[0].y);
    assert_int_equal(rx, px); /* nothing to correct */
    assert_int_equal(ry, py);
    assert_int_equal(f->pred.corrections, 0);
    /* The rest arrive; the prediction still agrees. */
    for (int i = 3; i < 6; i++)
        server_step(f, &ins[i]);
    deliver(f);
    assert_int_equal(predict_pending(&f->pred), 0);
    assert_true(predict_self_exact(&f->pred, &rx, &ry));
    assert_int_equal(rx, ref.players[0].x);
    assert_int_equal(ry, ref.players[0].y);
}

static void test_correction_is_smoothed(void **state)
{
    fixture_t *f = *state;
    deliver(f);
    sim_input_t in = client_tick(f, 1, 1, 0, false);
    server_step(f, &in);
    f->now += 100;
    float before_x, before_y;
    assert_true(predict_self_pos(&f->pred, f->now, &before_x, &before_y));
    /* The server disagrees by 0.3 tiles (say a steal knocked us back). */
    proto_state_from_sim(&f->st, &f->server, NAMES);
    f->st.players[0].x -= 300;
    predict_snapshot(&f->pred, &f->st, 0, f->now);
    int32_t ex, ey;
    assert_true(predict_self_exact(&f->pred, &ex, &ey));
    assert_int_equal(ex, f->server.players[0].x - 300);
    assert_int_equal(f->pred.corrections, 1);
    /* No visible jump: the same place on the frame of the correction ... */
    float x, y;
    assert_true(predict_self_pos(&f->pred, f->now, &x, &y));
    assert_float_equal(x, before_x, 0.001f);
    assert_float_equal(y, before_y, 0.001f);
    /* ... half-way after half the smoothing time ... */
    assert_true(predict_self_pos(&f->pred, f->now + PREDICT_SMOOTH_MS / 2, &x, &y));
    assert_float_equal(x, before_x - 0.15f, 0.002f);
    /* ... and exactly the server's word once it is over. */
    assert_true(predict_self_pos(&f->pred, f->now + PREDICT_SMOOTH_MS, &x, &y));
    assert_float_equal(x, ex / 1000.0f, 0.0005f);
    assert_float_equal(y, ey / 1000.0f, 0.0005f);

    /* A teleport is not slid through walls: it shows at once. */
    f->now += 500;
    f->st.players[0].x += 5000;
    predict_snapshot(&f->pred, &f->st, 0, f->now);
    assert_true(predict_self_pos(&f->pred, f->now, &x, &y));
    assert_float_equal(x, f->st.players[0].x / 1000.0f, 0.0005f);
    assert_int_equal(f->pred.snaps, 1);
}

static void test_pending_ring_is_bounded(void **state)
{
    fixture_t *f = *state;
    deliver(f);
    for (uint32_t i = 1; i <= PREDICT_MAX_PENDING + 40; i++) {
        f->now += 33;
        client_tick(f, i, i % 2 ? 1 : -1, 0, false);
    }
    assert_int_equal(predict_pending(&f->pred), PREDICT_MAX_PENDING);
    /* A snapshot acking an input already dropped from the ring still works. */
    f->st.players[0].ack = 10;
    predict_snapshot(&f->pred, &f->st, 0, f->now);
    assert_int_equal(predict_pending(&f->pred), PREDICT_MAX_PENDING);
    f->st.players[0].ack = PREDICT_MAX_PENDING + 40;
    predict_snapshot(&f->pred, &f->st, 0, f->now);
    assert_int_equal(predict_pending(&f->pred), 0);
}

/* A two-player snapshot with bob at (x, 2.5). */
static void bob_snapshot(predict_t *p, uint32_t tick, int32_t x, uint32_t now)
{
    msg_state_t st;
    memset(&st, 0, sizeof st);
    st.tick = tick;
    st.nplayers = 2;
    strcpy(st.players[0].username, "alice");
    st.players[0].x = 1500;
    st.players[0].y = 1500;
    strcpy(st.players[1].username, "bob");
    st.players[1].x = x;
    st.players[1].y = 2500;
    predict_snapshot(p, &st, 0, now);
}

static void test_interpolation(void **state)
{
    fixture_t *f = *state;
    predict_t *p = &f->pred;
    predict_init(p, &f->world, 10); /* 100 ms between snapshots keeps the numbers round */
    float x, y;
    assert_false(predict_other_pos(p, 1, 0, &x, &y));
    bob_snapshot(p, 10, 1000, 1000);
    /* One snapshot: drawn where it is. */
    assert_true(predict_other_pos(p, 1, 1010, &x, &y));
    assert_float_equal(x, 1.0f, 0.0001f);
    bob_snapshot(p, 11, 2000, 1100);
    /* Half-way between the two, PREDICT_INTERP_DELAY_MS behind the newer one. */
    assert_true(predict_other_pos(p, 1, 1100 + PREDICT_INTERP_DELAY_MS - 50, &x, &y));
    assert_float_equal(x, 1.5f, 0.0001f);
    assert_float_equal(y, 2.5f, 0.0001f);
    /* Never before the older snapshot. */
    assert_true(predict_other_pos(p, 1, 900, &x, &y));
    assert_float_equal(x, 1.0f, 0.0001f);
    /* A late snapshot: extrapolated a little along the last velocity, then held. */
    assert_true(predict_other_pos(p, 1, 1100 + PREDICT_INTERP_DELAY_MS + 25, &x, &y));
    assert_float_equal(x, 2.25f, 0.0001f);
    assert_true(predict_other_pos(p, 1, 9000, &x, &y));
    assert_float_equal(x, 2.0f + PREDICT_MAX_EXTRAPOLATE_MS / 100.0f, 0.0001f);
    /* A jump longer than PREDICT_SNAP_DISTANCE is shown at once, not slid. */
    bob_snapshot(p, 12, 2000 + PREDICT_SNAP_DISTANCE + 1, 1200);
    assert_true(predict_other_pos(p, 1, 1200, &x, &y));
    assert_float_equal(x, (2000 + PREDICT_SNAP_DISTANCE + 1) / 1000.0f, 0.0001f);
    /* Unknown players are not drawn. */
    assert_false(predict_other_pos(p, 2, 1200, &x, &y));
}

static void test_interpolation_at_tick_rate(void **state)
{
    fixture_t *f = *state;
    predict_t *p = &f->pred;
    predict_init(p, &f->world, SIM_TICK_RATE);
    bob_snapshot(p, 30, 1000, 5000);
    bob_snapshot(p, 31, 1133, 5033);
    float x, y;
    /* At arrival, about one tick behind: the older position. */
    assert_true(predict_other_pos(p, 1, 5033, &x, &y));
    assert_float_equal(x, 1.0f, 0.001f);
    /* Half a tick later, about half-way. */
    assert_true(predict_other_pos(p, 1, 5033 + 17, &x, &y));
    assert_float_equal(x, 1.0665f, 0.006f);
    /* One tick later, the newer position. */
    assert_true(predict_other_pos(p, 1, 5033 + PREDICT_INTERP_DELAY_MS, &x, &y));
    assert_float_equal(x, 1.133f, 0.001f);
}

/* Players are matched between snapshots by name, once per snapshot: a state that lists them in
 * another order still slides each from where it was. */
static void test_interpolation_follows_names(void **state)
{
    fixture_t *f = *state;
    predict_t *p = &f->pred;
    predict_init(p, &f->world, 10);
    bob_snapshot(p, 10, 1000, 1000);
    msg_state_t st;
    memset(&st, 0, sizeof st);
    st.tick = 11;
    st.nplayers = 3;
    strcpy(st.players[0].username, "bob");
    st.players[0].x = 2000;
    st.players[0].y = 2500;
    strcpy(st.players[1].username, "carol");
    st.players[1].x = 4000;
    st.players[1].y = 4000;
    strcpy(st.players[2].username, "alice");
    st.players[2].x = 1500;
    st.players[2].y = 1500;
    predict_snapshot(p, &st, 2, 1100);
    assert_int_equal(predict_older_index(p, 0), 1);
    assert_int_equal(predict_older_index(p, 1), -1);
    assert_int_equal(predict_older_index(p, 2), 0);
    float x, y;
    assert_true(predict_other_pos(p, 0, 1100 + PREDICT_INTERP_DELAY_MS - 50, &x, &y));
    assert_float_equal(x, 1.5f, 0.0001f); /* half-way from bob's 1.0, not from alice's */
    assert_true(predict_other_pos(p, 1, 1100 + PREDICT_INTERP_DELAY_MS - 50, &x, &y));
    assert_float_equal(x, 4.0f, 0.0001f); /* new this snapshot: where it is */
}

/* A round trip over a jittery link: the server applies only the latest input each tick, so
 * bunched inputs make it skip some and repeat others. What you see must glide, never jump, and
 * settle exactly where the server says. */
#define LINK_LATENCY_MS 60
#define LINK_JITTER_MS  50
#define LINK_MAX_QUEUE  512

typedef struct packet {
    uint32_t at;    /* arrival time */
    sim_input_t in; /* client -> server */
    msg_state_t st; /* server -> client */
} packet_t;

static uint32_t link_delay(uint64_t *rng)
{
    *rng = *rng * 6364136223846793005ull + 1442695040888963407ull;
    return LINK_LATENCY_MS + (uint32_t)((*rng >> 33) % LINK_JITTER_MS);
}

static void test_jittery_link_glides_and_settles(void **state)
{
    fixture_t *f = *state;
    static packet_t up[LINK_MAX_QUEUE], down[LINK_MAX_QUEUE];
    int up_head = 0, up_len = 0, down_head = 0, down_len = 0;
    uint32_t up_last = 0, down_last = 0;
    uint64_t rng = 99;
    deliver(f);
    float last_x, last_y;
    assert_true(predict_self_pos(&f->pred, f->now, &last_x, &last_y));
    uint32_t start = f->now, seq = 0;
    float max_step = 0.0f;
    int next_client_tick = 0, next_server_tick = 0;
    const int run_ms = 6000, stop_ms = 4500;
    for (int t = 0; t <= run_ms; t++) {
        f->now = start + (uint32_t)t;
        /* Client tick: an input while moving (TCP keeps the order). */
        if (t * SIM_TICK_RATE >= next_client_tick * 1000) {
            next_client_tick++;
            if (t < stop_ms) {
                int dx, dy;
                bool dash;
                script_input(next_client_tick, &dx, &dy, &dash);
                if (dx == 0 && dy == 0)
                    dx = 1;
                sim_input_t in = client_tick(f, ++seq, dx, dy, false);
                packet_t *p = &up[(up_head + up_len++) % LINK_MAX_QUEUE];
                p->at = f->now + link_delay(&rng);
                if ((int32_t)(p->at - up_last) < 0)
                    p->at = up_last;
                up_last = p->at;
                p->in = in;
            } else if (t - stop_ms < 34) {
                sim_input_t in = client_tick(f, ++seq, 0, 0, false);
                packet_t *p = &up[(up_head + up_len++) % LINK_MAX_QUEUE];
                p->at = f->now + LINK_LATENCY_MS;
                if ((int32_t)(p->at - up_last) < 0)
                    p->at = up_last;
                up_last = p->at;
                p->in = in;
            }
        }
        /* Server tick, out of phase with the client: the latest input that arrived wins. */
        if ((t + 11) * SIM_TICK_RATE >= next_server_tick * 1000) {
            next_server_tick++;
            while (up_len > 0 && (int32_t)(f->now - up[up_head].at) >= 0) {
                sim_set_input(&f->server, 0, &up[up_head].in);
                up_head = (up_head + 1) % LINK_MAX_QUEUE;
                up_len--;
            }
            sim_step(&f->server);
            packet_t *p = &down[(down_head + down_len++) % LINK_MAX_QUEUE];
            p->at = f->now + link_delay(&rng);
            if ((int32_t)(p->at - down_last) < 0)
                p->at = down_last;
            down_last = p->at;
            proto_state_from_sim(&p->st, &f->server, NAMES);
        }
        while (down_len > 0 && (int32_t)(f->now - down[down_head].at) >= 0) {
            predict_snapshot(&f->pred, &down[down_head].st, 0, f->now);
            down_head = (down_head + 1) % LINK_MAX_QUEUE;
            down_len--;
        }
        assert_true(up_len < LINK_MAX_QUEUE && down_len < LINK_MAX_QUEUE);
        /* A 60 FPS frame. */
        if (t % 16 == 0) {
            float x, y;
            assert_true(predict_self_pos(&f->pred, f->now, &x, &y));
            float step = hypotf(x - last_x, y - last_y);
            if (step > max_step)
                max_step = step;
            last_x = x;
            last_y = y;
        }
    }
    /* Walking covers 0.133 tiles a tick, 0.064 a 16 ms frame; showing a skipped or repeated
     * tick at once would add 0.133 in one frame. */
    assert_true(max_step < 0.1f);
    assert_true(f->pred.corrections > 0); /* the link did disturb it */
    assert_int_equal(predict_pending(&f->pred), 0);
    float x, y;
    assert_true(predict_self_pos(&f->pred, f->now, &x, &y));
    assert_float_equal(x, f->server.players[0].x / 1000.0f, 0.0005f);
    assert_float_equal(y, f->server.players[0].y / 1000.0f, 0.0005f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_latency_matches_server, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replays_unacknowledged_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_is_smoothed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_ring_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jittery_link_glides_and_settles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interpolation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interpolation_at_tick_rate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interpolation_follows_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
