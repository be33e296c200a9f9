/* state_vote.h -- the world vote scene's state ("select"): worlds, tally, countdown, your vote, the
 * group's last chat lines; no SDL */
#ifndef NINE43_STATE_VOTE_H
#define NINE43_STATE_VOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

#define VOTE_CHAT_LINES 4 /* chat lines of the group shown under the worlds */

typedef struct vote_line {
    char from[PROTO_USERNAME_SIZE];
    char text[PROTO_CHAT_SIZE];
} vote_line_t;

typedef struct vote {
    bool have_worlds;
    msg_select_world_t sel; /* the worlds offered, with their previews */
    uint32_t start_ms;      /* when "select world" arrived: the countdown runs from here */
    int counts[PROTO_MAX_WORLDS];
    int total_votes;
    int focus;   /* the world with keyboard focus */
    int voted;   /* the world the server counted for you, -1 none */
    int pending; /* the world sent and not yet answered, -1 none */
    uint32_t pending_ms;
    bool ignored;                      /* the server ignored your last vote: choose again */
    vote_line_t chat[VOTE_CHAT_LINES]; /* oldest first */
    int nchat;
} vote_t;

#endif
