/* audio.h -- the client's sound output: SDL2's default audio device fed by a callback that runs
 * the mixer (sfx_mix.h) over sounds rendered once at the device's rate (sfx.h); without a device
 * every call is a harmless no-op; depends on SDL2, sfx.h, sfx_mix.h, sfx_events.h */
#ifndef NINE43_AUDIO_H
#define NINE43_AUDIO_H

#include <stdbool.h>
#include <stdint.h>

#include "sfx.h"
#include "sfx_events.h"

/* What is asked of the device; SDL may give anything else (SDL_AUDIO_ALLOW_ANY_CHANGE) and the
 * callback converts. */
#define AUDIO_WANT_RATE     48000
#define AUDIO_WANT_CHANNELS 2
/* Frames per callback: about 11 ms at 48 kHz, short enough that a sound starts within a frame
 * or so of its event, long enough not to starve on a busy machine. */
#define AUDIO_WANT_SAMPLES 512
/* Frames the callback mixes at a time (its scratch buffer); a larger request is done in parts. */
#define AUDIO_CHUNK_FRAMES 1024

typedef struct audio audio_t;

/* Opens the default output device and starts it. Without a device (no sound card, the server's
 * box, a bad or dummy SDL_AUDIODRIVER that opens nothing, an init failure) it logs one line
 * (SDL_Log) and returns a silent audio_t on which every call below works and does nothing.
 * Returns NULL only when out of memory; every function accepts NULL too. Initialises SDL's
 * audio subsystem itself (SDL_InitSubSystem), so it may be called before or after SDL_Init. */
audio_t *audio_open(void);

/* Stops the device (waits for a running callback), frees everything, quits the audio
 * subsystem it initialised. */
void audio_close(audio_t *a);

/* True when a device is open and playing. */
bool audio_ok(const audio_t *a);

/* Plays a sound, volume 0..1, pan -1 (left) .. 1 (right). Lock-free: it only queues (a full
 * queue drops the sound); call it from one thread, the frame loop. */
void audio_play(audio_t *a, sfx_sound_t s, float volume, float pan);

/* audio_play for each of n events (from sfx_events_*). */
void audio_play_events(audio_t *a, const sfx_event_t *ev, int n);

/* Master volume 0..100 (clamped; heard as a squared gain, see sfx_mix.h) and mute. They are
 * kept without a device too, so settings round-trip. */
void audio_set_volume(audio_t *a, int volume);
int audio_volume(const audio_t *a);
void audio_set_muted(audio_t *a, bool muted);
bool audio_muted(const audio_t *a);
/* Flips mute (the M key) and returns the new state. */
bool audio_toggle_mute(audio_t *a);

/* The device's format as a short text ("48000 Hz, 2 ch, f32") or "no device"; for the debug
 * overlay and the log. */
const char *audio_describe(const audio_t *a);

/* Writes n mixed samples (within +-1) as SDL audio format sdl_format (an SDL_AudioFormat:
 * native-endian f32, s32, s16, u16, or s8, u8) to out. Returns the bytes written, or -1 for
 * another format (the callback never sees one: SDL converts those). */
int audio_convert(const float *in, int n, uint16_t sdl_format, void *out);

/* Frames the callback has mixed so far (0 without a device): lets a test see it run. */
unsigned long audio_frames_mixed(const audio_t *a);

#endif
