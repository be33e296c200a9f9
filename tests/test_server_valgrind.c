/* test_server_valgrind.c -- a full round and a shutdown with the server under valgrind: no leak, no
 * bad access */
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

extern char **environ;

#include "test_server_helpers.h"

#define VG_START_TIMEOUT_MS 30000

static int wait_port(tu_proc_t *p, const char *port_file)
{
    long long deadline = ts_now_ms() + VG_START_TIMEOUT_MS;
    while (ts_now_ms() < deadline) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            int port = 0;
            int ok = fscanf(f, "%d", &port) == 1 && port > 0;
            fclose(f);
            if (ok)
                return port;
        }
        if (tu_wait(p, 0) >= 0)
            return -1;
        usleep(50 * 1000);
    }
    return -1;
}

static void test_round_under_valgrind(void **state)
{
    (void)state;
    const char *valgrind = getenv("NINE43_VALGRIND");
    if (!valgrind || !*valgrind) {
        const char *why = getenv("NINE43_VALGRIND_SKIP");
        print_message("skipped: %s\n", why ? why : "NINE43_VALGRIND is not set");
        skip();
    }
    char server[512], port_file[128], dir[] = "/tmp/nine43-vg-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(server, sizeof server, "%s/nine43-server", tu_build_dir());
    snprintf(port_file, sizeof port_file, "%s/port", dir);
    /* tu_spawn runs build/<exe> only: start valgrind here, logging like testutil does. */
    tu_proc_t p;
    memset(&p, 0, sizeof p);
    snprintf(p.dir, sizeof p.dir, "%s", dir);
    snprintf(p.log, sizeof p.log, "%s/log.txt", dir);
    const char *argv[] = {valgrind,
                          "--leak-check=full",
                          "--show-leak-kinds=definite,indirect,possible",
                          "--errors-for-leak-kinds=definite,indirect,possible",
                          "--error-exitcode=99",
                          "--quiet",
                          server,
                          "--bind",
                          "127.0.0.1",
                          "--port",
                          "0",
                          "--port-file",
                          port_file,
                          "--round-seconds",
                          "2",
                          "--end-timeout",
                          "1",
                          NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, p.log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    int rc = posix_spawn(&p.pid, valgrind, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    assert_int_equal(rc, 0);
    int port = wait_port(&p, port_file);
    if (port < 0)
        tu_print_log(&p);
    assert_true(port > 0);

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
