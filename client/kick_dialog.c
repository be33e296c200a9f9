/* kick_dialog.c -- the host's kick dialog over the lobby, a round or its end screen: whom (arrows
 * or a click), why (typed), Kick or Cancel; it sends "kick" and nothing else, the server checks
 * the right; logic on client.h and session.h, drawing on ui.h and widgets.h */
#include "kick_dialog.h"

#include <stdio.h>
#include <string.h>

#include "scene_common.h"
#include "utf8.h"
#include "widgets.h"

#define KICK_DIALOG_W     520
#define KICK_DIALOG_ROWS  6  /* names shown at once */
#define KICK_DIALOG_PITCH 34 /* a name's row */
#define KICK_DIALOG_GAP   10 /* between the two buttons */
#define KICK_DIALOG_NAMES_TOP                                                                      \
    104 /* the first name, under the title and two lines about the scene */

/* Where a name was last seen, for its label. */
typedef enum kick_where {
    KICK_WHERE_MY_ROUND, /* in the host's round (or its results) */
    KICK_WHERE_LOBBY,
    KICK_WHERE_GROUP, /* in another round */
} kick_where_t;

typedef struct kick_list {
    char names[KICK_DIALOG_MAX_NAMES][PROTO_USERNAME_SIZE];
    int where[KICK_DIALOG_MAX_NAMES];
    int n;
} kick_list_t;

static void kick_list_add(kick_list_t *l, const char *me, const char *name, int where)
{
    if (!name[0] || strcmp(name, me) == 0 || l->n >= KICK_DIALOG_MAX_NAMES)
        return;
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->names[i], name) == 0)
            return; /* seen in the round and still in the lobby's last view */
    snprintf(l->names[l->n], PROTO_USERNAME_SIZE, "%s", name);
    l->where[l->n++] = where;
}

/* True when name started the host's round: the round says whether it is still there, not the
 * lobby's view from before the round (which the server stops sending once it starts). */
static bool kick_started_my_round(const client_t *c, const char *name)
{
    if (c->kick.over == KICK_DIALOG_OVER_LOBBY)
        return false;
    for (int i = 0; i < c->game.nplayers && i < PROTO_MAX_PLAYERS; i++)
        if (strcmp(c->game.players[i].name, name) == 0)
            return true;
    return false;
}

/* The round's players come from the round itself (the lobby's view stops at its start): the last
 * state, else "game start"; the end screen's from its results. Then the lobby's last view, less
 * those who started the round and have left it (kicked, quit). */
static void kick_list_fill(const client_t *c, kick_list_t *l)
{
    const session_t *s = &c->session;
    const char *me = s->username;
    l->n = 0;
    if (c->kick.over == KICK_DIALOG_OVER_ROUND && c->game.have_state) {
        for (int i = 0; i < c->game.state.nplayers && i < PROTO_MAX_PLAYERS; i++)
            kick_list_add(l, me, c->game.state.players[i].username, KICK_WHERE_MY_ROUND);
    } else if (c->kick.over == KICK_DIALOG_OVER_ROUND) {
        for (int i = 0; i < c->game.nplayers && i < PROTO_MAX_PLAYERS; i++)
            kick_list_add(l, me, c->game.players[i].name, KICK_WHERE_MY_ROUND);
    } else if (c->kick.over == KICK_DIALOG_OVER_END) {
        for (int i = 0; i < c->end.fin.nresults && i < PROTO_MAX_PLAYERS; i++)
            kick_list_add(l, me, c->end.fin.results[i].username, KICK_WHERE_MY_ROUND);
    }
    for (int i = 0; i < s->nplayers && i < PROTO_MAX_PLAYERS; i++)
        if (!kick_started_my_round(c, s->players[i]))
            kick_list_add(l, me, s->players[i], KICK_WHERE_LOBBY);
    for (int g = 0; g < s->ngroups && g < PROTO_MAX_LOBBY_GROUPS; g++)
        for (int i = 0; i < s->groups[g].nplayers && i < PROTO_MAX_PLAYERS; i++)
            if (!kick_started_my_round(c, s->groups[g].players[i]))
                kick_list_add(l, me, s->groups[g].players[i], KICK_WHERE_GROUP);
}

int kick_dialog_kickable(const client_t *c, char (*names)[PROTO_USERNAME_SIZE], int max)
{
    kick_list_t l;
    kick_list_fill(c, &l);
    int n = l.n < max ? l.n : max;
    memcpy(names, l.names, (size_t)n * sizeof names[0]);
    return n;
}

bool kick_dialog_open(client_t *c, kick_dialog_over_t over)
{
    if (!session_i_am_host(&c->session))
        return false;
    c->kick.open = true;
    c->kick.over = over;
    c->kick.pick = 0;
    c->kick.reason[0] = '\0';
    return true;
}

void kick_dialog_close(client_t *c)
{
    c->kick.open = false;
}

bool kick_dialog_is_open(const client_t *c)
{
    return c->kick.open;
}

static void kick_dialog_send(client_t *c)
{
    kick_dialog_t *k = &c->kick;
    kick_list_t l;
    kick_list_fill(c, &l);
    if (k->pick < 0 || k->pick >= l.n)
        return;
    msg_t m;
    proto_init(&m, MSG_KICK);
    memcpy(m.u.kick.username, l.names[k->pick], sizeof m.u.kick.username);
    utf8_sanitize(m.u.kick.reason, sizeof m.u.kick.reason, k->reason, strlen(k->reason),
                  PROTO_MAX_TEXT);
    client_send(c, &m);
    k->open = false;
}

static void kick_dialog_rect(const client_t *c, int *x, int *y, int *w, int *h)
{
    *w = KICK_DIALOG_W;
    /* Title and its line, the names, the reason field with its label, the buttons. */
    *h = 224 + KICK_DIALOG_ROWS * KICK_DIALOG_PITCH + SCENE_BUTTON_H;
    *x = (c->view_w - *w) / 2;
    *y = (c->view_h - *h) / 2;
}

/* The dialog's buttons: Kick on the left, Cancel on the right. */
static void kick_dialog_button(const client_t *c, bool cancel, int *x, int *y, int *w)
{
    int dx, dy, dw, dh;
    kick_dialog_rect(c, &dx, &dy, &dw, &dh);
    *w = (dw - 48 - KICK_DIALOG_GAP) / 2;
    *x = dx + 24 + (cancel ? *w + KICK_DIALOG_GAP : 0);
    *y = dy + dh - SCENE_BUTTON_H - 20;
}

/* The first name shown: the list scrolls to keep the pick in sight. */
static int kick_dialog_first(const kick_dialog_t *k)
{
    return k->pick >= KICK_DIALOG_ROWS ? k->pick - KICK_DIALOG_ROWS + 1 : 0;
}

static void kick_dialog_click(client_t *c, const input_event_t *ev, int n)
{
    int x, y, w, h;
    kick_dialog_button(c, false, &x, &y, &w);
    if (widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H)) {
        kick_dialog_send(c);
        return;
    }
    kick_dialog_button(c, true, &x, &y, &w);
    if (widget_hit(ev->x, ev->y, x, y, w, SCENE_BUTTON_H)) {
        c->kick.open = false;
        return;
    }
    kick_dialog_rect(c, &x, &y, &w, &h);
    int first = kick_dialog_first(&c->kick);
    for (int i = 0; i < KICK_DIALOG_ROWS && first + i < n; i++)
        if (widget_hit(ev->x, ev->y, x + 24, y + KICK_DIALOG_NAMES_TOP + i * KICK_DIALOG_PITCH,
                       w - 48, KICK_DIALOG_PITCH))
            c->kick.pick = first + i;
}

bool kick_dialog_input(client_t *c, const input_event_t *ev)
{
    kick_dialog_t *k = &c->kick;
    if (k->open && !c->session.connected)
        k->open = false; /* the server is gone: nobody to kick, and the scene says why */
    if (!k->open)
        return false;
    char names[KICK_DIALOG_MAX_NAMES][PROTO_USERNAME_SIZE];
    int n = kick_dialog_kickable(c, names, KICK_DIALOG_MAX_NAMES);
    switch (ev->kind) {
    case IN_UP:
    case IN_DOWN:
    case IN_TAB:
        if (n > 0)
            k->pick = (k->pick + (ev->kind == IN_UP ? n - 1 : 1)) % n;
        break;
    case IN_BACK:
        k->open = false;
        break;
    case IN_CONFIRM:
        kick_dialog_send(c);
        break;
    case IN_TEXT:
    case IN_BACKSPACE:
        widget_text_input(k->reason, sizeof k->reason, PROTO_MAX_TEXT, ev);
        break;
    case IN_CLICK:
        kick_dialog_click(c, ev, n);
        break;
    default:
        break; /* the scene under it gets nothing, not even the pointer */
    }
    return true;
}

static const char *kick_dialog_line(const kick_dialog_t *k)
{
    switch (k->over) {
    case KICK_DIALOG_OVER_ROUND:
        return "The round goes on under this dialog: your keys move nobody until it closes.";
    case KICK_DIALOG_OVER_END:
        return "The end screen's countdown to the lobby goes on under this dialog.";
    default:
        return "Arrows or a click pick whom; the server then bans the name for a while.";
    }
}

static const char *kick_dialog_label(int where)
{
    switch (where) {
    case KICK_WHERE_MY_ROUND:
        return "in your round";
    case KICK_WHERE_GROUP:
        return "in a round";
    default:
        return "";
    }
}

void kick_dialog_draw(client_t *c, ui_t *ui)
{
    const kick_dialog_t *k = &c->kick;
    if (!k->open)
        return;
    int x, y, w, h;
    kick_dialog_rect(c, &x, &y, &w, &h);
    ui_fill_rect(ui, 0, 0, c->view_w, c->view_h, (ui_color_t){0, 0, 0, 150});
    ui_fill_rect(ui, x, y, w, h, UI_PANEL);
    ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    ui_text(ui, UI_FONT_LARGE, x + 24, y + 14, UI_LEFT, UI_TEXT, "Kick a player");
    ui_text_wrapped(ui, UI_FONT_SMALL, x + 24, y + 54, w - 48, UI_LEFT, UI_DIM, kick_dialog_line(k),
                    true);
    kick_list_t l;
    kick_list_fill(c, &l);
    int first = kick_dialog_first(k);
    for (int i = 0; i < KICK_DIALOG_ROWS && first + i < l.n; i++) {
        int ry = y + KICK_DIALOG_NAMES_TOP + i * KICK_DIALOG_PITCH;
        bool on = first + i == k->pick;
        if (on)
            ui_fill_rect(ui, x + 24, ry, w - 48, KICK_DIALOG_PITCH - 4, UI_FOCUS);
        ui_text(ui, UI_FONT_NORMAL, x + 36, ry + 4, UI_LEFT, on ? UI_TEXT : UI_DIM,
                l.names[first + i]);
        ui_text(ui, UI_FONT_SMALL, x + w - 36, ry + 8, UI_RIGHT, UI_DIM,
                kick_dialog_label(l.where[first + i]));
    }
    if (l.n == 0)
        ui_text(ui, UI_FONT_NORMAL, x + 36, y + KICK_DIALOG_NAMES_TOP + 4, UI_LEFT, UI_DIM,
                "Nobody else is here.");
    int fy = y + KICK_DIALOG_NAMES_TOP + KICK_DIALOG_ROWS * KICK_DIALOG_PITCH + 8;
    ui_text_field(ui, x + 24, fy + 20, w - 48, SCENE_FIELD_H, "Reason (optional), shown to them",
                  k->reason, true, c->now_ms);
    int bx, by, bw;
    kick_dialog_button(c, false, &bx, &by, &bw);
    ui_button(ui, bx, by, bw, SCENE_BUTTON_H, "Kick (Enter)", false, l.n > 0);
    kick_dialog_button(c, true, &bx, &by, &bw);
    ui_button(ui, bx, by, bw, SCENE_BUTTON_H, "Cancel (Esc)", false, true);
}
