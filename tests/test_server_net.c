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
    /* Well past the 2 s time-out: without the fix the connection lives as long as it trickles. */
    while (!closed && ts_now_ms() - start < 8000) {
        if (write(c.fd, "x", 1) != 1)
            break; /* the server closed and reset */
        closed = tu_client_wait_closed(&c, 300);
    }
    long long took = ts_now_ms() - start;
    print_message("trickling connection dropped after %lld ms\n", took);
    assert_true(closed || c.closed);
    assert_true(took < 8000);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_game_start_skips_a_player_who_left_with_the_last_vote),
        cmocka_unit_test(test_a_trickled_line_does_not_hold_a_connection),
        cmocka_unit_test(test_complete_lines_keep_a_connection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
