/* frame.c -- the client's frame loop: input -> network poll -> update -> network flush -> draw,
 * the host's leave question over any scene, the debug and reconnecting overlays, FPS and pacing;
 * on client.c, net.c, platform.c, scene_common, ui and scene_game.h (the round's top bar) */
#include "frame.h"

#include <stdio.h>

#include "net.h"
#include "scene_common.h"
#include "scene_game.h"

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
    /* In a round the top bar holds your points and the bottom-left the chat box: the overlay
     * goes just under the bar (over the map's edge at worst, which is fine for a debug line). */
    (void)view_h;
    (void)h;
    return c->scene == SCENE_GAME ? GAME_HUD_H + 4 : 4;
}

/* Over the frozen scene while the client reconnects after a drop: how long it has tried, and
 * Cancel (Esc, Enter or a click: client_input). */
static void frame_draw_reconnecting(client_t *c, ui_t *ui)
{
    const session_t *s = &c->session;
    int vw = ui_view_w(ui), vh = ui_view_h(ui);
    ui_fill_rect(ui, 0, 0, vw, vh, (ui_color_t){0, 0, 0, 120});
    int w = FRAME_RECONNECT_W, h = FRAME_RECONNECT_H;
    int x = (vw - w) / 2, y = (vh - h) / 2;
    ui_fill_rect(ui, x, y, w, h, UI_PANEL);
    ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    uint32_t waited = (c->now_ms - s->reconnect_since_ms) / 1000;
    char line[96];
    snprintf(line, sizeof line, "Reconnecting... (%u s of %d)", (unsigned)waited,
             SESSION_RECONNECT_MS / 1000);
    ui_text(ui, UI_FONT_LARGE, vw / 2, y + 24, UI_CENTER, UI_TEXT, line);
    ui_text_wrapped(ui, UI_FONT_SMALL, vw / 2, y + 80, w - 48, UI_CENTER, UI_DIM, s->reconnect_why,
                    true);
    ui_button(ui, vw / 2 - 80, y + h - 64, 160, 44, "Cancel", true, true);
}

/* Draws the current scene (and the overlays), presents it, and takes its screenshot once it is
 * ready. */
static void frame_draw(client_t *c, platform_t *p)
{
    ui_begin_frame(p->ui);
    c->view_w = ui_view_w(p->ui);
    c->view_h = ui_view_h(p->ui);
    const scene_t *s = client_scene(c);
    if (s->draw)
        s->draw(c, p->ui);
    if (c->host_leave_ask)
        scene_draw_host_leave(c, p->ui);
    bool ready = !s->ready || s->ready(c);
    if (ready)
        platform_screenshot(p, c);
    if (c->session.reconnecting)
        frame_draw_reconnecting(c, p->ui);
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
