/* chatbox.h -- chat over the vote, the round and the end screen: a one-line box that opens on a
 * key, Enter sends, Esc cancels, and the log's recent lines, fading over a round; logic on
 * client.h (no SDL), drawing on ui.h */
#ifndef NINE43_CHATBOX_H
#define NINE43_CHATBOX_H

#include <stdbool.h>

#include "client.h"
#include "ui.h"

#define CHATBOX_SHOW_MS    8000 /* a line stays over the round this long after it arrived */
#define CHATBOX_FADE_MS    1500 /* then fades out over this long */
#define CHATBOX_LINES      6    /* lines of the log shown at most */
#define CHATBOX_WARN_CHARS 20   /* the count of characters left shows from here on */
#define CHATBOX_OPEN_KEY   't' /* opens the box in a round (T too; letters move the player there) */
#define CHATBOX_LINE_PAD   6   /* logical units around a line */

/* How a closed box opens: on any typed text (the vote, the end screen: the text starts the
 * line), or only on CHATBOX_OPEN_KEY, which is not typed (the round). */
typedef enum chatbox_opener {
    CHATBOX_OPEN_ON_TEXT,
    CHATBOX_OPEN_ON_KEY,
} chatbox_opener_t;

/* Handles ev when it is the box's: opening, typing, Enter (sends and closes), Esc (cancels).
 * Returns true when ev was taken; a scene then ignores it. While the box is open it takes every
 * key, and leaves clicks and pointing to the scene. */
bool chatbox_input(client_t *c, const input_event_t *ev, chatbox_opener_t opener);
bool chatbox_is_open(const client_t *c);
/* Characters that may still be typed (PROTO_MAX_CHAT minus the line's length). */
int chatbox_chars_left(const client_t *c);
/* The log's opacity for a line that arrived at at_ms, 0..255: 255 while open or when fade is
 * false, then down to 0 after CHATBOX_SHOW_MS + CHATBOX_FADE_MS. */
int chatbox_line_alpha(const client_t *c, uint32_t at_ms, bool fade);

/* Draws the log's recent lines upwards from bottom (at most max_lines, newest lowest) and, when
 * open, the line being typed under them, in a w wide column at x; hint, when not NULL, shows
 * in place of the box while closed. Returns the height used. */
int chatbox_draw(client_t *c, ui_t *ui, int x, int bottom, int w, int max_lines, bool fade,
                 const char *hint);

#endif
