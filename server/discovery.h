/* discovery.h -- LAN discovery, server side: answers UDP "discover" probes on the game port;
 * depends on common/proto and POSIX sockets only (not on the server's loop) */
#ifndef NINE43_DISCOVERY_H
#define NINE43_DISCOVERY_H

#include <stddef.h>
#include <stdint.h>

/* Limits. A probe is tiny; an answer is a few hundred bytes, so answering is an amplifier that
 * the rate limits keep small. */
#define DISCOVERY_MAX_DATAGRAM 1024 /* bytes of a probe; a longer datagram gets no answer */
#define DISCOVERY_ANSWER_SIZE  1024 /* bytes of the encoded answer buffer */
#define DISCOVERY_SENDER_RATE  5    /* answers per second to one sender address ... */
#define DISCOVERY_SENDER_BURST 10   /* ... after a burst of this many */
#define DISCOVERY_TOTAL_RATE   200  /* answers per second, all senders together ... */
#define DISCOVERY_TOTAL_BURST  200  /* ... after a burst of this many */
#define DISCOVERY_MAX_SENDERS  256  /* sender addresses remembered for the per-sender limit */
#define DISCOVERY_MAX_READS    256  /* datagrams read per discovery_on_readable call */
#define DISCOVERY_ID_BYTES     8    /* random bytes of the per-run id (16 hex digits) */
#define DISCOVERY_NAME_SIZE    65   /* PROTO_MAX_SERVER_NAME + 1 */

/* What the answer says about the server, supplied by the caller on every read so that the
 * counts are current. name must pass discovery_check_name (it is cut to the limit anyway). */
typedef struct discovery_info {
    const char *name;
    int players;    /* logged-in players, in any stage */
    int lobby;      /* players waiting in the lobby */
    int group_size; /* players per game */
    int worlds;     /* worlds on offer */
} discovery_info_t;

/* Counters, for logs and tests. */
typedef struct discovery_stats {
    uint64_t received;       /* datagrams read */
    uint64_t answered;       /* answers sent */
    uint64_t invalid;        /* not a valid probe: no answer */
    uint64_t limited_sender; /* dropped unread: that sender is over its rate */
    uint64_t limited_total;  /* dropped unread: the server is over its overall rate */
    uint64_t foreign;        /* arrived on an interface the server is not bound to */
    uint64_t send_failed;    /* sendmsg failed (e.g. the sender's buffer was full) */
    uint64_t too_small;      /* shorter than PROTO_DISCOVER_MIN_SIZE, or than its answer */
} discovery_stats_t;

typedef struct discovery discovery_t;

/* Opens a non-blocking UDP socket on port (the server's TCP port: open it after the listener
 * is bound, with the port actually bound when --port 0; port 0 here takes any free UDP port,
 * for tests). It binds 0.0.0.0 so that broadcasts
 * reach it; when bind_addr names one IPv4 address (the server's --bind), only probes arriving
 * on the interface that holds it are answered, from that address. bind_addr NULL, "",
 * "0.0.0.0" or "::" means every interface. An IPv6 bind_addr other than "::" cannot be
 * served (discovery is IPv4 broadcast): NULL with a message. Returns NULL and writes a message
 * to err on failure; the server then runs without discovery. */
discovery_t *discovery_open(const char *bind_addr, int port, char *err, size_t errlen);
void discovery_close(discovery_t *d);

/* The descriptor to poll for reading. */
int discovery_fd(const discovery_t *d);

/* The UDP port, also the TCP port the answers announce (unless discovery_answer_for). */
int discovery_port(const discovery_t *d);
/* d answers for the same server as primary: primary's id and game port. For the socket on the
 * shared discovery port (PROTO_DISCOVERY_PORT), which every server on a machine binds with
 * SO_REUSEADDR: a broadcast probe there reaches them all, whatever their game ports. */
void discovery_answer_for(discovery_t *d, const discovery_t *primary);

/* The random id of this server run ("3f9a0c…", 16 hex digits), sent in every answer so that
 * a client merges the answers it gets through several interfaces. */
const char *discovery_id(const discovery_t *d);

/* Reads every pending datagram (at most DISCOVERY_MAX_READS; poll says when more wait) and
 * answers each valid probe by unicast to its sender. The rate limits count every datagram
 * (valid or not) and drop those over them before decoding. now_ms is a
 * monotonic clock in milliseconds. Returns the number of answers sent. */
int discovery_on_readable(discovery_t *d, int64_t now_ms, const discovery_info_t *info);

const discovery_stats_t *discovery_stats(const discovery_t *d);

/* Sender addresses currently remembered (at most DISCOVERY_MAX_SENDERS). */
int discovery_sender_count(const discovery_t *d);

/* The default --name: "<hostname>'s game", cut to fit cap and PROTO_MAX_SERVER_NAME bytes at
 * a character boundary ("nine43 game" when the host has no usable name). */
void discovery_default_name(char *buf, size_t cap);

/* Checks a --name: 1..PROTO_MAX_SERVER_NAME bytes of UTF-8 without control characters.
 * Returns 0, or -1 with a message for the usage error. */
int discovery_check_name(const char *name, char *err, size_t errlen);

#endif
