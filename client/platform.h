/* platform.h -- the client's SDL platform layer: SDL start and stop, the window and renderer,
 * the audio device, input mapped to input_event_t, controllers, fullscreen, screenshots; on
 * SDL2, ui_sdl.h, audio.h and client.h */
#ifndef NINE43_PLATFORM_H
#define NINE43_PLATFORM_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "audio.h"
#include "client.h"
#include "ui_sdl.h"

#define PLATFORM_STICK_DEAD      12000 /* stick travel below this is ignored (of 32767) */
#define PLATFORM_MAX_CONTROLLERS 4

typedef struct platform {
    bool sdl_up, net_up, ttf_up; /* what platform_close has to stop */
    SDL_Window *win;
    SDL_Renderer *ren;
    ui_t *ui;
    bool vsync;
    bool fullscreen_applied;
    SDL_GameController *pads[PLATFORM_MAX_CONTROLLERS];
    int8_t stick_x, stick_y; /* last direction sent as a menu event, per axis */
    bool shot[SCENE_COUNT];
    const char *screenshot_dir;
    audio_t *audio; /* silent (but usable) without a sound device */
    FILE *sfx_log;  /* $NINE43_SFX_LOG: every sound played, to check a recording against */
} platform_t;

/* Starts SDL (video, events, controllers when there are any), the audio device (a missing one
 * is logged once and never an error), SDL_net and SDL_ttf. Returns 0, or -1 after saying why
 * on stderr. */
int platform_init(platform_t *p);

/* When this process has no standard error to print to (a windowed program on Windows, started
 * from Explorer), what it prints goes to PLATFORM_LOG_NAME in its pref folder instead. */
#define PLATFORM_LOG_NAME "nine43.log"
void platform_log_to_file(void);
/* Opens a w x h window (fullscreen on the desktop when asked), its renderer, the fonts from
 * font_dir and the controllers plugged in; starts text input. Returns 0, or -1 after saying why
 * on stderr. */
int platform_open(platform_t *p, int w, int h, int min_w, int min_h, bool fullscreen,
                  const char *font_dir);
/* Frees whatever platform_init and platform_open made, however far they got. */
void platform_close(platform_t *p);

/* Saves one BMP per scene into dir (made if missing). Returns 0, or -1 after saying why. */
int platform_screenshots_to(platform_t *p, const char *dir);
/* The settings file: $NINE43_SETTINGS, else settings.json in SDL's folder for the game; none
 * ("") for --autoplay without $NINE43_SETTINGS, so that scripted runs leave the player's own
 * settings alone. */
void platform_settings_path(char *out, size_t cap, bool autoplay);

/* Every frame: hands SDL's events to c as input events, then samples the held controls. */
void platform_input(platform_t *p, client_t *c);
/* Follows c->settings.fullscreen (F11 and the settings screen change it). */
void platform_apply_fullscreen(platform_t *p, client_t *c);
/* After update: follows the volume and mute settings and plays the sounds the scenes queued
 * (c->sfx), emptying the queue. With $NINE43_SFX_LOG set (a file path), each one is also
 * written there as "<SDL_GetTicks ms> <frames mixed so far> <sound> <volume> <pan>": the frame
 * count is where it starts in a recording of the output (bench/record_round.sh). */
void platform_play_sounds(platform_t *p, client_t *c);
/* After a ready frame: saves the scene's screenshot the first time it is drawn. */
void platform_screenshot(platform_t *p, const client_t *c);

#endif
