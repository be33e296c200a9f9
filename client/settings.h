/* settings.h -- what the client remembers between runs (settings.json under SDL_GetPrefPath) */
#ifndef NINE43_SETTINGS_H
#define NINE43_SETTINGS_H

#include <stdbool.h>

#include "proto.h"

#define SETTINGS_HOST_SIZE      256
#define SETTINGS_DEFAULT_PORT   9999
#define SETTINGS_MAX_FILE       65536 /* bytes; a larger settings.json is ignored */
#define SETTINGS_MAX_VOLUME     100   /* master volume 0..100 */
#define SETTINGS_DEFAULT_VOLUME 80

typedef struct settings {
    char username[PROTO_USERNAME_SIZE];
    char last_host[SETTINGS_HOST_SIZE]; /* default "localhost" */
    int last_port;                      /* default 9999 */
    bool fullscreen;
    int host_group_size;    /* Host a game: group size, default 2 */
    int host_round_seconds; /* Host a game: 0 = each world's own duration */
    int host_port;          /* Host a game: default 9999 */
    int color;              /* your colour: an index of PALETTE, -1 = none chosen (default) */
    int volume;             /* master volume 0..100, default 80 */
    bool muted;             /* M in a round, or the settings screen */
} settings_t;

void settings_defaults(settings_t *s);
/* Reads path; a missing or bad file leaves the defaults (and a bad one is reported through
 * err, returning -1). Unknown keys are ignored, bad values replaced by defaults. */
int settings_load(settings_t *s, const char *path, char *err, size_t errlen);
int settings_save(const settings_t *s, const char *path, char *err, size_t errlen);

#endif
