/* test_sim.c -- the coin race rules: movement, walls, coins, dash, steals, stun, ranking,
 * determinism */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"
#include "world.h"

/* A 12x10 room: walls all round, one wall tile at (6, 4), floor elsewhere. */
static const char *const room_rows[] = {
    "############", "#S........c#", "#..........#", "#..........#", "#.....#....#",
    "#..........#", "#..........#", "#..........#", "#S.........#", "############",
};

static world_t room;

static int setup_room(void **state)
{
    (void)state;
    char err[256];
    int rc = world_from_rows(&room, "room", "a test room", 60, room_rows, 10, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "room: %s\n", err);
    return rc;
}

/* A game on the room with every player parked at (x, y) and all coins far off, unless a
 * test moves them. */
static void start(sim_game_t *g, int nplayers)
{
    sim_init(g, &room, nplayers, 1, 0);
}

static void place(sim_game_t *g, int i, int32_t x, int32_t y)
{
    g->players[i].x = x;
    g->players[i].y = y;
}

static void hold(sim_game_t *g, int i, int dx, int dy, bool dash)
{
    sim_input_t in = {g->players[i].input.seq + 1, (int8_t)dx, (int8_t)dy, dash};
    sim_set_input(g, i, &in);
}

/* The coin at (10, 1) sits by a spawn; tests that do not want it taken park players away. */
static const int32_t FAR_X = 3500, FAR_Y = 6500;

/* Squared distance from (x, y) to the closest point of the wall tile (c, r). */
static int64_t tile_dist2(int32_t x, int32_t y, int c, int r)
{
    int32_t lo_x = c * SIM_ONE, lo_y = r * SIM_ONE;
    int64_t dx = x < lo_x ? lo_x - x : x > lo_x + SIM_ONE ? x - (lo_x + SIM_ONE) : 0;
    int64_t dy = y < lo_y ? lo_y - y : y > lo_y + SIM_ONE ? y - (lo_y + SIM_ONE) : 0;
    return dx * dx + dy * dy;
}

static void assert_clear_of_walls(const world_t *w, const sim_player_t *p)
{
    int c0 = p->x / SIM_ONE, r0 = p->y / SIM_ONE;
    for (int r = r0 - 1; r <= r0 + 1; r++)
        for (int c = c0 - 1; c <= c0 + 1; c++)
            if (world_is_wall(w, c, r) &&
                tile_dist2(p->x, p->y, c, r) < (int64_t)SIM_RADIUS * SIM_RADIUS) {
                fail_msg("player at (%d, %d) overlaps wall tile (%d, %d)", (int)p->x, (int)p->y, c,
                         r);
            }
}

static void test_moves_at_speed(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    place(&g, 0, FAR_X, FAR_Y);
    hold(&g, 0, 1, 0, false);
    sim_step(&g);
    assert_int_equal(g.players[0].x, FAR_X + SIM_SPEED);
    assert_int_equal(g.players[0].y, FAR_Y);
    hold(&g, 0, -1, 1, false);
    sim_step(&g);
    assert_int_equal(g.players[0].x, FAR_X + SIM_SPEED - SIM_DIAGONAL_SPEED);
    assert_int_equal(g.players[0].y, FAR_Y + SIM_DIAGONAL_SPEED);
    /* Out-of-range input is clamped to -1..1, not trusted. */
    sim_input_t wild = {9, 100, -7, false};
    sim_set_input(&g, 0, &wild);
    assert_int_equal(g.players[0].input.dx, 1);
    assert_int_equal(g.players[0].input.dy, -1);
    /* An input is held until replaced. */
    hold(&g, 0, 0, 1, false);
    int32_t y = g.players[0].y;
    for (int i = 0; i < 3; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].y, y + 3 * SIM_SPEED);
}

static void test_wall_stops(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    /* Right wall: column 11 starts at 11000; the circle stops touching it. */
    place(&g, 0, 9000, 6500);
    hold(&g, 0, 1, 0, false);
    for (int i = 0; i < 30; i++) {
        sim_step(&g);
        assert_true(g.players[0].x <= 11000 - SIM_RADIUS);
    }
    assert_int_equal(g.players[0].x, 11000 - SIM_RADIUS);
    /* Back off works at once: not stuck. */
    hold(&g, 0, -1, 0, false);
    sim_step(&g);
    assert_int_equal(g.players[0].x, 11000 - SIM_RADIUS - SIM_SPEED);
    /* The lone wall tile (6, 4) spans x 6000..7000, y 4000..5000: from the left face. */
    place(&g, 0, 4000, 4500);
    hold(&g, 0, 1, 0, true);
    for (int i = 0; i < 10; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].x, 6000 - SIM_RADIUS);
    assert_int_equal(g.players[0].y, 4500);
    /* From below, moving up. */
    place(&g, 0, 6500, 7000);
    hold(&g, 0, 0, -1, false);
    for (int i = 0; i < 30; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].x, 6500);
    assert_int_equal(g.players[0].y, 5000 + SIM_RADIUS);
}

static void test_outer_corner_is_round(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    /* Moving right 50 below the wall tile (6, 4): only its lower-left corner (6000, 5000)
     * is in the way, and the circle stops where it touches it: sqrt(350^2 - 50^2) = 346.4
     * short of the corner, rounded away from the wall. The corner reaches 300 into the
     * circle, more than SIM_CORNER_NUDGE: no sliding round it. */
    place(&g, 0, 4000, 5050);
    hold(&g, 0, 1, 0, false);
    for (int i = 0; i < 30; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].x, 6000 - 347);
    assert_int_equal(g.players[0].y, 5050);
    /* Passing 350 below the corner grazes it and goes on. */
    place(&g, 0, 4000, 5000 + SIM_RADIUS);
    for (int i = 0; i < 60; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].x, 11000 - SIM_RADIUS);
}

static void test_slides_round_corner(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    /* 200 below the corner (6000, 5000): the first touch stops x at 6000 - 288
     * (sqrt(350^2 - 200^2) = 287.2, rounded up) and spends the rest of the tick
     * sliding down, round the corner; in a few ticks the player is past it, exactly
     * clear of the corner (y = 5350), and walks on to the far wall. */
    place(&g, 0, 4000, 5200);
    hold(&g, 0, 1, 0, false);
    while (g.players[0].x + SIM_SPEED < 6000 - 288)
        sim_step(&g);
    int32_t x = g.players[0].x;
    sim_step(&g);
    assert_int_equal(g.players[0].x, 6000 - 288);
    assert_int_equal(g.players[0].y, 5200 + SIM_SPEED - (6000 - 288 - x));
    for (int i = 0; i < 60; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].x, 11000 - SIM_RADIUS);
    assert_int_equal(g.players[0].y, 5000 + SIM_RADIUS);
}

/* Diagonally at a pillar from many lines, some straight at its corner: every player
 * slides past it, on one side or the other, and ends in the room's far corner. */
static void test_diagonal_rounds_pillar(void **state)
{
    (void)state;
    for (int32_t x0 = 2500; x0 <= 3500; x0 += 25) {
        for (int mirror = 0; mirror < 2; mirror++) {
            sim_game_t g;
            start(&g, 1);
            /* Mirrored: from the right of the pillar (6, 4), going up and left. */
            int32_t x = mirror ? 13000 - x0 : x0;
            place(&g, 0, x, 8000);
            hold(&g, 0, mirror ? -1 : 1, -1, false);
            for (int i = 0; i < 150; i++) {
                sim_step(&g);
                assert_clear_of_walls(&room, &g.players[0]);
            }
            assert_int_equal(g.players[0].x, mirror ? 1000 + SIM_RADIUS : 11000 - SIM_RADIUS);
            assert_int_equal(g.players[0].y, 1000 + SIM_RADIUS);
        }
    }
}

/* A wall with a one-tile gap at column 4 (x 4000..5000): walking straight up a little
 * out of line with it still goes through, up to SIM_CORNER_NUDGE out of line. */
static void test_corridor_mouth_catches(void **state)
{
    (void)state;
    static const char *const gate_rows[] = {
        "##########", "#S.......#", "#........#", "####.#####",
        "#........#", "#S......c#", "#........#", "##########",
    };
    world_t w;
    char err[256];
    assert_int_equal(world_from_rows(&w, "gate", "", 60, gate_rows, 8, err, sizeof err), 0);
    /* In line: 4350..4650 passes untouched; out of line by up to 250 either side passes. */
    int32_t starts[] = {4350, 4650, 4100, 4900, 4250};
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
        sim_game_t g;
        sim_init(&g, &w, 1, 1, 0);
        place(&g, 0, starts[k], 5500);
        hold(&g, 0, 0, -1, false);
        for (int i = 0; i < 60; i++) {
            sim_step(&g);
            assert_clear_of_walls(&w, &g.players[0]);
        }
        assert_int_equal(g.players[0].y, 1000 + SIM_RADIUS);
        assert_true(g.players[0].x >= 4000 + SIM_RADIUS && g.players[0].x <= 5000 - SIM_RADIUS);
    }
    /* One more out of line: the wall's corner stops it, no sliding. */
    int32_t stuck[] = {4099, 4901};
    for (size_t k = 0; k < 2; k++) {
        sim_game_t g;
        sim_init(&g, &w, 1, 1, 0);
        place(&g, 0, stuck[k], 5500);
        hold(&g, 0, 0, -1, false);
        for (int i = 0; i < 60; i++)
            sim_step(&g);
        assert_int_equal(g.players[0].x, stuck[k]);
        assert_int_equal(g.players[0].y, 4000 + 336); /* sqrt(350^2 - 99^2) = 335.7 */
    }
}

static void test_slides_along_wall(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    /* Pressed diagonally against the left wall: x stays, y slides at the diagonal speed. */
    place(&g, 0, 1000 + SIM_RADIUS, 3000);
    hold(&g, 0, -1, 1, false);
    for (int i = 1; i <= 10; i++) {
        sim_step(&g);
        assert_int_equal(g.players[0].x, 1000 + SIM_RADIUS);
        assert_int_equal(g.players[0].y, 3000 + i * SIM_DIAGONAL_SPEED);
    }
    /* Against the top wall, moving right and up: slides right. */
    place(&g, 0, 3000, 1000 + SIM_RADIUS);
    hold(&g, 0, 1, -1, false);
    sim_step(&g);
    assert_int_equal(g.players[0].x, 3000 + SIM_DIAGONAL_SPEED);
    assert_int_equal(g.players[0].y, 1000 + SIM_RADIUS);
}

static void test_diagonal_into_corner(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    /* Pushed diagonally into the top-left inner corner, dashing too: stops cleanly at
     * the corner, touching both walls, and never further. */
    place(&g, 0, 3000, 3000);
    hold(&g, 0, -1, -1, true);
    for (int i = 0; i < 60; i++) {
        sim_step(&g);
        assert_true(g.players[0].x >= 1000 + SIM_RADIUS);
        assert_true(g.players[0].y >= 1000 + SIM_RADIUS);
    }
    assert_int_equal(g.players[0].x, 1000 + SIM_RADIUS);
    assert_int_equal(g.players[0].y, 1000 + SIM_RADIUS);
    /* Not stuck: each way out moves at once. */
    hold(&g, 0, 1, 0, false);
    sim_step(&g);
    assert_int_equal(g.players[0].x, 1000 + SIM_RADIUS + SIM_SPEED);
    hold(&g, 0, 0, 1, false);
    sim_step(&g);
    assert_int_equal(g.players[0].y, 1000 + SIM_RADIUS + SIM_SPEED);
    /* The bottom-right corner, diagonally, from an odd position. */
    place(&g, 0, 9777, 7555);
    hold(&g, 0, 1, 1, false);
    for (int i = 0; i < 60; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].x, 11000 - SIM_RADIUS);
    assert_int_equal(g.players[0].y, 9000 - SIM_RADIUS);
}

/* A position from a bad snapshot never breaks prediction: it is pulled into the map. */
static void test_move_from_wild_position(void **state)
{
    (void)state;
    sim_player_t p;
    memset(&p, 0, sizeof p);
    p.active = true;
    p.x = INT32_MAX;
    p.y = INT32_MIN;
    p.input.dx = 1;
    p.input.dy = -1;
    p.input.dash = true;
    for (int i = 0; i < 10; i++)
        sim_move_player(&room, &p);
    assert_true(p.x >= SIM_RADIUS && p.x <= room.width * SIM_ONE - SIM_RADIUS);
    assert_true(p.y >= SIM_RADIUS && p.y <= room.height * SIM_ONE - SIM_RADIUS);
}

static void test_outside_map_is_wall(void **state)
{
    (void)state;
    /* No border walls: the map's edge stops the player all the same. */
    static const char *const open_rows[] = {
        "S......S", "........", "........", "...c....",
        "........", "........", "........", "........",
    };
    world_t w;
    char err[256];
    assert_int_equal(world_from_rows(&w, "open", "", 60, open_rows, 8, err, sizeof err), 0);
    sim_game_t g;
    sim_init(&g, &w, 1, 3, 0);
    hold(&g, 0, -1, -1, true);
    for (int i = 0; i < 120; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].x, SIM_RADIUS);
    assert_int_equal(g.players[0].y, SIM_RADIUS);
    hold(&g, 0, 1, 1, false);
    for (int i = 0; i < 120; i++)
        sim_step(&g);
    assert_int_equal(g.players[0].x, 8000 - SIM_RADIUS);
    assert_int_equal(g.players[0].y, 8000 - SIM_RADIUS);
}

/* A small deterministic generator for test inputs, apart from the game's own. */
static uint32_t test_rand(uint64_t *s)
{
    *s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (uint32_t)(*s >> 33);
}

static void random_input(uint64_t *s, sim_input_t *in, uint32_t seq)
{
    uint32_t r = test_rand(s);
    in->seq = seq;
    in->dx = (int8_t)((int)(r % 3) - 1);
    in->dy = (int8_t)((int)((r / 3) % 3) - 1);
    in->dash = (r / 9) % 8 == 0;
}

static const char *worlds_dir(char *buf, size_t cap)
{
    const char *src = getenv("NINE43_SOURCE");
    snprintf(buf, cap, "%s/assets/worlds", src ? src : "..");
    return buf;
}

/* Random play on every shipped world: nobody ever overlaps a wall, and sim_move_player
 * alone predicts exactly where sim_step puts each player (the client relies on it). */
static void test_random_play_never_enters_walls(void **state)
{
    (void)state;
    static world_t worlds[WORLD_MAX_FILES];
    char dir[1024];
    int n = world_load_dir(worlds, WORLD_MAX_FILES, worlds_dir(dir, sizeof dir), NULL, NULL);
    assert_true(n >= 3);
    uint64_t s = 42;
    for (int k = 0; k < n; k++) {
        sim_game_t g;
        sim_init(&g, &worlds[k], SIM_MAX_PLAYERS, (uint64_t)k, 60);
        for (uint32_t t = 1; t <= 1800; t++) {
            sim_player_t predicted[SIM_MAX_PLAYERS];
            for (int i = 0; i < g.nplayers; i++) {
                if (t % 10 == 1) {
                    sim_input_t in;
                    random_input(&s, &in, t);
                    sim_set_input(&g, i, &in);
                }
                predicted[i] = g.players[i];
                sim_move_player(&worlds[k], &predicted[i]);
            }
            sim_step(&g);
            for (int i = 0; i < g.nplayers; i++) {
                assert_clear_of_walls(&worlds[k], &g.players[i]);
                assert_int_equal(predicted[i].x, g.players[i].x);
                assert_int_equal(predicted[i].y, g.players[i].y);
            }
        }
    }
}

static void test_coin_pickup_and_refill(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    /* The coin spot (10, 1) has its centre at (10500, 1500). */
    assert_int_equal(g.ncoins, 1);
    assert_int_equal(g.coins[0].x, 10500);
    assert_int_equal(g.coins[0].y, 1500);
    place(&g, 0, 10500 - SIM_COIN_PICKUP - 1, 1500);
    sim_step(&g);
    assert_int_equal(g.players[0].score, 0);
    assert_int_equal(g.coins[0].refill_ticks, 0);
    /* Exactly 0.6 tiles away takes it (diagonally: 360^2 + 480^2 = 600^2). */
    place(&g, 0, 10500 - 360, 1500 + 480);
    sim_step(&g);
    uint32_t taken = g.tick;
    assert_int_equal(g.players[0].score, 1);
    assert_int_equal(g.coins[0].refill_ticks, SIM_COIN_REFILL_TICKS);
    /* Standing on the spot: gone for the next 149 ticks, back and taken again on the
     * 150th. */
    while (g.tick < taken + SIM_COIN_REFILL_TICKS - 1) {
        sim_step(&g);
        assert_int_equal(g.players[0].score, 1);
        assert_true(g.coins[0].refill_ticks > 0);
    }
    sim_step(&g);
    assert_int_equal(g.tick, taken + SIM_COIN_REFILL_TICKS);
    assert_int_equal(g.players[0].score, 2);
    /* Nobody near: the coin reappears on the exact tick and stays. */
    place(&g, 0, FAR_X, FAR_Y);
    taken = g.tick;
    while (g.tick < taken + SIM_COIN_REFILL_TICKS - 1) {
        sim_step(&g);
        assert_true(g.coins[0].refill_ticks > 0);
    }
    sim_step(&g);
    assert_int_equal(g.coins[0].refill_ticks, 0);
    sim_step(&g);
    assert_int_equal(g.coins[0].refill_ticks, 0);
}

static void test_coin_contest(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 3);
    /* Same distance on the same tick: the lower player index takes it. */
    place(&g, 0, 10500, 1500 + 300);
    place(&g, 1, 10500 - 300, 1500);
    place(&g, 2, FAR_X, FAR_Y);
    sim_step(&g);
    assert_int_equal(g.players[0].score, 1);
    assert_int_equal(g.players[1].score, 0);
    /* Otherwise the nearer one, whatever its index. */
    start(&g, 3);
    place(&g, 0, 10500, 1500 + 500);
    place(&g, 1, FAR_X, FAR_Y);
    place(&g, 2, 10500 - 499, 1500);
    sim_step(&g);
    assert_int_equal(g.players[0].score, 0);
    assert_int_equal(g.players[2].score, 1);
}

static void test_dash_speed_and_cooldown(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    place(&g, 0, 1500, 6500);
    hold(&g, 0, 1, 0, true);
    /* SIM_DASH_TICKS ticks at three times the speed, flagged as dashing... */
    for (int i = 1; i <= SIM_DASH_TICKS; i++) {
        sim_step(&g);
        assert_int_equal(g.players[0].x, 1500 + i * SIM_SPEED * SIM_DASH_FACTOR);
        assert_true(g.players[0].dash_ticks > 0);
    }
    /* ...then normal speed, though dash is still held: a dash needs a new press. */
    int32_t x = g.players[0].x;
    sim_step(&g);
    assert_int_equal(g.players[0].x, x + SIM_SPEED);
    assert_int_equal(g.players[0].dash_ticks, 0);
    assert_int_equal(g.players[0].cooldown_ticks, SIM_DASH_COOLDOWN_TICKS);
    /* The dash ended after tick 6; pressing again on each of the next 60 ticks (7..66) is
     * refused, the press on tick 67 dashes. */
    while (g.tick < SIM_DASH_TICKS + SIM_DASH_COOLDOWN_TICKS) {
        /* Pressed on odd ticks, released on even ones: a new press every other tick. */
        hold(&g, 0, -1, 0, (g.tick + 1) % 2 == 1);
        sim_step(&g);
        assert_int_equal(g.players[0].dash_ticks, 0);
    }
    assert_int_equal(g.tick, SIM_DASH_TICKS + SIM_DASH_COOLDOWN_TICKS);
    hold(&g, 0, 1, 0, true);
    x = g.players[0].x;
    sim_step(&g);
    assert_int_equal(g.tick, 1 + SIM_DASH_TICKS + SIM_DASH_COOLDOWN_TICKS);
    assert_int_equal(g.players[0].dash_ticks, SIM_DASH_TICKS);
    assert_int_equal(g.players[0].x, x + SIM_SPEED * SIM_DASH_FACTOR);
}

static void test_press_on_last_cooldown_tick_refused(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 1);
    place(&g, 0, FAR_X, FAR_Y);
    hold(&g, 0, 0, 0, true);
    sim_step(&g);
    hold(&g, 0, 0, 0, false);
    while (g.tick < SIM_DASH_TICKS + SIM_DASH_COOLDOWN_TICKS - 1)
        sim_step(&g);
    hold(&g, 0, 0, 0, true); /* a new press on tick 66 */
    sim_step(&g);
    assert_int_equal(g.players[0].dash_ticks, 0);
    sim_step(&g); /* still held on tick 67: not a new press */
    assert_int_equal(g.players[0].dash_ticks, 0);
    hold(&g, 0, 0, 0, false);
    sim_step(&g);
    hold(&g, 0, 0, 0, true);
    sim_step(&g);
    assert_int_equal(g.players[0].dash_ticks, SIM_DASH_TICKS);
}

static void test_steal_and_stun(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 2);
    place(&g, 0, 2000, 6500);
    place(&g, 1, 3400, 6500);
    g.players[1].score = 2;
    hold(&g, 1, 0, -1, false); /* the victim tries to walk up all along */
    hold(&g, 0, 1, 0, true);
    sim_step(&g); /* 1 tick: 2000 -> 2399 and the victim walks up 133: not touching yet */
    assert_int_equal(g.players[1].score, 2);
    place(&g, 1, 3400, 6500);
    sim_step(&g); /* 2399 -> 2798: 602 apart, the circles (700) overlap */
    uint32_t hit = g.tick;
    assert_int_equal(g.players[0].score, 1);
    assert_int_equal(g.players[1].score, 1);
    assert_int_equal(g.players[1].stun_ticks, SIM_STUN_TICKS);
    assert_true(g.players[0].stole);
    /* Stunned: no movement for SIM_STUN_TICKS ticks, then walks again. */
    int32_t y = g.players[1].y;
    while (g.tick < hit + SIM_STUN_TICKS) {
        sim_step(&g);
        assert_int_equal(g.players[1].y, y);
    }
    sim_step(&g);
    assert_int_equal(g.players[1].y, y - SIM_SPEED);
    /* One steal per dash: the thief stole once, and the victim's score stays 1. */
    assert_int_equal(g.players[0].score, 1);
    assert_int_equal(g.players[1].score, 1);
}

static void test_one_steal_per_dash(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 3);
    /* Two victims in the thief's path, one after the other. */
    place(&g, 0, 2000, 6500);
    place(&g, 1, 2600, 6500);
    place(&g, 2, 4000, 6500);
    g.players[1].score = 3;
    g.players[2].score = 3;
    hold(&g, 0, 1, 0, true);
    for (int i = 0; i < SIM_DASH_TICKS; i++)
        sim_step(&g);
    assert_true(g.players[0].x > 4000); /* went past both */
    assert_int_equal(g.players[0].score, 1);
    assert_int_equal(g.players[1].score, 2);
    assert_int_equal(g.players[2].score, 3);
    assert_int_equal(g.players[2].stun_ticks, 0);
}

static void test_steal_never_below_zero(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 2);
    place(&g, 0, 2000, 6500);
    place(&g, 1, 2500, 6500);
    hold(&g, 0, 1, 0, true);
    sim_step(&g);
    assert_int_equal(g.players[0].score, 0);
    assert_int_equal(g.players[1].score, 0);
    assert_int_equal(g.players[1].stun_ticks, SIM_STUN_TICKS); /* stunned all the same */
    assert_true(g.players[0].stole);
    /* A stunned player is not robbed again by a second thief. */
    start(&g, 3);
    place(&g, 0, 2000, 6500);
    place(&g, 1, 2500, 6500);
    place(&g, 2, 2500, 7000);
    g.players[1].score = 5;
    hold(&g, 0, 1, 0, true);
    sim_step(&g);
    assert_int_equal(g.players[1].score, 4);
    place(&g, 0, 8000, 2500); /* the first thief leaves */
    hold(&g, 2, 0, -1, true);
    sim_step(&g);
    assert_int_equal(g.players[1].score, 4);
    assert_int_equal(g.players[2].score, 0);
}

/* Two dashers meeting head-on each steal from the other, judged on the scores before the
 * tick, so the outcome does not depend on who has the lower index. */
static void test_mutual_steal_is_fair(void **state)
{
    (void)state;
    for (int rich = 0; rich < 2; rich++) {
        sim_game_t g;
        start(&g, 2);
        place(&g, 0, 3000, 6500);
        place(&g, 1, 4400, 6500);
        g.players[rich].score = 1;
        hold(&g, 0, 1, 0, true);
        hold(&g, 1, -1, 0, true);
        sim_step(&g);
        assert_int_equal(g.players[rich].score, 0);
        assert_int_equal(g.players[1 - rich].score, 1);
        assert_int_equal(g.players[0].stun_ticks, SIM_STUN_TICKS);
        assert_int_equal(g.players[1].stun_ticks, SIM_STUN_TICKS);
        /* A stun ends the victim's own dash, and its cooldown starts. */
        assert_int_equal(g.players[0].dash_ticks, 0);
        assert_int_equal(g.players[0].cooldown_ticks, SIM_DASH_COOLDOWN_TICKS);
    }
}

static void test_ranking_with_ties(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 5);
    int32_t scores[] = {3, 5, 3, 1, 9};
    for (int i = 0; i < 5; i++)
        g.players[i].score = scores[i];
    sim_remove_player(&g, 4); /* left: not ranked */
    sim_result_t r[SIM_MAX_PLAYERS];
    assert_int_equal(sim_results(&g, r), 4);
    int want_player[] = {1, 0, 2, 3}, want_rank[] = {1, 2, 2, 4};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(r[k].player, want_player[k]);
        assert_int_equal(r[k].score, scores[want_player[k]]);
        assert_int_equal(r[k].rank, want_rank[k]);
    }
    /* 1, 1, 3 */
    g.players[0].score = 4;
    g.players[1].score = 4;
    g.players[2].score = 2;
    g.players[3].score = 0;
    assert_int_equal(sim_results(&g, r), 4);
    assert_int_equal(r[0].rank, 1);
    assert_int_equal(r[1].rank, 1);
    assert_int_equal(r[2].rank, 3);
    assert_int_equal(r[3].rank, 4);
}

static void test_round_ends_on_exact_tick(void **state)
{
    (void)state;
    sim_game_t g;
    sim_init(&g, &room, 2, 1, 5); /* the server's override: 5 s */
    uint32_t total = 5 * SIM_TICK_RATE;
    assert_int_equal(g.duration_ticks, total);
    for (uint32_t t = 0; t < total; t++) {
        assert_false(sim_over(&g));
        assert_int_equal(sim_ticks_left(&g), total - t);
        sim_step(&g);
    }
    assert_true(sim_over(&g));
    assert_int_equal(sim_ticks_left(&g), 0);
    /* Further steps change nothing. */
    hold(&g, 0, 1, 0, false);
    sim_game_t before = g;
    sim_step(&g);
    assert_int_equal(g.tick, total);
    assert_int_equal(g.players[0].x, before.players[0].x);
    /* Without an override, the world's duration. */
    start(&g, 2);
    assert_int_equal(g.duration_ticks, 60 * SIM_TICK_RATE);
}

static void test_ack_and_removed_player(void **state)
{
    (void)state;
    sim_game_t g;
    start(&g, 2);
    place(&g, 0, FAR_X, FAR_Y);
    sim_input_t in = {41, 1, 0, false};
    sim_set_input(&g, 0, &in);
    assert_int_equal(g.players[0].ack, 0); /* not applied yet */
    sim_step(&g);
    assert_int_equal(g.players[0].ack, 41);
    /* Out-of-range indexes are ignored. */
    sim_set_input(&g, -1, &in);
    sim_set_input(&g, 2, &in);
    sim_set_input(&g, SIM_MAX_PLAYERS, &in);
    /* A removed player no longer moves, takes coins or is stolen from. */
    place(&g, 1, 10500, 1500);
    sim_remove_player(&g, 1);
    in.seq = 42;
    sim_set_input(&g, 1, &in);
    sim_step(&g);
    assert_int_equal(g.players[1].x, 10500);
    assert_int_equal(g.players[1].score, 0);
    assert_int_equal(g.coins[0].refill_ticks, 0);
    assert_int_equal(g.players[1].ack, 0);
}

static void test_spawns_distinct_and_seeded(void **state)
{
    (void)state;
    static world_t worlds[WORLD_MAX_FILES];
    char dir[1024];
    int n = world_load_dir(worlds, WORLD_MAX_FILES, worlds_dir(dir, sizeof dir), NULL, NULL);
    assert_true(n >= 1);
    const world_t *w = &worlds[0];
    assert_true(w->nspawns >= SIM_MAX_PLAYERS);
    bool differs = false;
    sim_game_t first;
    sim_init(&first, w, SIM_MAX_PLAYERS, 0, 0);
    for (uint64_t seed = 0; seed < 20; seed++) {
        sim_game_t g, again;
        sim_init(&g, w, SIM_MAX_PLAYERS, seed, 0);
        sim_init(&again, w, SIM_MAX_PLAYERS, seed, 0);
        for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
            assert_int_equal(g.players[i].x, again.players[i].x);
            assert_int_equal(g.players[i].y, again.players[i].y);
            assert_true(g.players[i].active);
            for (int j = 0; j < i; j++)
                assert_false(g.players[i].x == g.players[j].x && g.players[i].y == g.players[j].y);
            if (g.players[i].x != first.players[i].x || g.players[i].y != first.players[i].y)
                differs = true;
        }
    }
    assert_true(differs);
    /* More players than spawns share them; player counts are clamped. */
    sim_game_t g;
    sim_init(&g, &room, 99, 5, 0);
    assert_int_equal(g.nplayers, SIM_MAX_PLAYERS);
    sim_init(&g, &room, 0, 5, 0);
    assert_int_equal(g.nplayers, 1);
}

/* FNV-1a over every field of the game, so padding bytes never matter. */
static uint64_t hash_add(uint64_t h, int64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (uint64_t)(v >> (8 * i)) & 0xff;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

static uint64_t hash_game(const sim_game_t *g)
{
    uint64_t h = UINT64_C(14695981039346656037);
    h = hash_add(h, g->tick);
    h = hash_add(h, g->duration_ticks);
    h = hash_add(h, g->nplayers);
    for (int i = 0; i < g->nplayers; i++) {
        const sim_player_t *p = &g->players[i];
        int64_t f[] = {p->active,         p->x,          p->y,        p->score,      p->ack,
                       p->input.seq,      p->input.dx,   p->input.dy, p->input.dash, p->dash_ticks,
                       p->cooldown_ticks, p->stun_ticks, p->stole,    p->dash_held};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            h = hash_add(h, f[k]);
    }
    h = hash_add(h, g->ncoins);
    for (int c = 0; c < g->ncoins; c++) {
        h = hash_add(h, g->coins[c].x);
        h = hash_add(h, g->coins[c].y);
        h = hash_add(h, g->coins[c].refill_ticks);
    }
    return h;
}

#define RECORD_TICKS 3000

/* Plays the recorded inputs on a fresh game and writes the hash after every tick. */
static void replay(const world_t *w, uint64_t seed, sim_input_t (*inputs)[SIM_MAX_PLAYERS],
                   uint64_t *hashes, sim_game_t *out)
{
    sim_game_t g;
    sim_init(&g, w, SIM_MAX_PLAYERS, seed, RECORD_TICKS / SIM_TICK_RATE);
    for (int t = 0; t < RECORD_TICKS; t++) {
        for (int i = 0; i < SIM_MAX_PLAYERS; i++)
            sim_set_input(&g, i, &inputs[t][i]);
        if (t == 1000)
            sim_remove_player(&g, 7);
        sim_step(&g);
        hashes[t] = hash_game(&g);
    }
    assert_true(sim_over(&g));
    *out = g;
}

static void test_determinism(void **state)
{
    (void)state;
    static world_t worlds[WORLD_MAX_FILES];
    char dir[1024];
    int n = world_load_dir(worlds, WORLD_MAX_FILES, worlds_dir(dir, sizeof dir), NULL, NULL);
    assert_true(n >= 1);
    static sim_input_t inputs[RECORD_TICKS][SIM_MAX_PLAYERS];
    static uint64_t a[RECORD_TICKS], b[RECORD_TICKS], c[RECORD_TICKS];
    uint64_t s = 7;
    /* Record: each player changes its input at random moments, like a person would. */
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        random_input(&s, &inputs[0][i], 1);
    for (int t = 1; t < RECORD_TICKS; t++)
        for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
            inputs[t][i] = inputs[t - 1][i];
            if (test_rand(&s) % 6 == 0)
                random_input(&s, &inputs[t][i], (uint32_t)t + 1);
        }
    for (int k = 0; k < n; k++) {
        sim_game_t ga, gb, gc;
        replay(&worlds[k], 1234, inputs, a, &ga);
        replay(&worlds[k], 1234, inputs, b, &gb);
        replay(&worlds[k], 1235, inputs, c, &gc);
        int differing = 0;
        for (int t = 0; t < RECORD_TICKS; t++) {
            if (a[t] != b[t])
                fail_msg("world %s: runs differ at tick %d", worlds[k].name, t + 1);
            differing += a[t] != c[t];
        }
        assert_true(differing > 0);
        assert_true(ga.rng == gb.rng);
        assert_memory_equal(ga.players, gb.players, sizeof ga.players);
        assert_memory_equal(ga.coins, gb.coins, sizeof ga.coins);
        /* The game was lively: coins taken, points stolen. */
        int32_t total = 0;
        for (int i = 0; i < SIM_MAX_PLAYERS; i++)
            total += ga.players[i].score;
        assert_true(total > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moves_at_speed),
        cmocka_unit_test(test_wall_stops),
        cmocka_unit_test(test_outer_corner_is_round),
        cmocka_unit_test(test_slides_round_corner),
        cmocka_unit_test(test_corridor_mouth_catches),
        cmocka_unit_test(test_diagonal_rounds_pillar),
        cmocka_unit_test(test_slides_along_wall),
        cmocka_unit_test(test_diagonal_into_corner),
        cmocka_unit_test(test_outside_map_is_wall),
        cmocka_unit_test(test_move_from_wild_position),
        cmocka_unit_test(test_random_play_never_enters_walls),
        cmocka_unit_test(test_coin_pickup_and_refill),
        cmocka_unit_test(test_coin_contest),
        cmocka_unit_test(test_dash_speed_and_cooldown),
        cmocka_unit_test(test_press_on_last_cooldown_tick_refused),
        cmocka_unit_test(test_steal_and_stun),
        cmocka_unit_test(test_one_steal_per_dash),
        cmocka_unit_test(test_steal_never_below_zero),
        cmocka_unit_test(test_mutual_steal_is_fair),
        cmocka_unit_test(test_ranking_with_ties),
        cmocka_unit_test(test_round_ends_on_exact_tick),
        cmocka_unit_test(test_ack_and_removed_player),
        cmocka_unit_test(test_spawns_distinct_and_seeded),
        cmocka_unit_test(test_determinism),
    };
    return cmocka_run_group_tests(tests, setup_room, NULL);
}
