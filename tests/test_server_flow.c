/* test_server_flow.c -- the real server over loopback: login, lobby, vote, game, fin and back,
 * status, chat */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_server_helpers.h"

/* Two players from login to the lobby again, and their inputs move them in the game. */
static void test_full_round(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "2", NULL});
    tu_client_t a, b;
    ts_login(&a, srv.port, "alice");
    msg_t *m = ts_expect(&a, MSG_LOBBY_UPDATE);
    assert_int_equal(m->u.lobby_update.nplayers, 1);
    assert_string_equal(m->u.lobby_update.players[0], "alice");
    assert_int_equal(m->u.lobby_update.group_size, 2);
    ts_login(&b, srv.port, "bob");
    m = ts_expect(&a, MSG_LOBBY_UPDATE);
    assert_int_equal(m->u.lobby_update.nplayers, 2);

    m = ts_expect(&a, MSG_SELECT_WORLD);
    int nworlds = m->u.select_world.nworlds;
    assert_true(nworlds >= 1);
    assert_int_equal(m->u.select_world.timeout, 15);
    assert_true(m->u.select_world.worlds[0].name[0] != '\0');
    ts_expect(&b, MSG_SELECT_WORLD);

    /* A considered vote gets the tally to both. */
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    m = ts_expect(&a, MSG_VOTE_REPLY);
    assert_true(m->u.vote_reply.considered);
    m = ts_expect(&b, MSG_VOTES);
    assert_int_equal(m->u.votes.ncounts, nworlds);
    assert_int_equal(m->u.votes.counts[0], 1);
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    m = ts_expect(&b, MSG_VOTE_REPLY);
    assert_true(m->u.vote_reply.considered);

    m = ts_expect(&a, MSG_GAME_START);
    msg_game_start_t gs = m->u.game_start;
    assert_string_equal(gs.you, "alice");
    assert_int_equal(gs.nplayers, 2);
    assert_int_equal(gs.tick_rate, 30);
    assert_int_equal(gs.duration, 2);
    assert_true(memcmp(gs.players[0].color, gs.players[1].color, 3) != 0);
    m = ts_expect(&b, MSG_GAME_START);
    assert_string_equal(m->u.game_start.you, "bob");

    /* Each moves towards the middle of the map, so no wall is in the way at once. */
    m = ts_expect(&a, MSG_STATE);
    const proto_player_state_t *pa = ts_find(&m->u.state, "alice");
    const proto_player_state_t *pb = ts_find(&m->u.state, "bob");
    assert_non_null(pa);
    assert_non_null(pb);
    int32_t ax = pa->x, by = pb->y;
    int adx = ax < gs.world.width * 500 ? 1 : -1;
    int bdy = by < gs.world.height * 500 ? 1 : -1;
    ts_input(&a, 1, adx, 0, false);
    ts_input(&b, 7, 0, bdy, false);
    int32_t ax2 = ax, by2 = by;
    uint32_t aack = 0, back = 0;
    for (int i = 0; i < 15; i++) {
        m = ts_expect(&a, MSG_STATE);
        ax2 = ts_find(&m->u.state, "alice")->x;
        by2 = ts_find(&m->u.state, "bob")->y;
        aack = ts_find(&m->u.state, "alice")->ack;
        back = ts_find(&m->u.state, "bob")->ack;
    }
    assert_true((ax2 - ax) * adx > 0);
    assert_true((by2 - by) * bdy > 0);
    assert_int_equal(aack, 1);
    assert_int_equal(back, 7);

    m = ts_expect(&a, MSG_FINISH);
    assert_int_equal(m->u.fin.nresults, 2);
    assert_string_equal(m->u.fin.world, gs.world.name);
    assert_int_equal(m->u.fin.results[0].rank, 1);
    ts_expect(&b, MSG_FINISH);

    /* "continue" goes back to the lobby; both back means a new group and a new vote. */
    ts_send(&a, "{\"type\":\"continue\"}");
    m = ts_expect(&a, MSG_LOBBY);
    assert_string_equal(m->u.lobby.message, "welcome");
    m = ts_expect(&a, MSG_LOBBY_UPDATE);
    assert_int_equal(m->u.lobby_update.nplayers, 1);
    ts_send(&b, "{\"type\":\"continue\"}");
    ts_expect(&b, MSG_LOBBY);
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);

    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Without "continue", the end screen returns players to the lobby by itself. */
static void test_end_timeout(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "1", "--end-timeout", "1",
                                         "--group-size", "3", NULL});
    tu_client_t a, b, c;
    ts_login(&a, srv.port, "alice");
    ts_login(&b, srv.port, "bob");
    ts_login(&c, srv.port, "carol");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&c, "{\"type\":\"vote\",\"index\":0}");
    msg_t *m = ts_expect(&a, MSG_FINISH);
    /* The end screen's length, from --end-timeout: the clients count down from it. */
    assert_int_equal(m->u.fin.continue_ms, 1000);
    m = ts_expect(&a, MSG_LOBBY); /* nobody sent "continue" */
    assert_string_equal(m->u.lobby.message, "welcome");
    ts_expect(&b, MSG_LOBBY);
    ts_expect(&c, MSG_LOBBY);
    ts_expect(&c, MSG_SELECT_WORLD); /* all three back: a new group */
    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

static void expect_refused(tu_client_t *c, const char *line, const char *needle)
{
    ts_send(c, line);
    msg_t *m = ts_expect(c, MSG_LOGIN_UPDATE);
    if (m->u.login_update.accepted)
        fail_msg("%s was accepted", line);
    if (!strstr(m->u.login_update.message, needle))
        fail_msg("refusal \"%s\" for %s does not mention \"%s\"", m->u.login_update.message, line,
                 needle);
}

/* Duplicate (in any case) and invalid names are refused with a reason, and the same
 * connection may try again. */
static void test_usernames(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", NULL});
    tu_client_t a, b;
    ts_login(&a, srv.port, "Alice");
    assert_int_equal(tu_client_connect(&b, srv.port), 0);
    /* The greeting is exactly {"type":"log in"}: the original client compares it whole. */
    char *greeting = tu_client_recv_line(&b, TS_WAIT);
    assert_non_null(greeting);
    assert_string_equal(greeting, "{\"type\":\"log in\"}");
    free(greeting);
    expect_refused(&b, "{\"type\":\"log in\",\"username\":\"alice\"}", "taken");
    expect_refused(&b, "{\"type\":\"log in\",\"username\":\"ALICE\"}", "taken");
    expect_refused(&b, "{\"type\":\"log in\",\"username\":\"\"}", "");
    expect_refused(&b, "{\"type\":\"log in\",\"username\":\"abcdefghijklmnopq\"}", "16");
    expect_refused(&b, "{\"type\":\"log in\",\"username\":\"a\\u0007b\"}", "");
    expect_refused(&b, "{\"type\":\"log in\",\"username\":\"bob\",\"version\":2}", "version");
    expect_refused(&b, "{\"type\":\"log in\",\"username\":17}", "");
    ts_send(&b, "{\"type\":\"log in\",\"username\":\"bob\"}");
    msg_t *m = ts_expect(&b, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    ts_expect(&b, MSG_LOBBY);
    m = ts_expect(&b, MSG_LOBBY_UPDATE);
    assert_int_equal(m->u.lobby_update.nplayers, 2);
    assert_string_equal(m->u.lobby_update.players[0], "Alice");
    assert_string_equal(m->u.lobby_update.players[1], "bob");
    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* The monitoring query answers before login with the server's counts. */
static void test_status(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "3", NULL});
    tu_client_t a, q;
    ts_login(&a, srv.port, "alice");
    assert_int_equal(tu_client_connect(&q, srv.port), 0);
    ts_expect(&q, MSG_LOGIN_PROMPT);
    ts_send(&q, "{\"type\":\"status\"}");
    msg_t *m = ts_expect(&q, MSG_STATUS);
    assert_int_equal(m->u.status.version, 1);
    assert_int_equal(m->u.status.players, 1);
    assert_int_equal(m->u.status.lobby, 1);
    assert_int_equal(m->u.status.games, 0);
    assert_int_equal(m->u.status.group_size, 3);
    assert_true(m->u.status.uptime >= 0);
    /* After the query the same connection may still log in. */
    ts_send(&q, "{\"type\":\"log in\",\"username\":\"quentin\"}");
    m = ts_expect(&q, MSG_LOGIN_UPDATE);
    assert_true(m->u.login_update.accepted);
    tu_client_close(&a);
    tu_client_close(&q);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Nobody votes: the vote closes after --vote-timeout and a world is chosen anyway. A bad
 * vote is "ignored" and the player may vote again. */
static void test_vote_timeout(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--vote-timeout", "1", "--round-seconds", "1", NULL});
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_send(&a, "{\"type\":\"vote\",\"index\":99}");
    msg_t *m = ts_expect(&a, MSG_VOTE_REPLY);
    assert_false(m->u.vote_reply.considered);
    ts_send(&a, "{\"type\":\"vote\",\"index\":\"x\"}");
    m = ts_expect(&a, MSG_VOTE_REPLY);
    assert_false(m->u.vote_reply.considered);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    m = ts_expect(&a, MSG_VOTE_REPLY);
    assert_true(m->u.vote_reply.considered);
    m = ts_expect(&b, MSG_GAME_START); /* bob never votes */
    ts_expect(&a, MSG_GAME_START);
    assert_true(tu_log_contains(&srv, "(1 of 2 voted)"));
    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Chat reaches the sender's room only, cleaned of control characters and cut to 200. */
static void test_chat(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, NULL);
    tu_client_t a, b, c;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_login(&c, srv.port, "carol"); /* alone in the lobby */
    ts_send(&a, "{\"type\":\"chat\",\"text\":\"hi\\u0007 bob\"}");
    msg_t *m = ts_expect(&b, MSG_CHAT);
    assert_string_equal(m->u.chat.from, "alice");
    assert_string_equal(m->u.chat.text, "hi bob");
    ts_expect(&a, MSG_CHAT);
    /* 200 characters go through whole; more is refused with an error. */
    char line[1024] = "{\"type\":\"chat\",\"text\":\"";
    for (int i = 0; i < 200; i++)
        strcat(line, "x");
    strcat(line, "\"}");
    ts_send(&c, line);
    m = ts_expect(&c, MSG_CHAT);
    assert_string_equal(m->u.chat.from, "carol");
    assert_int_equal(strlen(m->u.chat.text), 200);
    line[strlen(line) - 2] = '\0';
    strcat(line, "y\"}");
    ts_send(&c, line);
    ts_expect_error(&c, "text");
    /* carol's chat did not reach the group: bob's next message is a pong, not a chat. */
    ts_send(&b, "{\"type\":\"ping\"}");
    m = ts_next(&b);
    assert_int_equal(m->type, MSG_PONG);
    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_close(&c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* A server whose only world is the one given (JSON), written to a fresh folder under /tmp;
 * flow_stop_with_world stops the server and removes the folder. */
typedef struct flow_world {
    char dir[32];
    char path[64];
} flow_world_t;

static void flow_start_with_world(tu_proc_t *srv, flow_world_t *w, const char *json)
{
    snprintf(w->dir, sizeof w->dir, "/tmp/nine43-flow-XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    snprintf(w->path, sizeof w->path, "%s/world.json", w->dir);
    FILE *f = fopen(w->path, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    ts_start(srv, (const char *const[]){"--worlds", w->dir, NULL});
}

static void flow_stop_with_world(tu_proc_t *srv, flow_world_t *w)
{
    assert_int_equal(tu_stop(srv), 0);
    tu_proc_cleanup(srv);
    unlink(w->path);
    rmdir(w->dir);
}

/* Inputs that arrive together (network jitter) are applied one step each, in order, as the
 * client predicted them: four steps right then a stop moves the player exactly four steps,
 * whatever the timing, where "latest input wins" would lose the steps. */
static void test_input_burst(void **state)
{
    (void)state;
    /* Spawns in open floor, two tiles from any wall. */
    tu_proc_t srv;
    flow_world_t w;
    flow_start_with_world(
        &srv, &w,
        "{\"name\": \"open\", \"description\": \"nothing in the way\", \"duration\": 30,"
        " \"tiles\": [\"..........\", \"..........\", \"..S....S..\", \"....c.....\","
        " \"..........\", \"..S....S..\", \"..........\", \"..........\"]}");
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    msg_t *m = ts_expect(&a, MSG_STATE);
    int32_t x0 = ts_find(&m->u.state, "alice")->x;
    int32_t y0 = ts_find(&m->u.state, "alice")->y;
    int dx = x0 < 5 * SIM_ONE ? 1 : -1;

    /* One write, five lines. */
    char burst[512];
    int n = 0;
    for (int seq = 1; seq <= 4; seq++)
        n += snprintf(burst + n, sizeof burst - (size_t)n,
                      "{\"type\":\"input\",\"seq\":%d,\"dx\":%d,\"dy\":0,\"dash\":false}\n", seq,
                      dx);
    snprintf(burst + n, sizeof burst - (size_t)n,
             "{\"type\":\"input\",\"seq\":5,\"dx\":0,\"dy\":0,\"dash\":false}");
    ts_send(&a, burst);

    const proto_player_state_t *pa = NULL;
    for (int i = 0; i < 60; i++) {
        m = ts_expect(&a, MSG_STATE);
        pa = ts_find(&m->u.state, "alice");
        if (pa->ack == 5)
            break;
    }
    assert_int_equal(pa->ack, 5);
    assert_int_equal(pa->x, x0 + dx * 4 * SIM_SPEED);
    assert_int_equal(pa->y, y0);

    tu_client_close(&a);
    tu_client_close(&b);
    flow_stop_with_world(&srv, &w);
}

/* A client that sends its held input every tick, a few of them late (network jitter, a stall):
 * at every state, the server's position is the one the client predicted for that ack, one
 * step per input, because the player waits for a late input. Were it stepped with the held
 * input instead, each late input would move it once more than its client predicted. */
static void test_late_inputs(void **state)
{
    (void)state;
    /* Both spawns on the left of a long open floor, in rows apart: 35 tiles to run right. */
    tu_proc_t srv;
    flow_world_t w;
    flow_start_with_world(&srv, &w,
                          "{\"name\": \"long\", \"description\": \"a long run\", \"duration\": 30,"
                          " \"tiles\": ["
                          "\"........................................\","
                          "\"..S.....................................\","
                          "\"........................................\","
                          "\"........................................\","
                          "\"..S.....................................\","
                          "\"........................................\","
                          "\"........................................\","
                          "\"...................c....................\"]}");
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    msg_t *m = ts_expect(&a, MSG_STATE);
    const int32_t x0 = ts_find(&m->u.state, "alice")->x;
    const int32_t y0 = ts_find(&m->u.state, "alice")->y;

    /* Each state is answered with the next input, except that some are held back for 2 or 3
     * ticks and then go out together. */
    char lines[8 * 80] = "";
    size_t len = 0;
    unsigned seq = 0;
    int waited = 0;
    uint32_t prev_ack = 0;
    const proto_player_state_t *pa = NULL;
    for (int i = 0; i < 60; i++) {
        bool late = (i >= 8 && i % 12 >= 9) || (i >= 8 && i % 12 == 4);
        seq++;
        len += (size_t)snprintf(lines + len, sizeof lines - len,
                                "%s{\"type\":\"input\",\"seq\":%u,\"dx\":1,\"dy\":0}",
                                len ? "\n" : "", seq);
        if (!late) {
            ts_send(&a, lines);
            len = 0;
            lines[0] = '\0';
        }
        m = ts_expect(&a, MSG_STATE);
        pa = ts_find(&m->u.state, "alice");
        if (pa->ack == prev_ack && pa->ack > 0)
            waited++;
        prev_ack = pa->ack;
        assert_int_equal(pa->x, x0 + (int32_t)pa->ack * SIM_SPEED);
        assert_int_equal(pa->y, y0);
    }
    assert_true(waited > 0);

    /* A stop (with the inputs still held back): the player stands where its last input left
     * it. */
    seq++;
    snprintf(lines + len, sizeof lines - len, "%s{\"type\":\"input\",\"seq\":%u,\"dx\":0,\"dy\":0}",
             len ? "\n" : "", seq);
    ts_send(&a, lines);
    for (int i = 0; i < 60 && pa->ack < seq; i++) {
        m = ts_expect(&a, MSG_STATE);
        pa = ts_find(&m->u.state, "alice");
        if (pa->ack < seq)
            assert_int_equal(pa->x, x0 + (int32_t)pa->ack * SIM_SPEED);
    }
    assert_int_equal(pa->ack, seq);
    int32_t stop_x = pa->x;
    assert_int_equal(stop_x, x0 + (int32_t)(seq - 1) * SIM_SPEED);
    for (int i = 0; i < 5; i++) {
        m = ts_expect(&a, MSG_STATE);
        assert_int_equal(ts_find(&m->u.state, "alice")->x, stop_x);
    }

    tu_client_close(&a);
    tu_client_close(&b);
    flow_stop_with_world(&srv, &w);
}

/* A client that sends two inputs a tick, all alike, goes no faster than one that sends one: a
 * player makes up only the steps it sat out waiting for a late input. */
static void test_inputs_faster_than_the_clock(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, NULL);
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    msg_t *m = ts_expect(&a, MSG_STATE);
    const proto_player_state_t *pa = NULL;
    const int dx = 1; /* a wall in the way only slows it more */
    uint32_t tick0 = m->u.state.tick;
    unsigned seq = 0;
    for (int i = 0; i < 10; i++) {
        char two[160];
        snprintf(two, sizeof two,
                 "{\"type\":\"input\",\"seq\":%u,\"dx\":%d,\"dy\":0}\n"
                 "{\"type\":\"input\",\"seq\":%u,\"dx\":%d,\"dy\":0}",
                 seq + 1, dx, seq + 2, dx);
        seq += 2;
        ts_send(&a, two);
        m = ts_expect(&a, MSG_STATE);
        pa = ts_find(&m->u.state, "alice");
        /* One input a tick at most: the first input was applied at tick0 + 1 at the earliest. */
        assert_true(pa->ack <= m->u.state.tick - tick0);
    }
    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_round),
        cmocka_unit_test(test_end_timeout),
        cmocka_unit_test(test_usernames),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_vote_timeout),
        cmocka_unit_test(test_chat),
        cmocka_unit_test(test_input_burst),
        cmocka_unit_test(test_late_inputs),
        cmocka_unit_test(test_inputs_faster_than_the_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
