/* test_bot_play.c -- nine43-bot against the real server on loopback: full rounds, name retries,
 * refusals, a server that goes away, time-outs, bad flags; depends on testutil */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define BOT_WAIT_MS 30000 /* generous: the machine is shared */

/* A fast server: groups of two, two-second rounds after a one-second countdown, short vote and
 * end screens. */
static const char *const FAST_SERVER[] = {"--group-size",
                                          "2",
                                          "--round-seconds",
                                          "2",
                                          "--vote-timeout",
                                          "2",
                                          "--end-timeout",
                                          "2",
                                          "--countdown",
                                          "1",
                                          NULL};

static void start_server(tu_proc_t *srv, const char *const *args)
{
    memset(srv, 0, sizeof(*srv));
    if (tu_server_start(srv, args) != 0)
        fail_msg("the server did not start");
}

/* Starts nine43-bot on the server's port with extra args (NULL-terminated). */
static void start_bot(tu_proc_t *bot, const tu_proc_t *srv, const char *const *extra)
{
    static char port[16];
    snprintf(port, sizeof(port), "%d", srv->port);
    const char *args[32] = {"--host", "127.0.0.1", "--port", port};
    int n = 4;
    for (int i = 0; extra[i] && n < 31; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    memset(bot, 0, sizeof(*bot));
    if (tu_spawn(bot, "nine43-bot", args) != 0)
        fail_msg("nine43-bot did not start");
}

static int wait_bot(tu_proc_t *bot, tu_proc_t *srv)
{
    int status = tu_wait(bot, BOT_WAIT_MS);
    if (status != 0) {
        fprintf(stderr, "--- bot log (status %d) ---\n", status);
        tu_print_log(bot);
        fprintf(stderr, "--- server log ---\n");
        tu_print_log(srv);
    }
    return status;
}

static void test_four_bots_play_two_rounds(void **state)
{
    (void)state;
    tu_proc_t srv, bot;
    start_server(&srv, FAST_SERVER);
    start_bot(&bot, &srv,
              (const char *const[]){"--count", "4", "--rounds", "2", "--timeout", "60", NULL});
    assert_int_equal(wait_bot(&bot, &srv), 0);
    assert_true(tu_log_contains(&bot, "4 players finished 2 rounds each"));
    for (int i = 1; i <= 4; i++) {
        char line[64];
        snprintf(line, sizeof(line), "bot%d: round 2 on ", i);
        assert_true(tu_log_contains(&bot, line));
    }
    /* They played: somebody scored in some round. */
    assert_true(tu_log_contains(&bot, "score 1,") || tu_log_contains(&bot, "score 2,") ||
                tu_log_contains(&bot, "score 3,") || tu_log_contains(&bot, "score 4,"));
    /* The server is still fine and the names are free again. */
    tu_client_t c;
    assert_int_equal(tu_client_connect(&c, srv.port), 0);
    assert_int_equal(tu_client_login(&c, "bot1", 5000), 0);
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&bot);
    tu_proc_cleanup(&srv);
}

/* "bot1" is taken by a person: the bot logs in as bot1_2, plays a round with them, exits 0. */
static void test_a_taken_name_is_retried_with_a_new_suffix(void **state)
{
    (void)state;
    tu_proc_t srv, bot;
    start_server(&srv, FAST_SERVER);
    tu_client_t person;
    assert_int_equal(tu_client_connect(&person, srv.port), 0);
    assert_int_equal(tu_client_login(&person, "bot1", 5000), 0);
    start_bot(&bot, &srv,
              (const char *const[]){"--count", "1", "--rounds", "1", "--timeout", "40", NULL});
    assert_int_equal(wait_bot(&bot, &srv), 0);
    assert_true(tu_log_contains(&bot, "bot1_2: logged in"));
    tu_client_close(&person);
    tu_stop(&srv);
    tu_proc_cleanup(&bot);
    tu_proc_cleanup(&srv);
}

static void expect_refusal(const char *prefix)
{
    tu_proc_t srv, bot;
    start_server(&srv, FAST_SERVER);
    start_bot(&bot, &srv, (const char *const[]){"--count", "2", "--username-prefix", prefix, NULL});
    int status = tu_wait(&bot, BOT_WAIT_MS);
    if (status != 1)
        tu_print_log(&bot);
    assert_int_equal(status, 1);
    assert_true(tu_log_contains(&bot, "login refused for"));
    tu_stop(&srv);
    tu_proc_cleanup(&bot);
    tu_proc_cleanup(&srv);
}

static void test_a_bad_name_is_fatal_with_the_reason(void **state)
{
    (void)state;
    expect_refusal(" spaced");           /* leading space */
    expect_refusal("abcdefghijklmnopq"); /* 17 characters and the number */
}

static void test_a_server_that_goes_away_is_an_error(void **state)
{
    (void)state;
    tu_proc_t srv, bot;
    /* Groups of three: one bot waits in the lobby until the server stops. */
    start_server(&srv, (const char *const[]){"--group-size", "3", NULL});
    start_bot(&bot, &srv, (const char *const[]){"--count", "1", NULL});
    assert_int_equal(tu_wait(&bot, 1500), -1); /* still waiting in the lobby */
    tu_stop(&srv);
    assert_int_equal(tu_wait(&bot, BOT_WAIT_MS), 1);
    assert_true(tu_log_contains(&bot, "server closed the connection"));
    tu_proc_cleanup(&bot);
    tu_proc_cleanup(&srv);
}

static void test_the_overall_timeout_ends_the_run(void **state)
{
    (void)state;
    tu_proc_t srv, bot;
    start_server(&srv, (const char *const[]){"--group-size", "3", NULL});
    start_bot(&bot, &srv, (const char *const[]){"--count", "1", "--timeout", "1", NULL});
    assert_int_equal(tu_wait(&bot, BOT_WAIT_MS), 1);
    assert_true(tu_log_contains(&bot, "timed out after 1 s: 0 of 1 players finished"));
    tu_stop(&srv);
    tu_proc_cleanup(&bot);
    tu_proc_cleanup(&srv);
}

static void test_bad_flags_give_usage(void **state)
{
    (void)state;
    const char *const *const BAD[] = {
        (const char *const[]){"--count", "0", NULL},
        (const char *const[]){"--count", "many", NULL},
        (const char *const[]){"--port", "70000", NULL},
        (const char *const[]){"--frobnicate", NULL},
        (const char *const[]){"--rounds", NULL},
        (const char *const[]){"--vote", "loudly", NULL},
    };
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
        tu_proc_t bot = {0};
        assert_int_equal(tu_spawn(&bot, "nine43-bot", BAD[i]), 0);
        assert_int_equal(tu_wait(&bot, 10000), 2);
        assert_true(tu_log_contains(&bot, "usage: nine43-bot"));
        tu_proc_cleanup(&bot);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_bots_play_two_rounds),
        cmocka_unit_test(test_a_taken_name_is_retried_with_a_new_suffix),
        cmocka_unit_test(test_a_bad_name_is_fatal_with_the_reason),
        cmocka_unit_test(test_a_server_that_goes_away_is_an_error),
        cmocka_unit_test(test_the_overall_timeout_ends_the_run),
        cmocka_unit_test(test_bad_flags_give_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
