/* server.h -- the server's state, its players and the hand-off functions between stages; depends on
 * loop, conn, common */
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
#define SERVER_DEFAULT_PORT         9999
#define SERVER_DEFAULT_GROUP_SIZE   2
#define SERVER_DEFAULT_VOTE_TIMEOUT 15 /* seconds */
#define SERVER_DEFAULT_MAX_CLIENTS  1024
#define SERVER_DEFAULT_IDLE_TIMEOUT 30 /* seconds of silence before a connection is dropped */
#define SERVER_DEFAULT_END_TIMEOUT                                                                 \
    20 /* seconds on the end screen before going back to the lobby                                 \
        */
#define SERVER_MAX_CLIENTS_LIMIT 1000000
#define SERVER_MAX_ROUND_SECONDS WORLD_MAX_DURATION
#define SERVER_MAX_IDLE_TIMEOUT  86400
#define SERVER_MIN_IDLE_TIMEOUT  2
#define SERVER_MAX_END_TIMEOUT   3600
#define SERVER_MAX_NAME          PROTO_MAX_SERVER_NAME
#define SERVER_MAX_LISTENERS     8
#define SERVER_PATH_SIZE         4096

/* Timing of the stages. */
#define SERVER_LOGIN_TIMEOUT   120 /* seconds a connection has to log in */
#define SERVER_PING_INTERVAL   5   /* seconds of silence before the server sends a ping */
#define SERVER_HOUSEKEEPING_MS 250 /* period of the idle, login and ping checks */
#define SERVER_ACCEPT_BACKOFF_MS                                                                   \
    100                              /* pause in accepting after EMFILE, ENFILE, ENOBUFS, ENOMEM   \
                                      */
#define SERVER_ACCEPT_WARN_EVERY 10  /* seconds between "pausing" warnings (debug otherwise) */
#define SERVER_ACCEPT_PER_EVENT  256 /* connections accepted per readable event */
#define SERVER_LATE_TICK_MS      5   /* a tick this much behind schedule counts as late */
#define SERVER_MAX_CATCHUP_TICKS 5   /* ticks run at once to catch up; beyond, the schedule slips */
#define SERVER_TICK_PHASES       4   /* rounds tick on this many phases of the 30 Hz grid */
#define SERVER_FLUSH_PENDING     (256 * 1024) /* queued bytes that trigger a flush mid-iteration */
#define SERVER_NAME_BUCKETS      4096         /* username hash table */

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
    bool no_discovery;
} server_config_t;

/* Where a player is. Each transition happens in exactly one hand-off function:
 * login_enter (from accept), lobby_enter (from login, and from the end screen),
 * sub_start (from the lobby), and the quit path in server.c (from anywhere). */
typedef enum player_state {
    PLAYER_LOGIN = 0, /* greeted, not logged in yet */
    PLAYER_LOBBY,     /* waiting for a group */
    PLAYER_SUB,       /* in a group: vote, game or end screen */
} player_state_t;

struct sub;

struct server;

typedef struct player {
    conn_t conn;
    struct server *srv;
    player_state_t state;
    bool named; /* holds its username in the names table */
    char username[PROTO_USERNAME_SIZE];
    int64_t connected_at;
    struct player *prev, *next;             /* every connection */
    struct player *lobby_prev, *lobby_next; /* the lobby queue, in arrival order */
    struct player *next_pending;            /* connections with output to flush */
    struct player *next_closing;            /* connections to free at the safe point */
    struct player *name_next;               /* names table chain */
    struct sub *sub;                        /* PLAYER_SUB: its group, and its place in it */
    int slot;
} player_t;

typedef struct server_counts {
    int connections; /* every open connection */
    int players;     /* logged in */
    int lobby;       /* waiting in the lobby */
    int games;       /* groups in vote, game or end screen */
    int group_size;
} server_counts_t;

typedef struct server {
    server_config_t cfg;
    log_t log;
    loop_t *loop;
    world_t *worlds;
    int nworlds;
    int64_t started_at;       /* monotonic ns */
    unsigned next_tick_phase; /* the phase the next round ticks on (game.c) */
    uint64_t rng;

    /* accept */
    int listen_fds[SERVER_MAX_LISTENERS];
    int nlisten;
    int port; /* the bound TCP port */
    long long accept_retry_timer;
    int64_t accept_warned_at; /* monotonic ns of the last "pausing" warning */

    /* every connection */
    player_t *players;
    int nconns;
    int nnamed;
    player_t *pending;    /* output to flush before sleeping */
    size_t pending_bytes; /* queued since the last flush_pending */
    player_t *closing;    /* to free at the safe point */

    /* login: username keys in use */
    player_t **names;

    /* lobby */
    player_t *lobby_head, *lobby_tail;
    int nlobby;

    /* subs */
    struct sub *subs;
    struct sub *dead_subs; /* finished, freed at the safe point */
    int nsubs;
    unsigned next_sub_id;

    long long housekeeping_timer;
    bool shutting_down;

    /* Scratch space, one of each for the whole server (a msg_t is large). */
    msg_t *in, *out;
    char *line;    /* PROTO_MAX_LINE: an encoded line */
    char *readbuf; /* CONN_READ_CHUNK */
} server_t;

/* server.c: life cycle */
void server_config_defaults(server_config_t *cfg);
/* Parses the command line into cfg. Returns 0, 1 for --help/--version (already printed to
 * stdout), or 2 for a bad flag (message printed to stderr). */
int server_parse_args(server_config_t *cfg, int argc, char **argv);
void server_usage(FILE *out);
/* Loads the worlds and creates the loop; logs and returns -1 on failure. */
int server_init(server_t *s, const server_config_t *cfg);
void server_free(server_t *s);
/* The first SIGINT/SIGTERM: stop accepting, close login and lobby, let rounds finish. */
void server_shutdown(server_t *s);
void server_get_counts(const server_t *s, server_counts_t *out);
uint64_t server_random(server_t *s);
/* Seconds since start. */
int64_t server_uptime(const server_t *s);

/* server.c: connections and sending (stages never touch sockets) */
/* A new socket from accept: becomes a player in the login stage. Returns 0 or -1 (closed). */
int server_add_connection(server_t *s, int fd, const char *peer);
/* Encodes m and queues it to p (s->line is overwritten). */
void player_send(server_t *s, player_t *p, const msg_t *m);
/* Queues an already encoded line (with its '\n'): a broadcast encodes once. */
void player_send_line(server_t *s, player_t *p, const char *line, size_t len);
/* Encodes m once into s->line; returns its length or -1 (logged). */
int server_encode(server_t *s, const msg_t *m);
/* Sends {"type":"error","message":...}; counts toward CONN_MAX_ERRORS when counted. */
void player_error(server_t *s, player_t *p, bool counted, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The quit path: marks p for close (output flushed first when flush). p leaves its stage and
 * frees its username at the loop's safe point, this same iteration. */
void player_close(server_t *s, player_t *p, bool flush, const char *reason);
bool player_closing(const player_t *p);
/* Chat text with control characters removed and at most PROTO_MAX_CHAT code points; false
 * when nothing is left to say. */
bool server_clean_chat(const char *text, char *out, size_t cap);

/* accept.c */
int accept_listen(server_t *s);
void accept_stop(server_t *s);

/* login.c -- greets, answers status, checks and reserves usernames */
void login_enter(server_t *s, player_t *p);
void login_leave(server_t *s, player_t *p);
int login_on_msg(server_t *s, player_t *p, const msg_t *m); /* 0 handled, -1 wrong stage */
/* A message of a known type that did not decode (err says why): 0 when answered in kind,
 * -1 for the generic error reply. */
int login_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err);
int names_init(server_t *s);
void names_free(server_t *s);
void names_release(server_t *s, player_t *p);

/* lobby.c -- waits for groups, chat */
void lobby_enter(server_t *s, player_t *p);
void lobby_leave(server_t *s, player_t *p);
int lobby_on_msg(server_t *s, player_t *p, const msg_t *m);

/* sub.c -- one group: vote, game, end screen */
/* The players leave the lobby as a group (the caller has unlinked them). */
void sub_start(server_t *s, player_t **players, int n);
void sub_leave(server_t *s, player_t *p);
int sub_on_msg(server_t *s, player_t *p, const msg_t *m);
int sub_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err);
/* Shutdown: groups in the vote or on the end screen are closed, games play on. */
void sub_shutdown(server_t *s);
/* Frees groups that finished (at the loop's safe point). */
void sub_reap(server_t *s);
void sub_free_all(server_t *s);

#endif
