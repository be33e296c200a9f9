/* scene_host.h -- the Host scene: the form that starts a local server and joins it; no SDL, on
 * client.h */
#ifndef NINE43_SCENE_HOST_H
#define NINE43_SCENE_HOST_H

#include "client.h"

extern const scene_t scene_host;

/* The footer for the focused row: what Enter does there (start, change the value, next field,
 * back), so it never promises "Enter start" on a row where Enter changes the value. */
const char *host_hint(const client_t *c);

#endif
