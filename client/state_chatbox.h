/* state_chatbox.h -- the chat box's state: the line being typed over the vote, the round and the
 * end screen, and whether it is open; no SDL */
#ifndef NINE43_STATE_CHATBOX_H
#define NINE43_STATE_CHATBOX_H

#include <stdbool.h>

#include "proto.h"

typedef struct chatbox {
    bool open;                   /* typing: keys go to the line, the round's player stands */
    char input[PROTO_CHAT_SIZE]; /* kept from scene to scene, not into another connection */
    unsigned serial;             /* the session's serial when input was typed */
} chatbox_t;

#endif
