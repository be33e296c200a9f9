/* test_server_valgrind.c -- a full round and a shutdown with the server under valgrind: no leak, no
 * bad access */
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

#define VG_START_TIMEOUT_MS 30000

static void test_round_under_valgrind(void **state)
{
    (void)state;
    const char *valgrind = getenv("NINE43_VALGRIND");
    if (!valgrind || !*valgrind) {
        const char *why = getenv("NINE43_VALGRIND_SKIP");
        print_message("skipped: %s\n", why ? why : "NINE43_VALGRIND is not set");
        skip();
    }
    const char *const wrapper[] = {valgrind,
                                   "--leak-check=full",
                                   "--show-leak-kinds=definite,indirect,possible",
                                   "--errors-for-leak-kinds=definite,indirect,possible",
                                   "--error-exitcode=99",
                                   "--quiet",
                                   NULL};
    const char *const args[] = {"--round-seconds", "2", "--end-timeout", "1", NULL};
    tu_proc_t p;
    memset(&p, 0, sizeof p);
    assert_int_equal(tu_server_start_under(&p, wrapper, args, VG_START_TIMEOUT_MS), 0);
    int port = p.port;

    tu_client_t a, b, c;
    ts_pair_to_vote(&a, &b, port, "alice", "bob");
    ts_login(&c, port, "carol");
    ts_send(&c, "not json");
    ts_expect_error(&c, NULL);
    ts_vote_to_game(&a, &b);
    ts_input(&a, 1, 1, 0, true);
    ts_send(&a, "{\"type\":\"chat\",\"text\":\"gg\"}");
    ts_expect(&b, MSG_CHAT);
    ts_expect(&a, MSG_FINISH);
    ts_expect(&b, MSG_FINISH);
    ts_send(&a, "{\"type\":\"continue\"}");
    ts_expect(&a, MSG_SELECT_WORLD); /* with carol */
    tu_client_close(&b);             /* bob leaves on the end screen */
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&c, "{\"type\":\"vote\",\"index\":0}");
    ts_expect(&a, MSG_GAME_START);
    /* Shutdown while a round runs: it finishes, then everything is freed. */
    tu_signal(&p, SIGTERM);
    ts_expect(&a, MSG_FINISH);
    int status = tu_wait(&p, 30000);
    if (status != 0)
        tu_print_log(&p);
    assert_int_equal(status, 0);
    tu_client_close(&a);
    tu_client_close(&c);
    tu_proc_cleanup(&p); /* removes dir */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_under_valgrind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
