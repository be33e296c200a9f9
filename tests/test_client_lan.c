/* test_client_lan.c -- the Join screen's LAN list without a window: a game found through the
 * loopback broadcast is listed and joined by keyboard, a game of another version is refused
 * with the reason, an empty list says what was searched, two real servers are both listed;
 * depends on client_core_fake, play/lan, client/lan_sdl, server/discovery, testutil (loopback
 * only) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "client_core_fake.h"
#include "discovery.h"
#include "lan_sdl.h"
#include "testutil.h"

#define LOOPBACK_BROADCAST "127.255.255.255"
#define WAIT_MS            5000 /* generous: answers on loopback come at once */

static client_t *lan_client(int port)
{
    client_t *c = ccf_client();
    c->lan_io = &lan_sdl_ops;
    snprintf(c->discovery_addr, sizeof c->discovery_addr, "%s", LOOPBACK_BROADCAST);
    c->discovery_port = port;
    return c;
}

static int browser_port(const client_t *c)
{
    int port = lan_browser_local_port(c->join.lan);
    assert_true(port > 0);
    return port;
}

static void test_lan_is_off_unless_main_turns_it_on(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    assert_null(c->join.lan);
    client_goto(c, SCENE_MENU);
    ccf_free(c);
}

static void test_a_lan_game_is_listed_and_joined_with_the_keyboard(void **state)
{
    (void)state;
    char err[256];
    discovery_t *d = discovery_open(NULL, 0, err, sizeof err);
    if (!d)
        fail_msg("discovery_open: %s", err);
    discovery_info_t info = {
        .name = "Test Game", .players = 1, .lobby = 1, .group_size = 2, .worlds = 3};
    client_t *c = lan_client(discovery_port(d));
    client_goto(c, SCENE_JOIN);
    assert_non_null(c->join.lan);
    for (int waited = 0; lan_browser_count(c->join.lan) == 0 && waited < WAIT_MS; waited += 10) {
        ccf_run(c, 16, 16); /* the first frame probes */
        struct pollfd p = {.fd = discovery_fd(d), .events = POLLIN};
        if (poll(&p, 1, 10) > 0)
            discovery_on_readable(d, 0, &info);
    }
    assert_int_equal(lan_browser_count(c->join.lan), 1);
    const lan_server_t *s = lan_browser_server(c->join.lan, 0);
    assert_string_equal(s->name, "Test Game");
    assert_string_equal(s->host, "127.0.0.1");
    assert_int_equal(s->lobby, 1);
    assert_int_equal(s->group_size, 2);

    /* Host, Port, Connect, Back, then the first game. */
    for (int i = 0; i < JOIN_ROW_COUNT; i++)
        ccf_key(c, IN_DOWN);
    assert_int_equal(c->join.focus, JOIN_ROW_COUNT);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_int_equal(fake_net(c)->nconnect, 1);
    assert_string_equal(fake_net(c)->connect_host, "127.0.0.1");
    assert_int_equal(fake_net(c)->connect_port, discovery_port(d));
    assert_null(c->join.lan); /* leaving the screen stops probing */
    ccf_free(c);
    discovery_close(d);
}

static void test_a_game_of_another_version_says_why_it_cannot_be_joined(void **state)
{
    (void)state;
    int fake = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    assert_int_equal(bind(fake, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fake, (struct sockaddr *)&sa, &len), 0);
    client_t *c = lan_client(ntohs(sa.sin_port));
    client_goto(c, SCENE_JOIN);
    ccf_run(c, 16, 16);

    struct pollfd p = {.fd = fake, .events = POLLIN};
    assert_int_equal(poll(&p, 1, WAIT_MS), 1);
    char buf[512];
    ssize_t n = recv(fake, buf, sizeof buf, 0);
    assert_true(n > 0);
    msg_t *m = calloc(1, sizeof *m);
    char err[128];
    assert_int_equal(proto_decode(buf, (size_t)n, PROTO_TO_SERVER, m, err, sizeof err), 0);
    char answer[512];
    snprintf(answer, sizeof answer,
             "{\"type\":\"server\",\"token\":\"%s\",\"name\":\"Future\",\"port\":9999,"
             "\"version\":%d,\"id\":\"f1\",\"players\":0,\"lobby\":0,\"group_size\":2,"
             "\"worlds\":1}",
             m->u.discover.token, PROTO_VERSION + 1);
    free(m);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)browser_port(c))};
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(sendto(fake, answer, strlen(answer), 0, (struct sockaddr *)&to, sizeof to) > 0);
    for (int waited = 0; lan_browser_count(c->join.lan) == 0 && waited < WAIT_MS; waited += 10) {
        poll(NULL, 0, 10);
        ccf_run(c, 16, 16);
    }
    assert_int_equal(lan_browser_count(c->join.lan), 1);
    assert_false(lan_browser_server(c->join.lan, 0)->compatible);

    for (int i = 0; i < JOIN_ROW_COUNT; i++)
        ccf_key(c, IN_DOWN);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_JOIN);
    assert_int_equal(fake_net(c)->nconnect, 0);
    assert_non_null(strstr(c->join.error, "Future cannot be joined"));
    assert_non_null(strstr(c->join.error, "version 2"));
    client_goto(c, SCENE_MENU); /* leaving the screen frees the browser */
    assert_null(c->join.lan);
    ccf_free(c);
    close(fake);
}

static void test_an_empty_list_says_what_was_searched(void **state)
{
    (void)state;
    /* A port whose socket never answers. */
    int quiet = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    assert_int_equal(bind(quiet, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(quiet, (struct sockaddr *)&sa, &len), 0);
    client_t *c = lan_client(ntohs(sa.sin_port));
    client_goto(c, SCENE_JOIN);
    ccf_run(c, 2 * LAN_SEARCHING_MS, 16);
    char expect[96];
    snprintf(expect, sizeof expect, "No games found on %s, port %d", LOOPBACK_BROADCAST,
             ntohs(sa.sin_port));
    assert_string_equal(lan_browser_status(c->join.lan), expect);
    /* The address form is still there. */
    assert_int_equal(c->join.focus, JOIN_ROW_HOST);
    client_goto(c, SCENE_MENU);
    ccf_free(c);
    close(quiet);
}

/* Two real servers of this computer answer on one shared discovery port: the Join list shows
 * both, by name, each with its own game port, and Enter on the second joins that one. */
static void test_two_real_servers_are_listed(void **state)
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
    const char *names[2] = {"Alpha's game", "Bravo's game"};
    for (int i = 0; i < 2; i++) {
        memset(&srv[i], 0, sizeof srv[i]);
        const char *args[] = {"--name", names[i], "--discovery-port", shared, NULL};
        if (tu_server_start(&srv[i], args) != 0)
            fail_msg("server %d did not start", i);
    }
    client_t *c = lan_client(atoi(shared));
    client_goto(c, SCENE_JOIN);
    for (int waited = 0; lan_browser_count(c->join.lan) < 2 && waited < WAIT_MS; waited += 16) {
        ccf_run(c, 16, 16);
        poll(NULL, 0, 16);
    }
    assert_int_equal(lan_browser_count(c->join.lan), 2);
    for (int i = 0; i < 2; i++) {
        const lan_server_t *e = lan_browser_server(c->join.lan, i); /* sorted by name */
        assert_string_equal(e->name, names[i]);
        assert_int_equal(e->port, srv[i].port);
        assert_string_equal(e->host, "127.0.0.1");
    }
    for (int i = 0; i < JOIN_ROW_COUNT + 1; i++)
        ccf_key(c, IN_DOWN);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_int_equal(fake_net(c)->connect_port, srv[1].port);
    ccf_free(c);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(tu_stop(&srv[i]), 0);
        tu_proc_cleanup(&srv[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lan_is_off_unless_main_turns_it_on),
        cmocka_unit_test(test_a_lan_game_is_listed_and_joined_with_the_keyboard),
        cmocka_unit_test(test_a_game_of_another_version_says_why_it_cannot_be_joined),
        cmocka_unit_test(test_an_empty_list_says_what_was_searched),
        cmocka_unit_test(test_two_real_servers_are_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
