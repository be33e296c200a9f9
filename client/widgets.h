/* widgets.h -- widget logic without drawing: focus lists and text fields; no SDL */
#ifndef NINE43_WIDGETS_H
#define NINE43_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "input.h"

/* A vertical list of rows (menu items, world choices): keyboard focus and mouse hit test. */
typedef struct widget_list {
    int count;
    int focus;               /* row with keyboard focus */
    int x, y, w, row_h, gap; /* layout, logical units */
} widget_list_t;

/* Moves focus on IN_UP/IN_DOWN (wrapping), follows IN_POINT. Returns the chosen row on
 * IN_CONFIRM or on an IN_CLICK inside a row, else -1. */
int widget_list_input(widget_list_t *l, const input_event_t *ev);
/* Row under (x, y), or -1. */
int widget_list_hit(const widget_list_t *l, int x, int y);
/* Top-left corner of row i. */
void widget_list_row(const widget_list_t *l, int i, int *x, int *y);

#define WIDGET_FIELD_SIZE 256

/* A one-line UTF-8 text field bounded in code points. */
typedef struct widget_field {
    char text[WIDGET_FIELD_SIZE];
    size_t max_chars;
} widget_field_t;

void widget_field_set(widget_field_t *f, const char *text, size_t max_chars);
/* Handles IN_TEXT (appends what fits, dropping control characters) and IN_BACKSPACE
 * (removes one code point). Returns true when the text changed. */
bool widget_field_input(widget_field_t *f, const input_event_t *ev);

/* The same editing on any buffer (cap bytes, at most max_chars code
 * points), so scene state structs need not embed widget_field_t. */
bool widget_text_input(char *text, size_t cap, size_t max_chars, const input_event_t *ev);
/* Removes every kind of Unicode space at either end, in place (" Alice\u00a0" is "Alice"): the
 * server refuses a name that starts or ends with one (name_trim). */
void widget_trim(char *text);
/* True when (x, y) lies inside the rectangle. */
bool widget_hit(int x, int y, int rx, int ry, int rw, int rh);

#endif
