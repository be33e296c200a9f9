/* client_core_fake.h -- for the client-core scene tests: a client at the menu on the fake network
 * and host (fake_net.h, fake_host.h), no window; input and server messages */
#ifndef NINE43_CLIENT_CORE_FAKE_H
#define NINE43_CLIENT_CORE_FAKE_H

#include "app.h"
#include "fake_host.h"
#include "fake_net.h"
#include "scene_lobby.h"

/* A client (heap) at the menu with fake ops; settings are not saved unless settings_path is
 * set. now_ms starts at 1000. */
client_t *ccf_client(void);
void ccf_free(client_t *c);
/* Input. */
void ccf_key(client_t *c, input_kind_t kind);
void ccf_type(client_t *c, const char *utf8); /* one IN_TEXT per code point */
void ccf_click(client_t *c, int x, int y);
void ccf_backspaces(client_t *c, int n);

/* Time passes: frames of step_ms until ms have gone. */
void ccf_run(client_t *c, uint32_t ms, uint32_t step_ms);

/* Server messages, delivered through client_on_message. */
void ccf_recv(client_t *c, msg_type_t type);
void ccf_recv_login_update(client_t *c, bool accepted, const char *message);
void ccf_recv_lobby_update(client_t *c, int group_size, int n, const char *const *names);
void ccf_recv_chat(client_t *c, const char *from, const char *text);
void ccf_recv_error(client_t *c, const char *message);

/* Brings the client from the menu to the lobby as name (join localhost:9999). */
void ccf_to_lobby(client_t *c, const char *name);

#endif
