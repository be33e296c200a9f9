/* scene_lobby.h -- state of the client-core scenes once connecting: connect, username, lobby; no
 * SDL */
#ifndef NINE43_SCENE_LOBBY_H
#define NINE43_SCENE_LOBBY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

typedef enum connect_phase {
    CONNECT_WAITING,   /* the background connect runs */
    CONNECT_CONNECTED, /* TCP is up; waiting for the server's "log in" */
    CONNECT_FAILED,    /* message says why; Retry and Back */
} connect_phase_t;

#define CONNECT_AUTOPLAY_RETRIES  5 /* --autoplay retries a failed connect this often */
#define CONNECT_AUTOPLAY_RETRY_MS 1000

typedef struct connect {
    connect_phase_t phase;
    int focus; /* 0 = Retry, 1 = Back (when failed) */
    char message[PROTO_TEXT_SIZE + 64];
    uint32_t failed_ms;
    int autoplay_retries;
} connect_t;

#define USERNAME_AUTOPLAY_TRIES 5 /* --autoplay appends a digit to a taken name this often */

typedef struct username {
    char name[PROTO_USERNAME_SIZE];
    char message[PROTO_TEXT_SIZE]; /* the server's refusal, or the local check's reason */
    bool waiting;                  /* sent, no answer yet */
    bool accepted;                 /* waiting for the lobby */
    bool auto_submitted;           /* --username / --autoplay submitted once */
    int autoplay_tries;
    int focus; /* 0 = the field / Log in, 1 = Back */
} username_t;

#define LOBBY_CHAT_LINES 64 /* lines of chat kept */

typedef struct lobby_line {
    char from[PROTO_USERNAME_SIZE]; /* "" for a message from the server */
    char text[PROTO_CHAT_SIZE];
} lobby_line_t;

typedef enum lobby_row {
    LOBBY_ROW_CHAT, /* the chat field */
    LOBBY_ROW_LEAVE,
    LOBBY_ROW_COUNT
} lobby_row_t;

typedef struct lobby {
    int nplayers;
    char players[PROTO_MAX_PLAYERS][PROTO_USERNAME_SIZE];
    int group_size;
    bool have_update;                    /* a lobby update arrived since we connected */
    bool welcomed;                       /* the server's first "lobby" line is in the chat */
    lobby_line_t chat[LOBBY_CHAT_LINES]; /* a ring: the newest at (chat_head + nchat - 1) */
    int chat_head, nchat;
    char input[PROTO_CHAT_SIZE]; /* the line being typed */
    int focus;                   /* a lobby_row_t */
} lobby_t;

/* "2 / 4": players here and the group size (just "2" before the size is known). */
void lobby_count_text(const lobby_t *l, char *buf, size_t cap);
/* "Waiting for 2 more players", "Starting!", "Joining...". */
void lobby_status_text(const lobby_t *l, char *buf, size_t cap);

#endif
