/* state_lobby.h -- the lobby scene's state: the line being typed, the focus and the host's kick
 * dialog (the roster, the server view and the chat log are the session's); no SDL */
#ifndef NINE43_STATE_LOBBY_H
#define NINE43_STATE_LOBBY_H

#include "proto.h"

typedef enum lobby_row {
    LOBBY_ROW_CHAT, /* the chat field */
    LOBBY_ROW_LEAVE,
    LOBBY_ROW_START, /* Start now (a party server) */
    LOBBY_ROW_KICK,  /* the host's Kick... */
    LOBBY_ROW_WATCH, /* Watch on a running group (watch_pick) */
    LOBBY_ROW_COUNT
} lobby_row_t;

/* Everyone the host may kick: the lobby and the running groups, less the host. */
#define LOBBY_MAX_KICKABLE (PROTO_MAX_PLAYERS * (PROTO_MAX_LOBBY_GROUPS + 1))

typedef struct lobby {
    char input[PROTO_CHAT_SIZE]; /* the line being typed, kept across rounds */
    unsigned serial;             /* the session's serial when input was typed */
    int focus;                   /* a lobby_row_t */
    /* The host's kick dialog: whom (an index into lobby_kickable's list) and why. */
    bool kick_open;
    int kick_pick;
    char kick_reason[PROTO_TEXT_SIZE];
    /* Watch: the group the focus is on (an index of the session's groups), and the id of the
     * group asked for last (0 none): its "game start" is watched (game_watch.c). */
    int watch_pick;
    int watch_group;
} lobby_t;

#endif
