/* state_join.h -- the Join scene's state: the address form and the LAN list; no SDL */
#ifndef NINE43_STATE_JOIN_H
#define NINE43_STATE_JOIN_H

/* Join: the address form on the left half, the LAN server list on the right; its rows follow
 * JOIN_ROW_BACK in the focus order. */
typedef enum join_row {
    JOIN_ROW_HOST,
    JOIN_ROW_PORT,
    JOIN_ROW_CONNECT,
    JOIN_ROW_BACK,
    JOIN_ROW_COUNT
} join_row_t;

#define JOIN_HOST_SIZE 256
#define JOIN_PORT_SIZE 8
#define JOIN_LAN_ROWS  5 /* LAN games listed (and focusable, after JOIN_ROW_BACK) at once */

struct lan_browser;
typedef struct join {
    int focus;               /* a join_row_t, or JOIN_ROW_COUNT + i for the i-th LAN game */
    struct lan_browser *lan; /* while the scene is open and c->lan_io; NULL otherwise */
    char lan_error[256];     /* why there is no LAN list (the socket could not be opened) */
    char host[JOIN_HOST_SIZE];
    char port[JOIN_PORT_SIZE];
    char error[256]; /* why the address was not accepted */
} join_t;

#endif
