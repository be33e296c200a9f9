/* test_scene_draw.c -- the vote, game, end and replay scenes drawn by SDL's software renderer
 * into a surface (no window): they draw at both window sizes, and things land where the logic
 * says */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "assets.h"
#include "chatbox.h"
#include "draw_map.h"
#include "game_fake.h"
#include "replay.h"
#include "scene_playback.h"
#include "ui_sdl.h"

static const char *const ROOM[] = {
    "################", "#S............S#", "#..c........c..#", "#.....####.....#",
    "#.....####.....#", "#..c........c..#", "#S............S#", "################",
};
#define ROOM_ROWS 8

typedef struct canvas {
    SDL_Surface *surf;
    SDL_Renderer *r;
    ui_t *ui;
} canvas_t;

static void canvas_open(canvas_t *cv, int w, int h)
{
    char assets[512], fonts[600], err[256];
    assert_int_equal(assets_find(assets, sizeof assets), 0);
    snprintf(fonts, sizeof fonts, "%s/fonts", assets);
    cv->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(cv->surf);
    cv->r = SDL_CreateSoftwareRenderer(cv->surf);
    assert_non_null(cv->r);
    cv->ui = ui_create(cv->r, NULL, fonts, err, sizeof err);
    assert_non_null(cv->ui);
}

static void canvas_close(canvas_t *cv)
{
    ui_destroy(cv->ui);
    SDL_DestroyRenderer(cv->r);
    SDL_FreeSurface(cv->surf);
}

static void frame(client_t *c, canvas_t *cv)
{
    ui_begin_frame(cv->ui);
    c->view_w = ui_view_w(cv->ui);
    c->view_h = ui_view_h(cv->ui);
    client_scene(c)->draw(c, cv->ui);
    SDL_RenderPresent(cv->r);
}

/* The pixel under logical point (x, y). */
static uint32_t pixel_at(canvas_t *cv, float x, float y)
{
    float s = ui_scale(cv->ui);
    float off_x = ((float)cv->surf->w - (float)ui_view_w(cv->ui) * s) / 2.0f;
    float off_y = ((float)cv->surf->h - (float)ui_view_h(cv->ui) * s) / 2.0f;
    int px = (int)(off_x + x * s), py = (int)(off_y + y * s);
    assert_true(px >= 0 && px < cv->surf->w && py >= 0 && py < cv->surf->h);
    const uint8_t *row = (const uint8_t *)cv->surf->pixels + (size_t)py * (size_t)cv->surf->pitch;
    uint32_t v;
    memcpy(&v, row + (size_t)px * 4, 4);
    return v & 0xffffffu; /* RGB */
}

static int distinct_colours(canvas_t *cv)
{
    static uint32_t seen[256];
    int n = 0;
    for (int y = 0; y < cv->surf->h; y += 7) {
        const uint8_t *row =
            (const uint8_t *)cv->surf->pixels + (size_t)y * (size_t)cv->surf->pitch;
        for (int x = 0; x < cv->surf->w && n < 256; x += 7) {
            uint32_t v;
            memcpy(&v, row + (size_t)x * 4, 4);
            bool known = false;
            for (int i = 0; i < n && !known; i++)
                known = seen[i] == v;
            if (!known)
                seen[n++] = v;
        }
    }
    return n;
}

static void draw_all_scenes(int w, int h)
{
    canvas_t cv;
    canvas_open(&cv, w, h);
    client_t *c = fake_client("alice");

    /* The vote, with previews. */
    msg_t *m = fake_select_world(3, 15);
    for (int i = 0; i < 3; i++) {
        proto_world_info_t *wi = &m->u.select_world.worlds[i];
        wi->width = 16;
        wi->height = ROOM_ROWS;
        for (int r = 0; r < ROOM_ROWS; r++)
            snprintf(wi->tiles[r], sizeof wi->tiles[r], "%s", ROOM[r]);
    }
    client_on_message(c, m);
    free(m);
    frame(c, &cv);
    assert_true(distinct_colours(&cv) > 8);
    /* With the group along the top (more players than fit), then the question before leaving. */
    m = calloc(1, sizeof *m);
    proto_init(m, MSG_GROUP);
    m->u.group.nplayers = PROTO_MAX_PLAYERS;
    for (int i = 0; i < PROTO_MAX_PLAYERS; i++) {
        snprintf(m->u.group.players[i].username, PROTO_USERNAME_SIZE, "player number %d", i);
        m->u.group.players[i].voted = i % 2;
        m->u.group.players[i].left = i == 3;
    }
    client_on_message(c, m);
    free(m);
    frame(c, &cv);
    input_event_t esc = {.kind = IN_BACK};
    client_input(c, &esc);
    frame(c, &cv);
    client_input(c, &esc);

    /* The game: you alone at a known place, in your own colour. */
    m = fake_game_start(ROOM, ROOM_ROWS, "alice", 2);
    m->u.game_start.players[0].color[0] = 250;
    m->u.game_start.players[0].color[1] = 10;
    m->u.game_start.players[0].color[2] = 20;
    client_on_message(c, m);
    free(m);
    sim_game_t g;
    sim_init(&g, &c->game.world, 2, 3, 60);
    g.players[0].x = 7500; /* open floor, away from walls and coins */
    g.players[0].y = 1500;
    g.players[1].x = 12500;
    g.players[1].y = 6500;
    static const char names[2][PROTO_USERNAME_SIZE] = {"alice", "bob"};
    m = calloc(1, sizeof *m);
    proto_init(m, MSG_STATE);
    proto_state_from_sim(&m->u.state, &g, names);
    client_on_message(c, m);
    free(m);
    for (int i = 0; i < 3; i++) { /* the first draws the layer, the next ones copy it */
        c->now_ms += 16;
        frame(c, &cv);
    }
    assert_true(distinct_colours(&cv) > 8);
    map_fit_t fit = game_map_fit(c, ui_view_w(cv.ui), ui_view_h(cv.ui));
    assert_int_equal(pixel_at(&cv, map_fit_x(&fit, 7.5f), map_fit_y(&fit, 1.5f)), 0xfa0a14);
    /* The map under everyone: a wall is not the floor beside it. */
    assert_int_not_equal(pixel_at(&cv, map_fit_x(&fit, 6.5f), map_fit_y(&fit, 3.5f)),
                         pixel_at(&cv, map_fit_x(&fit, 4.5f), map_fit_y(&fit, 3.7f)));

    /* The round's feedback: your cooldown ring, a stunned rival, a "+1" and "-1", the last
     * seconds' red frame round the map (not there before them). */
    uint32_t edge = pixel_at(&cv, fit.x - 3.0f, fit.y + 20.0f);
    assert_false(((edge >> 16) & 0xff) > 150 && ((edge >> 8) & 0xff) < 100);
    g.players[0].cooldown_ticks = 30;
    g.players[1].stun_ticks = 10;
    g.players[1].score = 1;
    m = calloc(1, sizeof *m);
    proto_init(m, MSG_STATE);
    proto_state_from_sim(&m->u.state, &g, names);
    m->u.state.time_left_ms = 9990;
    client_on_message(c, m);
    free(m);
    c->now_ms += 16;
    frame(c, &cv);
    game_float_t fl[GAME_MAX_FLOATS];
    assert_int_equal(game_floats(c, fl), 1);
    edge = pixel_at(&cv, fit.x - 3.0f, fit.y + 20.0f);
    assert_true(((edge >> 16) & 0xff) > 150 && ((edge >> 8) & 0xff) < 100);

    /* Chat over the round (a line, a system line, the box open) and the evening's board (Tab). */
    m = calloc(1, sizeof *m);
    proto_init(m, MSG_CHAT);
    snprintf(m->u.chat.from, sizeof m->u.chat.from, "bob");
    snprintf(m->u.chat.text, sizeof m->u.chat.text,
             "a line long enough to wrap over the map "
             "once or twice, with an emoji \xf0\x9f\x98\x80");
    client_on_message(c, m);
    proto_init(m, MSG_NOTICE);
    snprintf(m->u.notice.text, sizeof m->u.notice.text, "carol joined");
    client_on_message(c, m);
    proto_init(m, MSG_EVENING);
    m->u.evening.nrows = PROTO_MAX_EVENING;
    for (int i = 0; i < PROTO_MAX_EVENING; i++)
        m->u.evening.rows[i] = (proto_evening_row_t){"", 9, PROTO_MAX_EVENING - i, 40 - i};
    snprintf(m->u.evening.rows[PROTO_MAX_EVENING - 1].username, PROTO_USERNAME_SIZE, "alice");
    for (int i = 0; i < PROTO_MAX_EVENING - 1; i++)
        snprintf(m->u.evening.rows[i].username, PROTO_USERNAME_SIZE, "player %d", i);
    client_on_message(c, m);
    free(m);
    input_event_t ev = {.kind = IN_TEXT, .text = "t"};
    client_input(c, &ev);
    snprintf(ev.text, sizeof ev.text, "hello");
    client_input(c, &ev);
    frame(c, &cv);
    ev.kind = IN_BACK;
    client_input(c, &ev);
    ev.kind = IN_TAB;
    client_input(c, &ev);
    frame(c, &cv);
    c->now_ms += CHATBOX_SHOW_MS + CHATBOX_FADE_MS / 2; /* the lines fade */
    frame(c, &cv);
    assert_true(distinct_colours(&cv) > 8);

    /* A countdown over the map draws too. */
    m = fake_game_start(ROOM, ROOM_ROWS, "alice", 2);
    m->u.game_start.countdown_ms = 3000;
    client_on_message(c, m);
    free(m);
    m = calloc(1, sizeof *m);
    proto_init(m, MSG_STATE);
    proto_state_from_sim(&m->u.state, &g, names);
    client_on_message(c, m);
    free(m);
    assert_true(game_countdown_ms(c) > 0);
    frame(c, &cv);
    assert_true(distinct_colours(&cv) > 2);

    /* A bad world: the notice draws. */
    static const char *const bad[] = {"#####"};
    m = fake_game_start(bad, 1, "alice", 2);
    client_on_message(c, m);
    free(m);
    frame(c, &cv);
    assert_true(distinct_colours(&cv) > 2);

    /* The end screen. */
    m = calloc(1, sizeof *m);
    proto_init(m, MSG_FINISH);
    snprintf(m->u.fin.world, sizeof m->u.fin.world, "room");
    m->u.fin.nresults = 2;
    snprintf(m->u.fin.results[0].username, PROTO_USERNAME_SIZE, "bob");
    m->u.fin.results[0].score = 3;
    m->u.fin.results[0].rank = 1;
    snprintf(m->u.fin.results[1].username, PROTO_USERNAME_SIZE, "alice");
    m->u.fin.results[1].score = 1;
    m->u.fin.results[1].rank = 2;
    client_on_message(c, m);
    free(m);
    frame(c, &cv);
    assert_true(distinct_colours(&cv) > 8);

    fake_client_free(c);
    canvas_close(&cv);
}

/* The address friends type, shown while hosting, stays inside its panel even when long... */
static void test_lobby_text_stays_in_panels(void **state)
{
    (void)state;
    canvas_t cv;
    canvas_open(&cv, 960, 640);
    client_t *c = fake_client("alice");
    c->session.hosting = true;
    snprintf(c->session.host_address, sizeof c->session.host_address, "192.168.178.123:65535");
    client_goto(c, SCENE_LOBBY);
    /* ... and so does the longest name, with " (you)" after it. */
    snprintf(c->session.username, sizeof c->session.username, "WWWWWWWWWWWWWWWW");
    c->session.nplayers = 1;
    snprintf(c->session.players[0], sizeof c->session.players[0], "%s", c->session.username);
    c->session.group_size = 2;
    c->session.have_update = true;
    frame(c, &cv);
    /* The gap between the players' panel (ends at x = 340) and the chat (starts at 360), all
     * the way down: background only. */
    uint32_t bg = (uint32_t)UI_BG.r << 16 | (uint32_t)UI_BG.g << 8 | UI_BG.b;
    int stray = 0;
    for (int y = 110; y < 550; y++)
        for (int x = 342; x < 358; x++)
            stray += pixel_at(&cv, (float)x, (float)y) != bg;
    assert_int_equal(stray, 0);
    fake_client_free(c);
    canvas_close(&cv);
}

/* A short round of two players walking apart, as a replay file at path. */
static void write_replay(const char *path)
{
    static world_t w;
    char err[128];
    int rc = world_from_rows(&w, "room", "a test room", 5, ROOM, ROOM_ROWS, err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    static sim_game_t g;
    sim_init(&g, &w, 2, 5, 5);
    replay_info_t info = {.seed = 5, .started = 1900000000, .nplayers = 2};
    info.duration_ticks = g.duration_ticks;
    snprintf(info.players[0].name, sizeof info.players[0].name, "ann");
    snprintf(info.players[1].name, sizeof info.players[1].name, "bo");
    info.players[0].rgb[0] = info.players[1].rgb[2] = 220;
    replay_writer_t rw;
    assert_int_equal(replay_writer_begin(&rw, &info, &w), 0);
    for (int i = 0; i < 2; i++) {
        sim_input_t in = {.seq = 1, .dx = (int8_t)(i ? -1 : 1)};
        sim_set_input(&g, i, &in);
        replay_writer_input(&rw, &g, i);
    }
    while (!sim_over(&g)) {
        sim_step(&g);
        replay_writer_tick(&rw, &g);
    }
    const uint8_t *data;
    size_t len;
    assert_int_equal(replay_writer_finish(&rw, &g, &data, &len), 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    replay_writer_free(&rw);
}

/* The board's row at place k: true when it is filled as your own row is in a round. */
static bool board_row_marked(canvas_t *cv, int k)
{
    int x = ui_view_w(cv->ui) - GAME_BOARD_W - GAME_MARGIN;
    int ry = GAME_HUD_H + GAME_MARGIN + 44 + k * GAME_BOARD_ROW_H;
    uint32_t focus = (uint32_t)UI_FOCUS.r << 16 | (uint32_t)UI_FOCUS.g << 8 | UI_FOCUS.b;
    return pixel_at(cv, (float)x + 8.0f, (float)ry + 2.0f) == focus;
}

/* Whether pixel v is the accent colour, or its anti-aliased edge over a dark backing: text
 * this small has few pixels of the exact colour. The coins' yellow is greener; UI_TEXT is grey. */
static bool accent_like(uint32_t v)
{
    float r = (float)(v >> 16 & 0xff), g = (float)(v >> 8 & 0xff), b = (float)(v & 0xff);
    return r >= 140.0f && g / r > 0.62f && g / r < 0.76f && b / r > 0.17f && b / r < 0.36f;
}

/* Pixels of the accent's hue where player i's name tag goes on the whole map (above its body,
 * as wide as the name); the playback's ring around the one followed (tile * 0.9 out) is left
 * out. */
static int tag_accent_pixels(canvas_t *cv, client_t *c, int i)
{
    const proto_player_state_t *ps = &c->game.state.players[i];
    map_fit_t fit = game_map_fit(c, ui_view_w(cv->ui), ui_view_h(cv->ui));
    float cx = map_fit_x(&fit, (float)ps->x / SIM_ONE),
          cy = map_fit_y(&fit, (float)ps->y / SIM_ONE);
    float r = fit.tile * (float)SIM_RADIUS / SIM_ONE, ring = fit.tile * 0.9f;
    float w = (float)ui_text_width(cv->ui, UI_FONT_SMALL, ps->username);
    float h = (float)ui_line_height(cv->ui, UI_FONT_SMALL);
    int n = 0;
    for (float y = cy - r - h - 8.0f; y < cy - r; y += 1.0f)
        for (float x = cx - w / 2; x < cx + w / 2; x += 1.0f) {
            float d = sqrtf((x - cx) * (x - cx) + (y - cy) * (y - cy));
            n += fabsf(d - ring) > 4.0f && accent_like(pixel_at(cv, x, y));
        }
    return n;
}

/* Playback following a player: its row on the board is marked as your own is in a live round,
 * and its name tag on the map is in the accent colour as yours is; following nobody, no row or
 * tag is. */
static void test_playback_marks_the_followed_row(void **state)
{
    (void)state;
    char path[] = "/tmp/nine43-draw-replay-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_replay(path);
    canvas_t cv;
    canvas_open(&cv, 960, 640);
    client_t *c = fake_client("alice");
    playback_open(c, path, SCENE_MENU);
    assert_true(c->playback.loaded);
    fake_run(c, 500, 16);
    frame(c, &cv);
    assert_false(board_row_marked(&cv, 0));
    assert_false(board_row_marked(&cv, 1));
    for (int follow = 0; follow < 2; follow++) {
        fake_key(c, IN_TAB); /* ann, then bo */
        fake_run(c, 32, 16);
        frame(c, &cv);
        int order[PROTO_MAX_PLAYERS];
        int n = game_ranking(c, order);
        assert_int_equal(n, 2);
        const char *name = c->playback.r.info.players[follow].name;
        int k = strcmp(c->game.state.players[order[0]].username, name) == 0 ? 0 : 1;
        assert_string_equal(c->game.state.players[order[k]].username, name);
        assert_true(board_row_marked(&cv, k));
        assert_false(board_row_marked(&cv, 1 - k));
        assert_true(tag_accent_pixels(&cv, c, order[k]) >= 5);
        assert_int_equal(tag_accent_pixels(&cv, c, order[1 - k]), 0);
    }
    fake_key(c, IN_TAB); /* the whole map */
    fake_run(c, 32, 16);
    frame(c, &cv);
    assert_false(board_row_marked(&cv, 0));
    assert_false(board_row_marked(&cv, 1));
    assert_int_equal(tag_accent_pixels(&cv, c, 0), 0);
    assert_int_equal(tag_accent_pixels(&cv, c, 1), 0);
    fake_key(c, IN_BACK); /* the playback lets its replay go */
    fake_client_free(c);
    canvas_close(&cv);
    unlink(path);
}

static void test_draw_960x640(void **state)
{
    (void)state;
    draw_all_scenes(960, 640);
}

static void test_draw_1920x1080(void **state)
{
    (void)state;
    draw_all_scenes(1920, 1080);
}

static void test_draw_narrow_window(void **state)
{
    (void)state;
    draw_all_scenes(800, 900); /* narrower than the minimum view: bars top and bottom */
}

int main(void)
{
    if (TTF_Init() != 0) {
        fprintf(stderr, "TTF_Init: %s\n", TTF_GetError());
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draw_960x640),
        cmocka_unit_test(test_draw_1920x1080),
        cmocka_unit_test(test_draw_narrow_window),
        cmocka_unit_test(test_lobby_text_stays_in_panels),
        cmocka_unit_test(test_playback_marks_the_followed_row),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
