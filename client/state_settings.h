/* state_settings.h -- the settings scene's state: the rows, the edited copies, the last message;
 * no SDL */
#ifndef NINE43_STATE_SETTINGS_H
#define NINE43_STATE_SETTINGS_H

#include <stdbool.h>

/* The settings screen's rows. */
typedef enum settings_row {
    SETROW_USERNAME,
    SETROW_COLOR, /* your colour, with a preview */
    SETROW_FULLSCREEN,
    SETROW_GROUP_SIZE,
    SETROW_ROUND_SECONDS,
    SETROW_HOST_PORT,
    SETROW_VOLUME, /* master volume; Enter mutes */
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

#endif
