/* state_lobby.h -- the lobby scene's state: the line being typed and the focus (the roster and
 * the chat log are the session's); no SDL */
#ifndef NINE43_STATE_LOBBY_H
#define NINE43_STATE_LOBBY_H

#include "proto.h"

typedef enum lobby_row {
    LOBBY_ROW_CHAT, /* the chat field */
    LOBBY_ROW_LEAVE,
    LOBBY_ROW_COUNT
} lobby_row_t;

typedef struct lobby {
    char input[PROTO_CHAT_SIZE]; /* the line being typed, kept across rounds */
    unsigned serial;             /* the session's serial when input was typed */
    int focus;                   /* a lobby_row_t */
} lobby_t;

#endif
