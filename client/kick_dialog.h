/* kick_dialog.h -- the host's kick dialog, one piece that the lobby, the round and the end screen
 * open over themselves: whom (the round's players, the lobby, the running groups), why, Kick or
 * Cancel; logic on client.h, drawing on ui.h */
#ifndef NINE43_KICK_DIALOG_H
#define NINE43_KICK_DIALOG_H

#include "client.h"
#include "ui.h"

/* Opens the dialog over that scene when I am the host; returns whether it is open. */
bool kick_dialog_open(client_t *c, kick_dialog_over_t over);
void kick_dialog_close(client_t *c);
bool kick_dialog_is_open(const client_t *c);
/* While open the dialog takes every input (true); closed it takes none (false). */
bool kick_dialog_input(client_t *c, const input_event_t *ev);
/* Whom the host may kick (everyone known to be on the server but me), into names: the round's
 * players first when the dialog is over a round or its end screen; returns how many. */
int kick_dialog_kickable(const client_t *c, char (*names)[PROTO_USERNAME_SIZE], int max);
/* The dialog over the whole view, when open (nothing otherwise). */
void kick_dialog_draw(client_t *c, ui_t *ui);

#endif
