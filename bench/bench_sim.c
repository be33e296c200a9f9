/* bench_sim.c -- measures the simulation's cost per player-tick in 8-player games on every shipped
 * world */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assets.h"
#include "sim.h"
#include "world.h"

#define BENCH_DEFAULT_TICKS 30000 /* per game: well over a long round */
#define BENCH_DEFAULT_GAMES 10    /* per world */
#define BENCH_INPUT_EVERY   8     /* ticks between a player's input changes, on average */

static uint64_t now_ns(void)
{
    struct timespec ts;
    /* CPU time of this process: other programs on a busy machine do not count. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Inputs come from their own small generator, so every run plays the same games; not rng.h,
 * so that the games, and the checksum, stay those of the figures measured before it. */
static uint32_t next_rand(uint64_t *s)
{
    *s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (uint32_t)(*s >> 33);
}

static void warn_stderr(void *ud, const char *message)
{
    (void)ud;
    fprintf(stderr, "bench_sim: %s\n", message);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_sim [--ticks N] [--games N] [--worlds DIR]\n");
}

int main(int argc, char **argv)
{
    long ticks = BENCH_DEFAULT_TICKS, games = BENCH_DEFAULT_GAMES;
    char dir[4096] = "";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ticks") == 0 && i + 1 < argc) {
            ticks = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--games") == 0 && i + 1 < argc) {
            games = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--worlds") == 0 && i + 1 < argc) {
            snprintf(dir, sizeof dir, "%s", argv[++i]);
        } else {
            usage();
            return 2;
        }
    }
    if (ticks < 1 || ticks > 100000000 || games < 1 || games > 100000) {
        usage();
        return 2;
    }
    if (dir[0] == '\0') {
        char assets[4000];
        if (assets_find(assets, sizeof assets) < 0) {
            fprintf(stderr, "bench_sim: no assets folder (tried %s)\n", assets);
            return 1;
        }
        snprintf(dir, sizeof dir, "%s/worlds", assets);
    }
    static world_t worlds[WORLD_MAX_FILES];
    int n = world_load_dir(worlds, WORLD_MAX_FILES, dir, warn_stderr, NULL);
    if (n <= 0) {
        fprintf(stderr, "bench_sim: no world in %s\n", dir);
        return 1;
    }

    printf("bench_sim: %d players, %ld games x %ld ticks per world\n", SIM_MAX_PLAYERS, games,
           ticks);
    uint64_t total_ns = 0, total_player_ticks = 0, checksum = 0;
    uint64_t s = 1;
    for (int k = 0; k < n; k++) {
        uint64_t world_ns = 0, player_ticks = 0;
        for (long gi = 0; gi < games; gi++) {
            sim_game_t g;
            /* A duration long enough that the round never ends inside the run. */
            int seconds = (int)(ticks / SIM_TICK_RATE) + 1;
            sim_init(&g, &worlds[k], SIM_MAX_PLAYERS, (uint64_t)gi, seconds);
            uint32_t seq = 0;
            uint64_t start = now_ns();
            for (long t = 0; t < ticks; t++) {
                for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
                    uint32_t r = next_rand(&s);
                    if (r % BENCH_INPUT_EVERY != 0)
                        continue;
                    r /= BENCH_INPUT_EVERY;
                    sim_input_t in = {++seq, (int8_t)((int)(r % 3) - 1),
                                      (int8_t)((int)(r / 3 % 3) - 1), r / 9 % 4 == 0};
                    sim_set_input(&g, i, &in);
                }
                sim_step(&g);
            }
            world_ns += now_ns() - start;
            player_ticks += (uint64_t)ticks * SIM_MAX_PLAYERS;
            for (int i = 0; i < SIM_MAX_PLAYERS; i++)
                checksum += (uint64_t)g.players[i].score * 31u + (uint64_t)g.players[i].x;
        }
        printf("world %-12s %8.1f ns per player-tick\n", worlds[k].name,
               (double)world_ns / (double)player_ticks);
        total_ns += world_ns;
        total_player_ticks += player_ticks;
    }
    printf("all worlds   %8.1f ns per player-tick (%" PRIu64 " player-ticks, %.1f ms; "
           "CPU time, including input generation)\n",
           (double)total_ns / (double)total_player_ticks, total_player_ticks,
           (double)total_ns / 1e6);
    printf("checksum %" PRIu64 "\n", checksum);
    return 0;
}
