/* main.c -- nine43-bot: headless players for a nine43 server (command line, signals, the loop);
 * depends on bot (and through it common/ and the brain), discover and common/opt */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "discover.h"
#include "opt.h"
#include "verify.h"

#define BOT_DEFAULT_HOST      "127.0.0.1"
#define BOT_DEFAULT_PORT      9999
#define BOT_DEFAULT_COUNT     1
#define BOT_DEFAULT_ROUNDS    1
#define BOT_MAX_COUNT         20000 /* bots in one process */
#define BOT_TIMEOUT_BASE      60    /* seconds: --timeout default is BASE + PER_ROUND x rounds */
#define BOT_TIMEOUT_PER_ROUND 180
#define BOT_MAX_TIMEOUT       86400
#define BOT_POLL_MAX_MS       1000 /* the loop wakes at least this often to check the deadline */
#define BOT_FD_SPARE          16   /* descriptors besides the bots' connections */
#define BOT_MAX_DROP_EVERY    3600 /* seconds, largest --drop-every */

#define BOT_STR_(x)      #x
#define BOT_STR(x)       BOT_STR_(x)
#define BOT_TIMEOUT_TEXT BOT_STR(BOT_TIMEOUT_BASE) " + " BOT_STR(BOT_TIMEOUT_PER_ROUND) " per round"

typedef struct bot_opts {
    const char *host;
    int port;
    int count;
    const char *prefix;
    int rounds;
    bot_vote_t vote;
    uint64_t seed;
    int timeout; /* seconds, 0 = none; -1 = the default for the rounds */
    bool quiet;
    bool discover;              /* --discover: list the LAN's servers instead of playing */
    const char *discovery_addr; /* NULL = every interface's broadcast address */
    int drop_every;             /* seconds, 0 = never */
    const char *verify_replay;  /* --verify-replay: re-simulate this file instead of playing */
    bool watch;                 /* --watch: watch the first running group instead of playing */
} bot_opts_t;

static int parse_prefix(void *cfg, const opt_t *opt, const char *v, char *err, size_t errlen)
{
    (void)opt, (void)err, (void)errlen;
    ((bot_opts_t *)cfg)->prefix = v; /* the server judges the names it makes, even "" */
    return 0;
}

static int parse_vote(void *cfg, const opt_t *opt, const char *v, char *err, size_t errlen)
{
    (void)opt;
    bot_opts_t *o = cfg;
    if (strcmp(v, "random") == 0)
        o->vote = BOT_VOTE_RANDOM;
    else if (strcmp(v, "first") == 0)
        o->vote = BOT_VOTE_FIRST;
    else if (strcmp(v, "none") == 0)
        o->vote = BOT_VOTE_NONE;
    else {
        snprintf(err, errlen, "expected random, first or none, got \"%s\"", v);
        return -1;
    }
    return 0;
}

static int parse_seed(void *cfg, const opt_t *opt, const char *v, char *err, size_t errlen)
{
    (void)opt;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || v[0] == '-') {
        snprintf(err, errlen, "expected a non-negative whole number, got \"%s\"", v);
        return -1;
    }
    ((bot_opts_t *)cfg)->seed = n;
    return 0;
}

static int parse_discovery_addr(void *cfg, const opt_t *opt, const char *v, char *err,
                                size_t errlen)
{
    (void)opt;
    uint32_t a;
    if (sys_ipv4_parse(v, &a) < 0) {
        snprintf(err, errlen, "expected an IPv4 address, got \"%s\"", v);
        return -1;
    }
    ((bot_opts_t *)cfg)->discovery_addr = v;
    return 0;
}

#define OFF(field) offsetof(bot_opts_t, field)
static const opt_t BOT_OPTIONS[] = {
    {"--host", "HOST", "server address (default " BOT_DEFAULT_HOST ")", opt_string, OFF(host), 0, 0,
     0},
    {"--port", "PORT", "server TCP port (default {def})", opt_int, OFF(port), 1, 65535,
     BOT_DEFAULT_PORT},
    {"--count", "N", "players to run, each on its own connection (default {def})", opt_int,
     OFF(count), 1, BOT_MAX_COUNT, BOT_DEFAULT_COUNT},
    {"--username-prefix", "TEXT", "names are TEXT1, TEXT2, ... (default bot)", parse_prefix, 0, 0,
     0, 0},
    {"--rounds", "R", "rounds each player plays, then leaves; 0 = until stopped (default {def})",
     opt_int, OFF(rounds), 0, INT_MAX, BOT_DEFAULT_ROUNDS},
    {"--vote", "HOW", "random, first or none (default random)", parse_vote, 0, 0, 0, 0},
    {"--seed", "N", "seed of the players' choices (default 1)", parse_seed, 0, 0, 0, 0},
    {"--timeout", "SECONDS",
     "give up (exit 1) after this long; 0 = never\n(default " BOT_TIMEOUT_TEXT ", never for 0)",
     opt_int, OFF(timeout), 0, BOT_MAX_TIMEOUT, 0},
    {"--quiet", NULL, "print nothing but errors", opt_flag, OFF(quiet), 0, 0, 0},
    {"--discover", NULL,
     "list the LAN's servers on --port as JSON lines (listening 2 s)\n"
     "and exit: 0 if any answered, 1 if none",
     opt_flag, OFF(discover), 0, 0, 0},
    {"--discovery-addr", "ADDR",
     "probe ADDR only (e.g. 127.255.255.255) instead of every\ninterface's broadcast address",
     parse_discovery_addr, 0, 0, 0, 0},
    {"--drop-every", "SECONDS",
     "in a round, drop the connection this often and resume\nwith the server's token (tests; 0 = "
     "never)",
     opt_int, OFF(drop_every), 0, BOT_MAX_DROP_EVERY, 0},
    {"--watch", NULL,
     "log in, watch the first running group to its end and print its\n"
     "final scores as one JSON line (its \"fin\"); 1 when refused or dropped",
     opt_flag, OFF(watch), 0, 0, 0},
    {"--verify-replay", "FILE",
     "re-simulate a replay file without a window and exit: 0 when it\n"
     "ends as recorded, 1 with the first tick that differs, 2 when the\nfile is not valid",
     opt_string, OFF(verify_replay), 0, 0, 0},
    {0},
};
#undef OFF

static const opt_program_t BOT_PROGRAM = {
    .name = "nine43-bot",
    .version = NINE43_VERSION " (protocol " BOT_STR(PROTO_VERSION) ")",
    .usage = "nine43-bot [options]",
    .intro = "Headless players that log in to a nine43 server, vote, play and continue.\n"
             "Exits 0 when every player finished its rounds, 1 with a reason otherwise.\n",
    .opts = BOT_OPTIONS,
};

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    g_stop = sig;
}

/* --timeout's default grows with the rounds; capped at BOT_MAX_TIMEOUT, which also keeps the
 * product from overflowing. */
static int default_timeout(int rounds)
{
    if (rounds == 0)
        return 0;
    if (rounds > (BOT_MAX_TIMEOUT - BOT_TIMEOUT_BASE) / BOT_TIMEOUT_PER_ROUND)
        return BOT_MAX_TIMEOUT;
    return BOT_TIMEOUT_BASE + BOT_TIMEOUT_PER_ROUND * rounds;
}

/* SIGINT and SIGTERM (Ctrl+C on Windows) end the loop at its next turn, through C's own
 * signal(); a server that went away is an error on its connection, not a SIGPIPE (where the
 * system has one). */
static void catch_signals(void)
{
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_IGN);
#endif
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
}

/* Plays until every bot is done, one fails, a signal comes or the time is up. Returns the exit
 * status, after saying why on stderr when it is not 0. */
static int run(bot_set_t *set, const bot_opts_t *o)
{
    double deadline = o->timeout > 0 ? bot_now() + o->timeout : 0;
    while (!bot_set_over(set) && set->nfailed == 0) {
        if (g_stop) {
            if (o->rounds == 0)
                return 0;
            fprintf(stderr, "nine43-bot: stopped by signal %d before the rounds were played\n",
                    (int)g_stop);
            return 1;
        }
        int wait_ms = BOT_POLL_MAX_MS;
        if (deadline > 0) {
            double left = deadline - bot_now();
            if (left <= 0) {
                char where[256];
                bot_set_census(set, where, sizeof(where));
                fprintf(stderr,
                        "nine43-bot: timed out after %d s: %d of %d players finished (%s)\n",
                        o->timeout, set->nfinished, set->nbots, where);
                return 1;
            }
            if (left * 1000 < wait_ms)
                wait_ms = (int)(left * 1000) + 1;
        }
        if (bot_set_poll(set, wait_ms) != 0) {
            fprintf(stderr, "nine43-bot: poll: %s\n", set->poll_error);
            return 1;
        }
    }
    if (set->nfailed > 0) {
        fprintf(stderr, "nine43-bot: %s\n", set->first_failure);
        return 1;
    }
    return 0;
}

/* --watch: each watcher's round as the server's "fin", one JSON line each, on stdout. */
static void bot_print_watched(bot_set_t *set)
{
    for (int i = 0; i < set->nbots; i++) {
        if (!set->bots[i].watched_fin)
            continue;
        proto_init(set->enc_msg, MSG_FINISH);
        set->enc_msg->u.fin = *set->bots[i].watched_fin;
        int n = proto_encode(set->enc_msg, set->enc, PROTO_MAX_LINE);
        if (n > 0)
            fwrite(set->enc, 1, (size_t)n, stdout);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    bot_opts_t o = {.host = BOT_DEFAULT_HOST,
                    .port = BOT_DEFAULT_PORT,
                    .count = BOT_DEFAULT_COUNT,
                    .prefix = "bot",
                    .rounds = BOT_DEFAULT_ROUNDS,
                    .vote = BOT_VOTE_RANDOM,
                    .seed = 1,
                    .timeout = -1};
    opt_result_t parsed = opt_parse(&BOT_PROGRAM, &o, argc, argv);
    if (parsed != OPT_RUN)
        return parsed == OPT_EXIT ? 0 : OPT_EXIT_USAGE;
    if (o.verify_replay)
        return verify_replay_file(o.verify_replay, stdout, stderr);
    if (o.discover)
        return discover_run(o.discovery_addr, o.port, DISCOVER_WAIT_MS, stdout);
    if (o.timeout < 0)
        o.timeout = default_timeout(o.rounds);
    catch_signals();

    long limit = bot_raise_fd_limit((long)o.count + BOT_FD_SPARE);
    if (limit < (long)o.count + BOT_FD_SPARE) {
        fprintf(stderr, "nine43-bot: %d players need %d descriptors, the limit is %ld\n", o.count,
                o.count + BOT_FD_SPARE, limit);
        return 1;
    }
    bot_config_t cfg = {.prefix = o.prefix,
                        .rounds = o.rounds,
                        .vote = o.vote,
                        .login = true,
                        .seed = o.seed,
                        .verbose = !o.quiet && !o.watch, /* stdout is the JSON line's */
                        .drop_every_ms = o.drop_every * 1000,
                        .watch = o.watch};
    bot_set_t set;
    char err[256];
    if (bot_set_init(&set, &cfg, o.host, o.port, o.count, err, sizeof(err)) != 0) {
        fprintf(stderr, "nine43-bot: %s\n", err);
        return 1;
    }
    bot_start_all(&set);
    int status = run(&set, &o);
    if (status == 0 && o.watch)
        bot_print_watched(&set);
    else if (status == 0 && !o.quiet && !g_stop)
        printf("nine43-bot: %d players finished %d round%s each\n", set.nbots, o.rounds,
               o.rounds == 1 ? "" : "s");
    if (o.drop_every > 0 && !o.quiet)
        printf("nine43-bot: %llu drops, %llu resumes\n", (unsigned long long)set.drops,
               (unsigned long long)set.resumes);
    bot_set_free(&set);
    return status;
}
