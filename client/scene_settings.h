/* scene_settings.h -- the settings scene: name, colour, fullscreen, hosting defaults, sound; no
 * SDL, on client.h */
#ifndef NINE43_SCENE_SETTINGS_H
#define NINE43_SCENE_SETTINGS_H

#include "client.h"

extern const scene_t scene_settings;

#endif
