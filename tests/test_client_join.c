/* test_client_join.c -- Join (fields, connect, remembered server), Connect (failure, Retry, Back)
 * and Host */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client_core_fake.h"
#include "lan.h"
#include "scene_host.h"
#include "scene_join.h"

/* Join's layout (scene_join.c): the form is 400 wide at x = view_w/2 - 420; Connect at
 * y = 358, Back at y = 420, 48 high; the host field at y = 190. */
#define JOIN_X(c) ((c)->view_w / 2 - 420)

static void test_join_defaults_and_connect(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    assert_string_equal(c->join.host, "localhost");
    assert_string_equal(c->join.port, "9999");
    assert_int_equal(c->join.focus, JOIN_ROW_HOST);
    ccf_key(c, IN_CONFIRM); /* Enter in the host field moves to the port */
    assert_int_equal(c->join.focus, JOIN_ROW_PORT);
    ccf_key(c, IN_CONFIRM); /* Enter in the port field connects */
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_int_equal(fake_net(c)->nconnect, 1);
    assert_string_equal(fake_net(c)->connect_host, "localhost");
    assert_int_equal(fake_net(c)->connect_port, 9999);
    ccf_free(c);
}

static void test_join_edit_fields(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    ccf_backspaces(c, 20);
    assert_string_equal(c->join.host, "");
    ccf_type(c, "192.168.1.2é");
    ccf_key(c, IN_BACKSPACE); /* removes the whole é (two bytes) */
    ccf_type(c, "0");
    assert_string_equal(c->join.host, "192.168.1.20");
    ccf_key(c, IN_TAB);
    assert_int_equal(c->join.focus, JOIN_ROW_PORT);
    ccf_backspaces(c, 10);
    ccf_type(c, "1x2-3");
    assert_string_equal(c->join.port, "123");
    ccf_type(c, "456789"); /* at most 5 digits */
    assert_string_equal(c->join.port, "12345");
    /* Click Connect. */
    ccf_click(c, JOIN_X(c) + 200, 358 + 20);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_string_equal(fake_net(c)->connect_host, "192.168.1.20");
    assert_int_equal(fake_net(c)->connect_port, 12345);
    /* Remembered: the next visit starts from it. */
    assert_string_equal(c->settings.last_host, "192.168.1.20");
    assert_int_equal(c->settings.last_port, 12345);
    client_goto(c, SCENE_JOIN);
    assert_string_equal(c->join.host, "192.168.1.20");
    assert_string_equal(c->join.port, "12345");
    ccf_free(c);
}

static void test_join_host_colon_port(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    ccf_backspaces(c, 20);
    ccf_type(c, " example.lan:4242 ");
    c->join.focus = JOIN_ROW_CONNECT;
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_string_equal(fake_net(c)->connect_host, "example.lan");
    assert_int_equal(fake_net(c)->connect_port, 4242);
    ccf_free(c);
}

static void test_join_rejects_bad_address(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    ccf_backspaces(c, 20);
    c->join.focus = JOIN_ROW_CONNECT;
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_JOIN);
    assert_int_equal(fake_net(c)->nconnect, 0);
    assert_true(strlen(c->join.error) > 0);
    assert_int_equal(c->join.focus, JOIN_ROW_HOST);
    ccf_type(c, "localhost");
    c->join.focus = JOIN_ROW_PORT;
    ccf_backspaces(c, 10);
    ccf_type(c, "0");
    c->join.focus = JOIN_ROW_CONNECT;
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_JOIN);
    assert_non_null(strstr(c->join.error, "port"));
    assert_int_equal(fake_net(c)->nconnect, 0);
    ccf_free(c);
}

static void test_join_back(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    ccf_click(c, JOIN_X(c) + 10, 420 + 10);
    assert_int_equal(c->scene, SCENE_MENU);
    ccf_free(c);
}

/* A failed connect says why and offers Retry and Back. */
static void test_connect_failure_retry_back(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    c->join.focus = JOIN_ROW_CONNECT;
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_int_equal(c->session.link, SESSION_LINK_WAITING);
    client_on_connect_failed(c, "the server did not answer (is it running?)");
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_int_equal(c->session.link, SESSION_LINK_FAILED);
    assert_non_null(strstr(c->session.link_text, "localhost:9999"));
    assert_non_null(strstr(c->session.link_text, "did not answer"));
    assert_int_equal(c->connect.focus, 0); /* Retry */
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(fake_net(c)->nconnect, 2);
    assert_int_equal(c->session.link, SESSION_LINK_WAITING);
    client_on_connect_failed(c, "timed out");
    ccf_key(c, IN_RIGHT); /* Back */
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_JOIN);
    assert_false(c->session.connected);
    ccf_free(c);
}

/* A peer that takes the connection and never greets (not a nine43 server) fails the link after
 * CONNECT_GREETING_TIMEOUT_MS, with the reason and Retry, instead of waiting for ever. */
static void test_connect_no_greeting(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    c->join.focus = JOIN_ROW_CONNECT;
    ccf_key(c, IN_CONFIRM);
    client_on_connected(c);
    assert_int_equal(c->session.link, SESSION_LINK_CONNECTED);
    ccf_run(c, CONNECT_GREETING_TIMEOUT_MS - 100, 50);
    assert_int_equal(c->session.link, SESSION_LINK_CONNECTED);
    ccf_run(c, 200, 50);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_int_equal(c->session.link, SESSION_LINK_FAILED);
    assert_non_null(strstr(c->session.link_text, "localhost:9999"));
    assert_non_null(strstr(c->session.link_text, "is it a nine43 server?"));
    assert_false(c->session.connected);
    ccf_key(c, IN_CONFIRM); /* Retry */
    assert_int_equal(fake_net(c)->nconnect, 2);
    assert_int_equal(c->session.link, SESSION_LINK_WAITING);
    ccf_free(c);
}

/* Esc while connecting cancels. */
static void test_connect_cancel(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_JOIN);
    c->join.focus = JOIN_ROW_CONNECT;
    ccf_key(c, IN_CONFIRM);
    int closes = fake_net(c)->nclose;
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_JOIN);
    assert_true(fake_net(c)->nclose > closes);
    /* A late failure report from the abandoned attempt changes nothing. */
    client_on_connect_failed(c, "timed out");
    assert_int_equal(c->scene, SCENE_JOIN);
    ccf_free(c);
}

/* With --autoplay a failed connect is retried a few times, then a scripted run gives up. */
static void test_connect_autoplay_retries(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    c->autoplay = true;
    c->quit_after_rounds = 1;
    client_connect(c, "127.0.0.1", 9);
    for (int i = 0; i <= CONNECT_AUTOPLAY_RETRIES; i++) {
        assert_false(c->quit);
        client_on_connect_failed(c, "refused");
        ccf_run(c, CONNECT_AUTOPLAY_RETRY_MS + 100, 100);
    }
    assert_int_equal(fake_net(c)->nconnect, 1 + CONNECT_AUTOPLAY_RETRIES);
    assert_true(c->quit);
    assert_int_not_equal(c->exit_code, 0);
    ccf_free(c);
}

static void test_host_start_and_join(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_HOST);
    assert_int_equal(c->host.focus, HOST_ROW_START);
    assert_int_equal(c->host.group_size, 2);
    c->host.focus = HOST_ROW_GROUP;
    ccf_key(c, IN_RIGHT);
    ccf_key(c, IN_RIGHT);
    assert_int_equal(c->host.group_size, 4);
    ccf_key(c, IN_LEFT);
    assert_int_equal(c->host.group_size, 3);
    ccf_key(c, IN_DOWN); /* round length */
    ccf_key(c, IN_RIGHT);
    ccf_key(c, IN_RIGHT);
    assert_int_equal(c->host.round_seconds, 60);
    ccf_key(c, IN_DOWN); /* port */
    ccf_backspaces(c, 5);
    ccf_type(c, "7777");
    ccf_key(c, IN_DOWN);
    fake_host(c)->poll_result = 0;
    ccf_key(c, IN_CONFIRM); /* Start */
    assert_int_equal(fake_host(c)->nstart, 1);
    assert_int_equal(fake_host(c)->start_port, 7777);
    assert_int_equal(fake_host(c)->start_group, 3);
    assert_int_equal(fake_host(c)->start_round, 60);
    assert_int_equal(c->host.phase, HOST_STARTING);
    assert_true(c->session.hosting);
    ccf_run(c, 500, 50); /* still starting: nothing yet */
    assert_int_equal(c->scene, SCENE_HOST);
    assert_int_equal(fake_net(c)->nconnect, 0);
    fake_host(c)->poll_result = 1;
    fake_host(c)->poll_port = 7777;
    ccf_run(c, 50, 50);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_string_equal(fake_net(c)->connect_host, "127.0.0.1");
    assert_int_equal(fake_net(c)->connect_port, 7777);
    assert_non_null(strstr(c->session.host_address, ":7777"));
    /* The choices are remembered for next time. */
    assert_int_equal(c->settings.host_group_size, 3);
    assert_int_equal(c->settings.host_port, 7777);
    ccf_free(c);
}

/* A taken port: say so and offer the next one. */
static void test_host_port_in_use(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_HOST);
    fake_host(c)->start_result = -1;
    snprintf(fake_host(c)->start_error, sizeof fake_host(c)->start_error,
             "port 9999 is already in use");
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->host.phase, HOST_FAILED);
    assert_false(c->session.hosting);
    assert_non_null(strstr(c->host.error, "9999 is already in use"));
    assert_string_equal(c->host.port, "10000");
    assert_int_equal(c->host.focus, HOST_ROW_START);
    fake_host(c)->start_result = 0;
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(fake_host(c)->start_port, 10000);
    assert_int_equal(c->host.phase, HOST_STARTING);
    ccf_free(c);
}

/* The server exits early (found by poll): the reason shows and the server is cleaned up. */
static void test_host_server_dies(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_HOST);
    fake_host(c)->poll_result = -1;
    snprintf(fake_host(c)->poll_error, sizeof fake_host(c)->poll_error,
             "port 9999 is already in use");
    ccf_key(c, IN_CONFIRM);
    ccf_run(c, 100, 50);
    assert_int_equal(c->host.phase, HOST_FAILED);
    assert_int_equal(fake_host(c)->nstop, 1);
    assert_false(c->session.hosting);
    assert_string_equal(c->host.port, "10000");
    ccf_free(c);
}

/* Never waits forever for a server that does not start. */
static void test_host_start_timeout(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_HOST);
    fake_host(c)->poll_result = 0;
    ccf_key(c, IN_CONFIRM);
    ccf_run(c, HOST_START_TIMEOUT_MS + 500, 100);
    assert_int_equal(c->host.phase, HOST_FAILED);
    assert_int_equal(fake_host(c)->nstop, 1);
    assert_non_null(strstr(c->host.error, "did not start"));
    ccf_free(c);
}

/* Back while starting stops the server. */
static void test_host_cancel(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_HOST);
    fake_host(c)->poll_result = 0;
    ccf_key(c, IN_CONFIRM);
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(fake_host(c)->nstop, 1);
    assert_false(c->session.hosting);
    ccf_free(c);
}

/* Our own server refuses the connection: back on the Host screen, server stopped, reason shown. */
static void test_host_connect_fails(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_HOST);
    fake_host(c)->poll_result = 1;
    fake_host(c)->poll_port = 9999;
    ccf_key(c, IN_CONFIRM);
    ccf_run(c, 50, 50);
    assert_int_equal(c->scene, SCENE_CONNECT);
    client_on_connect_failed(c, "refused");
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_HOST);
    assert_int_equal(fake_host(c)->nstop, 1);
    assert_false(c->session.hosting);
    assert_non_null(strstr(c->host.error, "refused"));
    ccf_free(c);
}

/* The footer says what Enter does on the focused row: it starts only on Start; on the round
 * length it changes the value, and the footer says so. */
static void test_host_footer_follows_focus(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_HOST);
    for (int row = 0; row < HOST_ROW_COUNT; row++) {
        c->host.focus = row;
        bool says_start = strstr(host_hint(c), "Enter start") != NULL;
        assert_int_equal(says_start, row == HOST_ROW_START);
    }
    c->host.focus = HOST_ROW_ROUND;
    assert_non_null(strstr(host_hint(c), "Enter change"));
    int before = c->host.round_seconds;
    ccf_key(c, IN_CONFIRM);
    assert_int_not_equal(c->host.round_seconds, before);
    assert_int_equal(fake_host(c)->nstart, 0);
    ccf_free(c);
}

/* A LAN row counts players in a round apart from those waiting in the lobby. */
static void test_lan_row_counts(void **state)
{
    (void)state;
    lan_server_t s = {.players = 1, .lobby = 1, .ping_ms = 3};
    char buf[64];
    join_lan_counts(&s, buf, sizeof buf);
    assert_string_equal(buf, "0 in a game \xc2\xb7 3 ms");
    s.players = 5;
    s.lobby = 1;
    join_lan_counts(&s, buf, sizeof buf);
    assert_string_equal(buf, "4 in a game \xc2\xb7 3 ms");
    s.lobby = 9; /* a server that miscounts shows no negative number */
    join_lan_counts(&s, buf, sizeof buf);
    assert_string_equal(buf, "0 in a game \xc2\xb7 3 ms");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_defaults_and_connect),
        cmocka_unit_test(test_join_edit_fields),
        cmocka_unit_test(test_join_host_colon_port),
        cmocka_unit_test(test_join_rejects_bad_address),
        cmocka_unit_test(test_join_back),
        cmocka_unit_test(test_connect_failure_retry_back),
        cmocka_unit_test(test_connect_cancel),
        cmocka_unit_test(test_connect_no_greeting),
        cmocka_unit_test(test_connect_autoplay_retries),
        cmocka_unit_test(test_host_start_and_join),
        cmocka_unit_test(test_host_port_in_use),
        cmocka_unit_test(test_host_server_dies),
        cmocka_unit_test(test_host_start_timeout),
        cmocka_unit_test(test_host_cancel),
        cmocka_unit_test(test_host_connect_fails),
        cmocka_unit_test(test_host_footer_follows_focus),
        cmocka_unit_test(test_lan_row_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
