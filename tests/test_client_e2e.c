/* test_client_e2e.c -- the real server and two real clients (--autoplay, SDL's offscreen video
 * driver, no display) play a whole round on loopback; both exit 0 and every scene's screenshot
 * exists and shows something; a hosting client left alone stops its server as it quits */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>

#include "testutil.h"

#define E2E_CLIENTS       2
#define E2E_ROUND_SECONDS "4"
#define E2E_TIMEOUT_MS    90000 /* generous: the sanitizer build on a busy 2-core machine */
#define E2E_MIN_COLOURS   6     /* a screenshot with fewer distinct colours counts as blank */

/* The scenes a client passes through on its way to the end of round 1. */
static const char *const SCENES[] = {"username", "lobby", "select", "game", "fin"};

/* Distinct colours on a coarse grid of the picture: a blank or black frame has one or two. */
static int distinct_colours(const char *path)
{
    SDL_Surface *raw = SDL_LoadBMP(path);
    if (!raw)
        return -1;
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (!s)
        return -1;
    uint32_t seen[64];
    int n = 0;
    for (int y = 0; y < s->h && n < 64; y += 5) {
        const uint8_t *row = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
        for (int x = 0; x < s->w && n < 64; x += 5) {
            uint32_t v;
            memcpy(&v, row + (size_t)x * 4, 4);
            bool known = false;
            for (int i = 0; i < n && !known; i++)
                known = seen[i] == v;
            if (!known)
                seen[n++] = v;
        }
    }
    SDL_FreeSurface(s);
    return n;
}

typedef struct e2e {
    tu_proc_t server;
    tu_proc_t clients[E2E_CLIENTS];
} e2e_t;

static int setup(void **state)
{
    e2e_t *e = calloc(1, sizeof *e);
    if (!e)
        return -1;
    *state = e;
    return 0;
}

/* Also after a failed assertion: no process outlives the test. */
static int teardown(void **state)
{
    e2e_t *e = *state;
    for (int i = 0; i < E2E_CLIENTS; i++)
        tu_proc_cleanup(&e->clients[i]);
    tu_proc_cleanup(&e->server);
    free(e);
    return 0;
}

static void test_two_clients_play_a_round(void **state)
{
    e2e_t *e = *state;
    tu_proc_t *clients = e->clients;
    /* No display needed: SDL's dummy video driver gives a window with a software framebuffer.
     * (Its "offscreen" driver would load Mesa through EGL, whose driver-config strings
     * LeakSanitizer reports at exit; the dummy driver keeps the whole client leak-checked.)
     * --autoplay leaves the user's settings alone. */
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);

    tu_proc_t *srv = &e->server;
    /* With a countdown: the clients' 3-2-1 path, end to end. */
    const char *const server_args[] = {"--group-size",
                                       "2",
                                       "--round-seconds",
                                       E2E_ROUND_SECONDS,
                                       "--vote-timeout",
                                       "10",
                                       "--countdown",
                                       "1",
                                       NULL};
    assert_int_equal(tu_server_start(srv, server_args), 0);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", srv->port);

    char dirs[E2E_CLIENTS][300];
    for (int i = 0; i < E2E_CLIENTS; i++) {
        char name[16];
        snprintf(name, sizeof name, "player%d", i + 1);
        snprintf(dirs[i], sizeof dirs[i], "%s/shots-%d", srv->dir, i + 1);
        assert_int_equal(mkdir(dirs[i], 0700), 0);
        const char *const args[] = {
            "--connect",        addr,    "--username",          name, "--autoplay",
            "--screenshot-dir", dirs[i], "--quit-after-rounds", "1",  "--windowed",
            "960x640",          NULL};
        assert_int_equal(tu_spawn(&clients[i], "nine43", args), 0);
    }
    for (int i = 0; i < E2E_CLIENTS; i++) {
        int status = tu_wait(&clients[i], E2E_TIMEOUT_MS);
        if (status != 0) {
            tu_print_log(&clients[i]);
            tu_print_log(srv);
        }
        assert_int_equal(status, 0);
    }
    for (int i = 0; i < E2E_CLIENTS; i++) {
        for (size_t k = 0; k < sizeof SCENES / sizeof SCENES[0]; k++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s.bmp", dirs[i], SCENES[k]);
            int colours = distinct_colours(path);
            if (colours < E2E_MIN_COLOURS)
                fprintf(stderr, "%s: %s\n", path, colours < 0 ? "missing" : "blank");
            assert_true(colours >= E2E_MIN_COLOURS);
        }
    }
    assert_int_equal(tu_stop(srv), 0);
}

/* ---- a host left alone on its end screen ---- */

#define HOST_ROUND_SECONDS 3
#define HOST_GONE_MS       2000 /* well under HOST_EMPTY_EXIT_S (5 s): stopped, not left empty */

/* A port nothing listens on now (bound, read, released). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* Connects g to port, trying until the server listens or timeout_ms. */
static bool connect_eventually(tu_client_t *g, int port, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 50) {
        if (tu_client_connect(g, port) == 0)
            return true;
        usleep(50 * 1000);
    }
    return false;
}

static bool port_closed_within(int port, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 50) {
        tu_client_t probe;
        if (tu_client_connect(&probe, port) != 0)
            return true;
        tu_client_close(&probe);
        usleep(50 * 1000);
    }
    return false;
}

/* The client hosts (--host) and quits after its round (--quit-after-rounds): its one round mate
 * left mid-round, so its end screen counts nobody else on the server, and it stops its server
 * on the way out instead of leaving it running to end by itself once empty. */
static void test_host_alone_after_its_round_stops_server(void **state)
{
    e2e_t *e = *state;
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    char dir[] = "/tmp/nine43-e2e-host-XXXXXX", settings[64];
    assert_non_null(mkdtemp(dir));
    snprintf(settings, sizeof settings, "%s/settings.json", dir);
    FILE *f = fopen(settings, "w");
    assert_non_null(f);
    /* The Host screen's settings, as a player would have left them: quick rounds of two. */
    fprintf(f, "{\"host_group_size\":2,\"host_round_seconds\":%d}\n", HOST_ROUND_SECONDS);
    fclose(f);
    setenv("NINE43_SETTINGS", settings, 1);
    int port = free_port();
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    const char *const args[] = {
        "--host", port_s,       "--username", "kim", "--autoplay", "--quit-after-rounds",
        "1",      "--windowed", "640x480",    NULL};
    assert_int_equal(tu_spawn(&e->clients[0], "nine43", args), 0);
    tu_client_t g;
    msg_t *m = calloc(1, sizeof *m);
    assert_non_null(m);
    assert_true(connect_eventually(&g, port, E2E_TIMEOUT_MS / 3));
    assert_int_equal(tu_client_expect(&g, MSG_LOGIN_PROMPT, m, E2E_TIMEOUT_MS), 0);
    assert_int_equal(tu_client_send(&g, "{\"type\":\"log in\",\"username\":\"g1\"}"), 0);
    assert_int_equal(tu_client_expect(&g, MSG_SELECT_WORLD, m, E2E_TIMEOUT_MS), 0);
    assert_int_equal(tu_client_send(&g, "{\"type\":\"vote\",\"index\":0}"), 0);
    assert_int_equal(tu_client_expect(&g, MSG_GAME_START, m, E2E_TIMEOUT_MS), 0);
    tu_client_close(&g); /* gone mid-round: kim finishes alone */
    free(m);
    int status = tu_wait(&e->clients[0], E2E_TIMEOUT_MS);
    if (status != 0)
        tu_print_log(&e->clients[0]);
    assert_int_equal(status, 0);
    bool gone = port_closed_within(port, HOST_GONE_MS);
    if (!gone)
        tu_print_log(&e->clients[0]);
    assert_true(gone);
    unsetenv("NINE43_SETTINGS");
    remove(settings);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_clients_play_a_round, setup, teardown),
        cmocka_unit_test_setup_teardown(test_host_alone_after_its_round_stops_server, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
