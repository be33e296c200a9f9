/* bench_capacity.c -- idle connections: server RSS per connection above the empty server's, for
 * connections greeted but not logged in, and logged in waiting in their groups' votes; depends
 * on bot/bot and benchutil */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "bot.h"

#define CAP_DEFAULT_CLIENTS 10000
#define CAP_MAX_CLIENTS     15000
#define CAP_FD_SPARE        64
#define CAP_SETTLE_S        1.0 /* seconds of quiet before reading the RSS */
#define CAP_DEFAULT_TIMEOUT 90  /* seconds to get everyone there (the login stage allows 120) */
/* Clients connect in batches no larger than the server's listen backlog (511), each once the
 * one before is greeted: 10,000 connects at once overflow the accept queue into SYN cookies,
 * and a cookie connection whose last ACK is dropped leaves a client connected to nothing,
 * waiting for a greeting that never comes. */
#define CAP_CONNECT_BATCH 500
#define CAP_BATCH_WAIT_S  5.0 /* at most this long for one batch's greetings */

typedef enum cap_mode { CAP_GREETED, CAP_VOTING } cap_mode_t;

/* Starts every client, a batch at a time (see CAP_CONNECT_BATCH). */
static void start_in_batches(bot_set_t *set, double deadline)
{
    for (int first = 0; first < set->nbots; first += CAP_CONNECT_BATCH) {
        int last = first + CAP_CONNECT_BATCH < set->nbots ? first + CAP_CONNECT_BATCH : set->nbots;
        for (int i = first; i < last; i++)
            bot_start(set, i);
        double until = bench_now() + CAP_BATCH_WAIT_S;
        for (;;) {
            bot_set_poll(set, 20);
            int waiting = 0;
            for (int i = first; i < last; i++)
                waiting +=
                    set->bots[i].phase == BOT_CONNECTING || set->bots[i].phase == BOT_GREETING;
            if (waiting == 0 || bench_now() >= until || bench_now() >= deadline)
                break;
        }
    }
}

static int count_phase(const bot_set_t *s, bot_phase_t phase)
{
    int n = 0;
    for (int i = 0; i < s->nbots; i++)
        n += s->bots[i].phase == phase;
    return n;
}

/* One measurement on a fresh server. Returns 0 when every client got there. */
static int measure(cap_mode_t mode, int clients, const char *server, const char *group_size,
                   int timeout, int hold)
{
    char max_clients[16];
    snprintf(max_clients, sizeof(max_clients), "%d", clients + CAP_FD_SPARE);
    /* Every client comes from 127.0.0.1: the limit per address is lifted (and with it the
     * shorter login time-out of a crowded address). */
    const char *const args[] = {"--max-clients",
                                max_clients,
                                "--group-size",
                                group_size,
                                "--vote-timeout",
                                "3600",
                                "--log-level",
                                "warn",
                                "--max-pending-per-address",
                                BENCH_MAX_PENDING,
                                NULL};
    bench_server_t srv;
    if (bench_server_start(&srv, server, args) != 0)
        return -1;
    bench_sleep(CAP_SETTLE_S);
    long empty = bench_rss_kib(srv.pid);

    bot_config_t cfg = {
        .prefix = "idle", .vote = BOT_VOTE_NONE, .login = mode == CAP_VOTING, .seed = 1};
    bot_set_t set;
    char err[256];
    if (bot_set_init(&set, &cfg, "127.0.0.1", srv.port, clients, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench_capacity: %s\n", err);
        bench_server_stop(&srv);
        return -1;
    }
    double deadline = bench_now() + timeout;
    start_in_batches(&set, deadline);
    /* Greeted clients end as BOT_DONE (connected, idle); voters as BOT_VOTING, except the
     * last few that do not fill a group and wait in the lobby. */
    int gs = atoi(group_size);
    int want_voting = clients / gs * gs;
    int there = 0;
    while (bench_now() < deadline && set.nfailed == 0) {
        bot_set_poll(&set, 100);
        there = mode == CAP_GREETED ? count_phase(&set, BOT_DONE) : count_phase(&set, BOT_VOTING);
        if (there >= (mode == CAP_GREETED ? clients : want_voting))
            break;
    }
    /* Let the server settle (flushes, timers), answering its pings meanwhile. */
    double settle = bench_now() + CAP_SETTLE_S;
    while (bench_now() < settle)
        bot_set_poll(&set, 50);
    long rss = bench_rss_kib(srv.pid);
    const char *what = mode == CAP_GREETED ? "greeted" : "voting";
    int connected = 0;
    for (int i = 0; i < clients; i++)
        connected += set.bots[i].fd >= 0;
    printf("capacity state=%s connections=%d in_state=%d empty_rss_kib=%ld rss_kib=%ld "
           "per_conn_kib=%.2f\n",
           what, connected, there, empty, rss, connected ? (double)(rss - empty) / connected : 0.0);
    fflush(stdout);
    /* --hold: keep everyone connected a while, to look at the server from outside. */
    double until = bench_now() + hold;
    while (bench_now() < until)
        bot_set_poll(&set, 100);
    int ok = set.nfailed == 0 && there >= (mode == CAP_GREETED ? clients : want_voting);
    if (!ok) {
        char where[256];
        bot_set_census(&set, where, sizeof(where));
        fprintf(stderr, "bench_capacity: %s: %d of %d got there (%s)%s%s\n", what, there, clients,
                where, set.nfailed ? "; first failure: " : "",
                set.nfailed ? set.first_failure : "");
    }
    bot_set_free(&set);
    bench_server_stop(&srv);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    int clients = CAP_DEFAULT_CLIENTS, timeout = CAP_DEFAULT_TIMEOUT, hold = 0;
    const char *server = NULL, *group_size = "2", *v;
    for (int i = 1; i < argc; i++) {
        if ((v = bench_flag(argc, argv, &i, "--clients")))
            clients = (int)bench_int("--clients", v, 2, CAP_MAX_CLIENTS);
        else if ((v = bench_flag(argc, argv, &i, "--server")))
            server = v;
        else if ((v = bench_flag(argc, argv, &i, "--group-size")))
            group_size = (bench_int("--group-size", v, 2, 8), v);
        else if ((v = bench_flag(argc, argv, &i, "--hold")))
            hold = (int)bench_int("--hold", v, 0, 100);
        else if ((v = bench_flag(argc, argv, &i, "--timeout")))
            timeout = (int)bench_int("--timeout", v, 1, 110);
        else {
            fprintf(
                stderr,
                "usage: bench_capacity [--clients N] [--group-size K] [--hold S] [--server PATH]\n"
                "N idle connections to a fresh server, twice: greeted only, then logged in\n"
                "and waiting in their groups' votes. Prints the server's RSS per connection\n"
                "above the empty server's. --hold keeps them connected S seconds more.\n");
            return 2;
        }
    }
    if (bot_raise_fd_limit(2L * clients + CAP_FD_SPARE) < clients + CAP_FD_SPARE) {
        fprintf(stderr, "bench_capacity: the descriptor limit is below %d\n", clients);
        return 1;
    }
    int a = measure(CAP_GREETED, clients, server, group_size, timeout, hold);
    int b = measure(CAP_VOTING, clients, server, group_size, timeout, hold);
    return a == 0 && b == 0 ? 0 : 1;
}
