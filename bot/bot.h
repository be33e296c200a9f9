/* bot.h -- headless players: N non-blocking connections on one poll(2) loop, each a player that
 * logs in, votes and plays with the brain; used by nine43-bot and by the benchmarks in bench/ */
#ifndef NINE43_BOT_H
#define NINE43_BOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys_net.h"
#include "brain.h"
#include "linebuf.h"
#include "proto.h"
#include "sim.h"
#include "world.h"

#define BOT_MAX_LOGIN_ATTEMPTS 32    /* names tried per bot when the server says a name is taken */
#define BOT_READ_CHUNK         65536 /* bytes read per read(2) */
#define BOT_READS_PER_WAKE                                                                         \
    4 /* reads per readable connection per loop, so none starves the rest                          \
       */
#define BOT_MAX_OUTPUT                                                                             \
    (1 << 20)              /* bytes queued to a server that does not read: then the bot fails */
#define BOT_MAX_REASON 320 /* bytes of a failure reason */

typedef enum bot_phase {
    BOT_IDLE,       /* not started */
    BOT_CONNECTING, /* non-blocking connect in progress */
    BOT_GREETING,   /* connected, waiting for {"type": "log in"} */
    BOT_LOGGING_IN, /* name sent, waiting for "log in update" */
    BOT_LOBBY,      /* welcomed, waiting for a group to form */
    BOT_VOTING,     /* "select world" received */
    BOT_PLAYING,    /* "game start" received */
    BOT_END,        /* "fin" received, "continue" sent: waiting for the lobby's welcome */
    BOT_WATCHING,   /* watch mode: "watch" sent for a running group, until its "fin" */
    BOT_DONE,       /* finished its rounds (or greeted, when not logging in) and closed */
    BOT_FAILED,     /* see reason */
} bot_phase_t;

typedef enum bot_vote {
    BOT_VOTE_RANDOM, /* a seeded random world */
    BOT_VOTE_FIRST,  /* always the first world offered */
    BOT_VOTE_NONE,   /* never vote (the server's vote timeout decides) */
} bot_vote_t;

typedef struct bot bot_t;

/* Optional observers, for the benchmarks. */
typedef struct bot_hooks {
    void *ud;
    void (*on_phase)(void *ud, bot_t *b, bot_phase_t from);      /* after b->phase changed */
    void (*on_state)(void *ud, bot_t *b, const msg_state_t *st); /* every decoded "state" */
    void (*on_input)(void *ud, bot_t *b, const sim_input_t *in); /* after an "input" was queued */
} bot_hooks_t;

typedef struct bot_config {
    const char *prefix; /* usernames are prefix + index (1-based), then + "_" + attempt */
    int rounds;         /* rounds each bot plays, 0 = until stopped */
    bot_vote_t vote;
    bool login;        /* false: stop once greeted and stay connected (capacity benchmark) */
    bool stay;         /* true: after its rounds a bot stays connected (BOT_DONE, idle) */
    bool manual_input; /* true: no brain; the owner sends inputs with bot_send_input */
    uint64_t seed;     /* every bot's choices derive from it and the bot's index */
    bool verbose;      /* one line per event on stdout (logins, rounds, results) */
    bot_hooks_t hooks;
    int drop_every_ms; /* > 0: in a round, drop the connection this often and resume (tests) */
    bool watch; /* watch mode: log in with "watch", watch the first running group to its end */
} bot_config_t;

struct bot {
    int index; /* 1-based */
    int fd;    /* -1 when not connected */
    bot_phase_t phase;
    linebuf_t lb;
    bool in_feed; /* inside linebuf_feed: lb is freed after it returns, not during */
    char *out;    /* bytes not yet written; allocated only while some are pending */
    size_t out_len, out_cap;
    int attempt; /* login attempts so far */
    char username[PROTO_USERNAME_SIZE];
    int rounds_done;
    uint64_t rng;
    world_t *world; /* allocated for a game, freed at its end */
    brain_t *brain;
    int me;           /* index of this bot in the game's players, -1 when not found */
    sim_input_t sent; /* last input sent */
    bool sent_any;
    uint32_t manual_seq; /* seq of inputs sent with bot_send_input */
    uint32_t last_ack;
    char last_error[PROTO_TEXT_SIZE]; /* the server's last "error" or "bye", for failure reasons */
    double t_start, t_greeted, t_welcomed; /* bot_now() at connect, greeting, first welcome */
    char reason[BOT_MAX_REASON];
    char token[PROTO_MAX_TOKEN + 1]; /* the server's resume token ("" = none) */
    double next_drop;                /* bot_now() of the next drop (drop_every_ms) */
    bool resuming;                   /* reconnected after a drop: logging in with the token */
    int resume_tries;
    /* watch mode */
    int32_t watching;       /* the group asked for, 0 = none yet */
    uint32_t watch_states;  /* states seen while watching */
    uint32_t watch_first;   /* tick of the first of them */
    msg_fin_t *watched_fin; /* the watched round's results, once its "fin" came */
};

typedef struct bot_set {
    bot_config_t cfg;
    sys_addr_t addr; /* the server's */
    int nbots;
    bot_t *bots;
    sys_pollfd_t *pfds;
    int *pfd_bot;         /* bot index (0-based) of each pollfd */
    char poll_error[128]; /* why bot_set_poll failed */
    msg_t *msg;           /* decoding scratch: one per set, it is large */
    msg_t *enc_msg;
    char *enc; /* encoding buffer, PROTO_MAX_LINE */
    int nfinished, nfailed;
    char first_failure[BOT_MAX_REASON + PROTO_USERNAME_SIZE + 8];
    uint64_t bytes_in, bytes_out, lines_in, states_in, inputs_out, errors_in;
    uint64_t drops, resumes; /* connections dropped on purpose (drop_every_ms), places taken back */
} bot_set_t;

/* Seconds on the monotonic clock. */
double bot_now(void);

/* Raises the soft RLIMIT_NOFILE to at least need (up to the hard limit). Returns the new soft
 * limit; if it stays below need, the caller decides. */
long bot_raise_fd_limit(long need);

/* Resolves host:port and allocates count bots (none connected yet). Returns 0, or -1 with a
 * message in err. */
int bot_set_init(bot_set_t *s, const bot_config_t *cfg, const char *host, int port, int count,
                 char *err, size_t errlen);
/* Starts connecting bot i (0-based). Returns 0, or -1 (the bot failed, see its reason). */
int bot_start(bot_set_t *s, int i);
/* Starts every bot not yet started. */
void bot_start_all(bot_set_t *s);
/* One loop iteration: poll (up to timeout_ms) and handle what is ready. Returns 0, or -1 when
 * poll itself failed. */
int bot_set_poll(bot_set_t *s, int timeout_ms);
/* True when every bot is BOT_DONE or BOT_FAILED. */
bool bot_set_over(const bot_set_t *s);
/* Where the bots that are not done are, e.g. "2 in lobby, 1 in game" ("" when all are). */
void bot_set_census(const bot_set_t *s, char *buf, size_t cap);
/* Sends "quit" where connected and closes every connection; frees everything. */
void bot_set_free(bot_set_t *s);

/* Queues an "input" (manual_input mode); its seq is the bot's next manual seq. Returns the
 * seq, or 0 when the bot is not playing. */
uint32_t bot_send_input(bot_set_t *s, bot_t *b, int dx, int dy, bool dash);

const char *bot_phase_name(bot_phase_t p);

#endif
