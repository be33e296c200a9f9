/* server.h -- the server's core: configuration, limits, the loop, the worlds, scratch space and a
 * handle on each part's own state; depends on loop, log, conn and common */
#ifndef NINE43_SERVER_H
#define NINE43_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conn.h"
#include "log.h"
#include "loop.h"
#include "proto.h"
#include "world.h"

/* Defaults and limits of the command line (docs/SERVER.md lists each). */
#define SERVER_DEFAULT_PORT       9999
#define SERVER_DEFAULT_GROUP_SIZE 2
/* seconds to vote */
#define SERVER_DEFAULT_VOTE_TIMEOUT 15
#define SERVER_DEFAULT_MAX_CLIENTS  1024
/* seconds of silence before a connection is dropped */
#define SERVER_DEFAULT_IDLE_TIMEOUT 30
/* seconds on the end screen before going back to the lobby */
#define SERVER_DEFAULT_END_TIMEOUT 20
#define SERVER_MAX_CLIENTS_LIMIT   1000000
#define SERVER_MAX_ROUND_SECONDS   WORLD_MAX_DURATION
#define SERVER_MAX_IDLE_TIMEOUT    86400
#define SERVER_MIN_IDLE_TIMEOUT    2
#define SERVER_MAX_END_TIMEOUT     (PROTO_MAX_CONTINUE_MS / 1000)
#define SERVER_MAX_NAME            PROTO_MAX_SERVER_NAME
#define SERVER_MAX_LISTENERS       8
#define SERVER_PATH_SIZE           4096
/* seconds before a round starts with the players present (--lobby-wait; 0 = off) */
#define SERVER_DEFAULT_LOBBY_WAIT 30
#define SERVER_MAX_LOBBY_WAIT     PROTO_MAX_WAIT
/* seconds a kicked player's name and address may not log in (--kick-ban) */
#define SERVER_KICK_BAN_SECONDS 120
#define SERVER_MAX_KICK_BAN     86400
/* bans remembered at once; beyond, the oldest is forgotten */
#define SERVER_MAX_BANS 64
/* bytes of the admin secret; shorter ones are refused as guessable */
#define SERVER_MIN_ADMIN_TOKEN 16
/* how often --exit-when-empty looks for connections */
#define SERVER_EMPTY_CHECK_MS 500
#define SERVER_MAX_EXIT_EMPTY 3600
/* what party clients are told when the server shuts down (started by a client: hosted) */
#define SERVER_BYE_SHUTDOWN "The server was shut down"
#define SERVER_BYE_HOSTED   "The host closed the server"
/* the answer to the host's "stop": "bye" with this reason and message, then the connection closes
 */
#define SERVER_STOP_REASON  "stopping"
#define SERVER_STOP_MESSAGE "The server stops: running rounds finish first"
#define SERVER_KEPT_REASON  "kept" /* a stop "if_alone" while others are on the server */
#define SERVER_CLOSING_TEXT "The server closes after this round"
/* where a client that starts the server passes the admin secret (read once, then unset) */
#define SERVER_ADMIN_TOKEN_ENV "NINE43_ADMIN_TOKEN"
/* seconds of 3-2-1 before a round starts */
#define SERVER_DEFAULT_COUNTDOWN 3
#define SERVER_MAX_COUNTDOWN     10

/* Timing of the stages. */
/* seconds a connection has to log in */
#define SERVER_LOGIN_TIMEOUT 120
/* MiB of output buffers all connections together may hold (--output-budget): past it, the
 * connections holding the most are dropped first */
#define SERVER_DEFAULT_OUTPUT_BUDGET 64
#define SERVER_MAX_OUTPUT_BUDGET     65536
/* freed output memory after which the allocator is asked to give it back to the system */
#define SERVER_TRIM_BYTES (4 * 1024 * 1024)
/* seconds of silence before the server sends a ping */
#define SERVER_PING_INTERVAL 5
/* period of the idle, login and ping checks */
#define SERVER_HOUSEKEEPING_MS 250
/* pause in accepting after EMFILE, ENFILE, ENOBUFS, ENOMEM */
#define SERVER_ACCEPT_BACKOFF_MS 100
/* seconds between "pausing" warnings (debug otherwise) */
#define SERVER_ACCEPT_WARN_EVERY 10
/* connections accepted per readable event */
#define SERVER_ACCEPT_PER_EVENT 256
/* a tick this much behind schedule counts as late */
#define SERVER_LATE_TICK_MS 5
/* ticks run at once to catch up; beyond, the schedule slips */
#define SERVER_MAX_CATCHUP_TICKS 5
/* rounds tick on this many phases of the 30 Hz grid */
#define SERVER_TICK_PHASES 4
/* under load, how long the loop may leave what arrives unread to wake only on the next tick: one
 * phase of the grid, 1/120 s (see docs/SERVER.md, "When the loop sleeps") */
#define SERVER_COALESCE_NS (LOOP_NS_PER_SEC / SIM_TICK_RATE / SERVER_TICK_PHASES)
/* queued bytes that trigger a flush mid-iteration */
#define SERVER_FLUSH_PENDING (256 * 1024)
/* seconds a player in a group keeps its place after its connection drops, for a resume */
#define SERVER_RESUME_SECONDS 30
/* watchers of one group at most by default (--max-watchers; watch.c, docs/SERVER.md); a
 * further "watch" is refused. Watchers wait in the lobby, which never holds a whole group, so
 * fewer than --group-size watch at once today: the cap holds whatever the lobby becomes. */
#define SERVER_DEFAULT_MAX_WATCHERS 32
#define SERVER_MAX_WATCHERS         PROTO_MAX_WATCHERS
/* bytes a watcher may leave unread (queued on the server, past the kernel's buffer) before it is
 * dropped from watching: about 2 s of a full group's states, far below --max-output */
#define SERVER_WATCH_BACKLOG (32 * 1024)
/* random bytes of a resume token (sent as twice as many hex digits) */
#define SERVER_RESUME_TOKEN_BYTES 16

typedef struct server_config {
    int port;       /* 0 = ephemeral */
    char bind[256]; /* "" = both 0.0.0.0 and :: */
    int group_size;
    char worlds_dir[SERVER_PATH_SIZE];
    int round_seconds; /* 0 = each world's own duration */
    int vote_timeout;
    int max_clients;
    int idle_timeout;
    int end_timeout;
    char name[SERVER_MAX_NAME + 1];
    log_level_t log_level;
    char port_file[SERVER_PATH_SIZE]; /* "" = none */
    size_t max_output;                /* bytes, per connection */
    size_t output_budget;             /* bytes, all connections together */
    int max_pending;                  /* connections not logged in from one address */
    bool no_discovery;
    int lobby_wait;                        /* seconds; 0 = off */
    char admin_token[PROTO_MAX_TOKEN + 1]; /* "" = nobody is the host */
    bool hosted; /* started by a client, which passed the secret in SERVER_ADMIN_TOKEN_ENV */
    int exit_when_empty; /* seconds without any connection before exiting; 0 = never */
    int discovery_port;  /* the shared UDP discovery port (also answered on); 0 = none */
    int kick_ban;        /* seconds a kicked name and address stay refused */
    int countdown;       /* seconds from "game start" to the round's first tick */
    char replay_dir[SERVER_PATH_SIZE]; /* "" = rounds are not recorded (record.c) */
    int max_watchers;                  /* watchers per group (watch.c); 0 = nobody may watch */
} server_config_t;

struct players;
struct names;
struct lobby;
struct subs;
struct evening;
struct kicks;
struct guard;

/* The server's core: what every part reads. Each part of the changing state is owned by one
 * file, which alone knows its fields; the others use that file's functions. */
typedef struct server {
    server_config_t cfg;
    log_t log;
    loop_t *loop;
    world_t *worlds;
    int nworlds;
    int64_t started_at;       /* monotonic ns */
    unsigned next_tick_phase; /* the phase the next round ticks on (game.c alone) */
    uint64_t rng;
    bool shutting_down; /* set once by main.c: no new connections, rounds finish */
    /* main.c's gentle shutdown, the one SIGTERM starts, for the host's "stop" message
     * (login.c); NULL where no main loop runs it (then "stop" is refused) */
    void (*stop)(struct server *s, void *ud);
    void *stop_ud;

    struct players *players; /* player.c: every connection, output to flush, closes */
    struct names *names;     /* names.c: the usernames in use */
    struct lobby *lobby;     /* lobby.c: the queue waiting for a group */
    struct subs *subs;       /* sub.c: the running and finished groups */
    struct evening *evening; /* evening.c: the evening's board, per player name */
    struct kicks *kicks;     /* kick.c: the bans of kicked players */
    struct guard *guard;     /* guard.c: limits per address, guessed secrets */

    /* No scratch space is shared: what the server reads is player.c's own, and what it sends
     * is built and encoded by each sender into its own msg_t and line (SERVER_LINE_SIZE), never
     * into something a call in between could overwrite. */
} server_t;

/* How full the server is: LAN answers and "status" replies. */
typedef struct server_counts {
    int connections; /* every open connection */
    int players;     /* logged in and connected: here now (the away ones are not) */
    int away;        /* logged in, connection dropped, place kept for a resume */
    int lobby;       /* waiting in the lobby */
    int games;       /* groups in vote, game or end screen */
    int group_size;
} server_counts_t;

/* server.c: the core */
/* Loads the worlds, creates the loop and the scratch space; logs and returns -1 on failure.
 * The parts are created by their own files afterwards. */
int server_init(server_t *s, const server_config_t *cfg);
/* Frees what server_init made (the parts are freed first, by their own files). */
void server_free(server_t *s);
uint64_t server_random(server_t *s);
/* Seconds since start. */
int64_t server_uptime(const server_t *s);
/* Room for one encoded line, with its '\n': a sender's own, on its stack. */
#define SERVER_LINE_SIZE (PROTO_MAX_LINE + 1)
/* Encodes m once into line (SERVER_LINE_SIZE bytes); returns its length or -1 (logged). */
int server_encode(server_t *s, const msg_t *m, char *line);

#endif
