/* board.c -- the evening's board as a table, for the end screen and Tab over a round; reads the
 * session's board, draws on ui.h */
#include "board.h"

#include <stdio.h>
#include <string.h>

static void board_row(client_t *c, ui_t *ui, const proto_evening_row_t *r, int rank, int x, int y,
                      int w)
{
    const session_t *s = &c->session;
    bool mine = s->username[0] && session_evening_row(s, s->username) == r;
    ui_fill_rect(ui, x, y + 1, w, BOARD_ROW_H - 2, mine ? UI_FOCUS : UI_PANEL);
    int ty = y + (BOARD_ROW_H - ui_line_height(ui, UI_FONT_SMALL)) / 2;
    ui_color_t col = mine ? UI_ACCENT : UI_TEXT;
    char buf[32];
    snprintf(buf, sizeof buf, "%d", rank);
    ui_text(ui, UI_FONT_SMALL, x + 26, ty, UI_RIGHT, UI_DIM, buf);
    ui_text(ui, UI_FONT_SMALL, x + 38, ty, UI_LEFT, col, r->username);
    snprintf(buf, sizeof buf, "%d", r->won);
    ui_text(ui, UI_FONT_SMALL, x + w - 150, ty, UI_RIGHT, col, buf);
    snprintf(buf, sizeof buf, "%d", r->played);
    ui_text(ui, UI_FONT_SMALL, x + w - 82, ty, UI_RIGHT, col, buf);
    snprintf(buf, sizeof buf, "%d", (int)r->points);
    ui_text(ui, UI_FONT_SMALL, x + w - 12, ty, UI_RIGHT, col, buf);
}

int board_draw_evening(client_t *c, ui_t *ui, int x, int y, int w, int max_rows)
{
    const session_t *s = &c->session;
    ui_text(ui, UI_FONT_NORMAL, x, y, UI_LEFT, UI_TEXT, "Tonight");
    int hy = y + 8;
    ui_text(ui, UI_FONT_SMALL, x + w - 150, hy, UI_RIGHT, UI_DIM, "wins");
    ui_text(ui, UI_FONT_SMALL, x + w - 82, hy, UI_RIGHT, UI_DIM, "rounds");
    ui_text(ui, UI_FONT_SMALL, x + w - 12, hy, UI_RIGHT, UI_DIM, "points");
    int ry = y + BOARD_HEAD;
    if (!s->have_evening || s->evening.nrows == 0) {
        ui_text(ui, UI_FONT_SMALL, x, ry + 6, UI_LEFT, UI_DIM,
                s->have_evening ? "No round finished yet." : "This server keeps no board.");
        return BOARD_HEAD + BOARD_ROW_H;
    }
    const proto_evening_row_t *mine = s->username[0] ? session_evening_row(s, s->username) : NULL;
    int mine_at = mine ? (int)(mine - s->evening.rows) : -1;
    int n = s->evening.nrows < max_rows ? s->evening.nrows : max_rows;
    int rank = 1;
    for (int i = 0; i < s->evening.nrows && i < n; i++) {
        const proto_evening_row_t *r = &s->evening.rows[i];
        if (i > 0 && (r->won != r[-1].won || r->points != r[-1].points))
            rank = i + 1;
        /* Ranked below what fits: your row takes the last place, with its true rank. */
        if (i == n - 1 && mine_at > i) {
            rank = mine_at + 1;
            r = mine;
        }
        board_row(c, ui, r, rank, x, ry, w);
        ry += BOARD_ROW_H;
    }
    return ry - y;
}
