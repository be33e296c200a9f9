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

/* Open on this connection (serial: the session's): a box left open on another is not. Here,
 * not in chatbox.c, so that the runner can ask without depending on the chat code above it. */
static inline bool chatbox_state_open(const chatbox_t *b, unsigned serial)
{
    return b->open && b->serial == serial;
}

#endif
