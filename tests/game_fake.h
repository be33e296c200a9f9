/* game_fake.h -- for the game-scene tests: a logged-in client on the fake network (fake_net.h), no
 * window; input, time and the server's messages */
#ifndef NINE43_GAME_FAKE_H
#define NINE43_GAME_FAKE_H

#include "app.h"
#include "fake_net.h"
#include "scene_end.h"
#include "scene_game.h"
#include "scene_vote.h"

/* A client (heap, zeroed) logged in as username on a fake connection, at now_ms = 1000. */
client_t *fake_client(const char *username);
void fake_client_free(client_t *c);
/* Runs the client's frames from now to now + ms, one frame every step_ms. */
void fake_run(client_t *c, uint32_t ms, uint32_t step_ms);

/* An input event. */
void fake_key(client_t *c, input_kind_t kind);
void fake_click(client_t *c, int x, int y);
/* Typed text: one IN_TEXT per code point. */
void fake_type(client_t *c, const char *utf8);

/* Messages the server would send. Each is heap-allocated (msg_t is large); free with free(). */
msg_t *fake_select_world(int nworlds, int timeout);
msg_t *fake_game_start(const char *const *rows, int nrows, const char *you, int nplayers);

#endif
