/* scene_menu.h -- state of the client-core scenes before a connection: menu, settings, join, host;
 * no SDL */
#ifndef NINE43_SCENE_MENU_H
#define NINE43_SCENE_MENU_H

#include <stdbool.h>
#include <stdint.h>

/* The rows of the main menu, top to bottom. */
typedef enum menu_item {
    MENU_JOIN,
    MENU_HOST,
    MENU_SETTINGS,
    MENU_QUIT,
    MENU_ITEM_COUNT
} menu_item_t;

typedef struct menu {
    int focus; /* a menu_item_t */
} menu_t;

/* The settings screen's rows. */
typedef enum settings_row {
    SETROW_USERNAME,
    SETROW_FULLSCREEN,
    SETROW_GROUP_SIZE,
    SETROW_ROUND_SECONDS,
    SETROW_HOST_PORT,
    SETROW_BACK,
    SETROW_COUNT
} settings_row_t;

#define SETTINGS_SCENE_TEXT 256

typedef struct settings_scene {
    int focus;          /* a settings_row_t */
    char username[260]; /* edited copies, applied on Back */
    char port[8];
    char message[SETTINGS_SCENE_TEXT]; /* "saved", or why saving failed */
    bool message_bad;
} settings_scene_t;

/* Join: the address form on the left half; the right half is left for the LAN server list
 * (issue 6), whose rows can be appended after JOIN_ROW_BACK in the focus order. */
typedef enum join_row {
    JOIN_ROW_HOST,
    JOIN_ROW_PORT,
    JOIN_ROW_CONNECT,
    JOIN_ROW_BACK,
    JOIN_ROW_COUNT
} join_row_t;

#define JOIN_HOST_SIZE 256
#define JOIN_PORT_SIZE 8

struct client;
/* Connects to host:port (port as typed) after checking them, remembering them as the last
 * server used; "host:port" in host works too. Returns false with join.error set. The LAN list
 * joins through this as well. */
bool join_connect_to(struct client *c, const char *host, const char *port_text);

#define JOIN_LAN_ROWS 5 /* LAN games listed (and focusable, after JOIN_ROW_BACK) at once */

struct lan_browser;
typedef struct join {
    int focus;               /* a join_row_t, or JOIN_ROW_COUNT + i for the i-th LAN game */
    struct lan_browser *lan; /* while the scene is open and c->lan_enabled; NULL otherwise */
    char lan_error[256];     /* why there is no LAN list (the socket could not be opened) */
    char host[JOIN_HOST_SIZE];
    char port[JOIN_PORT_SIZE];
    char error[256]; /* why the address was not accepted */
} join_t;

typedef enum host_row {
    HOST_ROW_GROUP,
    HOST_ROW_ROUND,
    HOST_ROW_PORT,
    HOST_ROW_START,
    HOST_ROW_BACK,
    HOST_ROW_COUNT
} host_row_t;

typedef enum host_phase {
    HOST_IDLE,     /* the form */
    HOST_STARTING, /* the server runs; waiting for its port file */
    HOST_FAILED,   /* error says why; the form stays usable */
} host_phase_t;

#define HOST_MIN_ROUND        0   /* 0 = each world's own duration */
#define HOST_MAX_ROUND        600 /* seconds */
#define HOST_ROUND_STEP       30
#define HOST_START_TIMEOUT_MS 10000

typedef struct host {
    int focus; /* a host_row_t */
    int group_size;
    int round_seconds;
    char port[8];
    host_phase_t phase;
    uint32_t started_ms;
    char error[256];
} host_t;

#endif
