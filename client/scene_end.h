/* scene_end.h -- state of the end screen ("fin"): ranked results, your row, Continue; no SDL */
#ifndef NINE43_SCENE_END_H
#define NINE43_SCENE_END_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

#define END_AUTOPLAY_DELAY_MS 2000  /* --autoplay continues after this long */
#define END_SERVER_RETURN_MS  20000 /* the server sends everyone back to the lobby by then */

typedef struct end {
    bool have_results;
    msg_fin_t fin; /* results sorted by rank (as the server sends them, re-sorted to be sure) */
    int me;        /* your row in fin.results, -1 when not in it */
    uint32_t start_ms;
    bool continued; /* "continue" sent: waiting for the lobby */
} end_t;

typedef struct client client_t;

/* Seconds until the server returns everyone to the lobby anyway. */
int end_seconds_left(const client_t *c);

#endif
