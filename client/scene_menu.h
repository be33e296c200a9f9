/* scene_menu.h -- state of the scene(s) for client core (menu, settings, join, host) (placeholder until written) */
#ifndef NINE43_SCENE_MENU_H
#define NINE43_SCENE_MENU_H

typedef struct menu { int placeholder; } menu_t;
typedef struct settings_scene { int placeholder; } settings_scene_t;
typedef struct join { int placeholder; } join_t;
typedef struct host { int placeholder; } host_t;

#endif
