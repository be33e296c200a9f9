/* test_server_net.c -- the server's small holes under real network behaviour: a player leaving
 * with the last vote, a line trickled byte by byte; over loopback against the real binary */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_server_helpers.h"

/* Logs three players in, in this order, into one group; all get "select world". */
static void net_group_of_three(tu_client_t *c, int port, const char *const names[3])
{
    for (int i = 0; i < 3; i++)
        ts_login(&c[i], port, names[i]);
    for (int i = 0; i < 3; i++)
        ts_expect(&c[i], MSG_SELECT_WORLD);
}

/* One player's connection closes in the same loop iteration as the last vote arrives (the
 * server is stopped while both happen, so that one poll(2) sees both): "game start" must not
 * list the one who left, whichever of the two the server reads first. */
static void net_leave_with_last_vote(const char *const names[3], int leaver, int last)
{
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", "--round-seconds", "1", NULL});
    tu_client_t c[3];
    net_group_of_three(c, srv.port, names);
    int first = 3 - leaver - last;
    ts_send(&c[first], "{\"type\":\"vote\",\"index\":0}");
    ts_expect(&c[first], MSG_VOTE_REPLY);
    tu_signal(&srv, SIGSTOP);
    tu_client_close(&c[leaver]);
    ts_send(&c[last], "{\"type\":\"vote\",\"index\":0}");
    usleep(100 * 1000); /* both are in the server's socket buffers before it runs again */
    tu_signal(&srv, SIGCONT);
    msg_t *m = ts_expect(&c[first], MSG_GAME_START);
    assert_int_equal(m->u.game_start.nplayers, 2);
    for (int i = 0; i < m->u.game_start.nplayers; i++)
        assert_string_not_equal(m->u.game_start.players[i].username, names[leaver]);
    m = ts_expect(&c[last], MSG_STATE);
    assert_int_equal(m->u.state.nplayers, 2);
    assert_null(ts_find(&m->u.state, names[leaver]));
    ts_expect(&c[first], MSG_FINISH);
    tu_client_close(&c[first]);
    tu_client_close(&c[last]);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

static void test_game_start_skips_a_player_who_left_with_the_last_vote(void **state)
{
    (void)state;
    /* The leaver's socket first in the server's poll order, then last. */
    net_leave_with_last_vote((const char *const[]){"carol", "alice", "bob"}, 0, 2);
    net_leave_with_last_vote((const char *const[]){"alice", "bob", "carol"}, 2, 1);
}

#define TRICKLE_MAX_MS 20000 /* ten times the idle time-out: a trickle never ends by itself */

/* A logged-in connection that trickles one byte of a line that never ends is still idle: it is
 * dropped after --idle-timeout, as if it sent nothing. */
static void test_a_trickled_line_does_not_hold_a_connection(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--idle-timeout", "2", NULL});
    tu_client_t c;
    ts_login(&c, srv.port, "alice");
    long long start = ts_now_ms();
    bool closed = false;
    /* Well past the 2 s time-out (a loaded machine notices late): without the fix the connection
     * lives as long as it trickles. */
    while (!closed && ts_now_ms() - start < TRICKLE_MAX_MS) {
        if (write(c.fd, "x", 1) != 1)
            break; /* the server closed and reset */
        closed = tu_client_wait_closed(&c, 300);
    }
    long long took = ts_now_ms() - start;
    print_message("trickling connection dropped after %lld ms\n", took);
    assert_true(closed || c.closed);
    assert_true(took < TRICKLE_MAX_MS);
    assert_true(tu_log_contains(&srv, "idle time-out"));
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Complete lines still count as life: a player who answers nothing but sends a ping a second
 * stays past the time-out. */
static void test_complete_lines_keep_a_connection(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--idle-timeout", "2", NULL});
    tu_client_t c;
    ts_login(&c, srv.port, "alice");
    long long start = ts_now_ms();
    while (ts_now_ms() - start < 3500) {
        ts_send(&c, "{\"type\":\"ping\"}");
        assert_false(tu_client_wait_closed(&c, 500));
    }
    assert_false(tu_log_contains(&srv, "idle time-out"));
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* ---- resuming after a drop ---- */

/* Logs in as a client that can resume ("resume":"" on its first login); returns its token. */
static void net_login_resumable(tu_client_t *c, int port, const char *name, char *token)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    char line[160];
    snprintf(line, sizeof line,
             "{\"type\":\"log in\",\"username\":\"%s\",\"version\":1,\"resume\":\"\"}", name);
    ts_send(c, line);
    msg_t *m = ts_expect(c, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    assert_int_equal(strlen(m->u.login_update.resume), 32);
    snprintf(token, PROTO_MAX_TOKEN + 1, "%s", m->u.login_update.resume);
    ts_expect(c, MSG_LOBBY);
}

/* Sends a resume; returns the "log in update". */
static msg_t *net_send_resume(tu_client_t *c, int port, const char *name, const char *token)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    char line[200];
    snprintf(line, sizeof line,
             "{\"type\":\"log in\",\"username\":\"%s\",\"version\":1,\"resume\":\"%s\"}", name,
             token);
    ts_send(c, line);
    return ts_expect(c, MSG_LOGIN_UPDATE);
}

/* The next state (others skipped) and one player's entry in it, copied. */
static proto_player_state_t net_state_of(tu_client_t *c, const char *name, uint32_t *tick)
{
    msg_t *m = ts_expect(c, MSG_STATE);
    const proto_player_state_t *ps = ts_find(&m->u.state, name);
    assert_non_null(ps);
    if (tick)
        *tick = m->u.state.tick;
    return *ps;
}

/* Reads states on c for ms milliseconds; returns the last one's entry for name. */
static proto_player_state_t net_states_for(tu_client_t *c, const char *name, int ms)
{
    long long end = ts_now_ms() + ms;
    proto_player_state_t last = net_state_of(c, name, NULL);
    while (ts_now_ms() < end)
        last = net_state_of(c, name, NULL);
    return last;
}

/* The server's counts, asked on a fresh connection before login. */
static msg_status_t net_status(int port)
{
    tu_client_t q;
    assert_int_equal(tu_client_connect(&q, port), 0);
    ts_expect(&q, MSG_LOGIN_PROMPT);
    ts_send(&q, "{\"type\":\"status\"}");
    msg_status_t st = ts_expect(&q, MSG_STATUS)->u.status;
    tu_client_close(&q);
    return st;
}

/* The counts once away reaches want (the drop is noticed at the server's next safe point). */
static msg_status_t net_status_away(int port, int want)
{
    long long deadline = ts_now_ms() + TS_WAIT;
    msg_status_t st = net_status(port);
    while (st.away != want && ts_now_ms() < deadline) {
        usleep(20 * 1000);
        st = net_status(port);
    }
    assert_int_equal(st.away, want);
    return st;
}

/* "How many are here?": a player away is not, though its game and its name are kept; back, it
 * counts again, and one that never comes back leaves the away count too. */
static void test_status_counts_an_away_player_apart(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "4", "--end-timeout", "1", NULL});
    tu_client_t a, b;
    char ta[PROTO_MAX_TOKEN + 1], tb[PROTO_MAX_TOKEN + 1];
    net_login_resumable(&a, srv.port, "alice", ta);
    net_login_resumable(&b, srv.port, "bob", tb);
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_vote_to_game(&a, &b);
    msg_status_t st = net_status_away(srv.port, 0);
    assert_int_equal(st.players, 2);
    assert_int_equal(st.games, 1);
    tu_client_close(&a);
    st = net_status_away(srv.port, 1);
    assert_int_equal(st.players, 1); /* bob */
    assert_int_equal(st.lobby, 0);
    assert_int_equal(st.games, 1);

    tu_client_t a2;
    assert_true(net_send_resume(&a2, srv.port, "alice", ta)->u.login_update.accepted);
    st = net_status_away(srv.port, 0);
    assert_int_equal(st.players, 2);
    assert_int_equal(st.games, 1);

    /* Away again until the end screen closes: gone for good, and counted nowhere. */
    tu_client_close(&a2);
    st = net_status_away(srv.port, 1);
    assert_int_equal(st.players, 1);
    ts_expect(&b, MSG_FINISH);
    ts_expect(&b, MSG_LOBBY); /* the end screen's second is over */
    st = net_status_away(srv.port, 0);
    assert_int_equal(st.players, 1);
    assert_int_equal(st.lobby, 1);
    assert_true(tu_log_contains(&srv, "away when the end screen closed"));
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* A player whose socket drops mid-round comes back with its token: same name, slot, place and
 * score; meanwhile its player stood still and the round went on; it finishes the round. */
static void test_a_dropped_player_resumes_its_round(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "4", NULL});
    tu_client_t a, b;
    char ta[PROTO_MAX_TOKEN + 1], tb[PROTO_MAX_TOKEN + 1];
    net_login_resumable(&a, srv.port, "alice", ta);
    net_login_resumable(&b, srv.port, "bob", tb);
    assert_string_not_equal(ta, tb);
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_vote_to_game(&a, &b);
    ts_input(&a, 1, 1, 0, false); /* alice walks right, then drops */
    proto_player_state_t before = net_states_for(&b, "alice", 300);
    tu_client_close(&a);

    /* Away: still in the round, standing still. */
    proto_player_state_t away1 = net_states_for(&b, "alice", 400);
    proto_player_state_t away2 = net_states_for(&b, "alice", 300);
    assert_int_equal(away1.x, away2.x);
    assert_int_equal(away1.y, away2.y);
    assert_true(away1.x >= before.x);
    assert_true(tu_log_contains(&srv, "alice is away"));

    tu_client_t a2;
    msg_t *m = net_send_resume(&a2, srv.port, "alice", ta);
    assert_true(m->u.login_update.accepted);
    assert_string_equal(m->u.login_update.resume, ta);
    m = ts_expect(&a2, MSG_GAME_START);
    assert_string_equal(m->u.game_start.you, "alice");
    assert_int_equal(m->u.game_start.nplayers, 2);
    proto_player_state_t back = net_state_of(&a2, "alice", NULL);
    assert_int_equal(back.x, away2.x);
    assert_int_equal(back.score, away2.score);
    ts_input(&a2, 1, -1, 0, false); /* and it plays on */
    proto_player_state_t later = net_states_for(&a2, "alice", 300);
    assert_true(later.x < back.x);

    m = ts_expect(&a2, MSG_FINISH);
    bool listed = false;
    for (int i = 0; i < m->u.fin.nresults; i++)
        if (strcmp(m->u.fin.results[i].username, "alice") == 0)
            listed = true;
    assert_true(listed);
    assert_true(tu_log_contains(&srv, "alice resumes"));
    tu_client_close(&a2);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* While alice is away her name stays hers: no token or a wrong one is refused, the right one
 * is taken. A half-dead connection (open, not reading) is replaced at once, too. */
static void test_the_name_is_protected_and_a_half_dead_connection_replaced(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "5", NULL});
    tu_client_t a, b;
    char ta[PROTO_MAX_TOKEN + 1], tb[PROTO_MAX_TOKEN + 1];
    net_login_resumable(&a, srv.port, "alice", ta);
    net_login_resumable(&b, srv.port, "bob", tb);
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_vote_to_game(&a, &b);

    /* alice's first connection stays open but silent: a resume replaces it now, not after the
     * idle time-out. */
    tu_client_t a2;
    msg_t *m = net_send_resume(&a2, srv.port, "alice", ta);
    assert_true(m->u.login_update.accepted);
    assert_true(tu_client_wait_closed(&a, TS_WAIT));
    ts_expect(&a2, MSG_GAME_START);
    tu_client_close(&a);
    tu_client_close(&a2);
    net_states_for(&b, "alice", 300); /* away now */

    tu_client_t x;
    m = net_send_resume(&x, srv.port, "ALICE", "00000000000000000000000000000000");
    assert_false(m->u.login_update.accepted);
    assert_non_null(strstr(m->u.login_update.message, "wrong resume token"));
    ts_send(&x, "{\"type\":\"log in\",\"username\":\"alice\"}");
    m = ts_expect(&x, MSG_LOGIN_UPDATE);
    assert_false(m->u.login_update.accepted);
    assert_string_equal(m->u.login_update.message, "username taken");
    /* bob's token does not open alice's place either. */
    char line[160];
    snprintf(line, sizeof line, "{\"type\":\"log in\",\"username\":\"alice\",\"resume\":\"%s\"}",
             tb);
    ts_send(&x, line);
    m = ts_expect(&x, MSG_LOGIN_UPDATE);
    assert_false(m->u.login_update.accepted);
    /* The right one. */
    snprintf(line, sizeof line, "{\"type\":\"log in\",\"username\":\"alice\",\"resume\":\"%s\"}",
             ta);
    ts_send(&x, line);
    m = ts_expect(&x, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    ts_expect(&x, MSG_GAME_START);
    tu_client_close(&x);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* A player still away when the end screen closes leaves for good, and its name is free. */
static void test_an_absent_player_leaves_at_the_end(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "1", "--end-timeout", "1", NULL});
    tu_client_t a, b;
    char ta[PROTO_MAX_TOKEN + 1], tb[PROTO_MAX_TOKEN + 1];
    net_login_resumable(&a, srv.port, "alice", ta);
    net_login_resumable(&b, srv.port, "bob", tb);
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_vote_to_game(&a, &b);
    tu_client_close(&a);
    ts_expect(&b, MSG_FINISH);
    ts_expect(&b, MSG_LOBBY);
    tu_client_t a2;
    ts_login_eventually(&a2, srv.port, "alice");
    assert_true(tu_log_contains(&srv, "away when the end screen closed"));
    tu_client_close(&a2);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* The original client's lines: no "resume" in, none out; its drop is a quit as before. */
static void test_the_original_client_gets_no_token(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, NULL);
    tu_client_t c;
    assert_int_equal(tu_client_connect(&c, srv.port), 0);
    char *line = tu_client_recv_line(&c, TS_WAIT);
    assert_non_null(line);
    assert_string_equal(line, "{\"type\":\"log in\"}");
    free(line);
    ts_send(&c, "{\"type\": \"log in\", \"username\": \"py\"}");
    line = tu_client_recv_line(&c, TS_WAIT);
    assert_non_null(line);
    assert_string_equal(line, "{\"type\":\"log in update\",\"state\":\"accepted\",\"version\":1}");
    free(line);
    line = tu_client_recv_line(&c, TS_WAIT);
    assert_non_null(line);
    assert_string_equal(line, "{\"type\":\"lobby\",\"message\":\"welcome\"}");
    free(line);
    tu_client_close(&c);
    tu_client_t again;
    ts_login_eventually(&again, srv.port, "py");
    tu_client_close(&again);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Two bots that drop their connection every second of a 3 s round, and resume each time,
 * finish the round (exit 0). */
static void test_bots_that_drop_every_second_finish_their_round(void **state)
{
    (void)state;
    tu_proc_t srv, bot;
    ts_start(&srv, (const char *const[]){"--round-seconds", "3", NULL});
    char port[16];
    snprintf(port, sizeof port, "%d", srv.port);
    memset(&bot, 0, sizeof bot);
    assert_int_equal(tu_spawn(&bot, "nine43-bot",
                              (const char *const[]){"--port", port, "--count", "2", "--rounds", "1",
                                                    "--drop-every", "1", "--timeout", "60", NULL}),
                     0);
    int status = tu_wait(&bot, 60000);
    if (status != 0)
        tu_print_log(&bot);
    assert_int_equal(status, 0);
    assert_true(tu_log_contains(&bot, "resumed"));
    assert_false(tu_log_contains(&bot, " 0 resumes"));
    assert_true(tu_log_contains(&srv, "bot1 resumes"));
    tu_proc_cleanup(&bot);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_game_start_skips_a_player_who_left_with_the_last_vote),
        cmocka_unit_test(test_a_trickled_line_does_not_hold_a_connection),
        cmocka_unit_test(test_complete_lines_keep_a_connection),
        cmocka_unit_test(test_a_dropped_player_resumes_its_round),
        cmocka_unit_test(test_status_counts_an_away_player_apart),
        cmocka_unit_test(test_the_name_is_protected_and_a_half_dead_connection_replaced),
        cmocka_unit_test(test_an_absent_player_leaves_at_the_end),
        cmocka_unit_test(test_the_original_client_gets_no_token),
        cmocka_unit_test(test_bots_that_drop_every_second_finish_their_round),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
