/* scene_host.h -- the Host scene: the form that starts a local server and joins it; no SDL, on
 * client.h */
#ifndef NINE43_SCENE_HOST_H
#define NINE43_SCENE_HOST_H

#include "client.h"

extern const scene_t scene_host;

#endif
