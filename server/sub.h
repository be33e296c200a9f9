/* sub.h -- stage 4, one group's run (vote, game, end screen): the hand-off from the lobby, then
 * the group's own type, shared by sub.c, vote.c, game.c and end.c only; depends on player.h and
 * common/sim */
#ifndef NINE43_SUB_H
#define NINE43_SUB_H

#include "player.h"
#include "sim.h"

/* The groups' own state (s->subs); -1 when out of memory. */
int sub_create_all(server_t *s);
/* Frees every group, running or finished (the server is going away). */
void sub_free_all(server_t *s);
/* The hand-off from the lobby: the players leave it as a group (the lobby has unlinked them). */
void sub_start(server_t *s, player_t **players, int n);
/* Groups in vote, game or end screen. */
int sub_count(const server_t *s);
/* Shutdown: groups in the vote or on the end screen are closed, games play on. */
void sub_shutdown(server_t *s);
/* Frees groups that finished (at the loop's safe point). */
void sub_reap(server_t *s);
/* A chat line said in the lobby reaches the social players of every group. */
void sub_send_line_social_all(server_t *s, const char *line, size_t len);
/* The running groups as the lobby's server view shows them (u->games, u->groups). */
void sub_describe(server_t *s, msg_lobby_update_t *u);

/* ---- inside a group: sub.c, vote.c, game.c, end.c ---- */

typedef enum sub_phase {
    SUB_VOTE = 0,
    SUB_GAME,
    SUB_END,
    SUB_DONE, /* everyone left; freed at the safe point */
} sub_phase_t;

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

typedef struct sub {
    server_t *srv;
    struct sub *prev, *next; /* the running groups, or the finished ones (next only) */
    unsigned id;
    sub_phase_t phase;
    int nplayers;                       /* the group's size when it formed: slots 0..nplayers-1 */
    int npresent;                       /* slots still holding a player */
    player_t *players[PROTO_MAX_GROUP]; /* NULL once that player left */
    char usernames[PROTO_MAX_GROUP][PROTO_USERNAME_SIZE]; /* kept after they leave, for results */
    long long timer;

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

    /* watchers: players in the lobby who watch this group (watch.c) */
    player_t *watchers;
    int nwatchers;
} sub_t;

/* sub.c */
/* The running group of that id, or NULL. */
sub_t *sub_find(server_t *s, unsigned id);
void sub_send_all(sub_t *g, const msg_t *m); /* encodes once */
void sub_send_line_all(sub_t *g, const char *line, size_t len);
/* Whether a player of g logged in with one of features (PROTO_FEATURE_*): an addition only they
 * take need not be built otherwise. */
bool sub_any_with(const sub_t *g, unsigned features);
/* Encodes m once and queues it to the players of g that logged in with one of features. */
void sub_send_with(sub_t *g, unsigned features, const msg_t *m);
/* Takes p out of the group (it goes elsewhere, or is closing). The group finishes when
 * nobody is left. */
void sub_release(sub_t *g, int slot);
/* Shuts the whole group's players out politely (server shutdown). */
void sub_close_all(sub_t *g, const char *why);
/* The group's phase changed or a player left: the lobby's view follows. */
void sub_changed(sub_t *g);

/* vote.c */
void vote_begin(sub_t *g);
int vote_on_msg(sub_t *g, int slot, const msg_t *m);
void vote_player_left(sub_t *g, int slot);
/* A "vote" that did not decode: answered "ignored"; the player may vote again. */
void vote_on_bad(sub_t *g, int slot);
/* Sends "select world" and the tally again to the player back in slot. */
void vote_resume(sub_t *g, int slot);

/* game.c */
void game_begin(sub_t *g);
int game_on_msg(sub_t *g, int slot, const msg_t *m);
void game_player_left(sub_t *g, int slot);
/* The slot's connection dropped: its player stands still until it is back. */
void game_player_away(sub_t *g, int slot);
/* Sends "game start" again to the player back in slot; "state" follows on the next tick. */
void game_resume(sub_t *g, int slot);
/* "game start" to p, who plays as you ("" for a watcher), with the time to GO for who can use
 * it; during the countdown, or when now is true, the current state after it. */
void game_send_start(sub_t *g, player_t *p, const char *you, bool now);

/* end.c */
void end_begin(sub_t *g);
int end_on_msg(sub_t *g, int slot, const msg_t *m);
/* Sends "fin" again to the player back in slot. */
void end_resume(sub_t *g, int slot);

#endif
