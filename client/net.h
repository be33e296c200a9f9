/* net.h -- the client's TCP connection on POSIX sockets: background connect, then non-blocking
 * reads and writes through a capped output queue: the frame loop never waits on the network */
#ifndef NINE43_NET_H
#define NINE43_NET_H

#include "client.h"

#define NET_CONNECT_TIMEOUT_MS 10000 /* a connect that has not finished by then failed */
#define NET_MAX_OUT                                                                                \
    (256 * 1024) /* bytes waiting to be sent; more: the server stopped reading, dropped */
#define NET_MAX_IN              (1024 * 1024) /* received lines waiting to be handled */
#define NET_READ_CHUNK          4096
#define NET_MAX_READS_PER_FRAME 64 /* bounded work per frame, even under a flood */
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
/* Every frame: finishes a pending connect, reads what arrived and hands each message to
 * client_on_message; calls client_on_* on connect, failure, loss. */
void net_poll(client_t *c);
/* Every frame, after update: sends what scenes queued. */
void net_flush(client_t *c);
void net_free(client_t *c);

#endif
