/* state_username.h -- the username scene's state: the name typed, the server's answer; no SDL */
#ifndef NINE43_STATE_USERNAME_H
#define NINE43_STATE_USERNAME_H

#include <stdbool.h>

#include "proto.h"

#define USERNAME_AUTOPLAY_TRIES 5 /* --autoplay appends a digit to a taken name this often */

typedef struct username {
    char name[PROTO_USERNAME_SIZE];
    char message[PROTO_TEXT_SIZE]; /* the server's refusal, or the local check's reason */
    bool waiting;                  /* sent, no answer yet */
    bool accepted;                 /* waiting for the lobby */
    bool auto_submitted;           /* --username / --autoplay submitted once */
    int autoplay_tries;
    int focus; /* 0 = the field / Log in, 1 = Back */
} username_t;

#endif
