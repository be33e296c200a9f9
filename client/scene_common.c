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

void scene_draw_host_leave(client_t *c, ui_t *ui)
{
    int others = client_others_on_server(c);
    int vw = c->view_w, vh = c->view_h;
    ui_fill_rect(ui, 0, 0, vw, vh, (ui_color_t){0, 0, 0, 170});
    int bx, by, bw, bh;
    client_host_leave_button(c, 0, &bx, &by, &bw, &bh);
    int x = bx - 40, y = by - 170, w = bw + 80;
    int h = 170 + CLIENT_LEAVE_COUNT * (bh + 12) + 24;
    ui_fill_rect(ui, x, y, w, h, UI_PANEL);
    ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    ui_text(ui, UI_FONT_LARGE, vw / 2, y + 24, UI_CENTER, UI_TEXT, "You are the host");
    char text[160];
    client_fmt(text, sizeof text,
               "%d other player%s on your server. Keep it running for them? It stops by itself "
               "once everyone has left.",
               others, others == 1 ? " is" : "s are");
    ui_text_wrapped(ui, UI_FONT_NORMAL, vw / 2, y + 72, w - 64, UI_CENTER, UI_DIM, text, true);
    char stop[96];
    client_fmt(stop, sizeof stop, "Stop the server (ends the game for %d)", others);
    const char *labels[CLIENT_LEAVE_COUNT] = {"Keep it running for them", stop, "Cancel"};
    for (int i = 0; i < CLIENT_LEAVE_COUNT; i++) {
        client_host_leave_button(c, i, &bx, &by, &bw, &bh);
        ui_button(ui, bx, by, bw, bh, labels[i], c->host_leave_focus == i, true);
    }
}
