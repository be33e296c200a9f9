/* scene_join.h -- the Join scene: an address form and the LAN list; no SDL, on client.h */
#ifndef NINE43_SCENE_JOIN_H
#define NINE43_SCENE_JOIN_H

#include <stdbool.h>

#include "client.h"

extern const scene_t scene_join;

/* Connects to host:port (port as typed) after checking them, remembering them as the last
 * server used; "host:port" in host works too. Returns false with join.error set. The LAN list
 * joins through this as well. */
bool join_connect_to(client_t *c, const char *host, const char *port_text);

/* A LAN row's second line: who plays a round now (the logged-in players not waiting in the
 * lobby, which the first line counts) and the ping: "1 in a game · 3 ms". */
struct lan_server;
void join_lan_counts(const struct lan_server *s, char *out, size_t cap);

#endif
