/* platform.c -- the client's SDL platform layer: SDL start and stop, window and renderer, the
 * audio device and the sounds the scenes queued, keys, mouse and controllers mapped to input
 * events, fullscreen, screenshots; on SDL2, SDL2_net, SDL2_ttf, ui and audio */
#include "platform.h"

#include <SDL_net.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys_os.h"

void platform_log_to_file(void)
{
    if (fileno(stderr) >= 0) /* a GUI program on Windows has none: -2 */
        return;
    char *dir = SDL_GetPrefPath("nine43", "nine43");
    if (!dir)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s%s", dir, PLATFORM_LOG_NAME);
    SDL_free(dir);
    if (freopen(path, "w", stderr)) {
        setvbuf(stderr, NULL, _IONBF, 0);
        freopen(path, "a", stdout); /* --help and the like, after what stderr said */
    }
}

int platform_init(platform_t *p)
{
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_GAMECONTROLLER) != 0 &&
        SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "nine43: cannot start SDL: %s\n", SDL_GetError());
        return -1;
    }
    p->sdl_up = true;
    p->audio = audio_open(); /* NULL only when out of memory; every audio_* accepts it */
    const char *log = getenv("NINE43_SFX_LOG");
    if (log && log[0] && !(p->sfx_log = fopen(log, "w")))
        fprintf(stderr, "nine43: cannot write %s: %s\n", log, strerror(errno));
    p->net_up = SDLNet_Init() == 0;
    p->ttf_up = p->net_up && TTF_Init() == 0;
    if (!p->ttf_up) {
        fprintf(stderr, "nine43: cannot start SDL_net/SDL_ttf: %s\n", SDL_GetError());
        return -1;
    }
    return 0;
}

static void platform_open_controller(platform_t *p, int index)
{
    if (!SDL_IsGameController(index))
        return;
    for (int i = 0; i < PLATFORM_MAX_CONTROLLERS; i++) {
        if (!p->pads[i]) {
            p->pads[i] = SDL_GameControllerOpen(index);
            return;
        }
    }
}

static void platform_close_controller(platform_t *p, SDL_JoystickID id)
{
    for (int i = 0; i < PLATFORM_MAX_CONTROLLERS; i++) {
        if (p->pads[i] && SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(p->pads[i])) == id) {
            SDL_GameControllerClose(p->pads[i]);
            p->pads[i] = NULL;
        }
    }
}

static int platform_open_window(platform_t *p, int w, int h, int min_w, int min_h, bool fullscreen)
{
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    p->win =
        SDL_CreateWindow("nine43", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!p->win) {
        fprintf(stderr, "nine43: cannot open a window: %s\n", SDL_GetError());
        return -1;
    }
    SDL_SetWindowMinimumSize(p->win, min_w, min_h);
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

int platform_open(platform_t *p, int w, int h, int min_w, int min_h, bool fullscreen,
                  const char *font_dir)
{
    if (platform_open_window(p, w, h, min_w, min_h, fullscreen) != 0)
        return -1;
    char err[512];
    p->ui = ui_create(p->ren, p->win, font_dir, err, sizeof err);
    if (!p->ui) {
        fprintf(stderr, "nine43: %s\n", err);
        return -1;
    }
    for (int i = 0; i < SDL_NumJoysticks(); i++)
        platform_open_controller(p, i);
    SDL_StartTextInput();
    return 0;
}

void platform_close(platform_t *p)
{
    for (int i = 0; i < PLATFORM_MAX_CONTROLLERS; i++)
        if (p->pads[i])
            SDL_GameControllerClose(p->pads[i]);
    ui_destroy(p->ui);
    if (p->ren)
        SDL_DestroyRenderer(p->ren);
    if (p->win)
        SDL_DestroyWindow(p->win);
    audio_close(p->audio); /* before SDL_Quit: it stops the device's callback thread */
    if (p->sfx_log)
        fclose(p->sfx_log);
    if (p->ttf_up)
        TTF_Quit();
    if (p->net_up)
        SDLNet_Quit();
    if (p->sdl_up)
        SDL_Quit();
    memset(p, 0, sizeof *p);
}

void platform_play_sounds(platform_t *p, client_t *c)
{
    if (audio_volume(p->audio) != c->settings.volume)
        audio_set_volume(p->audio, c->settings.volume);
    if (audio_muted(p->audio) != c->settings.muted)
        audio_set_muted(p->audio, c->settings.muted);
    audio_play_events(p->audio, c->sfx, c->nsfx);
    for (int i = 0; p->sfx_log && i < c->nsfx; i++)
        fprintf(p->sfx_log, "%u %lu %s %.2f %.2f\n", (unsigned)SDL_GetTicks(),
                audio_frames_mixed(p->audio), sfx_name(c->sfx[i].sound), (double)c->sfx[i].volume,
                (double)c->sfx[i].pan);
    c->nsfx = 0;
}

int platform_screenshots_to(platform_t *p, const char *dir)
{
    char err[256];
    if (sys_make_dir(dir, err, sizeof err) != 0) {
        fprintf(stderr, "nine43: cannot create the screenshot folder %s\n", err);
        return -1;
    }
    p->screenshot_dir = dir;
    return 0;
}

void platform_settings_path(char *out, size_t cap, bool autoplay)
{
    out[0] = '\0';
    const char *env = getenv("NINE43_SETTINGS");
    if (env && env[0]) {
        snprintf(out, cap, "%s", env);
        return;
    }
    if (autoplay)
        return;
    char *dir = SDL_GetPrefPath("nine43", "nine43");
    if (dir) {
        snprintf(out, cap, "%ssettings.json", dir);
        SDL_free(dir);
    }
}

static void platform_push(client_t *c, input_kind_t kind, int x, int y)
{
    input_event_t ev = {.kind = kind, .x = x, .y = y};
    client_input(c, &ev);
}

static void platform_toggle_fullscreen(client_t *c)
{
    c->settings.fullscreen = !c->settings.fullscreen;
}

void platform_apply_fullscreen(platform_t *p, client_t *c)
{
    if (c->settings.fullscreen == p->fullscreen_applied)
        return;
    if (SDL_SetWindowFullscreen(p->win,
                                c->settings.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0) == 0)
        p->fullscreen_applied = c->settings.fullscreen;
    else
        c->settings.fullscreen = p->fullscreen_applied; /* not possible here */
}

/* The keys that act on the window and the overlay, whatever the scene. Returns true when k
 * was one of them. */
static bool platform_window_key(client_t *c, const SDL_KeyboardEvent *k)
{
    SDL_Keycode key = k->keysym.sym;
    if (key == SDLK_F11 && !k->repeat) {
        platform_toggle_fullscreen(c);
        return true;
    }
    if ((key == SDLK_RETURN || key == SDLK_KP_ENTER) && (k->keysym.mod & KMOD_ALT)) {
        if (!k->repeat)
            platform_toggle_fullscreen(c);
        return true;
    }
    if (key == SDLK_F2 && !k->repeat) {
        c->debug_overlay = !c->debug_overlay;
        return true;
    }
    return false;
}

static void platform_on_key(client_t *c, const SDL_KeyboardEvent *k)
{
    if (platform_window_key(c, k))
        return;
    if (k->keysym.scancode == SDL_SCANCODE_SPACE && !k->repeat)
        c->held.dash_presses++;
    switch (k->keysym.sym) {
    case SDLK_UP:
        platform_push(c, IN_UP, 0, 0);
        break;
    case SDLK_DOWN:
        platform_push(c, IN_DOWN, 0, 0);
        break;
    case SDLK_LEFT:
        platform_push(c, IN_LEFT, 0, 0);
        break;
    case SDLK_RIGHT:
        platform_push(c, IN_RIGHT, 0, 0);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        if (!k->repeat)
            platform_push(c, IN_CONFIRM, 0, 0);
        break;
    case SDLK_ESCAPE:
        if (!k->repeat)
            platform_push(c, IN_BACK, 0, 0);
        break;
    case SDLK_TAB:
        platform_push(c, IN_TAB, 0, 0);
        break;
    case SDLK_BACKSPACE:
        platform_push(c, IN_BACKSPACE, 0, 0);
        break;
    default:
        break;
    }
}

/* A stick pushed past the dead zone acts once as an arrow key for menus. */
static void platform_on_axis(platform_t *p, client_t *c, const SDL_ControllerAxisEvent *a)
{
    int8_t dir = a->value > PLATFORM_STICK_DEAD ? 1 : a->value < -PLATFORM_STICK_DEAD ? -1 : 0;
    if (a->axis == SDL_CONTROLLER_AXIS_LEFTX) {
        if (dir != p->stick_x && dir != 0)
            platform_push(c, dir < 0 ? IN_LEFT : IN_RIGHT, 0, 0);
        p->stick_x = dir;
    } else if (a->axis == SDL_CONTROLLER_AXIS_LEFTY) {
        if (dir != p->stick_y && dir != 0)
            platform_push(c, dir < 0 ? IN_UP : IN_DOWN, 0, 0);
        p->stick_y = dir;
    }
}

static void platform_on_button(client_t *c, const SDL_ControllerButtonEvent *b)
{
    if (b->button == SDL_CONTROLLER_BUTTON_A)
        c->held.dash_presses++;
    switch (b->button) {
    case SDL_CONTROLLER_BUTTON_DPAD_UP:
        platform_push(c, IN_UP, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_DPAD_DOWN:
        platform_push(c, IN_DOWN, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_DPAD_LEFT:
        platform_push(c, IN_LEFT, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_DPAD_RIGHT:
        platform_push(c, IN_RIGHT, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_A:
        platform_push(c, IN_CONFIRM, 0, 0);
        break;
    case SDL_CONTROLLER_BUTTON_B:
        platform_push(c, IN_BACK, 0, 0);
        break;
    default:
        break;
    }
}

static void platform_on_mouse(platform_t *p, client_t *c, const SDL_Event *e)
{
    int x, y;
    if (e->type == SDL_MOUSEBUTTONDOWN) {
        if (e->button.button != SDL_BUTTON_LEFT)
            return;
        ui_window_to_view(p->ui, e->button.x, e->button.y, &x, &y);
        platform_push(c, IN_CLICK, x, y);
        return;
    }
    /* The window's first report of where the pointer rests is not a move: it would focus
     * whatever button happens to be under it. */
    if (e->motion.xrel == 0 && e->motion.yrel == 0)
        return;
    ui_window_to_view(p->ui, e->motion.x, e->motion.y, &x, &y);
    platform_push(c, IN_POINT, x, y);
}

static void platform_on_event(platform_t *p, client_t *c, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT:
        client_request_quit(c); /* a host with others on the server is asked first */
        break;
    case SDL_KEYDOWN:
        platform_on_key(c, &e->key);
        break;
    case SDL_TEXTINPUT: {
        input_event_t ev = {.kind = IN_TEXT};
        snprintf(ev.text, sizeof ev.text, "%s", e->text.text);
        client_input(c, &ev);
        break;
    }
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEMOTION:
        platform_on_mouse(p, c, e);
        break;
    case SDL_CONTROLLERDEVICEADDED:
        platform_open_controller(p, e->cdevice.which);
        break;
    case SDL_CONTROLLERDEVICEREMOVED:
        platform_close_controller(p, e->cdevice.which);
        break;
    case SDL_CONTROLLERAXISMOTION:
        platform_on_axis(p, c, &e->caxis);
        break;
    case SDL_CONTROLLERBUTTONDOWN:
        platform_on_button(c, &e->cbutton);
        break;
    default:
        break;
    }
}

/* The game's held controls: arrows/WASD + Space, or a controller's stick/d-pad + A. */
static void platform_sample_held(platform_t *p, client_t *c)
{
    const Uint8 *k = SDL_GetKeyboardState(NULL);
    int dx = 0, dy = 0;
    bool dash = k[SDL_SCANCODE_SPACE];
    dx -= k[SDL_SCANCODE_LEFT] || k[SDL_SCANCODE_A];
    dx += k[SDL_SCANCODE_RIGHT] || k[SDL_SCANCODE_D];
    dy -= k[SDL_SCANCODE_UP] || k[SDL_SCANCODE_W];
    dy += k[SDL_SCANCODE_DOWN] || k[SDL_SCANCODE_S];
    for (int i = 0; i < PLATFORM_MAX_CONTROLLERS; i++) {
        SDL_GameController *g = p->pads[i];
        if (!g)
            continue;
        int ax = SDL_GameControllerGetAxis(g, SDL_CONTROLLER_AXIS_LEFTX);
        int ay = SDL_GameControllerGetAxis(g, SDL_CONTROLLER_AXIS_LEFTY);
        dx -= ax < -PLATFORM_STICK_DEAD ||
              SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_DPAD_LEFT);
        dx += ax > PLATFORM_STICK_DEAD ||
              SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_DPAD_RIGHT);
        dy -= ay < -PLATFORM_STICK_DEAD ||
              SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_DPAD_UP);
        dy += ay > PLATFORM_STICK_DEAD ||
              SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_DPAD_DOWN);
        dash = dash || SDL_GameControllerGetButton(g, SDL_CONTROLLER_BUTTON_A);
    }
    c->held.dx = (int8_t)(dx < 0 ? -1 : dx > 0 ? 1 : 0);
    c->held.dy = (int8_t)(dy < 0 ? -1 : dy > 0 ? 1 : 0);
    c->held.dash = dash;
}

void platform_input(platform_t *p, client_t *c)
{
    SDL_Event e;
    while (SDL_PollEvent(&e))
        platform_on_event(p, c, &e);
    platform_sample_held(p, c);
}

void platform_screenshot(platform_t *p, const client_t *c)
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
