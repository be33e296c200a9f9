/* scene_lobby.h -- the lobby scene: who is here, chat, Leave; and the texts it shows about the
 * session's roster; no SDL, on client.h */
#ifndef NINE43_SCENE_LOBBY_H
#define NINE43_SCENE_LOBBY_H

#include <stddef.h>

#include "client.h"

extern const scene_t scene_lobby;

/* "2 / 4": players here and the group size (just "2" before the size is known). */
void lobby_count_text(const session_t *s, char *buf, size_t cap);
/* "Waiting for 2 more players", "Starting!", "Joining...". */
void lobby_status_text(const session_t *s, char *buf, size_t cap);

#endif
