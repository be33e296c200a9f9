/* test_scene_replay.c -- replays on the client without a window: "replay" parts put back together
 * and kept (bad parts dropped, the folder kept at CLIENT_REPLAYS_KEPT), the Replays list, and
 * playback's pause, speeds, seeking, following and end; bad files shown with why */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "client_core_fake.h"
#include "replays.h"
#include "scene_playback.h"

#define TEST_SECONDS 20
#define TEST_TICKS   (TEST_SECONDS * SIM_TICK_RATE)

static world_t test_world;
static char test_dir[256];

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

/* A round of three players moving about, started at `started`; malloc'd file bytes. With
 * pad, the world's description is long random bytes' worth of ticks: a file of several parts. */
static uint8_t *test_round(int64_t started, uint32_t ticks, size_t *len)
{
    test_make_world();
    static sim_game_t g;
    sim_init(&g, &test_world, 3, 7, 1);
    g.duration_ticks = ticks;
    replay_info_t info = {.seed = 7, .started = started, .duration_ticks = ticks, .nplayers = 3};
    const char *names[] = {"alice", "bob", "carol"};
    for (int i = 0; i < 3; i++) {
        snprintf(info.players[i].name, sizeof info.players[i].name, "%s", names[i]);
        info.players[i].rgb[i] = 200;
    }
    replay_writer_t w;
    assert_int_equal(replay_writer_begin(&w, &info, &test_world), 0);
    while (!sim_over(&g)) {
        uint32_t t = g.tick + 1;
        for (int i = 0; i < 3; i++) {
            if (t % (4 + (uint32_t)i) == 0) {
                sim_input_t in = {.seq = t,
                                  .dx = (int8_t)((t / 6 + (uint32_t)i) % 3) - 1,
                                  .dy = (int8_t)((t / 9 + (uint32_t)i) % 3) - 1,
                                  .dash = t % 45 == 0};
                sim_set_input(&g, i, &in);
                replay_writer_input(&w, &g, i);
            }
        }
        sim_step(&g);
        replay_writer_tick(&w, &g);
    }
    const uint8_t *data;
    assert_int_equal(replay_writer_finish(&w, &g, &data, len), 0);
    uint8_t *copy = malloc(*len);
    memcpy(copy, data, *len);
    replay_writer_free(&w);
    return copy;
}

static void test_b64(const uint8_t *in, size_t n, char *out)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = t[v >> 18 & 63];
        out[o++] = t[v >> 12 & 63];
        out[o++] = i + 1 < n ? t[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? t[v & 63] : '=';
    }
    out[o] = '\0';
}

/* Sends data as the server does: parts of PROTO_REPLAY_PART_BYTES. skip: a part (1-based) left
 * out, 0 = none. Returns the parts. */
static int test_send(client_t *c, const uint8_t *data, size_t len, int skip)
{
    msg_t *m = calloc(1, sizeof *m);
    int parts = (int)((len + PROTO_REPLAY_PART_BYTES - 1) / PROTO_REPLAY_PART_BYTES);
    for (int k = 0; k < parts; k++) {
        if (k + 1 == skip)
            continue;
        size_t off = (size_t)k * PROTO_REPLAY_PART_BYTES;
        size_t n = len - off < PROTO_REPLAY_PART_BYTES ? len - off : PROTO_REPLAY_PART_BYTES;
        proto_init(m, MSG_REPLAY);
        m->u.replay.part = k + 1;
        m->u.replay.parts = parts;
        m->u.replay.bytes = (int32_t)len;
        test_b64(data + off, n, m->u.replay.data);
        client_on_message(c, m);
    }
    free(m);
    return parts;
}

static int test_count_files(void)
{
    replays_entry_t *e = calloc(CLIENT_REPLAYS_LISTED, sizeof *e);
    int n = replays_list(test_dir, e, CLIENT_REPLAYS_LISTED);
    free(e);
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(test_dir, sizeof test_dir, "/tmp/nine43-scene-replay-XXXXXX");
    if (!mkdtemp(test_dir))
        return -1;
    strcat(test_dir, "/replays"); /* made by the first save */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    char *slash = strrchr(test_dir, '/');
    *slash = '\0';
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A replay of several parts arrives during the round: kept, byte for byte, readable. */
static void test_parts_are_kept(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    snprintf(c->replays_dir, sizeof c->replays_dir, "%s", test_dir);
    size_t len;
    uint8_t *data = test_round(1700000000, 9000, &len); /* 5 minutes: several parts */
    assert_true(test_send(c, data, len, 0) >= 2);
    assert_int_equal(test_count_files(), 1);
    assert_non_null(strstr(c->replay_kept, "round-20231114-221320-"));
    FILE *f = fopen(c->replay_kept, "rb");
    assert_non_null(f);
    uint8_t *back = malloc(len + 1);
    assert_int_equal(fread(back, 1, len + 1, f), len);
    fclose(f);
    assert_memory_equal(back, data, len);
    free(back);

    /* A part missing: nothing new kept, and the next whole file still is. */
    free(data);
    data = test_round(1700000100, TEST_TICKS, &len);
    uint8_t *big = test_round(1700000200, 9000, &len);
    free(data);
    size_t big_len = len;
    test_send(c, big, big_len, 2);
    assert_int_equal(test_count_files(), 1);
    assert_non_null(strstr(c->replay_kept, "not kept"));
    test_send(c, big, big_len, 0);
    assert_int_equal(test_count_files(), 2);
    /* A file the reader refuses (one byte changed in its rules id) is not kept. */
    big[10] ^= 1;
    test_send(c, big, big_len, 0);
    assert_int_equal(test_count_files(), 2);
    assert_non_null(strstr(c->replay_kept, "cannot read"));
    free(big);
    ccf_free(c);
}

/* Bad parts: out of order, sizes that disagree, not base64. None crashes or keeps a file. */
static void test_bad_parts(void **state)
{
    (void)state;
    replays_rx_t rx = {0};
    const uint8_t *data;
    size_t len;
    char err[200];
    msg_replay_t m = {.part = 2, .parts = 2, .bytes = 10000};
    strcpy(m.data, "AAAA");
    assert_int_equal(replays_rx_part(&rx, &m, &data, &len, err, sizeof err), -1);
    assert_non_null(strstr(err, "order"));
    m = (msg_replay_t){.part = 1, .parts = 3, .bytes = 100}; /* 100 bytes need 1 part */
    assert_int_equal(replays_rx_part(&rx, &m, &data, &len, err, sizeof err), -1);
    m = (msg_replay_t){.part = 1, .parts = 1, .bytes = 3};
    strcpy(m.data, "AA*A");
    assert_int_equal(replays_rx_part(&rx, &m, &data, &len, err, sizeof err), -1);
    strcpy(m.data, "AAAAAAAA"); /* 6 bytes, not 3 */
    assert_int_equal(replays_rx_part(&rx, &m, &data, &len, err, sizeof err), -1);
    strcpy(m.data, "QUJD");
    assert_int_equal(replays_rx_part(&rx, &m, &data, &len, err, sizeof err), 1);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "ABC", 3);
    replays_rx_free(&rx);
}

/* The folder keeps the newest CLIENT_REPLAYS_KEPT of ours; another file in it stays. */
static void test_folder_is_pruned(void **state)
{
    (void)state;
    size_t len;
    char path[CLIENT_REPLAY_PATH], err[300];
    for (int i = 0; i < CLIENT_REPLAYS_KEPT + 3; i++) {
        uint8_t *data = test_round(1700000000 + 60 * i, 30, &len);
        assert_int_equal(replays_save(test_dir, data, len, path, sizeof path, err, sizeof err), 0);
        free(data);
        if (i == 0) {
            char other[400];
            snprintf(other, sizeof other, "%s/notes.txt", test_dir);
            FILE *f = fopen(other, "w");
            fputs("mine", f);
            fclose(f);
        }
    }
    replays_entry_t *e = calloc(CLIENT_REPLAYS_LISTED, sizeof *e);
    int n = replays_list(test_dir, e, CLIENT_REPLAYS_LISTED);
    assert_int_equal(n, CLIENT_REPLAYS_KEPT);
    /* Newest first; the three oldest went. */
    assert_int_equal(e[0].started, 1700000000 + 60 * (CLIENT_REPLAYS_KEPT + 2));
    assert_int_equal(e[n - 1].started, 1700000000 + 60 * 3);
    free(e);
    char other[400];
    snprintf(other, sizeof other, "%s/notes.txt", test_dir);
    assert_int_equal(access(other, F_OK), 0);
}

/* Menu -> Replays: rows newest first with world, players and winner; a broken file says why;
 * Enter plays one, Esc comes back. */
static void test_replays_list(void **state)
{
    (void)state;
    size_t len;
    char path[CLIENT_REPLAY_PATH], err[300];
    uint8_t *data = test_round(1800000000, TEST_TICKS, &len);
    assert_int_equal(replays_save(test_dir, data, len, path, sizeof path, err, sizeof err), 0);
    char broken[CLIENT_REPLAY_PATH];
    snprintf(broken, sizeof broken, "%s/round-29990101-000000-x.n43replay", test_dir);
    FILE *f = fopen(broken, "wb");
    fwrite(data, 1, len / 2, f); /* cut short */
    fclose(f);
    free(data);

    client_t *c = ccf_client();
    snprintf(c->replays_dir, sizeof c->replays_dir, "%s", test_dir);
    c->menu.focus = MENU_REPLAYS;
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_REPLAYS);
    const replays_list_t *l = &c->replays;
    assert_true(l->count >= 2);
    assert_false(l->entries[0].ok); /* the broken one sorts first (its name) */
    assert_true(strlen(l->entries[0].error) > 10);
    const replays_entry_t *e = &l->entries[1];
    assert_true(e->ok);
    assert_int_equal(e->started, 1800000000);
    assert_string_equal(e->world, "box");
    assert_int_equal(e->nplayers, 3);
    assert_string_equal(e->players, "alice, bob, carol");
    assert_true(e->winner[0] != '\0');
    assert_int_equal(e->seconds, TEST_SECONDS);

    /* The broken one opens to its reason, not a crash; Esc back to the list. */
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_PLAYBACK);
    assert_false(c->playback.loaded);
    assert_non_null(strstr(c->playback.error, "round-29990101"));
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_REPLAYS);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_PLAYBACK);
    assert_true(c->playback.loaded);
    assert_int_equal(playback_length_ms(c), TEST_SECONDS * 1000);
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_REPLAYS);
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    ccf_free(c);
}

static uint64_t test_hash(const client_t *c)
{
    return replay_state_hash(&c->playback.play.game);
}

/* Playback: 1x, 2x, 0.5x, 4x play that much round time; pause holds; seeking back gives the
 * very state first reached going forward; follow cycles; the end shows the results. */
static void test_playback_controls(void **state)
{
    (void)state;
    size_t len;
    char path[CLIENT_REPLAY_PATH], err[300];
    uint8_t *data = test_round(1900000000, TEST_TICKS, &len);
    assert_int_equal(replays_save(test_dir, data, len, path, sizeof path, err, sizeof err), 0);
    free(data);
    client_t *c = ccf_client();
    playback_open(c, path, SCENE_MENU);
    assert_int_equal(c->scene, SCENE_PLAYBACK);
    assert_true(c->playback.loaded);
    assert_int_equal(playback_ms(c), 0);

    ccf_run(c, 1000, 10);
    assert_in_range(playback_ms(c), 960, 1000);
    /* The round's drawing reads the shown tick as a "state": each player's colour from the file,
     * the board ranked by score. */
    const game_t *g = &c->game;
    assert_true(g->started && g->have_state && g->replay);
    assert_int_equal(g->state.nplayers, 3);
    assert_int_equal(g->state.tick, c->playback.play.game.tick);
    for (int i = 0; i < 3; i++) {
        int slot = -1;
        for (int k = 0; k < 3; k++)
            if (strcmp(c->playback.r.info.players[k].name, g->state.players[i].username) == 0)
                slot = k;
        assert_true(slot >= 0);
        assert_memory_equal(g->colors[i], c->playback.r.info.players[slot].rgb, 3);
    }
    for (int k = 1; k < 3; k++)
        assert_true(g->state.players[g->ranking[k - 1]].score >=
                    g->state.players[g->ranking[k]].score);
    assert_true(g->ranking[0] != g->ranking[1] && g->ranking[1] != g->ranking[2]);
    ccf_key(c, IN_UP); /* 2x */
    assert_true(playback_speed(c) == 2.0);
    uint32_t t0 = playback_ms(c);
    ccf_run(c, 1000, 10);
    assert_in_range(playback_ms(c) - t0, 1960, 2040);
    ccf_key(c, IN_UP);
    ccf_key(c, IN_UP); /* 4x is the top */
    assert_true(playback_speed(c) == 4.0);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_DOWN); /* 0.5x is the bottom */
    assert_true(playback_speed(c) == 0.5);
    t0 = playback_ms(c);
    ccf_run(c, 1000, 10);
    assert_in_range(playback_ms(c) - t0, 460, 540);

    /* Pause: nothing moves; Enter again plays. */
    ccf_key(c, IN_CONFIRM);
    t0 = playback_ms(c);
    ccf_run(c, 2000, 10);
    assert_int_equal(playback_ms(c), t0);
    ccf_type(c, " ");
    ccf_run(c, 200, 10);
    assert_true(playback_ms(c) > t0);
    ccf_key(c, IN_CONFIRM); /* paused again for the seeks */

    /* Seeking forward and back lands on the same state as playing there. */
    playback_seek(c, 12000);
    assert_int_equal(playback_ms(c), 12000);
    uint64_t at12 = test_hash(c);
    playback_seek(c, 15000);
    ccf_key(c, IN_LEFT); /* -5 s: re-simulated from the start */
    assert_int_equal(playback_ms(c), 10000);
    ccf_key(c, IN_RIGHT);
    ccf_key(c, IN_LEFT);
    playback_seek(c, 12000);
    assert_true(test_hash(c) == at12);
    /* A click on the timeline's middle seeks to the middle. */
    playback_layout_t lay;
    playback_layout(c, &lay);
    ccf_click(c, lay.line_x + lay.line_w / 2, lay.line_y + 2);
    assert_in_range(playback_ms(c), TEST_SECONDS * 500 - 100, TEST_SECONDS * 500 + 100);
    /* A click on the 4x button. */
    ccf_click(c, lay.speed_x[3] + 5, lay.button_y + 5);
    assert_true(playback_speed(c) == 4.0);

    /* Follow: Tab cycles alice, bob, carol, the whole map; digits pick one. */
    assert_int_equal(c->playback.follow, -1);
    ccf_key(c, IN_TAB);
    assert_int_equal(c->playback.follow, 0);
    ccf_key(c, IN_TAB);
    ccf_key(c, IN_TAB);
    assert_int_equal(c->playback.follow, 2);
    ccf_key(c, IN_TAB);
    assert_int_equal(c->playback.follow, -1);
    ccf_type(c, "2");
    assert_int_equal(c->playback.follow, 1);
    ccf_type(c, "8"); /* no eighth player: the whole map */
    assert_int_equal(c->playback.follow, -1);

    /* To the end: the results, with the recorded scores. */
    ccf_key(c, IN_CONFIRM); /* play, at 4x */
    ccf_run(c, 5000, 20);
    assert_true(c->playback.ended);
    assert_false(c->playback.differs);
    assert_int_equal(playback_ms(c), TEST_SECONDS * 1000);
    assert_true(replay_state_hash(&c->playback.play.game) == c->playback.r.final_hash);
    ccf_key(c, IN_CONFIRM); /* again, from the start */
    assert_false(c->playback.ended);
    assert_int_equal(playback_ms(c), 0);
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_false(c->playback.loaded); /* let go */
    ccf_free(c);
}

/* Files that are no replay: a clear reason each, never a crash. */
static void test_bad_files(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    playback_open(c, "/nonexistent/x.n43replay", SCENE_MENU);
    assert_false(c->playback.loaded);
    assert_non_null(strstr(c->playback.error, "/nonexistent/x.n43replay"));
    char path[400];
    snprintf(path, sizeof path, "%s/garbage.n43replay", test_dir);
    mkdir(test_dir, 0755);
    FILE *f = fopen(path, "wb");
    fputs("N43RPLAY but not really", f);
    fclose(f);
    playback_open(c, path, SCENE_MENU);
    assert_false(c->playback.loaded);
    assert_true(strlen(c->playback.error) > strlen(path) + 5);
    /* Keys and time do nothing harmful. */
    ccf_key(c, IN_CONFIRM);
    ccf_key(c, IN_RIGHT);
    ccf_run(c, 100, 10);
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    ccf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_parts),
        cmocka_unit_test_setup_teardown(test_parts_are_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_is_pruned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replays_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_playback_controls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
