/* login.h -- stage 2: a new player is greeted, may ask for the status, and logs in with a
 * unique username; depends on player.h */
#ifndef NINE43_LOGIN_H
#define NINE43_LOGIN_H

#include "player.h"

/* The hand-off from accept: p (fresh from player_add) enters the login stage and is greeted. */
void login_enter(server_t *s, player_t *p);
/* How full the server is, as a "status" reply and a LAN answer tell it. */
void login_get_counts(const server_t *s, server_counts_t *out);

#endif
