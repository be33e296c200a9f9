/* test_client_replay.c -- the "replay" feature end to end on loopback: the real server (no
 * --replay-dir), the real client (--autoplay, SDL's dummy video driver) that asks for it, and two
 * raw connections, one asking and one logging in like the original client; the client keeps the
 * round's file, which nine43-bot --verify-replay finds the same bit for bit; the raw one that
 * asked gets the same bytes in "replay" parts just before "fin", the other no "replay" line */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "replays.h"
#include "testutil.h"

#define RT_TIMEOUT_MS 90000 /* generous: the sanitizer build on a busy 2-core machine */
#define RT_LINE_MS    20000

typedef struct rt {
    tu_proc_t server, client, verify;
    tu_client_t asks, plain;
    char dir[300];
} rt_t;

static int setup(void **state)
{
    rt_t *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    t->asks.fd = t->plain.fd = -1;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    rt_t *t = *state;
    tu_proc_cleanup(&t->client);
    tu_proc_cleanup(&t->verify);
    tu_client_close(&t->asks);
    tu_client_close(&t->plain);
    tu_proc_cleanup(&t->server);
    free(t);
    return 0;
}

/* Logs in with the "replay" feature (or none), as the original client's exact line does. */
static void rt_login(tu_client_t *c, int port, const char *name, bool replay)
{
    static msg_t m;
    assert_int_equal(tu_client_connect(c, port), 0);
    assert_int_equal(tu_client_expect(c, MSG_LOGIN_PROMPT, &m, RT_LINE_MS), 0);
    char line[200];
    snprintf(line, sizeof line, "{\"type\":\"log in\",\"username\":\"%s\"%s}", name,
             replay ? ",\"features\":[\"replay\"]" : "");
    assert_int_equal(tu_client_send(c, line), 0);
    assert_int_equal(tu_client_expect(c, MSG_LOGIN_UPDATE, &m, RT_LINE_MS), 0);
    assert_true(m.u.login_update.accepted);
}

static const char rt_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Reads lines to "fin" (answering pings); the "replay" parts' data, decoded, into *out. Returns
 * the number of "replay" lines; checks none comes after "fin"'s... nothing else between them. */
static int rt_until_fin(tu_client_t *c, uint8_t **out, size_t *len)
{
    static msg_t m;
    int parts = 0;
    bool last_was_replay = false;
    *out = NULL;
    *len = 0;
    for (;;) {
        assert_int_equal(tu_client_recv(c, &m, RT_TIMEOUT_MS), 0);
        if (m.type == MSG_PING) {
            tu_client_send(c, "{\"type\":\"pong\"}");
            continue;
        }
        if (m.type == MSG_FINISH)
            return parts;
        if (m.type != MSG_REPLAY) {
            assert_false(last_was_replay); /* parts come together, right before "fin" */
            continue;
        }
        last_was_replay = true;
        parts++;
        assert_int_equal(m.u.replay.part, parts);
        if (!*out)
            *out = malloc((size_t)m.u.replay.bytes);
        const char *s = m.u.replay.data;
        for (size_t i = 0; s[i]; i += 4) {
            uint32_t v = 0;
            int pad = 0;
            for (int k = 0; k < 4; k++) {
                const char *at = strchr(rt_b64, s[i + k]);
                pad += s[i + k] == '=';
                v = v << 6 | (s[i + k] == '=' ? 0u : (uint32_t)(at - rt_b64));
            }
            for (int k = 0; k < 3 - pad; k++)
                (*out)[(*len)++] = (uint8_t)(v >> (16 - 8 * k));
        }
        assert_true(*len <= (size_t)m.u.replay.bytes);
    }
}

static int rt_find_replay(const char *dir, char *path, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strstr(e->d_name, CLIENT_REPLAY_SUFFIX) && e->d_name[0] != '.') {
            snprintf(path, cap, "%s/%s", dir, e->d_name);
            n++;
        }
    closedir(d);
    return n;
}

static void test_client_keeps_its_replay(void **state)
{
    rt_t *t = *state;
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    const char *const server_args[] = {"--group-size",
                                       "3",
                                       "--round-seconds",
                                       "4",
                                       "--vote-timeout",
                                       "2",
                                       "--countdown",
                                       "1",
                                       NULL};
    assert_int_equal(tu_server_start(&t->server, server_args), 0);
    int port = t->server.port;
    rt_login(&t->asks, port, "raw", true);
    rt_login(&t->plain, port, "old", false);

    /* The client keeps its replays beside its settings: NINE43_SETTINGS points there. */
    snprintf(t->dir, sizeof t->dir, "%s/prefs", t->server.dir);
    assert_int_equal(mkdir(t->dir, 0700), 0);
    char settings[400], addr[64];
    snprintf(settings, sizeof settings, "%s/settings.json", t->dir);
    setenv("NINE43_SETTINGS", settings, 1);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    const char *const args[] = {"--connect",           addr, "--username", "player",  "--autoplay",
                                "--quit-after-rounds", "1",  "--windowed", "960x640", NULL};
    assert_int_equal(tu_spawn(&t->client, "nine43", args), 0);
    unsetenv("NINE43_SETTINGS");

    uint8_t *raw, *none;
    size_t raw_len, none_len;
    int raw_parts = rt_until_fin(&t->asks, &raw, &raw_len);
    assert_int_equal(rt_until_fin(&t->plain, &none, &none_len), 0); /* nothing new */
    assert_null(none);
    assert_true(raw_parts >= 1);
    int status = tu_wait(&t->client, RT_TIMEOUT_MS);
    if (status != 0) {
        tu_print_log(&t->client);
        tu_print_log(&t->server);
    }
    assert_int_equal(status, 0);

    /* One file kept, the same bytes the raw connection got, verified bit for bit. */
    char rdir[420], path[700];
    snprintf(rdir, sizeof rdir, "%s/" CLIENT_REPLAYS_DIR, t->dir);
    assert_int_equal(rt_find_replay(rdir, path, sizeof path), 1);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *kept = malloc(raw_len + 1);
    assert_int_equal(fread(kept, 1, raw_len + 1, f), raw_len);
    fclose(f);
    assert_memory_equal(kept, raw, raw_len);
    free(kept);
    free(raw);
    assert_int_equal(
        tu_spawn(&t->verify, "nine43-bot", (const char *const[]){"--verify-replay", path, NULL}),
        0);
    int verdict = tu_wait(&t->verify, RT_TIMEOUT_MS);
    if (verdict != 0)
        tu_print_log(&t->verify);
    assert_int_equal(verdict, 0);
    assert_true(tu_log_contains(&t->verify, "the same bit for bit"));
    assert_true(tu_log_contains(&t->verify, "player"));
    assert_int_equal(tu_stop(&t->server), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_client_keeps_its_replay, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
