/* scene_end.h -- the end screen ("fin"): its timing and the countdown its drawing and tests share;
 * no SDL, on client.h */
#ifndef NINE43_SCENE_END_H
#define NINE43_SCENE_END_H

#include "client.h"

#define END_AUTOPLAY_DELAY_MS 2000 /* --autoplay continues after this long */
/* "fin" comes with the round's last state, so its bell (1.2 s) is still ringing: the win or
 * lose jingle waits until its second strike has sounded rather than play over it. */
#define END_JINGLE_DELAY_MS 700
/* A server that does not say (no continue_ms in "fin") sends everyone back to the lobby by then */
#define END_SERVER_RETURN_MS 20000

extern const scene_t scene_end;

/* Seconds until the server returns everyone to the lobby anyway. */
int end_seconds_left(const client_t *c);

#endif
