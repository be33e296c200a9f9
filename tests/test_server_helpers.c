/* test_server_helpers.c -- shared steps of the server's integration tests, over testutil */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_server_helpers.h"
#include "sys_os.h"

msg_t ts_msg;

long long ts_now_ms(void)
{
    return (long long)(sys_clock_ns() / SYS_NS_PER_MS);
}

void ts_start(tu_proc_t *p, const char *const *args)
{
    memset(p, 0, sizeof *p);
    assert_int_equal(tu_server_start(p, args), 0);
}

void ts_login(tu_client_t *c, int port, const char *name)
{
    assert_int_equal(tu_client_connect(c, port), 0);
    if (tu_client_login(c, name, TS_WAIT) != 0)
        fail_msg("%s could not log in", name);
}

void ts_send(tu_client_t *c, const char *line)
{
    assert_int_equal(tu_client_send(c, line), 0);
}

msg_t *ts_expect(tu_client_t *c, msg_type_t type)
{
    if (tu_client_expect(c, type, &ts_msg, TS_WAIT) != 0)
        fail_msg("no \"%s\" message", proto_type_name(type));
    return &ts_msg;
}

msg_t *ts_next(tu_client_t *c)
{
    if (tu_client_recv(c, &ts_msg, TS_WAIT) != 0)
        fail_msg("no message (closed: %d)", c->closed);
    return &ts_msg;
}

void ts_expect_error(tu_client_t *c, const char *needle)
{
    msg_t *m = ts_expect(c, MSG_ERROR);
    if (needle && !strstr(m->u.error.message, needle))
        fail_msg("error \"%s\" does not mention \"%s\"", m->u.error.message, needle);
}

void ts_login_eventually(tu_client_t *c, int port, const char *name)
{
    long long deadline = ts_now_ms() + TS_WAIT;
    /* A server at --max-clients turns a connection away until it has seen a departure. */
    for (;;) {
        assert_int_equal(tu_client_connect(c, port), 0);
        if (tu_client_recv(c, &ts_msg, TS_WAIT) == 0 && ts_msg.type == MSG_LOGIN_PROMPT)
            break;
        tu_client_close(c);
        if (ts_now_ms() > deadline)
            fail_msg("no room for %s", name);
        usleep(50 * 1000);
    }
    char line[128];
    snprintf(line, sizeof line, "{\"type\":\"log in\",\"username\":\"%s\"}", name);
    for (;;) {
        ts_send(c, line);
        msg_t *m = ts_expect(c, MSG_LOGIN_UPDATE);
        if (m->u.login_update.accepted)
            break;
        if (ts_now_ms() > deadline)
            fail_msg("%s still refused: %s", name, m->u.login_update.message);
        usleep(50 * 1000);
    }
    ts_expect(c, MSG_LOBBY);
}

void ts_pair_to_vote(tu_client_t *a, tu_client_t *b, int port, const char *an, const char *bn)
{
    ts_login(a, port, an);
    ts_login(b, port, bn);
    ts_expect(a, MSG_SELECT_WORLD);
    ts_expect(b, MSG_SELECT_WORLD);
}

void ts_vote_to_game(tu_client_t *a, tu_client_t *b)
{
    ts_send(a, "{\"type\":\"vote\",\"index\":0}");
    ts_send(b, "{\"type\":\"vote\",\"index\":0}");
    ts_expect(a, MSG_GAME_START);
    ts_expect(b, MSG_GAME_START);
}

void ts_input(tu_client_t *c, unsigned seq, int dx, int dy, bool dash)
{
    char line[128];
    snprintf(line, sizeof line, "{\"type\":\"input\",\"seq\":%u,\"dx\":%d,\"dy\":%d,\"dash\":%s}",
             seq, dx, dy, dash ? "true" : "false");
    ts_send(c, line);
}

const proto_player_state_t *ts_find(const msg_state_t *st, const char *name)
{
    for (int i = 0; i < st->nplayers; i++)
        if (strcmp(st->players[i].username, name) == 0)
            return &st->players[i];
    return NULL;
}

long ts_rss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long kib = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}
