/* fuzz_client.c -- libFuzzer target: a byte stream as the server's lines, decoded and handed to
 * the client's runner and scenes (no window, the recording network of tests/fake_net), with
 * time, held controls and keys taken from the stream; on client/ and tests/game_fake */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "game_fake.h"
#include "linebuf.h"
#include "proto.h"

/* A line starting with this byte is not a message but an action: the next bytes say which. */
#define FUZZ_ACTION      '\x01'
#define FUZZ_MAX_STEP_MS 2000 /* longest time step of one action */

typedef struct fuzz_run {
    client_t *c;
    msg_t *m;
} fuzz_run_t;

static bool fuzz_scene_takes_keys(const client_t *c)
{
    /* The menu's keys start a server or write settings: out of this target's reach. */
    return c->scene == SCENE_LOBBY || c->scene == SCENE_VOTE || c->scene == SCENE_GAME ||
           c->scene == SCENE_END;
}

static void fuzz_action(client_t *c, const uint8_t *a, size_t len)
{
    uint8_t op = len > 0 ? a[0] : 0, arg = len > 1 ? a[1] : 0;
    switch (op % 4) {
    case 0: /* time passes, frame by frame */
        for (uint32_t left = (uint32_t)arg * FUZZ_MAX_STEP_MS / 255; left > 0;) {
            uint32_t step = left < 16 ? left : 16;
            c->now_ms += step;
            left -= step;
            client_update(c);
        }
        break;
    case 1: /* held controls */
        c->held.dx = (int8_t)(arg % 3) - 1;
        c->held.dy = (int8_t)(arg / 3 % 3) - 1;
        c->held.dash = arg & 0x80;
        break;
    case 2:
    case 3:
        if (fuzz_scene_takes_keys(c)) {
            static const input_kind_t keys[] = {IN_UP,      IN_DOWN, IN_LEFT,      IN_RIGHT,
                                                IN_CONFIRM, IN_BACK, IN_BACKSPACE, IN_TEXT};
            input_event_t ev;
            memset(&ev, 0, sizeof ev);
            ev.kind = keys[arg % (sizeof keys / sizeof keys[0])];
            if (ev.kind == IN_TEXT)
                memcpy(ev.text, "g", 2);
            client_input(c, &ev);
        }
        break;
    }
}

static int fuzz_on_line(void *ud, char *line, size_t len)
{
    fuzz_run_t *r = ud;
    if (len > 0 && line[0] == FUZZ_ACTION) {
        fuzz_action(r->c, (const uint8_t *)line + 1, len - 1);
        return 0;
    }
    char err[256];
    if (proto_decode(line, len, PROTO_TO_CLIENT, r->m, err, sizeof err) != PROTO_OK)
        return 0; /* the network layer logs and skips it */
    client_on_message(r->c, r->m);
    r->c->now_ms += 16;
    client_update(r->c);
    if (fake_net(r->c)->nsent > FAKE_NET_MAX_SENT / 2)
        fake_net_clear(r->c);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_run_t r = {.c = fake_client("alice"), .m = malloc(sizeof(msg_t))};
    char *copy = malloc(size + 1);
    if (!r.m || !copy)
        abort();
    memcpy(copy, data, size);
    linebuf_t lb;
    linebuf_init(&lb, PROTO_MAX_LINE);
    linebuf_feed(&lb, copy, size, fuzz_on_line, &r);
    linebuf_free(&lb);
    client_goto(r.c, SCENE_MENU); /* leaves the last scene, freeing what it holds */
    fake_client_free(r.c);
    free(r.m);
    free(copy);
    return 0;
}
