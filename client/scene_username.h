/* scene_username.h -- the username scene: choosing the name to log in with; no SDL, on client.h */
#ifndef NINE43_SCENE_USERNAME_H
#define NINE43_SCENE_USERNAME_H

#include "client.h"

extern const scene_t scene_username;

#endif
