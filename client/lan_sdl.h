/* lan_sdl.h -- the LAN browser's datagram socket on SDL2_net (SDLNet_UDP_*), for the client */
#ifndef NINE43_LAN_SDL_H
#define NINE43_LAN_SDL_H

#include "lan.h"

extern const lan_io_ops_t lan_sdl_ops;

#endif
