/* client_ack.c -- the client's input-to-ack time through its own network code (client/net.c):
 * the real runner in --autoplay on net_ops plays a round, 60 frames a second, net_poll every
 * millisecond between frames; prints how long each input took from net_flush to the state that
 * acknowledged it (p50, p90, p99, worst) */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "net.h"

#define ACK_FRAME_MS   16
#define ACK_MAX_INPUTS 8192
#define ACK_TIMEOUT_MS 120000

static double sent_us[ACK_MAX_INPUTS];
static double took_ms[ACK_MAX_INPUTS];
static int ntook;

static double ack_now_us(void)
{
    return (double)SDL_GetPerformanceCounter() * 1e6 / (double)SDL_GetPerformanceFrequency();
}

static int ack_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Notes every input acknowledged since the last look. */
static void ack_take(client_t *c, uint32_t *acked)
{
    uint32_t a = c->game.predict.acked.seq;
    double now = ack_now_us();
    for (uint32_t s = *acked + 1; s <= a && a - s < ACK_MAX_INPUTS; s++)
        if (s < ACK_MAX_INPUTS && sent_us[s] > 0 && ntook < ACK_MAX_INPUTS)
            took_ms[ntook++] = (now - sent_us[s]) / 1000.0;
    if (a > *acked)
        *acked = a;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: client_ack PORT\n");
        return 2;
    }
    static client_t client;
    client_t *c = &client;
    app_init(c, &net_ops, NULL);
    if (net_init(c) != 0)
        return 1;
    c->autoplay = true;
    c->quit_after_rounds = 1;
    snprintf(c->cli_username, sizeof c->cli_username, "acker");
    c->connect_back = SCENE_MENU;
    client_connect(c, "127.0.0.1", atoi(argv[1]));
    uint32_t start = SDL_GetTicks(), acked = 0, last_seq = 0;
    while (!c->quit && SDL_GetTicks() - start < ACK_TIMEOUT_MS) {
        uint32_t frame_start = SDL_GetTicks();
        c->now_ms = frame_start;
        net_poll(c);
        ack_take(c, &acked);
        client_update(c);
        net_flush(c);
        if (c->game.seq != last_seq && c->game.seq < ACK_MAX_INPUTS) {
            last_seq = c->game.seq;
            sent_us[last_seq] = ack_now_us();
        }
        client_frame_drawn(c, true);
        while (SDL_GetTicks() - frame_start < ACK_FRAME_MS) {
            SDL_Delay(1);
            net_poll(c);
            ack_take(c, &acked);
        }
    }
    net_free(c);
    if (ntook == 0) {
        fprintf(stderr, "client_ack: no input was acknowledged\n");
        return 1;
    }
    qsort(took_ms, (size_t)ntook, sizeof took_ms[0], ack_cmp);
    printf("{\"inputs\":%d,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
           ntook, took_ms[ntook / 2], took_ms[(int)(ntook * 0.9)], took_ms[(int)(ntook * 0.99)],
           took_ms[ntook - 1]);
    return 0;
}
