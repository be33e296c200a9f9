/* test_server_countdown.c -- the 3-2-1 before a round against the real server on loopback: one GO
 * for the whole group, inputs before it dropped, countdown_ms only for a login that named the
 * "countdown" feature, one "features" list for the countdown and the social lines, a resume
 * during the countdown, and the original client's lines unchanged; on test_server_helpers */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_server_helpers.h"

#define COUNTDOWN_MS    1000 /* the server runs with --countdown 1 */
#define RESUME_PAUSE_MS 500  /* away before resuming, well inside the 3 s countdown */
#define CLOCK_SLACK_MS  5    /* whole milliseconds on both sides, rounded either way */

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
    /* Before the votes, so before the server's game start: GO is at least a countdown after
     * this, however late this test reads its messages on a loaded machine. */
    long long voted = ts_now_ms();
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    int cd = game_start_line(&a, true);
    assert_in_range(cd, COUNTDOWN_MS - 1000 / SIM_TICK_RATE, COUNTDOWN_MS);
    assert_int_equal(game_start_line(&b, false), 0);

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
    assert_true(ts_now_ms() - voted >= COUNTDOWN_MS - 1000 / SIM_TICK_RATE - 10);
    m = ts_expect(&b, MSG_STATE);
    assert_int_equal(m->u.state.tick, 1);
    assert_true(ts_now_ms() - voted >= COUNTDOWN_MS - 1000 / SIM_TICK_RATE - 10);
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

/* One list names every feature: "countdown" gets countdown_ms, "social" the notices, each on its
 * own; the old boolean "social":true is an unknown field now and asks for nothing. */
static void test_one_features_list(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--countdown", "1", "--group-size", "3", NULL});
    tu_client_t a, b, c;
    login_line(&a, srv.port,
               "{\"type\":\"log in\",\"username\":\"alice\",\"version\":1,"
               "\"features\":[\"countdown\",\"social\"]}");
    login_line(
        &b, srv.port,
        "{\"type\":\"log in\",\"username\":\"bob\",\"version\":1,\"features\":[\"social\"]}");
    login_line(&c, srv.port,
               "{\"type\":\"log in\",\"username\":\"carol\",\"version\":1,\"social\":true}");
    /* carol's arrival is news to the two social logins (alice heard of bob's first). */
    assert_string_equal(ts_expect(&a, MSG_NOTICE)->u.notice.text, "bob joined");
    assert_string_equal(ts_expect(&a, MSG_NOTICE)->u.notice.text, "carol joined");
    assert_string_equal(ts_expect(&b, MSG_NOTICE)->u.notice.text, "carol joined");
    tu_client_t *all[3] = {&a, &b, &c};
    for (int i = 0; i < 3; i++)
        ts_expect(all[i], MSG_SELECT_WORLD);
    for (int i = 0; i < 3; i++)
        ts_send(all[i], "{\"type\":\"vote\",\"index\":0}");
    assert_in_range(game_start_line(&a, true), 1, COUNTDOWN_MS);
    assert_int_equal(game_start_line(&b, false), 0);
    /* carol: a notice or a group line would come before her game start; none does. */
    for (;;) {
        msg_t *m = ts_next(&c);
        assert_true(m->type != MSG_NOTICE && m->type != MSG_GROUP && m->type != MSG_EVENING);
        if (m->type == MSG_GAME_START) {
            assert_int_equal(m->u.game_start.countdown_ms, 0);
            break;
        }
    }
    for (int i = 0; i < 3; i++)
        tu_client_close(all[i]);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* A player who drops during the countdown and resumes before GO gets what is left of it and the
 * spawns again, and GO stays the group's one instant. */
static void test_resume_during_countdown(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--countdown", "3", "--round-seconds", "2", NULL});
    tu_client_t a, b;
    assert_int_equal(tu_client_connect(&a, srv.port), 0);
    ts_expect(&a, MSG_LOGIN_PROMPT);
    ts_send(&a, "{\"type\":\"log in\",\"username\":\"ann\",\"version\":1,"
                "\"features\":[\"countdown\"],\"resume\":\"\"}");
    msg_t *m = ts_expect(&a, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    char token[PROTO_MAX_TOKEN + 1];
    snprintf(token, sizeof token, "%s", m->u.login_update.resume);
    assert_int_equal(strlen(token), 32);
    login_line(&b, srv.port, "{\"type\": \"log in\", \"username\": \"bob\"}");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    /* The server's GO, bounded from the test's side only (a loaded machine may read any line
     * late, so no bound here is "within so many ms"): the game start goes after the votes are
     * sent and before it is read; the resume's reply after its login is sent and before it
     * is read. */
    long long voted = ts_now_ms();
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    int first = game_start_line(&a, true);
    long long first_read = ts_now_ms();
    assert_int_equal(ts_expect(&a, MSG_STATE)->u.state.tick, 0);
    tu_client_close(&a);
    /* Back before GO: the time left, then tick 0 again. The pause makes a countdown that
     * started over (the whole of it left) stand out from the one still running. */
    usleep(RESUME_PAUSE_MS * 1000);
    tu_client_t a2;
    assert_int_equal(tu_client_connect(&a2, srv.port), 0);
    ts_expect(&a2, MSG_LOGIN_PROMPT);
    char line[200];
    snprintf(line, sizeof line,
             "{\"type\":\"log in\",\"username\":\"ann\",\"version\":1,"
             "\"features\":[\"countdown\"],\"resume\":\"%s\"}",
             token);
    long long resumed = ts_now_ms();
    ts_send(&a2, line);
    assert_true(ts_expect(&a2, MSG_LOGIN_UPDATE)->u.login_update.accepted);
    int left = game_start_line(&a2, true);
    long long left_read = ts_now_ms();
    assert_in_range(left, 1, first);
    /* The same GO: resumed + left <= GO <= first_read + first, and
     * voted + first <= GO <= left_read + left (CLOCK_SLACK_MS for rounding to whole ms). */
    assert_true(resumed + left <= first_read + first + CLOCK_SLACK_MS);
    assert_true(voted + first <= left_read + left + CLOCK_SLACK_MS);
    assert_int_equal(ts_expect(&a2, MSG_STATE)->u.state.tick, 0);
    assert_int_equal(ts_expect(&a2, MSG_STATE)->u.state.tick, 1);
    assert_true(ts_now_ms() + CLOCK_SLACK_MS >= voted + first); /* tick 1 comes at GO */
    ts_expect(&a2, MSG_FINISH);
    tu_client_close(&a2);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_countdown_round),
        cmocka_unit_test(test_original_client_lines),
        cmocka_unit_test(test_bad_features),
        cmocka_unit_test(test_one_features_list),
        cmocka_unit_test(test_resume_during_countdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
