/* test_client_resume.c -- the client's reconnect loop without a window or a socket (the
 * recording network): the frozen scene, the token at login, Cancel, giving up after 30 s, a
 * watcher in the lobby */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game_fake.h"

static const char *const ROOM[] = {"##########", "#S......S#", "#..c..c..#", "#........#",
                                   "#S......S#", "#........#", "#..c..c..#", "##########"};
#define TOKEN "00112233445566778899aabbccddeeff"

/* alice, in a round, with a token from her login. */
static client_t *in_round(void)
{
    client_t *c = fake_client("alice");
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_LOGIN_UPDATE);
    m->u.login_update.accepted = true;
    snprintf(m->u.login_update.resume, sizeof m->u.login_update.resume, TOKEN);
    client_on_message(c, m);
    free(m);
    m = fake_game_start(ROOM, 8, "alice", 2);
    client_on_message(c, m);
    free(m);
    assert_int_equal(c->scene, SCENE_GAME);
    assert_string_equal(c->session.resume_token, TOKEN);
    return c;
}

static void test_a_drop_in_a_round_reconnects_with_the_token(void **state)
{
    (void)state;
    client_t *c = in_round();
    int connects = fake_net(c)->nconnect;
    client_on_lost(c, "the server closed the connection");
    assert_true(c->session.reconnecting);
    assert_int_equal(c->scene, SCENE_GAME); /* frozen, not the menu */
    fake_run(c, 2500, 16);
    assert_true(fake_net(c)->nconnect >= connects + 2); /* one attempt a second */
    client_on_connected(c);
    msg_t m;
    proto_init(&m, MSG_LOGIN_PROMPT);
    client_on_message(c, &m);
    assert_int_equal(c->scene, SCENE_GAME); /* the greeting does not open the name screen */
    const msg_t *login = fake_net_last_msg(c, MSG_LOGIN);
    assert_non_null(login);
    assert_string_equal(login->u.login.username, "alice");
    assert_true(login->u.login.resume_sent);
    assert_string_equal(login->u.login.resume, TOKEN);
    proto_init(&m, MSG_LOGIN_UPDATE);
    m.u.login_update.accepted = true;
    snprintf(m.u.login_update.resume, sizeof m.u.login_update.resume, TOKEN);
    client_on_message(c, &m);
    assert_false(c->session.reconnecting);
    msg_t *gs = fake_game_start(ROOM, 8, "alice", 2);
    client_on_message(c, gs);
    free(gs);
    assert_int_equal(c->scene, SCENE_GAME);
    fake_client_free(c);
}

static void test_cancel_goes_to_the_menu(void **state)
{
    (void)state;
    client_t *c = in_round();
    client_on_lost(c, "gone");
    fake_key(c, IN_BACK);
    assert_false(c->session.reconnecting);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_non_null(strstr(c->notice, "cancelled"));
    fake_client_free(c);
}

static void test_it_gives_up_after_30_s(void **state)
{
    (void)state;
    client_t *c = in_round();
    client_on_lost(c, "gone");
    fake_run(c, SESSION_RECONNECT_MS - 1000, 50);
    assert_true(c->session.reconnecting);
    fake_run(c, 2000, 50);
    assert_false(c->session.reconnecting);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_non_null(strstr(c->notice, "within 30 s"));
    fake_client_free(c);
}

static void test_a_refused_resume_goes_to_the_menu_with_the_reason(void **state)
{
    (void)state;
    client_t *c = in_round();
    client_on_lost(c, "gone");
    fake_run(c, 100, 16);
    client_on_connected(c);
    msg_t m;
    proto_init(&m, MSG_LOGIN_UPDATE);
    m.u.login_update.accepted = false;
    snprintf(m.u.login_update.message, sizeof m.u.login_update.message, "username taken");
    client_on_message(c, &m);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_non_null(strstr(c->notice, "username taken"));
    fake_client_free(c);
}

/* In the lobby there is no place to keep: a drop is lost at once, as before. */
static void test_a_drop_in_the_lobby_is_lost(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    msg_t m;
    proto_init(&m, MSG_LOBBY);
    client_on_message(c, &m);
    client_on_lost(c, "gone");
    assert_false(c->session.reconnecting);
    assert_int_equal(c->scene, SCENE_MENU);
    fake_client_free(c);
}

/* "try again" (the server still lets the old connection go): the loop goes on. */
/* Watching a group that still votes, the lobby shows: the server keeps a watcher's place, so a
 * drop there reconnects too; a "watch end" after the resume (that round ended meanwhile) is
 * said in the chat, and the lobby watches nothing any more. */
static void test_a_drop_while_watching_from_the_lobby_reconnects(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    msg_t m;
    proto_init(&m, MSG_LOGIN_UPDATE);
    m.u.login_update.accepted = true;
    snprintf(m.u.login_update.resume, sizeof m.u.login_update.resume, TOKEN);
    client_on_message(c, &m);
    proto_init(&m, MSG_LOBBY);
    client_on_message(c, &m);
    c->lobby.watch_group = 3; /* Watch pressed; the server accepted it during the vote */
    client_on_lost(c, "gone");
    assert_true(c->session.reconnecting);
    assert_int_equal(c->scene, SCENE_LOBBY);
    fake_run(c, 100, 16);
    client_on_connected(c);
    proto_init(&m, MSG_LOGIN_PROMPT);
    client_on_message(c, &m);
    proto_init(&m, MSG_LOGIN_UPDATE);
    m.u.login_update.accepted = true;
    snprintf(m.u.login_update.resume, sizeof m.u.login_update.resume, TOKEN);
    client_on_message(c, &m);
    assert_false(c->session.reconnecting);
    proto_init(&m, MSG_WATCH_END);
    snprintf(m.u.watch_end.message, sizeof m.u.watch_end.message,
             "the round you watched ended while you were away");
    client_on_message(c, &m);
    assert_int_equal(c->scene, SCENE_LOBBY);
    assert_int_equal(c->lobby.watch_group, 0);
    const session_line_t *last = session_chat_line(&c->session, c->session.nchat - 1);
    assert_string_equal(last->text, "the round you watched ended while you were away");
    fake_client_free(c);
}

static void test_try_again_keeps_reconnecting(void **state)
{
    (void)state;
    client_t *c = in_round();
    client_on_lost(c, "gone");
    fake_run(c, 100, 16);
    client_on_connected(c);
    int connects = fake_net(c)->nconnect;
    msg_t m;
    proto_init(&m, MSG_LOGIN_UPDATE);
    m.u.login_update.accepted = false;
    snprintf(m.u.login_update.message, sizeof m.u.login_update.message,
             "username taken (still leaving: try again)");
    client_on_message(c, &m);
    assert_true(c->session.reconnecting);
    assert_int_equal(c->scene, SCENE_GAME);
    fake_run(c, 1100, 16);
    assert_true(fake_net(c)->nconnect > connects);
    fake_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_drop_in_a_round_reconnects_with_the_token),
        cmocka_unit_test(test_cancel_goes_to_the_menu),
        cmocka_unit_test(test_it_gives_up_after_30_s),
        cmocka_unit_test(test_a_refused_resume_goes_to_the_menu_with_the_reason),
        cmocka_unit_test(test_a_drop_in_the_lobby_is_lost),
        cmocka_unit_test(test_a_drop_while_watching_from_the_lobby_reconnects),
        cmocka_unit_test(test_try_again_keeps_reconnecting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
