/* scene_common.h -- layout and drawing shared by the core scenes: headings, hints, buttons */
#ifndef NINE43_SCENE_COMMON_H
#define NINE43_SCENE_COMMON_H

#include "client.h"
#include "ui.h"

#define SCENE_BUTTON_H 48
#define SCENE_FIELD_H  44
#define SCENE_MARGIN   40

/* The heading at the top of a screen, with an optional line under it. */
void scene_draw_heading(client_t *c, ui_t *ui, const char *title, const char *subtitle);
/* The key hints along the bottom edge. */
void scene_draw_hint(client_t *c, ui_t *ui, const char *hint);
/* A message box (wrapped), centred on x, for errors and notices. Returns its height. */
int scene_draw_message(ui_t *ui, int cx, int y, int w, const char *text, ui_color_t color);

/* The host's question over any scene: keep the server running for the others, or stop it. */
void scene_draw_host_leave(client_t *c, ui_t *ui);

/* Moves a focus index among count rows on IN_UP/IN_DOWN/IN_TAB (wrapping). Returns true when
 * it handled the event. */
bool scene_move_focus(int *focus, int count, const input_event_t *ev);

#endif
