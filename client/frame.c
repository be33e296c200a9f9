/* frame.c -- the client's frame loop: input -> network poll -> update -> network flush -> draw,
 * the debug overlay, FPS and pacing; on client.c, net.c, platform.c and ui */
#include "frame.h"

#include <stdio.h>

#include "net.h"

static void frame_draw_debug(client_t *c, platform_t *p, ui_t *ui)
{
    char line[160];
    char ping[24];
    if (c->session.ping_ms >= 0)
        snprintf(ping, sizeof ping, "%d ms", c->session.ping_ms);
    else
        snprintf(ping, sizeof ping, "-");
    snprintf(line, sizeof line, "FPS %.0f  scene %s  ping %s  scale %.2f  text %d  sound %s",
             c->fps, client_scene(c)->name, ping, ui_scale(ui), ui_cache_entries(ui),
             audio_describe(p->audio));
    int w = ui_text_width(ui, UI_FONT_SMALL, line) + 16;
    int h = ui_line_height(ui, UI_FONT_SMALL) + 8;
    int y = frame_debug_top(c, ui_view_h(ui), h);
    ui_fill_rect(ui, 4, y, w, h, (ui_color_t){0, 0, 0, 190});
    ui_text(ui, UI_FONT_SMALL, 12, y + 4, UI_LEFT, UI_GOOD, line);
}

int frame_debug_top(const client_t *c, int view_h, int h)
{
    return c->scene == SCENE_GAME ? view_h - h - 4 : 4;
}

/* Draws the current scene (and the overlay), presents it, and takes its screenshot once it is
 * ready. */
static void frame_draw(client_t *c, platform_t *p)
{
    ui_begin_frame(p->ui);
    c->view_w = ui_view_w(p->ui);
    c->view_h = ui_view_h(p->ui);
    const scene_t *s = client_scene(c);
    if (s->draw)
        s->draw(c, p->ui);
    bool ready = !s->ready || s->ready(c);
    if (ready)
        platform_screenshot(p, c);
    if (c->debug_overlay)
        frame_draw_debug(c, p, p->ui);
    SDL_RenderPresent(p->ren);
    client_frame_drawn(c, ready);
}

void frame_run(client_t *c, platform_t *p)
{
    uint32_t fps_start = SDL_GetTicks();
    int fps_frames = 0;
    while (!c->quit) {
        uint32_t frame_start = SDL_GetTicks();
        c->now_ms = frame_start;
        platform_input(p, c);
        net_poll(c);
        client_update(c);
        platform_play_sounds(p, c);
        net_flush(c);
        platform_apply_fullscreen(p, c);
        frame_draw(c, p);

        fps_frames++;
        uint32_t now = SDL_GetTicks();
        if (now - fps_start >= FRAME_FPS_WINDOW_MS) {
            c->fps = fps_frames * 1000.0f / (float)(now - fps_start);
            fps_start = now;
            fps_frames = 0;
        }
        if (!p->vsync && now - frame_start < FRAME_MS)
            SDL_Delay(FRAME_MS - (now - frame_start));
    }
}
