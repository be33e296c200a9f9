/* test_server_countdown.c -- the 3-2-1 before a round against the real server on loopback: one GO
 * for the whole group, inputs before it dropped, countdown_ms only for a login that named the
 * "countdown" feature, and the original client's lines unchanged; on test_server_helpers */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_server_helpers.h"

#define COUNTDOWN_MS 1000 /* the server runs with --countdown 1 */

/* Logs in with the given login line (the prompt first), expecting acceptance and the lobby. */
static void login_line(tu_client_t *c, int port, const char *line)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    ts_send(c, line);
    msg_t *m = ts_expect(c, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    ts_expect(c, MSG_LOBBY);
}

/* The raw "game start" line, checked for the field by name; returns its decoded countdown_ms. */
static int game_start_line(tu_client_t *c, bool has_countdown)
{
    for (;;) {
        char *line = tu_client_recv_line(c, TS_WAIT);
        assert_non_null(line);
        if (!strstr(line, "\"game start\"")) {
            free(line);
            continue;
        }
        assert_int_equal(strstr(line, "countdown") != NULL, has_countdown);
        char err[256];
        assert_int_equal(
            proto_decode(line, strlen(line), PROTO_TO_CLIENT, &ts_msg, err, sizeof err), 0);
        assert_int_equal(ts_msg.type, MSG_GAME_START);
        free(line);
        return ts_msg.u.game_start.countdown_ms;
    }
}

/* alice's client shows a countdown, bob's is the original one (no "features"). Both see tick 0
 * at once (the spawns), then nothing until GO, which is one tick for both; what alice sends
 * before GO (a move and a dash) is dropped, what bob sends after it is applied. */
static void test_countdown_round(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--countdown", "1", "--round-seconds", "3", NULL});
    tu_client_t a, b;
    login_line(&a, srv.port,
               "{\"type\":\"log in\",\"username\":\"alice\",\"version\":1,"
               "\"features\":[\"countdown\",\"from-the-future\"]}");
    login_line(&b, srv.port, "{\"type\": \"log in\", \"username\": \"bob\"}");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    int cd = game_start_line(&a, true);
    long long a_start = ts_now_ms();
    assert_in_range(cd, COUNTDOWN_MS - 1000 / SIM_TICK_RATE, COUNTDOWN_MS);
    assert_int_equal(game_start_line(&b, false), 0);
    long long b_start = ts_now_ms();

    /* The countdown's snapshot: tick 0, the whole round left, everyone on a spawn. */
    msg_t *m = ts_expect(&a, MSG_STATE);
    assert_int_equal(m->u.state.tick, 0);
    assert_int_equal(m->u.state.time_left_ms, 3000);
    const proto_player_state_t *pa = ts_find(&m->u.state, "alice");
    assert_non_null(pa);
    int32_t ax = pa->x, ay = pa->y;
    m = ts_expect(&b, MSG_STATE);
    assert_int_equal(m->u.state.tick, 0);

    /* Before GO: alice runs and dashes. Dropped, not queued for later. */
    ts_input(&a, 1, ax < 5 * SIM_ONE ? 1 : -1, 0, true);
    ts_input(&a, 2, 0, ay < 5 * SIM_ONE ? 1 : -1, true);

    /* GO: the first tick comes a countdown after game start, tick 1 for both. */
    m = ts_expect(&a, MSG_STATE);
    assert_int_equal(m->u.state.tick, 1);
    assert_true(ts_now_ms() - a_start >= COUNTDOWN_MS - 1000 / SIM_TICK_RATE - 10);
    m = ts_expect(&b, MSG_STATE);
    assert_int_equal(m->u.state.tick, 1);
    assert_true(ts_now_ms() - b_start >= COUNTDOWN_MS - 1000 / SIM_TICK_RATE - 10);
    ts_input(&b, 5, 0, 0, false);
    uint32_t back = 0;
    for (int i = 0; i < 10; i++) {
        m = ts_expect(&a, MSG_STATE);
        pa = ts_find(&m->u.state, "alice");
        assert_int_equal(pa->ack, 0);
        assert_int_equal(pa->x, ax);
        assert_int_equal(pa->y, ay);
        assert_false(pa->dash);
        assert_int_equal(pa->cooldown_ticks, 0);
        back = ts_find(&m->u.state, "bob")->ack;
    }
    assert_int_equal(back, 5);

    /* After GO alice's input counts again. */
    ts_input(&a, 3, ax < 5 * SIM_ONE ? 1 : -1, 0, false);
    for (int i = 0; i < 10; i++) {
        m = ts_expect(&a, MSG_STATE);
        pa = ts_find(&m->u.state, "alice");
    }
    assert_int_equal(pa->ack, 3);
    ts_expect(&a, MSG_FINISH);
    ts_expect(&b, MSG_FINISH);
    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* The original client's login and lobby lines are byte for byte what they were: no feature
 * named, nothing added. */
static void test_original_client_lines(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--countdown", "1", NULL});
    tu_client_t c;
    assert_int_equal(tu_client_connect(&c, srv.port), 0);
    char *line = tu_client_recv_line(&c, TS_WAIT);
    assert_non_null(line);
    assert_string_equal(line, "{\"type\":\"log in\"}");
    free(line);
    ts_send(&c, "{\"type\": \"log in\", \"username\": \"carol\"}");
    static const char *const want[] = {
        "{\"type\":\"log in update\",\"state\":\"accepted\",\"version\":1}",
        "{\"type\":\"lobby\",\"message\":\"welcome\"}",
        "{\"type\":\"lobby update\",\"players\":[\"carol\"],\"group_size\":2}",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        line = tu_client_recv_line(&c, TS_WAIT);
        assert_non_null(line);
        assert_string_equal(line, want[i]);
        free(line);
    }
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* A "features" that is not a list of short strings is a refusal that says why, and the same
 * connection can log in properly afterwards. */
static void test_bad_features(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, NULL);
    tu_client_t c;
    assert_int_equal(tu_client_connect(&c, srv.port), 0);
    ts_expect(&c, MSG_LOGIN_PROMPT);
    ts_send(&c, "{\"type\":\"log in\",\"username\":\"dave\",\"features\":\"countdown\"}");
    msg_t *m = ts_expect(&c, MSG_LOGIN_UPDATE);
    assert_false(m->u.login_update.accepted);
    assert_non_null(strstr(m->u.login_update.message, "features"));
    ts_send(&c, "{\"type\":\"log in\",\"username\":\"dave\",\"features\":[1]}");
    m = ts_expect(&c, MSG_LOGIN_UPDATE);
    assert_false(m->u.login_update.accepted);
    assert_non_null(strstr(m->u.login_update.message, "features[0]"));
    ts_send(&c, "{\"type\":\"log in\",\"username\":\"dave\",\"features\":[\"countdown\"]}");
    m = ts_expect(&c, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_countdown_round),
        cmocka_unit_test(test_original_client_lines),
        cmocka_unit_test(test_bad_features),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
