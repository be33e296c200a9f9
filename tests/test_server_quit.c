/* test_server_quit.c -- the quit path: a player leaving in any stage frees the name, the others
 * carry on */
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

/* Before logging in: a connection that goes leaves nothing behind. */
static void test_leave_in_login(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, NULL);
    for (int i = 0; i < 20; i++) {
        tu_client_t c;
        assert_int_equal(tu_client_connect(&c, srv.port), 0);
        if (i % 2)
            ts_send(&c, "{\"type\":\"log in\",\"username\":\"\"}"); /* refused, then gone */
        tu_client_close(&c);
    }
    tu_client_t q;
    assert_int_equal(tu_client_connect(&q, srv.port), 0);
    ts_expect(&q, MSG_LOGIN_PROMPT);
    long long deadline = ts_now_ms() + TS_WAIT;
    int players = -1, lobby = -1;
    while (ts_now_ms() < deadline) {
        ts_send(&q, "{\"type\":\"status\"}");
        msg_t *m = ts_expect(&q, MSG_STATUS);
        players = m->u.status.players;
        lobby = m->u.status.lobby;
        if (players == 0)
            break;
        usleep(50 * 1000);
    }
    assert_int_equal(players, 0);
    assert_int_equal(lobby, 0);
    tu_client_close(&q);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* In the lobby: the others see the update, the name is free. */
static void test_leave_in_lobby(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", NULL});
    tu_client_t a, b;
    ts_login(&a, srv.port, "alice");
    ts_login(&b, srv.port, "bob");
    tu_client_close(&a);
    msg_t *m;
    do {
        m = ts_expect(&b, MSG_LOBBY_UPDATE);
    } while (m->u.lobby_update.nplayers != 1);
    assert_string_equal(m->u.lobby_update.players[0], "bob");
    tu_client_t a2;
    ts_login_eventually(&a2, srv.port, "ALICE");
    tu_client_close(&a2);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* During the vote: the one left's vote decides, and the game starts for the others. */
static void test_leave_in_vote(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", "--round-seconds", "1", NULL});
    tu_client_t a, b, c;
    ts_login(&a, srv.port, "alice");
    ts_login(&b, srv.port, "bob");
    ts_login(&c, srv.port, "carol");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    ts_expect(&b, MSG_VOTE_REPLY);
    tu_client_close(&c); /* carol never votes and leaves */
    msg_t *m = ts_expect(&a, MSG_GAME_START);
    assert_int_equal(m->u.game_start.nplayers, 2); /* carol is not listed */
    m = ts_expect(&a, MSG_STATE);
    assert_int_equal(m->u.state.nplayers, 2); /* carol is not in the game */
    assert_null(ts_find(&m->u.state, "carol"));
    tu_client_t c2;
    ts_login_eventually(&c2, srv.port, "carol");
    m = ts_expect(&b, MSG_FINISH);
    assert_int_equal(m->u.fin.nresults, 2);
    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_close(&c2);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Everyone leaves during the vote: the group ends quietly. */
static void test_all_leave_in_vote(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, NULL);
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_t q;
    assert_int_equal(tu_client_connect(&q, srv.port), 0);
    ts_expect(&q, MSG_LOGIN_PROMPT);
    long long deadline = ts_now_ms() + TS_WAIT;
    int games = -1;
    while (ts_now_ms() < deadline) {
        ts_send(&q, "{\"type\":\"status\"}");
        games = ts_expect(&q, MSG_STATUS)->u.status.games;
        if (games == 0)
            break;
        usleep(50 * 1000);
    }
    assert_int_equal(games, 0);
    assert_true(tu_log_contains(&srv, "group 1 ends"));
    tu_client_close(&q);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* During the game: "quit" removes the player, the game goes on for the other. */
static void test_leave_in_game(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "2", NULL});
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    msg_t *m = ts_expect(&b, MSG_STATE);
    assert_int_equal(m->u.state.nplayers, 2);
    ts_send(&a, "{\"type\":\"quit\"}");
    assert_true(tu_client_wait_closed(&a, TS_WAIT));
    tu_client_close(&a);
    do {
        m = ts_expect(&b, MSG_STATE);
    } while (m->u.state.nplayers == 2);
    assert_int_equal(m->u.state.nplayers, 1);
    assert_string_equal(m->u.state.players[0].username, "bob");
    uint32_t tick = m->u.state.tick;
    m = ts_expect(&b, MSG_STATE);
    assert_true(m->u.state.tick > tick);
    tu_client_t a2;
    ts_login_eventually(&a2, srv.port, "alice");
    m = ts_expect(&b, MSG_FINISH);
    assert_int_equal(m->u.fin.nresults, 1);
    assert_string_equal(m->u.fin.results[0].username, "bob");
    /* bob goes back to the lobby and meets the new alice there: a new group. */
    ts_send(&b, "{\"type\":\"continue\"}");
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_expect(&a2, MSG_SELECT_WORLD);
    tu_client_close(&a2);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* On the end screen: the one who stays still gets back to the lobby. */
static void test_leave_in_end(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "1", NULL});
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    ts_expect(&a, MSG_FINISH);
    ts_expect(&b, MSG_FINISH);
    tu_client_close(&a);
    tu_client_t a2;
    ts_login_eventually(&a2, srv.port, "alice");
    ts_send(&b, "{\"type\":\"continue\"}");
    ts_expect(&b, MSG_LOBBY);
    ts_expect(&b, MSG_SELECT_WORLD); /* with the new alice */
    tu_client_close(&a2);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* A silent connection is pinged, then dropped after --idle-timeout; one that answers stays. */
static void test_idle_timeout(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--idle-timeout", "2", "--group-size", "3", NULL});
    tu_client_t quiet, chatty;
    ts_login(&quiet, srv.port, "quiet");
    ts_login(&chatty, srv.port, "chatty");
    long long t0 = ts_now_ms();
    while (ts_now_ms() - t0 < 3000) {
        ts_send(&chatty, "{\"type\":\"pong\"}");
        usleep(200 * 1000);
    }
    msg_t *m = ts_expect(&quiet, MSG_ERROR);
    assert_non_null(strstr(m->u.error.message, "nothing received"));
    assert_true(tu_client_wait_closed(&quiet, TS_WAIT));
    ts_send(&chatty, "{\"type\":\"ping\"}");
    ts_expect(&chatty, MSG_PONG);
    assert_false(chatty.closed);
    tu_client_close(&quiet);
    tu_client_close(&chatty);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Before login only the login time-out applies: a player of the original client who takes a
 * while to type a name is neither dropped for silence nor sent a "ping" it does not know. */
static void test_no_idle_drop_before_login(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--idle-timeout", "2", NULL});
    tu_client_t c;
    assert_int_equal(tu_client_connect(&c, srv.port), 0);
    ts_expect(&c, MSG_LOGIN_PROMPT);
    usleep(3500 * 1000); /* well past the idle time-out */
    char *line = tu_client_recv_line(&c, 100);
    if (line)
        fail_msg("unexpected line before login: %s", line);
    assert_false(c.closed);
    ts_send(&c, "{\"type\":\"log in\",\"username\":\"slowtyper\"}");
    msg_t *m = ts_expect(&c, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leave_in_login), cmocka_unit_test(test_leave_in_lobby),
        cmocka_unit_test(test_leave_in_vote),  cmocka_unit_test(test_all_leave_in_vote),
        cmocka_unit_test(test_leave_in_game),  cmocka_unit_test(test_leave_in_end),
        cmocka_unit_test(test_idle_timeout),   cmocka_unit_test(test_no_idle_drop_before_login),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
