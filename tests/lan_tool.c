/* lan_tool.c -- test driver for LAN discovery: "discover" runs bot_discover, "respond" answers
 * probes with the server module alone; depends on bot/discover and server/discovery */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "discover.h"
#include "discovery.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int usage(void)
{
    fprintf(stderr, "usage: lan_tool discover ADDR|- PORT [WAIT_MS]\n"
                    "       lan_tool respond PORT NAME SECONDS [BIND]\n");
    return 2;
}

/* Answers probes on PORT for SECONDS (or until SIGTERM), as a server with one world and no
 * players would. */
static int respond(int port, const char *name, int seconds, const char *bind_addr)
{
    char err[256];
    discovery_t *d = discovery_open(bind_addr, port, err, sizeof err);
    if (!d) {
        fprintf(stderr, "lan_tool: %s\n", err);
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    fprintf(stderr, "lan_tool: answering on UDP %d as \"%s\" (id %s)\n", discovery_port(d), name,
            discovery_id(d));
    discovery_info_t info = {.name = name, .group_size = 2, .worlds = 1};
    long long end = monotonic_ms() + (long long)seconds * 1000;
    while (!stop && monotonic_ms() < end) {
        struct pollfd p = {.fd = discovery_fd(d), .events = POLLIN};
        if (poll(&p, 1, 100) > 0)
            discovery_on_readable(d, monotonic_ms(), &info);
    }
    fprintf(stderr, "lan_tool: answered %llu\n", (unsigned long long)discovery_stats(d)->answered);
    discovery_close(d);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "discover") == 0) {
        const char *addr = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
        return bot_discover(addr, atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 0, stdout);
    }
    if (argc >= 5 && strcmp(argv[1], "respond") == 0)
        return respond(atoi(argv[2]), argv[3], atoi(argv[4]), argc > 5 ? argv[5] : NULL);
    return usage();
}
