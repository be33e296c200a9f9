/* config.c -- the server's command line: defaults, parsing, range checks, usage; depends on
 * server.h */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discovery.h"
#include "server.h"
#include "utf8.h"

#ifndef NINE43_VERSION
#define NINE43_VERSION "1.0.0"
#endif

#define KIB 1024

void server_config_defaults(server_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->port = SERVER_DEFAULT_PORT;
    cfg->group_size = SERVER_DEFAULT_GROUP_SIZE;
    cfg->vote_timeout = SERVER_DEFAULT_VOTE_TIMEOUT;
    cfg->max_clients = SERVER_DEFAULT_MAX_CLIENTS;
    cfg->idle_timeout = SERVER_DEFAULT_IDLE_TIMEOUT;
    cfg->end_timeout = SERVER_DEFAULT_END_TIMEOUT;
    /* "<hostname>'s game": what LAN players see in their server list. */
    discovery_default_name(cfg->name, sizeof cfg->name);
    cfg->log_level = LOG_INFO;
    cfg->max_output = CONN_MAX_OUTPUT_DEFAULT;
}

void server_usage(FILE *out)
{
    fprintf(out,
            "usage: nine43-server [options]\n"
            "\n"
            "  --port N            TCP port to listen on (default %d; 0 = any free port)\n"
            "  --bind ADDR         address to listen on (default: 0.0.0.0 and ::)\n"
            "  --group-size N      players per game, %d..%d (default %d)\n"
            "  --worlds DIR        folder of world files (default: <assets>/worlds)\n"
            "  --round-seconds N   length of a round, 1..%d (default: each world's own)\n"
            "  --vote-timeout N    seconds to vote for a world, 1..%d (default %d)\n"
            "  --end-timeout N     seconds on the end screen, 1..%d (default %d)\n"
            "  --max-clients N     connections at once, 1..%d (default %d)\n"
            "  --idle-timeout N    seconds of silence before a drop, %d..%d (default %d)\n"
            "  --max-output KIB    output queued per client before it is dropped, %d..%d "
            "(default %d)\n"
            "  --name NAME         server name shown to LAN clients (default \"<host>'s game\")\n"
            "  --port-file FILE    write the bound TCP port to FILE once listening\n"
            "  --no-discovery      do not answer LAN discovery\n"
            "  --log-level LEVEL   error, warn, info or debug (default info)\n"
            "  --help              show this help\n"
            "  --version           show the version\n",
            SERVER_DEFAULT_PORT, PROTO_MIN_GROUP, PROTO_MAX_GROUP, SERVER_DEFAULT_GROUP_SIZE,
            SERVER_MAX_ROUND_SECONDS, PROTO_MAX_TIMEOUT, SERVER_DEFAULT_VOTE_TIMEOUT,
            SERVER_MAX_END_TIMEOUT, SERVER_DEFAULT_END_TIMEOUT, SERVER_MAX_CLIENTS_LIMIT,
            SERVER_DEFAULT_MAX_CLIENTS, SERVER_MIN_IDLE_TIMEOUT, SERVER_MAX_IDLE_TIMEOUT,
            SERVER_DEFAULT_IDLE_TIMEOUT, CONN_MIN_OUTPUT / KIB, CONN_MAX_OUTPUT_LIMIT / KIB,
            CONN_MAX_OUTPUT_DEFAULT / KIB);
}

static int bad(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "nine43-server: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n");
    server_usage(stderr);
    return 2;
}

static int parse_int(const char *flag, const char *v, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end != '\0' || n < lo || n > hi) {
        fprintf(stderr, "nine43-server: %s needs a whole number from %ld to %ld, not \"%s\"\n",
                flag, lo, hi, v);
        server_usage(stderr);
        return 2;
    }
    *out = (int)n;
    return 0;
}

static int copy_string(const char *flag, const char *v, char *dst, size_t cap)
{
    if (v[0] == '\0' || strlen(v) >= cap)
        return bad("%s needs a value of 1 to %s bytes", flag, cap == 256 ? "255" : "4095");
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

int server_parse_args(server_config_t *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            server_usage(stdout);
            return 1;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("nine43-server %s (protocol %d)\n", NINE43_VERSION, PROTO_VERSION);
            return 1;
        }
        if (strcmp(arg, "--no-discovery") == 0) {
            cfg->no_discovery = true;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0)
            return bad("unexpected argument \"%s\"%s", arg, "");
        /* Every other flag takes a value: "--flag value" or "--flag=value". */
        char flag[64];
        const char *value;
        const char *eq = strchr(arg, '=');
        if (eq) {
            size_t n = (size_t)(eq - arg);
            if (n >= sizeof flag)
                return bad("unknown option \"%s\"%s", arg, "");
            memcpy(flag, arg, n);
            flag[n] = '\0';
            value = eq + 1;
        } else {
            if (strlen(arg) >= sizeof flag)
                return bad("unknown option \"%s\"%s", arg, "");
            strcpy(flag, arg);
            value = i + 1 < argc ? argv[i + 1] : NULL;
        }
        static const char *const known[] = {"--port",          "--bind",
                                            "--group-size",    "--worlds",
                                            "--round-seconds", "--vote-timeout",
                                            "--end-timeout",   "--max-clients",
                                            "--idle-timeout",  "--max-output",
                                            "--name",          "--port-file",
                                            "--log-level",     NULL};
        int k = 0;
        while (known[k] && strcmp(known[k], flag) != 0)
            k++;
        if (!known[k])
            return bad("unknown option \"%s\"%s", flag, "");
        if (!value)
            return bad("%s needs a value%s", flag, "");
        if (!eq)
            i++;
        int rc = 0, kib = 0;
        switch (k) {
        case 0:
            rc = parse_int(flag, value, 0, 65535, &cfg->port);
            break;
        case 1:
            rc = copy_string(flag, value, cfg->bind, sizeof cfg->bind);
            break;
        case 2:
            rc = parse_int(flag, value, PROTO_MIN_GROUP, PROTO_MAX_GROUP, &cfg->group_size);
            break;
        case 3:
            rc = copy_string(flag, value, cfg->worlds_dir, sizeof cfg->worlds_dir);
            break;
        case 4:
            rc = parse_int(flag, value, 1, SERVER_MAX_ROUND_SECONDS, &cfg->round_seconds);
            break;
        case 5:
            rc = parse_int(flag, value, 1, PROTO_MAX_TIMEOUT, &cfg->vote_timeout);
            break;
        case 6:
            rc = parse_int(flag, value, 1, SERVER_MAX_END_TIMEOUT, &cfg->end_timeout);
            break;
        case 7:
            rc = parse_int(flag, value, 1, SERVER_MAX_CLIENTS_LIMIT, &cfg->max_clients);
            break;
        case 8:
            rc = parse_int(flag, value, SERVER_MIN_IDLE_TIMEOUT, SERVER_MAX_IDLE_TIMEOUT,
                           &cfg->idle_timeout);
            break;
        case 9:
            rc = parse_int(flag, value, CONN_MIN_OUTPUT / KIB, CONN_MAX_OUTPUT_LIMIT / KIB, &kib);
            cfg->max_output = (size_t)kib * KIB;
            break;
        case 10:
            if (value[0] == '\0' || strlen(value) > SERVER_MAX_NAME ||
                !utf8_valid(value, strlen(value)) || utf8_has_control(value, strlen(value)))
                return bad("%s needs 1 to 64 bytes of printable UTF-8, not \"%s\"", flag, value);
            strcpy(cfg->name, value);
            break;
        case 11:
            rc = copy_string(flag, value, cfg->port_file, sizeof cfg->port_file);
            break;
        case 12: {
            int level = log_parse_level(value);
            if (level < 0)
                return bad("%s must be error, warn, info or debug, not \"%s\"", flag, value);
            cfg->log_level = (log_level_t)level;
            break;
        }
        }
        if (rc)
            return rc;
    }
    return 0;
}
