/* main.c -- nine43, the SDL2 client: command line, window, input mapping, the frame loop,
 * screenshots */
#include <SDL.h>
#include <SDL_net.h>
#include <SDL_ttf.h>
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "assets.h"
#include "app.h"
#include "host.h"
#include "net.h"
#include "ui_sdl.h"

#define MAIN_DEFAULT_W       960
#define MAIN_DEFAULT_H       640
#define MAIN_MIN_W           480
#define MAIN_MIN_H           320
#define MAIN_MAX_DIM         16384
#define MAIN_FRAME_MS        16    /* frame pacing when vsync is not available */
#define MAIN_STICK_DEAD      12000 /* stick travel below this is ignored (of 32767) */
#define MAIN_MAX_CONTROLLERS 4
#define MAIN_FPS_WINDOW_MS   500 /* the FPS figure is averaged over this long */

typedef struct options {
    const char *connect;
    const char *username;
    const char *screenshot_dir;
    const char *discovery_addr;
    bool autoplay;
    int quit_after_rounds;
    int win_w, win_h;
    bool windowed;
} options_t;

typedef struct platform {
    SDL_Window *win;
    SDL_Renderer *ren;
    ui_t *ui;
    bool vsync;
    bool fullscreen_applied;
    SDL_GameController *pads[MAIN_MAX_CONTROLLERS];
    int8_t stick_x, stick_y; /* last direction sent as a menu event, per axis */
    bool shot[SCENE_COUNT];
    const char *screenshot_dir;
} platform_t;

static void usage(FILE *f)
{
    fprintf(f, "usage: nine43 [--connect HOST:PORT] [--username NAME] [--autoplay]\n"
               "              [--screenshot-dir DIR] [--quit-after-rounds N] [--windowed WxH]\n"
               "              [--discovery-addr ADDR] [--help]\n"
               "\n"
               "  --connect HOST:PORT     skip the menu and join that server\n"
               "  --username NAME         the name to log in with (submitted automatically)\n"
               "  --autoplay              play by itself through every screen (tests, demos)\n"
               "  --screenshot-dir DIR    save one BMP of each scene the first time it is drawn\n"
               "  --quit-after-rounds N   exit 0 after the end screen of round N\n"
               "  --windowed WxH          a window of that size (default 960x640), not fullscreen\n"
               "  --discovery-addr ADDR   look for LAN games at ADDR only (e.g. 127.255.255.255),\n"
               "                          not at every network's broadcast address\n"
               "\n"
               "In the game: F11 or Alt+Enter fullscreen, F2 debug overlay.\n");
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Returns 0 to run, 1 to exit 0 (--help), 2 for a bad command line. */
static int parse_args(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof *o);
    o->win_w = MAIN_DEFAULT_W;
    o->win_h = MAIN_DEFAULT_H;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 1;
        } else if (!strcmp(a, "--autoplay")) {
            o->autoplay = true;
        } else if (!strcmp(a, "--connect") && val) {
            o->connect = val;
            i++;
        } else if (!strcmp(a, "--username") && val) {
            o->username = val;
            i++;
        } else if (!strcmp(a, "--discovery-addr") && val) {
            struct in_addr ignored;
            if (inet_pton(AF_INET, val, &ignored) != 1) {
                fprintf(stderr, "nine43: --discovery-addr wants an IPv4 address, got \"%s\"\n",
                        val);
                return 2;
            }
            o->discovery_addr = val;
            i++;
        } else if (!strcmp(a, "--screenshot-dir") && val) {
            o->screenshot_dir = val;
            i++;
        } else if (!strcmp(a, "--quit-after-rounds") && val) {
            long n;
            if (!parse_int(val, 1, INT_MAX, &n)) {
                fprintf(stderr, "nine43: --quit-after-rounds wants a positive number\n");
                return 2;
            }
            o->quit_after_rounds = (int)n;
            i++;
        } else if (!strcmp(a, "--windowed") && val) {
            int w, h;
            char extra;
            if (sscanf(val, "%dx%d%c", &w, &h, &extra) != 2 || w < MAIN_MIN_W || h < MAIN_MIN_H ||
                w > MAIN_MAX_DIM || h > MAIN_MAX_DIM) {
                fprintf(stderr, "nine43: --windowed wants WxH, at least %dx%d\n", MAIN_MIN_W,
                        MAIN_MIN_H);
                return 2;
            }
            o->win_w = w;
            o->win_h = h;
            o->windowed = true;
            i++;
        } else {
            bool known = !strcmp(a, "--connect") || !strcmp(a, "--username") ||
                         !strcmp(a, "--screenshot-dir") || !strcmp(a, "--quit-after-rounds") ||
                         !strcmp(a, "--windowed");
            fprintf(stderr, "nine43: %s: %s\n", known ? "missing value" : "unknown option", a);
            usage(stderr);
            return 2;
        }
    }
    return 0;
}

/* "host:port" (the last colon splits, so "[::1]" style is not needed for IPv4 names). */
static bool parse_address(const char *s, char *host, size_t cap, int *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || (size_t)(colon - s) >= cap)
        return false;
    long p;
    if (!parse_int(colon + 1, 1, 65535, &p))
        return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    *port = (int)p;
    return true;
}

static void push(client_t *c, input_kind_t kind, int x, int y)
{
    input_event_t ev = {.kind = kind, .x = x, .y = y};
    client_input(c, &ev);
}

static void toggle_fullscreen(client_t *c)
{
    c->settings.fullscreen = !c->settings.fullscreen;
}

static void apply_fullscreen(client_t *c, platform_t *p)
{
    if (c->settings.fullscreen == p->fullscreen_applied)
        return;
    if (SDL_SetWindowFullscreen(p->win,
                                c->settings.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0) == 0)
        p->fullscreen_applied = c->settings.fullscreen;
    else
        c->settings.fullscreen = p->fullscreen_applied; /* not possible here */
}

static void on_key(client_t *c, const SDL_KeyboardEvent *k)
{
    SDL_Keycode key = k->keysym.sym;
    if (key == SDLK_F11 && !k->repeat) {
        toggle_fullscreen(c);
        return;
    }
    if ((key == SDLK_RETURN || key == SDLK_KP_ENTER) && (k->keysym.mod & KMOD_ALT)) {
        if (!k->repeat)
            toggle_fullscreen(c);
        return;
    }
    if (key == SDLK_F2 && !k->repeat) {
        c->debug_overlay = !c->debug_overlay;
        return;
    }
    switch (key) {
    case SDLK_UP:
        push(c, IN_UP, 0, 0);
        break;
    case SDLK_DOWN:
        push(c, IN_DOWN, 0, 0);
        break;
    case SDLK_LEFT:
        push(c, IN_LEFT, 0, 0);
        break;
    case SDLK_RIGHT:
        push(c, IN_RIGHT, 0, 0);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        if (!k->repeat)
            push(c, IN_CONFIRM, 0, 0);
        break;
    case SDLK_ESCAPE:
        if (!k->repeat)
            push(c, IN_BACK, 0, 0);
        break;
    case SDLK_TAB:
        push(c, IN_TAB, 0, 0);
        break;
    case SDLK_BACKSPACE:
        push(c, IN_BACKSPACE, 0, 0);
        break;
    default:
        break;
    }
}

static void open_controller(platform_t *p, int index)
{
    if (!SDL_IsGameController(index))
        return;
    for (int i = 0; i < MAIN_MAX_CONTROLLERS; i++) {
        if (!p->pads[i]) {
            p->pads[i] = SDL_GameControllerOpen(index);
            return;
        }
    }
}

static void close_controller(platform_t *p, SDL_JoystickID id)
{
    for (int i = 0; i < MAIN_MAX_CONTROLLERS; i++) {
        if (p->pads[i] && SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(p->pads[i])) == id) {
            SDL_GameControllerClose(p->pads[i]);
            p->pads[i] = NULL;
        }
    }
}

/* A stick pushed past the dead zone acts once as an arrow key for menus. */
static void on_axis(client_t *c, platform_t *p, const SDL_ControllerAxisEvent *a)
{
    int8_t dir = a->value > MAIN_STICK_DEAD ? 1 : a->value < -MAIN_STICK_DEAD ? -1 : 0;
    if (a->axis == SDL_CONTROLLER_AXIS_LEFTX) {
        if (dir != p->stick_x && dir != 0)
            push(c, dir < 0 ? IN_LEFT : IN_RIGHT, 0, 0);
        p->stick_x = dir;
    } else if (a->axis == SDL_CONTROLLER_AXIS_LEFTY) {
        if (dir != p->stick_y && dir != 0)
            push(c, dir < 0 ? IN_UP : IN_DOWN, 0, 0);
        p->stick_y = dir;
    }
}

static void on_button(client_t *c, const SDL_ControllerButtonEvent *b)
{
    switch (b->button) {
    case SDL_CONTROLLER_BUTTON_DPAD_UP:
        push(c, IN_UP, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_DPAD_DOWN:
        push(c, IN_DOWN, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_DPAD_LEFT:
        push(c, IN_LEFT, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_DPAD_RIGHT:
        push(c, IN_RIGHT, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_A:
        push(c, IN_CONFIRM, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_B:
        push(c, IN_BACK, 0, 0);
        break;
    default:
        break;
    }
}

static void handle_events(client_t *c, platform_t *p)
{
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        switch (e.type) {
        case SDL_QUIT:
            c->quit = true;
            break;
        case SDL_KEYDOWN:
            on_key(c, &e.key);
            break;
        case SDL_TEXTINPUT: {
            input_event_t ev = {.kind = IN_TEXT};
            snprintf(ev.text, sizeof ev.text, "%s", e.text.text);
            client_input(c, &ev);
            break;
        }
        case SDL_MOUSEBUTTONDOWN:
            if (e.button.button == SDL_BUTTON_LEFT) {
                int x, y;
                ui_window_to_view(p->ui, e.button.x, e.button.y, &x, &y);
                push(c, IN_CLICK, x, y);
            }
            break;
        case SDL_MOUSEMOTION: {
            /* The window's first report of where the pointer rests is not a move: it
             * would focus whatever button happens to be under it. */
            if (e.motion.xrel == 0 && e.motion.yrel == 0)
                break;
            int x, y;
            ui_window_to_view(p->ui, e.motion.x, e.motion.y, &x, &y);
            push(c, IN_POINT, x, y);
            break;
        }
        case SDL_CONTROLLERDEVICEADDED:
            open_controller(p, e.cdevice.which);
            break;
        case SDL_CONTROLLERDEVICEREMOVED:
            close_controller(p, e.cdevice.which);
            break;
        case SDL_CONTROLLERAXISMOTION:
            on_axis(c, p, &e.caxis);
            break;
        case SDL_CONTROLLERBUTTONDOWN:
            on_button(c, &e.cbutton);
            break;
        default:
            break;
        }
    }
}

/* The game's held controls: arrows/WASD + Space, or a controller's stick/d-pad + A. */
static void sample_held(client_t *c, platform_t *p)
{
    const Uint8 *k = SDL_GetKeyboardState(NULL);
    int dx = 0, dy = 0;
    bool dash = k[SDL_SCANCODE_SPACE];
    dx -= k[SDL_SCANCODE_LEFT] || k[SDL_SCANCODE_A];
    dx += k[SDL_SCANCODE_RIGHT] || k[SDL_SCANCODE_D];
    dy -= k[SDL_SCANCODE_UP] || k[SDL_SCANCODE_W];
    dy += k[SDL_SCANCODE_DOWN] || k[SDL_SCANCODE_S];
    for (int i = 0; i < MAIN_MAX_CONTROLLERS; i++) {
        SDL_GameController *g = p->pads[i];
        if (!g)
            continue;
        int ax = SDL_GameControllerGetAxis(g, SDL_CONTROLLER_AXIS_LEFTX);
        int ay = SDL_GameControllerGetAxis(g, SDL_CONTROLLER_AXIS_LEFTY);
        dx -= ax < -MAIN_STICK_DEAD ||
              SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_DPAD_LEFT);
        dx += ax > MAIN_STICK_DEAD ||
              SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_DPAD_RIGHT);
        dy -=
            ay < -MAIN_STICK_DEAD || SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_DPAD_UP);
        dy +=
            ay > MAIN_STICK_DEAD || SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_DPAD_DOWN);
        dash = dash || SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_A);
    }
    c->held.dx = (int8_t)(dx < 0 ? -1 : dx > 0 ? 1 : 0);
    c->held.dy = (int8_t)(dy < 0 ? -1 : dy > 0 ? 1 : 0);
    c->held.dash = dash;
}

static void draw_debug(client_t *c, ui_t *ui)
{
    char line[160];
    char ping[24];
    if (c->session.ping_ms >= 0)
        snprintf(ping, sizeof ping, "%d ms", c->session.ping_ms);
    else
        snprintf(ping, sizeof ping, "-");
    snprintf(line, sizeof line, "FPS %.0f  scene %s  ping %s  scale %.2f  text %d", c->fps,
             client_scene(c)->name, ping, ui_scale(ui), ui_cache_entries(ui));
    int w = ui_text_width(ui, UI_FONT_SMALL, line) + 16;
    int h = ui_line_height(ui, UI_FONT_SMALL) + 8;
    ui_fill_rect(ui, 4, 4, w, h, (ui_color_t){0, 0, 0, 190});
    ui_text(ui, UI_FONT_SMALL, 12, 8, UI_LEFT, UI_GOOD, line);
}

static void save_screenshot(client_t *c, platform_t *p)
{
    const scene_t *s = client_scene(c);
    if (!p->screenshot_dir || p->shot[c->scene])
        return;
    int w, h;
    if (SDL_GetRendererOutputSize(p->ren, &w, &h) != 0)
        return;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.bmp", p->screenshot_dir, s->name);
    /* One try per scene: a failure is reported once, not every frame. */
    p->shot[c->scene] = true;
    if (SDL_RenderReadPixels(p->ren, NULL, SDL_PIXELFORMAT_ARGB8888, surf->pixels, surf->pitch) !=
            0 ||
        SDL_SaveBMP(surf, path) != 0)
        SDL_Log("nine43: cannot save %s: %s", path, SDL_GetError());
    SDL_FreeSurface(surf);
}

static int create_window(platform_t *p, const options_t *o, bool fullscreen)
{
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    p->win = SDL_CreateWindow("nine43", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->win_w,
                              o->win_h, flags);
    if (!p->win) {
        fprintf(stderr, "nine43: cannot open a window: %s\n", SDL_GetError());
        return -1;
    }
    SDL_SetWindowMinimumSize(p->win, MAIN_MIN_W, MAIN_MIN_H);
    p->fullscreen_applied = fullscreen;
    p->ren = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!p->ren)
        p->ren = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_SOFTWARE);
    if (!p->ren) {
        fprintf(stderr, "nine43: cannot create a renderer: %s\n", SDL_GetError());
        return -1;
    }
    SDL_RendererInfo info;
    p->vsync = SDL_GetRendererInfo(p->ren, &info) == 0 && (info.flags & SDL_RENDERER_PRESENTVSYNC);
    return 0;
}

static void settings_location(client_t *c, bool autoplay)
{
    const char *env = getenv("NINE43_SETTINGS");
    if (env && env[0]) {
        snprintf(c->settings_path, sizeof c->settings_path, "%s", env);
        return;
    }
    if (autoplay)
        return; /* scripted runs leave the player's own settings alone */
    char *dir = SDL_GetPrefPath("nine43", "nine43");
    if (dir) {
        snprintf(c->settings_path, sizeof c->settings_path, "%ssettings.json", dir);
        SDL_free(dir);
    }
}

static void run(client_t *c, platform_t *p)
{
    uint32_t fps_start = SDL_GetTicks();
    int fps_frames = 0;
    while (!c->quit) {
        uint32_t frame_start = SDL_GetTicks();
        c->now_ms = frame_start;
        handle_events(c, p);
        sample_held(c, p);
        net_poll(c);
        client_update(c);
        net_flush(c);
        apply_fullscreen(c, p);

        ui_begin_frame(p->ui);
        c->view_w = ui_view_w(p->ui);
        c->view_h = ui_view_h(p->ui);
        const scene_t *s = client_scene(c);
        if (s->draw)
            s->draw(c, p->ui);
        bool ready = !s->ready || s->ready(c);
        if (ready)
            save_screenshot(c, p);
        if (c->debug_overlay)
            draw_debug(c, p->ui);
        SDL_RenderPresent(p->ren);
        client_frame_drawn(c, ready);

        fps_frames++;
        uint32_t now = SDL_GetTicks();
        if (now - fps_start >= MAIN_FPS_WINDOW_MS) {
            c->fps = fps_frames * 1000.0f / (float)(now - fps_start);
            fps_start = now;
            fps_frames = 0;
        }
        if (!p->vsync && now - frame_start < MAIN_FRAME_MS)
            SDL_Delay(MAIN_FRAME_MS - (now - frame_start));
    }
}

int main(int argc, char **argv)
{
    options_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc == 1)
        return 0;
    if (rc == 2)
        return 2;
    char host[256] = "";
    int port = 0;
    if (o.connect && !parse_address(o.connect, host, sizeof host, &port)) {
        fprintf(stderr, "nine43: --connect wants HOST:PORT, got \"%s\"\n", o.connect);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); /* a closed socket is an error return, not a crash */

    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_GAMECONTROLLER) != 0 &&
        SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "nine43: cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    if (SDLNet_Init() != 0 || TTF_Init() != 0) {
        fprintf(stderr, "nine43: cannot start SDL_net/SDL_ttf: %s\n", SDL_GetError());
        SDL_Quit();
        return 1;
    }

    static client_t client; /* large (the scenes' state): not on the stack */
    client_t *c = &client;
    app_init(c, &net_ops, &host_ops);
    c->lan_enabled = true; /* the Join screen lists LAN games */
    if (o.discovery_addr)
        snprintf(c->discovery_addr, sizeof c->discovery_addr, "%s", o.discovery_addr);
    c->autoplay = o.autoplay;
    c->quit_after_rounds = o.quit_after_rounds;
    settings_location(c, o.autoplay);
    if (c->settings_path[0]) {
        char err[512];
        if (settings_load(&c->settings, c->settings_path, err, sizeof err) != 0)
            fprintf(stderr, "nine43: %s\n", err);
    }
    if (o.username)
        snprintf(c->cli_username, sizeof c->cli_username, "%s", o.username);

    char assets[1024], fonts[1100];
    if (assets_find(assets, sizeof assets) != 0) {
        fprintf(stderr, "nine43: cannot find the assets folder (last tried %s)\n", assets);
        return 1;
    }
    snprintf(fonts, sizeof fonts, "%s/fonts", assets);

    if (o.screenshot_dir && mkdir(o.screenshot_dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "nine43: cannot create the screenshot folder %s: %s\n", o.screenshot_dir,
                strerror(errno));
        return 2;
    }

    platform_t p;
    memset(&p, 0, sizeof p);
    p.screenshot_dir = o.screenshot_dir;
    int status = 1;
    char err[512];
    if (create_window(&p, &o, c->settings.fullscreen && !o.windowed) != 0)
        goto out;
    p.ui = ui_create(p.ren, p.win, fonts, err, sizeof err);
    if (!p.ui) {
        fprintf(stderr, "nine43: %s\n", err);
        goto out;
    }
    if (net_init(c) != 0) {
        fprintf(stderr, "nine43: out of memory\n");
        goto out;
    }
    for (int i = 0; i < SDL_NumJoysticks(); i++)
        open_controller(&p, i);
    SDL_StartTextInput();

    if (o.connect) {
        c->connect_back = SCENE_MENU;
        client_connect(c, host, port);
    }
    c->now_ms = SDL_GetTicks();
    run(c, &p);
    status = client_exit_status(c);
    if (c->settings_path[0] && client_save_settings(c, err, sizeof err) != 0)
        fprintf(stderr, "nine43: %s\n", err);

out:
    if (c->session.connected)
        client_leave_server(c); /* says goodbye, stops a hosted server */
    client_stop_hosting(c);
    host_free(c);
    net_free(c);
    for (int i = 0; i < MAIN_MAX_CONTROLLERS; i++)
        if (p.pads[i])
            SDL_GameControllerClose(p.pads[i]);
    ui_destroy(p.ui);
    if (p.ren)
        SDL_DestroyRenderer(p.ren);
    if (p.win)
        SDL_DestroyWindow(p.win);
    TTF_Quit();
    SDLNet_Quit();
    SDL_Quit();
    return status;
}
