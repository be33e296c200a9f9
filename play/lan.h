/* lan.h -- LAN discovery, client side: probes the local networks for nine43 servers and keeps
 * the list of those that answer; SDL-free and socket-free (datagrams go through lan_io_ops_t:
 * SDL2_net in the client, POSIX in the bot), depends on common/proto (the bot shares it) */
#ifndef NINE43_LAN_H
#define NINE43_LAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define LAN_DEFAULT_PORT      9999 /* the game's TCP port, and the UDP port servers answer on */
#define LAN_PROBE_INTERVAL_MS 2000 /* a probe round every 2 s while the browser lives */
#define LAN_FORGET_MS         6000 /* a server not heard from for this long leaves the list */
#define LAN_SEARCHING_MS      1000 /* "searching" (not "no games found") this long after a round */
#define LAN_MAX_SERVERS       64   /* entries in the list; more answers are ignored */
#define LAN_RECENT_PROBES     4    /* probe tokens remembered; answers to older ones are dropped */
#define LAN_MAX_TARGETS       16   /* broadcast addresses probed per round */
#define LAN_MAX_DATAGRAM      2048 /* bytes of an answer; a longer datagram is dropped */
#define LAN_MAX_READS         256  /* datagrams read per lan_browser_update */
#define LAN_TOKEN_BYTES       8    /* random bytes per probe token (16 hex digits) */
#define LAN_HOST_SIZE         16   /* "255.255.255.255" */
#define LAN_ADDRESS_SIZE      24   /* "255.255.255.255:65535" */
#define LAN_TEXT_SIZE         512  /* the searched/status sentences */
/* Forces the probe address when none is given (tests and scripts set it). */
#define LAN_ENV_ADDR "NINE43_DISCOVERY_ADDR"

#define LAN_LOOPBACK 0x7f000001u /* 127.0.0.1: a game hosted on this computer answers there */
/* 127.255.255.255, probed beside 127.0.0.1: the loopback broadcast reaches every server of this
 * computer on the shared discovery port, where a unicast reaches only one of them. */
#define LAN_LOOPBACK_BROADCAST 0x7fffffffu

/* One server in the list. */
typedef struct lan_server {
    char id[PROTO_MAX_TOKEN + 1];         /* random per server run: the merge key */
    char name[PROTO_MAX_SERVER_NAME + 1]; /* control characters removed */
    char host[LAN_HOST_SIZE];             /* where the answer came from: "192.168.1.20" */
    int port;                             /* the TCP port to join */
    char address[LAN_ADDRESS_SIZE];       /* host:port, ready to show or to connect to */
    int players;                          /* logged in, in any stage */
    int lobby;                            /* waiting in the lobby ... */
    int group_size;                       /* ... for groups of this size */
    int worlds;
    int version;     /* the server's protocol version */
    bool compatible; /* version == PROTO_VERSION: it can be joined */
    char why[96];    /* when not compatible: "made for version 2 (this game: 1)" */
    int ping_ms;     /* from the probe to its answer (the latest one), on the real clock */
    int64_t last_seen_ms;
} lan_server_t;

typedef struct lan_browser lan_browser_t;

/* The browser's one datagram socket, as the program that uses it provides it: the client's is
 * on SDL2_net (client/lan_sdl.c), the bot's on POSIX sockets (bot/lan_udp.c). Addresses are
 * IPv4 in host order ("127.0.0.1" is 0x7f000001). */
typedef struct lan_io_ops {
    /* Opens a socket on an ephemeral port that may send to broadcast addresses. Returns its
     * handle, or NULL and the reason in err. */
    void *(*open)(char *err, size_t errlen);
    /* Sends one datagram to addr:port. Returns 0, or -1 and the reason ("Network is
     * unreachable") in why. */
    int (*send)(void *io, uint32_t addr, int port, const void *data, size_t len, char *why,
                size_t whylen);
    /* Takes one waiting datagram, never waiting: returns its length (more than cap - 1 when it
     * did not fit: the browser drops it), 0 when none waits, -1 on an error. from: the sender;
     * arrived_us: when it arrived on the wall clock in microseconds, 0 when not known. */
    long (*recv)(void *io, void *buf, size_t cap, uint32_t *from, int64_t *arrived_us);
    int (*local_port)(const void *io); /* the port answers come back to */
    void (*close)(void *io);
} lan_io_ops_t;

/* Opens the probing socket through io. forced_addr (an IPv4 address, e.g. "127.255.255.255" or one
 * host) replaces the interfaces' broadcast addresses; NULL uses $NINE43_DISCOVERY_ADDR when set, or
 * else every IPv4 interface that is up, running and has a broadcast address, plus 127.0.0.1 (so a
 * game hosted on this computer is listed even without a network). port is the game port probed (0 =
 * 9999). Returns NULL and a message in err on failure. The first lan_browser_update probes. */
lan_browser_t *lan_browser_new(const lan_io_ops_t *io, const char *forced_addr, int port, char *err,
                               size_t errlen);
void lan_browser_free(lan_browser_t *b);

/* The socket's handle from io->open, for callers that poll it (the bot); the client just calls
 * update every frame. */
void *lan_browser_io(const lan_browser_t *b);
/* The port answers come back to. */
int lan_browser_local_port(const lan_browser_t *b);

/* Sends a probe round when one is due, reads every pending answer and forgets servers not
 * heard from for LAN_FORGET_MS. Never blocks. now_ms: a monotonic clock in milliseconds. */
void lan_browser_update(lan_browser_t *b, int64_t now_ms);

/* Milliseconds until the next probe round is due (0 when due now), for a poll timeout. */
int lan_browser_timeout_ms(const lan_browser_t *b, int64_t now_ms);

/* The list, sorted by name then address: entries 0 .. count-1. */
int lan_browser_count(const lan_browser_t *b);
const lan_server_t *lan_browser_server(const lan_browser_t *b, int i);

/* What the last round probed: "192.168.1.0/24 or this computer, port 9999",
 * "127.255.255.255, port 9999". */
const char *lan_browser_searched(const lan_browser_t *b);

/* A line to show under an empty list (empty string when the list has entries):
 * "Searching 192.168.1.0/24 or this computer, port 9999..." during the first second of the
 * first round, then "No games found on 192.168.1.0/24 or this computer, port 9999", followed
 * by " (could not probe 10.0.0.255: Network is unreachable)" when a send failed. */
const char *lan_browser_status(const lan_browser_t *b);

/* Probe rounds sent so far. */
int lan_browser_rounds(const lan_browser_t *b);

/* One IPv4 interface worth probing: up, running, with a broadcast address, not loopback. */
typedef struct lan_iface {
    uint32_t addr, netmask, broadcast; /* host order */
} lan_iface_t;

/* This computer's interfaces worth probing, at most max of them. Returns how many. The one
 * walk of the interfaces in the browser (getifaddrs). */
int lan_interfaces(lan_iface_t *out, int max);

#endif
