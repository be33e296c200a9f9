/* state_host.h -- the Host scene's state: the form (the game's name, group size, round length,
 * port) and how starting the server goes; no SDL */
#ifndef NINE43_STATE_HOST_H
#define NINE43_STATE_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

typedef enum host_row {
    HOST_ROW_NAME,
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
    /* The game's name in the Join lists: "Kim's game" ("" = the server's own default, the
     * computer's name). */
    char name[PROTO_MAX_SERVER_NAME + 1];
    bool name_edited; /* typed by the player: kept, not made again from the username */
    int group_size;
    int round_seconds;
    char port[8];
    host_phase_t phase;
    uint32_t started_ms;
    char error[256];
    int offered_port; /* filled in after a clash: used once, never saved as the default */
} host_t;

#endif
