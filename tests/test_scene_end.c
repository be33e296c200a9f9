/* test_scene_end.c -- the end screen without a window: ranking, your row, Continue by key, click
 * and autoplay, the countdown, who has left the server and the host's question */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "game_fake.h"
#include "kick_dialog.h"
#include "chatbox.h"

/* A fin as a careless server might send it: out of order, with a tie. */
static void send_fin_after(client_t *c, int continue_ms)
{
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_FINISH);
    msg_fin_t *f = &m->u.fin;
    strcpy(f->world, "maze");
    static const struct {
        const char *name;
        int score, rank;
    } rows[] = {{"carol", 1, 4}, {"alice", 5, 1}, {"dave", 3, 2}, {"bob", 3, 2}};
    f->nresults = 4;
    for (int i = 0; i < 4; i++) {
        strcpy(f->results[i].username, rows[i].name);
        f->results[i].score = rows[i].score;
        f->results[i].rank = rows[i].rank;
    }
    f->continue_ms = continue_ms;
    client_on_message(c, m);
    free(m);
}

static void send_fin(client_t *c)
{
    send_fin_after(c, 0);
}

static void test_ranking_and_your_row(void **state)
{
    (void)state;
    client_t *c = fake_client("bob");
    assert_false(scene_end.ready(c));
    send_fin(c);
    assert_int_equal(c->scene, SCENE_END);
    assert_string_equal(client_scene(c)->name, "fin");
    assert_true(client_scene(c)->ready(c));
    assert_int_equal(c->rounds_done, 1);
    const msg_fin_t *f = &c->end.fin;
    assert_string_equal(f->world, "maze");
    assert_int_equal(f->nresults, 4);
    assert_string_equal(f->results[0].username, "alice");
    assert_int_equal(f->results[0].rank, 1);
    assert_int_equal(f->results[1].rank, 2);
    assert_int_equal(f->results[2].rank, 2);
    assert_string_equal(f->results[3].username, "carol");
    assert_int_equal(f->results[3].rank, 4);
    assert_string_equal(f->results[c->end.me].username, "bob");
    fake_client_free(c);
}

static void test_not_in_results(void **state)
{
    (void)state;
    client_t *c = fake_client("zed");
    send_fin(c);
    assert_int_equal(c->end.me, -1);
    fake_client_free(c);
}

static void test_continue_once(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    send_fin(c);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 1);
    assert_true(c->end.continued);
    fake_key(c, IN_CONFIRM);
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 1);
    /* The server answers with the lobby. */
    msg_t m;
    proto_init(&m, MSG_LOBBY);
    strcpy(m.u.lobby.message, "welcome");
    client_on_message(c, &m);
    assert_int_equal(c->scene, SCENE_LOBBY);
    fake_client_free(c);
}

static void test_click_continue(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    send_fin(c);
    fake_click(c, 5, 5); /* not the button */
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 0);
    /* The button sits centred under the table. */
    for (int y = 150; y < UI_VIEW_H && fake_net_count(c, MSG_CONTINUE) == 0; y += 8)
        fake_click(c, UI_VIEW_MIN_W / 2, y);
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 1);
    fake_client_free(c);
}

/* The host's end screen has Kick (Tab or a click; letters start a chat line): the results' names
 * first; nobody else's has it. */
static void test_host_kicks_from_the_end_screen(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    send_fin(c);
    fake_key(c, IN_TAB);
    assert_false(kick_dialog_is_open(c)); /* not the host */
    c->session.party = true;
    strcpy(c->session.host_name, "alice");
    fake_type(c, "k");
    assert_false(kick_dialog_is_open(c));
    assert_true(chatbox_is_open(c)); /* a letter is chat here */
    fake_key(c, IN_BACK);
    fake_key(c, IN_TAB);
    assert_true(kick_dialog_is_open(c));
    char who[KICK_DIALOG_MAX_NAMES][PROTO_USERNAME_SIZE];
    assert_int_equal(kick_dialog_kickable(c, who, KICK_DIALOG_MAX_NAMES), 3);
    assert_string_equal(who[0], "dave"); /* by rank, as the results show them */
    fake_key(c, IN_CONFIRM);
    assert_false(kick_dialog_is_open(c));
    assert_string_equal(fake_net_last_msg(c, MSG_KICK)->u.kick.username, "dave");
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 0); /* Enter was the dialog's */
    /* The Kick button right of Continue opens it too. */
    for (int x = UI_VIEW_MIN_W / 2 + 150; x < UI_VIEW_MIN_W && !kick_dialog_is_open(c); x += 8)
        for (int y = 150; y < UI_VIEW_H && !kick_dialog_is_open(c); y += 8)
            fake_click(c, x, y);
    assert_true(kick_dialog_is_open(c));
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 0);
    fake_client_free(c);
}

static void test_countdown_and_autoplay(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    c->autoplay = true;
    send_fin(c);
    assert_int_equal(end_seconds_left(c), END_SERVER_RETURN_MS / 1000);
    fake_run(c, END_AUTOPLAY_DELAY_MS / 2, 16);
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 0);
    fake_run(c, END_AUTOPLAY_DELAY_MS, 16);
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 1);
    fake_run(c, END_SERVER_RETURN_MS, 16);
    assert_int_equal(end_seconds_left(c), 0);
    assert_int_equal(fake_net_count(c, MSG_CONTINUE), 1);
    fake_client_free(c);
}

/* A server run with --end-timeout 45 says so in "fin": the screen counts from 45, not 20. */
static void test_server_end_timeout(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    send_fin_after(c, 45000);
    assert_int_equal(end_seconds_left(c), 45);
    fake_run(c, 30000, 16);
    assert_int_equal(end_seconds_left(c), 15);
    fake_client_free(c);
}

/* "group" on the end screen: the rows of those who left the server are marked, whatever the
 * order; one back in the lobby is not. */
static void send_group(client_t *c, const char *const *left, int nleft)
{
    static const char *const names[] = {"alice", "bob", "carol", "dave"};
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_GROUP);
    m->u.group.nplayers = 4;
    for (int i = 0; i < 4; i++) {
        strcpy(m->u.group.players[i].username, names[i]);
        for (int k = 0; k < nleft; k++)
            m->u.group.players[i].left |= strcmp(names[i], left[k]) == 0;
    }
    client_on_message(c, m);
    free(m);
}

static int row_of(const client_t *c, const char *name)
{
    for (int i = 0; i < c->end.fin.nresults; i++)
        if (strcmp(c->end.fin.results[i].username, name) == 0)
            return i;
    fail_msg("no row for %s", name);
    return -1;
}

static void test_marks_who_left(void **state)
{
    (void)state;
    client_t *c = fake_client("bob");
    c->session.hosting = true;
    c->game.nplayers = 4; /* the round bob played */
    send_fin(c);
    /* Before any "group", the round counts as here (a server without the feature). */
    assert_int_equal(client_others_on_server(c), 3);
    const char *const gone[] = {"carol", "dave"};
    send_group(c, gone, 1);
    assert_int_equal(c->scene, SCENE_END); /* "group" never leaves the end screen */
    assert_true(c->end.left[row_of(c, "carol")]);
    assert_false(c->end.left[row_of(c, "alice")]);
    assert_false(c->end.left[row_of(c, "dave")]);
    assert_int_equal(client_others_on_server(c), 2);
    assert_true(client_leave_asks_host(c));
    send_group(c, gone, 2);
    assert_true(c->end.left[row_of(c, "dave")]);
    assert_int_equal(client_others_on_server(c), 1);
    const char *const all[] = {"carol", "dave", "alice"};
    send_group(c, all, 3);
    assert_int_equal(client_others_on_server(c), 0);
    assert_false(client_leave_asks_host(c)); /* nobody to keep the server for */
    /* A "fin" again (a resume) keeps the marks. */
    send_fin(c);
    assert_true(c->end.left[row_of(c, "alice")]);
    assert_false(c->end.left[row_of(c, "bob")]);
    fake_client_free(c);
}

static void test_quit_after_rounds(void **state)
{
    (void)state;
    client_t *c = fake_client("alice");
    c->quit_after_rounds = 1;
    send_fin(c);
    client_frame_drawn(c, client_scene(c)->ready(c));
    assert_true(c->quit);
    assert_int_equal(c->exit_code, 0);
    fake_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranking_and_your_row),
        cmocka_unit_test(test_not_in_results),
        cmocka_unit_test(test_continue_once),
        cmocka_unit_test(test_click_continue),
        cmocka_unit_test(test_host_kicks_from_the_end_screen),
        cmocka_unit_test(test_countdown_and_autoplay),
        cmocka_unit_test(test_quit_after_rounds),
        cmocka_unit_test(test_marks_who_left),
        cmocka_unit_test(test_server_end_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
