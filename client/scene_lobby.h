/* scene_lobby.h -- the lobby scene: who is here, the running groups, Start now, chat, the host's
 * kick, Leave; and the texts it shows about the session's roster and view; no SDL, on client.h */
#ifndef NINE43_SCENE_LOBBY_H
#define NINE43_SCENE_LOBBY_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"

extern const scene_t scene_lobby;

/* "2 / 4": players here and the group size (just "2" before the size is known). */
void lobby_count_text(const session_t *s, char *buf, size_t cap);
/* "Waiting for 2 more players", "Starting!", "Joining...". */
void lobby_status_text(const session_t *s, char *buf, size_t cap);
/* On a party server: "Starting in 23 s with the 3 here", "2 of 3 pressed Start now", ... */
void lobby_party_status_text(const session_t *s, uint32_t now_ms, char *buf, size_t cap);
/* A running group in one line: "arena · 0:41 left · ann, bo, cy" ("voting", "results"). */
void lobby_group_text(const session_t *s, int i, uint32_t now_ms, char *buf, size_t cap);

#endif
