/* lan_udp.h -- the LAN browser's datagram socket on the seam's UDP, for nine43-bot and the tests */
#ifndef NINE43_LAN_UDP_H
#define NINE43_LAN_UDP_H

#include "lan.h"

extern const lan_io_ops_t lan_udp_ops;

/* The browser's socket, for sys_poll. */
int lan_udp_fd(const lan_browser_t *b);

#endif
