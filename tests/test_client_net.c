/* test_client_net.c -- the client's connection (net.c) against the real server on loopback when
 * the network misbehaves: a frozen server must not freeze the frame loop; on testutil, no window
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>

#include "app.h"
#include "net.h"
#include "testutil.h"

#define WAIT_MS           10000 /* generous: a slow shared machine */
#define FLOOD_PER_FRAME   64    /* chat lines queued per frame while the server is frozen */
#define FROZEN_FRAMES_MAX 4000  /* frames before the test gives up waiting for the drop */
#define WATCHDOG_MS       5000  /* one frame this long means the loop blocked: fail at once */

static SDL_atomic_t frames_done; /* frames finished, watched by the watchdog thread */
static SDL_atomic_t watching;

/* A frame that blocks on a socket never returns: the test cannot fail by itself, so this thread
 * ends the process with a failure when the frame counter stops for WATCHDOG_MS. */
static void *watchdog(void *arg)
{
    (void)arg;
    int last = -1;
    uint32_t since = SDL_GetTicks();
    while (SDL_AtomicGet(&watching)) {
        int now = SDL_AtomicGet(&frames_done);
        if (now != last) {
            last = now;
            since = SDL_GetTicks();
        } else if (SDL_GetTicks() - since > WATCHDOG_MS) {
            fprintf(stderr, "the frame loop blocked for %d ms after %d frames\n", WATCHDOG_MS, now);
            _exit(1);
        }
        usleep(50 * 1000);
    }
    return NULL;
}

/* One frame as frame.c runs it, without drawing; returns how long it took in ms. */
static uint32_t frame(client_t *c)
{
    uint32_t start = SDL_GetTicks();
    c->now_ms = start;
    net_poll(c);
    client_update(c);
    net_flush(c);
    SDL_AtomicIncRef(&frames_done);
    return SDL_GetTicks() - start;
}

static bool pump_until(client_t *c, bool (*cond)(client_t *))
{
    uint32_t start = SDL_GetTicks();
    while (SDL_GetTicks() - start < WAIT_MS) {
        frame(c);
        if (cond(c))
            return true;
        SDL_Delay(5);
    }
    return false;
}

static bool at_username(client_t *c)
{
    return c->scene == SCENE_USERNAME;
}

static bool at_lobby(client_t *c)
{
    return c->scene == SCENE_LOBBY && c->session.have_update;
}

/* The server is stopped (SIGSTOP) while the client keeps sending: its kernel buffers fill,
 * then the client's own queue. Every frame still returns at once, and the client gives up with
 * a clear reason once NET_MAX_OUT bytes wait. */
static void test_a_frozen_server_does_not_freeze_the_frame_loop(void **state)
{
    (void)state;
    tu_proc_t srv;
    memset(&srv, 0, sizeof srv);
    assert_int_equal(tu_server_start(&srv, NULL), 0);
    client_t *c = calloc(1, sizeof *c);
    assert_non_null(c);
    app_init(c, &net_ops, NULL);
    assert_int_equal(net_init(c), 0);
    client_connect(c, "127.0.0.1", srv.port);
    assert_true(pump_until(c, at_username));
    snprintf(c->uname.name, sizeof c->uname.name, "frozen");
    input_event_t enter = {.kind = IN_CONFIRM};
    client_input(c, &enter);
    assert_true(pump_until(c, at_lobby));
    msg_t m;

    tu_signal(&srv, SIGSTOP);
    SDL_AtomicSet(&watching, 1);
    pthread_t dog;
    assert_int_equal(pthread_create(&dog, NULL, watchdog, NULL), 0);
    /* 200 four-byte characters: 800 bytes of UTF-8 a line. */
    proto_init(&m, MSG_CHAT_SEND);
    for (int i = 0; i < PROTO_MAX_CHAT; i++)
        memcpy(m.u.chat_send.text + 4 * i, "\xf0\x9f\x8e\xae", 4);
    m.u.chat_send.text[4 * PROTO_MAX_CHAT] = '\0';
    uint32_t worst = 0, total = 0;
    int frames = 0;
    while (c->scene == SCENE_LOBBY && frames < FROZEN_FRAMES_MAX) {
        for (int i = 0; i < FLOOD_PER_FRAME && c->scene == SCENE_LOBBY; i++)
            client_send(c, &m);
        uint32_t ms = frame(c);
        total += ms;
        if (ms > worst)
            worst = ms;
        frames++;
    }
    SDL_AtomicSet(&watching, 0);
    pthread_join(dog, NULL);
    print_message("frozen server: %d frames, %u ms in all, worst frame %u ms; then: %s\n", frames,
                  total, worst, c->notice);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_non_null(strstr(c->notice, "stopped reading"));
    /* Not a speed test: a frame that waited on the socket would take seconds (the watchdog). */
    assert_true(worst < WATCHDOG_MS / 5);

    tu_signal(&srv, SIGCONT);
    net_free(c);
    free(c);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_frozen_server_does_not_freeze_the_frame_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
