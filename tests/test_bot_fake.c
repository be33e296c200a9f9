/* test_bot_fake.c -- nine43-bot against a scripted fake server on loopback: the exact messages
 * it sends (login, pong, vote, inputs, continue, quit), and what it does with garbage and with
 * a line that is too long; depends on testutil and common/ */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "linebuf.h"
#include "proto.h"
#include "testutil.h"

#define FAKE_WAIT_MS 10000

typedef struct fake {
    int listen_fd, fd, port;
    linebuf_t lb;
    char *lines[64];
    int nlines;
    msg_t *m; /* large: one per fake */
    char enc[PROTO_MAX_LINE];
} fake_t;

static void fake_listen(fake_t *f)
{
    memset(f, 0, sizeof(*f));
    f->fd = -1;
    f->m = calloc(1, sizeof(*f->m));
    assert_non_null(f->m);
    linebuf_init(&f->lb, PROTO_MAX_LINE);
    f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(f->listen_fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(f->listen_fd, 4), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(f->listen_fd, (struct sockaddr *)&a, &len), 0);
    f->port = ntohs(a.sin_port);
}

static void fake_accept(fake_t *f)
{
    struct pollfd p = {.fd = f->listen_fd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, FAKE_WAIT_MS), 1);
    f->fd = accept(f->listen_fd, NULL, NULL);
    assert_true(f->fd >= 0);
}

static void fake_raw(fake_t *f, const char *text)
{
    size_t len = strlen(text);
    assert_int_equal(write(f->fd, text, len), (ssize_t)len);
}

/* Encodes f->m and sends it. */
static void fake_send(fake_t *f)
{
    int n = proto_encode(f->m, f->enc, sizeof(f->enc));
    assert_true(n > 0);
    assert_int_equal(write(f->fd, f->enc, (size_t)n), n);
}

static int keep_line(void *ud, char *line, size_t len)
{
    fake_t *f = ud;
    (void)len;
    if (f->nlines < 64)
        f->lines[f->nlines++] = strdup(line);
    return 0;
}

/* The next line from the bot, decoded client->server into f->m; -1 when it closed. */
static int fake_recv(fake_t *f)
{
    while (f->nlines == 0) {
        struct pollfd p = {.fd = f->fd, .events = POLLIN};
        if (poll(&p, 1, FAKE_WAIT_MS) != 1)
            fail_msg("the bot sent nothing for %d ms", FAKE_WAIT_MS);
        char buf[4096];
        ssize_t n = read(f->fd, buf, sizeof(buf));
        if (n <= 0)
            return -1;
        assert_int_equal(linebuf_feed(&f->lb, buf, (size_t)n, keep_line, f), LINEBUF_OK);
    }
    char *line = f->lines[0];
    memmove(f->lines, f->lines + 1, sizeof(f->lines[0]) * (size_t)--f->nlines);
    char err[256];
    int rc = proto_decode(line, strlen(line), PROTO_TO_SERVER, f->m, err, sizeof(err));
    if (rc != PROTO_OK)
        fail_msg("the bot sent a line that does not decode: %s: %s", err, line);
    free(line);
    return 0;
}

/* Reads until a message of this type comes (inputs may come in between). */
static void fake_expect(fake_t *f, msg_type_t type)
{
    for (;;) {
        if (fake_recv(f) != 0)
            fail_msg("the bot closed while a \"%s\" was expected", proto_type_name(type));
        if (f->m->type == type)
            return;
    }
}

static void fake_close(fake_t *f)
{
    if (f->fd >= 0)
        close(f->fd);
    close(f->listen_fd);
    linebuf_free(&f->lb);
    while (f->nlines > 0)
        free(f->lines[--f->nlines]);
    free(f->m);
}

static void start_bot(tu_proc_t *bot, int port, const char *rounds)
{
    char p[16];
    snprintf(p, sizeof(p), "%d", port);
    const char *const args[] = {"--host", "127.0.0.1", "--port", p,   "--rounds",
                                rounds,   "--timeout", "30",     NULL};
    memset(bot, 0, sizeof(*bot));
    assert_int_equal(tu_spawn(bot, "nine43-bot", args), 0);
}

/* Greets, accepts the login and welcomes. */
static void fake_login(fake_t *f)
{
    fake_accept(f);
    proto_init(f->m, MSG_LOGIN_PROMPT);
    fake_send(f);
    fake_expect(f, MSG_LOGIN);
    assert_string_equal(f->m->u.login.username, "bot1");
    proto_init(f->m, MSG_LOGIN_UPDATE);
    f->m->u.login_update.accepted = true;
    fake_send(f);
    proto_init(f->m, MSG_LOBBY);
    snprintf(f->m->u.lobby.message, sizeof(f->m->u.lobby.message), "welcome");
    fake_send(f);
}

static const char *const TINY[] = {"########", "#S..c..#", "#......#", "#..##..#",
                                   "#..##..#", "#......#", "#c....S#", "########"};

static void test_a_whole_round_message_by_message(void **state)
{
    (void)state;
    fake_t f;
    fake_listen(&f);
    tu_proc_t bot;
    start_bot(&bot, f.port, "1");
    fake_login(&f);

    /* Garbage and unknown messages are ignored; a ping is answered. */
    fake_raw(&f, "this is not JSON\n{\"type\":\"no such type\"}\n[1,2]\n");
    proto_init(f.m, MSG_PING);
    fake_send(&f);
    fake_expect(&f, MSG_PONG);

    /* The vote names an offered world. */
    proto_init(f.m, MSG_SELECT_WORLD);
    f.m->u.select_world.nworlds = 3;
    for (int i = 0; i < 3; i++)
        snprintf(f.m->u.select_world.worlds[i].name, sizeof(f.m->u.select_world.worlds[i].name),
                 "w%d", i);
    f.m->u.select_world.timeout = 15;
    fake_send(&f);
    fake_expect(&f, MSG_VOTE);
    assert_true(f.m->u.vote.index >= 0 && f.m->u.vote.index < 3);

    /* The game: a state puts the bot left of a coin; it heads there. */
    proto_init(f.m, MSG_GAME_START);
    msg_game_start_t *gs = &f.m->u.game_start;
    snprintf(gs->world.name, sizeof(gs->world.name), "tiny");
    gs->world.width = 8;
    gs->world.height = 8;
    for (int r = 0; r < 8; r++)
        snprintf(gs->world.tiles[r], sizeof(gs->world.tiles[r]), "%s", TINY[r]);
    gs->nplayers = 2;
    snprintf(gs->players[0].username, sizeof(gs->players[0].username), "rival");
    snprintf(gs->players[1].username, sizeof(gs->players[1].username), "bot1");
    snprintf(gs->you, sizeof(gs->you), "bot1");
    gs->tick_rate = 30;
    gs->duration = 60;
    gs->seed = 5;
    fake_send(&f);

    proto_init(f.m, MSG_STATE);
    msg_state_t *st = &f.m->u.state;
    st->tick = 1;
    st->time_left_ms = 59000;
    st->nplayers = 2;
    snprintf(st->players[0].username, sizeof(st->players[0].username), "rival");
    st->players[0].x = 6500;
    st->players[0].y = 6500;
    snprintf(st->players[1].username, sizeof(st->players[1].username), "bot1");
    st->players[1].x = 1500;
    st->players[1].y = 1500;
    st->ncoins = 1;
    st->coins[0] = (world_point_t){4, 1};
    fake_send(&f);
    fake_expect(&f, MSG_INPUT);
    assert_int_equal(f.m->u.input.dx, 1);
    assert_int_equal(f.m->u.input.dy, 0);
    assert_false(f.m->u.input.dash);
    assert_true(f.m->u.input.seq > 0);

    /* The end: with --rounds 1 the bot says quit and exits 0. */
    proto_init(f.m, MSG_FINISH);
    snprintf(f.m->u.fin.world, sizeof(f.m->u.fin.world), "tiny");
    f.m->u.fin.nresults = 2;
    snprintf(f.m->u.fin.results[0].username, sizeof(f.m->u.fin.results[0].username), "bot1");
    f.m->u.fin.results[0].score = 1;
    f.m->u.fin.results[0].rank = 1;
    snprintf(f.m->u.fin.results[1].username, sizeof(f.m->u.fin.results[1].username), "rival");
    f.m->u.fin.results[1].rank = 2;
    fake_send(&f);
    fake_expect(&f, MSG_QUIT);
    assert_int_equal(tu_wait(&bot, FAKE_WAIT_MS), 0);
    assert_true(tu_log_contains(&bot, "bot1: round 1 on tiny: score 1, rank 1 of 2"));
    fake_close(&f);
    tu_proc_cleanup(&bot);
}

/* With more rounds to play, the bot continues after the end screen. */
static void test_continues_when_rounds_are_left(void **state)
{
    (void)state;
    fake_t f;
    fake_listen(&f);
    tu_proc_t bot;
    start_bot(&bot, f.port, "2");
    fake_login(&f);
    proto_init(f.m, MSG_GAME_START);
    msg_game_start_t *gs = &f.m->u.game_start;
    snprintf(gs->world.name, sizeof(gs->world.name), "tiny");
    gs->world.width = gs->world.height = 8;
    for (int r = 0; r < 8; r++)
        snprintf(gs->world.tiles[r], sizeof(gs->world.tiles[r]), "%s", TINY[r]);
    gs->nplayers = 1;
    snprintf(gs->players[0].username, sizeof(gs->players[0].username), "bot1");
    snprintf(gs->you, sizeof(gs->you), "bot1");
    gs->tick_rate = 30;
    gs->duration = 60;
    fake_send(&f);
    proto_init(f.m, MSG_FINISH);
    snprintf(f.m->u.fin.world, sizeof(f.m->u.fin.world), "tiny");
    fake_send(&f);
    fake_expect(&f, MSG_CONTINUE);
    /* The server goes away mid-run: an error, with the reason. */
    close(f.fd);
    f.fd = -1;
    assert_int_equal(tu_wait(&bot, FAKE_WAIT_MS), 1);
    assert_true(tu_log_contains(&bot, "server closed the connection"));
    fake_close(&f);
    tu_proc_cleanup(&bot);
}

/* A server shutting down sends "fin", an error and resets the connection at once (it does not
 * read the bot's last inputs). The bot's "quit" then meets a closed socket (EPIPE): the bot
 * played all its rounds, so that is a success, exit 0. The bot is stopped while the server
 * goes, so that it reads "fin" only after the reset has arrived. */
static void test_a_closed_socket_after_the_last_round_is_success(void **state)
{
    (void)state;
    fake_t f;
    fake_listen(&f);
    tu_proc_t bot;
    start_bot(&bot, f.port, "1");
    fake_login(&f);
    proto_init(f.m, MSG_GAME_START);
    msg_game_start_t *gs = &f.m->u.game_start;
    snprintf(gs->world.name, sizeof(gs->world.name), "tiny");
    gs->world.width = gs->world.height = 8;
    for (int r = 0; r < 8; r++)
        snprintf(gs->world.tiles[r], sizeof(gs->world.tiles[r]), "%s", TINY[r]);
    gs->nplayers = 1;
    snprintf(gs->players[0].username, sizeof(gs->players[0].username), "bot1");
    snprintf(gs->you, sizeof(gs->you), "bot1");
    gs->tick_rate = 30;
    gs->duration = 60;
    fake_send(&f);
    usleep(100 * 1000); /* the bot has read "game start" */
    tu_signal(&bot, SIGSTOP);
    proto_init(f.m, MSG_FINISH);
    snprintf(f.m->u.fin.world, sizeof(f.m->u.fin.world), "tiny");
    fake_send(&f);
    fake_raw(&f, "{\"type\":\"error\",\"message\":\"server shutting down\"}\n");
    struct linger hard = {.l_onoff = 1, .l_linger = 0}; /* close sends a reset */
    assert_int_equal(setsockopt(f.fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard)), 0);
    close(f.fd);
    f.fd = -1;
    usleep(100 * 1000);
    tu_signal(&bot, SIGCONT);
    int status = tu_wait(&bot, FAKE_WAIT_MS);
    if (status != 0)
        tu_print_log(&bot);
    assert_int_equal(status, 0);
    fake_close(&f);
    tu_proc_cleanup(&bot);
}

/* A line over the protocol's limit is a framing error: the bot gives up and says why. */
static void test_a_line_too_long_is_fatal(void **state)
{
    (void)state;
    fake_t f;
    fake_listen(&f);
    tu_proc_t bot;
    start_bot(&bot, f.port, "1");
    fake_login(&f);
    char *big = malloc(PROTO_MAX_LINE + 2);
    assert_non_null(big);
    memset(big, 'x', PROTO_MAX_LINE + 1);
    big[PROTO_MAX_LINE + 1] = '\0';
    fake_raw(&f, big);
    free(big);
    assert_int_equal(tu_wait(&bot, FAKE_WAIT_MS), 1);
    assert_true(tu_log_contains(&bot, "line over"));
    fake_close(&f);
    tu_proc_cleanup(&bot);
}

/* The largest --rounds without --timeout: the default timeout (60 s + 180 s a round) is capped,
 * not overflowed (the sanitizer build aborts on the overflow), and the bot plays as usual. */
static void test_the_most_rounds_get_a_capped_default_timeout(void **state)
{
    (void)state;
    fake_t f;
    fake_listen(&f);
    char p[16];
    snprintf(p, sizeof(p), "%d", f.port);
    const char *const args[] = {"--host", "127.0.0.1", "--port", p, "--rounds", "2147483647", NULL};
    tu_proc_t bot;
    memset(&bot, 0, sizeof(bot));
    assert_int_equal(tu_spawn(&bot, "nine43-bot", args), 0);
    fake_login(&f);
    close(f.fd);
    f.fd = -1;
    assert_int_equal(tu_wait(&bot, FAKE_WAIT_MS), 1);
    assert_true(tu_log_contains(&bot, "server closed the connection"));
    assert_false(tu_log_contains(&bot, "runtime error"));
    fake_close(&f);
    tu_proc_cleanup(&bot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_whole_round_message_by_message),
        cmocka_unit_test(test_continues_when_rounds_are_left),
        cmocka_unit_test(test_a_line_too_long_is_fatal),
        cmocka_unit_test(test_the_most_rounds_get_a_capped_default_timeout),
        cmocka_unit_test(test_a_closed_socket_after_the_last_round_is_success),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
