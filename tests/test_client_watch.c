/* test_client_watch.c -- the client's side of the watch feature without a window: Watch in the
 * lobby (keys and click), the watched round (no input sent, following a player or the whole
 * map), Esc back to the lobby with "unwatch", the end screen back to the lobby, "N watching" for
 * a player, and a refusal shown in the chat */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client_core_fake.h"
#include "game_watch.h"

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

/* The server view with one group, id 7, of ann and bo in a round. */
static void recv_view(client_t *c, int id)
{
    msg_t *m = msg_of(MSG_LOBBY_UPDATE);
    msg_lobby_update_t *u = &m->u.lobby_update;
    u->group_size = 4;
    u->nplayers = 1;
    snprintf(u->players[0], PROTO_USERNAME_SIZE, "lee");
    u->party = true;
    u->games = 1;
    u->ngroups = 1;
    u->groups[0].nplayers = 2;
    snprintf(u->groups[0].players[0], PROTO_USERNAME_SIZE, "ann");
    snprintf(u->groups[0].players[1], PROTO_USERNAME_SIZE, "bo");
    u->groups[0].phase = PROTO_PHASE_GAME;
    snprintf(u->groups[0].world, sizeof u->groups[0].world, "arena");
    u->groups[0].time_left_ms = 41500;
    u->groups[0].id = id;
    u->groups[0].watching = 2;
    deliver(c, m);
}

/* The round as a watcher gets it: "game start" with no "you", then a state. */
static void recv_round(client_t *c, const char *you)
{
    msg_t *m = msg_of(MSG_GAME_START);
    msg_game_start_t *gs = &m->u.game_start;
    snprintf(gs->world.name, sizeof gs->world.name, "box");
    gs->world.width = gs->world.height = 8;
    for (int r = 0; r < 8; r++)
        snprintf(gs->world.tiles[r], sizeof gs->world.tiles[r], "%s",
                 r == 0 || r == 7 ? "########"
                 : r == 1         ? "#S....S#"
                                  : "#..c...#");
    gs->nplayers = 2;
    snprintf(gs->players[0].username, PROTO_USERNAME_SIZE, "ann");
    snprintf(gs->players[1].username, PROTO_USERNAME_SIZE, "bo");
    snprintf(gs->you, sizeof gs->you, "%s", you);
    gs->tick_rate = 30;
    gs->duration = 30;
    deliver(c, m);
    m = msg_of(MSG_STATE);
    msg_state_t *st = &m->u.state;
    st->tick = 40;
    st->time_left_ms = 20000;
    st->nplayers = 2;
    snprintf(st->players[0].username, PROTO_USERNAME_SIZE, "ann");
    st->players[0].x = st->players[0].y = 1500;
    st->players[0].score = 3;
    snprintf(st->players[1].username, PROTO_USERNAME_SIZE, "bo");
    st->players[1].x = 6500;
    st->players[1].y = 1500;
    st->players[1].score = 1;
    deliver(c, m);
}

/* Watch by keyboard: the group's id goes out, the round shows, no input is sent even with keys
 * held, Left/Right and digits follow players, Esc goes back to the lobby with "unwatch". */
static void test_watch_by_keys_and_esc(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "lee");
    recv_view(c, 7);
    char text[256];
    lobby_group_text(&c->session, 0, c->now_ms, text, sizeof text);
    assert_string_equal(text, "arena · 0:42 left · ann, bo · 2 watching");
    ccf_key(c, IN_UP); /* from the chat line up to Watch */
    assert_int_equal(c->lobby.focus, LOBBY_ROW_WATCH);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_WATCH), 1);
    assert_int_equal(fake_net_last_msg(c, MSG_WATCH)->u.watch.group, 7);
    recv_round(c, "");
    assert_int_equal(c->scene, SCENE_GAME);
    assert_true(c->game.watching);
    if (!c->game.started)
        fail_msg("the world did not load: %s", c->game.notice);
    assert_int_equal(c->game.me, -1);
    c->held.dx = 1;
    ccf_run(c, 500, 16);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 0);
    assert_null(game_watch_followed(c));
    ccf_key(c, IN_RIGHT);
    assert_string_equal(game_watch_followed(c), "ann"); /* first on the board */
    ccf_type(c, "2");
    assert_string_equal(game_watch_followed(c), "bo");
    ccf_key(c, IN_RIGHT);
    assert_null(game_watch_followed(c)); /* past the last: the whole map */
    ccf_key(c, IN_BACK);
    assert_int_equal(fake_net_count(c, MSG_UNWATCH), 1);
    assert_int_equal(c->scene, SCENE_LOBBY);
    ccf_free(c);
}

/* Watch by a click; the end screen's Continue goes back to the lobby without "continue"; a
 * refusal shows in the chat. */
static void test_watch_by_click_to_the_end(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "lee");
    recv_view(c, 9);
    /* The Watch button: right of the group's line, top right of the lobby. */
    bool hit = false;
    for (int x = c->view_w - 140; x < c->view_w && !hit; x += 8)
        for (int y = 100; y < 260 && !hit; y += 4) {
            ccf_click(c, x, y);
            hit = fake_net_count(c, MSG_WATCH) > 0;
        }
    assert_true(hit);
    assert_int_equal(fake_net_last_msg(c, MSG_WATCH)->u.watch.group, 9);
    recv_round(c, "");
    assert_true(c->game.watching);
    msg_t *m = msg_of(MSG_FINISH);
    snprintf(m->u.fin.world, sizeof m->u.fin.world, "box");
    m->u.fin.nresults = 2;
    snprintf(m->u.fin.results[0].username, PROTO_USERNAME_SIZE, "ann");
    m->u.fin.results[0].rank = 1;
    m->u.fin.results[0].score = 3;
    snprintf(m->u.fin.results[1].username, PROTO_USERNAME_SIZE, "bo");
    m->u.fin.results[1].rank = 2;
    m->u.fin.results[1].score = 1;
    deliver(c, m);
    assert_int_equal(c->scene, SCENE_END);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_LOBBY);
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 0);
    /* Refused: why, in the chat. */
    recv_view(c, 9);
    ccf_key(c, IN_UP);
    ccf_key(c, IN_CONFIRM);
    m = msg_of(MSG_WATCH_REPLY);
    m->u.watch_reply.group = 9;
    snprintf(m->u.watch_reply.message, sizeof m->u.watch_reply.message, "that round is over");
    deliver(c, m);
    assert_int_equal(c->lobby.watch_group, 0);
    assert_int_equal(c->scene, SCENE_LOBBY);
    ccf_free(c);
}

/* A player's round: "you" is set, so it plays (not watching), and sees how many watch. */
static void test_player_sees_watchers(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_to_lobby(c, "ann");
    recv_round(c, "ann");
    assert_false(c->game.watching);
    msg_t *m = msg_of(MSG_WATCHERS);
    m->u.watchers.count = 3;
    deliver(c, m);
    assert_int_equal(c->game.watchers, 3);
    /* A group without an id (a server without the feature): no Watch to focus. */
    client_goto(c, SCENE_LOBBY);
    recv_view(c, 0);
    ccf_key(c, IN_UP);
    assert_int_not_equal(c->lobby.focus, LOBBY_ROW_WATCH);
    ccf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_watch_by_keys_and_esc),
        cmocka_unit_test(test_watch_by_click_to_the_end),
        cmocka_unit_test(test_player_sees_watchers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
