/* test_secrets.c -- a secret maker fails rather than falls back: on a system that gives no random
 * bytes (tests/no_random.c, linked here and preloaded into the server), the server refuses a login
 * that wants a resume token and runs without LAN discovery, and "Host a game" makes no admin
 * secret, and the LAN browser sends no probe (its token keeps forged answers out); a login that
 * needs no secret still plays */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "host.h"
#include "lan.h"
#include "sys_os.h"
#include "testutil.h"

#define WAIT_MS 10000 /* generous: a slow shared machine */

/* The server under the preloaded shim. */
static void start_without_random(tu_proc_t *srv)
{
    const char *lib = getenv("NINE43_NO_RANDOM_LIB");
    assert_non_null(lib);
    char preload[1024];
    snprintf(preload, sizeof preload, "LD_PRELOAD=%s", lib);
    /* A sanitizer build's runtime must come first in the library list, unless told otherwise. */
    const char *env[] = {preload, "ASAN_OPTIONS=verify_asan_link_order=0", NULL};
    assert_int_equal(tu_server_start_env(srv, env, NULL), 0);
}

static void test_seam_gives_no_bytes(void **state)
{
    (void)state;
    unsigned char b[16];
    char err[128] = "";
    assert_int_equal(sys_random_bytes(b, sizeof b, err, sizeof err), -1);
    assert_non_null(strstr(err, "no random bytes"));
    char hex[33] = "x";
    assert_int_equal(sys_random_hex(hex, sizeof hex, 16, err, sizeof err), -1);
    assert_string_equal(hex, "");
}

static void test_no_resume_token_refuses_the_login(void **state)
{
    (void)state;
    static tu_proc_t srv;
    memset(&srv, 0, sizeof srv);
    start_without_random(&srv);
    tu_client_t c;
    assert_int_equal(tu_client_connect(&c, srv.port), 0);
    static msg_t m;
    assert_int_equal(tu_client_expect(&c, MSG_LOGIN_PROMPT, &m, WAIT_MS), 0);
    proto_init(&m, MSG_LOGIN);
    snprintf(m.u.login.username, sizeof m.u.login.username, "kim");
    m.u.login.version = PROTO_VERSION;
    m.u.login.resume_sent = true; /* wants a token */
    assert_int_equal(tu_client_send_msg(&c, &m), 0);
    assert_int_equal(tu_client_expect(&c, MSG_LOGIN_UPDATE, &m, WAIT_MS), 0);
    assert_false(m.u.login_update.accepted);
    assert_non_null(strstr(m.u.login_update.message, "resume token"));
    assert_string_equal(m.u.login_update.resume, "");
    /* Nothing was held: the name is still free, and a login without a token plays on. */
    tu_client_t d;
    assert_int_equal(tu_client_connect(&d, srv.port), 0);
    assert_int_equal(tu_client_login(&d, "kim", WAIT_MS), 0);
    tu_client_close(&d);
    tu_client_close(&c);
    assert_true(tu_log_contains(&srv, "no resume token for kim"));
    /* The discovery id is a secret of the same kind: no id, no discovery. */
    assert_true(tu_log_contains(&srv, "cannot make the discovery id"));
    assert_true(tu_log_contains(&srv, "running without LAN discovery"));
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

static void test_no_admin_secret_no_host(void **state)
{
    (void)state;
    client_t *c = calloc(1, sizeof *c);
    assert_non_null(c);
    app_init(c, NULL, &host_ops);
    char err[256] = "";
    assert_int_equal(c->host_ops->start(c, 0, 2, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot make the host's secret"));
    assert_false(c->host_ops->running(c));
    assert_string_equal(c->session.admin_token, "");
    host_free(c);
    free(c);
}

/* A datagram socket that only counts what is sent through it. */
static int sends;
static int dummy_io;

static void *count_open(char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    return &dummy_io;
}

static int count_send(void *io, uint32_t addr, int port, const void *data, size_t len, char *why,
                      size_t whylen)
{
    (void)io, (void)addr, (void)port, (void)data, (void)len, (void)why, (void)whylen;
    sends++;
    return 0;
}

static long count_recv(void *io, void *buf, size_t cap, uint32_t *from, int64_t *arrived_us)
{
    (void)io, (void)buf, (void)cap, (void)from, (void)arrived_us;
    return 0;
}

static int count_port(const void *io)
{
    (void)io;
    return 40000;
}

static void count_close(void *io)
{
    (void)io;
}

static void test_no_probe_token_no_probe(void **state)
{
    (void)state;
    static const lan_io_ops_t ops = {.open = count_open,
                                     .send = count_send,
                                     .recv = count_recv,
                                     .local_port = count_port,
                                     .close = count_close};
    char err[128];
    lan_browser_t *b = lan_browser_new(&ops, "127.255.255.255", 9999, err, sizeof err);
    assert_non_null(b);
    sends = 0;
    lan_browser_update(b, 0);
    lan_browser_update(b, 5000);
    assert_int_equal(sends, 0);
    assert_non_null(strstr(lan_browser_status(b), "cannot probe: no random bytes"));
    lan_browser_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seam_gives_no_bytes),
        cmocka_unit_test(test_no_resume_token_refuses_the_login),
        cmocka_unit_test(test_no_admin_secret_no_host),
        cmocka_unit_test(test_no_probe_token_no_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
