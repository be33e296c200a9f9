/* test_replay.c -- common/replay as units: a scripted round written and re-simulated bit for bit,
 * then every kind of bad file (cut short, other rules or format, counts past their limits, an
 * event or a score changed); depends on common/replay and cmocka */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replay.h"

#define TEST_TICKS 150 /* five seconds */

static world_t test_world;
static replay_t parsed;

/* A small open world with walls, three spawns and coins. */
static void test_make_world(void)
{
    static const char *const rows[] = {
        "##########", "#S..c...S#", "#...##...#", "#.c....c.#",
        "#...##...#", "#S..c....#", "#........#", "##########",
    };
    char err[128];
    assert_int_equal(
        world_from_rows(&test_world, "box", "a test box", 30, rows, 8, err, sizeof err), 0);
}

/* What the server does before a step, scripted: each player's input changes every few ticks;
 * player 1 sits a step out at tick 20 and makes it up at 21; player 2 leaves at tick 100.
 * Every call to the rules is reported to the writer, as server/game.c does. */
static void test_feed(sim_game_t *g, replay_writer_t *w, bool sat[SIM_MAX_PLAYERS])
{
    uint32_t t = g->tick + 1;
    for (int i = 0; i < g->nplayers; i++) {
        if (t % (5 + (uint32_t)i) == 0) {
            sim_input_t in = {.seq = t,
                              .dx = (int8_t)((t / 5 + (uint32_t)i) % 3) - 1,
                              .dy = (int8_t)((t / 7) % 3) - 1,
                              .dash = t % 40 == 0};
            sim_set_input(g, i, &in);
            replay_writer_input(w, g, i);
        }
    }
    if (t == 20) {
        g->players[1].active = false;
        sat[1] = true;
        replay_writer_sit_out(w, 1);
    }
    if (t == 21) {
        sim_move_player(g->world, &g->players[1]);
        replay_writer_move(w, 1);
    }
    if (t == 100) {
        sim_remove_player(g, 2);
        replay_writer_leave(w, 2);
    }
}

/* Writes the scripted round; *hash is its final state's. Returns malloc'd bytes. */
static uint8_t *test_write_round(size_t *len, uint64_t *hash)
{
    test_make_world();
    static sim_game_t g;
    sim_init(&g, &test_world, 3, 42, 1);
    g.duration_ticks = TEST_TICKS;
    replay_info_t info = {
        .seed = 42, .started = 1700000000, .duration_ticks = TEST_TICKS, .nplayers = 3};
    const char *names[] = {"alice", "bob", "carol"};
    for (int i = 0; i < 3; i++) {
        snprintf(info.players[i].name, sizeof info.players[i].name, "%s", names[i]);
        info.players[i].rgb[0] = (uint8_t)(40 * i);
    }
    replay_writer_t w;
    assert_int_equal(replay_writer_begin(&w, &info, &test_world), 0);
    while (!sim_over(&g)) {
        bool sat[SIM_MAX_PLAYERS] = {false};
        test_feed(&g, &w, sat);
        sim_step(&g);
        for (int i = 0; i < SIM_MAX_PLAYERS; i++)
            if (sat[i])
                g.players[i].active = true;
        replay_writer_tick(&w, &g);
    }
    const uint8_t *data;
    assert_int_equal(replay_writer_finish(&w, &g, &data, len), 0);
    uint8_t *copy = malloc(*len);
    memcpy(copy, data, *len);
    replay_writer_free(&w);
    *hash = replay_state_hash(&g);
    return copy;
}

static void test_a_round_replays_bit_for_bit(void **state)
{
    (void)state;
    size_t len;
    uint64_t hash;
    uint8_t *data = test_write_round(&len, &hash);
    char err[256] = "";
    assert_int_equal(replay_parse(&parsed, data, len, err, sizeof err), 0);
    assert_string_equal(parsed.info.players[2].name, "carol");
    assert_string_equal(parsed.world.name, "box");
    assert_int_equal(parsed.ticks, TEST_TICKS);
    assert_false(parsed.active[2]);
    replay_verdict_t v;
    replay_verify(&parsed, &v);
    assert_true(v.same);
    assert_int_equal(v.first_diff, 0);
    assert_true(v.hash == hash);
    assert_true(parsed.final_hash == hash);
    /* A playback stopped halfway and started again (a seek) reaches the same tick. */
    replay_play_t p;
    replay_play_start(&p, &parsed);
    for (int i = 0; i < 60; i++)
        assert_int_equal(replay_play_step(&p), 1);
    assert_int_equal(p.game.tick, 60);
    assert_int_equal(p.first_diff, 0);
    replay_free(&parsed);
    free(data);
}

/* Cut anywhere, the file is refused with a reason, never read past its end. */
static void test_every_cut_is_refused(void **state)
{
    (void)state;
    size_t len;
    uint64_t hash;
    uint8_t *data = test_write_round(&len, &hash);
    for (size_t cut = 0; cut < len; cut++) {
        char err[256] = "";
        uint8_t *part = malloc(cut ? cut : 1);
        memcpy(part, data, cut);
        assert_int_equal(replay_parse(&parsed, part, cut, err, sizeof err), -1);
        assert_true(err[0] != '\0');
        if (cut >= REPLAY_MAGIC_SIZE && !strstr(err, "truncated") && !strstr(err, "events end"))
            fail_msg("cut at %zu: %s", cut, err);
        free(part);
    }
    free(data);
}

static void test_expect_refusal(uint8_t *data, size_t len, const char *needle)
{
    char err[256] = "";
    assert_int_equal(replay_parse(&parsed, data, len, err, sizeof err), -1);
    if (!strstr(err, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, err);
}

static void test_other_rules_and_formats_are_refused(void **state)
{
    (void)state;
    size_t len;
    uint64_t hash;
    uint8_t *data = test_write_round(&len, &hash);
    data[10] ^= 1; /* the rules id */
    test_expect_refusal(data, len, "made under other rules");
    data[10] ^= 1;
    data[8] = 2; /* the format version */
    test_expect_refusal(data, len, "replay format version 2; this program reads version 1");
    data[8] = 1;
    data[0] = 'X';
    test_expect_refusal(data, len, "not a nine43 replay");
    data[0] = 'N';
    char err[256];
    assert_int_equal(replay_parse(&parsed, data, len, err, sizeof err), 0); /* mended */
    replay_free(&parsed);
    free(data);
}

/* Offsets past the header: 8 magic, 2 version, 4 rules, 8 seed, 8 start, 4 ticks, 1 players. */
#define TEST_OFF_TICKS   30
#define TEST_OFF_PLAYERS 34

static void test_counts_past_their_limits_are_refused(void **state)
{
    (void)state;
    size_t len;
    uint64_t hash;
    uint8_t *data = test_write_round(&len, &hash);
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, data, len);
    longer[len] = 0;
    test_expect_refusal(longer, len + 1, "1 bytes after the end of the replay");
    free(longer);

    data[TEST_OFF_PLAYERS] = SIM_MAX_PLAYERS + 1;
    test_expect_refusal(data, len, "9 players (1 to 8 allowed)");
    data[TEST_OFF_PLAYERS] = 0;
    test_expect_refusal(data, len, "0 players");
    data[TEST_OFF_PLAYERS] = 3;
    data[TEST_OFF_PLAYERS + 1] = REPLAY_MAX_NAME + 1; /* alice's name length */
    test_expect_refusal(data, len, "player 1's name: 65 bytes long");
    data[TEST_OFF_PLAYERS + 1] = 5;
    data[TEST_OFF_PLAYERS + 2] = 0x01; /* a control character in the name */
    test_expect_refusal(data, len, "player 1's name is not printable UTF-8");
    data[TEST_OFF_PLAYERS + 2] = 'a';
    memset(data + TEST_OFF_TICKS, 0xFF, 4);
    test_expect_refusal(data, len, "a round of 4294967295 ticks");
    memset(data + TEST_OFF_TICKS, 0, 4);
    data[TEST_OFF_TICKS] = TEST_TICKS;
    assert_int_equal(replay_parse(&parsed, data, len, (char[64]){0}, 64), 0);
    /* The first tick's event count, past the limit. */
    size_t first_tick = (size_t)(parsed.events - parsed.data);
    replay_free(&parsed);
    data[first_tick] = REPLAY_MAX_TICK_EVENTS + 1;
    test_expect_refusal(data, len, "tick 1: 129 events (at most 128)");
    free(data);
    uint8_t *huge = calloc(1, (size_t)REPLAY_MAX_FILE + 1);
    assert_non_null(huge);
    test_expect_refusal(huge, (size_t)REPLAY_MAX_FILE + 1, "too big: over 16777216 bytes");
    free(huge);
}

/* Finds the first INPUT event: its offset in the file and its tick. */
static size_t test_find_input(const replay_t *r, uint32_t *tick)
{
    size_t pos = 0;
    for (uint32_t t = 1; t <= r->ticks; t++) {
        size_t n = r->events[pos++];
        for (size_t i = 0; i < n; i++) {
            if (r->events[pos + i] >= REPLAY_EV_INPUT_BASE) {
                *tick = t;
                return (size_t)(r->events - r->data) + pos + i;
            }
        }
        pos += n + 2;
    }
    fail_msg("no input event");
    return 0;
}

static void test_a_changed_input_differs_at_its_tick(void **state)
{
    (void)state;
    size_t len;
    uint64_t hash;
    uint8_t *data = test_write_round(&len, &hash);
    char err[256];
    assert_int_equal(replay_parse(&parsed, data, len, err, sizeof err), 0);
    uint32_t tick = 0;
    size_t at = test_find_input(&parsed, &tick);
    replay_free(&parsed);
    int code = (data[at] - REPLAY_EV_INPUT_BASE) % REPLAY_CONTROLS;
    data[at] = (uint8_t)(data[at] - code + (code + 1) % REPLAY_CONTROLS);
    assert_int_equal(replay_parse(&parsed, data, len, err, sizeof err), 0);
    replay_verdict_t v;
    replay_verify(&parsed, &v);
    assert_false(v.same);
    assert_int_equal(v.first_diff, tick);
    replay_free(&parsed);

    /* An event byte that is no event, or names a slot the round does not have. */
    data[at] = REPLAY_EV_INPUT_BASE + 3 * REPLAY_CONTROLS; /* slot 3 of 3 players */
    test_expect_refusal(data, len, "is not an event of a 3-player round");
    data[at] = 3 << 3; /* kind 3 */
    test_expect_refusal(data, len, "is not an event of a 3-player round");
    free(data);
}

/* Only the final scores changed: every tick matches, the end does not. */
static void test_a_changed_score_differs_at_the_end(void **state)
{
    (void)state;
    size_t len;
    uint64_t hash;
    uint8_t *data = test_write_round(&len, &hash);
    data[len - 8 - 4] ^= 1; /* the last player's score, before the final hash */
    char err[256];
    assert_int_equal(replay_parse(&parsed, data, len, err, sizeof err), 0);
    replay_verdict_t v;
    replay_verify(&parsed, &v);
    assert_false(v.same);
    assert_int_equal(v.first_diff, TEST_TICKS);
    replay_free(&parsed);
    free(data);
}

static void test_a_missing_file_names_its_path(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(replay_load_file(&parsed, "/nonexistent/x.n43replay", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/x.n43replay: No such file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_round_replays_bit_for_bit),
        cmocka_unit_test(test_every_cut_is_refused),
        cmocka_unit_test(test_other_rules_and_formats_are_refused),
        cmocka_unit_test(test_counts_past_their_limits_are_refused),
        cmocka_unit_test(test_a_changed_input_differs_at_its_tick),
        cmocka_unit_test(test_a_changed_score_differs_at_the_end),
        cmocka_unit_test(test_a_missing_file_names_its_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
