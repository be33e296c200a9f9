/* test_server_social.c -- the social additions against the real server over loopback: who hears
 * a chat line in each stage, the system lines (joined, left, results), the evening's board, the
 * end screen's who is still on the server, and the original client's unchanged lines beside
 * them; on test_server_helpers */
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

/* Logs in with the "social" feature (the nine43 client names "party" and "countdown" too, which
 * test_server_party and test_server_countdown cover). */
static void login_social(tu_client_t *c, int port, const char *name)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    char line[160];
    snprintf(line, sizeof line,
             "{\"type\":\"log in\",\"username\":\"%s\",\"version\":1,\"features\":[\"social\"]}",
             name);
    ts_send(c, line);
    msg_t *m = ts_expect(c, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    ts_expect(c, MSG_LOBBY);
}

/* Skips the other notices (round results) until this one. */
static void expect_notice_eventually(tu_client_t *c, const char *text)
{
    for (;;) {
        msg_t *m = ts_expect(c, MSG_NOTICE);
        if (strcmp(m->u.notice.text, text) == 0)
            return;
    }
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

/* The original Python client's lines: json.dumps spacing, no version, no features. */
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

/* The row of name on an "evening" board, or NULL. */
static const proto_evening_row_t *board_row(const msg_t *m, const char *name)
{
    for (int i = 0; i < m->u.evening.nrows; i++)
        if (strcmp(m->u.evening.rows[i].username, name) == 0)
            return &m->u.evening.rows[i];
    return NULL;
}

/* One quick round of alice and bob; returns the board that follows "fin". */
static msg_t *play_round(tu_client_t *a, tu_client_t *b)
{
    ts_expect(a, MSG_SELECT_WORLD);
    ts_expect(b, MSG_SELECT_WORLD);
    ts_vote_to_game(a, b);
    ts_expect(a, MSG_FINISH);
    ts_expect(b, MSG_FINISH);
    ts_expect(b, MSG_EVENING);
    return ts_expect(a, MSG_EVENING);
}

/* The evening's board counts three rounds, and a player who leaves and logs in again under the
 * same name (in other letters' case) finds it again; the original client gets no board. */
static void test_evening_across_rounds_and_reconnect(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "1", "--end-timeout", "1", NULL});
    tu_client_t a, b, e;
    login_social(&a, srv.port, "alice");
    login_social(&b, srv.port, "bob");
    msg_t *m = NULL;
    for (int round = 1; round <= 3; round++) {
        m = play_round(&a, &b);
        const proto_evening_row_t *r = board_row(m, "alice");
        assert_non_null(r);
        assert_int_equal(r->played, round);
        /* Nobody moved: 0 to 0, both rank 1, both win. */
        assert_int_equal(r->won, round);
        assert_int_equal(r->points, 0);
    }
    assert_int_equal(m->u.evening.nrows, 2);
    tu_client_close(&a);
    expect_notice_eventually(&b, "alice left");
    login_social(&a, srv.port, "ALICE");
    m = ts_expect(&a, MSG_EVENING);
    const proto_evening_row_t *r = board_row(m, "alice");
    assert_non_null(r);
    assert_int_equal(r->played, 3);
    assert_int_equal(r->won, 3);
    /* A round under the new spelling adds to the same row, shown as last played. */
    m = play_round(&a, &b);
    assert_null(board_row(m, "alice"));
    r = board_row(m, "ALICE");
    assert_non_null(r);
    assert_int_equal(r->played, 4);
    /* The original client, in the lobby with a board-holding server, sees its old lines. */
    tu_client_close(&a);
    tu_client_close(&b);
    login_original(&e, srv.port, "erin");
    expect_line(&e, "{\"type\":\"lobby update\",\"players\":[\"erin\"],\"group_size\":2}");
    expect_nothing_more(&e);
    tu_client_close(&e);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* The vote shows the group: who voted (not for what), who left; the original client in the same
 * group gets none of it. */
static void test_group_in_the_vote(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", "--vote-timeout", "60", NULL});
    tu_client_t a, b, e;
    login_social(&a, srv.port, "alice");
    login_social(&b, srv.port, "bob");
    login_original(&e, srv.port, "erin");
    msg_t *m = ts_expect(&a, MSG_GROUP);
    assert_int_equal(m->u.group.nplayers, 3);
    assert_string_equal(m->u.group.players[2].username, "erin");
    for (int i = 0; i < 3; i++)
        assert_false(m->u.group.players[i].voted || m->u.group.players[i].left);
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    m = ts_expect(&a, MSG_GROUP);
    assert_false(m->u.group.players[0].voted);
    assert_true(m->u.group.players[1].voted);
    tu_client_close(&b);
    m = ts_expect(&a, MSG_GROUP);
    assert_true(m->u.group.players[1].left);
    assert_false(m->u.group.players[2].left);
    /* erin's lines: the vote's, and no "group". */
    for (;;) {
        char *line = tu_client_recv_line(&e, TS_WAIT);
        assert_non_null(line);
        bool select = strstr(line, "\"select world\"") != NULL;
        assert_null(strstr(line, "\"group\""));
        free(line);
        if (select)
            break;
    }
    ts_send(&e, "{\"type\":\"ping\"}");
    for (;;) {
        char *line = tu_client_recv_line(&e, TS_WAIT);
        assert_non_null(line);
        assert_null(strstr(line, "\"group\""));
        bool pong = strstr(line, "pong") != NULL;
        free(line);
        if (pong)
            break;
    }
    tu_client_close(&a);
    tu_client_close(&e);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Reads e's lines up to and including one with until (after a ping: its "pong"), none a
 * "group". */
static void expect_no_group_line(tu_client_t *e, const char *until)
{
    for (;;) {
        char *line = tu_client_recv_line(e, TS_WAIT);
        assert_non_null(line);
        assert_null(strstr(line, "\"group\""));
        bool done = strstr(line, until) != NULL;
        free(line);
        if (done)
            return;
    }
}

/* The end screen's "group": who of the round is still on the server. One back in the lobby is;
 * one who leaves from there, or from the end screen, is marked "left"; the original client in the
 * same round gets none of it. */
static void test_group_on_the_end_screen(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", "--round-seconds", "1",
                                         "--end-timeout", "60", NULL});
    tu_client_t a, b, e;
    login_social(&a, srv.port, "alice");
    login_social(&b, srv.port, "bob");
    login_original(&e, srv.port, "erin");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&e, "{\"type\":\"vote\",\"index\":0}");
    ts_expect(&a, MSG_FINISH);
    msg_t *m = ts_expect(&a, MSG_GROUP);
    assert_int_equal(m->u.group.nplayers, 3);
    for (int i = 0; i < 3; i++)
        assert_false(m->u.group.players[i].left || m->u.group.players[i].voted);
    expect_no_group_line(&e, "\"fin\"");
    ts_send(&e, "{\"type\":\"ping\"}");
    expect_no_group_line(&e, "pong");
    ts_expect(&b, MSG_FINISH);
    ts_send(&b, "{\"type\":\"continue\"}");
    ts_expect(&b, MSG_LOBBY);
    tu_client_close(&e);
    m = ts_expect(&a, MSG_GROUP);
    assert_string_equal(m->u.group.players[2].username, "erin");
    assert_true(m->u.group.players[2].left);
    assert_false(m->u.group.players[1].left); /* bob, in the lobby, is still here */
    assert_false(m->u.group.players[0].left);
    tu_client_close(&b);
    m = ts_expect(&a, MSG_GROUP);
    assert_true(m->u.group.players[1].left && m->u.group.players[2].left);
    assert_false(m->u.group.players[0].left);
    tu_client_close(&a);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

static void login_color(tu_client_t *c, int port, const char *name, int color)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    char line[160];
    snprintf(line, sizeof line,
             "{\"type\":\"log in\",\"username\":\"%s\",\"features\":[\"social\"],\"color\":%d}",
             name, color);
    ts_send(c, line);
    assert_true(ts_expect(c, MSG_LOGIN_UPDATE)->u.login_update.accepted);
    ts_expect(c, MSG_LOBBY);
}

/* A chosen colour is worn round after round; when two in a group chose the same, the one who
 * came first keeps it, the other gets the nearest free colour and is told why; a player who
 * chose none keeps one colour too. */
static void test_colour_choice_and_clash(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", "--round-seconds", "1",
                                         "--end-timeout", "1", NULL});
    tu_client_t a, b, c;
    login_color(&a, srv.port, "alice", 2);
    login_color(&b, srv.port, "bob", 2);
    ts_login(&c, srv.port, "carol"); /* no colour, no social */
    uint8_t first[3][3];
    for (int round = 0; round < 2; round++) {
        tu_client_t *all[3] = {&a, &b, &c};
        for (int i = 0; i < 3; i++)
            ts_expect(all[i], MSG_SELECT_WORLD);
        for (int i = 0; i < 3; i++)
            ts_send(all[i], "{\"type\":\"vote\",\"index\":0}");
        msg_t *m = ts_expect(&a, MSG_GAME_START);
        assert_int_equal(m->u.game_start.nplayers, 3);
        assert_memory_equal(m->u.game_start.players[0].color, PALETTE[2].rgb, 3);
        assert_memory_not_equal(m->u.game_start.players[1].color, PALETTE[2].rgb, 3);
        assert_memory_not_equal(m->u.game_start.players[2].color, m->u.game_start.players[1].color,
                                3);
        for (int i = 0; i < 3; i++) {
            assert_true(palette_find(m->u.game_start.players[i].color) >= 0);
            if (round == 0)
                memcpy(first[i], m->u.game_start.players[i].color, 3);
            else
                assert_memory_equal(first[i], m->u.game_start.players[i].color, 3);
        }
        int bob = palette_find(m->u.game_start.players[1].color);
        m = ts_expect(&b, MSG_NOTICE);
        char want[160];
        snprintf(want, sizeof want,
                 "someone who came first also chose violet: you are %s this round",
                 PALETTE[bob].name);
        assert_string_equal(m->u.notice.text, want);
        for (int i = 0; i < 3; i++) {
            ts_expect(all[i], MSG_FINISH);
            ts_send(all[i], "{\"type\":\"continue\"}");
        }
    }
    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* The notice telling a player of a colour clash is built after "game start": it must not change
 * what the server still reads of "game start" (the round's length in its log line). */
static void test_clash_notice_leaves_the_round_alone(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "7", NULL});
    tu_client_t a, b;
    login_color(&a, srv.port, "alice", 2);
    login_color(&b, srv.port, "bob", 2);
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    ts_expect(&a, MSG_GAME_START);
    ts_expect(&b, MSG_NOTICE);
    assert_true(tu_log_contains(&srv, "(7 s, seed "));
    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chat_between_lobby_and_group),
        cmocka_unit_test(test_chat_in_round_and_end),
        cmocka_unit_test(test_evening_across_rounds_and_reconnect),
        cmocka_unit_test(test_group_in_the_vote),
        cmocka_unit_test(test_group_on_the_end_screen),
        cmocka_unit_test(test_colour_choice_and_clash),
        cmocka_unit_test(test_clash_notice_leaves_the_round_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
