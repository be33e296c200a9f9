/* bench_game_frame.c -- the game scene's frame time with 8 moving players on SDL's software
 * renderer, drawn into a surface (no window, no display needed) */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "brain.h"
#include "app.h"
#include "ui_sdl.h"

#define BENCH_FRAMES      600 /* frames timed per size (10 s of a 60 FPS game) */
#define BENCH_TINY_FRAMES 20  /* --tiny: a smoke run for CTest */
#define BENCH_FRAME_MS    16  /* game time between frames */
#define BENCH_PLAYERS     8

static const uint8_t COLORS[BENCH_PLAYERS][3] = {{239, 83, 80},   {66, 165, 245}, {102, 187, 106},
                                                 {255, 202, 40},  {171, 71, 188}, {38, 198, 218},
                                                 {255, 138, 101}, {236, 64, 122}};
static char NAMES[BENCH_PLAYERS][PROTO_USERNAME_SIZE] = {"alice", "bob",   "carol", "dave",
                                                         "erin",  "frank", "grace", "heidi"};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The biggest world: the most tiles to draw (the map is cached, so this mostly shows that). */
static const world_t *pick_world(world_t *worlds, int n)
{
    const world_t *best = &worlds[0];
    for (int i = 1; i < n; i++)
        if (worlds[i].width * worlds[i].height > best->width * best->height)
            best = &worlds[i];
    return best;
}

/* The client's side of "game start": the bench's players on world w, the first one is you. */
static void bench_start_game(client_t *c, msg_t *m, const world_t *w)
{
    proto_init(m, MSG_GAME_START);
    msg_game_start_t *gs = &m->u.game_start;
    proto_world_info_from_world(&gs->world, w);
    gs->nplayers = BENCH_PLAYERS;
    for (int i = 0; i < BENCH_PLAYERS; i++) {
        memcpy(gs->players[i].username, NAMES[i], PROTO_USERNAME_SIZE);
        memcpy(gs->players[i].color, COLORS[i], 3);
    }
    snprintf(gs->you, sizeof gs->you, "%s", NAMES[0]);
    gs->tick_rate = SIM_TICK_RATE;
    gs->duration = 600;
    gs->seed = 1;
    client_on_message(c, m);
}

static void bench_report(double *ms, int frames, int width, int height, const world_t *w)
{
    double sum = 0;
    for (int f = 0; f < frames; f++)
        sum += ms[f];
    qsort(ms, (size_t)frames, sizeof *ms, cmp_double);
    printf("game frame, %d players, software renderer, %dx%d, world %s (%dx%d): mean %.2f ms, "
           "median %.2f ms, 95th %.2f ms, max %.2f ms over %d frames\n",
           BENCH_PLAYERS, width, height, w->name, w->width, w->height, sum / frames, ms[frames / 2],
           ms[frames * 95 / 100], ms[frames - 1], frames);
}

static int bench_size(const char *assets, const world_t *w, int width, int height, int frames)
{
    SDL_Surface *surf =
        SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!r) {
        fprintf(stderr, "bench_game_frame: software renderer: %s\n", SDL_GetError());
        return -1;
    }
    char fonts[600], err[256];
    snprintf(fonts, sizeof fonts, "%s/fonts", assets);
    ui_t *ui = ui_create(r, NULL, fonts, err, sizeof err);
    if (!ui) {
        fprintf(stderr, "bench_game_frame: %s\n", err);
        return -1;
    }
    client_t *c = calloc(1, sizeof *c);
    msg_t *m = calloc(1, sizeof *m);
    sim_game_t *g = calloc(1, sizeof *g);
    brain_t *brains = calloc(BENCH_PLAYERS, sizeof *brains);
    double *ms = calloc((size_t)frames, sizeof *ms);
    if (!c || !m || !g || !brains || !ms)
        abort();
    app_init(c, NULL, NULL); /* not connected: inputs go nowhere */
    snprintf(c->session.username, sizeof c->session.username, "%s", NAMES[0]);
    c->now_ms = 1000;
    c->debug_overlay = true;

    bench_start_game(c, m, w);

    sim_init(g, &c->game.world, BENCH_PLAYERS, 1, 600);
    for (int i = 0; i < BENCH_PLAYERS; i++)
        brain_init(&brains[i], (uint64_t)i + 1);
    const scene_t *s = client_scene(c);
    uint32_t next_tick = c->now_ms;
    for (int f = 0; f < frames; f++) {
        c->now_ms += BENCH_FRAME_MS;
        /* The server's side: 30 ticks a second of brains playing, a snapshot each tick. */
        while ((int32_t)(c->now_ms - next_tick) >= 0) {
            proto_init(m, MSG_STATE);
            proto_state_from_sim(&m->u.state, g, (const char(*)[PROTO_USERNAME_SIZE])NAMES);
            for (int i = 0; i < BENCH_PLAYERS; i++) {
                sim_input_t in;
                brain_decide(&brains[i], &c->game.world, &m->u.state, i, &in);
                sim_set_input(g, i, &in);
            }
            sim_step(g);
            proto_state_from_sim(&m->u.state, g, (const char(*)[PROTO_USERNAME_SIZE])NAMES);
            client_on_message(c, m);
            next_tick += 1000 / SIM_TICK_RATE;
        }
        client_update(c);
        uint64_t t0 = SDL_GetPerformanceCounter();
        ui_begin_frame(ui);
        s->draw(c, ui);
        SDL_RenderPresent(r);
        ms[f] = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                (double)SDL_GetPerformanceFrequency();
    }
    bench_report(ms, frames, width, height, w);
    free(ms);
    free(brains);
    free(g);
    free(m);
    free(c);
    ui_destroy(ui);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    return 0;
}

int main(int argc, char **argv)
{
    int frames = BENCH_FRAMES;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tiny")) {
            frames = BENCH_TINY_FRAMES;
        } else {
            fprintf(stderr, "usage: bench_game_frame [--tiny]\n");
            return 2;
        }
    }
    char assets[512], worlds_dir[600];
    if (assets_find(assets, sizeof assets) != 0) {
        fprintf(stderr, "bench_game_frame: no assets folder (tried %s)\n", assets);
        return 1;
    }
    snprintf(worlds_dir, sizeof worlds_dir, "%s/worlds", assets);
    static world_t worlds[WORLD_MAX_FILES];
    int n = world_load_dir(worlds, WORLD_MAX_FILES, worlds_dir, NULL, NULL);
    if (n <= 0) {
        fprintf(stderr, "bench_game_frame: no world in %s\n", worlds_dir);
        return 1;
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "bench_game_frame: TTF_Init: %s\n", TTF_GetError());
        return 1;
    }
    const world_t *w = pick_world(worlds, n);
    int rc = bench_size(assets, w, UI_VIEW_MIN_W, UI_VIEW_H, frames);
    if (rc == 0)
        rc = bench_size(assets, w, 1920, 1080, frames);
    TTF_Quit();
    SDL_Quit();
    return rc == 0 ? 0 : 1;
}
