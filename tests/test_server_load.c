/* test_server_load.c -- the server under pressure: slow reader, 1,000 connections, shutdown */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_server_helpers.h"

#define LOAD_CONNECTIONS 1000

/* A TCP connection to the server, optionally with a tiny receive buffer (0 = default). */
static int raw_connect(int port, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void raw_send(int fd, const char *line)
{
    size_t len = strlen(line);
    assert_int_equal(send(fd, line, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* A client that stops reading while states pour in is dropped; the game and the server go on. */
static void test_slow_reader(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "60", "--max-output", "17", NULL});
    tu_client_t a;
    ts_login(&a, srv.port, "alice");
    int slow = raw_connect(srv.port, 1024);
    assert_true(slow >= 0);
    raw_send(slow, "{\"type\":\"log in\",\"username\":\"bob\"}\n");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    raw_send(slow, "{\"type\":\"vote\",\"index\":0}\n");
    ts_expect(&a, MSG_GAME_START);
    long long t0 = ts_now_ms();
    /* alice keeps reading; bob never does. */
    bool dropped = false;
    while (!dropped && ts_now_ms() - t0 < 18000) {
        char *l = tu_client_recv_line(&a, 500);
        free(l);
        dropped = tu_log_contains(&srv, "is not reading");
    }
    if (!dropped)
        tu_print_log(&srv);
    assert_true(dropped);
    print_message("slow reader dropped %.1f s after the game started\n",
                  (ts_now_ms() - t0) / 1000.0);
    /* alice's game goes on without bob. */
    msg_t *m;
    do {
        m = ts_expect(&a, MSG_STATE);
    } while (m->u.state.nplayers == 2);
    assert_int_equal(m->u.state.nplayers, 1);
    tu_client_t b2;
    ts_login_eventually(&b2, srv.port, "bob");
    tu_client_close(&b2);
    close(slow);
    tu_client_close(&a);
    /* The round still runs: a second signal ends the server at once. */
    tu_signal(&srv, SIGTERM);
    usleep(200 * 1000);
    tu_signal(&srv, SIGTERM);
    assert_int_not_equal(tu_wait(&srv, 5000), -1);
    tu_proc_cleanup(&srv);
}

/* SIGTERM: waiting players are told and closed, no new connection is taken, the running
 * round finishes with its fin, then the server exits 0. */
static void test_graceful_shutdown(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "3", NULL});
    tu_client_t a, b, c, d;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    ts_login(&c, srv.port, "carol"); /* alone in the lobby */
    assert_int_equal(tu_client_connect(&d, srv.port), 0);
    ts_expect(&d, MSG_LOGIN_PROMPT); /* not logged in */
    ts_expect(&a, MSG_STATE);
    tu_signal(&srv, SIGTERM);
    ts_expect_error(&c, "shutting down");
    assert_true(tu_client_wait_closed(&c, TS_WAIT));
    ts_expect_error(&d, "shutting down");
    assert_true(tu_client_wait_closed(&d, TS_WAIT));
    int late = raw_connect(srv.port, 0);
    assert_int_equal(late, -1); /* no longer listening */
    /* The round plays to its end. */
    ts_expect(&a, MSG_STATE);
    msg_t *m = ts_expect(&a, MSG_FINISH);
    assert_int_equal(m->u.fin.nresults, 2);
    ts_expect(&b, MSG_FINISH);
    assert_true(tu_client_wait_closed(&a, TS_WAIT));
    assert_true(tu_client_wait_closed(&b, TS_WAIT));
    assert_int_equal(tu_wait(&srv, 10000), 0);
    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_close(&c);
    tu_client_close(&d);
    tu_proc_cleanup(&srv);
}

/* 1,000 connections at once, each greeted; a fresh client still logs in promptly. */
static void test_thousand_connections(void **state)
{
    (void)state;
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < LOAD_CONNECTIONS + 64) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < LOAD_CONNECTIONS + 64) {
        print_message("skipped: the descriptor limit is %llu\n", (unsigned long long)rl.rlim_cur);
        skip();
    }
    tu_proc_t srv;
    /* All from 127.0.0.1, most never logging in: the limit per address is lifted. */
    ts_start(&srv, (const char *const[]){"--max-clients", "2000", "--max-pending-per-address",
                                         "1000000", NULL});
    usleep(100 * 1000);
    long rss0 = ts_rss_kib(srv.pid);
    static int fds[LOAD_CONNECTIONS];
    long long t0 = ts_now_ms();
    for (int i = 0; i < LOAD_CONNECTIONS; i++) {
        fds[i] = raw_connect(srv.port, 0);
        assert_true(fds[i] >= 0);
    }
    long long t_connect = ts_now_ms() - t0;
    /* Every one is greeted. */
    for (int i = 0; i < LOAD_CONNECTIONS; i++) {
        char buf[64];
        ssize_t n = recv(fds[i], buf, sizeof buf, 0);
        assert_int_equal(n, 18); /* {"type":"log in"}\n */
    }
    long rss_greeted = ts_rss_kib(srv.pid);
    /* Half of them log in, in groups of 2: they wait in votes. */
    for (int i = 0; i < LOAD_CONNECTIONS / 2; i++) {
        char line[80];
        snprintf(line, sizeof line, "{\"type\":\"log in\",\"username\":\"p%d\"}\n", i);
        raw_send(fds[i], line);
    }
    tu_client_t q;
    assert_int_equal(tu_client_connect(&q, srv.port), 0);
    ts_expect(&q, MSG_LOGIN_PROMPT);
    long long deadline = ts_now_ms() + 10000;
    int players = 0;
    while (players < LOAD_CONNECTIONS / 2 && ts_now_ms() < deadline) {
        ts_send(&q, "{\"type\":\"status\"}");
        players = ts_expect(&q, MSG_STATUS)->u.status.players;
    }
    assert_int_equal(players, LOAD_CONNECTIONS / 2);
    long rss1 = ts_rss_kib(srv.pid);
    long long t1 = ts_now_ms();
    tu_client_t fresh;
    ts_login(&fresh, srv.port, "fresh");
    long long t_login = ts_now_ms() - t1;
    print_message("%d connections in %lld ms; a fresh login took %lld ms; server RSS %ld KiB "
                  "before, %ld KiB with all greeted (%.2f KiB per connection), %ld KiB with "
                  "half in groups (%.2f KiB per connection)\n",
                  LOAD_CONNECTIONS, t_connect, t_login, rss0, rss_greeted,
                  (double)(rss_greeted - rss0) / LOAD_CONNECTIONS, rss1,
                  (double)(rss1 - rss0) / LOAD_CONNECTIONS);
    /* All of them are still connected: a ping on the last one is answered. */
    raw_send(fds[LOAD_CONNECTIONS - 1], "{\"type\":\"ping\"}\n");
    char buf[64];
    ssize_t n = recv(fds[LOAD_CONNECTIONS - 1], buf, sizeof buf - 1, 0);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "pong"));
    for (int i = 0; i < LOAD_CONNECTIONS; i++)
        close(fds[i]);
    tu_client_close(&q);
    tu_client_close(&fresh);
    /* Groups still voting are closed at shutdown: the server exits at once. */
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slow_reader),
        cmocka_unit_test(test_graceful_shutdown),
        cmocka_unit_test(test_thousand_connections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
