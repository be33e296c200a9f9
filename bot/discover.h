/* discover.h -- nine43-bot --discover: the LAN's servers as JSON lines; uses play/lan */
#ifndef NINE43_BOT_DISCOVER_H
#define NINE43_BOT_DISCOVER_H

#include <stdio.h>

#define DISCOVER_WAIT_MS 2000 /* how long --discover listens for answers */

/* Probes addr (an IPv4 address, e.g. "127.255.255.255"; NULL = the broadcast address of every
 * IPv4 interface, or $NINE43_DISCOVERY_ADDR) on port (0 = 9999), listens for wait_ms (0 =
 * DISCOVER_WAIT_MS), probing again every 2 s, and prints to out one JSON object per line
 * for each server found, sorted by name:
 *   {"name":"Test Game","address":"127.0.0.1","port":40123,"players":1,"lobby":1,
 *    "group_size":2,"worlds":3,"version":1,"compatible":true,"id":"3f9a…","ping_ms":1}
 * (a server of another protocol version has "compatible":false and a "why"). What was searched
 * and, when nothing answered, "no games found on ..." go to stderr. Returns 0 when at least one
 * server answered, 1 when none did, 2 when discovery could not start (message on stderr). */
int discover_run(const char *addr, int port, int wait_ms, FILE *out);

#endif
