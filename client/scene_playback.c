/* scene_playback.c -- a replay played back ("replay"): common/replay re-simulates the round tick
 * by tick at 0.5x..4x, seeking re-simulates from the start (a 90 s round takes milliseconds),
 * the round's own drawing (scene_game's, draw_map.c) shows each tick, a bar below holds the
 * controls, the results close it; logic on client.h and common/replay, drawing on ui.h */
#include "scene_playback.h"

#include <stdio.h>
#include <string.h>

#include "scene_common.h"
#include "scene_game.h"
#include "widgets.h"

static const int playback_halves[PLAYBACK_SPEEDS] = {1, 2, 4, 8}; /* 0.5x, 1x, 2x, 4x */
static const char *const playback_speed_names[PLAYBACK_SPEEDS] = {"0.5x", "1x", "2x", "4x"};
static const ui_color_t PLAYBACK_SHADE = {10, 12, 18, 215};

/* ---- logic ---- */

static uint32_t playback_tick_ms(uint32_t tick)
{
    return (uint32_t)((uint64_t)tick * 1000u / SIM_TICK_RATE);
}

uint32_t playback_ms(const client_t *c)
{
    const playback_t *p = &c->playback;
    return p->loaded ? playback_tick_ms(p->play.game.tick) : 0;
}

uint32_t playback_length_ms(const client_t *c)
{
    const playback_t *p = &c->playback;
    return p->loaded ? playback_tick_ms(p->r.ticks) : 0;
}

double playback_speed(const client_t *c)
{
    return playback_halves[c->playback.speed] / 2.0;
}

static void playback_step(playback_t *p)
{
    if (replay_play_step(&p->play) == 0 || p->play.game.tick >= p->r.ticks)
        p->ended = true;
    if (p->play.first_diff)
        p->differs = true;
}

void playback_seek(client_t *c, uint32_t ms)
{
    playback_t *p = &c->playback;
    if (!p->loaded)
        return;
    uint64_t target = (uint64_t)ms * SIM_TICK_RATE / 1000u;
    if (target > p->r.ticks)
        target = p->r.ticks;
    if (target < p->play.game.tick || !p->play.r) {
        replay_play_start(&p->play, &p->r);
        p->ended = false;
    }
    while (p->play.game.tick < target && !p->ended)
        playback_step(p);
    p->ended = p->play.game.tick >= p->r.ticks;
    p->carry_ms = 0.0;
}

static void playback_reset(playback_t *p)
{
    if (p->loaded)
        replay_free(&p->r);
    memset(p, 0, sizeof *p);
    p->follow = -1;
    p->speed = 1;
}

void playback_open(client_t *c, const char *path, scene_id_t back)
{
    playback_t *p = &c->playback;
    playback_reset(p);
    p->back = back;
    client_fmt(p->path, sizeof p->path, "%s", path);
    if (replay_load_file(&p->r, path, p->error, sizeof p->error) == 0) {
        p->loaded = true;
        replays_describe(&p->r, &p->about);
        replay_play_start(&p->play, &p->r);
    }
    if (c->scene == SCENE_PLAYBACK)
        c->playback.new_world = true;
    else
        client_goto(c, SCENE_PLAYBACK);
}

static void playback_enter(client_t *c)
{
    c->playback.last_ms = c->now_ms;
    c->playback.new_world = true;
}

static void playback_leave(client_t *c)
{
    if (c->scenes[SCENE_GAME]->leave)
        c->scenes[SCENE_GAME]->leave(c); /* the round's textures */
    playback_reset(&c->playback);
}

/* The simulation at the shown tick, as the round's drawing reads it: a "state". */
static void playback_show(client_t *c)
{
    playback_t *p = &c->playback;
    char names[SIM_MAX_PLAYERS][PROTO_USERNAME_SIZE];
    game_player_t players[SIM_MAX_PLAYERS];
    _Static_assert(sizeof players[0].name == sizeof names[0], "one name size");
    int n = p->r.info.nplayers;
    for (int i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "%s", p->r.info.players[i].name);
        memcpy(players[i].name, names[i], sizeof players[i].name);
        memcpy(players[i].color, p->r.info.players[i].rgb, 3);
    }
    msg_state_t st;
    proto_state_from_sim(&st, &p->play.game, (const char(*)[PROTO_USERNAME_SIZE])names);
    /* The one followed is marked as you are in a round: its row on the board, its name tag. */
    game_show(c, p->new_world, &p->r.world, players, n, &st,
              p->follow >= 0 && p->follow < n ? names[p->follow] : NULL);
    p->new_world = false;
}

static void playback_advance(client_t *c, uint32_t dt);

static void playback_update(client_t *c)
{
    playback_t *p = &c->playback;
    uint32_t dt = c->now_ms - p->last_ms;
    p->last_ms = c->now_ms;
    if (!p->loaded)
        return;
    if (!p->paused && !p->ended)
        playback_advance(c, dt);
    playback_show(c); /* after the keys' seeks too: they come before the update */
}

/* Steps the round time dt ms of the frame make at the speed chosen. */
static void playback_advance(client_t *c, uint32_t dt)
{
    playback_t *p = &c->playback;
    p->carry_ms += (double)dt * playback_speed(c);
    const double tick = 1000.0 / SIM_TICK_RATE;
    int n = 0;
    while (p->carry_ms >= tick && !p->ended && n < PLAYBACK_MAX_CATCHUP) {
        playback_step(p);
        p->carry_ms -= tick;
        n++;
    }
    if (n == PLAYBACK_MAX_CATCHUP || p->ended)
        p->carry_ms = 0.0; /* after a stall, on from here rather than racing */
}

static void playback_follow(playback_t *p, int slot)
{
    p->follow = slot >= 0 && slot < p->r.info.nplayers ? slot : -1;
}

static void playback_toggle(client_t *c)
{
    playback_t *p = &c->playback;
    if (p->ended) { /* from the results: again from the start */
        playback_seek(c, 0);
        p->paused = false;
        return;
    }
    p->paused = !p->paused;
}

static void playback_seek_by(client_t *c, int delta_ms)
{
    int64_t ms = (int64_t)playback_ms(c) + delta_ms;
    playback_seek(c, ms < 0 ? 0 : (uint32_t)ms);
}

void playback_layout(const client_t *c, playback_layout_t *l)
{
    int vw = c->view_w, vh = c->view_h;
    l->bar_y = vh - PLAYBACK_BAR_H;
    l->button_y = l->bar_y + (PLAYBACK_BAR_H - PLAYBACK_BUTTON_H) / 2;
    int x = GAME_MARGIN;
    l->play_x = x;
    x += PLAYBACK_PLAY_W + 8;
    for (int i = 0; i < PLAYBACK_SPEEDS; i++, x += PLAYBACK_BUTTON_W + 4)
        l->speed_x[i] = x;
    l->follow_w = 220;
    l->follow_x = vw - GAME_MARGIN - l->follow_w;
    l->line_x = x + 110; /* after the clock */
    l->line_w = l->follow_x - 16 - l->line_x;
    l->line_y = l->bar_y + (PLAYBACK_BAR_H - PLAYBACK_TIMELINE_H) / 2;
}

static bool playback_in_button(const input_event_t *ev, int x, int y, int w)
{
    return widget_hit(ev->x, ev->y, x, y, w, PLAYBACK_BUTTON_H);
}

static void playback_click(client_t *c, const input_event_t *ev)
{
    playback_t *p = &c->playback;
    playback_layout_t l;
    playback_layout(c, &l);
    if (playback_in_button(ev, l.play_x, l.button_y, PLAYBACK_PLAY_W)) {
        playback_toggle(c);
        return;
    }
    for (int i = 0; i < PLAYBACK_SPEEDS; i++)
        if (playback_in_button(ev, l.speed_x[i], l.button_y, PLAYBACK_BUTTON_W))
            p->speed = i;
    if (playback_in_button(ev, l.follow_x, l.button_y, l.follow_w))
        playback_follow(p, p->follow + 1);
    if (l.line_w > 0 && widget_hit(ev->x, ev->y, l.line_x, l.bar_y, l.line_w, PLAYBACK_BAR_H)) {
        double f = (double)(ev->x - l.line_x) / (double)l.line_w;
        playback_seek(c, (uint32_t)(f * (double)playback_length_ms(c)));
    }
}

/* Keys: Enter or Space pause (at the end: again), Left/Right seek 5 s, Up/Down the speed, Tab
 * or F the next player to follow, 1..8 one of them, 0 the whole map, Home the start, Esc back. */
static void playback_input(client_t *c, const input_event_t *ev)
{
    playback_t *p = &c->playback;
    if (ev->kind == IN_BACK) {
        client_goto(c, (scene_id_t)p->back);
        return;
    }
    if (!p->loaded)
        return;
    const char *t = ev->kind == IN_TEXT ? ev->text : "";
    if (ev->kind == IN_CONFIRM || strcmp(t, " ") == 0)
        playback_toggle(c);
    else if (ev->kind == IN_LEFT)
        playback_seek_by(c, -PLAYBACK_SEEK_STEP_MS);
    else if (ev->kind == IN_RIGHT)
        playback_seek_by(c, PLAYBACK_SEEK_STEP_MS);
    else if (ev->kind == IN_UP && p->speed < PLAYBACK_SPEEDS - 1)
        p->speed++;
    else if (ev->kind == IN_DOWN && p->speed > 0)
        p->speed--;
    else if (ev->kind == IN_TAB || strcmp(t, "f") == 0 || strcmp(t, "F") == 0)
        playback_follow(p, p->follow + 1);
    else if (t[0] >= '0' && t[0] <= '8' && t[1] == '\0')
        playback_follow(p, t[0] - '1');
    else if (strcmp(t, "h") == 0 || strcmp(t, "H") == 0)
        playback_seek(c, 0);
    else if (ev->kind == IN_CLICK)
        playback_click(c, ev);
}

static bool playback_ready(const client_t *c)
{
    return !c->playback.loaded || c->game.started;
}

/* ---- drawing ---- */

static void playback_draw_follow(client_t *c, ui_t *ui)
{
    const playback_t *p = &c->playback;
    if (p->follow < 0 || !p->play.game.players[p->follow].active)
        return;
    const sim_player_t *pl = &p->play.game.players[p->follow];
    map_fit_t fit = game_map_fit(c, ui_view_w(ui), ui_view_h(ui));
    float cx = map_fit_x(&fit, (float)pl->x / SIM_ONE),
          cy = map_fit_y(&fit, (float)pl->y / SIM_ONE);
    ui_ring(ui, cx, cy, fit.tile * 0.9f, 3.0f, UI_ACCENT);
}

static void playback_draw_results(client_t *c, ui_t *ui)
{
    const playback_t *p = &c->playback;
    sim_result_t res[SIM_MAX_PLAYERS];
    int n = sim_results(&p->play.game, res);
    int w = 420, row = 34, h = 110 + n * row, vw = ui_view_w(ui);
    int x = (vw - GAME_BOARD_W - w) / 2, y = GAME_HUD_H + 30;
    ui_fill_rect(ui, x, y, w, h, PLAYBACK_SHADE);
    ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    ui_text(ui, UI_FONT_LARGE, x + w / 2, y + 12, UI_CENTER, UI_TEXT, "Round over");
    char buf[160];
    if (n > 0)
        snprintf(buf, sizeof buf, "%s wins with %d", p->r.info.players[res[0].player].name,
                 res[0].score);
    else
        snprintf(buf, sizeof buf, "Nobody finished the round");
    ui_text(ui, UI_FONT_NORMAL, x + w / 2, y + 52, UI_CENTER, UI_ACCENT, buf);
    for (int i = 0; i < n; i++) {
        int ry = y + 90 + i * row;
        const replay_player_t *pl = &p->r.info.players[res[i].player];
        snprintf(buf, sizeof buf, "%d.", res[i].rank);
        ui_text(ui, UI_FONT_NORMAL, x + 40, ry, UI_RIGHT, UI_DIM, buf);
        ui_fill_circle(ui, (float)x + 60.0f, (float)ry + 11.0f, 7.0f,
                       (ui_color_t){pl->rgb[0], pl->rgb[1], pl->rgb[2], 255});
        ui_text(ui, UI_FONT_NORMAL, x + 76, ry, UI_LEFT, UI_TEXT, pl->name);
        snprintf(buf, sizeof buf, "%d", res[i].score);
        ui_text(ui, UI_FONT_NORMAL, x + w - 30, ry, UI_RIGHT, UI_TEXT, buf);
    }
}

static void playback_draw_bar(client_t *c, ui_t *ui)
{
    const playback_t *p = &c->playback;
    playback_layout_t l;
    playback_layout(c, &l);
    ui_fill_rect(ui, 0, l.bar_y, ui_view_w(ui), PLAYBACK_BAR_H, PLAYBACK_SHADE);
    const char *play = p->ended ? "Again" : p->paused ? "Play" : "Pause";
    ui_button(ui, l.play_x, l.button_y, PLAYBACK_PLAY_W, PLAYBACK_BUTTON_H, play, true, true);
    for (int i = 0; i < PLAYBACK_SPEEDS; i++)
        ui_button(ui, l.speed_x[i], l.button_y, PLAYBACK_BUTTON_W, PLAYBACK_BUTTON_H,
                  playback_speed_names[i], i == p->speed, true);
    char buf[160];
    uint32_t now = playback_ms(c) / 1000, len = playback_length_ms(c) / 1000;
    snprintf(buf, sizeof buf, "%u:%02u / %u:%02u", now / 60, now % 60, len / 60, len % 60);
    int ty = l.bar_y + (PLAYBACK_BAR_H - ui_line_height(ui, UI_FONT_SMALL)) / 2;
    ui_text(ui, UI_FONT_SMALL, l.line_x - 8, ty, UI_RIGHT, UI_TEXT, buf);
    if (l.line_w > 0) {
        ui_fill_rect(ui, l.line_x, l.line_y, l.line_w, PLAYBACK_TIMELINE_H, UI_PANEL);
        int done = len ? (int)((uint64_t)l.line_w * playback_ms(c) / playback_length_ms(c)) : 0;
        ui_fill_rect(ui, l.line_x, l.line_y, done, PLAYBACK_TIMELINE_H, UI_ACCENT);
    }
    if (p->follow >= 0) {
        const sim_player_t *pl = &p->play.game.players[p->follow];
        snprintf(buf, sizeof buf, "Follow: %s (%d)", p->r.info.players[p->follow].name, pl->score);
    } else {
        snprintf(buf, sizeof buf, "Follow: whole map");
    }
    ui_button(ui, l.follow_x, l.button_y, l.follow_w, PLAYBACK_BUTTON_H, buf, p->follow >= 0, true);
}

static void playback_draw(client_t *c, ui_t *ui)
{
    playback_t *p = &c->playback;
    if (!p->loaded) {
        scene_draw_heading(c, ui, "Cannot play this replay", NULL);
        scene_draw_message(ui, ui_view_w(ui) / 2, 160, 720, p->error, UI_BAD);
        scene_draw_hint(c, ui, "Esc back");
        return;
    }
    if (p->new_world)
        playback_show(c); /* drawn before its first update */
    c->scenes[SCENE_GAME]->draw(c, ui);
    playback_draw_follow(c, ui);
    if (p->ended)
        playback_draw_results(c, ui);
    if (p->differs)
        ui_text(ui, UI_FONT_SMALL, ui_view_w(ui) / 2, GAME_HUD_H + 4, UI_CENTER, UI_BAD,
                "This replay differs from its recording: other rules?");
    playback_draw_bar(c, ui);
}

const scene_t scene_playback = {
    .name = "replay",
    .enter = playback_enter,
    .leave = playback_leave,
    .input = playback_input,
    .update = playback_update,
    .ready = playback_ready,
    .draw = playback_draw,
};
