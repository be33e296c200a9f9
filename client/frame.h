/* frame.h -- the client's frame loop: input, network, update, network, draw, until c->quit; on
 * client.h, net.h and platform.h */
#ifndef NINE43_FRAME_H
#define NINE43_FRAME_H

#include "client.h"
#include "platform.h"

#define FRAME_MS            16  /* frame pacing when vsync is not available */
#define FRAME_FPS_WINDOW_MS 500 /* the FPS figure is averaged over this long */
#define FRAME_RECONNECT_W   560 /* the "Reconnecting..." panel, logical px */
#define FRAME_RECONNECT_H   220

/* Where the F2 overlay's box (h units high) goes in a view view_h high: the top-left corner,
 * except in a round, whose top bar holds "You: N points" and whose bottom-left holds the chat
 * box: there just under the top bar. */
int frame_debug_top(const client_t *c, int view_h, int h);

/* Runs frames until c->quit: input -> network poll -> update -> network flush -> draw. */
void frame_run(client_t *c, platform_t *p);

#endif
