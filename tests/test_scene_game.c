/* test_scene_game.c -- the round scene without a window: game start, a bad world, input sending
 * and throttling, prediction fed by states, scoreboard, clock, autoplay, the sounds it queues,
 * the host's kick dialog (K) over the running round */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"
#include "game_fake.h"
#include "kick_dialog.h"
#include "ui.h"

static const char *const ROOM[] = {
    "##########", "#S..c...S#", "#..####..#", "#........#",
    "#........#", "#..####..#", "#S..c...S#", "##########",
};
#define ROOM_ROWS 8

static client_t *game_client(const char *you, int nplayers)
{
    client_t *c = fake_client(you);
    msg_t *m = fake_game_start(ROOM, ROOM_ROWS, you, nplayers);
    client_on_message(c, m);
    free(m);
    return c;
}

/* The server's snapshot of a game it runs with sim, acking what it applied. */
static void send_state(client_t *c, const sim_game_t *g)
{
    static const char names[8][PROTO_USERNAME_SIZE] = {"alice", "bob",   "carol", "dave",
                                                       "erin",  "frank", "grace", "heidi"};
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_STATE);
    proto_state_from_sim(&m->u.state, g, names);
    client_on_message(c, m);
    free(m);
}

static void test_game_start(void **state)
{
    (void)state;
    client_t *c = game_client("bob", 3);
    assert_int_equal(c->scene, SCENE_GAME);
    assert_string_equal(client_scene(c)->name, "game");
    assert_true(c->game.started);
    assert_false(c->game.bad_world);
    assert_int_equal(c->game.world.width, 10);
    assert_int_equal(c->game.world.height, 8);
    assert_int_equal(c->game.nplayers, 3);
    assert_string_equal(c->game.you, "bob");
    uint8_t rgb[3];
    game_player_color(c, "carol", rgb);
    assert_int_equal(rgb[0], 80);
    /* Not drawable until the first state. */
    assert_false(client_scene(c)->ready(c));
    sim_game_t g;
    sim_init(&g, &c->game.world, 3, 1, 60);
    send_state(c, &g);
    assert_true(client_scene(c)->ready(c));
    assert_int_equal(c->game.me, 1);
    fake_client_free(c);
}

/* Esc asks before leaving a round: Esc again goes back to the game, Enter leaves the server. */
static void test_esc_asks_before_leaving(void **state)
{
    (void)state;
    client_t *c = game_client("bob", 2);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g);
    fake_key(c, IN_BACK);
    assert_true(c->game.confirm_leave);
    assert_int_equal(c->scene, SCENE_GAME);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 0);
    fake_key(c, IN_BACK);
    assert_false(c->game.confirm_leave);
    assert_int_equal(c->scene, SCENE_GAME);
    fake_key(c, IN_CONFIRM); /* Enter without the question does nothing */
    assert_int_equal(c->scene, SCENE_GAME);
    fake_key(c, IN_BACK);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 1);
    fake_client_free(c);
}

/* A host with others in the round meets one question when leaving: the host's (keep the server
 * running, stop it, or Cancel back to the game), not "Leave this round?" first. */
static void test_a_host_is_asked_once(void **state)
{
    (void)state;
    client_t *c = game_client("bob", 2);
    session_hosting_started(&c->session, 9999);
    c->session.connected = true;
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g);
    fake_key(c, IN_BACK);
    assert_false(c->game.confirm_leave);
    assert_true(c->host_leave_ask);
    fake_key(c, IN_BACK); /* Cancel: back to the game, no other question */
    assert_false(c->host_leave_ask);
    assert_false(c->game.confirm_leave);
    assert_int_equal(c->scene, SCENE_GAME);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 0);
    fake_key(c, IN_BACK);
    assert_true(c->host_leave_ask);
    fake_key(c, IN_CONFIRM); /* the first answer: keep it running for them */
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 1);
    fake_client_free(c);
}

static void test_bad_world_is_a_notice(void **state)
{
    (void)state;
    static const char *const bad[] = {"##########", "#S..x...S#", "##########"};
    client_t *c = fake_client("alice");
    msg_t *m = fake_game_start(bad, 3, "alice", 2);
    client_on_message(c, m);
    assert_int_equal(c->scene, SCENE_GAME);
    assert_false(c->game.started);
    assert_true(c->game.bad_world);
    assert_non_null(strstr(c->game.notice, "cannot show"));
    assert_true(client_scene(c)->ready(c)); /* the notice is what there is to show */
    /* Ragged rows, a world taller than the limit: the same, never a crash. */
    m->u.game_start.world.height = WORLD_MAX_SIZE + 5;
    client_on_message(c, m);
    assert_true(c->game.bad_world);
    m->u.game_start.world.height = -3;
    client_on_message(c, m);
    assert_true(c->game.bad_world);
    free(m);
    /* States and held keys do nothing in the meantime. */
    msg_t *st = calloc(1, sizeof *st);
    proto_init(st, MSG_STATE);
    st->u.state.nplayers = 1;
    strcpy(st->u.state.players[0].username, "alice");
    client_on_message(c, st);
    free(st);
    c->held.dx = 1;
    fake_run(c, 500, 16);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 0);
    /* Esc leaves the server. */
    fake_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(fake_net_count(c, MSG_QUIT), 1);
    fake_client_free(c);
}

static void test_inputs_are_throttled_to_ticks(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    /* Idle: nothing goes out. */
    fake_run(c, 1000, 5);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 0);
    /* Held right for one second of frames every 5 ms: one input per tick, seq increasing. */
    c->held.dx = 1;
    fake_run(c, 1000, 5);
    int n = fake_net_count(c, MSG_INPUT);
    assert_in_range(n, SIM_TICK_RATE - 1, SIM_TICK_RATE + 1);
    fake_net_t *net = fake_net(c);
    for (int i = 0; i < net->nsent; i++) {
        assert_int_equal(net->sent[i].seq, (uint32_t)i + 1);
        assert_int_equal(net->sent[i].dx, 1);
    }
    /* Released: one input says so, then silence. */
    c->held.dx = 0;
    fake_run(c, 1000, 5);
    assert_int_equal(fake_net_count(c, MSG_INPUT), n + 1);
    assert_int_equal(fake_net_last(c, MSG_INPUT)->dx, 0);
    /* Dash and a diagonal are passed on; wild values are clamped. */
    c->held.dx = -5;
    c->held.dy = 9;
    c->held.dash = true;
    fake_run(c, 40, 5);
    const fake_sent_t *s = fake_net_last(c, MSG_INPUT);
    assert_int_equal(s->dx, -1);
    assert_int_equal(s->dy, 1);
    assert_true(s->dash);
    fake_client_free(c);
}

static void test_a_stalled_frame_does_not_flood(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    c->held.dy = 1;
    fake_run(c, 100, 16);
    int before = fake_net_count(c, MSG_INPUT);
    fake_run(c, 3000, 3000); /* one frame three seconds late */
    assert_in_range(fake_net_count(c, MSG_INPUT) - before, 1, GAME_MAX_CATCHUP_TICKS);
    fake_client_free(c);
}

static void test_prediction_follows_the_server(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g);
    int32_t start_x = g.players[0].x;
    c->held.dx = 1;
    /* The server applies each input as it arrives and answers every tick. */
    for (int t = 0; t < 20; t++) {
        int before = fake_net(c)->nsent;
        fake_run(c, 34, 34);
        for (int i = before; i < fake_net(c)->nsent; i++) {
            const fake_sent_t *s = &fake_net(c)->sent[i];
            sim_input_t in = {s->seq, s->dx, s->dy, s->dash};
            sim_set_input(&g, 0, &in);
            sim_step(&g);
        }
        send_state(c, &g);
        int32_t px, py;
        assert_true(predict_self_exact(&c->game.predict, &px, &py));
        assert_int_equal(px, g.players[0].x);
        assert_int_equal(py, g.players[0].y);
    }
    assert_true(g.players[0].x > start_x); /* it did move (and then met the wall) */
    fake_client_free(c);
}

static void test_scoreboard_and_clock(void **state)
{
    (void)state;
    client_t *c = game_client("carol", 4);
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_STATE);
    msg_state_t *st = &m->u.state;
    st->time_left_ms = 10000;
    st->nplayers = 4;
    static const char *const names[] = {"alice", "bob", "carol", "dave"};
    static const int scores[] = {2, 5, 2, 0};
    for (int i = 0; i < 4; i++) {
        strcpy(st->players[i].username, names[i]);
        st->players[i].score = scores[i];
        st->players[i].x = 1500;
        st->players[i].y = 1500;
    }
    client_on_message(c, m);
    free(m);
    int order[PROTO_MAX_PLAYERS];
    assert_int_equal(game_ranking(c, order), 4);
    assert_string_equal(c->game.state.players[order[0]].username, "bob");
    assert_string_equal(c->game.state.players[order[1]].username, "alice");
    assert_string_equal(c->game.state.players[order[2]].username, "carol");
    assert_string_equal(c->game.state.players[order[3]].username, "dave");
    assert_int_equal(c->game.me, 2);
    assert_int_equal(game_time_left_ms(c), 10000);
    c->now_ms += 2500;
    assert_int_equal(game_time_left_ms(c), 7500);
    c->now_ms += 60000;
    assert_int_equal(game_time_left_ms(c), 0);
    fake_client_free(c);
}

static void test_round_over_stops_input(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_STATE);
    static const char names[2][PROTO_USERNAME_SIZE] = {"alice", "bob"};
    proto_state_from_sim(&m->u.state, &g, names);
    m->u.state.time_left_ms = 0;
    client_on_message(c, m);
    free(m);
    c->held.dx = 1;
    fake_run(c, 500, 16);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 0);
    fake_client_free(c);
}

static void test_autoplay_steers(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    c->autoplay = true;
    fake_run(c, 200, 16);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 0); /* nothing to go on before a state */
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g);
    c->held.dx = 0; /* the keyboard is ignored */
    fake_run(c, 200, 16);
    assert_true(fake_net_count(c, MSG_INPUT) > 0);
    const fake_sent_t *s = fake_net_last(c, MSG_INPUT);
    assert_true(s->dx != 0 || s->dy != 0);
    fake_client_free(c);
}

static void test_spectator_without_you(void **state)
{
    (void)state;
    client_t *c = game_client("zed", 2);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g);
    assert_int_equal(c->game.me, -1);
    assert_true(client_scene(c)->ready(c));
    fake_client_free(c);
}

/* How many of sound s the scene queued since the queue was last emptied. */
static int queued(const client_t *c, sfx_sound_t s)
{
    int n = 0;
    for (int i = 0; i < c->nsfx; i++)
        n += c->sfx[i].sound == s;
    return n;
}

/* A coin you take in the real rules is heard as yours, loud; one taken by another is softer. */
static void test_state_sounds(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g);
    assert_int_equal(c->nsfx, 0); /* the first snapshot is no event */
    /* alice stands on the coin of row 1, column 4; bob on the one of row 6. */
    g.players[0].x = 4500;
    g.players[0].y = 1500;
    g.players[1].x = 4500;
    g.players[1].y = 6500;
    sim_step(&g);
    assert_int_equal(g.players[0].score, 1);
    send_state(c, &g);
    assert_int_equal(queued(c, SFX_COIN_YOU), 1);
    assert_int_equal(queued(c, SFX_COIN_OTHER), 1);
    for (int i = 0; i < c->nsfx; i++)
        if (c->sfx[i].sound == SFX_COIN_OTHER)
            assert_true(c->sfx[i].volume < SFX_EVENTS_VOL_YOURS);
    fake_client_free(c);
}

/* Space during the cooldown: "not ready" is heard and shown; a dash that is allowed is not. */
static void test_dash_not_ready(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    g.players[0].cooldown_ticks = 30;
    send_state(c, &g);
    c->held.dash = true;
    fake_run(c, 40, 5);
    assert_int_equal(queued(c, SFX_NOT_READY), 1);
    assert_true(c->game.not_ready_ms != 0);
    /* Holding it is not a new press: no more. */
    fake_run(c, 200, 5);
    assert_int_equal(queued(c, SFX_NOT_READY), 1);
    c->held.dash = false;
    fake_run(c, 40, 5);
    c->nsfx = 0;
    c->game.not_ready_ms = 0;
    g.players[0].cooldown_ticks = 0;
    g.players[0].ack = c->game.seq; /* every press so far applied: nothing replays */
    send_state(c, &g);
    c->held.dash = true;
    fake_run(c, 40, 5);
    assert_int_equal(queued(c, SFX_NOT_READY), 0);
    assert_int_equal(c->game.not_ready_ms, 0);
    fake_client_free(c);
}

/* M mutes and unmutes in a round (typed text, so it follows the layout); the setting is what
 * gets saved. Elsewhere an "m" is just a letter. */
static void test_m_toggles_mute(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    input_event_t ev = {.kind = IN_TEXT, .text = "m"};
    assert_false(c->settings.muted);
    client_input(c, &ev);
    assert_true(c->settings.muted);
    assert_true(c->game.mute_ms != 0);
    strcpy(ev.text, "M");
    client_input(c, &ev);
    assert_false(c->settings.muted);
    strcpy(ev.text, "n");
    client_input(c, &ev);
    assert_false(c->settings.muted);
    client_goto(c, SCENE_MENU);
    strcpy(ev.text, "m");
    client_input(c, &ev);
    assert_false(c->settings.muted);
    fake_client_free(c);
}

/* The host's K opens the kick dialog over the running round: its list is the round's players
 * (then the lobby's last view), keys go to it and no input is sent until Kick or Cancel; K is
 * nothing to a player who is not the host, nor while "Leave this round?" asks. */
static void test_k_opens_the_hosts_kick_dialog(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g);
    input_event_t k = {.kind = IN_TEXT, .text = "k"};
    client_input(c, &k);
    assert_false(kick_dialog_is_open(c)); /* not the host */
    c->session.party = true;
    strcpy(c->session.host_name, "alice");
    c->session.nplayers = 2;
    strcpy(c->session.players[0], "zoe"); /* waits in the lobby */
    strcpy(c->session.players[1], "bob"); /* the lobby's view from before the round */
    fake_key(c, IN_BACK);
    client_input(c, &k);
    assert_false(kick_dialog_is_open(c)); /* "Leave this round?" has the keys */
    fake_key(c, IN_BACK);
    strcpy(k.text, "K");
    client_input(c, &k);
    assert_true(kick_dialog_is_open(c));
    char who[KICK_DIALOG_MAX_NAMES][PROTO_USERNAME_SIZE];
    assert_int_equal(kick_dialog_kickable(c, who, KICK_DIALOG_MAX_NAMES), 2);
    assert_string_equal(who[0], "bob");
    assert_string_equal(who[1], "zoe");
    /* Held keys steer nobody while it is open; Space typed into the reason is no dash. */
    fake_net_clear(c);
    c->held.dx = 1;
    c->held.dash_presses++;
    fake_type(c, "afk m");
    fake_run(c, 500, 5);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 0);
    assert_false(c->settings.muted); /* the M went into the reason */
    assert_false(c->game.show_board);
    fake_key(c, IN_TAB); /* picks the next name, not the board */
    assert_false(c->game.show_board);
    fake_key(c, IN_UP);
    fake_key(c, IN_CONFIRM);
    assert_false(kick_dialog_is_open(c));
    const msg_t *m = fake_net_last_msg(c, MSG_KICK);
    assert_non_null(m);
    assert_string_equal(m->u.kick.username, "bob");
    assert_string_equal(m->u.kick.reason, "afk m");
    assert_int_equal(c->scene, SCENE_GAME);
    /* Closed: the held key moves the player again. */
    fake_run(c, 200, 5);
    assert_true(fake_net_count(c, MSG_INPUT) > 0);
    assert_false(fake_net_last(c, MSG_INPUT)->dash);
    /* Esc cancels it without kicking, and without asking to leave. */
    client_input(c, &k);
    assert_true(kick_dialog_is_open(c));
    fake_key(c, IN_BACK);
    assert_false(kick_dialog_is_open(c));
    assert_false(c->game.confirm_leave);
    assert_int_equal(fake_net_count(c, MSG_KICK), 1);
    /* bob is gone from the round: the lobby's old view does not bring him back. */
    sim_game_t alone;
    sim_init(&alone, &c->game.world, 1, 1, 60);
    send_state(c, &alone);
    assert_int_equal(kick_dialog_kickable(c, who, KICK_DIALOG_MAX_NAMES), 1);
    assert_string_equal(who[0], "zoe");
    fake_client_free(c);
}

/* The end screen plays the jingle of your rank, once the round's bell has rung. */
static void test_finish_jingle(void **state)
{
    (void)state;
    client_t *c = game_client("bob", 2);
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_FINISH);
    strcpy(m->u.fin.world, "room");
    m->u.fin.nresults = 2;
    strcpy(m->u.fin.results[0].username, "alice");
    m->u.fin.results[0].score = 3;
    m->u.fin.results[0].rank = 1;
    strcpy(m->u.fin.results[1].username, "bob");
    m->u.fin.results[1].score = 1;
    m->u.fin.results[1].rank = 2;
    client_on_message(c, m);
    assert_int_equal(c->scene, SCENE_END);
    fake_run(c, END_JINGLE_DELAY_MS - 20, 10);
    assert_int_equal(queued(c, SFX_LOSE), 0);
    fake_run(c, 40, 10);
    assert_int_equal(queued(c, SFX_LOSE), 1);
    assert_int_equal(queued(c, SFX_WIN), 0);
    fake_run(c, 2000, 10);
    assert_int_equal(queued(c, SFX_LOSE), 1);
    free(m);
    fake_client_free(c);
}

/* Menus click on moves and confirms; someone else's chat line pings, your own does not. */
static void test_ui_and_chat_sounds(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    fake_key(c, IN_DOWN);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(queued(c, SFX_UI_MOVE), 1);
    assert_int_equal(queued(c, SFX_UI_CONFIRM), 1);
    c->nsfx = 0;
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_CHAT);
    strcpy(m->u.chat.from, "alice");
    strcpy(m->u.chat.text, "hi");
    client_on_message(c, m);
    assert_int_equal(queued(c, SFX_CHAT), 0);
    strcpy(m->u.chat.from, "bob");
    client_on_message(c, m);
    assert_int_equal(queued(c, SFX_CHAT), 1);
    free(m);
    /* In a round the arrows move the player: no menu clicks. */
    client_t *g = game_client("alice", 2);
    fake_key(g, IN_DOWN);
    assert_int_equal(queued(g, SFX_UI_MOVE), 0);
    fake_client_free(g);
    fake_client_free(c);
}

/* A countdown from the server: the map and spawns show, 3-2-1-GO is heard once each, the clock
 * stands still and held keys send nothing until GO; then the round runs as usual. */
static void test_countdown(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    msg_t *m = fake_game_start(ROOM, ROOM_ROWS, "alice", 2);
    m->u.game_start.countdown_ms = 3000;
    m->u.game_start.duration = 60;
    client_on_message(c, m);
    free(m);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g); /* the tick-0 snapshot: drawable at once */
    assert_true(client_scene(c)->ready(c));
    assert_int_equal(game_countdown_ms(c), 3000);
    c->held.dx = 1;
    c->held.dash = true;
    fake_run(c, 2900, 10);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 0);
    assert_int_equal(game_countdown_ms(c), 100);
    assert_int_equal(game_time_left_ms(c), 60000);
    assert_int_equal(queued(c, SFX_COUNTDOWN_TICK), 3);
    assert_int_equal(queued(c, SFX_COUNTDOWN_GO), 0);
    assert_int_equal(queued(c, SFX_NOT_READY), 0);
    fake_run(c, 200, 10);
    assert_int_equal(queued(c, SFX_COUNTDOWN_GO), 1);
    assert_int_equal(game_countdown_ms(c), 0);
    assert_true(fake_net_count(c, MSG_INPUT) > 0);
    assert_int_equal(fake_net(c)->sent[0].dx, 1);
    /* The clock runs from GO, not from the snapshot that came before it. */
    assert_in_range(game_time_left_ms(c), 59800, 59900);
    fake_run(c, 2000, 10);
    assert_int_equal(queued(c, SFX_COUNTDOWN_GO), 1);
    fake_client_free(c);
}

/* The dash meter follows your player: empty while dashing, filling through the cooldown, full
 * when a press would dash (one tick left counts as ready, as in the rules). */
static void test_dash_ready(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    assert_true(game_dash_ready(c) == 1.0f); /* nothing known yet */
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    g.players[0].dash_ticks = 3;
    g.players[0].cooldown_ticks = SIM_DASH_COOLDOWN_TICKS;
    send_state(c, &g);
    assert_true(game_dash_ready(c) == 0.0f);
    g.players[0].dash_ticks = 0;
    g.players[0].cooldown_ticks = SIM_DASH_COOLDOWN_TICKS / 2;
    send_state(c, &g);
    assert_true(game_dash_ready(c) > 0.49f && game_dash_ready(c) < 0.51f);
    g.players[0].cooldown_ticks = 1;
    send_state(c, &g);
    assert_true(game_dash_ready(c) == 1.0f);
    /* Your own predicted dash counts at once, before the server's answer. */
    g.players[0].cooldown_ticks = 0;
    send_state(c, &g);
    c->held.dash = true;
    fake_run(c, 40, 5);
    assert_true(game_dash_ready(c) < 1.0f);
    fake_client_free(c);
}

/* A steal in the real rules: "+1" at the thief, "-1" at the robbed, for a moment; a coin, "+1". */
static void test_score_floats(void **state)
{
    (void)state;
    client_t *c = game_client("bob", 2);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    g.players[1].score = 2;
    g.players[0].x = 2500;
    g.players[0].y = 3500;
    g.players[1].x = 3000;
    g.players[1].y = 3500;
    send_state(c, &g);
    game_float_t f[GAME_MAX_FLOATS];
    assert_int_equal(game_floats(c, f), 0);
    sim_input_t dash = {.seq = 1, .dx = 1, .dash = true};
    sim_set_input(&g, 0, &dash);
    sim_step(&g);
    assert_int_equal(g.players[0].score, 1);
    assert_int_equal(g.players[1].score, 1);
    send_state(c, &g);
    int n = game_floats(c, f);
    assert_int_equal(n, 2);
    int plus = f[0].delta == 1 ? 0 : 1;
    assert_int_equal(f[plus].delta, 1);
    assert_int_equal(f[plus].x, g.players[0].x);
    assert_int_equal(f[1 - plus].delta, -1);
    assert_int_equal(f[1 - plus].x, g.players[1].x);
    c->now_ms += GAME_FLOAT_MS;
    assert_int_equal(game_floats(c, f), 0);
    fake_client_free(c);
}

/* F2's overlay stays off the round's top bar, where "You: N points" is, and off the chat box at
 * the bottom-left. */
static void test_debug_overlay_clears_the_score(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    assert_true(frame_debug_top(c, UI_VIEW_H, 26) >= GAME_HUD_H);
    assert_true(frame_debug_top(c, UI_VIEW_H, 26) + 26 <= UI_VIEW_H / 2);
    client_goto(c, SCENE_MENU);
    assert_int_equal(frame_debug_top(c, UI_VIEW_H, 26), 4);
    fake_client_free(c);
}

/* A tap of Space shorter than a tick (down and up between two of them) still dashes: the press
 * counts on the next tick, the release on the one after. Presses before the round do not. */
static void test_short_tap_dashes(void **state)
{
    (void)state;
    client_t *c = game_client("alice", 2);
    c->held.dash_presses = 7; /* Space pressed in the menus: not a dash */
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 1, 60);
    send_state(c, &g);
    fake_run(c, 100, 5);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 0);
    c->held.dash_presses++; /* down and up within one frame: c->held.dash never true */
    fake_run(c, 40, 5);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 2);
    assert_true(fake_net(c)->sent[0].dash);
    assert_false(fake_net(c)->sent[1].dash);
    fake_run(c, 200, 5);
    assert_int_equal(fake_net_count(c, MSG_INPUT), 2);
    fake_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_game_start),
        cmocka_unit_test(test_bad_world_is_a_notice),
        cmocka_unit_test(test_esc_asks_before_leaving),
        cmocka_unit_test(test_a_host_is_asked_once),
        cmocka_unit_test(test_inputs_are_throttled_to_ticks),
        cmocka_unit_test(test_a_stalled_frame_does_not_flood),
        cmocka_unit_test(test_prediction_follows_the_server),
        cmocka_unit_test(test_scoreboard_and_clock),
        cmocka_unit_test(test_round_over_stops_input),
        cmocka_unit_test(test_autoplay_steers),
        cmocka_unit_test(test_spectator_without_you),
        cmocka_unit_test(test_state_sounds),
        cmocka_unit_test(test_dash_not_ready),
        cmocka_unit_test(test_m_toggles_mute),
        cmocka_unit_test(test_k_opens_the_hosts_kick_dialog),
        cmocka_unit_test(test_finish_jingle),
        cmocka_unit_test(test_ui_and_chat_sounds),
        cmocka_unit_test(test_countdown),
        cmocka_unit_test(test_dash_ready),
        cmocka_unit_test(test_score_floats),
        cmocka_unit_test(test_debug_overlay_clears_the_score),
        cmocka_unit_test(test_short_tap_dashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
