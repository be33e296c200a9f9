/* accept.h -- stage 1: the TCP listeners; each new socket goes to a callback, and this file knows
 * nothing of what becomes of it; depends on server.h */
#ifndef NINE43_ACCEPT_H
#define NINE43_ACCEPT_H

#include "server.h"

/* A new connection: fd is non-blocking, TCP_NODELAY, its send buffer CONN_SNDBUF; the callback
 * owns it from here (and closes it when it refuses it). peer reads "1.2.3.4:5678". */
typedef void (*accept_fn)(void *ud, int fd, const char *peer);

typedef struct accept accept_t;

/* Listens on --bind (both 0.0.0.0 and :: by default) and --port. NULL when no address could be
 * listened on (logged). */
accept_t *accept_listen(server_t *s, accept_fn fn, void *ud);
/* The bound TCP port (the one picked with --port 0). */
int accept_port(const accept_t *a);
/* Stops listening and closes the listeners (shutdown, or the end); a is freed. NULL is fine. */
void accept_close(accept_t *a);

#endif
