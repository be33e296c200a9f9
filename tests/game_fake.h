/* game_fake.h -- for the game-scene tests: a client with a recording network and no window */
#ifndef NINE43_GAME_FAKE_H
#define NINE43_GAME_FAKE_H

#include "client.h"

#define FAKE_MAX_SENT 4096 /* messages recorded; more are counted but not kept */

typedef struct fake_sent {
    msg_type_t type;
    int vote_index;
    uint32_t seq;
    int8_t dx, dy;
    bool dash;
} fake_sent_t;

typedef struct fake_net {
    int nsent; /* all messages sent, kept or not */
    fake_sent_t sent[FAKE_MAX_SENT];
} fake_net_t;

/* A client (heap, zeroed) logged in as username on a fake connection, at now_ms = 1000. */
client_t *fake_client(const char *username);
void fake_client_free(client_t *c);
fake_net_t *fake_net(client_t *c);

/* How many messages of type were sent, and the last of them (NULL: none). */
int fake_count(client_t *c, msg_type_t type);
const fake_sent_t *fake_last(client_t *c, msg_type_t type);
void fake_clear(client_t *c);

/* Runs the client's frames from now to now + ms, one frame every step_ms. */
void fake_run(client_t *c, uint32_t ms, uint32_t step_ms);

/* An input event. */
void fake_key(client_t *c, input_kind_t kind);
void fake_click(client_t *c, int x, int y);

/* Messages the server would send. Each is heap-allocated (msg_t is large); free with free(). */
msg_t *fake_select_world(int nworlds, int timeout);
msg_t *fake_game_start(const char *const *rows, int nrows, const char *you, int nplayers);

#endif
