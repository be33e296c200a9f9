/* state_vote.h -- the world vote scene's state ("select"): worlds, tally, countdown, your vote, the
 * group's players, the question before leaving (the chat is the session's log and the chat
 * box's); no SDL */
#ifndef NINE43_STATE_VOTE_H
#define NINE43_STATE_VOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

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
    bool ignored;       /* the server ignored your last vote: choose again */
    bool have_group;    /* the server says who is in the group ("group") */
    msg_group_t group;  /* who voted (not for what), who left */
    bool confirm_leave; /* Esc: "Leave the server?" waits for Enter or Esc */
} vote_t;

#endif
