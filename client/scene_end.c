/* scene_end.c -- the end screen ("fin"): ranked results with your row highlighted and who has
 * left the server greyed ("group"), the evening's board beside them, chat, Continue, the host's
 * Kick (kick_dialog.c), the win or lose jingle; logic on client.h and sfx_events.h, drawing on
 * ui.h, board.h, chatbox.h */
#include "scene_end.h"

#include <stdio.h>
#include <string.h>

#include "board.h"
#include "chatbox.h"
#include "kick_dialog.h"
#include "scene_game.h"
#include "ui.h"
#include "widgets.h"

/* Layout, logical units. */
#define END_TABLE_W      560
#define END_TABLE_TOP    150
#define END_ROW_H        40
#define END_BUTTON_W     280
#define END_BUTTON_H     48
#define END_BUTTON_GAP   24
#define END_CHAT_MAX_W   720
#define END_SPLIT_W      420 /* each of the two tables when the evening's board shows beside */
#define END_SPLIT_GAP    40
#define END_EVENING_ROWS 8
#define END_KICK_W       170 /* the host's Kick beside Continue */

static const ui_color_t MEDAL[3] = {
    {255, 200, 60, 255},  /* gold */
    {200, 208, 220, 255}, /* silver */
    {214, 140, 80, 255},  /* bronze */
};

static int view_w(const client_t *c)
{
    return c->view_w >= UI_VIEW_MIN_W ? c->view_w : UI_VIEW_MIN_W;
}

static void button_rect(const client_t *c, int *x, int *y, int *w, int *h)
{
    int rows = c->end.fin.nresults > 0 ? c->end.fin.nresults : 1;
    int bottom = END_TABLE_TOP + END_ROW_H + rows * END_ROW_H;
    if (c->session.have_evening) {
        /* Under the taller of the two tables. */
        int n = c->session.evening.nrows < END_EVENING_ROWS ? c->session.evening.nrows
                                                            : END_EVENING_ROWS;
        int eb = END_TABLE_TOP + BOARD_HEAD + (n > 0 ? n : 1) * BOARD_ROW_H;
        bottom = eb > bottom ? eb : bottom;
    }
    *w = END_BUTTON_W;
    *h = END_BUTTON_H;
    *x = (view_w(c) - END_BUTTON_W) / 2;
    *y = bottom + END_BUTTON_GAP;
}

/* The host's Kick, right of Continue (only a host has it). */
static void kick_rect(const client_t *c, int *x, int *y, int *w, int *h)
{
    button_rect(c, x, y, w, h);
    *x += *w + END_BUTTON_GAP;
    *w = END_KICK_W;
}

static bool shows_kick(const client_t *c)
{
    return c->session.connected && !c->game.watching && session_i_am_host(&c->session);
}

int end_seconds_left(const client_t *c)
{
    int32_t elapsed = (int32_t)(c->now_ms - c->end.start_ms);
    if (elapsed < 0)
        elapsed = 0;
    /* The server says how long its end screen lasts (--end-timeout); one that does not, the
     * default. */
    int32_t total = c->end.fin.continue_ms > 0 ? c->end.fin.continue_ms : END_SERVER_RETURN_MS;
    int32_t left = total - elapsed;
    return left > 0 ? (int)((left + 999) / 1000) : 0;
}

static void end_enter(client_t *c)
{
    memset(&c->end, 0, sizeof c->end);
    c->end.me = -1;
    c->end.start_ms = c->now_ms;
    kick_dialog_close(c);
}

static void end_leave(client_t *c)
{
    (void)c;
}

static void send_continue(client_t *c)
{
    if (!c->session.connected) {
        /* The server has closed (it said "bye"): the menu shows why. */
        client_goto(c, SCENE_MENU);
        return;
    }
    if (c->end.continued)
        return;
    if (c->game.watching) {
        /* A watcher never left the lobby: back to it, nothing to tell the server. */
        client_goto(c, SCENE_LOBBY);
        return;
    }
    msg_t m;
    proto_init(&m, MSG_CONTINUE);
    client_send(c, &m);
    c->end.continued = true;
}

/* Marks the rows of the players "group" says left; a row it does not name stays as it is. */
static void end_mark_left(end_t *e)
{
    if (!e->have_group)
        return;
    for (int i = 0; i < e->fin.nresults; i++) {
        e->left[i] = false;
        for (int k = 0; k < e->group.nplayers; k++)
            if (strcmp(e->group.players[k].username, e->fin.results[i].username) == 0)
                e->left[i] = e->group.players[k].left;
    }
}

static void end_on_group(end_t *e, const msg_group_t *g)
{
    e->group = *g;
    if (e->group.nplayers < 0)
        e->group.nplayers = 0;
    if (e->group.nplayers > PROTO_MAX_PLAYERS)
        e->group.nplayers = PROTO_MAX_PLAYERS;
    for (int k = 0; k < e->group.nplayers; k++)
        e->group.players[k].username[PROTO_USERNAME_SIZE - 1] = '\0';
    e->have_group = true;
    end_mark_left(e);
}

static void end_message(client_t *c, const msg_t *m)
{
    end_t *e = &c->end;
    if (m->type == MSG_GROUP)
        end_on_group(e, &m->u.group);
    if (m->type != MSG_FINISH)
        return;
    e->fin = m->u.fin;
    if (e->fin.nresults < 0)
        e->fin.nresults = 0;
    if (e->fin.nresults > PROTO_MAX_PLAYERS)
        e->fin.nresults = PROTO_MAX_PLAYERS;
    e->fin.world[sizeof e->fin.world - 1] = '\0';
    /* By rank, then score: a server's order is trusted only as far as it is sorted. */
    proto_result_t *r = e->fin.results;
    for (int i = 1; i < e->fin.nresults; i++) {
        proto_result_t x = r[i];
        int k = i;
        while (k > 0 &&
               (r[k - 1].rank > x.rank || (r[k - 1].rank == x.rank && r[k - 1].score < x.score))) {
            r[k] = r[k - 1];
            k--;
        }
        r[k] = x;
    }
    const char *me = c->session.username[0] ? c->session.username : c->game.you;
    e->me = -1;
    for (int i = 0; i < e->fin.nresults; i++) {
        if (me[0] && strcmp(r[i].username, me) == 0)
            e->me = i;
        game_player_color(c, r[i].username, e->colors[i]);
    }
    end_mark_left(e); /* a "fin" again (a resume) keeps what "group" said */
    e->have_results = true;
    e->start_ms = c->now_ms;
    e->jingle_pending = sfx_events_finish(&e->fin, me, &e->jingle, 1) == 1;
    e->continued = false;
}

static void end_input(client_t *c, const input_event_t *ev)
{
    /* The host's kick dialog, once open, takes every key until Kick or Cancel. */
    if (kick_dialog_input(c, ev))
        return;
    /* Typing starts a chat line ("gg"); Enter then sends it rather than continuing. */
    if (chatbox_input(c, ev, CHATBOX_OPEN_ON_TEXT))
        return;
    int x, y, w, h;
    kick_rect(c, &x, &y, &w, &h);
    /* Letters go to the chat here, so the host's Kick is Tab (or a click), not K. */
    if (shows_kick(c) &&
        (ev->kind == IN_TAB || (ev->kind == IN_CLICK && widget_hit(ev->x, ev->y, x, y, w, h)))) {
        kick_dialog_open(c, KICK_DIALOG_OVER_END);
        return;
    }
    button_rect(c, &x, &y, &w, &h);
    if (ev->kind == IN_CONFIRM || (ev->kind == IN_CLICK && widget_hit(ev->x, ev->y, x, y, w, h)))
        send_continue(c);
}

static void end_update(client_t *c)
{
    if (c->end.jingle_pending && (int32_t)(c->now_ms - c->end.start_ms) >= END_JINGLE_DELAY_MS) {
        client_sfx(c, &c->end.jingle, 1);
        c->end.jingle_pending = false;
    }
    if (c->autoplay && c->end.have_results &&
        (int32_t)(c->now_ms - c->end.start_ms) >= END_AUTOPLAY_DELAY_MS)
        send_continue(c);
}

static bool end_ready(const client_t *c)
{
    return c->end.have_results;
}

static void headline(const client_t *c, char *buf, size_t cap)
{
    const msg_fin_t *f = &c->end.fin;
    int winners = 0;
    while (winners < f->nresults && f->results[winners].rank == 1)
        winners++;
    if (f->nresults == 0)
        snprintf(buf, cap, "Nobody finished the round.");
    else if (c->end.me >= 0 && f->results[c->end.me].rank == 1)
        snprintf(buf, cap, winners > 1 ? "You share the win!" : "You win!");
    else if (winners == 1)
        snprintf(buf, cap, "%s wins!", f->results[0].username);
    else if (winners == 2)
        snprintf(buf, cap, "%s and %s share the win!", f->results[0].username,
                 f->results[1].username);
    else
        snprintf(buf, cap, "%d players share the win!", winners);
}

static void end_draw(client_t *c, ui_t *ui)
{
    const end_t *e = &c->end;
    int vw = ui_view_w(ui);
    char buf[160];
    ui_text(ui, UI_FONT_LARGE, vw / 2, 32, UI_CENTER, UI_TEXT, "Round over");
    if (!e->have_results)
        return;
    headline(c, buf, sizeof buf);
    ui_text(ui, UI_FONT_LARGE, vw / 2, 72, UI_CENTER, UI_ACCENT, buf);
    snprintf(buf, sizeof buf, "World: %s", e->fin.world);
    ui_text(ui, UI_FONT_SMALL, vw / 2, 112, UI_CENTER, UI_DIM, buf);

    /* This round on the left, the evening's board on the right, when the server keeps one. */
    bool split = c->session.have_evening;
    int tw = split ? END_SPLIT_W : END_TABLE_W;
    int x = split ? vw / 2 - END_SPLIT_GAP / 2 - tw : (vw - tw) / 2, y = END_TABLE_TOP;
    if (split)
        board_draw_evening(c, ui, vw / 2 + END_SPLIT_GAP / 2, y + 6, tw, END_EVENING_ROWS);
    int lh = ui_line_height(ui, UI_FONT_NORMAL);
    int pad = (END_ROW_H - lh) / 2;
    if (split) {
        ui_text(ui, UI_FONT_NORMAL, x, y + 6, UI_LEFT, UI_TEXT, "This round");
    } else {
        ui_text(ui, UI_FONT_SMALL, x + 40, y + pad, UI_CENTER, UI_DIM, "Rank");
        ui_text(ui, UI_FONT_SMALL, x + 96, y + pad, UI_LEFT, UI_DIM, "Player");
    }
    ui_text(ui, UI_FONT_SMALL, x + tw - 24, y + pad, UI_RIGHT, UI_DIM, "Score");
    y += END_ROW_H;
    for (int i = 0; i < e->fin.nresults; i++, y += END_ROW_H) {
        const proto_result_t *r = &e->fin.results[i];
        bool mine = i == e->me;
        ui_fill_rect(ui, x, y + 2, tw, END_ROW_H - 4, mine ? UI_FOCUS : UI_PANEL);
        if (mine)
            ui_frame_rect(ui, x, y + 2, tw, END_ROW_H - 4, 2, UI_ACCENT);
        float mcx = (float)x + 40.0f, mcy = (float)y + END_ROW_H / 2.0f;
        if (r->rank >= 1 && r->rank <= 3)
            ui_fill_circle(ui, mcx, mcy, 14.0f, MEDAL[r->rank - 1]);
        snprintf(buf, sizeof buf, "%d", r->rank);
        ui_text(ui, UI_FONT_NORMAL, x + 40, y + pad, UI_CENTER,
                r->rank >= 1 && r->rank <= 3 ? UI_BG : UI_TEXT, buf);
        const uint8_t *rgb = e->colors[i];
        bool left = e->left[i];
        /* Who has left the server is greyed, its colour half gone: the party sees who is out. */
        ui_fill_circle(ui, (float)x + 80.0f, mcy, 7.0f,
                       (ui_color_t){rgb[0], rgb[1], rgb[2], left ? 90 : 255});
        snprintf(buf, sizeof buf, "%s%s", r->username, mine ? "  (you)" : left ? "  (left)" : "");
        ui_color_t ink = mine ? UI_ACCENT : left ? UI_DIM : UI_TEXT;
        ui_text(ui, UI_FONT_NORMAL, x + 96, y + pad, UI_LEFT, ink, buf);
        snprintf(buf, sizeof buf, "%d", r->score);
        ui_text(ui, UI_FONT_NORMAL, x + tw - 24, y + pad, UI_RIGHT, ink, buf);
    }

    int bx, by, bw, bh;
    button_rect(c, &bx, &by, &bw, &bh);
    if (!c->session.connected) {
        ui_button(ui, bx, by, bw, bh, "Back to the menu", true, true);
        ui_text(ui, UI_FONT_NORMAL, vw / 2, by + bh + 14, UI_CENTER, UI_BAD, c->notice);
        return;
    }
    ui_button(ui, bx, by, bw, bh, e->continued ? "Waiting for the lobby..." : "Continue",
              !e->continued, !e->continued);
    if (shows_kick(c)) {
        kick_rect(c, &bx, &by, &bw, &bh);
        ui_button(ui, bx, by, bw, bh, "Kick (Tab)", false, true);
        button_rect(c, &bx, &by, &bw, &bh);
    }
    snprintf(buf, sizeof buf, "Enter continues - back to the lobby in %d s anyway",
             end_seconds_left(c));
    ui_text(ui, UI_FONT_SMALL, vw / 2, by + bh + 14, UI_CENTER, UI_DIM, buf);
    /* The chat fills what is left below, at least a line. */
    int top = by + bh + 44, bottom = ui_view_h(ui) - 12;
    int lines =
        (bottom - top) / (ui_line_height(ui, UI_FONT_NORMAL) + 6) - (chatbox_is_open(c) ? 1 : 0);
    int cw = vw - 2 * 40 < END_CHAT_MAX_W ? vw - 2 * 40 : END_CHAT_MAX_W;
    chatbox_draw(c, ui, (vw - cw) / 2, bottom, cw, lines > 1 ? lines : 1, false,
                 "Type to chat - Enter sends");
    kick_dialog_draw(c, ui);
}

const scene_t scene_end = {
    .name = "fin",
    .enter = end_enter,
    .leave = end_leave,
    .input = end_input,
    .message = end_message,
    .update = end_update,
    .ready = end_ready,
    .draw = end_draw,
};
