/* bench_login.c -- login storm: K clients connect at once, log in and get the lobby welcome;
 * prints total seconds and p50/p99 latency; depends on bot/bot and benchutil */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "bot.h"

#define LOGIN_DEFAULT_CLIENTS 1000
#define LOGIN_MAX_CLIENTS     15000
#define LOGIN_DEFAULT_TIMEOUT 60 /* seconds before the run is declared failed */
#define LOGIN_FD_SPARE        64
#define LOGIN_CONNECT_BATCH                                                                        \
    64 /* connects between looks at the sockets, so welcomes are read early */

static void usage(void)
{
    fprintf(stderr, "usage: bench_login [--clients K] [--server PATH] [--timeout SECONDS]\n"
                    "K clients connect to a fresh server at once, log in and wait for the lobby's\n"
                    "welcome. Prints the total time and the per-client latency p50/p99.\n");
}

/* Prints the storm's line from the bots' welcome times; 0 when every client was welcomed. */
static int login_report(const bot_set_t *set, int clients, double t0, double server_cpu_ms)
{
    double last = t0;
    double *lat = malloc(sizeof(double) * (size_t)clients);
    size_t n = 0;
    for (int i = 0; lat && i < clients; i++) {
        const bot_t *b = &set->bots[i];
        if (b->t_welcomed <= 0)
            continue;
        lat[n++] = (b->t_welcomed - b->t_start) * 1000.0;
        if (b->t_welcomed > last)
            last = b->t_welcomed;
    }
    double p50 = bench_percentile(lat, n, 50), p99 = bench_percentile(lat, n, 99);
    double max = n ? lat[n - 1] : 0;
    printf("login_storm clients=%d welcomed=%zu failed=%d total_s=%.3f p50_ms=%.1f p99_ms=%.1f "
           "max_ms=%.1f server_cpu_ms=%.1f\n",
           clients, n, set->nfailed, last - t0, p50, p99, max, server_cpu_ms);
    int status = n == (size_t)clients ? 0 : 1;
    if (status)
        fprintf(stderr, "bench_login: %d of %d clients were not welcomed%s%s\n", clients - (int)n,
                clients, set->nfailed ? "; first failure: " : "",
                set->nfailed ? set->first_failure : "");
    free(lat);
    return status;
}

int main(int argc, char **argv)
{
    int clients = LOGIN_DEFAULT_CLIENTS, timeout = LOGIN_DEFAULT_TIMEOUT;
    const char *server = NULL, *v;
    for (int i = 1; i < argc; i++) {
        if ((v = bench_flag(argc, argv, &i, "--clients")))
            clients = (int)bench_int("--clients", v, 1, LOGIN_MAX_CLIENTS);
        else if ((v = bench_flag(argc, argv, &i, "--server")))
            server = v;
        else if ((v = bench_flag(argc, argv, &i, "--timeout")))
            timeout = (int)bench_int("--timeout", v, 1, 3600);
        else {
            usage();
            return 2;
        }
    }
    if (bot_raise_fd_limit(2L * clients + LOGIN_FD_SPARE) < clients + LOGIN_FD_SPARE) {
        fprintf(stderr, "bench_login: the descriptor limit is below %d\n", clients);
        return 1;
    }
    char max_clients[16];
    snprintf(max_clients, sizeof(max_clients), "%d", clients + LOGIN_FD_SPARE);
    /* Groups of 8 and a long vote: players who got their welcome sit still. Every client comes
     * from 127.0.0.1 at once: the limit per address is lifted. */
    const char *const args[] = {"--max-clients",
                                max_clients,
                                "--group-size",
                                "8",
                                "--vote-timeout",
                                "3600",
                                "--log-level",
                                "warn",
                                "--max-pending-per-address",
                                BENCH_MAX_PENDING,
                                NULL};
    bench_server_t srv;
    if (bench_server_start(&srv, server, args) != 0)
        return 1;

    bot_config_t cfg = {.prefix = "storm", .vote = BOT_VOTE_NONE, .login = true, .seed = 1};
    bot_set_t set;
    char err[256];
    if (bot_set_init(&set, &cfg, "127.0.0.1", srv.port, clients, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench_login: %s\n", err);
        bench_server_stop(&srv);
        return 1;
    }
    double cpu0 = bench_cpu_seconds(srv.pid);
    double t0 = bench_now();
    for (int i = 0; i < clients; i++) {
        bot_start(&set, i);
        if ((i + 1) % LOGIN_CONNECT_BATCH == 0)
            bot_set_poll(&set, 0);
    }
    int welcomed = 0;
    double deadline = t0 + timeout;
    while (welcomed + set.nfailed < clients && bench_now() < deadline) {
        bot_set_poll(&set, 100);
        welcomed = 0;
        for (int i = 0; i < clients; i++)
            welcomed += set.bots[i].t_welcomed > 0;
    }
    double cpu1 = bench_cpu_seconds(srv.pid);
    int status = login_report(&set, clients, t0, (cpu1 - cpu0) * 1000.0);
    bot_set_free(&set);
    bench_server_stop(&srv);
    return status;
}
