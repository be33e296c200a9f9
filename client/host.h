/* host.h -- "Host a game": runs nine43-server (next to the client) as a child process through
 * common/proc; POSIX */
#ifndef NINE43_HOST_H
#define NINE43_HOST_H

#include <stddef.h>

#include "client.h"

#ifndef NINE43_EXE_SUFFIX
#define NINE43_EXE_SUFFIX "" /* CMake gives ".exe" on Windows */
#endif
#define HOST_SERVER_EXE   "nine43-server" NINE43_EXE_SUFFIX
#define HOST_EMPTY_EXIT_S 5    /* the server's --exit-when-empty: it outlives us only for others */
#define HOST_MAX_GONE     8    /* stopped or detached servers still to reap */
#define HOST_LOG_TAIL     4096 /* bytes of the server's log read to explain a failure */
#define HOST_TOKEN_BYTES  16   /* random bytes of the admin secret (32 hex characters) */
#define HOST_TOKEN_ENV    "NINE43_ADMIN_TOKEN" /* the server's SERVER_ADMIN_TOKEN_ENV */
/* "Stop the server": how long the server has to answer our "stop" on loopback (the window goes
 * on meanwhile: the answer is read a frame at a time), and how long a server that did not accept
 * it has to exit before it is ended at once (SIGKILL; TerminateProcess on Windows) */
#define HOST_STOP_ANSWER_MS 1000
#define HOST_STOP_GRACE_MS  3000
#define HOST_STOP_POLL_MS   10 /* how often a closing game looks at the stops it waits for */

/* The operations the runner uses, backed by fork/exec. */
extern const client_host_ops_t host_ops;

/* Where the server executable is: $NINE43_SERVER, else next to the running binary. Returns 0
 * or -1. */
int host_server_path(char *out, size_t cap);

/* The first non-loopback IPv4 address of an interface that is up ("192.168.1.20"), or
 * "127.0.0.1" when there is none. */
void host_lan_address(char *out, size_t cap);

/* Whether the server last stopped has answered our "stop" by saying it stops: false until its
 * answer comes (a frame or two on loopback; host_ops.tick reads it), and for good when it did
 * not come in HOST_STOP_ANSWER_MS (that server gets SIGTERM and, after HOST_STOP_GRACE_MS, is
 * ended at once). */
bool host_stop_accepted(const client_t *c);
/* Whether the server last stopped "if alone" answered that others are on it and runs on. */
bool host_stop_kept(const client_t *c);

/* Frees what host_ops left in c->host_data, when the game closes: asks a server still ours to
 * stop, and waits for the stops under way (HOST_STOP_ANSWER_MS for an answer, then
 * HOST_STOP_GRACE_MS for a server that did not accept, at most). */
void host_free(client_t *c);

#endif
