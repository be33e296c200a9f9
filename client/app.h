/* app.h -- the game client as a whole: its twelve scenes handed to the runner; no SDL, on
 * client.h */
#ifndef NINE43_APP_H
#define NINE43_APP_H

#include "client.h"

/* client_init with the game's scenes (menu, settings, join, host, connect, username, lobby,
 * vote, game, end, replays, playback): c shows the menu. */
void app_init(client_t *c, const client_net_ops_t *net, const client_host_ops_t *host);

#endif
