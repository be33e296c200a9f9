/* net.h -- the client's TCP connection on SDL2_net: one network thread per connection connects,
 * reads and writes; the frame loop trades lines with it through queues and never waits on it */
#ifndef NINE43_NET_H
#define NINE43_NET_H

#include "client.h"

#define NET_CONNECT_TIMEOUT_MS 10000 /* a connect that has not finished by then failed */
#define NET_MAX_OUT                                                                                \
    (256 * 1024) /* bytes waiting to be sent; more: the server stopped reading, dropped */
/* Received lines waiting to be handled, in the thread's queue and again in the frame's: a frame
 * handles at most this much (bounded work per frame, even under a flood). */
#define NET_MAX_IN     (1024 * 1024)
#define NET_READ_CHUNK 4096 /* bytes per SDLNet_TCP_Recv */
/* The network thread's longest wait in SDLNet_CheckSockets. Lines to send wake it at once (a
 * datagram to its own loopback socket), so this bounds only how soon it notices a Back. */
#define NET_THREAD_WAIT_MS 50
/* Undecodable lines in a row before the client gives up on the server. One is logged and
 * skipped (a server a version ahead may send a field this client finds out of range); a
 * stream of them is not a game server. */
#define NET_MAX_BAD_LINES 8
/* A logged-in client hears from the server at least every 2 s (the pongs to its pings, states
 * in a round): this long without a byte, the link is taken as dead (a frozen server, a path
 * that lost its way) and lost, which starts a reconnect in a game. */
#define NET_SILENT_MS 10000

/* The operations the runner uses (connect, send, close), backed by SDL2_net. */
extern const client_net_ops_t net_ops;

/* Creates the connection state in c->net_data. Returns 0 or -1. */
int net_init(client_t *c);
/* Every frame: takes what the network thread has done (connected, failed, lines, closed) and
 * hands each message to client_on_message; calls client_on_* on connect, failure, loss. */
void net_poll(client_t *c);
/* Every frame, after update: hands what scenes queued to the network thread. */
void net_flush(client_t *c);
/* Lets go of the connection (its thread sends what was queued, then closes) and frees. */
void net_free(client_t *c);
/* Bytes queued for the server and not yet written by the network thread (it may be blocked
 * in a send to a server that stopped reading): for tests and the figures. */
size_t net_queued(const client_t *c);
/* The SDL event type the network thread pushes when it has something for the frame loop
 * (lines, connected, failed, closed): it wakes a loop waiting for events. */
uint32_t net_event_type(void);

#endif
