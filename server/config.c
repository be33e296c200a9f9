/* config.c -- the server's command line as one option table (common/opt): defaults, parsers for
 * the server's own kinds of value, range checks, usage; uses config.h, server.h, discovery.h (the
 * default name), guard.h (its limits) and common/opt, utf8 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discovery.h"
#include "guard.h"
#include "opt.h"
#include "record.h"
#include "sys_os.h"
#include "utf8.h"

#define KIB 1024

#define CONFIG_STR(x)  #x
#define CONFIG_XSTR(x) CONFIG_STR(x)

void config_defaults(server_config_t *cfg)
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
    cfg->max_pending = GUARD_DEFAULT_PENDING;
    cfg->output_budget = (size_t)SERVER_DEFAULT_OUTPUT_BUDGET * KIB * KIB;
    cfg->lobby_wait = SERVER_DEFAULT_LOBBY_WAIT;
    cfg->discovery_port = PROTO_DISCOVERY_PORT;
    cfg->kick_ban = SERVER_KICK_BAN_SECONDS;
    cfg->max_watchers = SERVER_DEFAULT_MAX_WATCHERS;
    cfg->countdown = SERVER_DEFAULT_COUNTDOWN;
}

/* A text copied into the char array at the row's offset, 1 to opt->hi bytes. */
static int config_text(void *cfg, const opt_t *opt, const char *value, char *err, size_t errlen)
{
    size_t len = strlen(value);
    if (len == 0 || len > (size_t)opt->hi) {
        snprintf(err, errlen, "needs a value of 1 to %ld bytes", opt->hi);
        return -1;
    }
    memcpy((char *)cfg + opt->offset, value, len + 1);
    return 0;
}

/* --max-output: KiB on the command line, bytes in the config. */
static int config_kib(void *cfg, const opt_t *opt, const char *value, char *err, size_t errlen)
{
    long kib;
    if (opt_read_long(value, opt->lo, opt->hi, &kib, err, errlen) != 0)
        return -1;
    *(size_t *)((char *)cfg + opt->offset) = (size_t)kib * KIB;
    return 0;
}

/* --output-budget: MiB on the command line, bytes in the config. */
static int config_mib(void *cfg, const opt_t *opt, const char *value, char *err, size_t errlen)
{
    long mib;
    if (opt_read_long(value, opt->lo, opt->hi, &mib, err, errlen) != 0)
        return -1;
    *(size_t *)((char *)cfg + opt->offset) = (size_t)mib * KIB * KIB;
    return 0;
}

/* --name: shown in other players' server lists, so printable UTF-8 only. */
static int config_name(void *cfg, const opt_t *opt, const char *value, char *err, size_t errlen)
{
    size_t len = strlen(value);
    if (len == 0 || len > (size_t)opt->hi || !utf8_valid(value, len) ||
        utf8_has_control(value, len)) {
        snprintf(err, errlen, "needs 1 to %ld bytes of printable UTF-8, not \"%s\"", opt->hi,
                 value);
        return -1;
    }
    memcpy((char *)cfg + opt->offset, value, len + 1);
    return 0;
}

static int config_log_level(void *cfg, const opt_t *opt, const char *value, char *err,
                            size_t errlen)
{
    int level = log_parse_level(value);
    if (level < 0) {
        snprintf(err, errlen, "must be error, warn, info or debug, not \"%s\"", value);
        return -1;
    }
    *(log_level_t *)((char *)cfg + opt->offset) = (log_level_t)level;
    return 0;
}

/* An admin secret: SERVER_MIN_ADMIN_TOKEN .. PROTO_MAX_TOKEN printable ASCII bytes. */
static int config_check_token(const char *token, char *err, size_t errlen)
{
    size_t len = strlen(token);
    bool printable = true;
    for (size_t i = 0; i < len; i++)
        printable = printable && token[i] > ' ' && token[i] < 127;
    if (len < SERVER_MIN_ADMIN_TOKEN || len > PROTO_MAX_TOKEN || !printable) {
        snprintf(err, errlen, "the admin secret must be %d to %d printable characters",
                 SERVER_MIN_ADMIN_TOKEN, PROTO_MAX_TOKEN);
        return -1;
    }
    return 0;
}

/* --admin-token-file: the secret is the file's first line, read now; the file should be
 * readable by its owner alone (it is the host's right to kick). */
static int config_admin_file(void *cfg, const opt_t *opt, const char *value, char *err,
                             size_t errlen)
{
    FILE *f = fopen(value, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", value, strerror(errno));
        return -1;
    }
    char line[PROTO_MAX_TOKEN + 3] = "";
    bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    if (!got || config_check_token(line, err, errlen) < 0) {
        if (!got)
            snprintf(err, errlen, "%s is empty", value);
        return -1;
    }
    memcpy((char *)cfg + opt->offset, line, strlen(line) + 1);
    return 0;
}

/* --replay-dir: a folder the server can write, made if it is missing (not its parents), so
 * that a mistyped path fails at the start rather than after the first round. */
static int config_replay_dir(void *cfg, const opt_t *opt, const char *value, char *err,
                             size_t errlen)
{
    if (config_text(cfg, opt, value, err, errlen) < 0)
        return -1;
    /* Written to, not merely looked at: the one test that holds on every system. */
    char why[SERVER_PATH_SIZE + 300], probe[SERVER_PATH_SIZE + 32];
    snprintf(probe, sizeof probe, "%s/.nine43-write-test", value);
    if (sys_make_dir(value, why, sizeof why) < 0 ||
        sys_write_file(probe, "", 0, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s is not a folder this server can write to (%s)", value, why);
        return -1;
    }
    remove(probe);
    return 0;
}

#define FIELD(f) offsetof(server_config_t, f)

static const opt_t config_options[] = {
    {"--port", "N", "TCP port to listen on (default {def}; 0 = any free port)", opt_int,
     FIELD(port), 0, 65535, SERVER_DEFAULT_PORT},
    {"--bind", "ADDR", "address to listen on (default: 0.0.0.0 and ::)", config_text, FIELD(bind),
     0, sizeof((server_config_t *)0)->bind - 1, 0},
    {"--group-size", "N", "players per game, {lo}..{hi} (default {def})", opt_int,
     FIELD(group_size), PROTO_MIN_GROUP, PROTO_MAX_GROUP, SERVER_DEFAULT_GROUP_SIZE},
    {"--worlds", "DIR", "folder of world files (default: <assets>/worlds)", config_text,
     FIELD(worlds_dir), 0, SERVER_PATH_SIZE - 1, 0},
    {"--round-seconds", "N", "length of a round, {lo}..{hi} (default: each world's own)", opt_int,
     FIELD(round_seconds), 1, SERVER_MAX_ROUND_SECONDS, 0},
    {"--vote-timeout", "N", "seconds to vote for a world, {lo}..{hi} (default {def})", opt_int,
     FIELD(vote_timeout), 1, PROTO_MAX_TIMEOUT, SERVER_DEFAULT_VOTE_TIMEOUT},
    {"--end-timeout", "N", "seconds on the end screen, {lo}..{hi} (default {def})", opt_int,
     FIELD(end_timeout), 1, SERVER_MAX_END_TIMEOUT, SERVER_DEFAULT_END_TIMEOUT},
    {"--max-clients", "N", "connections at once, {lo}..{hi} (default {def})", opt_int,
     FIELD(max_clients), 1, SERVER_MAX_CLIENTS_LIMIT, SERVER_DEFAULT_MAX_CLIENTS},
    {"--idle-timeout", "N", "seconds of silence before a drop, {lo}..{hi} (default {def})", opt_int,
     FIELD(idle_timeout), SERVER_MIN_IDLE_TIMEOUT, SERVER_MAX_IDLE_TIMEOUT,
     SERVER_DEFAULT_IDLE_TIMEOUT},
    {"--max-output", "KIB",
     "output queued per client before it is dropped, {lo}..{hi} (default {def})", config_kib,
     FIELD(max_output), CONN_MIN_OUTPUT / KIB, CONN_MAX_OUTPUT_LIMIT / KIB,
     CONN_MAX_OUTPUT_DEFAULT / KIB},
    {"--output-budget", "MIB",
     "output queued for all clients together; past it the largest queues are dropped, "
     "{lo}..{hi} (default {def})",
     config_mib, FIELD(output_budget), 1, SERVER_MAX_OUTPUT_BUDGET, SERVER_DEFAULT_OUTPUT_BUDGET},
    {"--max-pending-per-address", "N",
     "connections from one address that have not logged in, {lo}..{hi} (default {def})", opt_int,
     FIELD(max_pending), 1, SERVER_MAX_CLIENTS_LIMIT, GUARD_DEFAULT_PENDING},
    {"--name", "NAME", "server name shown to LAN clients (default \"<host>'s game\")", config_name,
     FIELD(name), 0, SERVER_MAX_NAME, 0},
    {"--port-file", "FILE", "write the bound TCP port to FILE once listening", config_text,
     FIELD(port_file), 0, SERVER_PATH_SIZE - 1, 0},
    {"--no-discovery", NULL, "do not answer LAN discovery", opt_flag, FIELD(no_discovery), 0, 0, 0},
    {"--log-level", "LEVEL", "error, warn, info or debug (default info)", config_log_level,
     FIELD(log_level), 0, 0, 0},
    {"--lobby-wait", "S",
     "seconds before a round starts with the players present, {lo}..{hi} (0 = off; default {def})",
     opt_int, FIELD(lobby_wait), 0, SERVER_MAX_LOBBY_WAIT, SERVER_DEFAULT_LOBBY_WAIT},
    {"--admin-token-file", "FILE", "the host's secret (first line): its holder may kick",
     config_admin_file, FIELD(admin_token), 0, 0, 0},
    {"--exit-when-empty", "S",
     "exit after S seconds without any connection, {lo}..{hi} (0 = never; default {def})", opt_int,
     FIELD(exit_when_empty), 0, SERVER_MAX_EXIT_EMPTY, 0},
    {"--discovery-port", "P",
     "also answer LAN discovery on this UDP port, shared by every server of the machine "
     "(default {def}; 0 = only on --port)",
     opt_int, FIELD(discovery_port), 0, 65535, PROTO_DISCOVERY_PORT},
    {"--kick-ban", "S",
     "seconds a kicked player's name and address may not log in, {lo}..{hi} (default {def})",
     opt_int, FIELD(kick_ban), 1, SERVER_MAX_KICK_BAN, SERVER_KICK_BAN_SECONDS},
    {"--max-watchers", "N",
     "players in the lobby who may watch one group at once, {lo}..{hi}\n(default {def}; 0 = none)",
     opt_int, FIELD(max_watchers), 0, SERVER_MAX_WATCHERS, SERVER_DEFAULT_MAX_WATCHERS},
    {"--countdown", "N", "seconds of countdown before a round, {lo}..{hi} (default {def})", opt_int,
     FIELD(countdown), 0, SERVER_MAX_COUNTDOWN, SERVER_DEFAULT_COUNTDOWN},
    {"--replay-dir", "DIR",
     "record every round into DIR, one file each, keeping the newest " CONFIG_XSTR(
         SERVER_REPLAY_KEEP) " (docs/REPLAY.md)",
     config_replay_dir, FIELD(replay_dir), 0, SERVER_PATH_SIZE - 1, 0},
    {NULL, NULL, NULL, NULL, 0, 0, 0, 0},
};

static const opt_program_t config_program = {
    .name = "nine43-server",
    .version = NINE43_VERSION " (protocol " CONFIG_XSTR(PROTO_VERSION) ")",
    .usage = "nine43-server [options]",
    .intro = NULL,
    .outro = NULL,
    .opts = config_options,
};

/* A client that starts the server passes the secret in the environment, which only the same
 * user can read; it is taken out at once so that nothing the server starts inherits it. */
static int config_admin_env(server_config_t *cfg)
{
    const char *env = getenv(SERVER_ADMIN_TOKEN_ENV);
    if (!env)
        return 0;
    char err[128];
    if (!cfg->admin_token[0]) {
        if (config_check_token(env, err, sizeof err) < 0) {
            fprintf(stderr, "nine43-server: %s: %s\n", SERVER_ADMIN_TOKEN_ENV, err);
            return OPT_EXIT_USAGE;
        }
        snprintf(cfg->admin_token, sizeof cfg->admin_token, "%s", env);
        cfg->hosted = true;
    }
    sys_env_unset(SERVER_ADMIN_TOKEN_ENV);
    return 0;
}

int config_parse(server_config_t *cfg, int argc, char **argv)
{
    switch (opt_parse(&config_program, cfg, argc, argv)) {
    case OPT_RUN:
        return config_admin_env(cfg);
    case OPT_EXIT:
        return 1;
    case OPT_ERROR:
        break;
    }
    return OPT_EXIT_USAGE;
}
