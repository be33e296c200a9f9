/* test_brain.c -- the autoplay brain against the real simulation: mazes, dashes, input range,
 * determinism; depends on play/brain and common/ */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "brain.h"
#include "proto.h"
#include "sim.h"
#include "world.h"

#define MAX_TEST_WORLDS WORLD_MAX_FILES

static const char (*names(void))[PROTO_USERNAME_SIZE]
{
    static char n[SIM_MAX_PLAYERS][PROTO_USERNAME_SIZE];
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        snprintf(n[i], sizeof(n[i]), "p%d", i);
    return (const char(*)[PROTO_USERNAME_SIZE])n;
}

static void make_world(world_t *w, const char *const *rows, int nrows)
{
    char err[256];
    int rc = world_from_rows(w, "test", "a test world", 60, rows, nrows, err, sizeof(err));
    if (rc != 0)
        fail_msg("world: %s", err);
}

/* One tick as the bot plays it: snapshot, brain, input, step. Asserts every input's range. */
static void play_tick(sim_game_t *g, brain_t *brains, int nbrains, msg_state_t *st)
{
    proto_state_from_sim(st, g, names());
    for (int i = 0; i < nbrains; i++) {
        int me = brain_find_player(st, names()[i]);
        if (me < 0)
            continue;
        sim_input_t in;
        brain_decide(&brains[i], g->world, st, me, &in);
        assert_true(in.dx >= -1 && in.dx <= 1);
        assert_true(in.dy >= -1 && in.dy <= 1);
        assert_true(in.seq != 0);
        sim_set_input(g, i, &in);
    }
    sim_step(g);
}

/* Walking distance in tiles from a tile to a target tile (breadth-first), for the budget. */
static int walk_distance(const world_t *w, world_point_t from, world_point_t to)
{
    static int dist[WORLD_MAX_SIZE][WORLD_MAX_SIZE];
    world_point_t q[WORLD_MAX_SIZE * WORLD_MAX_SIZE];
    int head = 0, tail = 0;
    memset(dist, -1, sizeof(dist));
    dist[from.y][from.x] = 0;
    q[tail++] = from;
    while (head < tail) {
        world_point_t p = q[head++];
        if (p.x == to.x && p.y == to.y)
            return dist[p.y][p.x];
        static const int DX[4] = {1, -1, 0, 0}, DY[4] = {0, 0, 1, -1};
        for (int k = 0; k < 4; k++) {
            int nx = p.x + DX[k], ny = p.y + DY[k];
            if (world_is_wall(w, nx, ny) || dist[ny][nx] >= 0)
                continue;
            dist[ny][nx] = dist[p.y][p.x] + 1;
            q[tail++] = (world_point_t){nx, ny};
        }
    }
    return -1;
}

/* A winding corridor: the coin is 3 tiles from the spawns as the crow flies but ~20 on foot,
 * behind walls on every straight line, with corners the circle must not catch. */
static void test_reaches_coin_through_a_maze(void **state)
{
    (void)state;
    static const char *const rows[] = {
        "##########", "#S.#.....#", "#..#.###.#", "##.#.#c#.#",
        "#..#.#.#.#", "#.##.#.#.#", "#....#...#", "#S########",
    };
    world_t w;
    make_world(&w, rows, 8);
    for (uint64_t seed = 1; seed <= 8; seed++) {
        sim_game_t g;
        sim_init(&g, &w, 1, seed, 0);
        brain_t b;
        brain_init(&b, seed * 7919);
        msg_state_t st;
        world_point_t start = {g.players[0].x / SIM_ONE, g.players[0].y / SIM_ONE};
        int tiles = walk_distance(&w, start, w.coins[0]);
        assert_true(tiles > 10);
        /* 4 tiles/s is 7.5 ticks a tile: allow twice that, plus a second to turn corners. */
        int budget = tiles * 15 + SIM_TICK_RATE;
        int t = 0;
        while (t < budget && g.players[0].score == 0) {
            play_tick(&g, &b, 1, &st);
            t++;
        }
        if (g.players[0].score < 1)
            fail_msg("seed %llu: no coin after %d ticks (walk of %d tiles); stuck at (%d, %d)",
                     (unsigned long long)seed, budget, tiles, g.players[0].x, g.players[0].y);
    }
}

/* Every shipped world: a lone brain keeps collecting (it heads for the next coin, and for a
 * refilling spot when none is left). */
static void test_collects_coins_in_every_shipped_world(void **state)
{
    (void)state;
    const char *src = getenv("NINE43_SOURCE");
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/assets/worlds", src ? src : "..");
    static world_t worlds[MAX_TEST_WORLDS];
    int n = world_load_dir(worlds, MAX_TEST_WORLDS, dir, NULL, NULL);
    assert_true(n >= 3);
    for (int i = 0; i < n; i++) {
        sim_game_t g;
        sim_init(&g, &worlds[i], 1, 42, 60);
        brain_t b;
        brain_init(&b, 42);
        msg_state_t st;
        for (int t = 0; t < 60 * SIM_TICK_RATE; t++)
            play_tick(&g, &b, 1, &st);
        int want = worlds[i].ncoins < 3 ? worlds[i].ncoins : 3;
        if (g.players[0].score < want)
            fail_msg("world %s: only %d coins in 60 s", worlds[i].name, g.players[0].score);
    }
}

static const char *const OPEN_ROWS[] = {
    "##########", "#S......S#", "#........#", "#........#",
    "#........#", "#........#", "#c.......#", "##########",
};

/* Puts player 0 at (x, y) and player 1 one tile to its right, with `points` points. */
static void place_pair(sim_game_t *g, const world_t *w, int points)
{
    sim_init(g, w, 2, 3, 0);
    g->players[0].x = 3500;
    g->players[0].y = 3500;
    g->players[1].x = 4500;
    g->players[1].y = 3500;
    g->players[1].score = points;
}

static void test_dashes_at_an_adjacent_rival_and_steals(void **state)
{
    (void)state;
    world_t w;
    make_world(&w, OPEN_ROWS, 8);
    sim_game_t g;
    place_pair(&g, &w, 2);
    brain_t b;
    brain_init(&b, 5);
    msg_state_t st;
    proto_state_from_sim(&st, &g, names());
    sim_input_t in;
    brain_decide(&b, &w, &st, 0, &in);
    assert_true(in.dash);
    assert_int_equal(in.dx, 1); /* towards the rival, on its right */
    assert_int_equal(in.dy, 0);

    /* Played out (the rival stands still): the dash lands and steals a point. */
    for (int t = 0; t < SIM_TICK_RATE && g.players[1].score == 2; t++)
        play_tick(&g, &b, 1, &st);
    assert_int_equal(g.players[1].score, 1);
    assert_int_equal(g.players[0].score, 1);
}

static void test_no_dash_at_a_rival_without_points_or_while_cooling_down(void **state)
{
    (void)state;
    world_t w;
    make_world(&w, OPEN_ROWS, 8);
    sim_game_t g;
    msg_state_t st;
    sim_input_t in;
    brain_t b;

    place_pair(&g, &w, 0);
    brain_init(&b, 5);
    proto_state_from_sim(&st, &g, names());
    brain_decide(&b, &w, &st, 0, &in);
    assert_false(in.dash);

    place_pair(&g, &w, 3);
    g.players[0].cooldown_ticks = 10;
    brain_init(&b, 5);
    proto_state_from_sim(&st, &g, names());
    brain_decide(&b, &w, &st, 0, &in);
    assert_false(in.dash);

    /* A rival 3 tiles away is out of reach. */
    place_pair(&g, &w, 3);
    g.players[1].x = 6500;
    brain_init(&b, 5);
    proto_state_from_sim(&st, &g, names());
    brain_decide(&b, &w, &st, 0, &in);
    assert_false(in.dash);
}

/* Snapshots from a hostile or confused server: positions outside the map, coins on walls or
 * outside, a `me` out of range. The input stays in range and nothing crashes. */
static void test_inputs_stay_in_range_on_any_snapshot(void **state)
{
    (void)state;
    world_t w;
    make_world(&w, OPEN_ROWS, 8);
    brain_t b;
    brain_init(&b, 77);
    msg_state_t *st = calloc(1, sizeof(*st));
    assert_non_null(st);
    uint64_t r = 12345;
    for (int i = 0; i < 20000; i++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        st->nplayers = 1 + (int)((r >> 33) % PROTO_MAX_PLAYERS);
        for (int p = 0; p < st->nplayers; p++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            st->players[p].x = (int32_t)((r >> 20) % 14000) - 2000;
            st->players[p].y = (int32_t)((r >> 40) % 12000) - 2000;
            st->players[p].score = (int32_t)(r % 4);
            st->players[p].cooldown_ticks = (uint16_t)((r >> 8) % 3);
            st->players[p].dash = (r >> 12) & 1;
            st->players[p].dash_ticks = st->players[p].dash ? 3 : 0;
        }
        st->ncoins = (int)((r >> 50) % 4);
        for (int c = 0; c < st->ncoins; c++) {
            st->coins[c].x = (int)((r >> (c * 4)) % 12) - 1;
            st->coins[c].y = (int)((r >> (c * 4 + 2)) % 10) - 1;
        }
        int me = (int)((r >> 60) % 10) - 1;
        sim_input_t in;
        brain_decide(&b, &w, st, me, &in);
        assert_true(in.dx >= -1 && in.dx <= 1);
        assert_true(in.dy >= -1 && in.dy <= 1);
    }
    free(st);
}

/* Four brains in the maze for 40 s, twice: the same seeds give the same game, bit for bit. */
static void run_match(const world_t *w, uint64_t seed, sim_game_t *out)
{
    sim_game_t g;
    sim_init(&g, w, 4, seed, 40);
    brain_t brains[4];
    for (int i = 0; i < 4; i++)
        brain_init(&brains[i], seed + (uint64_t)i);
    msg_state_t st;
    while (!sim_over(&g))
        play_tick(&g, brains, 4, &st);
    *out = g;
}

static void test_same_seed_same_game(void **state)
{
    (void)state;
    const char *src = getenv("NINE43_SOURCE");
    char path[1024];
    snprintf(path, sizeof(path), "%s/assets/worlds/maze.json", src ? src : "..");
    world_t w;
    char err[256];
    if (world_load_file(&w, path, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    sim_game_t a, b;
    run_match(&w, 99, &a);
    run_match(&w, 99, &b);
    assert_int_equal(a.tick, b.tick);
    int total = 0;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(a.players[i].x, b.players[i].x);
        assert_int_equal(a.players[i].y, b.players[i].y);
        assert_int_equal(a.players[i].score, b.players[i].score);
        total += a.players[i].score;
    }
    assert_true(total > 4); /* and they did play */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reaches_coin_through_a_maze),
        cmocka_unit_test(test_collects_coins_in_every_shipped_world),
        cmocka_unit_test(test_dashes_at_an_adjacent_rival_and_steals),
        cmocka_unit_test(test_no_dash_at_a_rival_without_points_or_while_cooling_down),
        cmocka_unit_test(test_inputs_stay_in_range_on_any_snapshot),
        cmocka_unit_test(test_same_seed_same_game),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
