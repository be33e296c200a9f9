/* state_kick_dialog.h -- the host's kick dialog's state (kick_dialog.c): open or not, over which
 * scene, whom and why; no SDL, on proto.h */
#ifndef NINE43_STATE_KICK_DIALOG_H
#define NINE43_STATE_KICK_DIALOG_H

#include <stdbool.h>

#include "proto.h"

/* Everyone the host may kick: its round, the lobby and the running groups, less the host. */
#define KICK_DIALOG_MAX_NAMES (PROTO_MAX_PLAYERS * (PROTO_MAX_LOBBY_GROUPS + 2))

/* The scene the dialog is open over: it decides whose names come first and what it says. */
typedef enum kick_dialog_over {
    KICK_DIALOG_OVER_LOBBY,
    KICK_DIALOG_OVER_ROUND, /* the round goes on under it */
    KICK_DIALOG_OVER_END,   /* the end screen's results */
} kick_dialog_over_t;

typedef struct kick_dialog {
    bool open;
    int over; /* a kick_dialog_over_t */
    int pick; /* an index into kick_dialog_kickable's list */
    char reason[PROTO_TEXT_SIZE];
} kick_dialog_t;

#endif
