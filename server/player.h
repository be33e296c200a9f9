/* player.h -- one connection as the stages see it: its stage, its outbox, its login's features,
 * the quit path, the resume path, and the stage table through which its messages are
 * dispatched; depends on server.h, conn and names */
#ifndef NINE43_PLAYER_H
#define NINE43_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "names.h"
#include "server.h"

struct group;
typedef struct player player_t;

/* Where a player is, as a table of what that stage does: the dispatcher, the quit path and the
 * housekeeping call through it and never name a stage. Each stage file defines one, and its
 * hand-off function (login_enter, lobby_enter, sub_start) alone sets it on a player. */
typedef struct stage {
    const char *where;       /* "in the lobby": ends the "unexpected message" error */
    bool logged_in;          /* pings and idle drops apply, chat is rate-limited */
    bool leaves_at_shutdown; /* closed at once by a shutdown (a group's round plays on) */
    /* A decoded message: 0 handled, -1 not expected here (the generic error reply). */
    int (*on_msg)(server_t *s, player_t *p, const msg_t *m);
    /* A message of a known type that did not decode (err says why): 0 when answered in kind,
     * -1 for the generic error reply. NULL: always the generic reply. */
    int (*on_invalid)(server_t *s, player_t *p, msg_type_t type, const char *err);
    /* The quit path, at the loop's safe point: p leaves the stage's own state. */
    void (*leave)(server_t *s, player_t *p);
    /* p's connection dropped: true when the stage keeps p's place for a resume (its player
     * stands still meanwhile). NULL or false: the quit path. */
    bool (*away)(server_t *s, player_t *p);
    /* p is back on a new connection: sends what it needs to find its place again. */
    void (*resume)(server_t *s, player_t *p);
} stage_t;

struct player {
    conn_t conn;
    struct server *srv;
    const stage_t *stage;
    char username[PROTO_USERNAME_SIZE];
    names_entry_t name; /* held from login to the quit path */
    int64_t connected_at;
    struct player *prev, *next;             /* every connection (player.c) */
    struct player *next_pending;            /* connections with output to flush (player.c) */
    struct player *next_closing;            /* connections to free at the safe point (player.c) */
    struct player *lobby_prev, *lobby_next; /* the lobby queue, in arrival order (lobby.c) */
    struct group *group;                    /* in a group: the group, and its place in it (sub.c) */
    struct group *watching;                 /* in the lobby, watching this group (group.c) */
    struct player *watch_prev, *watch_next; /* the group's watchers (group.c) */
    unsigned watch_again; /* away: the group it watched, watched again on resume (watch.c) */
    int slot;
    unsigned features; /* PROTO_FEATURE_* of its login (player_set_features, at log in) */
    bool host;         /* logged in with the admin secret (login.c) */
    bool ready;        /* pressed Start now in the lobby (lobby.c) */
    int color_choice;  /* the PALETTE index chosen at log in, -1 none (game.c assigns colours) */
    char resume_token[PROTO_MAX_TOKEN + 1]; /* "" when the client cannot resume (login.c) */
    int64_t away_since;                     /* monotonic ns the connection dropped; 0 = here */
    bool dropping;                          /* on the closing list to go away, not to quit */
    struct player *takes_over;              /* a resuming connection: the player it becomes */
    struct guard_addr *guard; /* its address while not logged in (guard.c), else NULL */
};

/* Creates the part that holds every connection (s->players) and starts its housekeeping
 * timer; -1 when out of memory. */
int player_create_all(server_t *s);
/* Who hears that a logged-in player leaves the server (on the quit path, after its stage's
 * leave, while it still holds its name): wired by main.c, so that player.c names no stage. */
void player_on_departure(server_t *s, void (*fn)(server_t *s, const player_t *p));
/* Frees every connection without the quit path (the server is going away). */
void player_free_all(server_t *s);

/* A new socket: a player with no stage yet (the caller hands it to login_enter), or NULL when
 * the server is full (the peer was told) or out of memory; the socket is closed then. */
player_t *player_add(server_t *s, int fd, const char *peer);
/* Open connections, logged in or not. */
int player_count(const server_t *s);
/* Logged-in players whose connection dropped and whose place is kept for a resume. */
int player_away_count(const server_t *s);

/* Encodes m and queues it to p. */
void player_send(server_t *s, player_t *p, const msg_t *m);
/* Queues a message that has nothing but its type ("ping", "pong"). */
void player_send_type(server_t *s, player_t *p, msg_type_t type);
/* Queues an already encoded line (with its '\n'): a broadcast encodes once. */
void player_send_line(server_t *s, player_t *p, const char *line, size_t len);
/* Queues the line to every logged-in player for whom hears(p, ctx) is true: a broadcast across
 * stages that names none of them. */
void player_send_line_if(server_t *s, const char *line, size_t len,
                         bool (*hears)(const player_t *p, const void *ctx), const void *ctx);
/* Sends {"type":"error","message":...}; counts toward CONN_MAX_ERRORS when counted. */
void player_error(server_t *s, player_t *p, bool counted, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Writes what p has queued now rather than before sleeping (a fresh player's greeting). */
void player_flush(server_t *s, player_t *p);
/* Encodes a "chat" from p into line (SERVER_LINE_SIZE): the text without control characters or
 * hidden ones (name_strip_hidden) and at most PROTO_MAX_CHAT code points. Returns the line's
 * length, or -1 when nothing is left to say. */
int player_encode_chat(server_t *s, const player_t *p, const char *text, char *line);

/* The features a logged-in player's client named (login.c, at log in): "social" for notices,
 * the board and chat from the other rooms, "party" for the server view, kick and bye. */
void player_set_features(server_t *s, player_t *p, unsigned features);
/* Clients with either feature know "notice"; the original client (neither) never gets one. */
#define PLAYER_NOTICE_FEATURES (PROTO_FEATURE_SOCIAL | PROTO_FEATURE_PARTY)
/* A system line ("alice joined", "troll was kicked by the host") to one player that takes
 * notices, or to every logged-in player whose login named one of features: the one call for
 * any stage with news for the whole server. Text over PROTO_MAX_TEXT code points is cut at a
 * whole code point. */
void player_notice(server_t *s, player_t *p, const char *text);
void player_notice_all(server_t *s, unsigned features, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The quit path: marks p for close (output flushed first when flush). p leaves its stage and
 * frees its username at the loop's safe point, this same iteration (player_reap). */
void player_close(server_t *s, player_t *p, bool flush, const char *reason);
bool player_closing(const player_t *p);
/* The safe point: flushes what is queued and frees the players marked for close, each after
 * its stage's leave. Returns once nothing is left to flush or close. */
void player_reap(server_t *s);
/* Shutdown: the players of stages that leave at once get an error and go. */
void player_shutdown(server_t *s, const char *why);
/* One player goes at shutdown: "bye" with the server's reason to a party client, an error
 * saying why to any other. */
void player_shutdown_one(server_t *s, player_t *p, const char *why);

/* The logged-in player of that name (in any letter case), or NULL. */
player_t *player_find(server_t *s, const char *username);
/* The host's username while the host is logged in, else NULL. */
const char *player_host_name(const server_t *s);
/* p proved the admin secret at login: p is the host (a later proof takes over). */
void player_set_host(server_t *s, player_t *p);
/* p's numeric address ("127.0.0.2", "::1"), "" when unknown. */
void player_address(const player_t *p, char *buf, size_t cap);
/* Says goodbye and closes: a party client gets "bye" (reason, message), any other an "error"
 * with the message. */
void player_bye(server_t *s, player_t *p, const char *reason, const char *message);

/* ---- resuming after a drop ---- */

/* True while p's connection is gone and its place is kept (SERVER_RESUME_SECONDS at most). */
bool player_away(const player_t *p);
/* The connection dropped (closed, reset, silent, not reading): p waits away when it holds a
 * resume token and its stage keeps it; otherwise the quit path (output flushed when flush). */
void player_drop(server_t *s, player_t *p, bool flush, const char *reason);
/* At login: fresh (a new connection) takes over old's place (its name, stage, group, slot)
 * once the line being read is done. old's own connection, if still open, is closed at once. */
void player_resume(server_t *s, player_t *fresh, player_t *old);

#endif
