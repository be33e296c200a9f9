/* scene_common.c -- drawing and focus helpers shared by the client-core scenes */
#include "scene_common.h"

void scene_draw_heading(client_t *c, ui_t *ui, const char *title, const char *subtitle)
{
    int vw = c->view_w;
    ui_text(ui, UI_FONT_LARGE, vw / 2, 40, UI_CENTER, UI_TEXT, title);
    ui_fill_rect(ui, vw / 2 - 40, 84, 80, 3, UI_ACCENT);
    if (subtitle && subtitle[0])
        ui_text(ui, UI_FONT_NORMAL, vw / 2, 100, UI_CENTER, UI_DIM, subtitle);
}

void scene_draw_hint(client_t *c, ui_t *ui, const char *hint)
{
    int lh = ui_line_height(ui, UI_FONT_SMALL);
    ui_text(ui, UI_FONT_SMALL, c->view_w / 2, UI_VIEW_H - lh - 12, UI_CENTER, UI_DIM, hint);
}

int scene_draw_message(ui_t *ui, int cx, int y, int w, const char *text, ui_color_t color)
{
    if (!text || !text[0])
        return 0;
    int pad = 12;
    int h = ui_text_wrapped(ui, UI_FONT_NORMAL, cx, y + pad, w - 2 * pad, UI_CENTER, color, text,
                            false);
    ui_fill_rect(ui, cx - w / 2, y, w, h + 2 * pad, UI_PANEL);
    ui_fill_rect(ui, cx - w / 2, y, 4, h + 2 * pad, color);
    ui_text_wrapped(ui, UI_FONT_NORMAL, cx, y + pad, w - 2 * pad, UI_CENTER, color, text, true);
    return h + 2 * pad;
}

bool scene_move_focus(int *focus, int count, const input_event_t *ev)
{
    if (count <= 0)
        return false;
    if (ev->kind == IN_UP) {
        *focus = (*focus + count - 1) % count;
        return true;
    }
    if (ev->kind == IN_DOWN || ev->kind == IN_TAB) {
        *focus = (*focus + 1) % count;
        return true;
    }
    return false;
}
