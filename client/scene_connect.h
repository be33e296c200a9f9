/* scene_connect.h -- the connect scene: the session's link while it comes up, or why it failed;
 * no SDL, on client.h */
#ifndef NINE43_SCENE_CONNECT_H
#define NINE43_SCENE_CONNECT_H

#include "client.h"

extern const scene_t scene_connect;

#endif
