/* bench_game.c -- game load: G groups of 4 bots playing at once (and W watchers); prints the
 * server's CPU (from /proc/PID/stat) as % of one core and per player-tick, its late ticks,
 * bytes/s it sent, and input-to-ack latency under load; depends on bot/bot and benchutil */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchutil.h"
#include "bot.h"
#include "sim.h"

#define GAME_GROUP           4 /* bots per group (--group-size) */
#define GAME_DEFAULT_GROUPS  25
#define GAME_MAX_GROUPS      2500
#define GAME_DEFAULT_SECONDS 30
#define GAME_DEFAULT_MARGIN  10 /* rounds last the window plus this, so none ends inside it */
#define GAME_FINISH_TIMEOUT  60 /* seconds after the window for every round to end */
#define GAME_START_TIMEOUT   90 /* seconds for every group to be playing */
#define GAME_WARMUP_S        1.0
#define GAME_FD_SPARE        64

typedef struct game_bench {
    bool measuring;
    uint32_t *pending_seq; /* per bot: oldest input not yet acknowledged (0 = none) */
    double *pending_t;
    double *lat;
    size_t nlat, caplat;
} game_bench_t;

static void on_input(void *ud, bot_t *b, const sim_input_t *in)
{
    game_bench_t *g = ud;
    if (!g->measuring || g->pending_seq[b->index - 1] != 0)
        return;
    g->pending_seq[b->index - 1] = in->seq;
    g->pending_t[b->index - 1] = bench_now();
}

static void on_state(void *ud, bot_t *b, const msg_state_t *st)
{
    game_bench_t *g = ud;
    (void)st;
    uint32_t seq = g->pending_seq[b->index - 1];
    if (seq == 0 || b->last_ack < seq)
        return;
    g->pending_seq[b->index - 1] = 0;
    if (g->nlat == g->caplat) {
        size_t cap = g->caplat ? g->caplat * 2 : 4096;
        double *p = realloc(g->lat, cap * sizeof(*p));
        if (!p)
            return;
        g->lat = p;
        g->caplat = cap;
    }
    g->lat[g->nlat++] = (bench_now() - g->pending_t[b->index - 1]) * 1000.0;
}

/* The server logs, for each round with late ticks, "round over after N ticks (L late by more
 * than 5 ms, worst W ms)". Sums L over the rounds; *worst gets the largest W. */
static long late_ticks_from_log(const char *path, long *rounds, long *worst)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4096];
    long sum = 0;
    *rounds = 0;
    *worst = 0;
    while (fgets(line, sizeof(line), f)) {
        const char *p = strstr(line, "round over after ");
        unsigned ticks, late, ms, w;
        if (!p || sscanf(p, "round over after %u ticks (%u late by more than %u ms, worst %u ms)",
                         &ticks, &late, &ms, &w) != 4)
            continue;
        sum += late;
        (*rounds)++;
        if ((long)w > *worst)
            *worst = (long)w;
    }
    fclose(f);
    return sum;
}

static int count_phase(const bot_set_t *s, bot_phase_t phase)
{
    int n = 0;
    for (int i = 0; i < s->nbots; i++)
        n += s->bots[i].phase == phase;
    return n;
}

typedef struct game_args {
    int groups, seconds, margin;
    int group_size;         /* bots per group */
    int watchers;           /* nine43-bot --watch players in the lobby, watching the first group */
    const char *server;     /* NULL = nine43-server next to this program */
    const char *replay_dir; /* --replay-dir for the server: the cost of recording; NULL = none */
} game_args_t;

/* Exits 2 with the usage on an unknown flag, or a flag whose value is bad. */
static void parse_args(int argc, char **argv, game_args_t *a)
{
    const char *v;
    for (int i = 1; i < argc; i++) {
        if ((v = bench_flag(argc, argv, &i, "--groups")))
            a->groups = (int)bench_int("--groups", v, 1, GAME_MAX_GROUPS);
        else if ((v = bench_flag(argc, argv, &i, "--seconds")))
            a->seconds = (int)bench_int("--seconds", v, 1, 3000);
        else if ((v = bench_flag(argc, argv, &i, "--margin")))
            a->margin = (int)bench_int("--margin", v, 1, 600);
        else if ((v = bench_flag(argc, argv, &i, "--server")))
            a->server = v;
        else if ((v = bench_flag(argc, argv, &i, "--replay-dir")))
            a->replay_dir = v;
        else if ((v = bench_flag(argc, argv, &i, "--group-size")))
            a->group_size = (int)bench_int("--group-size", v, PROTO_MIN_GROUP, PROTO_MAX_GROUP);
        else if ((v = bench_flag(argc, argv, &i, "--watchers")))
            a->watchers = (int)bench_int("--watchers", v, 0, PROTO_MAX_GROUP - 1);
        else {
            fprintf(
                stderr,
                "usage: bench_game [--groups G] [--seconds S] [--margin M] [--server PATH]\n"
                "                  [--replay-dir DIR] [--group-size N] [--watchers W]\n"
                "G groups of 4 bots play on a fresh server; once all play, measures S seconds:\n"
                "server CPU as %% of one core, bytes/s sent, input-to-ack latency; then\n"
                "lets the rounds end and sums the late ticks the server logs per round.\n"
                "Rounds last S + M seconds (M covers the groups' staggered starts).\n"
                "--replay-dir has the server record every round there.\n"
                "--watchers: W players in the lobby (fewer than a group: the lobby never\n"
                "holds a whole one) watch a round through the window.\n");
            exit(2);
        }
    }
}

/* A fresh server for nbots in groups of 4, rounds long enough to cover the window, and the
 * log level at which it reports late ticks. */
static int start_server(bench_server_t *srv, const game_args_t *a, int nbots)
{
    char max_clients[16], round_seconds[16], group_size[16];
    snprintf(max_clients, sizeof(max_clients), "%d", nbots + GAME_FD_SPARE);
    snprintf(group_size, sizeof(group_size), "%d", a->group_size);
    snprintf(round_seconds, sizeof(round_seconds), "%d", a->seconds + a->margin);
    const char *const args[] = {"--max-clients",
                                max_clients,
                                "--group-size",
                                group_size,
                                "--lobby-wait",
                                "0",
                                "--round-seconds",
                                round_seconds,
                                "--vote-timeout",
                                "2",
                                "--end-timeout",
                                "2",
                                "--log-level",
                                "info",
                                a->replay_dir ? "--replay-dir" : NULL,
                                a->replay_dir,
                                NULL};
    return bench_server_start(srv, a->server, args);
}

/* The window, once every bot plays: one warm-up, S measured seconds, then every round ends
 * so the server logs its late ticks. Prints the figures; returns the exit status. */
/* One turn of the loop: the players' set waits up to ms, the watchers' only looks. */
static void poll_all(bot_set_t *set, bot_set_t *eyes, int ms)
{
    bot_set_poll(set, ms);
    if (eyes)
        bot_set_poll(eyes, 0);
}

static int measure(bot_set_t *set, bot_set_t *eyes, game_bench_t *gb, const bench_server_t *srv,
                   const game_args_t *a)
{
    int nbots = set->nbots;
    double warm = bench_now() + GAME_WARMUP_S;
    while (bench_now() < warm)
        poll_all(set, eyes, 10);
    double cpu0 = bench_cpu_seconds(srv->pid), self0 = bench_cpu_seconds(getpid());
    uint64_t bytes0 = set->bytes_in, states0 = set->states_in, inputs0 = set->inputs_out;
    double t0 = bench_now();
    gb->measuring = true;
    while (bench_now() < t0 + a->seconds && set->nfailed == 0 &&
           count_phase(set, BOT_PLAYING) == nbots)
        poll_all(set, eyes, 10);
    int watching = eyes ? count_phase(eyes, BOT_WATCHING) : 0;
    gb->measuring = false;
    double t1 = bench_now();
    double cpu1 = bench_cpu_seconds(srv->pid), self1 = bench_cpu_seconds(getpid());
    double dt = t1 - t0;
    int still = count_phase(set, BOT_PLAYING);
    double bytes_s = (double)(set->bytes_in - bytes0) / dt;
    double states_s = (double)(set->states_in - states0) / dt;
    double inputs_s = (double)(set->inputs_out - inputs0) / dt;
    /* Every round ends (the bots stay connected): the server logs its late ticks. */
    double finish = bench_now() + a->margin + GAME_FINISH_TIMEOUT;
    while (bench_now() < finish && set->nfailed == 0 && set->nfinished < nbots)
        poll_all(set, eyes, 100);
    long late_rounds = 0, worst = 0;
    long late = set->nfinished == nbots ? late_ticks_from_log(srv->log, &late_rounds, &worst) : -1;
    double p50 = bench_percentile(gb->lat, gb->nlat, 50);
    double p99 = bench_percentile(gb->lat, gb->nlat, 99);
    /* The server's CPU per player and tick of the window: its cost per unit of work, so that
     * sizes compare (a server that scales linearly gives the same figure at every size). */
    double player_ticks = (double)nbots * SIM_TICK_RATE * dt;
    printf("game_load groups=%d bots=%d watchers=%d seconds=%.1f server_cpu_pct=%.2f "
           "server_us_per_player_tick=%.2f late_ticks=%ld "
           "rounds_with_late=%ld worst_late_ms=%ld bytes_per_s=%.0f states_per_s=%.0f "
           "inputs_per_s=%.0f ack_p50_ms=%.1f "
           "ack_p99_ms=%.1f ack_samples=%zu bots_playing_at_end=%d bench_cpu_pct=%.1f\n",
           a->groups, nbots, watching, dt, 100.0 * (cpu1 - cpu0) / dt,
           (cpu1 - cpu0) * 1e6 / player_ticks, late, late_rounds, worst, bytes_s, states_s,
           inputs_s, p50, p99, gb->nlat, still, 100.0 * (self1 - self0) / dt);
    if (set->nfailed) {
        fprintf(stderr, "bench_game: %s\n", set->first_failure);
        return 1;
    }
    if (watching < a->watchers) {
        fprintf(stderr, "bench_game: %d of %d watchers watched through the window%s%s\n", watching,
                a->watchers, eyes && eyes->nfailed ? ": " : "",
                eyes && eyes->nfailed ? eyes->first_failure : "");
        return 1;
    }
    if (still < nbots || late < 0) {
        fprintf(stderr, "bench_game: %d of %d bots played through the window, %d finished\n", still,
                nbots, set->nfinished);
        return 1;
    }
    return 0;
}

/* Returns how many bots play once all do, or at GAME_START_TIMEOUT or a failure. */
static int wait_playing(bot_set_t *set)
{
    double deadline = bench_now() + GAME_START_TIMEOUT;
    int playing = 0;
    while (bench_now() < deadline && set->nfailed == 0 &&
           (playing = count_phase(set, BOT_PLAYING)) < set->nbots)
        bot_set_poll(set, 100);
    return playing;
}

/* W watchers log in once every group plays and watch the first group in a round. */
static int start_watchers(bot_set_t *eyes, bot_set_t *set, const bench_server_t *srv, int w)
{
    bot_config_t cfg = {.prefix = "eye", .rounds = 1, .login = true, .seed = 1, .watch = true};
    char err[256];
    if (bot_set_init(eyes, &cfg, "127.0.0.1", srv->port, w, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench_game: cannot set up %d watchers: %s\n", w, err);
        return -1;
    }
    bot_start_all(eyes);
    double deadline = bench_now() + GAME_START_TIMEOUT;
    while (bench_now() < deadline && eyes->nfailed == 0 && count_phase(eyes, BOT_WATCHING) < w)
        poll_all(set, eyes, 10);
    if (count_phase(eyes, BOT_WATCHING) < w) {
        fprintf(stderr, "bench_game: only %d of %d watchers watch%s%s\n",
                count_phase(eyes, BOT_WATCHING), w, eyes->nfailed ? ": " : "",
                eyes->nfailed ? eyes->first_failure : "");
        bot_set_free(eyes);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    game_args_t a = {.groups = GAME_DEFAULT_GROUPS,
                     .seconds = GAME_DEFAULT_SECONDS,
                     .margin = GAME_DEFAULT_MARGIN,
                     .group_size = GAME_GROUP};
    parse_args(argc, argv, &a);
    if (a.watchers >= a.group_size) {
        fprintf(stderr, "bench_game: --watchers must be below --group-size (%d)\n", a.group_size);
        return 2;
    }
    int nbots = a.groups * a.group_size;
    if (bot_raise_fd_limit(2L * nbots + GAME_FD_SPARE) < nbots + GAME_FD_SPARE) {
        fprintf(stderr, "bench_game: the descriptor limit is below %d\n", nbots);
        return 1;
    }
    bench_server_t srv;
    if (start_server(&srv, &a, nbots) != 0)
        return 1;

    game_bench_t gb = {0};
    gb.pending_seq = calloc((size_t)nbots, sizeof(*gb.pending_seq));
    gb.pending_t = calloc((size_t)nbots, sizeof(*gb.pending_t));
    bot_config_t cfg = {.prefix = "load",
                        .rounds = 1,
                        .stay = true,
                        .vote = BOT_VOTE_FIRST,
                        .login = true,
                        .seed = 1,
                        .hooks = {.ud = &gb, .on_input = on_input, .on_state = on_state}};
    bot_set_t set;
    char err[256];
    if (!gb.pending_seq || !gb.pending_t ||
        bot_set_init(&set, &cfg, "127.0.0.1", srv.port, nbots, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench_game: cannot set up %d bots\n", nbots);
        bench_server_stop(&srv);
        return 1;
    }
    bot_start_all(&set);
    int playing = wait_playing(&set);
    int status;
    if (playing < nbots || set.nfailed) {
        char where[256];
        bot_set_census(&set, where, sizeof(where));
        fprintf(stderr, "bench_game: only %d of %d bots got into a game (%s)%s%s\n", playing, nbots,
                where, set.nfailed ? "; first failure: " : "",
                set.nfailed ? set.first_failure : "");
        status = 1;
    } else {
        bot_set_t eyes;
        bool have_eyes = a.watchers > 0 && start_watchers(&eyes, &set, &srv, a.watchers) == 0;
        status = a.watchers > 0 && !have_eyes
                     ? 1
                     : measure(&set, have_eyes ? &eyes : NULL, &gb, &srv, &a);
        if (have_eyes)
            bot_set_free(&eyes);
    }
    bot_set_free(&set);
    bench_server_stop(&srv);
    free(gb.pending_seq);
    free(gb.pending_t);
    free(gb.lat);
    return status;
}
