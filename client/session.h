/* session.h -- the session with one server, kept whatever scene shows: its address, your name,
 * the link, the lobby's roster and server view, the chat log, ping, hosting, the server's last
 * words and reconnecting after a drop; no SDL, depends on proto.h */
#ifndef NINE43_SESSION_H
#define NINE43_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define SESSION_CHAT_LINES       64   /* lines of chat kept */
#define SESSION_PING_INTERVAL_MS 2000 /* the round trip shown by the debug overlay */
#define SESSION_HOST_SIZE        256
#define SESSION_LINK_TEXT        (PROTO_TEXT_SIZE + 64)
#define SESSION_RECONNECT_MS     30000 /* a dropped game is tried again for this long ... */
#define SESSION_RECONNECT_EVERY  1000  /* ... one connect attempt this often */

/* Where the connection stands; the connect screen shows it. */
typedef enum session_link {
    SESSION_LINK_WAITING,   /* the background connect runs */
    SESSION_LINK_CONNECTED, /* TCP is up; waiting for the server's "log in" */
    SESSION_LINK_FAILED,    /* link_text says why */
} session_link_t;

typedef struct session_line {
    char from[PROTO_USERNAME_SIZE]; /* "" for a message from the server */
    char text[PROTO_CHAT_SIZE];
    uint32_t at_ms; /* when it arrived: lines over a round fade after a while */
} session_line_t;

/* Every field is written by session.c alone; scenes and the runner read them and change them
 * through the calls below. */
typedef struct session {
    /* The server, and where the link stands. */
    char server_host[SESSION_HOST_SIZE];
    int server_port;
    unsigned serial; /* counts connections: a scene can tell a new one from a return */
    bool connected;
    session_link_t link;
    char link_text[SESSION_LINK_TEXT]; /* "Could not connect to host:port: why" */
    uint32_t failed_ms;
    uint32_t up_ms; /* when TCP came up (SESSION_LINK_CONNECTED) */

    /* You, as the server knows you. */
    char username[PROTO_USERNAME_SIZE]; /* the name the server accepted; "" before */
    char server_error[PROTO_TEXT_SIZE]; /* the last "error" the server sent */

    /* The lobby's roster and the chat log. */
    int nplayers;
    char players[PROTO_MAX_PLAYERS][PROTO_USERNAME_SIZE];
    int group_size;
    bool have_update;                        /* a lobby update arrived since we connected */
    bool welcomed;                           /* the server's first "lobby" line is in the chat */
    session_line_t chat[SESSION_CHAT_LINES]; /* a ring: the newest at (chat_head + nchat - 1) */
    int chat_head, nchat;
    uint32_t clock_ms;     /* the time of the last message, which stamps the lines it adds */
    bool have_evening;     /* the server keeps the evening's board and sent it */
    msg_evening_t evening; /* the last board: wins, rounds and points per name */

    /* Ping. */
    uint32_t ping_sent_ms;
    uint32_t ping_due_ms; /* when the next ping goes out */
    int ping_ms;          /* last round trip, -1 unknown */

    /* Hosting: the server we play on is one we started. */
    bool hosting;
    int hosted_port;
    char host_address[64];                /* "192.168.1.20:9999", shown in the lobby */
    char host_failure[SESSION_LINK_TEXT]; /* why our own server did not take us, for Host */

    /* Resuming after a drop (docs/PROTOCOL.md): the server's token, and the reconnect loop. */
    char resume_token[PROTO_MAX_TOKEN + 1]; /* "" = the server gave none */
    bool reconnecting;                      /* the game is frozen; attempts run */
    uint32_t reconnect_since_ms, reconnect_next_ms;
    int reconnect_attempts;
    char reconnect_why[SESSION_LINK_TEXT]; /* what was lost, for the notice if it gives up */

    /* The server view of a party server (the lobby update's optional fields). */
    bool party;                          /* the server sent a view since we connected */
    char host_name[PROTO_USERNAME_SIZE]; /* the host's name, "" = none logged in */
    int nready;
    char ready[PROTO_MAX_PLAYERS][PROTO_USERNAME_SIZE]; /* who pressed Start now */
    bool has_wait;
    uint32_t wait_until_ms; /* the round starts with those present at this time */
    int games;              /* running groups in all */
    int ngroups;
    proto_group_info_t groups[PROTO_MAX_LOBBY_GROUPS];
    uint32_t groups_ms; /* when groups' time_left was true */
    /* The admin secret we log in with: set when we started the server (it proves the host). */
    char admin_token[PROTO_MAX_TOKEN + 1];
    /* A server we started and left running for others: rejoining it, we are its host again. */
    char rejoin_token[PROTO_MAX_TOKEN + 1];
    char rejoin_host[64]; /* its LAN address, as the lobby showed it */
    int rejoin_port;
    /* The server's last words: the banner of a last round, and why it closes on us. */
    char closing[PROTO_TEXT_SIZE];
    char bye[PROTO_TEXT_SIZE];
} session_t;

void session_init(session_t *s);

/* A new connection to host:port begins: the roster, chat, name and error of the last one go. */
void session_begin(session_t *s, const char *host, int port);
void session_link_up(session_t *s, uint32_t now_ms);
void session_link_failed(session_t *s, const char *why, uint32_t now_ms);
/* The connection is closed (left, lost or given up): not connected, no name. */
void session_close(session_t *s);
void session_login_accepted(session_t *s, const char *username);

/* What a message from the server changes in the session ("pong", "error", "lobby update",
 * "chat", "notice", "lobby"), whichever scene shows. */
void session_on_message(session_t *s, const msg_t *m, uint32_t now_ms);
/* name's row on the evening's board (names compare as the server's do), or NULL. */
const proto_evening_row_t *session_evening_row(const session_t *s, const char *name);
/* Appends a line to the chat log (from "" = a message from the server). */
void session_chat_add(session_t *s, const char *from, const char *text);
/* The k-th line of the chat log, oldest first (k < nchat). */
const session_line_t *session_chat_line(const session_t *s, int k);

/* True when a ping is due at now_ms (connected and logged in); session_ping_sent starts the
 * next interval. */
bool session_ping_due(const session_t *s, uint32_t now_ms);
void session_ping_sent(session_t *s, uint32_t now_ms);

/* Our own server: started on port; listening at address ("192.168.1.20:9999"); stopped. */
void session_hosting_started(session_t *s, int port);
void session_hosting_listening(session_t *s, int port, const char *address);
void session_hosting_stopped(session_t *s);
/* Our own server did not take us: why, kept for the Host screen, which takes it (once). */
void session_hosting_failed(session_t *s, const char *why);
void session_take_host_failure(session_t *s, char *out, size_t cap);
/* The secret the next logins prove the host with ("" = none). */
void session_set_admin_token(session_t *s, const char *token);
/* Our server runs on without us: no longer hosting, but its secret is kept for a rejoin. */
void session_hosting_detached(session_t *s);
/* The secret to send in a login to the server we are connecting to, or "". */
const char *session_login_secret(const session_t *s);

/* The server view: is name the host, did name press Start now; seconds until the round starts
 * with those present (-1 = no countdown); a group's seconds left at now_ms. */
bool session_is_host(const session_t *s, const char *name);
/* True when I am the host of this party server (I may kick). */
bool session_i_am_host(const session_t *s);
bool session_is_ready(const session_t *s, const char *name);
int session_wait_seconds(const session_t *s, uint32_t now_ms);
int session_group_seconds(const session_t *s, int i, uint32_t now_ms);

/* The link dropped with a token in hand: the reconnect loop starts (name and token stay). */
void session_reconnect_begin(session_t *s, const char *why, uint32_t now_ms);
/* True when an attempt is due at now_ms; session_reconnect_attempted schedules the next. */
bool session_reconnect_due(const session_t *s, uint32_t now_ms);
void session_reconnect_attempted(session_t *s, uint32_t now_ms);
/* True once SESSION_RECONNECT_MS have passed without success. */
bool session_reconnect_expired(const session_t *s, uint32_t now_ms);
/* The attempt's connection is closed (the server asked to try again): the next one is due. */
void session_reconnect_retry(session_t *s);
/* Back in (resumed) or given up: the loop stops. */
void session_reconnect_end(session_t *s);

#endif
