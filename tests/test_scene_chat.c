/* test_scene_chat.c -- chat over the vote, the round and the end screen without a window: the box
 * opens, Enter sends and Esc cancels without voting, continuing or moving; fading; the limit;
 * system lines; the evening's board (kept by the session, Tab over a round); and the round's own
 * keys (M mutes, Space dashes, arrows move) kept out of a line being typed */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chatbox.h"
#include "game_fake.h"

static const char *const ROOM[] = {
    "########", "#S....S#", "#......#", "#..c...#", "#......#", "#......#", "#S....S#", "########",
};

static void expect_sent_chat(client_t *c, int count, const char *text)
{
    assert_int_equal(fake_net_count(c, MSG_CHAT_SEND), count);
    const msg_t *m = fake_net_last_msg(c, MSG_CHAT_SEND);
    assert_non_null(m);
    assert_string_equal(m->u.chat_send.text, text);
}

static void test_vote_chat(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    msg_t *m = fake_select_world(3, 15);
    client_on_message(c, m);
    free(m);
    /* Typing opens the box with what was typed; arrows and Enter are the box's then. */
    fake_type(c, "arena?");
    assert_true(chatbox_is_open(c));
    assert_string_equal(c->chatbox.input, "arena?");
    c->nsfx = 0;
    fake_key(c, IN_RIGHT);
    assert_int_equal(c->vote.focus, 0);
    assert_int_equal(c->nsfx, 0); /* no menu click for a key the line took */
    fake_key(c, IN_CONFIRM);
    expect_sent_chat(c, 1, "arena?");
    assert_int_equal(fake_net_count(c, MSG_VOTE), 0);
    assert_false(chatbox_is_open(c));
    /* Esc cancels a line: nothing goes out, and the next Enter votes again. */
    fake_type(c, "oops");
    fake_key(c, IN_BACK);
    assert_false(chatbox_is_open(c));
    assert_string_equal(c->chatbox.input, "");
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_CHAT_SEND), 1);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    /* A line of spaces is not sent. */
    fake_type(c, "   ");
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_CHAT_SEND), 1);
    fake_client_free(c);
}

static client_t *round_client(void)
{
    client_t *c = fake_client("alice");
    msg_t *m = fake_game_start(ROOM, 8, "alice", 2);
    client_on_message(c, m);
    free(m);
    assert_int_equal(c->scene, SCENE_GAME);
    return c;
}

/* T opens the box and is not typed; the player stands while typing, even with a key held;
 * Enter sends, and moving resumes. */
static void test_round_chat_stops_the_player(void **state)
{
    (void)state;
    client_t *c = round_client();
    c->held.dx = 1;
    fake_run(c, 200, 16);
    assert_int_equal(fake_net_last(c, MSG_INPUT)->dx, 1);
    fake_type(c, "w"); /* other letters steer, they do not open the box */
    assert_false(chatbox_is_open(c));
    fake_type(c, "T");
    assert_true(chatbox_is_open(c));
    assert_string_equal(c->chatbox.input, "");
    fake_run(c, 200, 16);
    assert_int_equal(fake_net_last(c, MSG_INPUT)->dx, 0);
    int inputs = fake_net_count(c, MSG_INPUT);
    fake_run(c, 300, 16);
    assert_int_equal(fake_net_count(c, MSG_INPUT), inputs); /* standing: nothing more */
    fake_type(c, "wasd t");
    fake_key(c, IN_BACKSPACE);
    assert_string_equal(c->chatbox.input, "wasd ");
    fake_type(c, "go");
    fake_key(c, IN_CONFIRM);
    expect_sent_chat(c, 1, "wasd go");
    assert_false(chatbox_is_open(c));
    fake_run(c, 100, 16);
    assert_int_equal(fake_net_last(c, MSG_INPUT)->dx, 1);
    /* Esc closes the box before it asks to leave the round. */
    fake_type(c, "t");
    fake_key(c, IN_BACK);
    assert_false(chatbox_is_open(c));
    assert_false(c->game.confirm_leave);
    fake_key(c, IN_BACK);
    assert_true(c->game.confirm_leave);
    fake_client_free(c);
}

/* Over a round a line shows CHATBOX_SHOW_MS, then fades out; all show while typing. */
static void test_round_chat_fades(void **state)
{
    (void)state;
    client_t *c = round_client();
    msg_t m;
    proto_init(&m, MSG_CHAT);
    strcpy(m.u.chat.from, "bob");
    strcpy(m.u.chat.text, "gl");
    client_on_message(c, &m);
    uint32_t at = session_chat_line(&c->session, c->session.nchat - 1)->at_ms;
    assert_int_equal(at, c->now_ms);
    assert_int_equal(chatbox_line_alpha(c, at, true), 255);
    fake_run(c, CHATBOX_SHOW_MS + CHATBOX_FADE_MS / 2, 16);
    int mid = chatbox_line_alpha(c, at, true);
    assert_in_range(mid, 1, 254);
    assert_int_equal(chatbox_line_alpha(c, at, false), 255); /* the vote and end screen: no fade */
    fake_run(c, CHATBOX_FADE_MS, 16);
    assert_int_equal(chatbox_line_alpha(c, at, true), 0);
    fake_type(c, "t");
    assert_int_equal(chatbox_line_alpha(c, at, true), 255);
    fake_client_free(c);
}

static void test_end_chat(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_FINISH);
    strcpy(m->u.fin.world, "arena");
    m->u.fin.nresults = 1;
    strcpy(m->u.fin.results[0].username, "alice");
    m->u.fin.results[0].rank = 1;
    client_on_message(c, m);
    free(m);
    assert_int_equal(c->scene, SCENE_END);
    fake_type(c, "gg");
    fake_key(c, IN_CONFIRM);
    expect_sent_chat(c, 1, "gg");
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 0);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 1);
    fake_client_free(c);
}

/* The box takes PROTO_MAX_CHAT characters (é is one), says when it is full, and sends them all:
 * nothing is cut on the way. */
static void test_chat_limit(void **state)
{
    (void)state;
    client_t *c = round_client();
    fake_type(c, "t");
    for (int i = 0; i < PROTO_MAX_CHAT - 1; i++)
        fake_type(c, "x");
    assert_int_equal(chatbox_chars_left(c), 1);
    fake_type(c, "\xc3\xa9");
    assert_int_equal(chatbox_chars_left(c), 0);
    fake_type(c, "yz"); /* refused: the line is full and the box says so */
    assert_int_equal(chatbox_chars_left(c), 0);
    fake_key(c, IN_CONFIRM);
    const msg_t *m = fake_net_last_msg(c, MSG_CHAT_SEND);
    assert_non_null(m);
    assert_int_equal(strlen(m->u.chat_send.text), PROTO_MAX_CHAT - 1 + 2);
    assert_non_null(strstr(m->u.chat_send.text, "x\xc3\xa9"));
    fake_client_free(c);
}

/* System lines land in the log as the server's own, whichever scene shows. */
static void test_notice_in_log(void **state)
{
    (void)state;
    client_t *c = round_client();
    msg_t m;
    proto_init(&m, MSG_NOTICE);
    strcpy(m.u.notice.text, "bob left");
    client_on_message(c, &m);
    const session_line_t *l = session_chat_line(&c->session, c->session.nchat - 1);
    assert_string_equal(l->from, "");
    assert_string_equal(l->text, "bob left");
    fake_client_free(c);
}

static void recv_evening(client_t *c)
{
    msg_t m;
    proto_init(&m, MSG_EVENING);
    m.u.evening.nrows = 2;
    m.u.evening.rows[0] = (proto_evening_row_t){"Bob", 3, 2, 19};
    m.u.evening.rows[1] = (proto_evening_row_t){"alice", 3, 1, 12};
    client_on_message(c, &m);
}

/* The board is the session's, whichever scene shows; names match as the server's do. */
static void test_evening_in_session(void **state)
{
    (void)state;
    client_t *c = round_client();
    assert_false(c->session.have_evening);
    assert_null(session_evening_row(&c->session, "bob"));
    recv_evening(c);
    assert_true(c->session.have_evening);
    const proto_evening_row_t *r = session_evening_row(&c->session, "bob");
    assert_non_null(r);
    assert_int_equal(r->won, 2);
    assert_int_equal(session_evening_row(&c->session, "ALICE")->points, 12);
    assert_null(session_evening_row(&c->session, "carol"));
    /* A new connection forgets it. */
    session_begin(&c->session, "127.0.0.1", 9999);
    assert_false(c->session.have_evening);
    fake_client_free(c);
}

/* Tab shows the board over the round and hides it again; not while typing a chat line. */
static void test_tab_board(void **state)
{
    (void)state;
    client_t *c = round_client();
    fake_key(c, IN_TAB);
    assert_true(c->game.show_board);
    fake_key(c, IN_TAB);
    assert_false(c->game.show_board);
    fake_type(c, "t");
    fake_key(c, IN_TAB);
    assert_false(c->game.show_board);
    fake_client_free(c);
}

/* The round's keys and the box do not fight: while a line is typed, M is a letter (no mute),
 * Space is a space (no dash, then or after the box closes) and the arrows neither move nor click;
 * once the box is closed M mutes again and the keys play. */
static void test_round_keys_wait_while_typing(void **state)
{
    (void)state;
    client_t *c = round_client();
    fake_run(c, 100, 16);
    int inputs = fake_net_count(c, MSG_INPUT);
    fake_type(c, "t");
    assert_true(chatbox_is_open(c));
    c->nsfx = 0;
    fake_type(c, "Mm");
    assert_false(c->settings.muted);
    assert_int_equal(c->game.mute_ms, 0);
    /* Space as the platform sees it: a press counted for the dash, and a typed space. */
    c->held.dash = true;
    c->held.dash_presses++;
    fake_type(c, " ");
    c->held.dx = -1;
    fake_key(c, IN_LEFT);
    fake_key(c, IN_UP);
    fake_run(c, 200, 16);
    c->held.dash = false;
    c->held.dx = 0;
    fake_type(c, "e");
    assert_string_equal(c->chatbox.input, "Mm e");
    assert_int_equal(fake_net_count(c, MSG_INPUT), inputs); /* standing, no dash */
    for (int i = 0; i < c->nsfx; i++)
        assert_true(c->sfx[i].sound != SFX_UI_MOVE && c->sfx[i].sound != SFX_NOT_READY);
    fake_key(c, IN_CONFIRM);
    expect_sent_chat(c, 1, "Mm e");
    assert_false(chatbox_is_open(c));
    /* The Space typed in the line does not dash once the box has closed. */
    fake_run(c, 200, 16);
    for (int i = 0; i < fake_net(c)->nsent && i < FAKE_NET_MAX_SENT; i++)
        if (fake_net(c)->sent[i].type == MSG_INPUT)
            assert_false(fake_net(c)->sent[i].dash);
    /* Closed: M mutes and unmutes, Space dashes. */
    fake_type(c, "m");
    assert_true(c->settings.muted);
    assert_true(c->game.mute_ms != 0);
    fake_type(c, "M");
    assert_false(c->settings.muted);
    fake_net_clear(c);
    c->held.dash_presses++;
    fake_run(c, 100, 16);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 2); /* the press, then the release */
    assert_true(fake_net(c)->sent[0].dash);
    fake_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vote_chat),
        cmocka_unit_test(test_round_chat_stops_the_player),
        cmocka_unit_test(test_round_chat_fades),
        cmocka_unit_test(test_end_chat),
        cmocka_unit_test(test_chat_limit),
        cmocka_unit_test(test_notice_in_log),
        cmocka_unit_test(test_evening_in_session),
        cmocka_unit_test(test_tab_board),
        cmocka_unit_test(test_round_keys_wait_while_typing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
