/* host_talk.h -- asks a server we host to stop without ever waiting: connects on loopback, sends
 * "stop" with the admin secret (and "if_alone" when asked) and reads the answer, one look per call
 * (host.c calls it every frame); the OS only through the seam (sys_net.h) */
#ifndef NINE43_HOST_TALK_H
#define NINE43_HOST_TALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of the stop line: its secret is PROTO_MAX_TOKEN at most. */
#define HOST_TALK_LINE_MAX    256
#define HOST_TALK_ANSWER_MAX  1024       /* bytes of the answer read (a greeting, then "bye") */
#define HOST_TALK_REASON      "stopping" /* the server's SERVER_STOP_REASON in its "bye" */
#define HOST_TALK_KEPT_REASON "kept"     /* its SERVER_KEPT_REASON: others are on, it runs on */
#define HOST_TALK_WHY_MAX     128        /* bytes of why a stop was not accepted */

typedef enum host_talk_state {
    HOST_TALK_IDLE,     /* none begun, or over (and said so once) */
    HOST_TALK_PENDING,  /* connecting, sending, or waiting for the answer */
    HOST_TALK_ACCEPTED, /* the server said it stops */
    HOST_TALK_KEPT,     /* asked "if alone", it said others are on it and runs on (why says) */
    HOST_TALK_FAILED,   /* refused, closed, a wrong answer, or none by the deadline (why says) */
} host_talk_state_t;

/* One stop's conversation; all zero is idle. */
typedef struct host_talk {
    bool open;                     /* a socket is ours */
    bool connected;                /* the connect has finished */
    int fd;                        /* the socket, while open */
    int64_t deadline_ns;           /* sys_clock_ns by which the answer is due */
    char out[HOST_TALK_LINE_MAX];  /* the stop line (wiped once over: it holds the secret) */
    size_t out_len, sent;          /* its length, and how much of it went */
    char in[HOST_TALK_ANSWER_MAX]; /* what came back, not yet a whole line */
    size_t in_len;
    char why[HOST_TALK_WHY_MAX]; /* why it failed, or who keeps it running, for the log */
} host_talk_t;

/* Starts the conversation with the server on 127.0.0.1:port: HOST_TALK_PENDING, or
 * HOST_TALK_FAILED (t->why says why) when it cannot even start. With if_alone (our username;
 * NULL or "" = stop whoever is on), the server stops only if nobody else is logged in. */
host_talk_state_t host_talk_begin(host_talk_t *t, int port, const char *secret,
                                  const char *if_alone, int64_t deadline_ns);

/* One look, never waiting: HOST_TALK_PENDING while it goes on, else how it ended (the socket is
 * closed then, and later calls say HOST_TALK_IDLE). */
host_talk_state_t host_talk_step(host_talk_t *t, int64_t now_ns);

/* Ends it where it stands (closes the socket, wipes the secret); an idle one stays idle. */
void host_talk_end(host_talk_t *t);

#endif
