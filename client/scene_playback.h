/* scene_playback.h -- a replay played back ("replay"): the round re-simulated from its file and
 * drawn by the round's own drawing, with pause, 0.5x/1x/2x/4x, seeking, following a player, and
 * the results at its end; no SDL, on client.h */
#ifndef NINE43_SCENE_PLAYBACK_H
#define NINE43_SCENE_PLAYBACK_H

#include "client.h"

extern const scene_t scene_playback;

/* The control bar along the bottom, logical units. */
#define PLAYBACK_BAR_H      56
#define PLAYBACK_BUTTON_W   64
#define PLAYBACK_PLAY_W     96
#define PLAYBACK_BUTTON_H   36
#define PLAYBACK_TIMELINE_H 14

/* Loads path and shows it (a file that cannot be played shows why, never crashes); Esc leads
 * to back. */
void playback_open(client_t *c, const char *path, scene_id_t back);
/* Round time shown, and the round's length, in ms. */
uint32_t playback_ms(const client_t *c);
uint32_t playback_length_ms(const client_t *c);
/* Shows the round at ms (clamped to its length): re-simulated from the start when going back. */
void playback_seek(client_t *c, uint32_t ms);
/* The speed as a factor: 0.5, 1, 2 or 4. */
double playback_speed(const client_t *c);

/* Where the bar's parts are, for input and drawing: the play/pause button, the four speeds,
 * the follow button, the timeline. */
typedef struct playback_layout {
    int bar_y;
    int play_x, speed_x[PLAYBACK_SPEEDS], follow_x, follow_w, button_y;
    int line_x, line_w, line_y;
} playback_layout_t;
void playback_layout(const client_t *c, playback_layout_t *l);

#endif
