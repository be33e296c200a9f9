/* board.h -- the evening's board as a table (rank, name, wins, rounds, points), drawn by the end
 * screen and by Tab over a round; on client.h (the session's board) and ui.h */
#ifndef NINE43_BOARD_H
#define NINE43_BOARD_H

#include "client.h"
#include "ui.h"

#define BOARD_ROW_H 28 /* logical units per row */
#define BOARD_HEAD  36 /* the title and the column names */

/* Draws the session's board in a w wide table at (x, y): at most max_rows rows, your row
 * highlighted (and shown last in place of the bottom row when it ranks lower). Returns the
 * height drawn. */
int board_draw_evening(client_t *c, ui_t *ui, int x, int y, int w, int max_rows);

#endif
