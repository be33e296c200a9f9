/* test_scene_vote.c -- the world vote scene without a window: tally, countdown, voting by key and
 * click, "ignored" and changing your vote, autoplay, the group's players, Esc asking to leave, a
 * host's count of the others in its group */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game_fake.h"

static client_t *vote_client(int nworlds, int timeout)
{
    client_t *c = fake_client("alice");
    msg_t *m = fake_select_world(nworlds, timeout);
    client_on_message(c, m);
    free(m);
    return c;
}

static void reply(client_t *c, bool considered)
{
    msg_t m;
    proto_init(&m, MSG_VOTE_REPLY);
    m.u.vote_reply.considered = considered;
    client_on_message(c, &m);
}

static void test_select_world_opens_the_vote(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    assert_false(scene_vote.ready(c));
    msg_t *m = fake_select_world(3, 15);
    client_on_message(c, m);
    free(m);
    assert_int_equal(c->scene, SCENE_VOTE);
    assert_string_equal(client_scene(c)->name, "select");
    assert_true(client_scene(c)->ready(c));
    assert_int_equal(c->vote.sel.nworlds, 3);
    assert_string_equal(c->vote.sel.worlds[2].name, "world2");
    assert_int_equal(c->vote.voted, -1);
    fake_client_free(c);
}

static void test_countdown(void **state)
{
    (void)state;
    client_t *c = vote_client(3, 15);
    assert_int_equal(vote_seconds_left(c), 15);
    fake_run(c, 5000, 16);
    assert_int_equal(vote_seconds_left(c), 10);
    fake_run(c, 9500, 16);
    assert_int_equal(vote_seconds_left(c), 1);
    fake_run(c, 2000, 16);
    assert_int_equal(vote_seconds_left(c), 0); /* never negative */
    fake_client_free(c);
}

static void test_tally(void **state)
{
    (void)state;
    client_t *c = vote_client(3, 15);
    msg_t m;
    proto_init(&m, MSG_VOTES);
    m.u.votes.ncounts = 3;
    m.u.votes.counts[0] = 1;
    m.u.votes.counts[2] = 2;
    client_on_message(c, &m);
    assert_int_equal(c->vote.counts[0], 1);
    assert_int_equal(c->vote.counts[1], 0);
    assert_int_equal(c->vote.counts[2], 2);
    assert_int_equal(c->vote.total_votes, 3);
    /* A tally longer than the worlds offered is cut, not trusted. */
    m.u.votes.ncounts = 5;
    m.u.votes.counts[3] = 7;
    m.u.votes.counts[4] = 7;
    client_on_message(c, &m);
    assert_int_equal(c->vote.total_votes, 3);
    fake_client_free(c);
}

static void test_vote_ignored_and_change(void **state)
{
    (void)state;
    client_t *c = vote_client(3, 15);
    fake_key(c, IN_RIGHT);
    assert_int_equal(c->vote.focus, 1);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    assert_int_equal(fake_net_last(c, MSG_VOTE)->vote_index, 1);
    assert_int_equal(c->vote.pending, 1);
    /* One vote in flight at a time. */
    fake_key(c, IN_RIGHT);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    reply(c, true);
    assert_int_equal(c->vote.voted, 1);
    assert_int_equal(c->vote.pending, -1);

    /* Voting for the same world again sends nothing. */
    fake_key(c, IN_LEFT);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);

    /* Changing your mind: the server ignores it, your vote stays, you may try again. */
    fake_key(c, IN_RIGHT);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 2);
    assert_int_equal(fake_net_last(c, MSG_VOTE)->vote_index, 2);
    reply(c, false);
    assert_true(c->vote.ignored);
    assert_int_equal(c->vote.voted, 1);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 3);
    reply(c, true);
    assert_int_equal(c->vote.voted, 2);
    assert_false(c->vote.ignored);

    /* A reply nobody asked for changes nothing. */
    reply(c, true);
    assert_int_equal(c->vote.voted, 2);
    fake_client_free(c);
}

static void test_unanswered_vote_unlocks(void **state)
{
    (void)state;
    client_t *c = vote_client(2, 15);
    fake_key(c, IN_CONFIRM);
    fake_key(c, IN_RIGHT);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    fake_run(c, VOTE_REPLY_TIMEOUT_MS + 100, 16);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 2);
    assert_int_equal(fake_net_last(c, MSG_VOTE)->vote_index, 1);
    fake_client_free(c);
}

static void test_click_votes(void **state)
{
    (void)state;
    client_t *c = vote_client(3, 15);
    int x, y, w, h;
    vote_card_rect(c, 2, &x, &y, &w, &h);
    assert_true(w > 0 && h > 0);
    fake_click(c, x + w / 2, y + h / 2);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    assert_int_equal(fake_net_last(c, MSG_VOTE)->vote_index, 2);
    assert_int_equal(c->vote.focus, 2);
    /* Cards do not overlap and stay on screen. */
    for (int i = 0; i < 3; i++) {
        int xi, yi, wi, hi;
        vote_card_rect(c, i, &xi, &yi, &wi, &hi);
        assert_true(xi >= 0 && xi + wi <= UI_VIEW_MIN_W);
        assert_true(yi >= 0 && yi + hi <= UI_VIEW_H);
        if (i > 0) {
            int xp, yp, wp, hp;
            vote_card_rect(c, i - 1, &xp, &yp, &wp, &hp);
            assert_true(xp + wp <= xi || yp + hp <= yi);
        }
    }
    /* A click between cards votes for nothing. */
    fake_click(c, 2, 2);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    fake_client_free(c);
}

static void test_many_worlds_layout(void **state)
{
    (void)state;
    client_t *c = vote_client(PROTO_MAX_WORLDS, 15);
    for (int i = 0; i < PROTO_MAX_WORLDS; i++) {
        int x, y, w, h;
        vote_card_rect(c, i, &x, &y, &w, &h);
        assert_true(w > 40 && h > 40);
        assert_true(x >= 0 && x + w <= UI_VIEW_MIN_W);
        assert_true(y + h <= UI_VIEW_H);
    }
    /* Arrows move by one, up and down by a row, without leaving the grid. */
    int cols = vote_columns(c);
    fake_key(c, IN_DOWN);
    assert_int_equal(c->vote.focus, cols);
    fake_key(c, IN_UP);
    fake_key(c, IN_UP);
    assert_int_equal(c->vote.focus, 0);
    fake_key(c, IN_LEFT);
    assert_int_equal(c->vote.focus, PROTO_MAX_WORLDS - 1);
    fake_client_free(c);
}

static void test_autoplay_votes_for_the_first(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    c->autoplay = true;
    msg_t *m = fake_select_world(3, 15);
    client_on_message(c, m);
    free(m);
    fake_run(c, VOTE_AUTOPLAY_DELAY_MS / 2, 16);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 0);
    fake_run(c, VOTE_AUTOPLAY_DELAY_MS, 16);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    assert_int_equal(fake_net_last(c, MSG_VOTE)->vote_index, 0);
    reply(c, true);
    fake_run(c, 5000, 16);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    fake_client_free(c);
}

static void test_no_worlds(void **state)
{
    (void)state;
    client_t *c = vote_client(0, 15);
    fake_key(c, IN_CONFIRM);
    fake_key(c, IN_RIGHT);
    fake_click(c, 100, 200);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 0);
    fake_client_free(c);
}

/* The group's chat goes to the session's log, which the vote screen shows (chatbox.c). */
static void test_chat_lines(void **state)
{
    (void)state;
    client_t *c = vote_client(2, 15);
    msg_t m;
    proto_init(&m, MSG_CHAT);
    for (int i = 0; i < 7; i++) {
        snprintf(m.u.chat.from, sizeof m.u.chat.from, "bob");
        snprintf(m.u.chat.text, sizeof m.u.chat.text, "line %d", i);
        client_on_message(c, &m);
    }
    assert_int_equal(c->session.nchat, 7);
    assert_string_equal(session_chat_line(&c->session, 6)->text, "line 6");
    fake_client_free(c);
}

/* The group's players and their votes, as the server says; a bad count is clamped. */
static void test_group_shown(void **state)
{
    (void)state;
    client_t *c = vote_client(2, 15);
    assert_false(c->vote.have_group);
    msg_t m;
    proto_init(&m, MSG_GROUP);
    m.u.group.nplayers = 3;
    strcpy(m.u.group.players[0].username, "alice");
    strcpy(m.u.group.players[1].username, "bob");
    m.u.group.players[1].voted = true;
    strcpy(m.u.group.players[2].username, "carol");
    m.u.group.players[2].left = true;
    client_on_message(c, &m);
    assert_true(c->vote.have_group);
    assert_int_equal(c->vote.group.nplayers, 3);
    assert_true(c->vote.group.players[1].voted);
    assert_true(c->vote.group.players[2].left);
    m.u.group.nplayers = 99;
    client_on_message(c, &m);
    assert_int_equal(c->vote.group.nplayers, PROTO_MAX_PLAYERS);
    fake_client_free(c);
}

/* A host in the vote counts its group's players still in it as others on the server (the round
 * of "game start" is yet to come): closing asks whether to keep the server for them, and asks no
 * more once they have all left the group. Before the group's "group", it asks anyway. */
static void test_host_in_the_vote_counts_its_group(void **state)
{
    (void)state;
    client_t *c = vote_client(2, 15);
    c->session.hosting = true;
    assert_true(client_others_on_server(c) > 0);
    msg_t m;
    proto_init(&m, MSG_GROUP);
    m.u.group.nplayers = 3;
    strcpy(m.u.group.players[0].username, "alice");
    strcpy(m.u.group.players[1].username, "bob");
    strcpy(m.u.group.players[2].username, "carol");
    client_on_message(c, &m);
    assert_int_equal(client_others_on_server(c), 2);
    assert_true(client_leave_asks_host(c));
    m.u.group.players[1].left = true;
    m.u.group.players[2].left = true;
    client_on_message(c, &m);
    assert_int_equal(client_others_on_server(c), 0);
    assert_false(client_leave_asks_host(c));
    fake_client_free(c);
}

/* Esc asks before leaving: Esc again stays (and votes go on), Enter leaves the server. A chat
 * line being typed takes the first Esc. */
static void test_esc_asks_to_leave(void **state)
{
    (void)state;
    client_t *c = vote_client(2, 15);
    fake_type(c, "hm");
    fake_key(c, IN_BACK);
    assert_false(c->vote.confirm_leave); /* closed the chat line */
    fake_key(c, IN_BACK);
    assert_true(c->vote.confirm_leave);
    fake_key(c, IN_RIGHT); /* nothing else while asking */
    assert_int_equal(c->vote.focus, 0);
    fake_key(c, IN_BACK);
    assert_false(c->vote.confirm_leave);
    assert_int_equal(c->scene, SCENE_VOTE);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_VOTE), 1);
    fake_key(c, IN_BACK);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 1);
    fake_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_world_opens_the_vote),
        cmocka_unit_test(test_countdown),
        cmocka_unit_test(test_tally),
        cmocka_unit_test(test_vote_ignored_and_change),
        cmocka_unit_test(test_unanswered_vote_unlocks),
        cmocka_unit_test(test_click_votes),
        cmocka_unit_test(test_many_worlds_layout),
        cmocka_unit_test(test_autoplay_votes_for_the_first),
        cmocka_unit_test(test_no_worlds),
        cmocka_unit_test(test_chat_lines),
        cmocka_unit_test(test_group_shown),
        cmocka_unit_test(test_esc_asks_to_leave),
        cmocka_unit_test(test_host_in_the_vote_counts_its_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
