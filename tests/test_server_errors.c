/* test_server_errors.c -- the real server facing bad input, too many clients and bad flags */
#define _GNU_SOURCE /* prlimit */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
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

static tu_proc_t srv;

static int start(void **state)
{
    (void)state;
    ts_start(&srv, (const char *const[]){"--group-size", "3", NULL});
    return 0;
}

static int stop(void **state)
{
    (void)state;
    int rc = tu_stop(&srv);
    tu_proc_cleanup(&srv);
    return rc == 0 ? 0 : -1;
}

/* Each bad line gets an error naming the problem, and the connection carries on. */
static void test_bad_lines(void **state)
{
    (void)state;
    tu_client_t c;
    assert_int_equal(tu_client_connect(&c, srv.port), 0);
    ts_expect(&c, MSG_LOGIN_PROMPT);
    ts_send(&c, "this is not json");
    ts_expect_error(&c, "JSON");
    ts_send(&c, "[1, 2, 3]");
    ts_expect_error(&c, "object");
    ts_send(&c, "{\"type\":\"dance\"}");
    ts_expect_error(&c, "dance");
    ts_send(&c, "{\"no type\":1}");
    ts_expect_error(&c, "type");
    ts_send(&c, "\xff\xfe{}");
    ts_expect_error(&c, NULL);
    /* Wrong for the stage: a vote before logging in, a log in inside the lobby. */
    ts_send(&c, "{\"type\":\"vote\",\"index\":0}");
    ts_expect_error(&c, "vote");
    ts_send(&c, "{\"type\":\"log in\",\"username\":\"eve\"}");
    msg_t *m = ts_expect(&c, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    ts_send(&c, "{\"type\":\"log in\",\"username\":\"eve2\"}");
    ts_expect_error(&c, "log in");
    ts_send(&c, "{\"type\":\"status\"}");
    ts_expect_error(&c, "status");
    /* Still in the lobby, still served. */
    ts_send(&c, "{\"type\":\"ping\"}");
    ts_expect(&c, MSG_PONG);
    assert_false(c.closed);
    tu_client_close(&c);
}

/* A line over 16 KiB is a framing error: an error, then the connection closes. */
static void test_long_line(void **state)
{
    (void)state;
    tu_client_t c;
    assert_int_equal(tu_client_connect(&c, srv.port), 0);
    ts_expect(&c, MSG_LOGIN_PROMPT);
    size_t n = PROTO_MAX_LINE + 10;
    char *line = malloc(n + 1);
    assert_non_null(line);
    memset(line, 'a', n);
    line[n] = '\0';
    ts_send(&c, line);
    free(line);
    ts_expect_error(&c, "longer");
    assert_true(tu_client_wait_closed(&c, TS_WAIT));
    tu_client_close(&c);
    /* The server is unharmed. */
    tu_client_t d;
    ts_login(&d, srv.port, "after");
    tu_client_close(&d);
}

/* Fifteen errors are tolerated; the sixteenth closes the connection. */
static void test_sixteen_errors(void **state)
{
    (void)state;
    tu_client_t c;
    ts_login(&c, srv.port, "clumsy");
    for (int i = 0; i < 15; i++) {
        ts_send(&c, "oops");
        ts_expect_error(&c, NULL);
    }
    ts_send(&c, "{\"type\":\"ping\"}");
    ts_expect(&c, MSG_PONG);
    ts_send(&c, "oops");
    ts_expect_error(&c, NULL);
    assert_true(tu_client_wait_closed(&c, TS_WAIT));
    tu_client_close(&c);
    /* Its name is free again. */
    tu_client_t d;
    ts_login_eventually(&d, srv.port, "clumsy");
    tu_client_close(&d);
}

/* A flood is cut down to the rate limit, with a warning, and the client stays. */
static void test_flood(void **state)
{
    (void)state;
    tu_client_t c;
    ts_login(&c, srv.port, "flood");
    char burst[64 * 300];
    burst[0] = '\0';
    for (int i = 0; i < 300; i++)
        strcat(burst, "{\"type\":\"ping\"}\n");
    burst[strlen(burst) - 1] = '\0';
    ts_send(&c, burst);
    int pongs = 0;
    bool warned = false;
    for (;;) {
        char *l = tu_client_recv_line(&c, 1000);
        if (!l)
            break;
        if (strstr(l, "\"pong\""))
            pongs++;
        if (strstr(l, "too many messages"))
            warned = true;
        free(l);
    }
    assert_true(warned);
    assert_true(pongs >= 100); /* the burst allowance ... */
    assert_true(pongs < 300);  /* ... but not everything */
    assert_false(c.closed);
    ts_send(&c, "{\"type\":\"ping\"}");
    ts_expect(&c, MSG_PONG);
    tu_client_close(&c);
}

/* An "error" from a client is only logged, and its control characters are dropped: a newline
 * in it must not forge a line of the server's log. */
static void test_client_error_logged(void **state)
{
    (void)state;
    tu_proc_t dbg;
    ts_start(&dbg, (const char *const[]){"--log-level", "debug", NULL});
    tu_client_t c;
    ts_login(&c, dbg.port, "teller");
    ts_send(&c, "{\"type\":\"error\",\"message\":\"bad\\n2026-01-01 00:00:00.000 INFO  "
                "server: forged\"}");
    ts_send(&c, "{\"type\":\"ping\"}");
    ts_expect(&c, MSG_PONG); /* no reply to the error, and it was handled before the ping */
    assert_true(tu_log_contains(&dbg, "reports an error: bad2026-01-01 00:00:00.000 INFO  server"));
    tu_client_close(&c);
    assert_int_equal(tu_stop(&dbg), 0);
    tu_proc_cleanup(&dbg);
}

/* Over --max-clients, the one too many gets a polite error; a place that frees is reusable. */
static void test_max_clients(void **state)
{
    (void)state;
    tu_proc_t small;
    ts_start(&small, (const char *const[]){"--max-clients", "2", NULL});
    tu_client_t a, b, c;
    ts_login(&a, small.port, "a");
    ts_login(&b, small.port, "b");
    tu_client_close(&b);
    ts_login_eventually(&b, small.port, "b2");
    assert_int_equal(tu_client_connect(&c, small.port), 0);
    ts_expect_error(&c, "full");
    assert_true(tu_client_wait_closed(&c, TS_WAIT));
    tu_client_close(&c);
    tu_client_close(&a);
    tu_client_t d;
    ts_login_eventually(&d, small.port, "d");
    tu_client_close(&d);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&small), 0);
    tu_proc_cleanup(&small);
}

static int run_server(const char *const *args)
{
    tu_proc_t p;
    memset(&p, 0, sizeof p);
    assert_int_equal(tu_spawn(&p, "nine43-server", args), 0);
    int rc = tu_wait(&p, 10000);
    tu_proc_cleanup(&p);
    return rc;
}

/* Bad flags: usage and exit 2; no world: exit 1; --help and --version: exit 0. */
static void test_flags(void **state)
{
    (void)state;
    assert_int_equal(run_server((const char *const[]){"--bogus", NULL}), 2);
    assert_int_equal(run_server((const char *const[]){"--group-size", "9", NULL}), 2);
    assert_int_equal(run_server((const char *const[]){"--group-size", "1", NULL}), 2);
    assert_int_equal(run_server((const char *const[]){"--port", "70000", NULL}), 2);
    assert_int_equal(run_server((const char *const[]){"--port", NULL}), 2);
    assert_int_equal(run_server((const char *const[]){"--log-level", "loud", NULL}), 2);
    assert_int_equal(run_server((const char *const[]){"--vote-timeout", "0", NULL}), 2);
    assert_int_equal(run_server((const char *const[]){"extra", NULL}), 2);
    assert_int_equal(run_server((const char *const[]){"--help", NULL}), 0);
    assert_int_equal(run_server((const char *const[]){"--version", NULL}), 0);
    assert_int_equal(
        run_server((const char *const[]){"--port", "0", "--worlds", "/nonexistent/nine43", NULL}),
        1);
}

/* Out of descriptors: the server pauses accepting instead of spinning or dying, and takes the
 * waiting connections once descriptors free up. */
static void test_out_of_descriptors(void **state)
{
    (void)state;
    tu_proc_t small;
    ts_start(&small, (const char *const[]){"--no-discovery", NULL});
    struct rlimit rl = {.rlim_cur = 24, .rlim_max = 24};
    if (prlimit(small.pid, RLIMIT_NOFILE, &rl, NULL) != 0) {
        print_message("skipped: cannot lower the server's descriptor limit\n");
        tu_proc_cleanup(&small);
        skip();
    }
    enum { N = 40 };
    int fds[N];
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)small.port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < N; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(fds[i] >= 0);
        /* The kernel completes the handshake from the backlog even while the server waits. */
        assert_int_equal(connect(fds[i], (struct sockaddr *)&sa, sizeof sa), 0);
    }
    long long deadline = ts_now_ms() + TS_WAIT;
    while (!tu_log_contains(&small, "pausing") && ts_now_ms() < deadline)
        usleep(50 * 1000);
    assert_true(tu_log_contains(&small, "pausing"));
    for (int i = 0; i < N; i++)
        close(fds[i]);
    /* Descriptors are free again: a new player gets in. */
    tu_client_t c;
    ts_login_eventually(&c, small.port, "patient");
    tu_client_close(&c);
    assert_int_equal(tu_stop(&small), 0);
    tu_proc_cleanup(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_lines, start, stop),
        cmocka_unit_test_setup_teardown(test_long_line, start, stop),
        cmocka_unit_test_setup_teardown(test_sixteen_errors, start, stop),
        cmocka_unit_test_setup_teardown(test_flood, start, stop),
        cmocka_unit_test(test_client_error_logged),
        cmocka_unit_test(test_max_clients),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_out_of_descriptors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
