/* sfx_mix.h -- the mixer: up to SFX_MIX_VOICES sounds from an sfx_bank at once, each with its own
 * volume and pan, under a master volume and mute, soft-clipped below full scale; fed through a
 * lock-free queue so the game thread never waits for the audio thread; SDL-free, depends on sfx.h
 * and C11 atomics */
#ifndef NINE43_SFX_MIX_H
#define NINE43_SFX_MIX_H

#include <stdatomic.h>
#include <stdbool.h>

#include "sfx.h"

#define SFX_MIX_VOICES       16 /* sounds heard at once; a new one replaces the nearest its end */
#define SFX_MIX_QUEUE        64 /* plays waiting for the audio thread (a power of two) */
#define SFX_MIX_MAX_CHANNELS 8  /* output channels rendered (SDL gives up to 7.1) */
#define SFX_MIX_MASTER_MAX   100
#define SFX_MIX_RAMP_MS      10 /* master volume and mute glide this long: no click */
/* Sums are scaled by SFX_MIX_HEADROOM, then pass unchanged up to SFX_MIX_KNEE and bend
 * smoothly towards SFX_MIX_CEILING above it, which they never reach: the output never clips
 * however many voices play. */
#define SFX_MIX_HEADROOM 0.8f
#define SFX_MIX_KNEE     0.6f
#define SFX_MIX_CEILING  0.95f

typedef struct sfx_mix_cmd {
    int sound; /* an sfx_sound_t */
    float volume, pan;
} sfx_mix_cmd_t;

typedef struct sfx_voice {
    int sound; /* -1: free */
    int pos;   /* next frame of the sound */
    float left, right;
    bool fresh; /* started by the current render: another play of it merges into this one */
} sfx_voice_t;

typedef struct sfx_mix {
    const sfx_bank_t *bank; /* not owned; NULL renders silence */
    int channels;           /* 1..SFX_MIX_MAX_CHANNELS; channel 0 is left, 1 right */

    /* Single producer (the game thread: sfx_mix_play) and single consumer (the audio
     * thread: sfx_mix_render). head and tail only grow; their difference is the fill. */
    sfx_mix_cmd_t queue[SFX_MIX_QUEUE];
    atomic_uint head, tail;
    atomic_uint dropped; /* plays lost to a full queue */

    atomic_int master; /* 0..SFX_MIX_MASTER_MAX */
    atomic_bool muted;

    /* The audio thread's own. */
    sfx_voice_t voices[SFX_MIX_VOICES];
    float gain; /* master gain now, gliding towards the target */
} sfx_mix_t;

/* channels is clamped to 1..SFX_MIX_MAX_CHANNELS. Master volume starts at SFX_MIX_MASTER_MAX,
 * not muted. */
void sfx_mix_init(sfx_mix_t *m, const sfx_bank_t *bank, int channels);

/* Queues a sound (game thread). volume 0..1, pan -1 (left) .. 1 (right); both are clamped.
 * Never blocks; returns false when the queue is full (the play is dropped) or s is out of
 * range. A play of a sound already started by the same render merges with it (the louder
 * volume wins), so eight coins on one tick do not sound eight times as loud. */
bool sfx_mix_play(sfx_mix_t *m, sfx_sound_t s, float volume, float pan);

/* Master volume 0..SFX_MIX_MASTER_MAX (clamped), heard as gain (v/100)^2, close to the
 * loudness steps ears expect from a slider; and mute. Any thread. */
void sfx_mix_set_master(sfx_mix_t *m, int volume);
int sfx_mix_master(const sfx_mix_t *m);
void sfx_mix_set_muted(sfx_mix_t *m, bool muted);
bool sfx_mix_muted(const sfx_mix_t *m);

/* The gain a master volume gives. */
float sfx_mix_master_gain(int volume);

/* Renders frames interleaved frames of m->channels floats into out (audio thread): takes the
 * queued plays, mixes the voices, applies the master gain and the soft clip. Every sample is
 * within +-SFX_MIX_CEILING. */
void sfx_mix_render(sfx_mix_t *m, float *out, int frames);

/* Voices playing now (audio thread, or any thread when none renders). */
int sfx_mix_active(const sfx_mix_t *m);

#endif
