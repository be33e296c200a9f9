/* test_server_social.c -- the social additions against the real server over loopback: who hears
 * a chat line in each stage, the system lines (joined, left, results), and the original client's
 * unchanged lines beside them; on test_server_helpers */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_server_helpers.h"

static void expect_chat(tu_client_t *c, const char *from, const char *text)
{
    msg_t *m = ts_expect(c, MSG_CHAT);
    assert_string_equal(m->u.chat.from, from);
    assert_string_equal(m->u.chat.text, text);
}

static void expect_notice(tu_client_t *c, const char *text)
{
    msg_t *m = ts_expect(c, MSG_NOTICE);
    assert_string_equal(m->u.notice.text, text);
}

/* Logs in as the nine43 client does: with "social". */
static void login_social(tu_client_t *c, int port, const char *name)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    char line[160];
    snprintf(line, sizeof line,
             "{\"type\":\"log in\",\"username\":\"%s\",\"version\":1,\"social\":true}", name);
    ts_send(c, line);
    msg_t *m = ts_expect(c, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    ts_expect(c, MSG_LOBBY);
}

/* Nothing is waiting for c but what a ping brings back: no chat or notice reached it. */
static void expect_nothing_more(tu_client_t *c)
{
    ts_send(c, "{\"type\":\"ping\"}");
    msg_t *m = ts_next(c);
    assert_int_equal(m->type, MSG_PONG);
}

/* The next raw line, exactly. */
static void expect_line(tu_client_t *c, const char *want)
{
    char *line = tu_client_recv_line(c, TS_WAIT);
    assert_non_null(line);
    assert_string_equal(line, want);
    free(line);
}

/* The original Python client's lines: json.dumps spacing, no version, no "social". */
static void login_original(tu_client_t *c, int port, const char *name)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    expect_line(c, "{\"type\":\"log in\"}");
    char line[128];
    snprintf(line, sizeof line, "{\"type\": \"log in\", \"username\": \"%s\"}", name);
    ts_send(c, line);
    expect_line(c, "{\"type\":\"log in update\",\"state\":\"accepted\",\"version\":1}");
    expect_line(c, "{\"type\":\"lobby\",\"message\":\"welcome\"}");
}

/* A group votes while dave (social) and erin (the original client) wait in the lobby. The lobby
 * hears the group, the group hears the lobby; erin's lines are those of before, with no notice
 * and no chat from the group. */
static void test_chat_between_lobby_and_group(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", "--vote-timeout", "60", NULL});
    tu_client_t a, b, c, d, e;
    login_social(&a, srv.port, "alice");
    login_social(&b, srv.port, "bob");
    expect_notice(&a, "bob joined"); /* a newcomer hears of the others, not of itself */
    login_social(&c, srv.port, "carol");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_expect(&c, MSG_SELECT_WORLD);
    login_social(&d, srv.port, "dave");
    expect_notice(&a, "dave joined");
    expect_notice(&c, "dave joined");
    login_original(&e, srv.port, "erin");
    expect_line(&e, "{\"type\":\"lobby update\",\"players\":[\"dave\",\"erin\"],\"group_size\":3}");
    expect_notice(&a, "erin joined");
    expect_notice(&d, "erin joined");

    /* Said in the vote: the group and the social lobby hear it; erin does not. */
    ts_send(&a, "{\"type\":\"chat\",\"text\":\"we vote arena\"}");
    expect_chat(&a, "alice", "we vote arena");
    expect_chat(&b, "alice", "we vote arena");
    expect_chat(&c, "alice", "we vote arena");
    expect_chat(&d, "alice", "we vote arena");
    expect_nothing_more(&e);

    /* Said in the lobby: the whole lobby (erin as before) and every group. */
    ts_send(&d, "{\"type\":\"chat\",\"text\":\"save me a seat\"}");
    expect_chat(&d, "dave", "save me a seat");
    expect_line(&e, "{\"type\":\"chat\",\"from\":\"dave\",\"text\":\"save me a seat\"}");
    expect_chat(&a, "dave", "save me a seat");
    expect_chat(&c, "dave", "save me a seat");

    /* Leaving is news to everyone social, whatever room they are in. */
    tu_client_close(&e);
    expect_notice(&d, "erin left");
    expect_notice(&b, "erin left");
    expect_notice(&a, "erin left");
    tu_client_close(&c);
    expect_notice(&d, "carol left");
    expect_notice(&a, "carol left");

    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_close(&d);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Chat during the round and on the end screen, and the results as a system line for the
 * lobby. */
static void test_chat_in_round_and_end(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "1", "--end-timeout", "30", NULL});
    tu_client_t a, b, c;
    login_social(&a, srv.port, "alice");
    login_social(&b, srv.port, "bob");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_vote_to_game(&a, &b);
    login_social(&c, srv.port, "carol"); /* waits in the lobby */

    ts_send(&b, "{\"type\":\"chat\",\"text\":\"gl hf\"}");
    expect_chat(&a, "bob", "gl hf");
    expect_chat(&c, "bob", "gl hf");
    ts_send(&c, "{\"type\":\"chat\",\"text\":\"next round is mine\"}");
    expect_chat(&a, "carol", "next round is mine");

    msg_t *m = ts_expect(&a, MSG_FINISH);
    assert_int_equal(m->u.fin.nresults, 2);
    ts_expect(&b, MSG_FINISH);
    m = ts_expect(&c, MSG_NOTICE);
    assert_non_null(strstr(m->u.notice.text, "results: 1. "));
    assert_non_null(strstr(m->u.notice.text, "alice 0"));

    ts_send(&a, "{\"type\":\"chat\",\"text\":\"gg\"}");
    expect_chat(&b, "alice", "gg");
    expect_chat(&c, "alice", "gg");

    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chat_between_lobby_and_group),
        cmocka_unit_test(test_chat_in_round_and_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
