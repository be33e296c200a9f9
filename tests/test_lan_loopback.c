/* test_lan_loopback.c -- LAN discovery end to end on loopback only (127.255.255.255): the real
 * server found by the client's browser and by nine43-bot --discover with its name and counts,
 * and the server module in a child process found by discover_run; depends on testutil,
 * server/discovery, play/lan, bot/discover */
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "discover.h"
#include "discovery.h"
#include "lan_udp.h"
#include "testutil.h"

#define LOOPBACK_BROADCAST "127.255.255.255" /* the only broadcast these tests send */
#define FIND_TIMEOUT_MS    10000             /* generous: answers come within one 2 s round */
#define LOGIN_TIMEOUT_MS   10000
#define RESPONDER_MAX_MS   20000 /* the child responder's own deadline, should the parent die */

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the module in a child process, found by discover_run ---- */

static pid_t start_responder(discovery_t *d, const discovery_info_t *info)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int64_t end = monotonic_ms() + RESPONDER_MAX_MS;
        while (monotonic_ms() < end) {
            struct pollfd p = {.fd = discovery_fd(d), .events = POLLIN};
            if (poll(&p, 1, 100) > 0)
                discovery_on_readable(d, monotonic_ms(), info);
        }
        _exit(0);
    }
    return pid;
}

static void stop_responder(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* Reads the JSON lines discover_run wrote to f. Returns the number of lines; the first is
 * parsed into *first (the caller deletes it). */
static int read_lines(FILE *f, cJSON **first)
{
    rewind(f);
    char line[2048];
    int n = 0;
    *first = NULL;
    while (fgets(line, sizeof line, f)) {
        cJSON *o = cJSON_Parse(line);
        assert_non_null(o);
        if (n++ == 0)
            *first = o;
        else
            cJSON_Delete(o);
    }
    return n;
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static int json_int(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsNumber(v));
    return v->valueint;
}

static void test_discover_run_prints_the_module_as_json(void **state)
{
    (void)state;
    char err[256];
    discovery_t *d = discovery_open(NULL, 0, err, sizeof err);
    if (!d)
        fail_msg("discovery_open: %s", err);
    discovery_info_t info = {
        .name = "Caf\xc3\xa9 \"quoted\"", .players = 5, .lobby = 3, .group_size = 4, .worlds = 2};
    pid_t child = start_responder(d, &info);

    FILE *out = tmpfile();
    assert_non_null(out);
    int rc = discover_run(LOOPBACK_BROADCAST, discovery_port(d), 1500, out);
    stop_responder(child);
    assert_int_equal(rc, 0);
    cJSON *o;
    assert_int_equal(read_lines(out, &o), 1);
    assert_string_equal(json_str(o, "name"), "Caf\xc3\xa9 \"quoted\"");
    assert_string_equal(json_str(o, "address"), "127.0.0.1");
    assert_int_equal(json_int(o, "port"), discovery_port(d));
    assert_int_equal(json_int(o, "players"), 5);
    assert_int_equal(json_int(o, "lobby"), 3);
    assert_int_equal(json_int(o, "group_size"), 4);
    assert_int_equal(json_int(o, "worlds"), 2);
    assert_int_equal(json_int(o, "version"), PROTO_VERSION);
    assert_string_equal(json_str(o, "id"), discovery_id(d));
    assert_true(json_int(o, "ping_ms") >= 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "compatible")));
    cJSON_Delete(o);
    fclose(out);
    discovery_close(d);
}

static void test_discover_run_reports_nothing_found(void **state)
{
    (void)state;
    /* A port held by a socket that never answers, so no other test's server can be on it. */
    int quiet = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    assert_int_equal(bind(quiet, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(quiet, (struct sockaddr *)&sa, &len), 0);
    FILE *out = tmpfile();
    assert_int_equal(discover_run(LOOPBACK_BROADCAST, ntohs(sa.sin_port), 300, out), 1);
    cJSON *o;
    assert_int_equal(read_lines(out, &o), 0);
    fclose(out);
    close(quiet);
    assert_int_equal(discover_run("nowhere", 9999, 300, stdout), 2);
}

/* ---- the real server ---- */

/* Runs a browser on the loopback broadcast until the server on port shows up with the given
 * counts (lobby < 0: any), or FIND_TIMEOUT_MS. Returns a copy of the entry (port == 0: not
 * found). */
static lan_server_t find_server(int port, int players, int lobby)
{
    char err[256];
    lan_browser_t *b = lan_browser_new(&lan_udp_ops, LOOPBACK_BROADCAST, port, err, sizeof err);
    if (!b)
        fail_msg("lan_browser_new: %s", err);
    lan_server_t found;
    memset(&found, 0, sizeof found);
    int64_t start = monotonic_ms();
    for (;;) {
        int64_t now = monotonic_ms();
        lan_browser_update(b, now);
        if (lan_browser_count(b) == 1) {
            found = *lan_browser_server(b, 0);
            if (found.players == players && (lobby < 0 || found.lobby == lobby))
                break;
        }
        if (now - start > FIND_TIMEOUT_MS)
            break;
        struct pollfd p = {.fd = lan_udp_fd(b), .events = POLLIN};
        poll(&p, 1, lan_browser_timeout_ms(b, now) + 1);
    }
    lan_browser_free(b);
    return found;
}

static void test_the_real_server_is_found_with_its_name_and_counts(void **state)
{
    (void)state;
    tu_proc_t srv;
    memset(&srv, 0, sizeof srv);
    const char *args[] = {"--name", "Test Game", "--group-size", "3", NULL};
    if (tu_server_start(&srv, args) != 0)
        fail_msg("the server did not start");

    lan_server_t s = find_server(srv.port, 0, 0);
    assert_int_equal(s.port, srv.port);
    assert_string_equal(s.name, "Test Game");
    assert_string_equal(s.host, "127.0.0.1");
    assert_int_equal(s.group_size, 3);
    assert_true(s.worlds >= 1);
    assert_true(s.compatible);

    tu_client_t alice, bob;
    assert_int_equal(tu_client_connect(&alice, srv.port), 0);
    assert_int_equal(tu_client_login(&alice, "alice", LOGIN_TIMEOUT_MS), 0);
    s = find_server(srv.port, 1, 1);
    assert_int_equal(s.players, 1);
    assert_int_equal(s.lobby, 1);
    assert_int_equal(tu_client_connect(&bob, srv.port), 0);
    assert_int_equal(tu_client_login(&bob, "bob", LOGIN_TIMEOUT_MS), 0);
    s = find_server(srv.port, 2, 2);
    assert_int_equal(s.players, 2);
    assert_int_equal(s.lobby, 2);
    tu_client_close(&bob);
    s = find_server(srv.port, 1, 1); /* a player who leaves is no longer counted */
    assert_int_equal(s.players, 1);

    /* nine43-bot --discover finds it too. */
    tu_proc_t bot;
    memset(&bot, 0, sizeof bot);
    char port[16];
    snprintf(port, sizeof port, "%d", srv.port);
    const char *bargs[] = {"--discover", "--discovery-addr", LOOPBACK_BROADCAST, "--port", port,
                           NULL};
    assert_int_equal(tu_spawn(&bot, "nine43-bot", bargs), 0);
    int status = tu_wait(&bot, 15000);
    if (status != 0)
        tu_print_log(&bot);
    assert_int_equal(status, 0);
    assert_true(tu_log_contains(&bot, "\"name\":\"Test Game\""));
    assert_true(tu_log_contains(&bot, "\"players\":1"));
    tu_proc_cleanup(&bot);
    tu_client_close(&alice);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

static void test_no_discovery_means_no_answer(void **state)
{
    (void)state;
    tu_proc_t srv;
    memset(&srv, 0, sizeof srv);
    const char *args[] = {"--no-discovery", NULL};
    if (tu_server_start(&srv, args) != 0)
        fail_msg("the server did not start");
    FILE *out = tmpfile();
    /* Two rounds of probes, and nobody answers. */
    assert_int_equal(discover_run(LOOPBACK_BROADCAST, srv.port, LAN_PROBE_INTERVAL_MS + 500, out),
                     1);
    fclose(out);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Two servers of one machine on two game ports both answer on the shared discovery port: the
 * browser (the Join list) and nine43-bot --discover list both, each with its own port. The
 * shared port here is a free one, not 9999, which other programs on a test machine may hold. */
static void test_two_servers_on_the_shared_port(void **state)
{
    (void)state;
    int quiet = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    assert_int_equal(bind(quiet, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t salen = sizeof sa;
    assert_int_equal(getsockname(quiet, (struct sockaddr *)&sa, &salen), 0);
    close(quiet);
    char shared[16];
    snprintf(shared, sizeof shared, "%d", ntohs(sa.sin_port));
    tu_proc_t srv[2];
    const char *names[2] = {"First Game", "Second Game"};
    for (int i = 0; i < 2; i++) {
        memset(&srv[i], 0, sizeof srv[i]);
        const char *args[] = {"--name", names[i], "--discovery-port", shared, NULL};
        if (tu_server_start(&srv[i], args) != 0)
            fail_msg("server %d did not start", i);
    }
    char err[256];
    lan_browser_t *b =
        lan_browser_new(&lan_udp_ops, LOOPBACK_BROADCAST, atoi(shared), err, sizeof err);
    assert_non_null(b);
    int64_t start = monotonic_ms();
    while (lan_browser_count(b) < 2 && monotonic_ms() - start < FIND_TIMEOUT_MS) {
        int64_t now = monotonic_ms();
        lan_browser_update(b, now);
        struct pollfd p = {.fd = lan_udp_fd(b), .events = POLLIN};
        poll(&p, 1, lan_browser_timeout_ms(b, now) + 1);
    }
    assert_int_equal(lan_browser_count(b), 2);
    for (int i = 0; i < 2; i++) {
        const lan_server_t *e = lan_browser_server(b, i); /* sorted by name */
        assert_string_equal(e->name, names[i]);
        assert_int_equal(e->port, srv[i].port);
        char want[LAN_ADDRESS_SIZE];
        snprintf(want, sizeof want, "127.0.0.1:%d", srv[i].port);
        assert_string_equal(e->address, want);
    }
    lan_browser_free(b);
    tu_proc_t bot;
    memset(&bot, 0, sizeof bot);
    const char *bargs[] = {"--discover", "--discovery-addr", LOOPBACK_BROADCAST, "--port", shared,
                           NULL};
    assert_int_equal(tu_spawn(&bot, "nine43-bot", bargs), 0);
    assert_int_equal(tu_wait(&bot, 15000), 0);
    for (int i = 0; i < 2; i++) {
        char want[64];
        snprintf(want, sizeof want, "\"port\":%d", srv[i].port);
        if (!tu_log_contains(&bot, names[i]) || !tu_log_contains(&bot, want)) {
            tu_print_log(&bot);
            fail_msg("nine43-bot --discover did not list %s", names[i]);
        }
    }
    tu_proc_cleanup(&bot);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(tu_stop(&srv[i]), 0);
        tu_proc_cleanup(&srv[i]);
    }
}

int main(void)
{
    /* Whatever the environment says, these tests probe the loopback broadcast only. */
    setenv(LAN_ENV_ADDR, LOOPBACK_BROADCAST, 1);
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discover_run_prints_the_module_as_json),
        cmocka_unit_test(test_discover_run_reports_nothing_found),
        cmocka_unit_test(test_the_real_server_is_found_with_its_name_and_counts),
        cmocka_unit_test(test_no_discovery_means_no_answer),
        cmocka_unit_test(test_two_servers_on_the_shared_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
