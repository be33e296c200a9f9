/* test_audio.c -- the game's sound without a sound card: which sounds snapshots trigger
 * (play/sfx_events.c, on synthetic states and on a round played by the real rules and the
 * autoplay brain), the synthesis (sfx.c), the mixer (sfx_mix.c) and, when the SDL client is
 * built, that audio.c is harmless without a device and really mixes on SDL's disk driver */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "brain.h"
#include "proto.h"
#include "sfx.h"
#include "sfx_events.h"
#include "sfx_mix.h"
#include "sim.h"
#include "world.h"

#ifdef NINE43_TEST_AUDIO_DEVICE
#include <SDL.h>
#include <unistd.h>

#include "audio.h"
#endif

#define MAP_W        30 /* tiles: the synthetic states' map */
#define TEST_RATE    48000
#define BLOCK_FRAMES 512

/* ---- helpers ---- */

static void add_player(msg_state_t *st, const char *name, int32_t x, int32_t y, int32_t score)
{
    proto_player_state_t *p = &st->players[st->nplayers++];
    memset(p, 0, sizeof *p);
    snprintf(p->username, sizeof p->username, "%s", name);
    p->x = x;
    p->y = y;
    p->score = score;
}

static void add_coin(msg_state_t *st, int x, int y)
{
    st->coins[st->ncoins++] = (world_point_t){x, y};
}

static int count(const sfx_event_t *ev, int n, sfx_sound_t s)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += ev[i].sound == s;
    return k;
}

static const sfx_event_t *find(const sfx_event_t *ev, int n, sfx_sound_t s)
{
    for (int i = 0; i < n; i++)
        if (ev[i].sound == s)
            return &ev[i];
    return NULL;
}

/* Two players and a third far away; "you" stands at tile (5, 5), bob at (20, 5). */
static void base_pair(msg_state_t *prev, msg_state_t *cur)
{
    memset(prev, 0, sizeof *prev);
    prev->time_left_ms = 30000;
    add_player(prev, "you", 5500, 5500, 2);
    add_player(prev, "bob", 20500, 5500, 3);
    add_player(prev, "carol", 15500, 15500, 0);
    add_coin(prev, 5, 5);
    add_coin(prev, 20, 5);
    *cur = *prev;
    cur->tick = prev->tick + 1;
    cur->time_left_ms = prev->time_left_ms - 33;
}

/* ---- events ---- */

static void test_no_change_no_event(void **state)
{
    (void)state;
    msg_state_t prev, cur;
    sfx_event_t ev[SFX_EVENTS_MAX];
    base_pair(&prev, &cur);
    assert_int_equal(sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX), 0);
    assert_int_equal(sfx_events_diff(NULL, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX), 0);
}

static void test_coin_yours_and_others(void **state)
{
    (void)state;
    msg_state_t prev, cur;
    sfx_event_t ev[SFX_EVENTS_MAX];
    base_pair(&prev, &cur);
    cur.ncoins = 0;
    add_coin(&cur, 20, 5); /* the coin under you is gone */
    cur.players[0].score = 3;
    int n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_COIN_YOU);
    assert_true(ev[0].volume == SFX_EVENTS_VOL_YOURS);
    /* x = 5.5 of 30 tiles: left of centre. */
    assert_float_equal(ev[0].pan, (2.0f * 5.5f / 30.0f - 1.0f) * SFX_EVENTS_PAN_WIDTH, 1e-4);

    /* The same step heard by bob: someone else's coin, softer, same place. */
    n = sfx_events_diff(&prev, &cur, "bob", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_COIN_OTHER);
    assert_true(ev[0].volume < SFX_EVENTS_VOL_YOURS);

    /* Bob takes his, on the right. */
    base_pair(&prev, &cur);
    cur.ncoins = 0;
    add_coin(&cur, 5, 5);
    cur.players[1].score = 4;
    n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_COIN_OTHER);
    assert_true(ev[0].pan > 0.0f);

    /* A score that goes up with no coin gone nearby and nobody robbed is still a coin (its
     * going fell between two snapshots), never a steal. */
    base_pair(&prev, &cur);
    cur.players[0].score = 3;
    n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_COIN_YOU);

    /* A coin gone far from everyone (a stale snapshot) plays nothing. */
    base_pair(&prev, &cur);
    prev.ncoins = 0;
    add_coin(&prev, 12, 12);
    cur.ncoins = 0;
    assert_int_equal(sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX), 0);
}

/* you (dashing) hits bob: you +1, bob -1 and stunned. */
static void steal_step(msg_state_t *prev, msg_state_t *cur)
{
    base_pair(prev, cur);
    prev->players[1].x = cur->players[1].x = 6000;
    prev->players[0].dash = true;
    prev->players[0].dash_ticks = 3;
    cur->players[0].dash = true;
    cur->players[0].dash_ticks = 2;
    cur->players[0].score = 3;
    cur->players[1].score = 2;
    cur->players[1].stun = true;
    cur->players[1].stun_ticks = SIM_STUN_TICKS;
}

static void test_steal_thief_robbed_and_others(void **state)
{
    (void)state;
    msg_state_t prev, cur;
    sfx_event_t ev[SFX_EVENTS_MAX];
    steal_step(&prev, &cur);

    int n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_STEAL_THIEF);
    assert_true(ev[0].volume == SFX_EVENTS_VOL_YOURS);

    /* Bob hears his loss (and no separate stun, no thief sound on top). */
    n = sfx_events_diff(&prev, &cur, "bob", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_STEAL_ROBBED);
    assert_true(ev[0].volume == SFX_EVENTS_VOL_YOURS);

    /* Carol hears a steal between others: the thief's sound, softer. */
    n = sfx_events_diff(&prev, &cur, "carol", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_STEAL_THIEF);
    assert_true(ev[0].volume < SFX_EVENTS_VOL_YOURS);
    assert_float_equal(ev[0].pan, sfx_events_pan(5500, MAP_W), 1e-6);

    /* A gain without a dash while someone loses is no steal. */
    steal_step(&prev, &cur);
    prev.players[0].dash = cur.players[0].dash = false;
    prev.players[0].dash_ticks = cur.players[0].dash_ticks = 0;
    n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(count(ev, n, SFX_STEAL_THIEF), 0);
    assert_int_equal(count(ev, n, SFX_COIN_YOU), 1);

    /* Robbed while taking a coin on the same step: both are heard. */
    steal_step(&prev, &cur);
    prev.players[1].x = cur.players[1].x = 20500; /* bob back on his coin */
    cur.players[0].x = 20000;
    cur.ncoins = 0;
    add_coin(&cur, 5, 5);
    cur.players[1].score = 3; /* +1 coin -1 stolen */
    n = sfx_events_diff(&prev, &cur, "bob", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(count(ev, n, SFX_COIN_YOU), 1);
    assert_int_equal(count(ev, n, SFX_STEAL_ROBBED), 1);
}

static void test_stun_without_loss(void **state)
{
    (void)state;
    msg_state_t prev, cur;
    sfx_event_t ev[SFX_EVENTS_MAX];
    /* Bob has 0 points: the hit stuns, steals nothing. */
    steal_step(&prev, &cur);
    prev.players[1].score = 0;
    cur.players[1].score = 0;
    cur.players[0].score = 2;
    int n = sfx_events_diff(&prev, &cur, "bob", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_STUN);
    assert_true(ev[0].volume == SFX_EVENTS_VOL_YOURS);
    n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].sound, SFX_STUN);
    assert_true(ev[0].volume < SFX_EVENTS_VOL_YOURS);

    /* The stun going on is not a new one. */
    prev = cur;
    cur.players[1].stun_ticks--;
    assert_int_equal(sfx_events_diff(&prev, &cur, "bob", MAP_W, ev, SFX_EVENTS_MAX), 0);
}

static void test_dash_start(void **state)
{
    (void)state;
    msg_state_t prev, cur;
    sfx_event_t ev[SFX_EVENTS_MAX];
    base_pair(&prev, &cur);
    cur.players[0].dash = true;
    cur.players[0].dash_ticks = SIM_DASH_TICKS;
    cur.players[2].dash = true;
    cur.players[2].dash_ticks = SIM_DASH_TICKS;
    int n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].sound, SFX_DASH);
    assert_true(ev[0].volume == SFX_EVENTS_VOL_YOURS);
    assert_int_equal(ev[1].sound, SFX_DASH);
    assert_true(ev[1].volume == SFX_EVENTS_VOL_DASH_OTHER);

    /* Dashing on: nothing new. */
    prev = cur;
    cur.players[0].dash_ticks--;
    cur.players[2].dash_ticks--;
    assert_int_equal(sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX), 0);

    /* A whole dash between two late snapshots: its cooldown gives it away. */
    base_pair(&prev, &cur);
    cur.players[0].cooldown_ticks = SIM_DASH_COOLDOWN_TICKS - 2;
    n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(count(ev, n, SFX_DASH), 1);
}

/* The clock as the server sends it: ms rounded from ticks, one snapshot per tick. */
static void test_last_ten_seconds_once_each(void **state)
{
    (void)state;
    msg_state_t prev, cur;
    sfx_event_t ev[SFX_EVENTS_MAX];
    base_pair(&prev, &cur);
    uint32_t ticks_left = 15 * SIM_TICK_RATE;
    prev.time_left_ms = (int32_t)((ticks_left * 1000u + SIM_TICK_RATE / 2) / SIM_TICK_RATE);
    int ticks = 0, ends = 0;
    int32_t at[SFX_EVENTS_LAST_SECONDS];
    float last_volume = 0.0f;
    while (ticks_left > 0) {
        ticks_left--;
        cur = prev;
        cur.time_left_ms = (int32_t)((ticks_left * 1000u + SIM_TICK_RATE / 2) / SIM_TICK_RATE);
        int n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
        const sfx_event_t *t = find(ev, n, SFX_LAST_TICK);
        if (t) {
            assert_true(ticks < SFX_EVENTS_LAST_SECONDS);
            at[ticks++] = cur.time_left_ms;
            assert_true(t->volume >= last_volume); /* rising towards the end */
            last_volume = t->volume;
        }
        ends += count(ev, n, SFX_ROUND_END);
        if (count(ev, n, SFX_ROUND_END))
            assert_int_equal(cur.time_left_ms, 0);
        prev = cur;
    }
    assert_int_equal(ticks, SFX_EVENTS_LAST_SECONDS);
    for (int k = 0; k < SFX_EVENTS_LAST_SECONDS; k++)
        assert_int_equal(at[k], (SFX_EVENTS_LAST_SECONDS - k) * 1000);
    assert_int_equal(ends, 1);
    assert_true(last_volume == 1.0f);

    /* A stall over several seconds: one tick, not a burst. */
    base_pair(&prev, &cur);
    prev.time_left_ms = 9500;
    cur.time_left_ms = 6400;
    int n = sfx_events_diff(&prev, &cur, "you", MAP_W, ev, SFX_EVENTS_MAX);
    assert_int_equal(count(ev, n, SFX_LAST_TICK), 1);
}

static void test_countdown(void **state)
{
    (void)state;
    sfx_event_t ev[2];
    int32_t prev = INT32_MAX;
    int ticks = 0, go = 0;
    sfx_sound_t order[4];
    /* Frames of 16 ms from 3.5 s before the start to a little after it. */
    for (int32_t ms = 3500; ms > -100; ms -= 16) {
        int n = sfx_events_countdown(prev, ms, ev, 2);
        assert_true(n <= 1);
        if (n == 1) {
            assert_true(ticks + go < 4);
            order[ticks + go] = ev[0].sound;
            ticks += ev[0].sound == SFX_COUNTDOWN_TICK;
            go += ev[0].sound == SFX_COUNTDOWN_GO;
        }
        prev = ms;
    }
    assert_int_equal(ticks, 3);
    assert_int_equal(go, 1);
    assert_int_equal(order[3], SFX_COUNTDOWN_GO);

    /* The first frame exactly at 3 s ticks; a long frame over 2 s and 1 s ticks once. */
    assert_int_equal(sfx_events_countdown(INT32_MAX, 3000, ev, 2), 1);
    assert_int_equal(sfx_events_countdown(2500, 900, ev, 2), 1);
    assert_int_equal(ev[0].sound, SFX_COUNTDOWN_TICK);
    assert_int_equal(sfx_events_countdown(1500, -30, ev, 2), 1);
    assert_int_equal(ev[0].sound, SFX_COUNTDOWN_GO);
    assert_int_equal(sfx_events_countdown(-30, -60, ev, 2), 0);
}

static void test_dash_not_ready(void **state)
{
    (void)state;
    sim_player_t p;
    sfx_event_t ev[1];
    memset(&p, 0, sizeof p);
    assert_int_equal(sfx_events_dash_press(&p, ev, 1), 0);
    p.cooldown_ticks = 1; /* the step counts it to 0 first: the press starts a dash */
    assert_false(sfx_events_dash_refused(&p));
    p.cooldown_ticks = 2;
    assert_int_equal(sfx_events_dash_press(&p, ev, 1), 1);
    assert_int_equal(ev[0].sound, SFX_NOT_READY);
    p.cooldown_ticks = 0;
    p.dash_ticks = 3;
    assert_true(sfx_events_dash_refused(&p));
    p.dash_ticks = 0;
    p.stun_ticks = 4;
    assert_true(sfx_events_dash_refused(&p));

    /* The refusal agrees with the rules on every cooldown value. */
    static const char *const ROWS[] = {"########", "#S....c#", "#......#", "#......#",
                                       "#......#", "#......#", "#c....S#", "########"};
    world_t w;
    char err[128];
    if (world_from_rows(&w, "t", "", 10, ROWS, 8, err, sizeof err) != 0)
        fail_msg("%s", err);
    for (int cd = 0; cd <= SIM_DASH_COOLDOWN_TICKS; cd++) {
        sim_player_t q;
        memset(&q, 0, sizeof q);
        q.active = true;
        q.x = 1500;
        q.y = 1500;
        q.cooldown_ticks = (uint16_t)cd;
        q.input.dash = true;
        bool refused = sfx_events_dash_refused(&q);
        sim_move_player(&w, &q);
        assert_int_equal(refused, q.dash_ticks == 0);
    }
}

static void test_finish_jingle(void **state)
{
    (void)state;
    msg_fin_t fin;
    sfx_event_t ev[1];
    memset(&fin, 0, sizeof fin);
    fin.nresults = 3;
    fin.results[0] = (proto_result_t){"bob", 5, 1};
    fin.results[1] = (proto_result_t){"you", 5, 1};
    fin.results[2] = (proto_result_t){"carol", 2, 3};
    assert_int_equal(sfx_events_finish(&fin, "you", ev, 1), 1);
    assert_int_equal(ev[0].sound, SFX_WIN); /* a shared first place wins */
    assert_int_equal(sfx_events_finish(&fin, "carol", ev, 1), 1);
    assert_int_equal(ev[0].sound, SFX_LOSE);
    assert_int_equal(sfx_events_finish(&fin, "dave", ev, 1), 0);
}

/* A round by the real rules, four autoplay brains, one snapshot per tick as the server sends.
 * For each player as "you", every tick's events must match what the rules did. */
static const char *const ARENA[] = {
    "####################", "#S....c.....c....S.#", "#..................#", "#..c....##....c....#",
    "#.......##.........#", "#S..c.......c....S.#", "#..................#", "#....c..##..c......#",
    "#S......##.......S.#", "####################",
};
#define ARENA_ROWS    10
#define ROUND_PLAYERS 4
#define ROUND_SECONDS 40

static int coins_taken_by(const sim_game_t *before, const sim_game_t *after, int who)
{
    int n = 0;
    for (int c = 0; c < after->ncoins; c++) {
        if (before->coins[c].refill_ticks > 1 || after->coins[c].refill_ticks == 0)
            continue; /* was not there to take, or still there */
        /* Taken on this step: the nearest active player within reach (sim.c). */
        int best = -1;
        int64_t best_d2 = 0;
        for (int i = 0; i < after->nplayers; i++) {
            int64_t dx = after->players[i].x - after->coins[c].x;
            int64_t dy = after->players[i].y - after->coins[c].y;
            int64_t d2 = dx * dx + dy * dy;
            if (d2 <= (int64_t)SIM_COIN_PICKUP * SIM_COIN_PICKUP && (best < 0 || d2 < best_d2)) {
                best = i;
                best_d2 = d2;
            }
        }
        n += best == who;
    }
    return n;
}

static void test_recorded_round(void **state)
{
    (void)state;
    static const char NAMES[ROUND_PLAYERS][PROTO_USERNAME_SIZE] = {"ann", "ben", "cat", "dan"};
    world_t *w = calloc(1, sizeof *w);
    sim_game_t *g = calloc(1, sizeof *g), *before = calloc(1, sizeof *before);
    msg_state_t *prev = calloc(1, sizeof *prev), *cur = calloc(1, sizeof *cur);
    brain_t *brains = calloc(ROUND_PLAYERS, sizeof *brains);
    char err[256];
    assert_int_equal(
        world_from_rows(w, "arena", "", ROUND_SECONDS, ARENA, ARENA_ROWS, err, sizeof err), 0);
    sim_init(g, w, ROUND_PLAYERS, 1234, ROUND_SECONDS);
    for (int i = 0; i < ROUND_PLAYERS; i++)
        brain_init(&brains[i], 99 + (uint64_t)i);
    proto_state_from_sim(prev, g, NAMES);

    int totals[SFX_NSOUNDS] = {0};
    int last_ticks[ROUND_PLAYERS] = {0}, ends[ROUND_PLAYERS] = {0};
    while (!sim_over(g)) {
        for (int i = 0; i < ROUND_PLAYERS; i++) {
            sim_input_t in;
            brain_decide(&brains[i], w, prev, i, &in);
            sim_set_input(g, i, &in);
        }
        *before = *g;
        sim_step(g);
        proto_state_from_sim(cur, g, NAMES);
        for (int me = 0; me < ROUND_PLAYERS; me++) {
            sfx_event_t ev[SFX_EVENTS_MAX];
            int n = sfx_events_diff(prev, cur, NAMES[me], w->width, ev, SFX_EVENTS_MAX);
            const sim_player_t *p = &g->players[me], *b = &before->players[me];
            int coins = coins_taken_by(before, g, me);
            int32_t steal = p->score - b->score - coins;
            bool stunned = p->stun_ticks == SIM_STUN_TICKS;
            /* A dash began: it runs, or a hit on the same step ended it (its cooldown began). */
            bool dashed = b->dash_ticks == 0 && (p->dash_ticks == SIM_DASH_TICKS ||
                                                 p->cooldown_ticks > b->cooldown_ticks);
            int yours_coin = 0, yours_thief = 0, yours_stun = 0, yours_dash = 0;
            for (int k = 0; k < n; k++) {
                bool loud = ev[k].volume == SFX_EVENTS_VOL_YOURS;
                yours_coin += ev[k].sound == SFX_COIN_YOU;
                yours_thief += ev[k].sound == SFX_STEAL_THIEF && loud;
                yours_stun += ev[k].sound == SFX_STUN && loud;
                yours_dash += ev[k].sound == SFX_DASH && loud;
                if (me == 0)
                    totals[ev[k].sound]++;
            }
            assert_int_equal(yours_coin, coins > 0);
            assert_int_equal(yours_thief, steal > 0);
            assert_int_equal(count(ev, n, SFX_STEAL_ROBBED), steal < 0);
            assert_int_equal(yours_stun, stunned && steal >= 0);
            assert_int_equal(yours_dash, dashed);
            last_ticks[me] += count(ev, n, SFX_LAST_TICK);
            ends[me] += count(ev, n, SFX_ROUND_END);
        }
        msg_state_t *t = prev;
        prev = cur;
        cur = t;
    }
    for (int me = 0; me < ROUND_PLAYERS; me++) {
        assert_int_equal(last_ticks[me], SFX_EVENTS_LAST_SECONDS);
        assert_int_equal(ends[me], 1);
    }
    /* The brains really played: coins, dashes and steals all happened. */
    assert_true(totals[SFX_COIN_YOU] > 0);
    assert_true(totals[SFX_COIN_OTHER] > 0);
    assert_true(totals[SFX_DASH] > 0);
    assert_true(totals[SFX_STEAL_THIEF] + totals[SFX_STEAL_ROBBED] > 0);
    print_message("recorded round, heard by ann: %d coin_you, %d coin_other, %d dash, %d "
                  "steal_thief, %d steal_robbed, %d stun\n",
                  totals[SFX_COIN_YOU], totals[SFX_COIN_OTHER], totals[SFX_DASH],
                  totals[SFX_STEAL_THIEF], totals[SFX_STEAL_ROBBED], totals[SFX_STUN]);
    free(brains);
    free(cur);
    free(prev);
    free(before);
    free(g);
    free(w);
}

/* ---- synthesis ---- */

static float peak_of(const float *x, int n)
{
    float p = 0.0f;
    for (int i = 0; i < n; i++)
        p = fmaxf(p, fabsf(x[i]));
    return p;
}

static double rms_of(const float *x, int n, int stride)
{
    double s = 0.0;
    int k = 0;
    for (int i = 0; i < n; i += stride, k++)
        s += (double)x[i] * x[i];
    return k ? sqrt(s / k) : 0.0;
}

/* Brightness: the RMS of the first difference over the RMS (high frequencies weigh more). */
static double brightness(const float *x, int n)
{
    double d = 0.0;
    for (int i = 1; i < n; i++)
        d += (double)(x[i] - x[i - 1]) * (x[i] - x[i - 1]);
    return sqrt(d / (n - 1)) / rms_of(x, n, 1);
}

static void test_synthesis(void **state)
{
    (void)state;
    static const int rates[] = {22050, 44100, 48000};
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        int rate = rates[r];
        for (int s = 0; s < SFX_NSOUNDS; s++) {
            int frames = sfx_frames((sfx_sound_t)s, rate);
            assert_int_equal(frames, (int)ceilf(sfx_duration((sfx_sound_t)s) * rate));
            /* Short effects; the jingles are the longest, under two seconds. */
            assert_true(sfx_duration((sfx_sound_t)s) > 0.04f);
            assert_true(sfx_duration((sfx_sound_t)s) < 2.0f);
            float *a = malloc((size_t)frames * sizeof *a), *b = malloc((size_t)frames * sizeof *b);
            assert_int_equal(sfx_render((sfx_sound_t)s, rate, a, frames - 1), -1);
            assert_int_equal(sfx_render((sfx_sound_t)s, rate, a, frames), frames);
            assert_int_equal(sfx_render((sfx_sound_t)s, rate, b, frames), frames);
            assert_memory_equal(a, b, (size_t)frames * sizeof *a); /* deterministic */
            float peak = peak_of(a, frames);
            double rms = rms_of(a, frames, 1);
            assert_true(peak <= SFX_PEAK_MAX);
            assert_true(peak > 0.1f);
            assert_true(rms > 0.02);
            /* No click at either end: it starts and ends at (almost) zero. */
            assert_true(fabsf(a[0]) < 0.01f);
            int tail = rate / 1000;
            assert_true(peak_of(a + frames - tail, tail) < 0.01f);
            free(a);
            free(b);
        }
    }
    assert_int_equal(sfx_frames(SFX_COIN_YOU, SFX_MIN_RATE - 1), 0);
    assert_int_equal(sfx_frames(SFX_NSOUNDS, TEST_RATE), 0);
    assert_string_equal(sfx_name(SFX_STEAL_ROBBED), "steal_robbed");
}

static void test_sounds_distinct(void **state)
{
    (void)state;
    sfx_bank_t bank;
    assert_int_equal(sfx_bank_init(&bank, 0), -1);
    assert_int_equal(sfx_bank_init(&bank, TEST_RATE), 0);
    /* Your coin is louder and brighter than another player's. */
    double rms_you = rms_of(bank.pcm[SFX_COIN_YOU], bank.frames[SFX_COIN_YOU], 1);
    double rms_other = rms_of(bank.pcm[SFX_COIN_OTHER], bank.frames[SFX_COIN_OTHER], 1);
    assert_true(rms_you > rms_other);
    assert_true(brightness(bank.pcm[SFX_COIN_YOU], bank.frames[SFX_COIN_YOU]) >
                brightness(bank.pcm[SFX_COIN_OTHER], bank.frames[SFX_COIN_OTHER]));
    /* Every pair differs: correlation of their common start well below 1. */
    for (int i = 0; i < SFX_NSOUNDS; i++) {
        for (int j = i + 1; j < SFX_NSOUNDS; j++) {
            int n = bank.frames[i] < bank.frames[j] ? bank.frames[i] : bank.frames[j];
            double xy = 0, xx = 0, yy = 0;
            for (int k = 0; k < n; k++) {
                xy += (double)bank.pcm[i][k] * bank.pcm[j][k];
                xx += (double)bank.pcm[i][k] * bank.pcm[i][k];
                yy += (double)bank.pcm[j][k] * bank.pcm[j][k];
            }
            double corr = xy / sqrt(xx * yy + 1e-12);
            if (fabs(corr) > 0.5)
                fail_msg("%s and %s sound alike (correlation %.2f)", sfx_name((sfx_sound_t)i),
                         sfx_name((sfx_sound_t)j), corr);
        }
    }
    sfx_bank_free(&bank);
    sfx_bank_free(&bank); /* twice is harmless */
}

/* ---- mixer ---- */

typedef struct mixfix {
    sfx_bank_t bank;
    sfx_mix_t mix;
    float out[BLOCK_FRAMES * SFX_MIX_MAX_CHANNELS];
} mixfix_t;

static int mix_setup(void **state)
{
    mixfix_t *f = calloc(1, sizeof *f);
    if (!f || sfx_bank_init(&f->bank, TEST_RATE) != 0)
        return -1;
    sfx_mix_init(&f->mix, &f->bank, 2);
    *state = f;
    return 0;
}

static int mix_teardown(void **state)
{
    mixfix_t *f = *state;
    sfx_bank_free(&f->bank);
    free(f);
    return 0;
}

/* Renders until every voice is done; returns the peak of channel ch (-1: all channels). */
static float render_all(mixfix_t *f, int ch, double *rms)
{
    float peak = 0.0f;
    double sum = 0.0;
    long n = 0;
    do {
        sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
        for (int i = 0; i < BLOCK_FRAMES * f->mix.channels; i++) {
            if (ch >= 0 && i % f->mix.channels != ch)
                continue;
            peak = fmaxf(peak, fabsf(f->out[i]));
            sum += (double)f->out[i] * f->out[i];
            n++;
        }
    } while (sfx_mix_active(&f->mix) > 0);
    if (rms)
        *rms = sqrt(sum / (double)n);
    return peak;
}

static void test_mix_many_voices_never_clip(void **state)
{
    mixfix_t *f = *state;
    /* The queue's worth of the loudest sounds at full volume, all at once, then again while
     * they play: far more than SFX_MIX_VOICES. */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < SFX_MIX_QUEUE; i++)
            assert_true(
                sfx_mix_play(&f->mix, (sfx_sound_t)(i % SFX_NSOUNDS), 1.0f, (float)(i % 3) - 1.0f));
        sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
        assert_int_equal(sfx_mix_active(&f->mix), SFX_MIX_VOICES);
    }
    float peak = render_all(f, -1, NULL);
    assert_true(peak < SFX_MIX_CEILING);
    assert_true(peak > 0.5f); /* loud, yet below full scale */
    assert_int_equal(sfx_mix_active(&f->mix), 0);

    /* A full queue drops, never blocks. */
    for (int i = 0; i < SFX_MIX_QUEUE; i++)
        assert_true(sfx_mix_play(&f->mix, SFX_CHAT, 1.0f, 0.0f));
    assert_false(sfx_mix_play(&f->mix, SFX_CHAT, 1.0f, 0.0f));
    assert_int_equal(atomic_load(&f->mix.dropped), 1);
    assert_false(sfx_mix_play(&f->mix, SFX_NSOUNDS, 1.0f, 0.0f));
    /* The same sound queued many times on one render merges into one voice. */
    sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
    assert_int_equal(sfx_mix_active(&f->mix), 1);
    render_all(f, -1, NULL);
}

static void test_mix_mute_is_silent(void **state)
{
    mixfix_t *f = *state;
    sfx_mix_play(&f->mix, SFX_WIN, 1.0f, 0.0f);
    sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
    sfx_mix_set_muted(&f->mix, true);
    assert_true(sfx_mix_muted(&f->mix));
    /* It fades out over SFX_MIX_RAMP_MS, then is exactly silent, new plays included. */
    int ramp_blocks = TEST_RATE * SFX_MIX_RAMP_MS / 1000 / BLOCK_FRAMES + 1;
    for (int i = 0; i < ramp_blocks; i++)
        sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
    sfx_mix_play(&f->mix, SFX_COIN_YOU, 1.0f, 0.0f);
    for (int b = 0; b < 20; b++) {
        sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
        for (int i = 0; i < BLOCK_FRAMES * 2; i++)
            assert_true(f->out[i] == 0.0f);
    }
    assert_int_equal(sfx_mix_active(&f->mix), 0);
    /* Unmuted: sound again. */
    sfx_mix_set_muted(&f->mix, false);
    sfx_mix_play(&f->mix, SFX_COIN_YOU, 1.0f, 0.0f);
    assert_true(render_all(f, -1, NULL) > 0.1f);
}

static void test_mix_volume_scales(void **state)
{
    mixfix_t *f = *state;
    const sfx_sound_t s = SFX_STEAL_THIEF;
    double rms_full, rms_half, rms_master;
    sfx_mix_play(&f->mix, s, 1.0f, 0.0f);
    float full = render_all(f, 0, &rms_full);
    sfx_mix_play(&f->mix, s, 0.5f, 0.0f);
    float half = render_all(f, 0, &rms_half);
    /* Below the soft clip's knee the mix is linear. */
    assert_true(full < SFX_MIX_KNEE);
    assert_float_equal(half / full, 0.5, 1e-3);
    assert_float_equal(rms_half / rms_full, 0.5, 1e-3);
    /* Centred: peak = sound peak x cos(pi/4) x headroom. */
    assert_float_equal(
        full, peak_of(f->bank.pcm[s], f->bank.frames[s]) * 0.70710678f * SFX_MIX_HEADROOM, 1e-4);

    /* Master 50 is a quarter of the amplitude (squared law); 0 is silence. */
    sfx_mix_set_master(&f->mix, 50);
    assert_int_equal(sfx_mix_master(&f->mix), 50);
    sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES); /* the gain glides there first */
    sfx_mix_play(&f->mix, s, 1.0f, 0.0f);
    float master = render_all(f, 0, &rms_master);
    assert_float_equal(master / full, 0.25, 1e-3);
    sfx_mix_set_master(&f->mix, 0);
    sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
    sfx_mix_play(&f->mix, s, 1.0f, 0.0f);
    assert_true(render_all(f, -1, NULL) == 0.0f);
    sfx_mix_set_master(&f->mix, 1000);
    assert_int_equal(sfx_mix_master(&f->mix), SFX_MIX_MASTER_MAX);
    sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);

    /* Panned hard left: nothing on the right. */
    sfx_mix_play(&f->mix, s, 1.0f, -1.0f);
    sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
    float right = 0.0f, left = 0.0f;
    for (int i = 0; i < BLOCK_FRAMES; i++) {
        left = fmaxf(left, fabsf(f->out[2 * i]));
        right = fmaxf(right, fabsf(f->out[2 * i + 1]));
    }
    assert_true(left > 0.1f);
    assert_true(right < 1e-6f);
    render_all(f, -1, NULL);
}

static void test_mix_channels(void **state)
{
    mixfix_t *f = *state;
    /* Mono: as loud as a centred sound in stereo. Six channels: only front left and right. */
    sfx_mix_init(&f->mix, &f->bank, 1);
    sfx_mix_play(&f->mix, SFX_DASH, 1.0f, 1.0f);
    float mono = render_all(f, 0, NULL);
    sfx_mix_init(&f->mix, &f->bank, 2);
    sfx_mix_play(&f->mix, SFX_DASH, 1.0f, 0.0f);
    float stereo = render_all(f, 0, NULL);
    assert_float_equal(mono, stereo, 1e-5);
    sfx_mix_init(&f->mix, &f->bank, 6);
    sfx_mix_play(&f->mix, SFX_DASH, 1.0f, 0.0f);
    float front = 0.0f;
    do {
        sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
        for (int i = 0; i < BLOCK_FRAMES; i++) {
            front = fmaxf(front, fabsf(f->out[6 * i + 1]));
            for (int c = 2; c < 6; c++)
                assert_true(f->out[6 * i + c] == 0.0f);
        }
    } while (sfx_mix_active(&f->mix) > 0);
    assert_float_equal(front, stereo, 1e-5);
    /* No bank: silence, and no crash. */
    sfx_mix_init(&f->mix, NULL, 2);
    sfx_mix_play(&f->mix, SFX_DASH, 1.0f, 0.0f);
    sfx_mix_render(&f->mix, f->out, BLOCK_FRAMES);
    assert_true(peak_of(f->out, BLOCK_FRAMES * 2) == 0.0f);
    sfx_mix_init(&f->mix, &f->bank, 2);
}

/* ---- the device (SDL) ---- */

#ifdef NINE43_TEST_AUDIO_DEVICE
static void exercise(audio_t *a)
{
    assert_non_null(a);
    /* Muted first: a test must not beep at whoever runs it on a machine with speakers. */
    audio_set_muted(a, true);
    assert_true(audio_muted(a));
    /* Every call works (or does nothing) whatever the device. */
    audio_play(a, SFX_COIN_YOU, 1.0f, 0.0f);
    sfx_event_t ev[2] = {{SFX_DASH, 0.5f, -0.5f}, {SFX_NSOUNDS, 1.0f, 0.0f}};
    audio_play_events(a, ev, 2);
    audio_play(a, (sfx_sound_t)-1, 2.0f, NAN);
    audio_set_volume(a, 70);
    assert_int_equal(audio_volume(a), 70);
    audio_set_volume(a, -5);
    assert_int_equal(audio_volume(a), 0);
    audio_set_volume(a, 70);
    assert_false(audio_toggle_mute(a));
    assert_false(audio_muted(a));
    assert_true(audio_toggle_mute(a));
    assert_non_null(audio_describe(a));
}

/* Whatever format SDL gives, the samples come out right: 0.5, -0.5 and the mixer's ceiling. */
static void test_audio_convert(void **state)
{
    (void)state;
    const float in[3] = {0.5f, -0.5f, SFX_MIX_CEILING};
    union {
        float f[3];
        int32_t s32[3];
        int16_t s16[3];
        uint16_t u16[3];
        int8_t s8[3];
        uint8_t u8[3];
    } out;
    assert_int_equal(audio_convert(in, 3, AUDIO_F32SYS, &out), 12);
    assert_memory_equal(out.f, in, sizeof in);
    assert_int_equal(audio_convert(in, 3, AUDIO_S32SYS, &out), 12);
    assert_int_equal(out.s32[0], 1073741824);
    assert_int_equal(out.s32[1], -1073741824);
    assert_true(out.s32[2] > 2000000000);
    assert_int_equal(audio_convert(in, 3, AUDIO_S16SYS, &out), 6);
    assert_int_equal(out.s16[0], 16384);
    assert_int_equal(out.s16[1], -16384);
    assert_int_equal(out.s16[2], 31129);
    assert_int_equal(audio_convert(in, 3, AUDIO_U16SYS, &out), 6);
    assert_int_equal(out.u16[0], 32768 + 16384);
    assert_int_equal(out.u16[1], 32768 - 16384);
    assert_int_equal(audio_convert(in, 3, AUDIO_S8, &out), 3);
    assert_int_equal(out.s8[0], 64);
    assert_int_equal(out.s8[1], -64);
    assert_int_equal(audio_convert(in, 3, AUDIO_U8, &out), 3);
    assert_int_equal(out.u8[0], 192);
    assert_int_equal(out.u8[1], 64);
    /* A byte order the callback does not write: refused (open_device asks SDL to convert). */
    uint16_t foreign = SDL_BYTEORDER == SDL_LIL_ENDIAN ? AUDIO_S16MSB : AUDIO_S16LSB;
    assert_int_equal(audio_convert(in, 3, foreign, &out), -1);
}

static void test_audio_bad_driver(void **state)
{
    (void)state;
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    audio_t *a = audio_open();
    assert_non_null(a);
    assert_false(audio_ok(a));
    assert_string_equal(audio_describe(a), "no device");
    exercise(a);
    assert_int_equal(audio_frames_mixed(a), 0);
    audio_close(a);

    /* NULL (out of memory at open) is harmless too. */
    audio_play(NULL, SFX_CHAT, 1.0f, 0.0f);
    audio_set_volume(NULL, 3);
    assert_true(audio_muted(NULL));
    assert_false(audio_ok(NULL));
    audio_close(NULL);
}

/* This machine's own default: a sound card or none (a build box has none), harmless either
 * way. */
static void test_audio_default_device(void **state)
{
    (void)state;
    unsetenv("SDL_AUDIODRIVER");
    audio_t *a = audio_open();
    assert_non_null(a);
    exercise(a);
    print_message("default device: %s\n", audio_describe(a));
    audio_close(a);
}

static void test_audio_dummy_driver(void **state)
{
    (void)state;
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    audio_t *a = audio_open();
    assert_non_null(a);
    exercise(a);
    /* SDL 2's dummy driver opens and runs the callback (silently); an SDL whose dummy opens
     * nothing leaves a silent audio_t, which is as good. */
    for (int i = 0; i < 200 && audio_ok(a) && audio_frames_mixed(a) == 0; i++)
        SDL_Delay(10);
    print_message("dummy driver: %s, %lu frames mixed\n", audio_describe(a), audio_frames_mixed(a));
    if (audio_ok(a))
        assert_true(audio_frames_mixed(a) > 0);
    audio_close(a);
}

/* SDL's disk driver writes what the callback produced to a file: the whole path (callback,
 * mixer, conversion) checked by ear's stand-in, the numbers. */
static void test_audio_disk_driver(void **state)
{
    (void)state;
    char path[] = "/tmp/nine43-test-audio-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", path, 1);
    audio_t *a = audio_open();
    assert_non_null(a);
    if (!audio_ok(a)) {
        print_message("no disk driver in this SDL: skipped\n");
        audio_close(a);
        unlink(path);
        return;
    }
    for (int i = 0; i < SFX_NSOUNDS; i++)
        audio_play(a, (sfx_sound_t)i, 1.0f, (float)(i % 3) - 1.0f);
    /* Long enough for the loudest stretch of the mix. */
    for (int i = 0; i < 100 && audio_frames_mixed(a) < 12000; i++)
        SDL_Delay(10);
    char desc[64];
    snprintf(desc, sizeof desc, "%s", audio_describe(a));
    unsigned long frames = audio_frames_mixed(a);
    audio_close(a);
    unsetenv("SDL_DISKAUDIOFILE");

    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static float buf[1 << 18];
    size_t n = fread(buf, sizeof(float), sizeof buf / sizeof buf[0], fp);
    fclose(fp);
    unlink(path);
    print_message("disk driver: %s, %lu frames mixed, %zu samples written\n", desc, frames, n);
    assert_true(frames > 0);
    /* The disk driver takes our own format (f32) as asked. */
    assert_non_null(strstr(desc, "f32"));
    assert_true(n > 1000);
    float peak = peak_of(buf, (int)n);
    assert_true(peak > 0.1f);
    assert_true(peak < 1.0f);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_change_no_event),
        cmocka_unit_test(test_coin_yours_and_others),
        cmocka_unit_test(test_steal_thief_robbed_and_others),
        cmocka_unit_test(test_stun_without_loss),
        cmocka_unit_test(test_dash_start),
        cmocka_unit_test(test_last_ten_seconds_once_each),
        cmocka_unit_test(test_countdown),
        cmocka_unit_test(test_dash_not_ready),
        cmocka_unit_test(test_finish_jingle),
        cmocka_unit_test(test_recorded_round),
        cmocka_unit_test(test_synthesis),
        cmocka_unit_test(test_sounds_distinct),
        cmocka_unit_test_setup_teardown(test_mix_many_voices_never_clip, mix_setup, mix_teardown),
        cmocka_unit_test_setup_teardown(test_mix_mute_is_silent, mix_setup, mix_teardown),
        cmocka_unit_test_setup_teardown(test_mix_volume_scales, mix_setup, mix_teardown),
        cmocka_unit_test_setup_teardown(test_mix_channels, mix_setup, mix_teardown),
#ifdef NINE43_TEST_AUDIO_DEVICE
        cmocka_unit_test(test_audio_convert),
        cmocka_unit_test(test_audio_bad_driver),
        cmocka_unit_test(test_audio_default_device),
        cmocka_unit_test(test_audio_dummy_driver),
        cmocka_unit_test(test_audio_disk_driver),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
