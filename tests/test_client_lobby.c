/* test_client_lobby.c -- the username screen (pre-fill, refusal, retry, --username) and the lobby
 * (roster, chat, Leave) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client_core_fake.h"

static void to_username(client_t *c)
{
    client_connect(c, "localhost", 9999);
    client_on_connected(c);
    ccf_recv(c, MSG_LOGIN_PROMPT);
    assert_int_equal(c->scene, SCENE_USERNAME);
}

/* The name saved when it was last accepted is used without asking again. */
static void test_username_prefilled(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    snprintf(c->settings.username, sizeof c->settings.username, "Zoë");
    to_username(c);
    assert_string_equal(c->uname.name, "Zoë");
    ccf_run(c, 50, 50);
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 1); /* no question asked */
    ccf_run(c, 500, 50);
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 1); /* once */
    const msg_t *m = fake_net_last_msg(c, MSG_LOGIN);
    assert_non_null(m);
    assert_string_equal(m->u.login.username, "Zoë");
    assert_int_equal(m->u.login.version, PROTO_VERSION);
    /* party: the server view, kick, bye; social: notices, the board and chat from the other
     * rooms; countdown: the 3-2-1; watch: Watch a running group; replay: the round's replay at its
     * end */
    assert_int_equal(m->u.login.features, PROTO_FEATURE_PARTY | PROTO_FEATURE_SOCIAL |
                                              PROTO_FEATURE_COUNTDOWN | PROTO_FEATURE_WATCH |
                                              PROTO_FEATURE_REPLAY);
    assert_false(m->u.login.has_color); /* none chosen: the server picks from the name */
    ccf_free(c);
}

/* The colour chosen in Settings goes with the log in. */
static void test_login_sends_colour(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    snprintf(c->settings.username, sizeof c->settings.username, "bob");
    c->settings.color = 4;
    to_username(c);
    ccf_run(c, 50, 50);
    const msg_t *m = fake_net_last_msg(c, MSG_LOGIN);
    assert_non_null(m);
    assert_true(m->u.login.has_color);
    assert_int_equal(m->u.login.color, 4);
    ccf_free(c);
}

/* A refusal shows the server's words and lets the player fix the name and try again. */
static void test_username_refused_then_fixed(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    to_username(c);
    ccf_type(c, "alice");
    ccf_key(c, IN_CONFIRM);
    assert_true(c->uname.waiting);
    ccf_key(c, IN_CONFIRM); /* no second send while waiting */
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 1);
    ccf_recv_login_update(c, false, "username taken");
    assert_int_equal(c->scene, SCENE_USERNAME);
    assert_false(c->uname.waiting);
    assert_string_equal(c->uname.message, "username taken");
    assert_string_equal(c->session.username, "");
    ccf_type(c, "2");
    assert_string_equal(c->uname.message, ""); /* typing clears the old reason */
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 2);
    assert_string_equal(fake_net_last_msg(c, MSG_LOGIN)->u.login.username, "alice2");
    ccf_recv_login_update(c, true, "");
    assert_string_equal(c->session.username, "alice2");
    assert_string_equal(c->settings.username, "alice2"); /* remembered */
    ccf_recv(c, MSG_LOBBY);
    assert_int_equal(c->scene, SCENE_LOBBY);
    ccf_free(c);
}

/* Names the server would refuse are caught before sending, with the reason; spaces at either
 * end are trimmed. */
static void test_username_checked_locally(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    to_username(c);
    ccf_key(c, IN_CONFIRM); /* empty */
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 0);
    assert_true(strlen(c->uname.message) > 0);
    ccf_type(c, "   ");
    ccf_key(c, IN_CONFIRM); /* only spaces: empty once trimmed */
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 0);
    assert_true(strlen(c->uname.message) > 0);
    /* Spaces at either end are trimmed, not refused. */
    ccf_type(c, " bob ");
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 1);
    assert_string_equal(fake_net_last_msg(c, MSG_LOGIN)->u.login.username, "bob");
    ccf_free(c);
}

/* At most 16 code points can be typed; multi-byte characters count as one. */
static void test_username_length_limit(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    to_username(c);
    ccf_type(c, "ééééééééééééééééééééé"); /* 21 */
    assert_int_equal(strlen(c->uname.name), 16 * 2);
    ccf_key(c, IN_BACKSPACE);
    assert_int_equal(strlen(c->uname.name), 15 * 2);
    ccf_free(c);
}

/* --username NAME is submitted by itself. */
static void test_username_from_command_line(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    snprintf(c->cli_username, sizeof c->cli_username, "bob");
    to_username(c);
    ccf_run(c, 50, 50);
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 1);
    assert_string_equal(fake_net_last_msg(c, MSG_LOGIN)->u.login.username, "bob");
    ccf_run(c, 500, 50);
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 1); /* once */
    ccf_free(c);
}

/* --autoplay picks another name when its name is taken. */
static void test_username_autoplay_retry(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    c->autoplay = true;
    snprintf(c->cli_username, sizeof c->cli_username, "bot");
    to_username(c);
    ccf_run(c, 50, 50);
    ccf_recv_login_update(c, false, "username taken");
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 2);
    assert_string_equal(fake_net_last_msg(c, MSG_LOGIN)->u.login.username, "bot2");
    ccf_free(c);
}

/* --autoplay with a name the rules refuse still gets in, under a plain name. */
static void test_username_autoplay_bad_name(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    c->autoplay = true;
    snprintf(c->cli_username, sizeof c->cli_username, "    "); /* empty once trimmed */
    to_username(c);
    ccf_run(c, 50, 50);
    assert_int_equal(fake_net_count(c, MSG_LOGIN), 1);
    assert_string_equal(fake_net_last_msg(c, MSG_LOGIN)->u.login.username, "player1");
    ccf_free(c);
}

static void test_username_back_leaves(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    to_username(c);
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 1);
    assert_false(c->session.connected);
    ccf_free(c);
}

static void test_lobby_roster(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    assert_int_equal(c->scene, SCENE_LOBBY);
    char buf[64];
    lobby_status_text(&c->session, buf, sizeof buf);
    assert_string_equal(buf, "Joining...");
    const char *two[] = {"alice", "bob"};
    ccf_recv_lobby_update(c, 4, 2, two);
    lobby_count_text(&c->session, buf, sizeof buf);
    assert_string_equal(buf, "2 / 4");
    lobby_status_text(&c->session, buf, sizeof buf);
    assert_string_equal(buf, "Waiting for 2 more players");
    assert_true(client_scene(c)->ready(c));
    const char *three[] = {"alice", "bob", "carol"};
    ccf_recv_lobby_update(c, 4, 3, three);
    lobby_count_text(&c->session, buf, sizeof buf);
    assert_string_equal(buf, "3 / 4");
    lobby_status_text(&c->session, buf, sizeof buf);
    assert_string_equal(buf, "Waiting for 1 more player");
    ccf_recv_lobby_update(c, 4, 1, two);
    lobby_count_text(&c->session, buf, sizeof buf);
    assert_string_equal(buf, "1 / 4");
    assert_string_equal(c->session.players[0], "alice");
    ccf_free(c);
}

static void test_lobby_chat_send(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    ccf_type(c, "hello, bob!");
    ccf_key(c, IN_CONFIRM);
    const msg_t *m = fake_net_last_msg(c, MSG_CHAT_SEND);
    assert_non_null(m);
    assert_string_equal(m->u.chat_send.text, "hello, bob!");
    assert_string_equal(c->lobby.input, "");
    /* An empty or blank line is not sent. */
    ccf_key(c, IN_CONFIRM);
    ccf_type(c, "   ");
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_CHAT_SEND), 1);
    ccf_free(c);
}

/* The chat line holds at most PROTO_MAX_CHAT code points. */
static void test_lobby_chat_limit(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    for (int i = 0; i < PROTO_MAX_CHAT + 50; i++)
        ccf_type(c, i % 2 ? "ж" : "a");
    ccf_key(c, IN_CONFIRM);
    const msg_t *m = fake_net_last_msg(c, MSG_CHAT_SEND);
    assert_non_null(m);
    /* 100 'a' and 100 'ж' (two bytes each). */
    assert_int_equal(strlen(m->u.chat_send.text), PROTO_MAX_CHAT / 2 * 3);
    ccf_free(c);
}

/* Back from a round, the server says "welcome" again: the chat shows it once and then a plain
 * "back in the lobby" line, not a second welcome. */
static void test_lobby_welcome_once(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    ccf_recv(c, MSG_SELECT_WORLD);
    assert_int_equal(c->scene, SCENE_VOTE);
    msg_t *m = calloc(1, sizeof *m);
    assert_non_null(m);
    proto_init(m, MSG_LOBBY);
    snprintf(m->u.lobby.message, sizeof m->u.lobby.message, "welcome");
    client_on_message(c, m);
    free(m);
    assert_int_equal(c->scene, SCENE_LOBBY);
    assert_int_equal(c->session.nchat, 2);
    assert_string_equal(c->session.chat[0].text, "welcome");
    assert_string_equal(c->session.chat[1].from, "");
    assert_string_equal(c->session.chat[1].text, "back in the lobby");
    ccf_free(c);
}

static void test_lobby_chat_receive(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    /* "welcome" from the lobby message is the first line. */
    assert_int_equal(c->session.nchat, 1);
    assert_string_equal(c->session.chat[0].text, "welcome");
    assert_string_equal(c->session.chat[0].from, "");
    ccf_recv_chat(c, "bob", "hi alice");
    assert_int_equal(c->session.nchat, 2);
    assert_string_equal(c->session.chat[1].from, "bob");
    assert_string_equal(c->session.chat[1].text, "hi alice");
    /* The log is bounded: the oldest lines go. */
    for (int i = 0; i < SESSION_CHAT_LINES + 10; i++) {
        char text[32];
        snprintf(text, sizeof text, "line %d", i);
        ccf_recv_chat(c, "bob", text);
    }
    assert_int_equal(c->session.nchat, SESSION_CHAT_LINES);
    const session_line_t *newest =
        &c->session.chat[(c->session.chat_head + c->session.nchat - 1) % SESSION_CHAT_LINES];
    char want[32];
    snprintf(want, sizeof want, "line %d", SESSION_CHAT_LINES + 9);
    assert_string_equal(newest->text, want);
    ccf_free(c);
}

/* Leave: "quit", closed, back at the menu; Esc asks first by moving to Leave. */
static void test_lobby_leave(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_LOBBY);
    assert_int_equal(c->lobby.focus, LOBBY_ROW_LEAVE);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 1);
    assert_false(c->session.connected);
    ccf_free(c);
}

/* Leave by mouse (the button at the bottom left: x 40..340, y 576..624). */
static void test_lobby_leave_click(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "alice");
    ccf_click(c, 100, 600);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 1);
    ccf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_username_prefilled),
        cmocka_unit_test(test_login_sends_colour),
        cmocka_unit_test(test_username_refused_then_fixed),
        cmocka_unit_test(test_username_checked_locally),
        cmocka_unit_test(test_username_length_limit),
        cmocka_unit_test(test_username_from_command_line),
        cmocka_unit_test(test_username_autoplay_retry),
        cmocka_unit_test(test_username_autoplay_bad_name),
        cmocka_unit_test(test_username_back_leaves),
        cmocka_unit_test(test_lobby_roster),
        cmocka_unit_test(test_lobby_chat_send),
        cmocka_unit_test(test_lobby_chat_limit),
        cmocka_unit_test(test_lobby_chat_receive),
        cmocka_unit_test(test_lobby_welcome_once),
        cmocka_unit_test(test_lobby_leave),
        cmocka_unit_test(test_lobby_leave_click),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
