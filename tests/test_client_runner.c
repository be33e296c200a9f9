/* test_client_runner.c -- the scene runner: message routing, ping, server errors, connection loss,
 * round counting */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client_core_fake.h"

static const char *const map_rows[] = {
    "##########", "#S..c...S#", "#..####..#", "#........#",
    "#........#", "#..####..#", "#S..c...S#", "##########",
};

static msg_t *select_world_msg(void)
{
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_SELECT_WORLD);
    m->u.select_world.nworlds = 1;
    m->u.select_world.timeout = 15;
    snprintf(m->u.select_world.worlds[0].name, sizeof m->u.select_world.worlds[0].name, "default");
    return m;
}

static msg_t *game_start_msg(const char *you)
{
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_GAME_START);
    msg_game_start_t *g = &m->u.game_start;
    snprintf(g->world.name, sizeof g->world.name, "test");
    g->world.height = 8;
    g->world.width = 10;
    for (int r = 0; r < 8; r++)
        snprintf(g->world.tiles[r], sizeof g->world.tiles[r], "%s", map_rows[r]);
    g->nplayers = 2;
    snprintf(g->players[0].username, sizeof g->players[0].username, "%s", you);
    snprintf(g->players[1].username, sizeof g->players[1].username, "bob");
    snprintf(g->you, sizeof g->you, "%s", you);
    g->tick_rate = SIM_TICK_RATE;
    g->duration = 60;
    g->seed = 7;
    return m;
}

static msg_t *fin_msg(void)
{
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_FINISH);
    snprintf(m->u.fin.world, sizeof m->u.fin.world, "test");
    m->u.fin.nresults = 2;
    snprintf(m->u.fin.results[0].username, sizeof m->u.fin.results[0].username, "alice");
    m->u.fin.results[0].score = 3;
    m->u.fin.results[0].rank = 1;
    snprintf(m->u.fin.results[1].username, sizeof m->u.fin.results[1].username, "bob");
    m->u.fin.results[1].rank = 2;
    return m;
}

static void deliver(client_t *c, msg_t *m)
{
    client_on_message(c, m);
    free(m);
}

static void test_starts_at_menu(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    assert_int_equal(c->scene, SCENE_MENU);
    assert_string_equal(client_scene(c)->name, "menu");
    assert_false(c->session.connected);
    assert_int_equal(c->session.ping_ms, -1);
    ccf_free(c);
}

/* Every scene has a name (screenshots are named after it) and the names differ. */
static void test_scene_names(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    const char *names[SCENE_COUNT];
    for (int i = 0; i < SCENE_COUNT; i++) {
        client_goto(c, (scene_id_t)i);
        assert_int_equal(c->scene, i);
        names[i] = client_scene(c)->name;
        assert_non_null(names[i]);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(names[i], names[j]);
    }
    ccf_free(c);
}

/* "log in" -> username, "lobby" -> lobby, "select world" -> vote, "game start" -> game,
 * "fin" -> end, and back to the lobby on the next "lobby". */
static void test_routing(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_connect(c, "localhost", 9999);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_int_equal(fake_net(c)->nconnect, 1);
    client_on_connected(c);
    assert_true(c->session.connected);
    ccf_recv(c, MSG_LOGIN_PROMPT);
    assert_int_equal(c->scene, SCENE_USERNAME);
    ccf_type(c, "alice");
    ccf_key(c, IN_CONFIRM);
    ccf_recv_login_update(c, true, "");
    assert_string_equal(c->session.username, "alice");
    ccf_recv(c, MSG_LOBBY);
    assert_int_equal(c->scene, SCENE_LOBBY);
    deliver(c, select_world_msg());
    assert_int_equal(c->scene, SCENE_VOTE);
    deliver(c, game_start_msg("alice"));
    assert_int_equal(c->scene, SCENE_GAME);
    deliver(c, fin_msg());
    assert_int_equal(c->scene, SCENE_END);
    assert_int_equal(c->rounds_done, 1);
    ccf_recv(c, MSG_LOBBY);
    assert_int_equal(c->scene, SCENE_LOBBY);
    ccf_free(c);
}

/* A lobby update that arrives while another scene shows still updates the lobby's roster. */
static void test_lobby_update_kept_in_any_scene(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    deliver(c, fin_msg());
    assert_int_equal(c->scene, SCENE_END);
    const char *names[] = {"alice", "bob", "carol"};
    ccf_recv_lobby_update(c, 3, 3, names);
    assert_int_equal(c->session.nplayers, 3);
    assert_string_equal(c->session.players[2], "carol");
    assert_int_equal(c->scene, SCENE_END);
    ccf_free(c);
}

static void test_ping_answered(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    int before = fake_net(c)->nsent;
    ccf_recv(c, MSG_PING);
    assert_int_equal(fake_net(c)->nsent, before + 1);
    assert_int_equal(fake_net(c)->sent[before].type, MSG_PONG);
    assert_int_equal(c->scene, SCENE_LOBBY);
    ccf_free(c);
}

/* Once logged in the client pings every SESSION_PING_INTERVAL_MS; the pong gives ping_ms. */
static void test_ping_measured(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    assert_int_equal(fake_net_count(c, MSG_PING), 0);
    ccf_run(c, SESSION_PING_INTERVAL_MS + 100, 50);
    assert_int_equal(fake_net_count(c, MSG_PING), 1);
    c->now_ms += 30;
    ccf_recv(c, MSG_PONG);
    assert_true(c->session.ping_ms >= 30 && c->session.ping_ms <= 130);
    ccf_run(c, SESSION_PING_INTERVAL_MS, 50);
    assert_int_equal(fake_net_count(c, MSG_PING), 2);
    ccf_free(c);
}

/* Not logged in yet: no pings (the login stage expects only "log in"). */
static void test_no_ping_before_login(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_connect(c, "localhost", 9999);
    client_on_connected(c);
    ccf_recv(c, MSG_LOGIN_PROMPT);
    ccf_run(c, 3 * SESSION_PING_INTERVAL_MS, 100);
    assert_int_equal(fake_net_count(c, MSG_PING), 0);
    ccf_free(c);
}

static void test_lost_goes_to_menu_with_notice(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    int closes = fake_net(c)->nclose;
    client_on_lost(c, "the server closed the connection");
    assert_int_equal(c->scene, SCENE_MENU);
    assert_false(c->session.connected);
    assert_true(fake_net(c)->nclose > closes);
    assert_non_null(strstr(c->notice, "the server closed the connection"));
    assert_false(c->quit);
    /* The notice is shown once: leaving the menu clears it. */
    client_goto(c, SCENE_JOIN);
    assert_string_equal(c->notice, "");
    ccf_free(c);
}

/* The server's "error" before it closes is what the player reads. */
static void test_error_then_lost_shows_server_message(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    ccf_recv_error(c, "you were idle too long");
    client_on_lost(c, "the server closed the connection");
    assert_int_equal(c->scene, SCENE_MENU);
    assert_non_null(strstr(c->notice, "you were idle too long"));
    ccf_free(c);
}

/* Lost from every scene: always the menu, never stuck. */
static void test_lost_from_every_scene(void **state)
{
    (void)state;
    for (int s = 0; s < SCENE_COUNT; s++) {
        client_t *c = ccf_client();
        ccf_to_lobby(c, "alice");
        if (s == SCENE_VOTE)
            deliver(c, select_world_msg());
        else if (s == SCENE_GAME)
            deliver(c, game_start_msg("alice"));
        else if (s == SCENE_END)
            deliver(c, fin_msg());
        else
            client_goto(c, (scene_id_t)s);
        client_on_lost(c, "gone");
        assert_int_equal(c->scene, SCENE_MENU);
        assert_non_null(strstr(c->notice, "gone"));
        ccf_free(c);
    }
}

/* --quit-after-rounds 2: exits 0 once the end screen of round 2 has been drawn. */
static void test_quit_after_rounds(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    c->quit_after_rounds = 2;
    ccf_to_lobby(c, "alice");
    deliver(c, fin_msg());
    client_frame_drawn(c, true);
    assert_false(c->quit);
    ccf_recv(c, MSG_LOBBY);
    deliver(c, fin_msg());
    client_frame_drawn(c, false); /* not fully drawn yet */
    assert_false(c->quit);
    client_frame_drawn(c, true);
    assert_true(c->quit);
    assert_int_equal(c->exit_code, 0);
    ccf_free(c);
}

/* ... and exits non-zero when the connection goes first. */
static void test_quit_after_rounds_lost_first(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    c->quit_after_rounds = 1;
    ccf_to_lobby(c, "alice");
    client_on_lost(c, "the server closed the connection");
    assert_true(c->quit);
    assert_int_not_equal(c->exit_code, 0);
    ccf_free(c);
}

/* ... and when the run ends any other way before round N (window closed, Quit, a signal). */
static void test_quit_after_rounds_closed_first(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    c->quit_after_rounds = 1;
    ccf_to_lobby(c, "alice");
    c->quit = true; /* what SDL_QUIT does */
    assert_int_not_equal(client_exit_status(c), 0);
    deliver(c, fin_msg());
    client_frame_drawn(c, true);
    assert_int_equal(client_exit_status(c), 0);
    c->quit_after_rounds = 0; /* without the option, quitting is a normal exit */
    c->rounds_done = 0;
    assert_int_equal(client_exit_status(c), 0);
    ccf_free(c);
}

/* Leaving on purpose says "quit", closes, and stops the server we host. */
static void test_leave_server(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    c->session.hosting = true;
    client_leave_server(c);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 1);
    assert_true(fake_net(c)->nclose >= 1);
    assert_int_equal(fake_host(c)->nstop, 1);
    assert_false(c->session.hosting);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_string_equal(c->notice, "");
    ccf_free(c);
}

/* Messages are not sent while not connected. */
static void test_no_send_when_disconnected(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    msg_t m;
    proto_init(&m, MSG_QUIT);
    client_send(c, &m);
    assert_int_equal(fake_net(c)->nsent, 0);
    ccf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_starts_at_menu),
        cmocka_unit_test(test_scene_names),
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_lobby_update_kept_in_any_scene),
        cmocka_unit_test(test_ping_answered),
        cmocka_unit_test(test_ping_measured),
        cmocka_unit_test(test_no_ping_before_login),
        cmocka_unit_test(test_lost_goes_to_menu_with_notice),
        cmocka_unit_test(test_error_then_lost_shows_server_message),
        cmocka_unit_test(test_lost_from_every_scene),
        cmocka_unit_test(test_quit_after_rounds),
        cmocka_unit_test(test_quit_after_rounds_lost_first),
        cmocka_unit_test(test_quit_after_rounds_closed_first),
        cmocka_unit_test(test_leave_server),
        cmocka_unit_test(test_no_send_when_disconnected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
