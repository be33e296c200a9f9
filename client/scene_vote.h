/* scene_vote.h -- state of the world vote scene ("select"): worlds, tally, countdown, your vote;
 * no SDL */
#ifndef NINE43_SCENE_VOTE_H
#define NINE43_SCENE_VOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

#define VOTE_AUTOPLAY_DELAY_MS 1200 /* --autoplay votes for the first world after this long */
#define VOTE_REPLY_TIMEOUT_MS  3000 /* no reply to a vote by then: you may vote again */
#define VOTE_CHAT_LINES        4    /* chat lines of the group shown under the worlds */

/* Layout, logical units. */
#define VOTE_MARGIN             32
#define VOTE_GAP                16
#define VOTE_CARDS_TOP          96
#define VOTE_CARDS_BOTTOM_SPACE 132 /* below the cards: status, chat, hints */

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

typedef struct client client_t;

/* Seconds left on the countdown at c->now_ms (0 when over or unknown). */
int vote_seconds_left(const client_t *c);
/* The card of world i in logical units (shared by drawing and the mouse hit test). */
void vote_card_rect(const client_t *c, int i, int *x, int *y, int *w, int *h);
/* Columns of the card grid for the current number of worlds. */
int vote_columns(const client_t *c);

#endif
