/* test_client_party.c -- the client's side of the party feature without a window: the login's
 * features and the host's secret, the lobby's server view and countdown, Start now, the host's
 * kick dialog, the server's last words (bye, closing) and the results kept after a shutdown */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client_core_fake.h"
#include "kick_dialog.h"

static msg_t *msg_of(msg_type_t type)
{
    msg_t *m = calloc(1, sizeof *m);
    assert_non_null(m);
    proto_init(m, type);
    return m;
}

static void deliver(client_t *c, msg_t *m)
{
    client_on_message(c, m);
    free(m);
}

/* A party lobby update: names wait (ready: who pressed Start now), host marked, one group of
 * ann and bo in a round on arena with 41.5 s left, the countdown at wait_ms (< 0: none). */
static void recv_view(client_t *c, int n, const char *const *names, const char *host, int nready,
                      const char *const *ready, int wait_ms)
{
    msg_t *m = msg_of(MSG_LOBBY_UPDATE);
    msg_lobby_update_t *u = &m->u.lobby_update;
    u->group_size = 4;
    u->nplayers = n;
    for (int i = 0; i < n; i++)
        snprintf(u->players[i], PROTO_USERNAME_SIZE, "%s", names[i]);
    u->party = true;
    snprintf(u->host, sizeof u->host, "%s", host);
    u->nready = nready;
    for (int i = 0; i < nready; i++)
        snprintf(u->ready[i], PROTO_USERNAME_SIZE, "%s", ready[i]);
    u->has_wait = wait_ms >= 0;
    u->wait_ms = wait_ms;
    u->games = 1;
    u->ngroups = 1;
    u->groups[0].nplayers = 2;
    snprintf(u->groups[0].players[0], PROTO_USERNAME_SIZE, "ann");
    snprintf(u->groups[0].players[1], PROTO_USERNAME_SIZE, "bo");
    u->groups[0].phase = PROTO_PHASE_GAME;
    snprintf(u->groups[0].world, sizeof u->groups[0].world, "arena");
    u->groups[0].time_left_ms = 41500;
    deliver(c, m);
}

/* The login names the party, social and countdown features; the secret goes to our own server
 * only. */
static void test_login_features_and_secret(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "lee");
    const msg_t *m = fake_net_last_msg(c, MSG_LOGIN);
    assert_int_equal(m->u.login.features, PROTO_FEATURE_PARTY | PROTO_FEATURE_SOCIAL |
                                              PROTO_FEATURE_COUNTDOWN | PROTO_FEATURE_WATCH |
                                              PROTO_FEATURE_REPLAY);
    assert_string_equal(m->u.login.admin, ""); /* not hosting */
    client_leave_server(c);
    /* Hosting on 9999: the login to it carries the secret... */
    session_hosting_started(&c->session, 9999);
    session_set_admin_token(&c->session, "0123456789abcdef0123456789abcdef");
    ccf_to_lobby(c, "kim");
    assert_string_equal(fake_net_last_msg(c, MSG_LOGIN)->u.login.admin,
                        "0123456789abcdef0123456789abcdef");
    ccf_free(c);
}

/* The lobby shows the running group with its time left counting down, the countdown, the host
 * and who is ready, from the session. */
static void test_lobby_view(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "lee");
    const char *names[] = {"kim", "lee"}, *ready[] = {"kim"};
    recv_view(c, 2, names, "kim", 1, ready, 23500);
    const session_t *s = &c->session;
    assert_true(s->party);
    assert_true(session_is_host(s, "kim"));
    assert_false(session_is_host(s, "lee"));
    assert_true(session_is_ready(s, "kim"));
    assert_false(session_is_ready(s, "lee"));
    char text[256];
    lobby_group_text(s, 0, c->now_ms, text, sizeof text);
    assert_string_equal(text, "arena · 0:42 left · ann, bo");
    lobby_party_status_text(s, c->now_ms, text, sizeof text);
    assert_string_equal(text, "Starts in 24 s (or when all 2 press Start now)");
    ccf_run(c, 10000, 50);
    lobby_group_text(s, 0, c->now_ms, text, sizeof text);
    assert_string_equal(text, "arena · 0:32 left · ann, bo");
    assert_int_equal(session_wait_seconds(s, c->now_ms), 14);
    /* Alone: nothing to start. */
    recv_view(c, 1, names + 1, "", 0, NULL, -1);
    lobby_party_status_text(s, c->now_ms, text, sizeof text);
    assert_string_equal(text, "Waiting for another player (rounds take up to 4)");
    ccf_free(c);
}

/* Start now by keyboard and by mouse, and taken back by pressing it again. */
static void test_start_now(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "lee");
    const char *names[] = {"kim", "lee"}, *ready[] = {"lee"};
    recv_view(c, 2, names, "kim", 0, NULL, -1);
    ccf_key(c, IN_TAB);
    assert_int_equal(c->lobby.focus, LOBBY_ROW_START);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_START), 1);
    assert_true(fake_net_last_msg(c, MSG_START)->u.start.ready);
    recv_view(c, 2, names, "kim", 1, ready, -1);
    ccf_click(c, 100, 600); /* the Start now button, bottom left */
    assert_int_equal(fake_net_count(c, MSG_START), 2);
    assert_false(fake_net_last_msg(c, MSG_START)->u.start.ready);
    /* Not the host: no Kick in the focus ring (chat, Start now, Leave). */
    ccf_key(c, IN_TAB);
    assert_int_equal(c->lobby.focus, LOBBY_ROW_LEAVE);
    ccf_free(c);
}

/* The host picks a player (in the lobby or in a round), types a reason and kicks. */
static void test_kick_dialog(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "kim");
    const char *names[] = {"kim", "lee"};
    recv_view(c, 2, names, "kim", 0, NULL, -1);
    assert_true(session_i_am_host(&c->session));
    char who[KICK_DIALOG_MAX_NAMES][PROTO_USERNAME_SIZE];
    assert_int_equal(kick_dialog_kickable(c, who, KICK_DIALOG_MAX_NAMES), 3);
    assert_string_equal(who[0], "lee");
    assert_string_equal(who[2], "bo");
    ccf_key(c, IN_TAB); /* Start now */
    ccf_key(c, IN_TAB); /* Kick */
    assert_int_equal(c->lobby.focus, LOBBY_ROW_KICK);
    ccf_key(c, IN_CONFIRM);
    assert_true(c->kick.open);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_DOWN); /* bo, in the round */
    ccf_type(c, "idle");
    assert_string_equal(c->lobby.input, ""); /* the reason is not chat */
    ccf_key(c, IN_CONFIRM);
    assert_false(c->kick.open);
    const msg_t *m = fake_net_last_msg(c, MSG_KICK);
    assert_non_null(m);
    assert_string_equal(m->u.kick.username, "bo");
    assert_string_equal(m->u.kick.reason, "idle");
    /* Esc closes the dialog without kicking. */
    ccf_key(c, IN_CONFIRM);
    assert_true(c->kick.open);
    ccf_key(c, IN_BACK);
    assert_false(c->kick.open);
    assert_int_equal(c->scene, SCENE_LOBBY);
    assert_int_equal(fake_net_count(c, MSG_KICK), 1);
    ccf_free(c);
}

/* A kicked player lands on the menu with the server's reason, not "Connection lost"; the
 * others' notice goes to the chat. */
static void test_bye_reason_on_the_menu(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "troll");
    msg_t *m = msg_of(MSG_NOTICE);
    snprintf(m->u.notice.text, sizeof m->u.notice.text, "x was kicked by the host");
    deliver(c, m);
    assert_string_equal(session_chat_line(&c->session, c->session.nchat - 1)->text,
                        "x was kicked by the host");
    m = msg_of(MSG_BYE);
    snprintf(m->u.bye.reason, sizeof m->u.bye.reason, "kicked");
    snprintf(m->u.bye.message, sizeof m->u.bye.message, "Kicked by the host: idle");
    deliver(c, m);
    client_on_lost(c, "the server closed the connection");
    assert_int_equal(c->scene, SCENE_MENU);
    assert_string_equal(c->notice, "Kicked by the host: idle");
    ccf_free(c);
}

/* Shutdown mid-round: the banner, the results kept on screen after the server closed, then the
 * menu with the reason. */
static void test_shutdown_keeps_the_results(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "lee");
    deliver(c, msg_of(MSG_GAME_START));
    assert_int_equal(c->scene, SCENE_GAME);
    msg_t *m = msg_of(MSG_CLOSING);
    snprintf(m->u.closing.message, sizeof m->u.closing.message,
             "The server closes after this round");
    deliver(c, m);
    assert_string_equal(c->session.closing, "The server closes after this round");
    m = msg_of(MSG_FINISH);
    snprintf(m->u.fin.world, sizeof m->u.fin.world, "arena");
    m->u.fin.nresults = 1;
    snprintf(m->u.fin.results[0].username, PROTO_USERNAME_SIZE, "lee");
    m->u.fin.results[0].rank = 1;
    deliver(c, m);
    m = msg_of(MSG_BYE);
    snprintf(m->u.bye.reason, sizeof m->u.bye.reason, "shutdown");
    snprintf(m->u.bye.message, sizeof m->u.bye.message, "The host closed the server");
    deliver(c, m);
    client_on_lost(c, "the server closed the connection");
    assert_int_equal(c->scene, SCENE_END);
    assert_true(c->end.have_results);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_string_equal(c->notice, "The host closed the server");
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 0);
    ccf_free(c);
}

/* A clash offers the next port for this once; the default stays the player's port. */
static void test_host_clash_not_saved(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    c->settings.host_port = 9999;
    client_goto(c, SCENE_HOST);
    fake_host_t *h = fake_host(c);
    h->poll_result = -1;
    snprintf(h->poll_error, sizeof h->poll_error, "port 9999 is already in use");
    ccf_key(c, IN_CONFIRM); /* Start */
    ccf_run(c, 100, 50);
    assert_string_equal(c->host.port, "10000");
    assert_int_equal(c->settings.host_port, 9999);
    h->poll_result = 1;
    h->poll_port = 10000;
    ccf_key(c, IN_CONFIRM); /* Start on 10000 */
    assert_int_equal(h->start_port, 10000);
    assert_int_equal(c->settings.host_port, 9999);
    ccf_free(c);
}

/* Closing the window while hosting with others on the server asks first; closing it again
 * keeps the server running for them. Alone, it just quits. */
static void test_window_close_asks_the_host(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    session_hosting_started(&c->session, 9999);
    ccf_to_lobby(c, "kim");
    const char *names[] = {"kim", "lee"};
    recv_view(c, 2, names, "kim", 0, NULL, -1);
    assert_int_equal(client_others_on_server(c), 3); /* lee, and ann and bo in their round */
    client_request_quit(c);
    assert_true(c->host_leave_ask);
    assert_false(c->quit);
    ccf_key(c, IN_BACK); /* Cancel: nothing happens */
    assert_false(c->host_leave_ask);
    assert_false(c->quit);
    assert_int_equal(c->scene, SCENE_LOBBY);
    client_request_quit(c);
    client_request_quit(c); /* closed again: keep it running */
    assert_true(c->quit);
    assert_int_equal(fake_host(c)->ndetach, 1);
    assert_int_equal(fake_host(c)->nstop, 0);
    assert_string_equal(c->session.rejoin_token, "");
    assert_int_equal(c->session.rejoin_port, 9999);
    ccf_free(c);
    /* Alone on our server: no question. */
    c = ccf_client();
    session_hosting_started(&c->session, 9999);
    ccf_to_lobby(c, "kim");
    client_request_quit(c);
    assert_true(c->quit);
    assert_false(c->host_leave_ask);
    ccf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_features_and_secret),
        cmocka_unit_test(test_lobby_view),
        cmocka_unit_test(test_start_now),
        cmocka_unit_test(test_kick_dialog),
        cmocka_unit_test(test_bye_reason_on_the_menu),
        cmocka_unit_test(test_shutdown_keeps_the_results),
        cmocka_unit_test(test_host_clash_not_saved),
        cmocka_unit_test(test_window_close_asks_the_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
