/* state_menu.h -- the main menu scene's state: which row has the focus; no SDL */
#ifndef NINE43_STATE_MENU_H
#define NINE43_STATE_MENU_H

/* The rows of the main menu, top to bottom. */
typedef enum menu_item {
    MENU_JOIN,
    MENU_HOST,
    MENU_REPLAYS,
    MENU_SETTINGS,
    MENU_QUIT,
    MENU_ITEM_COUNT
} menu_item_t;

typedef struct menu {
    int focus; /* a menu_item_t */
} menu_t;

#endif
