/* state_end.h -- the end screen's state ("fin"): ranked results, your row, who has left the
 * server since ("group"), Continue, the jingle waiting for the bell; no SDL, on proto.h and
 * sfx_events.h */
#ifndef NINE43_STATE_END_H
#define NINE43_STATE_END_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"
#include "sfx_events.h"

typedef struct end {
    bool have_results;
    msg_fin_t fin; /* results sorted by rank (as the server sends them, re-sorted to be sure) */
    int me;        /* your row in fin.results, -1 when not in it */
    uint8_t colors[PROTO_MAX_PLAYERS][3]; /* each row's colour in the round, found once */
    bool left[PROTO_MAX_PLAYERS];         /* each row's player has left the server */
    bool have_group;                      /* a "group" came: group says who is still here */
    msg_group_t group;                    /* the round's players, "left" = gone from the server */
    uint32_t start_ms;
    bool continued;     /* "continue" sent: waiting for the lobby */
    sfx_event_t jingle; /* win or lose, played once the round's bell has rung */
    bool jingle_pending;
} end_t;

#endif
