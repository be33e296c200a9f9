/* bench_latency.c -- one player's "input" to the first "state" whose ack covers it, over
 * loopback on an otherwise idle server: p50/p99; depends on bot/bot, common/rng and benchutil */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "bot.h"
#include "rng.h"

#define LAT_DEFAULT_SAMPLES 300
#define LAT_MAX_SAMPLES     100000
#define LAT_MAX_GAP_MS      40  /* inputs go out 0..this after the last ack: any phase of a tick */
#define LAT_TIMEOUT         120 /* seconds for the whole run */

typedef struct lat_bench {
    bot_t *player;
    uint32_t pending; /* seq sent, not yet acknowledged */
    double sent_at;
    double next_send; /* 0 = not scheduled */
    uint64_t rng;     /* the gaps' seed: every run waits the same sequence of gaps */
    double *v;
    int n, want;
} lat_bench_t;

/* A random gap of 0..LAT_MAX_GAP_MS, in microsecond steps. */
static double gap_s(lat_bench_t *l)
{
    return (double)rng_below(&l->rng, LAT_MAX_GAP_MS * 1000) / 1e6;
}

static void on_state(void *ud, bot_t *b, const msg_state_t *st)
{
    lat_bench_t *l = ud;
    (void)st;
    if (b != l->player)
        return;
    if (l->pending && b->last_ack >= l->pending) {
        if (l->n < l->want)
            l->v[l->n++] = (bench_now() - l->sent_at) * 1000.0;
        l->pending = 0;
    }
    if (!l->pending && l->next_send == 0)
        l->next_send = bench_now() + gap_s(l);
}

/* Collects l->want samples (or stops at a failure or LAT_TIMEOUT): once the player plays, one
 * input at a time, each sent a random gap after the previous one was acknowledged. */
static void sample(bot_set_t *set, lat_bench_t *l)
{
    double deadline = bench_now() + LAT_TIMEOUT;
    int dx = 1;
    while (l->n < l->want && set->nfailed == 0 && bench_now() < deadline) {
        double now = bench_now();
        int wait_ms = 100;
        if (l->next_send > 0) {
            if (now >= l->next_send) {
                if (l->player->phase == BOT_PLAYING) {
                    /* Back and forth, so the player stays near its spawn. */
                    dx = -dx;
                    l->pending = bot_send_input(set, l->player, dx, 0, false);
                    l->sent_at = bench_now();
                }
                l->next_send = 0;
            } else {
                wait_ms = (int)((l->next_send - now) * 1000.0);
            }
        }
        bot_set_poll(set, wait_ms);
    }
}

int main(int argc, char **argv)
{
    int samples = LAT_DEFAULT_SAMPLES;
    const char *server = NULL, *v;
    for (int i = 1; i < argc; i++) {
        if ((v = bench_flag(argc, argv, &i, "--samples")))
            samples = (int)bench_int("--samples", v, 1, LAT_MAX_SAMPLES);
        else if ((v = bench_flag(argc, argv, &i, "--server")))
            server = v;
        else {
            fprintf(stderr, "usage: bench_latency [--samples N] [--server PATH]\n"
                            "Two players in a game; one sends an input at a random moment after\n"
                            "each acknowledgement. Prints input-to-ack latency p50/p99.\n");
            return 2;
        }
    }
    const char *const args[] = {"--group-size",
                                "2",
                                "--round-seconds",
                                "60",
                                "--vote-timeout",
                                "1",
                                "--end-timeout",
                                "1",
                                "--log-level",
                                "warn",
                                "--countdown", /* inputs before GO are dropped, never acked */
                                "0",
                                NULL};
    bench_server_t srv;
    if (bench_server_start(&srv, server, args) != 0)
        return 1;
    lat_bench_t l = {.rng = 7, .want = samples};
    l.v = calloc((size_t)samples, sizeof(*l.v));
    bot_config_t cfg = {.prefix = "lat",
                        .rounds = 0,
                        .vote = BOT_VOTE_FIRST,
                        .login = true,
                        .manual_input = true,
                        .seed = 1,
                        .hooks = {.ud = &l, .on_state = on_state}};
    bot_set_t set;
    char err[256];
    if (!l.v || bot_set_init(&set, &cfg, "127.0.0.1", srv.port, 2, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench_latency: cannot set up\n");
        bench_server_stop(&srv);
        return 1;
    }
    l.player = &set.bots[0];
    bot_start_all(&set);
    sample(&set, &l);
    double p50 = bench_percentile(l.v, (size_t)l.n, 50),
           p99 = bench_percentile(l.v, (size_t)l.n, 99);
    printf("latency samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", l.n, p50, p99,
           l.n ? l.v[l.n - 1] : 0.0);
    int status = l.n == samples ? 0 : 1;
    if (status)
        fprintf(stderr, "bench_latency: %d of %d samples%s%s\n", l.n, samples,
                set.nfailed ? "; first failure: " : "", set.nfailed ? set.first_failure : "");
    bot_set_free(&set);
    bench_server_stop(&srv);
    free(l.v);
    return status;
}
