/* main.c -- nine43-bot: headless players for a nine43 server (command line, signals, the loop);
 * depends on botnet (and through it common/ and the brain) */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "botnet.h"
#include "discover.h"

#define BOT_VERSION           "1.0.0"
#define BOT_DEFAULT_HOST      "127.0.0.1"
#define BOT_DEFAULT_PORT      9999
#define BOT_MAX_COUNT         20000 /* bots in one process */
#define BOT_TIMEOUT_BASE      60    /* seconds: --timeout default is BASE + PER_ROUND x rounds */
#define BOT_TIMEOUT_PER_ROUND 180
#define BOT_MAX_TIMEOUT       86400
#define BOT_POLL_MAX_MS       1000 /* the loop wakes at least this often to check the deadline */
#define BOT_FD_SPARE          16   /* descriptors besides the bots' connections */

#define EXIT_USAGE 2

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
    bool help, version;
    bool discover;              /* --discover: list the LAN's servers instead of playing */
    const char *discovery_addr; /* NULL = every interface's broadcast address */
} bot_opts_t;

/* Options are a table: a new one is a row and a parser. */
typedef int (*opt_parse_fn)(bot_opts_t *o, const char *value, char *err, size_t errlen);

typedef struct opt_def {
    const char *name;
    const char *arg; /* NULL for a flag */
    const char *help;
    opt_parse_fn parse;
} opt_def_t;

static int parse_int(const char *value, long lo, long hi, long *out, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || v < lo || v > hi) {
        snprintf(err, errlen, "expected a whole number from %ld to %ld, got \"%s\"", lo, hi, value);
        return -1;
    }
    *out = v;
    return 0;
}

static int opt_host(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    if (!*v) {
        snprintf(err, errlen, "the host is empty");
        return -1;
    }
    o->host = v;
    return 0;
}

static int opt_port(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    long n;
    if (parse_int(v, 1, 65535, &n, err, errlen) != 0)
        return -1;
    o->port = (int)n;
    return 0;
}

static int opt_count(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    long n;
    if (parse_int(v, 1, BOT_MAX_COUNT, &n, err, errlen) != 0)
        return -1;
    o->count = (int)n;
    return 0;
}

static int opt_prefix(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    o->prefix = v; /* the server judges the names it makes */
    return 0;
}

static int opt_rounds(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    long n;
    if (parse_int(v, 0, INT_MAX, &n, err, errlen) != 0)
        return -1;
    o->rounds = (int)n;
    return 0;
}

static int opt_vote(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
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

static int opt_seed(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || v[0] == '-') {
        snprintf(err, errlen, "expected a non-negative whole number, got \"%s\"", v);
        return -1;
    }
    o->seed = n;
    return 0;
}

static int opt_timeout(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    long n;
    if (parse_int(v, 0, BOT_MAX_TIMEOUT, &n, err, errlen) != 0)
        return -1;
    o->timeout = (int)n;
    return 0;
}

static int opt_quiet(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    (void)v, (void)err, (void)errlen;
    o->quiet = true;
    return 0;
}

static int opt_discover(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    (void)v, (void)err, (void)errlen;
    o->discover = true;
    return 0;
}

static int opt_discovery_addr(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    struct in_addr a;
    if (inet_pton(AF_INET, v, &a) != 1) {
        snprintf(err, errlen, "expected an IPv4 address, got \"%s\"", v);
        return -1;
    }
    o->discovery_addr = v;
    return 0;
}

static int opt_help(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    (void)v, (void)err, (void)errlen;
    o->help = true;
    return 0;
}

static int opt_version(bot_opts_t *o, const char *v, char *err, size_t errlen)
{
    (void)v, (void)err, (void)errlen;
    o->version = true;
    return 0;
}

static const opt_def_t OPTIONS[] = {
    {"--host", "HOST", "server address (default " BOT_DEFAULT_HOST ")", opt_host},
    {"--port", "PORT", "server TCP port (default 9999)", opt_port},
    {"--count", "N", "players to run, each on its own connection (default 1)", opt_count},
    {"--username-prefix", "TEXT", "names are TEXT1, TEXT2, ... (default bot)", opt_prefix},
    {"--rounds", "R", "rounds each player plays, then leaves; 0 = until stopped (default 1)",
     opt_rounds},
    {"--vote", "HOW", "random, first or none (default random)", opt_vote},
    {"--seed", "N", "seed of the players' choices (default 1)", opt_seed},
    {"--timeout", "SECONDS",
     "give up (exit 1) after this long; 0 = never (default 60 + 180 per round, never for 0)",
     opt_timeout},
    {"--quiet", NULL, "print nothing but errors", opt_quiet},
    {"--discover", NULL,
     "list the LAN's servers on --port as JSON lines (listening 2 s) and exit: 0 if any "
     "answered, 1 if none",
     opt_discover},
    {"--discovery-addr", "ADDR",
     "probe ADDR only (e.g. 127.255.255.255) instead of every interface's broadcast address",
     opt_discovery_addr},
    {"--help", NULL, "show this help", opt_help},
    {"--version", NULL, "show the version", opt_version},
};
#define NOPTIONS (sizeof(OPTIONS) / sizeof(OPTIONS[0]))

static void usage(FILE *f)
{
    fprintf(f, "usage: nine43-bot [options]\n"
               "Headless players that log in to a nine43 server, vote, play and continue.\n"
               "Exits 0 when every player finished its rounds, 1 with a reason otherwise.\n\n");
    for (size_t i = 0; i < NOPTIONS; i++) {
        char left[48];
        snprintf(left, sizeof(left), "%s%s%s", OPTIONS[i].name, OPTIONS[i].arg ? " " : "",
                 OPTIONS[i].arg ? OPTIONS[i].arg : "");
        fprintf(f, "  %-26s %s\n", left, OPTIONS[i].help);
    }
}

/* Accepts "--name value" and "--name=value". Returns 0, or -1 after printing why. */
static int parse_args(int argc, char **argv, bot_opts_t *o)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        const opt_def_t *def = NULL;
        for (size_t k = 0; k < NOPTIONS; k++) {
            if (strlen(OPTIONS[k].name) == nlen && strncmp(OPTIONS[k].name, arg, nlen) == 0)
                def = &OPTIONS[k];
        }
        if (!def) {
            fprintf(stderr, "nine43-bot: unknown option \"%s\"\n", arg);
            return -1;
        }
        const char *value = NULL;
        if (def->arg) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                fprintf(stderr, "nine43-bot: %s needs a value (%s)\n", def->name, def->arg);
                return -1;
            }
        } else if (eq) {
            fprintf(stderr, "nine43-bot: %s takes no value\n", def->name);
            return -1;
        }
        char err[256];
        if (def->parse(o, value, err, sizeof(err)) != 0) {
            fprintf(stderr, "nine43-bot: %s: %s\n", def->name, err);
            return -1;
        }
    }
    return 0;
}

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    g_stop = sig;
}

int main(int argc, char **argv)
{
    bot_opts_t o = {.host = BOT_DEFAULT_HOST,
                    .port = BOT_DEFAULT_PORT,
                    .count = 1,
                    .prefix = "bot",
                    .rounds = 1,
                    .vote = BOT_VOTE_RANDOM,
                    .seed = 1,
                    .timeout = -1};
    if (parse_args(argc, argv, &o) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (o.help) {
        usage(stdout);
        return 0;
    }
    if (o.version) {
        printf("nine43-bot %s (protocol %d)\n", BOT_VERSION, PROTO_VERSION);
        return 0;
    }
    if (o.discover)
        return bot_discover(o.discovery_addr, o.port, BOT_DISCOVER_WAIT_MS, stdout);
    if (o.timeout < 0) {
        /* Capped at BOT_MAX_TIMEOUT, which also keeps the product from overflowing. */
        if (o.rounds == 0)
            o.timeout = 0;
        else if (o.rounds > (BOT_MAX_TIMEOUT - BOT_TIMEOUT_BASE) / BOT_TIMEOUT_PER_ROUND)
            o.timeout = BOT_MAX_TIMEOUT;
        else
            o.timeout = BOT_TIMEOUT_BASE + BOT_TIMEOUT_PER_ROUND * o.rounds;
    }

    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

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
                        .verbose = !o.quiet};
    bot_set_t set;
    char err[256];
    if (bot_set_init(&set, &cfg, o.host, o.port, o.count, err, sizeof(err)) != 0) {
        fprintf(stderr, "nine43-bot: %s\n", err);
        return 1;
    }
    bot_start_all(&set);

    double deadline = o.timeout > 0 ? bot_now() + o.timeout : 0;
    int status = 0;
    while (!bot_set_over(&set)) {
        if (set.nfailed > 0) {
            fprintf(stderr, "nine43-bot: %s\n", set.first_failure);
            status = 1;
            break;
        }
        if (g_stop) {
            if (o.rounds > 0) {
                fprintf(stderr, "nine43-bot: stopped by signal %d before the rounds were played\n",
                        (int)g_stop);
                status = 1;
            }
            break;
        }
        int wait_ms = BOT_POLL_MAX_MS;
        if (deadline > 0) {
            double left = deadline - bot_now();
            if (left <= 0) {
                char where[256];
                bot_set_census(&set, where, sizeof(where));
                fprintf(stderr,
                        "nine43-bot: timed out after %d s: %d of %d players finished (%s)\n",
                        o.timeout, set.nfinished, set.nbots, where);
                status = 1;
                break;
            }
            if (left * 1000 < wait_ms)
                wait_ms = (int)(left * 1000) + 1;
        }
        if (bot_set_poll(&set, wait_ms) != 0) {
            fprintf(stderr, "nine43-bot: poll: %s\n", strerror(errno));
            status = 1;
            break;
        }
    }
    if (status == 0 && set.nfailed > 0) {
        fprintf(stderr, "nine43-bot: %s\n", set.first_failure);
        status = 1;
    }
    if (status == 0 && !o.quiet && !g_stop)
        printf("nine43-bot: %d players finished %d round%s each\n", set.nbots, o.rounds,
               o.rounds == 1 ? "" : "s");
    bot_set_free(&set);
    return status;
}
