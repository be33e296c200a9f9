/* scene_vote.c -- the world vote ("select"): cards with previews, the live tally, a countdown,
 * your vote, the group's players and who voted, chat, Esc to leave; logic on client.h, drawing
 * on ui.h, draw_map.h and chatbox.h */
#include "scene_vote.h"

#include <stdio.h>
#include <string.h>

#include "chatbox.h"
#include "draw_map.h"
#include "ui.h"
#include "widgets.h"

#define VOTE_CARD_MAX_W        340 /* a card never gets wider than this (one world, wide window) */
#define VOTE_PREVIEW_MIN_H     36  /* below this a card shows no preview */
#define VOTE_CARD_PAD          10
#define VOTE_CARD_TEXT_H       116   /* name, three lines of description, the tally */
#define VOTE_PREVIEW_ASPECT    0.62f /* preview height per width: cards no taller than that */
#define VOTE_COUNTDOWN_WARNING 5     /* seconds: the countdown turns red */

static int view_w(const client_t *c)
{
    return c->view_w >= UI_VIEW_MIN_W ? c->view_w : UI_VIEW_MIN_W;
}

static int view_h(const client_t *c)
{
    return c->view_h > 0 ? c->view_h : UI_VIEW_H;
}

int vote_columns(const client_t *c)
{
    int n = c->vote.sel.nworlds;
    if (n <= 4)
        return n > 0 ? n : 1;
    if (n <= 8)
        return (n + 1) / 2;
    return (n + 2) / 3;
}

void vote_card_rect(const client_t *c, int i, int *x, int *y, int *w, int *h)
{
    int n = c->vote.sel.nworlds > 0 ? c->vote.sel.nworlds : 1;
    int cols = vote_columns(c);
    int rows = (n + cols - 1) / cols;
    int area_w = view_w(c) - 2 * VOTE_MARGIN;
    int area_h = view_h(c) - VOTE_CARDS_TOP - VOTE_CARDS_BOTTOM_SPACE;
    int cw = (area_w - (cols - 1) * VOTE_GAP) / cols;
    if (cw > VOTE_CARD_MAX_W)
        cw = VOTE_CARD_MAX_W;
    int ch = (area_h - (rows - 1) * VOTE_GAP) / rows;
    int ch_max = (int)((float)(cw - 2 * VOTE_CARD_PAD) * VOTE_PREVIEW_ASPECT) + VOTE_CARD_TEXT_H +
                 2 * VOTE_CARD_PAD;
    if (ch > ch_max)
        ch = ch_max;
    int grid_w = cols * cw + (cols - 1) * VOTE_GAP;
    int grid_h = rows * ch + (rows - 1) * VOTE_GAP;
    int x0 = (view_w(c) - grid_w) / 2;
    int y0 = VOTE_CARDS_TOP + (area_h - grid_h) / 2;
    *x = x0 + (i % cols) * (cw + VOTE_GAP);
    *y = y0 + (i / cols) * (ch + VOTE_GAP);
    *w = cw;
    *h = ch;
}

int vote_seconds_left(const client_t *c)
{
    const vote_t *v = &c->vote;
    if (!v->have_worlds || v->sel.timeout <= 0)
        return 0;
    int32_t elapsed = (int32_t)(c->now_ms - v->start_ms);
    if (elapsed < 0)
        elapsed = 0;
    int32_t left_ms = v->sel.timeout * 1000 - elapsed;
    if (left_ms <= 0)
        return 0;
    return (int)((left_ms + 999) / 1000);
}

static void vote_enter(client_t *c)
{
    memset(&c->vote, 0, sizeof c->vote);
    c->vote.voted = -1;
    c->vote.pending = -1;
    c->vote.start_ms = c->now_ms;
}

static bool may_vote(const client_t *c)
{
    const vote_t *v = &c->vote;
    if (!v->have_worlds || v->sel.nworlds <= 0)
        return false;
    /* One vote in flight at a time, so each reply answers the vote it belongs to; a server
     * that never answers does not lock the screen. */
    return v->pending < 0 || (int32_t)(c->now_ms - v->pending_ms) >= VOTE_REPLY_TIMEOUT_MS;
}

static void send_vote(client_t *c, int index)
{
    vote_t *v = &c->vote;
    if (index < 0 || index >= v->sel.nworlds || !may_vote(c) || index == v->voted)
        return;
    msg_t m;
    proto_init(&m, MSG_VOTE);
    m.u.vote.index = index;
    client_send(c, &m);
    v->pending = index;
    v->pending_ms = c->now_ms;
    v->ignored = false;
}

static int card_hit(const client_t *c, int px, int py)
{
    for (int i = 0; i < c->vote.sel.nworlds; i++) {
        int x, y, w, h;
        vote_card_rect(c, i, &x, &y, &w, &h);
        if (widget_hit(px, py, x, y, w, h))
            return i;
    }
    return -1;
}

static void vote_input(client_t *c, const input_event_t *ev)
{
    vote_t *v = &c->vote;
    /* Esc asks before leaving, so that a stray key does not drop the player from the group. */
    if (v->confirm_leave) {
        if (ev->kind == IN_CONFIRM)
            client_leave_server(c);
        else if (ev->kind == IN_BACK)
            v->confirm_leave = false;
        return;
    }
    /* Typing starts a chat line; Enter then sends it rather than voting (Esc cancels it). */
    if (chatbox_input(c, ev, CHATBOX_OPEN_ON_TEXT))
        return;
    if (ev->kind == IN_BACK) {
        if (client_leave_asks_host(c))
            client_leave_server(c); /* the host's question (Cancel included) is the one asked */
        else
            v->confirm_leave = true;
        return;
    }
    int n = v->sel.nworlds;
    if (!v->have_worlds || n <= 0)
        return;
    int cols = vote_columns(c);
    switch (ev->kind) {
    case IN_LEFT:
        v->focus = (v->focus + n - 1) % n;
        break;
    case IN_RIGHT:
    case IN_TAB:
        v->focus = (v->focus + 1) % n;
        break;
    case IN_UP:
        if (v->focus - cols >= 0)
            v->focus -= cols;
        break;
    case IN_DOWN:
        if (v->focus + cols < n)
            v->focus += cols;
        break;
    case IN_CONFIRM:
        send_vote(c, v->focus);
        break;
    case IN_POINT: {
        int i = card_hit(c, ev->x, ev->y);
        if (i >= 0)
            v->focus = i;
        break;
    }
    case IN_CLICK: {
        int i = card_hit(c, ev->x, ev->y);
        if (i >= 0) {
            v->focus = i;
            send_vote(c, i);
        }
        break;
    }
    default:
        break;
    }
}

static void vote_message(client_t *c, const msg_t *m)
{
    vote_t *v = &c->vote;
    switch (m->type) {
    case MSG_SELECT_WORLD: {
        const msg_select_world_t *s = &m->u.select_world;
        v->sel = *s;
        if (v->sel.nworlds < 0)
            v->sel.nworlds = 0;
        if (v->sel.nworlds > PROTO_MAX_WORLDS)
            v->sel.nworlds = PROTO_MAX_WORLDS;
        v->have_worlds = true;
        v->start_ms = c->now_ms;
        memset(v->counts, 0, sizeof v->counts);
        v->total_votes = 0;
        v->focus = 0;
        v->voted = -1;
        v->pending = -1;
        v->ignored = false;
        break;
    }
    case MSG_VOTES: {
        const msg_votes_t *t = &m->u.votes;
        int n = t->ncounts < v->sel.nworlds ? t->ncounts : v->sel.nworlds;
        memset(v->counts, 0, sizeof v->counts);
        v->total_votes = 0;
        for (int i = 0; i < n; i++) {
            v->counts[i] = t->counts[i] > 0 ? t->counts[i] : 0;
            v->total_votes += v->counts[i];
        }
        break;
    }
    case MSG_GROUP:
        v->group = m->u.group;
        if (v->group.nplayers < 0)
            v->group.nplayers = 0;
        if (v->group.nplayers > PROTO_MAX_PLAYERS)
            v->group.nplayers = PROTO_MAX_PLAYERS;
        v->have_group = true;
        break;
    case MSG_VOTE_REPLY:
        if (v->pending < 0)
            break;
        if (m->u.vote_reply.considered)
            v->voted = v->pending;
        else
            v->ignored = true;
        v->pending = -1;
        break;
    default:
        break;
    }
}

static void vote_update(client_t *c)
{
    vote_t *v = &c->vote;
    if (c->autoplay && v->have_worlds && v->voted < 0 && v->pending < 0 &&
        (int32_t)(c->now_ms - v->start_ms) >= VOTE_AUTOPLAY_DELAY_MS) {
        v->focus = 0;
        send_vote(c, 0);
    }
}

static void vote_leave(client_t *c)
{
    (void)c;
}

static bool vote_ready(const client_t *c)
{
    return c->vote.have_worlds;
}

/* ---- drawing ---- */

static ui_color_t with_alpha(ui_color_t col, uint8_t a)
{
    col.a = a;
    return col;
}

/* Word-wraps text into at most max_lines lines of width w; the last line is cut with "...". */
static void draw_wrapped(ui_t *ui, ui_font_t font, int x, int y, int w, int max_lines,
                         ui_color_t color, const char *text)
{
    char line[WORLD_MAX_DESCRIPTION + 8];
    const char *p = text;
    int lh = ui_line_height(ui, font);
    for (int n = 0; n < max_lines && *p; n++) {
        while (*p == ' ')
            p++;
        size_t len = strlen(p), fit = 0, best = 0;
        /* The longest run of whole words that fits. */
        while (fit < len) {
            size_t next = fit;
            while (next < len && p[next] == ' ')
                next++;
            while (next < len && p[next] != ' ')
                next++;
            if (next >= sizeof line - 4)
                break;
            memcpy(line, p, next);
            line[next] = '\0';
            if (ui_text_width(ui, font, line) > w && best > 0)
                break;
            best = next;
            fit = next;
            if (ui_text_width(ui, font, line) > w)
                break;
        }
        if (best == 0)
            break;
        memcpy(line, p, best);
        line[best] = '\0';
        /* Cut with "..." on the last line, or where one word alone is wider than the card. */
        if ((n == max_lines - 1 && best < len) || ui_text_width(ui, font, line) > w) {
            /* Trim until "..." fits; stay on a UTF-8 boundary. */
            size_t cut = best;
            for (;;) {
                snprintf(line + cut, sizeof line - cut, "...");
                if (cut == 0 || ui_text_width(ui, font, line) <= w)
                    break;
                do
                    cut--;
                while (cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80);
                memcpy(line, p, cut);
            }
        }
        ui_text(ui, font, x, y + n * lh, UI_LEFT, color, line);
        p += best;
    }
}

static void draw_card(client_t *c, ui_t *ui, int i)
{
    const vote_t *v = &c->vote;
    const proto_world_info_t *wi = &v->sel.worlds[i];
    int x, y, w, h;
    vote_card_rect(c, i, &x, &y, &w, &h);
    bool focused = i == v->focus;
    bool mine = i == v->voted;
    bool sending = i == v->pending;

    ui_fill_rect(ui, x, y, w, h, focused ? UI_FOCUS : UI_PANEL);
    if (mine)
        ui_frame_rect(ui, x, y, w, h, 3, UI_GOOD);
    else if (focused)
        ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    else
        ui_frame_rect(ui, x, y, w, h, 1, with_alpha(UI_DIM, 90));

    int pad = VOTE_CARD_PAD;
    int preview_h = h - VOTE_CARD_TEXT_H - 2 * pad;
    int ty = y + pad;
    if (preview_h >= VOTE_PREVIEW_MIN_H) {
        if (wi->width > 0 && wi->height > 0) {
            map_fit_t fit = map_fit(wi->width, wi->height, (float)(x + pad), (float)ty,
                                    (float)(w - 2 * pad), (float)preview_h);
            draw_map(ui, (const char(*)[WORLD_MAX_SIZE + 1]) wi->tiles, &fit, true);
        } else {
            ui_fill_rect(ui, x + pad, ty, w - 2 * pad, preview_h, UI_BG);
            ui_text(ui, UI_FONT_SMALL, x + w / 2, ty + preview_h / 2 - 8, UI_CENTER, UI_DIM,
                    "no preview");
        }
        ty += preview_h + 8;
    }
    draw_wrapped(ui, UI_FONT_NORMAL, x + pad, ty, w - 2 * pad, 1, focused ? UI_ACCENT : UI_TEXT,
                 wi->name);
    ty += ui_line_height(ui, UI_FONT_NORMAL) + 2;
    int desc_lines = preview_h >= VOTE_PREVIEW_MIN_H ? 3 : 1;
    draw_wrapped(ui, UI_FONT_SMALL, x + pad, ty, w - 2 * pad, desc_lines, UI_DIM, wi->description);

    /* The tally: one pip per vote, and the count. */
    int by = y + h - 26;
    char label[48];
    int count = v->counts[i];
    snprintf(label, sizeof label, "%d vote%s", count, count == 1 ? "" : "s");
    int lw = ui_text(ui, UI_FONT_SMALL, x + pad, by, UI_LEFT, count > 0 ? UI_TEXT : UI_DIM, label);
    int px = x + pad + lw + 12;
    for (int k = 0; k < count && px < x + w - 90; k++, px += 14)
        ui_fill_circle(ui, (float)px + 5.0f, (float)by + 9.0f, 5.0f, UI_ACCENT);
    const char *badge = mine ? "your vote" : sending ? "sending..." : NULL;
    if (badge) {
        /* Beside the count when it fits, else on the line above (narrow cards have room
         * there: no preview, one line of description). */
        int bw = ui_text_width(ui, UI_FONT_SMALL, badge);
        int bgy = lw + 12 + bw <= w - 2 * pad ? by : by - ui_line_height(ui, UI_FONT_SMALL) - 2;
        ui_text(ui, UI_FONT_SMALL, x + w - pad, bgy, UI_RIGHT, mine ? UI_GOOD : UI_DIM, badge);
    }
}

/* The group along the top: each player with a mark for a counted vote (not which world), or
 * struck out once gone; as many as fit in w, then "+N". */
static void draw_group(client_t *c, ui_t *ui, int w)
{
    const vote_t *v = &c->vote;
    int x = VOTE_MARGIN, right = VOTE_MARGIN + w;
    char buf[PROTO_USERNAME_SIZE + 24];
    for (int i = 0; i < v->group.nplayers; i++) {
        const char *name = v->group.players[i].username;
        bool left = v->group.players[i].left, voted = v->group.players[i].voted;
        bool me = c->session.username[0] && strcmp(name, c->session.username) == 0;
        client_fmt(buf, sizeof buf, "%s %s", name,
                   left    ? "(left)"
                   : voted ? "\xe2\x9c\x93 voted"
                           : "\xe2\x80\xa6");
        int tw = ui_text_width(ui, UI_FONT_SMALL, buf);
        if (x + tw > right) {
            client_fmt(buf, sizeof buf, "+%d", v->group.nplayers - i);
            ui_text(ui, UI_FONT_SMALL, x, 64, UI_LEFT, UI_DIM, buf);
            return;
        }
        ui_color_t col = left ? UI_DIM : voted ? UI_GOOD : me ? UI_ACCENT : UI_TEXT;
        ui_text(ui, UI_FONT_SMALL, x, 64, UI_LEFT, col, buf);
        if (left)
            ui_fill_rect(ui, x, 64 + ui_line_height(ui, UI_FONT_SMALL) / 2, tw, 1, UI_DIM);
        x += tw + 18;
    }
}

static void draw_confirm_leave(ui_t *ui)
{
    int vw = ui_view_w(ui), vh = ui_view_h(ui);
    int w = vw / 2, h = 130, x = (vw - w) / 2, y = (vh - h) / 2;
    ui_fill_rect(ui, x, y, w, h, (ui_color_t){10, 12, 18, 230});
    ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    ui_text(ui, UI_FONT_LARGE, vw / 2, y + 20, UI_CENTER, UI_ACCENT, "Leave the server?");
    ui_text_wrapped(ui, UI_FONT_NORMAL, vw / 2, y + 64, w - 48, UI_CENTER, UI_TEXT,
                    "Enter leaves and goes back to the menu. Esc returns to the vote.", true);
}

static void vote_draw(client_t *c, ui_t *ui)
{
    const vote_t *v = &c->vote;
    int vw = ui_view_w(ui), vh = ui_view_h(ui);
    ui_fill_rect(ui, 0, 0, vw, vh, UI_BG);
    ui_text(ui, UI_FONT_LARGE, VOTE_MARGIN, 28, UI_LEFT, UI_TEXT, "Vote for a world");

    char buf[PROTO_CHAT_SIZE + PROTO_USERNAME_SIZE + 8];
    int left = vote_seconds_left(c);
    if (v->have_worlds && v->sel.timeout > 0) {
        snprintf(buf, sizeof buf, "Vote closes in %d s", left);
        ui_text(ui, UI_FONT_LARGE, vw - VOTE_MARGIN, 28, UI_RIGHT,
                left <= VOTE_COUNTDOWN_WARNING ? UI_BAD : UI_ACCENT, buf);
    }
    if (!v->have_worlds || v->sel.nworlds <= 0) {
        ui_text(ui, UI_FONT_NORMAL, vw / 2, vh / 2 - 10, UI_CENTER, UI_DIM,
                v->have_worlds ? "The server offered no worlds." : "Waiting for the worlds...");
        return;
    }
    int hw = ui_text(ui, UI_FONT_SMALL, vw - VOTE_MARGIN, 64, UI_RIGHT, UI_DIM,
                     "Arrows choose - Enter or click votes - Esc leaves");
    if (v->have_group) {
        draw_group(c, ui, vw - 2 * VOTE_MARGIN - hw - 24);
    } else {
        snprintf(buf, sizeof buf, "%d vote%s so far", v->total_votes,
                 v->total_votes == 1 ? "" : "s");
        ui_text(ui, UI_FONT_SMALL, VOTE_MARGIN, 64, UI_LEFT, UI_DIM, buf);
    }

    for (int i = 0; i < v->sel.nworlds; i++)
        draw_card(c, ui, i);

    int sy = vh - VOTE_CARDS_BOTTOM_SPACE + 16;
    if (v->pending >= 0)
        snprintf(buf, sizeof buf, "Sending your vote for %s...", v->sel.worlds[v->pending].name);
    else if (v->ignored)
        snprintf(buf, sizeof buf, "The server did not count that vote. Choose again.");
    else if (v->voted >= 0)
        snprintf(buf, sizeof buf, "You voted for %s. You can still change your mind.",
                 v->sel.worlds[v->voted].name);
    else
        snprintf(buf, sizeof buf, "Pick the world you want to play.");
    ui_text(ui, UI_FONT_NORMAL, VOTE_MARGIN, sy, UI_LEFT, v->ignored ? UI_BAD : UI_TEXT, buf);

    /* The chat (the session's log) under the status line. */
    chatbox_draw(c, ui, VOTE_MARGIN, vh - 8, vw - 2 * VOTE_MARGIN,
                 chatbox_is_open(c) ? VOTE_CHAT_LINES_TYPING : VOTE_CHAT_LINES, false,
                 "Type to chat - Enter sends");
    if (v->confirm_leave)
        draw_confirm_leave(ui);
}

const scene_t scene_vote = {
    .name = "select",
    .enter = vote_enter,
    .leave = vote_leave,
    .input = vote_input,
    .message = vote_message,
    .update = vote_update,
    .ready = vote_ready,
    .draw = vote_draw,
};
