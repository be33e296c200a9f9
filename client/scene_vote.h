/* scene_vote.h -- the world vote scene ("select"): its timing, layout and the helpers its drawing
 * and tests share; no SDL, on client.h */
#ifndef NINE43_SCENE_VOTE_H
#define NINE43_SCENE_VOTE_H

#include "client.h"

#define VOTE_AUTOPLAY_DELAY_MS 1200 /* --autoplay votes for the first world after this long */
#define VOTE_REPLY_TIMEOUT_MS  3000 /* no reply to a vote by then: you may vote again */

/* Layout, logical units. */
#define VOTE_MARGIN             32
#define VOTE_GAP                16
#define VOTE_CARDS_TOP          96
#define VOTE_CARDS_BOTTOM_SPACE 132 /* below the cards: status, chat, hints */
#define VOTE_CHAT_LINES         2   /* chat lines under the status line */
#define VOTE_CHAT_LINES_TYPING  1   /* and while the chat box takes the room of one */

extern const scene_t scene_vote;

/* Seconds left on the countdown at c->now_ms (0 when over or unknown). */
int vote_seconds_left(const client_t *c);
/* The card of world i in logical units (shared by drawing and the mouse hit test). */
void vote_card_rect(const client_t *c, int i, int *x, int *y, int *w, int *h);
/* Columns of the card grid for the current number of worlds. */
int vote_columns(const client_t *c);

#endif
