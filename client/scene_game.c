/* scene_game.c -- the round ("game"): builds the world from "game start", counts down to GO,
 * sends your input each tick and predicts it, queues the round's sounds, draws map, coins,
 * players, your dash ring, score floats and HUD, the chat box (T), the evening's board (Tab)
 * and the host's kick dialog (K); logic on client.h, predict.h, sfx_events.h, chatbox.h and
 * kick_dialog.h, drawing on ui.h, draw_map.h and board.h */
#include "scene_game.h"
#include "game_watch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board.h"
#include "chatbox.h"
#include "draw_map.h"
#include "hash.h"
#include "kick_dialog.h"
#include "ui.h"
#include "ui_sdl.h"

#define GAME_NAME_TAG_GAP  4    /* logical units between a player's circle and its name */
#define GAME_TRAIL_STEPS   4    /* ghost circles behind a dashing player */
#define GAME_TRAIL_SPACING 0.8f /* of a tick's movement between two ghosts */
#define GAME_STUN_STARS    5
#define GAME_RING_GAP      4.0f /* your ring, outside your circle */
#define GAME_RING_W        3.0f
#define GAME_TAG_TRIES     3 /* a name tag moves up at most this often to clear another */
#define GAME_AUTOPLAY_SEED 0x9e3779b97f4a7c15ull /* mixed with the round's seed and your name */

static const ui_color_t PLAYER_UNKNOWN = {150, 150, 150, 255};
static const ui_color_t STUN_GREY = {120, 124, 136, 255};
static const ui_color_t STAR = {255, 230, 90, 255};
static const ui_color_t STUN_HALO = {255, 230, 90, 150};
static const ui_color_t RING_TRACK = {255, 255, 255, 60};
static const ui_color_t YOU_RING = {255, 255, 255, 255};
static const ui_color_t SHADOW = {0, 0, 0, 160};
static const ui_color_t TAG_BACK = {8, 10, 16, 120};
static const ui_color_t OVERLAY = {10, 12, 18, 200};

/* ---- logic ---- */

static uint32_t tick_due_ms(const game_t *g, uint32_t base_ms, uint32_t ticks)
{
    return base_ms + (uint32_t)((uint64_t)ticks * 1000u / (uint64_t)g->tick_rate);
}

static void game_enter(client_t *c)
{
    game_t *g = &c->game;
    /* The drawn map outlives a round (the texture belongs to the renderer). */
    map_layer_t layer = g->map_layer;
    map_disc_t disc = g->disc;
    unsigned version = g->world_version;
    memset(g, 0, sizeof *g);
    g->map_layer = layer;
    g->disc = disc;
    g->world_version = version;
    g->me = -1;
    g->tick_rate = SIM_TICK_RATE;
    kick_dialog_close(c);
}

static void game_leave(client_t *c)
{
    /* 8 MB at 1080p: not kept while the lobby and the vote show. */
    map_layer_free(&c->game.map_layer);
    map_disc_free(&c->game.disc);
}

static void start_game(client_t *c, const msg_game_start_t *gs)
{
    game_t *g = &c->game;
    g->world_version++;
    g->started = false;
    g->bad_world = false;
    g->confirm_leave = false;
    g->have_state = false;
    g->me = -1;
    g->start_ms = c->now_ms;

    g->nplayers = gs->nplayers < 0 ? 0 : gs->nplayers;
    if (g->nplayers > PROTO_MAX_PLAYERS)
        g->nplayers = PROTO_MAX_PLAYERS;
    for (int i = 0; i < g->nplayers; i++) {
        snprintf(g->players[i].name, sizeof g->players[i].name, "%s", gs->players[i].username);
        memcpy(g->players[i].color, gs->players[i].color, 3);
    }
    /* No "you" after a Watch: this client watches (game_watch.c). */
    g->watching = !gs->you[0] && c->lobby.watch_group > 0;
    snprintf(g->you, sizeof g->you, "%s",
             gs->you[0] || g->watching ? gs->you : c->session.username);
    g->tick_rate =
        gs->tick_rate > 0 && gs->tick_rate <= PROTO_MAX_TICK_RATE ? gs->tick_rate : SIM_TICK_RATE;
    g->duration = gs->duration;
    /* The server decides GO; the decoder keeps countdown_ms in 0..PROTO_MAX_COUNTDOWN_MS. */
    int cd =
        gs->countdown_ms > 0 && gs->countdown_ms <= PROTO_MAX_COUNTDOWN_MS ? gs->countdown_ms : 0;
    g->go_ms = c->now_ms + (uint32_t)cd;
    g->counting_down = cd > 0;
    g->countdown_prev = INT32_MAX;

    /* The world is checked like a world file: a server (or a peer pretending to be one) that
     * sends an unplayable map gets a notice, not a crash. */
    char err[256];
    if (proto_world_info_to_world(&g->world, &gs->world, gs->duration, err, sizeof err) != 0) {
        g->bad_world = true;
        snprintf(g->notice, sizeof g->notice,
                 "The server sent a world this client cannot show (%s). You will be back in "
                 "the lobby when the round ends.",
                 err);
        return;
    }
    g->started = true;
    predict_init(&g->predict, &g->world, g->tick_rate);
    brain_init(&g->brain,
               gs->seed ^ hash64_bytes(HASH64_INIT, g->you, strlen(g->you)) ^ GAME_AUTOPLAY_SEED);
    g->seq = 0;
    memset(&g->last_sent, 0, sizeof g->last_sent);
    g->ticking = false;
}

static void add_float(game_t *g, const proto_player_state_t *ps, int delta, uint32_t now_ms)
{
    game_float_t *f = &g->floats[g->next_float++ % GAME_MAX_FLOATS];
    f->x = ps->x;
    f->y = ps->y;
    f->delta = delta;
    f->born_ms = now_ms ? now_ms : 1;
}

/* A "+1" or "-1" at each player whose score changed since the previous snapshot. */
static void add_score_floats(game_t *g, const msg_state_t *prev, uint32_t now_ms)
{
    for (int i = 0; i < g->state.nplayers; i++) {
        const proto_player_state_t *ps = &g->state.players[i];
        int j = brain_find_player(prev, ps->username);
        if (j >= 0 && prev->players[j].score != ps->score)
            add_float(g, ps, (int)((int64_t)ps->score - prev->players[j].score), now_ms);
    }
}

int game_floats(const client_t *c, game_float_t *out)
{
    int n = 0;
    for (int i = 0; i < GAME_MAX_FLOATS; i++) {
        const game_float_t *f = &c->game.floats[i];
        if (f->born_ms && c->now_ms - f->born_ms < GAME_FLOAT_MS)
            out[n++] = *f;
    }
    return n;
}

float game_dash_ready(const client_t *c)
{
    const game_t *g = &c->game;
    int dash = 0, cooldown = 0;
    if (g->predict.have_self) {
        dash = g->predict.self.dash_ticks;
        cooldown = g->predict.self.cooldown_ticks;
    } else if (g->have_state && g->me >= 0) {
        dash = g->state.players[g->me].dash_ticks;
        cooldown = g->state.players[g->me].cooldown_ticks;
    }
    if (dash > 0)
        return 0.0f;
    /* A press with one tick left is allowed: the step counts the cooldown down first. */
    if (cooldown <= 1)
        return 1.0f;
    if (cooldown > SIM_DASH_COOLDOWN_TICKS)
        cooldown = SIM_DASH_COOLDOWN_TICKS;
    return 1.0f - (float)cooldown / SIM_DASH_COOLDOWN_TICKS;
}

/* st->players' indexes sorted by score, highest first, ties by name, into order. */
static void rank_players(const msg_state_t *st, int *order)
{
    for (int i = 0; i < st->nplayers; i++) {
        int k = i;
        while (k > 0) {
            const proto_player_state_t *a = &st->players[order[k - 1]], *b = &st->players[i];
            if (a->score > b->score ||
                (a->score == b->score && strcasecmp(a->username, b->username) <= 0))
                break;
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
}

static void game_state(client_t *c, const msg_state_t *st)
{
    game_t *g = &c->game;
    if (!g->started)
        return;
    msg_state_t prev = g->state;
    g->state = *st;
    if (g->state.nplayers < 0)
        g->state.nplayers = 0;
    if (g->state.nplayers > PROTO_MAX_PLAYERS)
        g->state.nplayers = PROTO_MAX_PLAYERS;
    if (g->state.ncoins < 0)
        g->state.ncoins = 0;
    if (g->state.ncoins > PROTO_MAX_COINS)
        g->state.ncoins = PROTO_MAX_COINS;
    /* The sounds compare the new snapshot with the one before: before it is overwritten. */
    sfx_event_t ev[SFX_EVENTS_MAX];
    int n = sfx_events_diff(g->have_state ? &prev : NULL, &g->state, g->you, g->world.width, ev,
                            SFX_EVENTS_MAX);
    client_sfx(c, ev, n);
    if (g->have_state)
        add_score_floats(g, &prev, c->now_ms);
    g->state_ms = c->now_ms;
    g->have_state = true;
    g->me = brain_find_player(&g->state, g->you);
    for (int i = 0; i < g->state.nplayers; i++)
        game_player_color(c, g->state.players[i].username, g->colors[i]);
    rank_players(&g->state, g->ranking);
    predict_snapshot(&g->predict, &g->state, g->me, c->now_ms);
}

static void game_message(client_t *c, const msg_t *m)
{
    switch (m->type) {
    case MSG_GAME_START:
        start_game(c, &m->u.game_start);
        break;
    case MSG_STATE:
        game_state(c, &m->u.state);
        break;
    case MSG_WATCHERS:
        c->game.watchers = m->u.watchers.count;
        break;
    case MSG_WATCH_END:
        /* Watching stopped before the results (too slow, everyone left, our round starts). */
        if (c->game.watching) {
            session_chat_add(&c->session, "", m->u.watch_end.message);
            client_goto(c, SCENE_LOBBY);
        }
        break;
    default:
        break;
    }
}

static int8_t unit(int v)
{
    return (int8_t)(v < 0 ? -1 : v > 0 ? 1 : 0);
}

void game_choose_input(client_t *c, sim_input_t *out)
{
    game_t *g = &c->game;
    memset(out, 0, sizeof *out);
    if (c->autoplay) {
        if (g->started && g->have_state && g->me >= 0) {
            sim_input_t in;
            brain_decide(&g->brain, &g->world, &g->state, g->me, &in);
            out->dx = unit(in.dx);
            out->dy = unit(in.dy);
            out->dash = in.dash;
        }
        return;
    }
    if (chatbox_is_open(c) || kick_dialog_is_open(c)) {
        /* Typing a chat line or a kick's reason, picking whom with the arrows: the player stands
         * (the keys spell words), and a Space typed in the line is no dash, then or once the
         * box closes. */
        g->dash_presses_seen = c->held.dash_presses;
        return;
    }
    out->dx = unit(c->held.dx);
    out->dy = unit(c->held.dy);
    /* A press since the last tick dashes on this one even if the key is already up again;
     * the next tick then sees it released, so the rules see a press and a release. */
    out->dash = c->held.dash || c->held.dash_presses != g->dash_presses_seen;
    g->dash_presses_seen = c->held.dash_presses;
}

int32_t game_time_left_ms(const client_t *c)
{
    const game_t *g = &c->game;
    if (!g->have_state)
        return g->duration > 0 ? g->duration * 1000 : 0;
    /* The clock stands still until GO (the countdown's snapshot has the whole round left). */
    int32_t since = (int32_t)(c->now_ms - g->state_ms);
    int32_t since_go = (int32_t)(c->now_ms - g->go_ms);
    if (since_go < since)
        since = since_go;
    if (since < 0)
        since = 0;
    int32_t left = g->state.time_left_ms - since;
    return left > 0 ? left : 0;
}

/* One local tick: an input goes out (and is predicted) while a control is held, so that every
 * predicted tick has its own seq to be acknowledged; when idle, only the change to idle. */
static void game_tick(client_t *c)
{
    game_t *g = &c->game;
    if (g->have_state && g->state.time_left_ms <= 0)
        return;
    sim_input_t in;
    game_choose_input(c, &in);
    if (sim_input_same(&in, &g->last_sent) && !sim_input_held(&in))
        return;
    if (in.dash && !g->last_sent.dash && g->predict.have_self) {
        /* A new press that the rules will lose: say so now rather than let it vanish. */
        sfx_event_t ev[1];
        int n = sfx_events_dash_press(&g->predict.self, ev, 1);
        client_sfx(c, ev, n);
        if (n > 0)
            g->not_ready_ms = c->now_ms ? c->now_ms : 1;
    }
    in.seq = ++g->seq;
    msg_t m;
    proto_init(&m, MSG_INPUT);
    m.u.input.seq = in.seq;
    m.u.input.dx = in.dx;
    m.u.input.dy = in.dy;
    m.u.input.dash = in.dash;
    client_send(c, &m);
    g->last_sent = in;
    g->inputs_sent++;
    predict_tick(&g->predict, &in, c->now_ms);
}

int32_t game_countdown_ms(const client_t *c)
{
    int32_t left = (int32_t)(c->game.go_ms - c->now_ms);
    return left > 0 ? left : 0;
}

/* 3, 2, 1 and GO are heard as the countdown passes them; nothing moves before GO. Returns true
 * while the round has not started. */
static bool game_count_down(client_t *c)
{
    game_t *g = &c->game;
    if (!g->counting_down)
        return false;
    int32_t left = game_countdown_ms(c);
    sfx_event_t ev[1];
    client_sfx(c, ev, sfx_events_countdown(g->countdown_prev, left, ev, 1));
    g->countdown_prev = left;
    if (left == 0)
        g->counting_down = false;
    return left > 0;
}

static void game_update(client_t *c)
{
    game_t *g = &c->game;
    if (!g->started)
        return;
    if (game_count_down(c) || g->watching)
        return; /* a watcher's input is nobody's: none is sent */
    if (!g->ticking) {
        g->ticking = true;
        g->dash_presses_seen = c->held.dash_presses; /* presses before GO do nothing */
        g->tick_base_ms = c->now_ms;
        g->local_ticks = 0;
        g->next_tick_ms = c->now_ms;
    }
    int ran = 0;
    while ((int32_t)(c->now_ms - g->next_tick_ms) >= 0) {
        if (ran == GAME_MAX_CATCHUP_TICKS) {
            /* Too far behind: start counting again from now. */
            g->tick_base_ms = c->now_ms;
            g->local_ticks = 1;
            g->next_tick_ms = tick_due_ms(g, g->tick_base_ms, 1);
            break;
        }
        game_tick(c);
        g->local_ticks++;
        g->next_tick_ms = tick_due_ms(g, g->tick_base_ms, g->local_ticks);
        ran++;
    }
}

static bool game_ready(const client_t *c)
{
    return c->game.have_state || c->game.bad_world;
}

/* A watcher's keys (game_watch.c) and its clicks on the board, which follow that player. */
static bool watch_input(client_t *c, const input_event_t *ev)
{
    int order[PROTO_MAX_PLAYERS];
    int n = game_ranking(c, order);
    if (ev->kind != IN_CLICK)
        return game_watch_key(c, ev, order, n);
    int x = c->view_w - GAME_BOARD_W - GAME_MARGIN;
    if (ev->x < x || ev->x >= x + GAME_BOARD_W)
        return false;
    for (int k = 0; k < n; k++) {
        int y = GAME_HUD_H + GAME_MARGIN + 44 + k * GAME_BOARD_ROW_H;
        if (ev->y >= y - 2 && ev->y < y + GAME_BOARD_ROW_H - 2) {
            game_watch_follow(c, k, order, n, true);
            return true;
        }
    }
    return false;
}

static void game_input(client_t *c, const input_event_t *ev)
{
    game_t *g = &c->game;
    /* The host's kick dialog, once open, takes every key until Kick or Cancel (kick_dialog.c). */
    if (kick_dialog_input(c, ev))
        return;
    /* T opens the chat box, which then takes the keys (Esc closes it first). */
    if (!g->bad_world && !g->confirm_leave && chatbox_input(c, ev, CHATBOX_OPEN_ON_KEY))
        return;
    if (c->game.watching && watch_input(c, ev))
        return;
    /* Movement is sampled from c->held each tick. Esc asks before leaving, so that a stray key
     * does not drop a player out of a round; an unplayable round is left at once. */
    if (ev->kind == IN_BACK && (g->bad_world || g->confirm_leave)) {
        if (g->bad_world)
            client_leave_server(c);
        else
            g->confirm_leave = false; /* Esc again: back to the game */
    } else if (ev->kind == IN_BACK && client_leave_asks_host(c)) {
        client_leave_server(c); /* the host's question (Cancel included) is the one asked */
    } else if (ev->kind == IN_BACK) {
        g->confirm_leave = true;
    } else if (ev->kind == IN_CONFIRM && g->confirm_leave) {
        g->confirm_leave = false; /* a host may be asked next whether the server runs on */
        client_leave_server(c);
    } else if (ev->kind == IN_TAB) {
        g->show_board = !g->show_board;
    } else if (ev->kind == IN_TEXT && (strcmp(ev->text, "m") == 0 || strcmp(ev->text, "M") == 0)) {
        /* Text, not a key: M follows the keyboard's layout. Saved with the settings. While the
         * chat box is open it never gets here: the box took the letter. */
        c->settings.muted = !c->settings.muted;
        g->mute_ms = c->now_ms ? c->now_ms : 1;
    } else if (ev->kind == IN_TEXT && (strcmp(ev->text, "k") == 0 || strcmp(ev->text, "K") == 0) &&
               !g->confirm_leave && !g->bad_world && !g->watching && !g->replay) {
        /* The host's K, a letter like M: the round goes on under the dialog. */
        kick_dialog_open(c, KICK_DIALOG_OVER_ROUND);
    }
}

void game_player_color(const client_t *c, const char *name, uint8_t rgb[3])
{
    const game_t *g = &c->game;
    for (int i = 0; i < g->nplayers; i++) {
        if (strcmp(g->players[i].name, name) == 0) {
            memcpy(rgb, g->players[i].color, 3);
            return;
        }
    }
    rgb[0] = PLAYER_UNKNOWN.r;
    rgb[1] = PLAYER_UNKNOWN.g;
    rgb[2] = PLAYER_UNKNOWN.b;
}

int game_ranking(const client_t *c, int *order)
{
    int n = c->game.have_state ? c->game.state.nplayers : 0;
    memcpy(order, c->game.ranking, (size_t)n * sizeof *order);
    return n;
}

void game_show(client_t *c, bool new_world, const world_t *w, const game_player_t *players,
               int nplayers, const msg_state_t *st, const char *follow)
{
    game_t *g = &c->game;
    if (new_world) {
        game_enter(c); /* keeps the textures */
        g->world_version++;
        g->world = *w;
        g->nplayers = nplayers < PROTO_MAX_PLAYERS ? nplayers : PROTO_MAX_PLAYERS;
        memcpy(g->players, players, sizeof g->players[0] * (size_t)g->nplayers);
        g->duration = w->duration;
        g->started = true;
        g->replay = true;
    }
    g->state = *st;
    g->have_state = true;
    snprintf(g->follow, sizeof g->follow, "%s", follow ? follow : "");
    for (int i = 0; i < g->state.nplayers; i++)
        game_player_color(c, g->state.players[i].username, g->colors[i]);
    rank_players(&g->state, g->ranking);
    /* The clock reads state's time left as it is now: no countdown, no time passing. */
    g->state_ms = g->start_ms = g->go_ms = c->now_ms;
}

/* ---- drawing ---- */

static ui_color_t rgb_color(const uint8_t rgb[3], uint8_t a)
{
    return (ui_color_t){rgb[0], rgb[1], rgb[2], a};
}

static ui_color_t shade(ui_color_t c, float k)
{
    return (ui_color_t){(uint8_t)(c.r * k), (uint8_t)(c.g * k), (uint8_t)(c.b * k), c.a};
}

static ui_color_t mix(ui_color_t a, ui_color_t b, float k)
{
    return (ui_color_t){(uint8_t)(a.r + (b.r - a.r) * k), (uint8_t)(a.g + (b.g - a.g) * k),
                        (uint8_t)(a.b + (b.b - a.b) * k), a.a};
}

map_fit_t game_map_fit(const client_t *c, int vw, int vh)
{
    float x = GAME_MARGIN, y = GAME_HUD_H + GAME_MARGIN;
    float w = (float)(vw - GAME_BOARD_W - 3 * GAME_MARGIN);
    float h = (float)(vh - GAME_HUD_H - 2 * GAME_MARGIN);
    return map_fit(c->game.world.width, c->game.world.height, x, y, w, h);
}

/* Where player i is drawn, in tiles, and how far it moved over the last tick (for the trail). */
static void player_pos(client_t *c, int i, float *x, float *y, float *vx, float *vy)
{
    const game_t *g = &c->game;
    const predict_t *p = &g->predict;
    const proto_player_state_t *ps = &g->state.players[i];
    *vx = *vy = 0.0f;
    if (i == g->me && predict_self_pos(p, c->now_ms, x, y)) {
        *vx = (float)(p->self.x - p->prev_x) / SIM_ONE;
        *vy = (float)(p->self.y - p->prev_y) / SIM_ONE;
        return;
    }
    if (!predict_other_pos(p, i, c->now_ms, x, y)) {
        *x = (float)ps->x / SIM_ONE;
        *y = (float)ps->y / SIM_ONE;
    }
    int j = predict_older_index(p, i);
    uint32_t ticks = p->newer.tick - p->older.tick;
    if (j >= 0 && p->older.valid && ticks > 0 && ticks <= 3) {
        *vx = (float)(ps->x - p->older.x[j]) / SIM_ONE / (float)ticks;
        *vy = (float)(ps->y - p->older.y[j]) / SIM_ONE / (float)ticks;
    }
}

/* A name tag's place, kept clear of the tags already placed this frame. */
typedef struct tag {
    int x, y, w, h; /* x is the centre */
} tag_t;

static bool tags_overlap(const tag_t *a, const tag_t *b)
{
    return abs(a->x - b->x) * 2 < a->w + b->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void place_tag(tag_t *t, const tag_t *placed, int nplaced)
{
    /* Crowded players stack their names upwards rather than printing them on each other. */
    for (int tries = 0; tries < GAME_TAG_TRIES; tries++) {
        bool clear = true;
        for (int k = 0; k < nplaced && clear; k++)
            clear = !tags_overlap(t, &placed[k]);
        if (clear)
            return;
        t->y -= t->h;
    }
}

/* Your ring is your dash: white and whole when a press would dash, else an orange arc that
 * fills clockwise (over a faint disc, drawn under your body) as the cooldown runs out; red for
 * a moment after a press it refused. */
static void draw_your_ring(client_t *c, ui_t *ui, float cx, float cy, float r)
{
    const game_t *g = &c->game;
    float ready = game_dash_ready(c);
    bool refused = g->not_ready_ms && c->now_ms - g->not_ready_ms < GAME_NOTE_MS;
    float rr = r + GAME_RING_GAP;
    if (ready >= 1.0f && !refused) {
        ui_ring(ui, cx, cy, rr, GAME_RING_W, YOU_RING);
        return;
    }
    ui_arc(ui, cx, cy, rr, GAME_RING_W, ready, refused ? UI_BAD : UI_ACCENT);
    if (refused) {
        /* A shake tells the press was seen and refused, not missed. */
        float dx = (float)((c->now_ms / 40) % 3) - 1.0f;
        ui_ring(ui, cx + dx * 2.0f, cy, rr + 3.0f, 2.0f, UI_BAD);
        int w = ui_text_width(ui, UI_FONT_SMALL, "not ready") + 8;
        int h = ui_line_height(ui, UI_FONT_SMALL);
        ui_fill_rect(ui, (int)cx - w / 2, (int)(cy + rr + 4.0f), w, h, TAG_BACK);
        ui_text(ui, UI_FONT_SMALL, (int)cx, (int)(cy + rr + 4.0f), UI_CENTER, UI_BAD, "not ready");
    }
}

/* Stunned: a pulsing yellow halo under a grey body (drawn by the caller), stars circling
 * above. The halo is the cached disc, far cheaper than a ring for the software renderer. */
static void draw_stun_halo(client_t *c, ui_t *ui, float cx, float cy, float r)
{
    float pulse = 0.5f + 0.5f * sinf((float)(c->now_ms % 100000u) * 0.02f);
    map_disc_fill(ui, &c->game.disc, cx, cy, r * (1.35f + 0.2f * pulse), STUN_HALO);
}

static void draw_stun(client_t *c, ui_t *ui, float cx, float cy, float r)
{
    for (int k = 0; k < GAME_STUN_STARS; k++) {
        float a = (float)(c->now_ms % 100000u) * 0.008f + (float)k * 6.2832f / GAME_STUN_STARS;
        map_disc_fill(ui, &c->game.disc, cx + cosf(a) * r * 1.1f,
                      cy - r * 1.3f + sinf(a) * r * 0.35f, r * 0.22f + 1.5f, STAR);
    }
}

static void draw_player(client_t *c, ui_t *ui, const map_fit_t *fit, int i, tag_t *tag)
{
    const game_t *g = &c->game;
    const proto_player_state_t *ps = &g->state.players[i];
    float tx, ty, vx, vy;
    player_pos(c, i, &tx, &ty, &vx, &vy);
    float cx = map_fit_x(fit, tx), cy = map_fit_y(fit, ty);
    float r = fit->tile * (float)SIM_RADIUS / SIM_ONE;
    const uint8_t *rgb = g->colors[i];
    ui_color_t body = rgb_color(rgb, 255);
    if (ps->stun)
        body = mix(body, STUN_GREY, 0.65f);

    if (ps->dash) {
        /* A glow, and ghosts of the last ticks fading behind. */
        map_disc_fill(ui, &c->game.disc, cx, cy, r * 1.7f, rgb_color(rgb, 70));
        map_disc_fill(ui, &c->game.disc, cx, cy, r * 1.35f, rgb_color(rgb, 90));
        for (int k = GAME_TRAIL_STEPS; k >= 1; k--) {
            float bx = map_fit_x(fit, tx - vx * GAME_TRAIL_SPACING * (float)k);
            float by = map_fit_y(fit, ty - vy * GAME_TRAIL_SPACING * (float)k);
            map_disc_fill(ui, &c->game.disc, bx, by, r * (1.0f - 0.12f * (float)k),
                          rgb_color(rgb, (uint8_t)(180 - 150 * k / GAME_TRAIL_STEPS)));
        }
    }
    if (ps->stun)
        draw_stun_halo(c, ui, cx, cy, r);
    else if (i == g->me && game_dash_ready(c) < 1.0f)
        /* The track the cooldown arc fills: a faint disc as wide as your ring, so you stay
         * marked while it is short (the cached disc costs a fifth of a ring). */
        map_disc_fill(ui, &c->game.disc, cx, cy, r + GAME_RING_GAP, RING_TRACK);
    map_disc_fill(ui, &c->game.disc, cx + 1.5f, cy + 2.5f, r, SHADOW);
    /* A darker rim under a slightly smaller body: two fills are cheaper than a ring. */
    map_disc_fill(ui, &c->game.disc, cx, cy, r, shade(body, 0.6f));
    map_disc_fill(ui, &c->game.disc, cx, cy, r * 0.82f, body);
    map_disc_fill(ui, &c->game.disc, cx - r * 0.3f, cy - r * 0.3f, r * 0.28f,
                  mix(body, YOU_RING, 0.45f));
    if (i == g->me)
        draw_your_ring(c, ui, cx, cy, r);
    if (ps->stun)
        draw_stun(c, ui, cx, cy, r);
    tag->h = ui_line_height(ui, UI_FONT_SMALL);
    tag->w = ui_text_width(ui, UI_FONT_SMALL, ps->username);
    tag->x = (int)cx;
    tag->y = (int)(cy - r - (float)GAME_NAME_TAG_GAP) - tag->h - (ps->stun ? 4 : 0) -
             (i == g->me ? 4 : 0);
}

/* Player i is the one this screen is about: you in a round, or the one a watcher or a
 * replay follows (its row on the board is marked the same way). */
static bool game_is_focus(const client_t *c, int i)
{
    const char *followed = game_watch_followed(c);
    return i == c->game.me ||
           (followed && strcmp(c->game.state.players[i].username, followed) == 0);
}

static void draw_tag(client_t *c, ui_t *ui, int i, const tag_t *t)
{
    const char *name = c->game.state.players[i].username;
    /* A dark backing keeps a name readable over walls, coins and other players (no drop
     * shadow is needed on it: one text copy fewer per player and frame). */
    ui_fill_rect(ui, t->x - t->w / 2 - 3, t->y + 1, t->w + 6, t->h - 1, TAG_BACK);
    ui_text(ui, UI_FONT_SMALL, t->x, t->y, UI_CENTER, game_is_focus(c, i) ? UI_ACCENT : UI_TEXT,
            name);
}

/* Everyone else, then you (or the one followed) on top; then the names above all the bodies,
 * that one's placed first. */
static void draw_players(client_t *c, ui_t *ui, const map_fit_t *fit)
{
    const game_t *g = &c->game;
    int order[PROTO_MAX_PLAYERS], n = 0, focus = -1;
    for (int i = 0; i < g->state.nplayers; i++) {
        if (focus < 0 && game_is_focus(c, i))
            focus = i;
        else
            order[n++] = i;
    }
    if (focus >= 0)
        order[n++] = focus;
    tag_t tags[PROTO_MAX_PLAYERS];
    for (int k = 0; k < n; k++)
        draw_player(c, ui, fit, order[k], &tags[k]);
    tag_t placed[PROTO_MAX_PLAYERS];
    for (int k = n - 1; k >= 0; k--) {
        place_tag(&tags[k], placed, n - 1 - k);
        placed[n - 1 - k] = tags[k];
        draw_tag(c, ui, order[k], &tags[k]);
    }
}

/* The HUD's dash meter: filling while the cooldown runs, green "Dash ready" when full; red
 * "Not ready" after a refused press; "Stunned" while you cannot move. */
static void draw_dash_bar(client_t *c, ui_t *ui, int x, int y)
{
    const game_t *g = &c->game;
    float ready = game_dash_ready(c);
    bool refused = g->not_ready_ms && c->now_ms - g->not_ready_ms < GAME_NOTE_MS;
    bool stunned = g->state.players[g->me].stun;
    const int w = GAME_DASH_BAR_W, h = GAME_DASH_BAR_H;
    ui_fill_rect(ui, x, y, w, h, UI_BG);
    ui_color_t fill = ready >= 1.0f ? UI_GOOD : refused ? UI_BAD : UI_ACCENT;
    ui_fill_rect(ui, x, y, (int)((float)w * ready), h, shade(fill, ready >= 1.0f ? 0.55f : 0.45f));
    ui_frame_rect(ui, x, y, w, h, 2, stunned ? STAR : fill);
    const char *label = stunned         ? "Stunned!"
                        : refused       ? "Not ready"
                        : ready >= 1.0f ? "Dash ready"
                                        : "Dash";
    int ty = y + (h - ui_line_height(ui, UI_FONT_SMALL)) / 2;
    ui_text(ui, UI_FONT_SMALL, x + w / 2, ty, UI_CENTER, UI_TEXT, label);
}

static void draw_hud(client_t *c, ui_t *ui)
{
    const game_t *g = &c->game;
    int vw = ui_view_w(ui);
    char buf[96];
    int ty = (GAME_HUD_H - ui_line_height(ui, UI_FONT_LARGE)) / 2;
    if (g->have_state && g->me >= 0) {
        int score = g->state.players[g->me].score;
        snprintf(buf, sizeof buf, "You: %d point%s", score, score == 1 ? "" : "s");
        ui_text(ui, UI_FONT_LARGE, GAME_MARGIN + 4, ty, UI_LEFT, UI_ACCENT, buf);
    } else if (g->watching) {
        const char *who = game_watch_followed(c);
        snprintf(buf, sizeof buf, "Watching: %s", who ? who : "whole map");
        ui_text(ui, UI_FONT_LARGE, GAME_MARGIN + 4, ty, UI_LEFT, UI_ACCENT, buf);
    } else {
        ui_text(ui, UI_FONT_LARGE, GAME_MARGIN + 4, ty, UI_LEFT, g->replay ? UI_ACCENT : UI_DIM,
                g->replay       ? "Replay"
                : g->have_state ? "Watching"
                                : "Get ready");
    }
    int32_t left = game_time_left_ms(c);
    int secs = (int)((left + 999) / 1000);
    snprintf(buf, sizeof buf, "%d:%02d", secs / 60, secs % 60);
    if (left > 0 && left <= GAME_TIME_WARNING_MS) {
        /* The last seconds beat: a red block behind the clock, brightest as each one starts. */
        int cw = ui_text_width(ui, UI_FONT_LARGE, buf) + 24;
        uint8_t a = (uint8_t)(60 + 150 * (left % 1000) / 1000);
        ui_fill_rect(ui, vw / 2 - cw / 2, 4, cw, GAME_HUD_H - 10, (ui_color_t){200, 40, 40, a});
    }
    ui_text(ui, UI_FONT_LARGE, vw / 2, ty, UI_CENTER,
            left <= GAME_TIME_WARNING_MS ? UI_BAD : UI_TEXT, buf);
    int ny = (GAME_HUD_H - ui_line_height(ui, UI_FONT_NORMAL)) / 2;
    if (g->watchers > 0)
        snprintf(buf, sizeof buf, "%d watching  ·  %s", g->watchers, g->world.name);
    else
        snprintf(buf, sizeof buf, "%s", g->world.name);
    ui_text(ui, UI_FONT_NORMAL, vw - GAME_MARGIN - 4, ny, UI_RIGHT, UI_DIM, buf);
    if (g->have_state && g->me >= 0)
        draw_dash_bar(c, ui, vw / 2 + GAME_DASH_BAR_X, (GAME_HUD_H - GAME_DASH_BAR_H) / 2);
}

static int board_rows(const client_t *c)
{
    return c->game.have_state && c->game.state.nplayers > 0 ? c->game.state.nplayers : 1;
}

/* The board's panel, heading and help: drawn into the background layer. */
static void draw_board_frame(client_t *c, ui_t *ui)
{
    int x = ui_view_w(ui) - GAME_BOARD_W - GAME_MARGIN, y = GAME_HUD_H + GAME_MARGIN;
    int h = 44 + board_rows(c) * GAME_BOARD_ROW_H + 8;
    ui_fill_rect(ui, x, y, GAME_BOARD_W, h, UI_PANEL);
    ui_text(ui, UI_FONT_NORMAL, x + 12, y + 10, UI_LEFT, UI_TEXT, "Scores");
    ui_text_wrapped(ui, UI_FONT_SMALL, x + 4, y + h + 12, GAME_BOARD_W - 8, UI_LEFT, UI_DIM,
                    c->game.replay     ? GAME_REPLAY_KEYS
                    : c->game.watching ? "Left/Right, 1-8 or a click on a name follows a player; 0 "
                                         "or Space shows the whole map. T chats with the lobby, "
                                         "Esc goes back to it (your place in the queue is kept)."
                    : session_i_am_host(&c->session) ? GAME_KEYS " K kicks a player (you host)."
                                                     : GAME_KEYS,
                    true);
}

static void draw_board(client_t *c, ui_t *ui)
{
    const game_t *g = &c->game;
    int order[PROTO_MAX_PLAYERS];
    int n = game_ranking(c, order);
    int x = ui_view_w(ui) - GAME_BOARD_W - GAME_MARGIN, y = GAME_HUD_H + GAME_MARGIN;
    int lh = ui_line_height(ui, UI_FONT_SMALL);
    /* Muted stays marked; a fresh press of M shows for a moment either way. */
    bool fresh = g->mute_ms && c->now_ms - g->mute_ms < GAME_NOTE_MS;
    if (c->settings.muted || fresh)
        ui_text(ui, UI_FONT_SMALL, x + GAME_BOARD_W - 12, y + 14, UI_RIGHT,
                c->settings.muted ? UI_BAD : UI_GOOD, c->settings.muted ? "sound off" : "sound on");
    int ry = y + 44, rank = 0;
    char buf[32];
    for (int k = 0; k < n; k++) {
        const proto_player_state_t *ps = &g->state.players[order[k]];
        if (k == 0 || ps->score != g->state.players[order[k - 1]].score)
            rank = k + 1;
        bool mine = game_is_focus(c, order[k]);
        if (mine)
            ui_fill_rect(ui, x + 4, ry - 2, GAME_BOARD_W - 8, GAME_BOARD_ROW_H - 2, UI_FOCUS);
        int ty = ry + (GAME_BOARD_ROW_H - 2 - lh) / 2 - 1;
        snprintf(buf, sizeof buf, "%d", rank);
        ui_text(ui, UI_FONT_SMALL, x + 22, ty, UI_RIGHT, UI_DIM, buf);
        const uint8_t *rgb = g->colors[order[k]];
        map_disc_fill(ui, &c->game.disc, (float)x + 36.0f,
                      (float)ry + (GAME_BOARD_ROW_H - 2) / 2.0f - 1.0f, 6.0f, rgb_color(rgb, 255));
        ui_text(ui, UI_FONT_SMALL, x + 48, ty, UI_LEFT, mine ? UI_ACCENT : UI_TEXT, ps->username);
        snprintf(buf, sizeof buf, "%d", ps->score);
        ui_text(ui, UI_FONT_SMALL, x + GAME_BOARD_W - 12, ty, UI_RIGHT, mine ? UI_ACCENT : UI_TEXT,
                buf);
        ry += GAME_BOARD_ROW_H;
    }
}

typedef struct background {
    client_t *c;
    map_fit_t fit;
} background_t;

/* Everything that stays put during a round: the map, the HUD bar, the board's frame. */
static void draw_background(ui_t *ui, void *ctx)
{
    background_t *bg = ctx;
    const game_t *g = &bg->c->game;
    int vw = ui_view_w(ui);
    draw_map(ui, (const char(*)[WORLD_MAX_SIZE + 1]) g->world.tiles, &bg->fit, false);
    ui_fill_rect(ui, 0, 0, vw, GAME_HUD_H, UI_PANEL);
    ui_fill_rect(ui, 0, GAME_HUD_H - 2, vw, 2, UI_FOCUS);
    draw_board_frame(bg->c, ui);
}

/* The followed player's zoomed view into *fit: false for the whole map. A replay's playback
 * marks whom it follows on the whole map instead (scene_playback.c). */
static bool watch_fit(client_t *c, map_fit_t whole, map_fit_t *fit)
{
    const char *name = game_watch_followed(c);
    if (!name || !c->game.have_state || !c->game.watching)
        return false;
    for (int i = 0; i < c->game.state.nplayers; i++) {
        if (strcmp(c->game.state.players[i].username, name) != 0)
            continue;
        float x, y, vx, vy;
        player_pos(c, i, &x, &y, &vx, &vy);
        *fit = game_watch_fit(whole, x, y);
        return true;
    }
    return false;
}

static void draw_center_notice(ui_t *ui, const char *title, const char *text)
{
    int vw = ui_view_w(ui), vh = ui_view_h(ui);
    int w = vw * 2 / 3;
    int th =
        text ? ui_text_wrapped(ui, UI_FONT_NORMAL, 0, 0, w - 48, UI_CENTER, UI_TEXT, text, false)
             : 0;
    int h = 72 + th + (text ? 16 : 0);
    int x = (vw - w) / 2, y = (vh - h) / 2;
    ui_fill_rect(ui, x, y, w, h, OVERLAY);
    ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    ui_text(ui, UI_FONT_LARGE, vw / 2, y + 20, UI_CENTER, UI_ACCENT, title);
    if (text)
        ui_text_wrapped(ui, UI_FONT_NORMAL, vw / 2, y + 64, w - 48, UI_CENTER, UI_TEXT, text, true);
}

/* Tab: the whole evening's board over the round. */
static void draw_evening(client_t *c, ui_t *ui)
{
    int vw = ui_view_w(ui), vh = ui_view_h(ui);
    int n = c->session.have_evening && c->session.evening.nrows > 0 ? c->session.evening.nrows : 1;
    int w = GAME_EVENING_W, h = BOARD_HEAD + n * BOARD_ROW_H + 56;
    if (h > vh - GAME_HUD_H - 2 * GAME_MARGIN)
        h = vh - GAME_HUD_H - 2 * GAME_MARGIN;
    int x = (vw - w) / 2, y = GAME_HUD_H + GAME_MARGIN;
    ui_fill_rect(ui, x, y, w, h, OVERLAY);
    ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    int rows = (h - BOARD_HEAD - 56) / BOARD_ROW_H;
    board_draw_evening(c, ui, x + 16, y + 12, w - 32, rows);
    ui_text(ui, UI_FONT_SMALL, vw / 2, y + h - 26, UI_CENTER, UI_DIM, "Tab closes");
}

/* The server's word that this round is its last, under the HUD until the round ends. */
static void draw_closing_banner(client_t *c, ui_t *ui)
{
    /* Over the map's top edge, clear of the scoreboard on the right. */
    int w = ui_view_w(ui) - GAME_BOARD_W - GAME_MARGIN, h = 44;
    ui_fill_rect(ui, 0, GAME_HUD_H, w, h, OVERLAY);
    ui_fill_rect(ui, 0, GAME_HUD_H + h - 3, w, 3, UI_BAD);
    ui_text(ui, UI_FONT_NORMAL, w / 2, GAME_HUD_H + 10, UI_CENTER, UI_TEXT, c->session.closing);
}

/* "+1" rising a tile above where a score went up, "-1" sinking below where one went down: a
 * steal puts both on nearly the same spot, and they must not cover each other. */
static void draw_floats(client_t *c, ui_t *ui, const map_fit_t *fit)
{
    game_float_t f[GAME_MAX_FLOATS];
    int n = game_floats(c, f);
    int lh = ui_line_height(ui, UI_FONT_LARGE);
    for (int i = 0; i < n; i++) {
        float t = (float)(c->now_ms - f[i].born_ms) / GAME_FLOAT_MS;
        float x = map_fit_x(fit, (float)f[i].x / SIM_ONE);
        float rise = f[i].delta > 0 ? -0.6f - t : 0.6f + t;
        float y = map_fit_y(fit, (float)f[i].y / SIM_ONE + rise);
        char buf[16];
        snprintf(buf, sizeof buf, "%+d", f[i].delta);
        ui_color_t col = f[i].delta > 0 ? UI_GOOD : UI_BAD;
        ui_text(ui, UI_FONT_LARGE, (int)x, (int)y - lh / 2, UI_CENTER, col, buf);
    }
}

/* The last ten seconds: a red frame round the map that flashes with each second. */
static void draw_last_seconds(client_t *c, ui_t *ui, const map_fit_t *fit)
{
    int32_t left = game_time_left_ms(c);
    if (left <= 0 || left > GAME_TIME_WARNING_MS || game_countdown_ms(c) > 0)
        return;
    uint8_t a = (uint8_t)(70 + 185 * (left % 1000) / 1000);
    int x = (int)fit->x - 6, y = (int)fit->y - 6;
    int w = (int)(fit->tile * (float)fit->map_w) + 12,
        h = (int)(fit->tile * (float)fit->map_h) + 12;
    ui_frame_rect(ui, x, y, w, h, 5, (ui_color_t){230, 50, 50, a});
}

/* 3, 2, 1 over the map's centre while the spawns show, then GO! for a moment. */
static void draw_countdown(client_t *c, ui_t *ui, const map_fit_t *fit)
{
    const game_t *g = &c->game;
    int32_t left = game_countdown_ms(c);
    if (g->go_ms == g->start_ms || (left == 0 && c->now_ms - g->go_ms >= GAME_GO_SHOW_MS))
        return;
    char buf[16];
    if (left > 0)
        snprintf(buf, sizeof buf, "%d", (int)((left + 999) / 1000));
    else
        snprintf(buf, sizeof buf, "GO!");
    int cx = (int)(fit->x + fit->tile * (float)fit->map_w / 2.0f);
    int cy = (int)(fit->y + fit->tile * (float)fit->map_h / 2.0f);
    int th = ui_line_height(ui, UI_FONT_TITLE);
    int w = ui_text_width(ui, UI_FONT_TITLE, "GO!") + 48;
    ui_fill_rect(ui, cx - w / 2, cy - th / 2 - 12, w, th + 24, OVERLAY);
    ui_frame_rect(ui, cx - w / 2, cy - th / 2 - 12, w, th + 24, 2, left > 0 ? UI_ACCENT : UI_GOOD);
    ui_text(ui, UI_FONT_TITLE, cx, cy - th / 2, UI_CENTER, left > 0 ? UI_ACCENT : UI_GOOD, buf);
    if (left > 0) {
        const char *hint = "Find your ring: the round starts on GO";
        int hw = ui_text_width(ui, UI_FONT_NORMAL, hint) + 24;
        int hh = ui_line_height(ui, UI_FONT_NORMAL) + 8;
        ui_fill_rect(ui, cx - hw / 2, cy + th / 2 + 20, hw, hh, OVERLAY);
        ui_text(ui, UI_FONT_NORMAL, cx, cy + th / 2 + 24, UI_CENTER, UI_TEXT, hint);
    }
}

static void game_draw(client_t *c, ui_t *ui)
{
    game_t *g = &c->game;
    uint64_t t0 = SDL_GetPerformanceCounter();
    if (g->bad_world) {
        draw_center_notice(ui, "Cannot show this round", g->notice);
        ui_text(ui, UI_FONT_SMALL, ui_view_w(ui) / 2, ui_view_h(ui) - 30, UI_CENTER, UI_DIM,
                "Wait for the round to end, or press Esc to leave the server");
        return;
    }
    if (!g->started)
        return;
    background_t bg = {c, game_map_fit(c, ui_view_w(ui), ui_view_h(ui))};
    unsigned long key =
        (unsigned long)g->world_version * (PROTO_MAX_PLAYERS + 1) + (unsigned long)board_rows(c);
    if (!map_layer_draw(ui, &g->map_layer, key, draw_background, &bg))
        draw_background(ui, &bg);
    map_fit_t fit = bg.fit;
    /* A watcher following a player: the map larger around it, inside the map's own area. */
    bool zoomed = watch_fit(c, bg.fit, &fit);
    if (zoomed) {
        ui_clip(ui, (int)bg.fit.x, (int)bg.fit.y, (int)(bg.fit.tile * (float)bg.fit.map_w),
                (int)(bg.fit.tile * (float)bg.fit.map_h));
        draw_map(ui, (const char(*)[WORLD_MAX_SIZE + 1]) g->world.tiles, &fit, false);
    }
    if (g->have_state) {
        for (int i = 0; i < g->state.ncoins; i++)
            draw_map_coin(ui, &g->disc, &fit, (float)g->state.coins[i].x + 0.5f,
                          (float)g->state.coins[i].y + 0.5f, c->now_ms);
        draw_players(c, ui, &fit);
        draw_floats(c, ui, &fit);
        draw_last_seconds(c, ui, &fit);
    }
    if (zoomed)
        ui_clip_off(ui);
    draw_hud(c, ui);
    draw_board(c, ui);
    int vw = ui_view_w(ui);
    int cw = vw - GAME_BOARD_W - 3 * GAME_MARGIN;
    chatbox_draw(c, ui, GAME_MARGIN, ui_view_h(ui) - GAME_MARGIN,
                 cw < GAME_CHAT_MAX_W ? cw : GAME_CHAT_MAX_W, CHATBOX_LINES, true, "T: chat");
    if (g->show_board && !g->confirm_leave)
        draw_evening(c, ui);
    if (c->session.closing[0])
        draw_closing_banner(c, ui);
    if (g->confirm_leave)
        draw_center_notice(ui, "Leave this round?",
                           "Enter leaves the server and goes back to the menu. Esc returns to "
                           "the game.");
    else if (g->replay)
        ; /* the playback draws its own end */
    else if (!g->have_state)
        draw_center_notice(ui, "Get ready!", NULL);
    else if (game_time_left_ms(c) <= 0)
        draw_center_notice(ui, "Time!", "Waiting for the results...");
    else
        draw_countdown(c, ui, &fit);
    kick_dialog_draw(c, ui); /* over it all; the round goes on under it */
    if (c->debug_overlay) {
        char buf[128];
        int x = ui_view_w(ui) - GAME_BOARD_W - GAME_MARGIN + 4, y = ui_view_h(ui) - 44;
        /* Tenths: a string that changes every frame would fill the text cache. */
        snprintf(buf, sizeof buf, "draw %.1f ms", (double)g->last_frame_ms);
        ui_text(ui, UI_FONT_SMALL, x, y, UI_LEFT, UI_DIM, buf);
        snprintf(buf, sizeof buf, "unacked %d, fixes %d/%d", predict_pending(&g->predict),
                 g->predict.corrections, g->predict.snaps);
        ui_text(ui, UI_FONT_SMALL, x, y + 18, UI_LEFT, UI_DIM, buf);
    }
    g->last_frame_ms = (float)((double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                               (double)SDL_GetPerformanceFrequency());
}

const scene_t scene_game = {
    .name = "game",
    .enter = game_enter,
    .leave = game_leave,
    .input = game_input,
    .message = game_message,
    .update = game_update,
    .ready = game_ready,
    .draw = game_draw,
};
