/* state_lobby.h -- the lobby scene's state: the line being typed and the focus (the roster, the
 * server view and the chat log are the session's; the kick dialog is kick_dialog.c's); no SDL */
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

typedef struct lobby {
    char input[PROTO_CHAT_SIZE]; /* the line being typed, kept across rounds */
    unsigned serial;             /* the session's serial when input was typed */
    int focus;                   /* a lobby_row_t */
    /* Watch: the group the focus is on (an index of the session's groups), and the id of the
     * group asked for last (0 none): its "game start" is watched (game_watch.c). */
    int watch_pick;
    int watch_group;
} lobby_t;

#endif
