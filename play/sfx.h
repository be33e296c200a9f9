/* sfx.h -- the game's sound effects, synthesised in code into mono float PCM at any rate; SDL-free,
 * depends on common/rng.h and libm only */
#ifndef NINE43_SFX_H
#define NINE43_SFX_H

#include <stdbool.h>

/* Sample rates a bank can be rendered at: SDL devices give 8 kHz .. 192 kHz. */
#define SFX_MIN_RATE 8000
#define SFX_MAX_RATE 192000
/* No rendered sample goes above this (about -2 dBFS), so one sound alone never clips and the
 * mixer has room for several. */
#define SFX_PEAK_MAX 0.8f

/* Every effect of the game (issue 14). */
typedef enum sfx_sound {
    SFX_COIN_YOU,       /* you took a coin: bright, two rising notes */
    SFX_COIN_OTHER,     /* someone else took one: softer, duller, shorter */
    SFX_DASH,           /* a dash starts: a rising whoosh */
    SFX_STEAL_THIEF,    /* you stole a point: a quick rising arpeggio */
    SFX_STEAL_ROBBED,   /* you were robbed: a falling "womp" */
    SFX_STUN,           /* a stun without a point lost: a dizzy warble */
    SFX_COUNTDOWN_TICK, /* 3, 2, 1 before a round */
    SFX_COUNTDOWN_GO,   /* GO */
    SFX_LAST_TICK,      /* each of the last 10 seconds: a clock's tock */
    SFX_ROUND_END,      /* time is up: a two-strike bell */
    SFX_WIN,            /* results, you ranked first: a major arpeggio and chord */
    SFX_LOSE,           /* results, you did not: a sad descending "wah wah" */
    SFX_UI_MOVE,        /* a menu focus moves */
    SFX_UI_CONFIRM,     /* a menu choice is confirmed */
    SFX_CHAT,           /* a chat line arrives */
    SFX_NOT_READY,      /* dash pressed while it cannot start: two soft low blips */
    SFX_NSOUNDS
} sfx_sound_t;

/* Every sound rendered once at one rate: what the mixer plays from. */
typedef struct sfx_bank {
    int rate;
    float *pcm[SFX_NSOUNDS]; /* mono, -SFX_PEAK_MAX .. SFX_PEAK_MAX */
    int frames[SFX_NSOUNDS];
} sfx_bank_t;

/* A short lower-case name ("coin_you"), or "?" out of range. */
const char *sfx_name(sfx_sound_t s);

/* The sound's length in seconds (its last note's end plus a short tail for the filter). */
float sfx_duration(sfx_sound_t s);

/* Samples of the sound at rate, 0 for a bad sound or rate. */
int sfx_frames(sfx_sound_t s, int rate);

/* Renders the sound at rate into out (cap samples). Returns the samples written (all of
 * sfx_frames, or -1 when cap is too small or s or rate are out of range). Deterministic: the
 * same sound and rate give the same samples on every machine that rounds floats the same. */
int sfx_render(sfx_sound_t s, int rate, float *out, int cap);

/* Renders every sound at rate (a few milliseconds of CPU). Returns 0, or -1 (bad rate, out of
 * memory) with nothing left allocated. */
int sfx_bank_init(sfx_bank_t *b, int rate);
void sfx_bank_free(sfx_bank_t *b);

#endif
