/* room.h -- what every room of logged-in players (the lobby, each group) answers alike: chat
 * and the host's kick; depends on player.h */
#ifndef NINE43_ROOM_H
#define NINE43_ROOM_H

#include "player.h"

/* A "chat" or a "kick" from p: true when m was one of them (and was answered). */
bool room_on_msg(server_t *s, player_t *p, const msg_t *m);

#endif
