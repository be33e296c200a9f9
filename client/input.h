/* input.h -- what a key press, click or controller button means, whatever the device: the
 * abstract input scenes and widgets read; no SDL, depends on libc only */
#ifndef NINE43_INPUT_H
#define NINE43_INPUT_H

#include <stdbool.h>
#include <stdint.h>

typedef enum input_kind {
    IN_UP,
    IN_DOWN,
    IN_LEFT,
    IN_RIGHT,
    IN_CONFIRM, /* Enter, controller A */
    IN_BACK,    /* Esc, controller B */
    IN_TAB,     /* next field */
    IN_TEXT,    /* text typed (SDL_TEXTINPUT): text holds UTF-8 */
    IN_BACKSPACE,
    IN_CLICK, /* left click at (x, y), logical units */
    IN_POINT, /* pointer moved to (x, y), logical units (hover) */
} input_kind_t;

typedef struct input_event {
    input_kind_t kind;
    int x, y;
    char text[32];
} input_event_t;

/* Held game controls, sampled every frame by the platform layer (keys, stick, d-pad). */
typedef struct held_input {
    int8_t dx, dy;
    bool dash;
    /* Presses of dash counted as they happen (Space or A down, not a key repeat): a tap shorter
     * than a frame, or one between two of the game's 30 Hz ticks, is held by the samples above
     * on no tick at all; the round compares this count with the last it saw. */
    uint32_t dash_presses;
} held_input_t;

#endif
