/* group.h -- one group's shared state (group_t) and what its phases may do with it: send to its
 * players, and tell its owner that a phase or a player is done; used by sub.c (the owner, which
 * alone changes phases) and by the phases vote.c, game.c and end.c, which know neither sub.c nor
 * each other; depends on player.h and common/sim */
#ifndef NINE43_GROUP_H
#define NINE43_GROUP_H

#include "player.h"
#include "sim.h"

typedef enum group_phase {
    GROUP_VOTE = 0,
    GROUP_GAME,
    GROUP_END,
    GROUP_DONE, /* everyone left; freed at the safe point */
} group_phase_t;

/* A player's inputs wait here and are applied in order, one per tick: the server then steps a
 * player once per input it sent, exactly as the client predicted, and a burst that arrives
 * within one tick (network jitter) is spread over the next ticks instead of losing all but
 * the last. A client that sends only changes still works: an empty queue keeps the held input.
 * A client that sends its held input every tick (the nine43 client, while a control is held)
 * is known by two inputs alike, one seq apart, applied one after the other; when its queue is
 * empty, its next input is late (jitter, a stall, a TCP resend), and its player sits the step
 * out rather than take one its client never predicted (game.c); it makes up the steps it sat
 * out when its inputs come, two a tick while more than one waits. */
#define SERVER_INPUT_QUEUE     32 /* a second's worth; beyond, the oldest is dropped */
#define SERVER_INPUTS_PER_TICK 2  /* steps a tick for a player making up steps it sat out */

typedef struct input_queue {
    sim_input_t in[SERVER_INPUT_QUEUE];
    uint8_t head, len;
    bool every_tick; /* it sends its held input every tick (see above) */
    bool sits_out;   /* this tick's step waits for its input */
    uint8_t behind;  /* steps sat out and not made up yet, at most SERVER_INPUT_QUEUE */
} input_queue_t;

typedef struct group group_t;

struct group {
    server_t *srv;
    group_t *prev, *next; /* the running groups, or the finished ones (next only): sub.c */
    unsigned id;
    group_phase_t phase;                /* set by sub.c alone */
    int nplayers;                       /* the group's size when it formed: slots 0..nplayers-1 */
    int npresent;                       /* slots still holding a player */
    player_t *players[PROTO_MAX_GROUP]; /* NULL once that player left */
    char usernames[PROTO_MAX_GROUP][PROTO_USERNAME_SIZE]; /* kept after they leave, for results */
    long long timer;                                      /* the running phase's timer, 0 = none */

    /* The owner's answers (sub.c sets them): a phase never starts the next one itself. */
    void (*phase_done)(group_t *g); /* the vote decided, the round or end screen is over */
    void (*player_done)(group_t *g, int slot); /* this player leaves the phase before the rest */

    /* vote */
    int votes[PROTO_MAX_GROUP]; /* world index, -1 = none yet */
    int world;                  /* the chosen world's index */

    /* game: allocated when the round starts, so that a group still voting stays small */
    sim_game_t *game;
    input_queue_t *inputs;       /* one per slot, allocated with the game */
    int colors[PROTO_MAX_GROUP]; /* each slot's PALETTE index for this round (game.c) */
    uint64_t seed;
    int64_t game_started; /* monotonic ns of tick 0 */
    uint32_t late_ticks;  /* ticks run more than SERVER_LATE_TICK_MS behind schedule */
    uint32_t max_late_ms;
    int64_t phase_ends;    /* monotonic ns: the vote's, the round's or the end screen's end */
    struct record *record; /* the round's replay being made (record.c), or NULL */

    /* watchers: players in the lobby who watch this group (group.c; watch.c takes requests) */
    player_t *watchers;
    int nwatchers;
    void (*watchers_changed)(group_t *g); /* the owner's: the lobby's view shows the count */
};

/* group.c: sending to the group's players, each message encoded once */
void group_send_all(group_t *g, const msg_t *m);
void group_send_line_all(group_t *g, const char *line, size_t len);
/* Whether a player of g logged in with one of features (PROTO_FEATURE_*): an addition only they
 * take need not be built otherwise. */
bool group_any_with(const group_t *g, unsigned features);
/* Encodes m once and queues it to the players of g that logged in with one of features. */
void group_send_with(group_t *g, unsigned features, const msg_t *m);
/* Shuts the whole group's players out: an error saying why, or at shutdown the server's "bye". */
void group_close_all(group_t *g, const char *why);
/* Stops the phase's timer, if one runs. */
void group_stop_timer(group_t *g);
/* Sets the phase's one timer (g->timer) to call fn at when; when it cannot be added, the group
 * is stopped with an error to its players and the log, never left without a tick. */
void group_set_timer(group_t *g, int64_t when, loop_timer_fn fn);

/* group.c: the group's watchers, players in the lobby (the "watch" feature; watch.c takes their
 * requests). Adding or removing one tells the players that named "watch" the count and the owner
 * (g->watchers_changed). */
void group_watch_add(group_t *g, player_t *p);
/* p stops watching g; why is its "watch end" (NULL: nothing said). */
void group_watch_remove(group_t *g, player_t *p, const char *why);
/* One line the players got (a state, "fin") to every watcher. A watcher with more than
 * SERVER_WATCH_BACKLOG bytes unread is dropped from watching first: a slow reader never holds
 * output for the group (queuing never blocks a tick). */
void group_send_line_watchers(group_t *g, const char *line, size_t len);
/* Every watcher stops: after "fin" (why NULL: the results say it), or the group ended early. */
void group_watch_end_all(group_t *g, const char *why);

#endif
