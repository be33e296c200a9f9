/* scene_menu.h -- the main menu scene: Join, Host, Settings, Quit; no SDL, on client.h */
#ifndef NINE43_SCENE_MENU_H
#define NINE43_SCENE_MENU_H

#include "client.h"

extern const scene_t scene_menu;

#endif
