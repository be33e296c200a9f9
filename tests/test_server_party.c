/* test_server_party.c -- integration tests of the party feature against the real server on
 * loopback: the lobby's server view, Start now, --lobby-wait, kick and bans, the announced
 * shutdown, and the original client's lines left unchanged; uses test_server_helpers */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_server_helpers.h"

#define ADMIN_TOKEN "0123456789abcdef0123456789abcdef"

/* Logs in with the party feature (and the admin secret when admin). */
static void party_login_from(tu_client_t *c, int port, const char *name, bool admin,
                             const char *source)
{
    assert_int_equal(tu_client_connect_from(c, port, source), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    char line[256];
    snprintf(line, sizeof line,
             "{\"type\":\"log in\",\"username\":\"%s\",\"features\":[\"party\"]%s}", name,
             admin ? ",\"admin\":\"" ADMIN_TOKEN "\"" : "");
    ts_send(c, line);
    msg_t *m = ts_expect(c, MSG_LOGIN_UPDATE);
    if (!m->u.login_update.accepted)
        fail_msg("%s refused: %s", name, m->u.login_update.message);
    ts_expect(c, MSG_LOBBY);
}

static void party_login(tu_client_t *c, int port, const char *name, bool admin)
{
    party_login_from(c, port, name, admin, NULL);
}

/* Lobby updates until one satisfies ok (others skipped); fails after TS_WAIT. */
static msg_lobby_update_t *expect_update(tu_client_t *c, bool (*ok)(const msg_lobby_update_t *))
{
    long long deadline = ts_now_ms() + TS_WAIT;
    while (ts_now_ms() < deadline) {
        if (tu_client_expect(c, MSG_LOBBY_UPDATE, &ts_msg, TS_WAIT) != 0)
            break;
        if (ok(&ts_msg.u.lobby_update))
            return &ts_msg.u.lobby_update;
    }
    fail_msg("no lobby update of the kind expected");
    return NULL;
}

static bool has_game_group(const msg_lobby_update_t *u)
{
    return u->party && u->ngroups == 1 && u->groups[0].phase == PROTO_PHASE_GAME;
}

static bool has_wait(const msg_lobby_update_t *u)
{
    return u->party && u->has_wait;
}

static bool has_ready(const msg_lobby_update_t *u)
{
    return u->party && u->nready == 1;
}

static char *write_token_file(void)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/nine43-admin-XXXXXX");
    int fd = mkstemp(path); /* mode 0600, as the secret's file should be */
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "%s\n", ADMIN_TOKEN);
    fclose(f);
    return path;
}

/* The lobby sees the whole server: a group's players, world, phase and time left, the host
 * mark; the original client in the same lobby gets the original line, byte for byte. */
static void test_lobby_sees_the_server(void **state)
{
    (void)state;
    char *token = write_token_file();
    tu_proc_t srv;
    ts_start(&srv,
             (const char *const[]){"--group-size", "2", "--lobby-wait", "0", "--round-seconds",
                                   "30", "--admin-token-file", token, NULL});
    tu_client_t a, b, host, old;
    ts_pair_to_vote(&a, &b, srv.port, "ann", "bo");
    ts_vote_to_game(&a, &b);
    party_login(&host, srv.port, "kim", true);
    msg_lobby_update_t *u = expect_update(&host, has_game_group);
    assert_string_equal(u->host, "kim");
    assert_int_equal(u->games, 1);
    assert_int_equal(u->groups[0].nplayers, 2);
    assert_string_equal(u->groups[0].players[0], "ann");
    assert_true(u->groups[0].world[0] != '\0');
    assert_true(u->groups[0].time_left_ms > 20000 && u->groups[0].time_left_ms <= 30000);
    /* The original client: exactly the lines it always got. */
    assert_int_equal(tu_client_connect(&old, srv.port), 0);
    char *line = tu_client_recv_line(&old, TS_WAIT);
    assert_string_equal(line, "{\"type\":\"log in\"}");
    free(line);
    ts_send(&old, "{\"type\": \"log in\", \"username\": \"py\"}");
    const char *want[] = {"{\"type\":\"log in update\",\"state\":\"accepted\",\"version\":1}",
                          "{\"type\":\"lobby\",\"message\":\"welcome\"}"};
    for (int i = 0; i < 2; i++) {
        line = tu_client_recv_line(&old, TS_WAIT);
        assert_non_null(line);
        assert_string_equal(line, want[i]);
        free(line);
    }
    /* Whatever the lobby hears next (kim and py waiting, a group playing), py's lobby updates
     * are the original's: players and group_size, nothing more. */
    line = tu_client_recv_line(&old, TS_WAIT);
    assert_non_null(line);
    assert_string_equal(line, "{\"type\":\"lobby update\",\"players\":[\"kim\",\"py\"],"
                              "\"group_size\":2}");
    free(line);
    /* The group leaves the round: the view follows, still with the host mark. */
    tu_client_close(&a);
    tu_client_close(&b);
    tu_client_close(&host);
    tu_client_close(&old);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
    unlink(token);
}

/* Two players under --group-size 4 start a round when both press Start now. */
static void test_start_now(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "4", "--lobby-wait", "0", NULL});
    tu_client_t a, b;
    party_login(&a, srv.port, "ann", false);
    party_login(&b, srv.port, "bo", false);
    ts_send(&a, "{\"type\":\"start\"}");
    msg_lobby_update_t *u = expect_update(&b, has_ready);
    assert_string_equal(u->ready[0], "ann");
    assert_false(u->has_wait); /* --lobby-wait 0: no countdown */
    ts_send(&b, "{\"type\":\"start\",\"ready\":true}");
    msg_t *m = ts_expect(&a, MSG_SELECT_WORLD);
    assert_true(m->u.select_world.nworlds > 0);
    ts_expect(&b, MSG_SELECT_WORLD);
    assert_true(tu_log_contains(&srv, "all 2 waiting pressed Start now"));
    /* Start now outside the lobby is an error, not a crash. */
    ts_send(&a, "{\"type\":\"start\"}");
    ts_expect(&a, MSG_VOTE_REPLY);
    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* Two players under --group-size 4 start after --lobby-wait, shown as a countdown; an original
 * client, which cannot press Start now, plays too. */
static void test_lobby_wait(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "4", "--lobby-wait", "1", NULL});
    tu_client_t a, old;
    /* Before the logins, so before the wait starts: the round is at least the wait after it,
     * however late this test reads the update on a loaded machine. */
    long long t0 = ts_now_ms();
    party_login(&a, srv.port, "ann", false);
    ts_login(&old, srv.port, "py");
    msg_lobby_update_t *u = expect_update(&a, has_wait);
    assert_true(u->wait_ms > 0 && u->wait_ms <= 1000);
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&old, MSG_SELECT_WORLD);
    assert_true(ts_now_ms() - t0 >= 1000 - 5); /* 5: whole milliseconds, rounded either way */
    assert_true(tu_log_contains(&srv, "the round starts with 2"));
    tu_client_close(&a);
    tu_client_close(&old);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* The host kicks with a reason: the kicked player is told and closed, the others see a
 * notice, the name and the address are banned; a kick without the secret is refused. */
static void test_kick(void **state)
{
    (void)state;
    char *token = write_token_file();
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "4", "--lobby-wait", "0",
                                         "--admin-token-file", token, NULL});
    tu_client_t host, other, troll, again;
    party_login(&host, srv.port, "kim", true);
    party_login(&other, srv.port, "lee", false);
    party_login_from(&troll, srv.port, "troll", false, "127.0.0.2");
    ts_send(&other, "{\"type\":\"kick\",\"username\":\"troll\"}");
    ts_expect_error(&other, "only the host can kick");
    /* The reason's control characters go: a newline would forge a log line. */
    ts_send(&host, "{\"type\":\"kick\",\"username\":\"troll\",\"reason\":\"idle all\\n round\"}");
    msg_t *m = ts_expect(&troll, MSG_BYE);
    assert_string_equal(m->u.bye.reason, "kicked");
    assert_string_equal(m->u.bye.message, "Kicked by the host: idle all round");
    assert_false(tu_log_contains(&srv, "idle all\n"));
    assert_true(tu_client_wait_closed(&troll, TS_WAIT));
    m = ts_expect(&other, MSG_NOTICE);
    assert_string_equal(m->u.notice.text, "troll was kicked by the host: idle all round");
    /* Banned by name (from anywhere) and by address (under any name). */
    const struct {
        const char *source, *line;
    } refused[] = {
        {NULL, "{\"type\":\"log in\",\"username\":\"TROLL\"}"},
        {"127.0.0.2", "{\"type\":\"log in\",\"username\":\"newname\"}"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_int_equal(tu_client_connect_from(&again, srv.port, refused[i].source), 0);
        ts_expect(&again, MSG_LOGIN_PROMPT);
        ts_send(&again, refused[i].line);
        m = ts_expect(&again, MSG_LOGIN_UPDATE);
        assert_false(m->u.login_update.accepted);
        assert_non_null(strstr(m->u.login_update.message, "kicked by the host"));
        assert_non_null(strstr(m->u.login_update.message, "120 s"));
        tu_client_close(&again);
    }
    ts_login(&again, srv.port, "newname"); /* another address, another name: welcome */
    tu_client_close(&again);
    ts_send(&host, "{\"type\":\"kick\",\"username\":\"nobody\"}");
    ts_expect_error(&host, "no player named");
    tu_client_close(&host);
    tu_client_close(&other);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
    unlink(token);
}

/* Logs in naming features (a JSON list's insides, e.g. "\"party\",\"social\""). */
static void login_features(tu_client_t *c, int port, const char *name, const char *features,
                           bool admin)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    char line[256];
    snprintf(line, sizeof line, "{\"type\":\"log in\",\"username\":\"%s\",\"features\":[%s]%s}",
             name, features, admin ? ",\"admin\":\"" ADMIN_TOKEN "\"" : "");
    ts_send(c, line);
    assert_true(ts_expect(c, MSG_LOGIN_UPDATE)->u.login_update.accepted);
    ts_expect(c, MSG_LOBBY);
}

/* Reads c's lines up to the next chat; fails on a notice before it. */
static void expect_chat_without_notice(tu_client_t *c)
{
    for (;;) {
        msg_t *m = ts_next(c);
        if (m->type == MSG_NOTICE)
            fail_msg("unexpected notice \"%s\"", m->u.notice.text);
        if (m->type == MSG_CHAT)
            return;
    }
}

/* One "notice" serves both features: a kick reaches social and party clients alike; joined
 * and left reach social clients only; the nine43 client, which names both, gets every line. */
static void test_notice_for_both_features(void **state)
{
    (void)state;
    char *token = write_token_file();
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "8", "--lobby-wait", "0",
                                         "--admin-token-file", token, NULL});
    tu_client_t host, sam, pat, troll;
    login_features(&host, srv.port, "kim", "\"party\",\"social\"", true);
    login_features(&sam, srv.port, "sam", "\"social\"", false);
    login_features(&pat, srv.port, "pat", "\"party\",\"teleport\"", false);
    login_features(&troll, srv.port, "troll", "\"social\"", false);
    ts_send(&host, "{\"type\":\"kick\",\"username\":\"troll\",\"reason\":\"idle\"}");
    assert_true(tu_client_wait_closed(&troll, TS_WAIT));
    const char *all[] = {"sam joined", "pat joined", "troll joined",
                         "troll was kicked by the host: idle", "troll left"};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_string_equal(ts_expect(&host, MSG_NOTICE)->u.notice.text, all[i]);
    for (size_t i = 1; i < sizeof all / sizeof all[0]; i++)
        assert_string_equal(ts_expect(&sam, MSG_NOTICE)->u.notice.text, all[i]);
    assert_string_equal(ts_expect(&pat, MSG_NOTICE)->u.notice.text, all[3]);
    ts_send(&host, "{\"type\":\"chat\",\"text\":\"bye troll\"}");
    expect_chat_without_notice(&pat); /* no "troll left" for party alone */
    tu_client_close(&host);
    tu_client_close(&sam);
    tu_client_close(&pat);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
    unlink(token);
}

/* SIGTERM mid-round: party players see the banner, then the results, then "bye"; the original
 * client gets its results and the error it always got. */
static void test_shutdown_announced(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "2", "--round-seconds", "2", NULL});
    tu_client_t a, old;
    party_login(&a, srv.port, "ann", false);
    ts_login(&old, srv.port, "py");
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&old, MSG_SELECT_WORLD);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&old, "{\"type\":\"vote\",\"index\":0}");
    ts_expect(&a, MSG_GAME_START);
    ts_expect(&old, MSG_GAME_START);
    tu_signal(&srv, SIGTERM);
    msg_t *m = ts_expect(&a, MSG_CLOSING);
    assert_string_equal(m->u.closing.message, "The server closes after this round");
    ts_expect(&a, MSG_FINISH);
    m = ts_expect(&a, MSG_BYE);
    assert_string_equal(m->u.bye.reason, "shutdown");
    assert_string_equal(m->u.bye.message, "The server was shut down");
    ts_expect(&old, MSG_FINISH);
    ts_expect_error(&old, "server shutting down");
    assert_true(tu_client_wait_closed(&a, TS_WAIT));
    assert_int_equal(tu_wait(&srv, TS_WAIT), 0);
    tu_client_close(&a);
    tu_client_close(&old);
    tu_proc_cleanup(&srv);
}

/* "stop" on a fresh connection, then what came back: the stop's own answer (a "bye" or an
 * "error"), the connection closed after it. */
static msg_t *stop_with(tu_client_t *c, int port, const char *secret)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    ts_expect(c, MSG_LOGIN_PROMPT);
    char line[256];
    snprintf(line, sizeof line, "{\"type\":\"stop\",\"admin\":\"%s\"}", secret);
    ts_send(c, line);
    return ts_next(c);
}

/* The host stops the server with its secret: as on SIGTERM the round finishes, its players get
 * the results and "The host closed the server"' bye; a wrong secret is refused and counted by
 * the guard, which refuses unchecked once GUARD_FAIL_BURST were wrong. */
static void test_stop_message(void **state)
{
    (void)state;
    char *token = write_token_file();
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "2", "--round-seconds", "2",
                                         "--admin-token-file", token, NULL});
    tu_client_t a, b, stopper;
    party_login(&a, srv.port, "ann", false);
    party_login(&b, srv.port, "bob", false);
    ts_expect(&a, MSG_SELECT_WORLD);
    ts_expect(&b, MSG_SELECT_WORLD);
    ts_send(&a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(&b, "{\"type\":\"vote\",\"index\":0}");
    ts_expect(&a, MSG_GAME_START);
    for (int i = 0; i < 5; i++) { /* wrong secrets: refused, the server keeps running */
        msg_t *m = stop_with(&stopper, srv.port, "not-the-secret-0123456789");
        assert_int_equal(m->type, MSG_ERROR);
        assert_non_null(strstr(m->u.error.message, "wrong admin secret"));
        assert_true(tu_client_wait_closed(&stopper, TS_WAIT));
        tu_client_close(&stopper);
    }
    msg_t *m = stop_with(&stopper, srv.port, ADMIN_TOKEN); /* now even the right one waits */
    assert_int_equal(m->type, MSG_ERROR);
    assert_non_null(strstr(m->u.error.message, "too many wrong admin secrets"));
    tu_client_close(&stopper);
    assert_int_equal(tu_wait(&srv, 200), -1);
    assert_true(tu_log_contains(&srv, "stop refused: wrong admin secret"));
    /* From another address, whose guesses were all right: stopped, gently. */
    assert_int_equal(tu_client_connect_from(&stopper, srv.port, "127.0.0.3"), 0);
    ts_expect(&stopper, MSG_LOGIN_PROMPT);
    ts_send(&stopper, "{\"type\":\"stop\",\"admin\":\"" ADMIN_TOKEN "\"}");
    m = ts_expect(&stopper, MSG_BYE);
    assert_string_equal(m->u.bye.reason, "stopping");
    assert_true(tu_client_wait_closed(&stopper, TS_WAIT));
    tu_client_close(&stopper);
    m = ts_expect(&a, MSG_CLOSING);
    assert_string_equal(m->u.closing.message, "The server closes after this round");
    ts_expect(&a, MSG_FINISH);
    m = ts_expect(&a, MSG_BYE);
    assert_string_equal(m->u.bye.reason, "shutdown");
    ts_expect(&b, MSG_FINISH);
    assert_int_equal(tu_wait(&srv, TS_WAIT), 0);
    assert_true(tu_log_contains(&srv, "the host asks the server to stop"));
    tu_client_close(&a);
    tu_client_close(&b);
    tu_proc_cleanup(&srv);
    unlink(token);
}

/* A stop "if_alone" naming the host stops the server only when nobody else is logged in: one
 * player in the lobby keeps it running ("kept", not counted as a wrong secret), and once that
 * player has gone the same stop ends it. A wrong secret is still refused first. */
static void test_stop_if_alone(void **state)
{
    (void)state;
    char *token = write_token_file();
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--admin-token-file", token, NULL});
    tu_client_t host, ann, stopper;
    party_login(&host, srv.port, "kim", true);
    party_login(&ann, srv.port, "ann", false);
    assert_int_equal(tu_client_connect(&stopper, srv.port), 0);
    ts_expect(&stopper, MSG_LOGIN_PROMPT);
    ts_send(&stopper, "{\"type\":\"stop\",\"admin\":\"wrong-secret-0123\",\"if_alone\":\"kim\"}");
    msg_t *m = ts_expect(&stopper, MSG_ERROR);
    assert_non_null(strstr(m->u.error.message, "wrong admin secret"));
    tu_client_close(&stopper);
    for (int i = 0; i < 2; i++) { /* the host here or gone: ann is another either way */
        assert_int_equal(tu_client_connect(&stopper, srv.port), 0);
        ts_expect(&stopper, MSG_LOGIN_PROMPT);
        ts_send(&stopper, "{\"type\":\"stop\",\"admin\":\"" ADMIN_TOKEN "\",\"if_alone\":\"kim\"}");
        m = ts_expect(&stopper, MSG_BYE);
        assert_string_equal(m->u.bye.reason, "kept");
        assert_string_equal(m->u.bye.message,
                            "1 other player is on the server: it runs on for them");
        assert_true(tu_client_wait_closed(&stopper, TS_WAIT));
        tu_client_close(&stopper);
        if (i == 0) {
            ts_send(&host, "{\"type\":\"quit\"}");
            assert_true(tu_client_wait_closed(&host, TS_WAIT));
        }
    }
    assert_int_equal(tu_wait(&srv, 200), -1);
    ts_send(&ann, "{\"type\":\"chat\",\"text\":\"still here\"}"); /* served on */
    ts_expect(&ann, MSG_CHAT);
    assert_true(tu_log_contains(&srv, "if nobody else is on it: 1 other is, it keeps running"));
    ts_send(&ann, "{\"type\":\"quit\"}");
    assert_true(tu_client_wait_closed(&ann, TS_WAIT));
    assert_int_equal(tu_client_connect(&stopper, srv.port), 0);
    ts_expect(&stopper, MSG_LOGIN_PROMPT);
    ts_send(&stopper, "{\"type\":\"stop\",\"admin\":\"" ADMIN_TOKEN "\",\"if_alone\":\"kim\"}");
    m = ts_expect(&stopper, MSG_BYE);
    assert_string_equal(m->u.bye.reason, "stopping");
    assert_int_equal(tu_wait(&srv, TS_WAIT), 0);
    tu_client_close(&stopper);
    tu_client_close(&host);
    tu_client_close(&ann);
    tu_proc_cleanup(&srv);
    unlink(token);
}

/* --exit-when-empty: a server left running for others ends once nobody is connected. */
static void test_exit_when_empty(void **state)
{
    (void)state;
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--exit-when-empty", "1", NULL});
    tu_client_t a;
    party_login(&a, srv.port, "ann", false);
    assert_int_equal(tu_wait(&srv, 1500), -1); /* someone is here: it runs on */
    ts_send(&a, "{\"type\":\"quit\"}");
    assert_true(tu_client_wait_closed(&a, TS_WAIT));
    assert_int_equal(tu_wait(&srv, TS_WAIT), 0);
    assert_true(tu_log_contains(&srv, "nobody connected for 1 s"));
    tu_client_close(&a);
    tu_proc_cleanup(&srv);
}

/* A ban ends: with --kick-ban 1 the kicked name logs in again a second later. */
static void test_ban_expires(void **state)
{
    (void)state;
    char *token = write_token_file();
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--group-size", "4", "--lobby-wait", "0", "--kick-ban",
                                         "1", "--admin-token-file", token, NULL});
    tu_client_t host, troll;
    party_login(&host, srv.port, "kim", true);
    party_login(&troll, srv.port, "troll", false);
    ts_send(&host, "{\"type\":\"kick\",\"username\":\"troll\"}");
    msg_t *m = ts_expect(&troll, MSG_BYE);
    assert_string_equal(m->u.bye.message, "Kicked by the host");
    assert_true(tu_client_wait_closed(&troll, TS_WAIT));
    tu_client_close(&troll);
    assert_int_equal(tu_client_connect(&troll, srv.port), 0);
    ts_expect(&troll, MSG_LOGIN_PROMPT);
    ts_send(&troll, "{\"type\":\"log in\",\"username\":\"troll\"}");
    m = ts_expect(&troll, MSG_LOGIN_UPDATE);
    assert_false(m->u.login_update.accepted);
    assert_non_null(strstr(m->u.login_update.message, "kicked by the host"));
    tu_client_close(&troll);
    ts_login_eventually(&troll, srv.port, "troll"); /* retries until the ban is over */
    tu_client_close(&troll);
    tu_client_close(&host);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
    unlink(token);
}

/* A guessable admin secret is refused at start, with the reason. */
static void test_short_admin_token_refused(void **state)
{
    (void)state;
    char path[] = "/tmp/nine43-admin-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "short\n", 6), 6);
    close(fd);
    tu_proc_t srv;
    memset(&srv, 0, sizeof srv);
    const char *args[] = {"--admin-token-file", path, NULL};
    assert_int_equal(tu_spawn(&srv, "nine43-server", args), 0);
    assert_int_equal(tu_wait(&srv, TS_WAIT), 2);
    assert_true(tu_log_contains(&srv, "the admin secret must be 16 to 64 printable characters"));
    tu_proc_cleanup(&srv);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lobby_sees_the_server),
        cmocka_unit_test(test_start_now),
        cmocka_unit_test(test_lobby_wait),
        cmocka_unit_test(test_kick),
        cmocka_unit_test(test_notice_for_both_features),
        cmocka_unit_test(test_shutdown_announced),
        cmocka_unit_test(test_stop_message),
        cmocka_unit_test(test_stop_if_alone),
        cmocka_unit_test(test_exit_when_empty),
        cmocka_unit_test(test_short_admin_token_refused),
        cmocka_unit_test(test_ban_expires),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
