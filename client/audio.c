/* audio.c -- SDL2 audio output: opens the default device (any rate, channels, format), renders
 * the sound bank at its rate and mixes in the callback; a missing device makes every call a
 * no-op; depends on SDL2, sfx.h, sfx_mix.h */
#include "audio.h"

#include <SDL.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfx_mix.h"

#define AUDIO_DESC_SIZE 64

struct audio {
    SDL_AudioDeviceID dev; /* 0: no device, everything is a no-op */
    bool subsystem;        /* this audio_t initialised SDL's audio subsystem */
    SDL_AudioSpec have;
    sfx_bank_t bank;
    sfx_mix_t mix;
    atomic_ulong frames_mixed;
    char desc[AUDIO_DESC_SIZE];
    float scratch[AUDIO_CHUNK_FRAMES * SFX_MIX_MAX_CHANNELS]; /* the callback's own */
};

/* The formats audio_convert writes; for any other SDL converts (see open_device). */
static const char *format_name(SDL_AudioFormat f)
{
    switch (f) {
    case AUDIO_F32SYS:
        return "f32";
    case AUDIO_S32SYS:
        return "s32";
    case AUDIO_S16SYS:
        return "s16";
    case AUDIO_U16SYS:
        return "u16";
    case AUDIO_S8:
        return "s8";
    case AUDIO_U8:
        return "u8";
    default:
        return NULL;
    }
}

int audio_convert(const float *in, int n, uint16_t sdl_format, void *dst)
{
    /* The mixer keeps every sample within +-SFX_MIX_CEILING < 1, so no conversion overflows. */
    Uint8 *out = dst;
    switch (sdl_format) {
    case AUDIO_F32SYS:
        memcpy(out, in, (size_t)n * sizeof *in);
        return n * 4;
    case AUDIO_S32SYS:
        for (int i = 0; i < n; i++) {
            int32_t v = (int32_t)lrint((double)in[i] * INT32_MAX);
            memcpy(out + 4 * i, &v, sizeof v);
        }
        return n * 4;
    case AUDIO_S16SYS:
        for (int i = 0; i < n; i++) {
            int16_t v = (int16_t)lrintf(in[i] * INT16_MAX);
            memcpy(out + 2 * i, &v, sizeof v);
        }
        return n * 2;
    case AUDIO_U16SYS:
        for (int i = 0; i < n; i++) {
            uint16_t v = (uint16_t)(lrintf(in[i] * INT16_MAX) + 32768);
            memcpy(out + 2 * i, &v, sizeof v);
        }
        return n * 2;
    case AUDIO_S8:
        for (int i = 0; i < n; i++)
            out[i] = (Uint8)(int8_t)lrintf(in[i] * INT8_MAX);
        return n;
    case AUDIO_U8:
        for (int i = 0; i < n; i++)
            out[i] = (Uint8)(lrintf(in[i] * INT8_MAX) + 128);
        return n;
    default:
        return -1;
    }
}

/* The audio thread. It holds no lock the game thread takes: plays arrive through the mixer's
 * lock-free queue, volume and mute through atomics. */
static void callback(void *ud, Uint8 *stream, int len)
{
    audio_t *a = ud;
    int ch = a->have.channels;
    int frame_bytes = (int)(SDL_AUDIO_BITSIZE(a->have.format) / 8) * ch;
    int frames = len / frame_bytes;
    Uint8 *p = stream;
    for (int left = frames; left > 0;) {
        int n = left < AUDIO_CHUNK_FRAMES ? left : AUDIO_CHUNK_FRAMES;
        sfx_mix_render(&a->mix, a->scratch, n);
        audio_convert(a->scratch, n * ch, a->have.format, p);
        p += n * frame_bytes;
        left -= n;
    }
    if (len > frames * frame_bytes) /* never for SDL's own sizes; silence, not garbage */
        memset(p, a->have.silence, (size_t)(len - frames * frame_bytes));
    atomic_fetch_add_explicit(&a->frames_mixed, (unsigned long)frames, memory_order_relaxed);
}

static bool spec_usable(const SDL_AudioSpec *s)
{
    return format_name(s->format) && s->channels >= 1 && s->channels <= SFX_MIX_MAX_CHANNELS &&
           s->freq >= SFX_MIN_RATE && s->freq <= SFX_MAX_RATE;
}

static SDL_AudioDeviceID open_device(audio_t *a)
{
    SDL_AudioSpec want;
    SDL_zero(want);
    want.freq = AUDIO_WANT_RATE;
    want.format = AUDIO_F32SYS;
    want.channels = AUDIO_WANT_CHANNELS;
    want.samples = AUDIO_WANT_SAMPLES;
    want.callback = callback;
    want.userdata = a;
    /* Whatever the device prefers costs SDL no conversion; only a format the callback cannot
     * write (a foreign byte order, say) makes us ask SDL to convert from exactly our own. */
    SDL_AudioDeviceID dev =
        SDL_OpenAudioDevice(NULL, 0, &want, &a->have, SDL_AUDIO_ALLOW_ANY_CHANGE);
    if (dev && !spec_usable(&a->have)) {
        SDL_CloseAudioDevice(dev);
        dev = SDL_OpenAudioDevice(NULL, 0, &want, &a->have, 0);
    }
    return dev;
}

static audio_t *no_device(audio_t *a, const char *why)
{
    SDL_Log("nine43: no sound (%s); the game goes on silent", why);
    snprintf(a->desc, sizeof a->desc, "no device");
    return a;
}

audio_t *audio_open(void)
{
    audio_t *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    atomic_init(&a->frames_mixed, 0ul);
    /* Volume and mute work without a device too (settings round-trip). */
    sfx_mix_init(&a->mix, NULL, AUDIO_WANT_CHANNELS);

    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        return no_device(a, SDL_GetError());
    a->subsystem = true;
    a->dev = open_device(a);
    if (!a->dev)
        return no_device(a, SDL_GetError());
    if (sfx_bank_init(&a->bank, a->have.freq) != 0) {
        SDL_CloseAudioDevice(a->dev);
        a->dev = 0;
        return no_device(a, "out of memory for the sounds");
    }
    /* The device is still paused: the callback cannot run before the mixer is ready. */
    sfx_mix_init(&a->mix, &a->bank, a->have.channels);
    snprintf(a->desc, sizeof a->desc, "%d Hz, %d ch, %s", a->have.freq, a->have.channels,
             format_name(a->have.format));
    SDL_Log("nine43: sound on %s (%s)", SDL_GetCurrentAudioDriver(), a->desc);
    SDL_PauseAudioDevice(a->dev, 0);
    return a;
}

void audio_close(audio_t *a)
{
    if (!a)
        return;
    if (a->dev)
        SDL_CloseAudioDevice(a->dev); /* returns once the callback has stopped */
    sfx_bank_free(&a->bank);
    if (a->subsystem)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free(a);
}

bool audio_ok(const audio_t *a)
{
    return a && a->dev != 0;
}

void audio_play(audio_t *a, sfx_sound_t s, float volume, float pan)
{
    if (!a || !a->dev)
        return;
    sfx_mix_play(&a->mix, s, volume, pan);
}

void audio_play_events(audio_t *a, const sfx_event_t *ev, int n)
{
    for (int i = 0; ev && i < n; i++)
        audio_play(a, ev[i].sound, ev[i].volume, ev[i].pan);
}

void audio_set_volume(audio_t *a, int volume)
{
    if (a)
        sfx_mix_set_master(&a->mix, volume);
}

int audio_volume(const audio_t *a)
{
    return a ? sfx_mix_master(&a->mix) : 0;
}

void audio_set_muted(audio_t *a, bool muted)
{
    if (a)
        sfx_mix_set_muted(&a->mix, muted);
}

bool audio_muted(const audio_t *a)
{
    return a ? sfx_mix_muted(&a->mix) : true;
}

bool audio_toggle_mute(audio_t *a)
{
    if (!a)
        return true;
    bool muted = !sfx_mix_muted(&a->mix);
    sfx_mix_set_muted(&a->mix, muted);
    return muted;
}

const char *audio_describe(const audio_t *a)
{
    return a ? a->desc : "no device";
}

unsigned long audio_frames_mixed(const audio_t *a)
{
    return a ? atomic_load_explicit(&a->frames_mixed, memory_order_relaxed) : 0ul;
}
