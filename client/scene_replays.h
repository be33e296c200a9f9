/* scene_replays.h -- Replays: the saved rounds (date, world, players, winner), newest first; Enter
 * plays one; no SDL, on client.h */
#ifndef NINE43_SCENE_REPLAYS_H
#define NINE43_SCENE_REPLAYS_H

#include "client.h"

#define REPLAYS_ROW_H   52
#define REPLAYS_ROW_GAP 6
#define REPLAYS_TOP     170
#define REPLAYS_W       860

extern const scene_t scene_replays;

/* Rows that fit on the screen at once. */
int replays_rows_shown(const client_t *c);

#endif
