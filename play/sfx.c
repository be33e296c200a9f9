/* sfx.c -- synthesis of the game's sound effects: a table of notes per sound (band-limited
 * square, triangle, sine, sample-and-hold noise; envelopes, glides, vibrato) mixed and low-passed
 * into mono float PCM; SDL-free, depends on common/rng.h and libm */
#include "sfx.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define SFX_MAX_NOTES     10     /* notes of one sound */
#define SFX_MIN_ATTACK_S  0.001f /* a shorter rise is heard as a click */
#define SFX_RELEASE_S     0.008f /* every note fades out over its last 8 ms: no click at its end */
#define SFX_TAIL_S        0.02f  /* silence after the last note, for the low-pass to settle */
#define SFX_NOISE_SEED    0x5f3759df2026ull /* any constant: the noise is the same on every run */
#define SFX_LOWPASS_POLES 2 /* cascaded one-pole filters: 12 dB per octave, soft squares */
#define SFX_TWO_PI        6.283185307179586

/* Equal-tempered pitches (A4 = 440 Hz) of the notes the sounds use. */
#define D3           146.83f
#define E3           164.81f
#define A3           220.00f
#define C4           261.63f
#define E4           329.63f
#define F4           349.23f
#define FS4          369.99f
#define G4           392.00f
#define A4           440.00f
#define C5           523.25f
#define E5           659.26f
#define G5           783.99f
#define A5           880.00f
#define B5           987.77f
#define C6           1046.50f
#define D6           1174.66f
#define E6           1318.51f
#define G6           1567.98f
#define A6           1760.00f
#define C7           2093.00f
#define E7           2637.02f
#define BELL_PARTIAL 2.76f /* a struck bar's first overtone: what makes a tone a bell */

typedef enum sfx_wave {
    WAVE_SQUARE,
    WAVE_TRIANGLE,
    WAVE_SINE,
    WAVE_NOISE,
} sfx_wave_t;

/* One note: a waveform with its own pitch glide and envelope, placed in the sound. */
typedef struct sfx_note {
    float start, dur; /* seconds from the sound's start; dur 0 ends the list */
    sfx_wave_t wave;
    float f0, f1;    /* Hz at the start and the end (exponential glide; f1 0 = f0); noise: new
                        random values per second, so a higher f0 is a brighter hiss */
    float amp;       /* peak amplitude */
    float attack;    /* seconds of linear rise */
    float decay;     /* time constant (s) of the exponential fall after the attack; 0 = held */
    float duty;      /* square: the fraction of the period that is high (0 = one half) */
    float vib_hz;    /* vibrato rate; 0 = none */
    float vib_depth; /* vibrato depth as a fraction of the pitch */
} sfx_note_t;

typedef struct sfx_def {
    const char *name;
    float lowpass_hz; /* the whole sound is softened above this */
    sfx_note_t notes[SFX_MAX_NOTES];
} sfx_def_t;

/* Loudness is set here, by ear and by the numbers bench/sfx_render prints: feedback for your
 * own actions louder and brighter, other players' and the menus' softer. */
static const sfx_def_t SFX_DEFS[SFX_NSOUNDS] = {
    [SFX_COIN_YOU] = {"coin_you",
                      9000.0f,
                      {
                          {0.0f, 0.07f, WAVE_SQUARE, B5, 0, 0.30f, 0.002f, 0, 0.25f, 0, 0},
                          {0.07f, 0.30f, WAVE_SQUARE, E6, 0, 0.30f, 0.002f, 0.12f, 0.25f, 0, 0},
                          {0.07f, 0.22f, WAVE_SINE, E7, 0, 0.07f, 0.002f, 0.06f, 0, 0, 0},
                      }},
    [SFX_COIN_OTHER] = {"coin_other",
                        3000.0f,
                        {
                            {0.0f, 0.05f, WAVE_TRIANGLE, A5, 0, 0.28f, 0.003f, 0, 0, 0, 0},
                            {0.05f, 0.14f, WAVE_TRIANGLE, E6, 0, 0.28f, 0.003f, 0.05f, 0, 0, 0},
                        }},
    [SFX_DASH] = {"dash",
                  7000.0f,
                  {
                      {0.0f, 0.20f, WAVE_NOISE, 2500.0f, 12000.0f, 0.22f, 0.03f, 0.07f, 0, 0, 0},
                      {0.0f, 0.14f, WAVE_SQUARE, A3, 660.0f, 0.10f, 0.005f, 0.06f, 0, 0, 0},
                  }},
    [SFX_STEAL_THIEF] = {"steal_thief",
                         8000.0f,
                         {
                             {0.0f, 0.03f, WAVE_NOISE, 9000.0f, 0, 0.15f, 0.001f, 0.01f, 0, 0, 0},
                             {0.0f, 0.045f, WAVE_SQUARE, C6, 0, 0.25f, 0.002f, 0, 0.25f, 0, 0},
                             {0.045f, 0.045f, WAVE_SQUARE, E6, 0, 0.25f, 0.002f, 0, 0.25f, 0, 0},
                             {0.09f, 0.045f, WAVE_SQUARE, G6, 0, 0.25f, 0.002f, 0, 0.25f, 0, 0},
                             {0.135f, 0.22f, WAVE_SQUARE, C7, 0, 0.25f, 0.002f, 0.08f, 0.25f, 0, 0},
                             {0.135f, 0.22f, WAVE_TRIANGLE, C6, 0, 0.15f, 0.002f, 0.1f, 0, 0, 0},
                         }},
    [SFX_STEAL_ROBBED] = {"steal_robbed",
                          2200.0f,
                          {
                              {0.0f, 0.06f, WAVE_NOISE, 1500.0f, 0, 0.25f, 0.001f, 0.02f, 0, 0, 0},
                              {0.0f, 0.40f, WAVE_SQUARE, A4, 147.0f, 0.30f, 0.005f, 0.25f, 0, 9.0f,
                               0.025f},
                              {0.0f, 0.40f, WAVE_TRIANGLE, A3, 73.0f, 0.25f, 0.005f, 0.3f, 0, 0, 0},
                          }},
    [SFX_STUN] =
        {"stun",
         5000.0f,
         {
             {0.0f, 0.05f, WAVE_NOISE, 900.0f, 0, 0.20f, 0.001f, 0.015f, 0, 0, 0},
             {0.0f, 0.50f, WAVE_TRIANGLE, 1200.0f, 650.0f, 0.28f, 0.004f, 0.3f, 0, 13.0f, 0.05f},
             {0.0f, 0.50f, WAVE_SINE, 1800.0f, 975.0f, 0.10f, 0.004f, 0.25f, 0, 13.0f, 0.05f},
         }},
    [SFX_COUNTDOWN_TICK] = {"countdown_tick",
                            5000.0f,
                            {
                                {0.0f, 0.15f, WAVE_SQUARE, A5, 0, 0.22f, 0.003f, 0.08f, 0, 0, 0},
                                {0.0f, 0.15f, WAVE_TRIANGLE, A4, 0, 0.20f, 0.003f, 0.1f, 0, 0, 0},
                            }},
    [SFX_COUNTDOWN_GO] = {"countdown_go",
                          6500.0f,
                          {
                              {0.0f, 0.50f, WAVE_SQUARE, A6, 0, 0.16f, 0.003f, 0.25f, 0, 0, 0},
                              {0.0f, 0.50f, WAVE_SQUARE, A5, 0, 0.16f, 0.003f, 0.3f, 0.25f, 0, 0},
                              {0.0f, 0.50f, WAVE_SQUARE, E6, 0, 0.10f, 0.003f, 0.3f, 0.25f, 0, 0},
                              {0.0f, 0.50f, WAVE_TRIANGLE, A4, 0, 0.22f, 0.003f, 0.35f, 0, 0, 0},
                          }},
    [SFX_LAST_TICK] = {"last_tick",
                       8000.0f,
                       {
                           {0.0f, 0.07f, WAVE_SINE, 1700.0f, 1300.0f, 0.40f, 0.001f, 0.018f, 0, 0,
                            0},
                           {0.0f, 0.012f, WAVE_NOISE, 12000.0f, 0, 0.12f, 0.001f, 0.004f, 0, 0, 0},
                       }},
    [SFX_ROUND_END] =
        {"round_end",
         7000.0f,
         {
             {0.0f, 0.90f, WAVE_TRIANGLE, C6, 0, 0.30f, 0.002f, 0.3f, 0, 0, 0},
             {0.0f, 0.50f, WAVE_SINE, C6 *BELL_PARTIAL, 0, 0.08f, 0.002f, 0.12f, 0, 0, 0},
             {0.2f, 1.00f, WAVE_TRIANGLE, G5, 0, 0.30f, 0.002f, 0.4f, 0, 0, 0},
             {0.2f, 0.50f, WAVE_SINE, G5 *BELL_PARTIAL, 0, 0.07f, 0.002f, 0.12f, 0, 0, 0},
         }},
    [SFX_WIN] = {"win",
                 7000.0f,
                 {
                     {0.0f, 0.09f, WAVE_SQUARE, C5, 0, 0.18f, 0.002f, 0.1f, 0, 0, 0},
                     {0.09f, 0.09f, WAVE_SQUARE, E5, 0, 0.18f, 0.002f, 0.1f, 0, 0, 0},
                     {0.18f, 0.09f, WAVE_SQUARE, G5, 0, 0.18f, 0.002f, 0.1f, 0, 0, 0},
                     {0.27f, 0.09f, WAVE_SQUARE, C6, 0, 0.18f, 0.002f, 0.1f, 0, 0, 0},
                     {0.36f, 0.70f, WAVE_SQUARE, C6, 0, 0.15f, 0.003f, 0.35f, 0.25f, 0, 0},
                     {0.36f, 0.70f, WAVE_SQUARE, E6, 0, 0.12f, 0.003f, 0.35f, 0.25f, 0, 0},
                     {0.36f, 0.70f, WAVE_SQUARE, G6, 0, 0.10f, 0.003f, 0.35f, 0.25f, 0, 0},
                     {0.36f, 0.70f, WAVE_TRIANGLE, C4, 0, 0.25f, 0.003f, 0.4f, 0, 0, 0},
                 }},
    [SFX_LOSE] = {"lose",
                  1600.0f,
                  {
                      {0.0f, 0.28f, WAVE_SQUARE, G4, 0, 0.18f, 0.015f, 0, 0, 0, 0},
                      {0.0f, 0.28f, WAVE_TRIANGLE, G4 / 2, 0, 0.15f, 0.015f, 0, 0, 0, 0},
                      {0.30f, 0.28f, WAVE_SQUARE, FS4, 0, 0.18f, 0.015f, 0, 0, 0, 0},
                      {0.30f, 0.28f, WAVE_TRIANGLE, FS4 / 2, 0, 0.15f, 0.015f, 0, 0, 0, 0},
                      {0.60f, 0.28f, WAVE_SQUARE, F4, 0, 0.18f, 0.015f, 0, 0, 0, 0},
                      {0.60f, 0.28f, WAVE_TRIANGLE, F4 / 2, 0, 0.15f, 0.015f, 0, 0, 0, 0},
                      {0.90f, 0.80f, WAVE_SQUARE, E4, E4 * 0.97f, 0.18f, 0.015f, 0.6f, 0, 6.0f,
                       0.035f},
                      {0.90f, 0.80f, WAVE_TRIANGLE, E4 / 2, E4 / 2 * 0.97f, 0.15f, 0.015f, 0.6f, 0,
                       6.0f, 0.035f},
                  }},
    [SFX_UI_MOVE] = {"ui_move",
                     6000.0f,
                     {
                         {0.0f, 0.035f, WAVE_SQUARE, E6, 0, 0.14f, 0.001f, 0.015f, 0.125f, 0, 0},
                     }},
    [SFX_UI_CONFIRM] = {"ui_confirm",
                        6000.0f,
                        {
                            {0.0f, 0.05f, WAVE_SQUARE, G5, 0, 0.16f, 0.002f, 0, 0, 0, 0},
                            {0.05f, 0.11f, WAVE_SQUARE, D6, 0, 0.16f, 0.002f, 0.05f, 0, 0, 0},
                        }},
    [SFX_CHAT] = {"chat",
                  5000.0f,
                  {
                      {0.0f, 0.09f, WAVE_SINE, E5, 990.0f, 0.25f, 0.004f, 0.06f, 0, 0, 0},
                      {0.08f, 0.11f, WAVE_SINE, E6, 0, 0.14f, 0.003f, 0.04f, 0, 0, 0},
                  }},
    [SFX_NOT_READY] = {"not_ready",
                       1100.0f,
                       {
                           {0.0f, 0.06f, WAVE_SQUARE, E3, 0, 0.16f, 0.003f, 0, 0, 0, 0},
                           {0.09f, 0.06f, WAVE_SQUARE, D3, 0, 0.16f, 0.003f, 0, 0, 0, 0},
                       }},
};

static bool sound_ok(sfx_sound_t s)
{
    return (int)s >= 0 && s < SFX_NSOUNDS;
}

const char *sfx_name(sfx_sound_t s)
{
    return sound_ok(s) ? SFX_DEFS[s].name : "?";
}

float sfx_duration(sfx_sound_t s)
{
    if (!sound_ok(s))
        return 0.0f;
    float end = 0.0f;
    for (int i = 0; i < SFX_MAX_NOTES && SFX_DEFS[s].notes[i].dur > 0.0f; i++) {
        const sfx_note_t *n = &SFX_DEFS[s].notes[i];
        if (n->start + n->dur > end)
            end = n->start + n->dur;
    }
    return end + SFX_TAIL_S;
}

int sfx_frames(sfx_sound_t s, int rate)
{
    if (!sound_ok(s) || rate < SFX_MIN_RATE || rate > SFX_MAX_RATE)
        return 0;
    return (int)ceilf(sfx_duration(s) * (float)rate);
}

/* PolyBLEP: smooths a square's jumps over one sample each side, which removes most of the
 * aliasing a naive square has at high pitches (what makes chiptune effects sound harsh). */
static double poly_blep(double t, double dt)
{
    if (t < dt) {
        t /= dt;
        return t + t - t * t - 1.0;
    }
    if (t > 1.0 - dt) {
        t = (t - 1.0) / dt;
        return t * t + t + t + 1.0;
    }
    return 0.0;
}

static double osc_square(double phase, double dt, double duty)
{
    double v = phase < duty ? 1.0 : -1.0;
    v += poly_blep(phase, dt);
    double falling = phase - duty;
    if (falling < 0.0)
        falling += 1.0;
    v -= poly_blep(falling, dt);
    return v;
}

static double noise_value(uint64_t *rng)
{
    /* The top 24 bits as a uniform value in [-1, 1). */
    return (double)(rng_next(rng) >> 40) / (double)(1u << 23) - 1.0;
}

static double envelope(const sfx_note_t *n, double t, int i, int len, int release)
{
    double attack = n->attack > SFX_MIN_ATTACK_S ? n->attack : SFX_MIN_ATTACK_S;
    double e;
    if (t < attack)
        e = t / attack;
    else if (n->decay > 0.0f)
        e = exp(-(t - attack) / n->decay);
    else
        e = 1.0;
    if (len - i < release)
        e *= (double)(len - i) / release;
    return e;
}

/* Adds one note to out (frames samples): it never writes past the buffer. */
static void render_note(const sfx_note_t *n, uint64_t seed, int rate, float *out, int frames)
{
    int first = (int)lround(n->start * rate);
    int len = (int)lround(n->dur * rate);
    if (first >= frames || len <= 0)
        return;
    if (first + len > frames)
        len = frames - first;
    int release = (int)lround(SFX_RELEASE_S * rate);
    if (release < 1)
        release = 1;
    double f1 = n->f1 > 0.0f ? n->f1 : n->f0;
    double glide = log(f1 / n->f0); /* exponential glide: equal steps in pitch, as ears hear */
    double duty = n->duty > 0.0f ? n->duty : 0.5;
    uint64_t rng = seed;
    double held = noise_value(&rng);
    double phase = 0.0;
    for (int i = 0; i < len; i++) {
        double t = (double)i / rate;
        double f = n->f0 * exp(glide * i / len);
        if (n->vib_hz > 0.0f)
            f *= 1.0 + n->vib_depth * sin(SFX_TWO_PI * n->vib_hz * t);
        double dt = f / rate;
        if (dt > 0.5)
            dt = 0.5; /* above Nyquist: keep the oscillator sane */
        double v;
        switch (n->wave) {
        case WAVE_SQUARE:
            v = osc_square(phase, dt, duty);
            break;
        case WAVE_TRIANGLE:
            v = 4.0 * fabs(phase - 0.5) - 1.0;
            break;
        case WAVE_SINE:
            v = sin(SFX_TWO_PI * phase);
            break;
        default:
            v = held;
            break;
        }
        out[first + i] += (float)(n->amp * envelope(n, t, i, len, release) * v);
        phase += dt;
        if (phase >= 1.0) {
            phase -= 1.0;
            if (n->wave == WAVE_NOISE)
                held = noise_value(&rng);
        }
    }
}

int sfx_render(sfx_sound_t s, int rate, float *out, int cap)
{
    int frames = sfx_frames(s, rate);
    if (frames <= 0 || !out || cap < frames)
        return -1;
    const sfx_def_t *d = &SFX_DEFS[s];
    memset(out, 0, (size_t)frames * sizeof *out);
    for (int i = 0; i < SFX_MAX_NOTES && d->notes[i].dur > 0.0f; i++)
        render_note(&d->notes[i], SFX_NOISE_SEED ^ (uint64_t)(s * SFX_MAX_NOTES + i), rate, out,
                    frames);

    /* One-pole low-passes, cascaded: y += a (x - y). */
    double a = 1.0 - exp(-SFX_TWO_PI * d->lowpass_hz / rate);
    for (int p = 0; p < SFX_LOWPASS_POLES; p++) {
        double y = 0.0;
        for (int i = 0; i < frames; i++) {
            y += a * (out[i] - y);
            out[i] = (float)y;
        }
    }

    /* The table is tuned to stay under SFX_PEAK_MAX; this only guards a future edit. */
    float peak = 0.0f;
    for (int i = 0; i < frames; i++)
        peak = fmaxf(peak, fabsf(out[i]));
    if (peak > SFX_PEAK_MAX) {
        float k = SFX_PEAK_MAX / peak;
        for (int i = 0; i < frames; i++)
            out[i] *= k;
    }
    return frames;
}

int sfx_bank_init(sfx_bank_t *b, int rate)
{
    memset(b, 0, sizeof *b);
    if (rate < SFX_MIN_RATE || rate > SFX_MAX_RATE)
        return -1;
    b->rate = rate;
    for (int s = 0; s < SFX_NSOUNDS; s++) {
        int frames = sfx_frames((sfx_sound_t)s, rate);
        b->pcm[s] = malloc((size_t)frames * sizeof(float));
        if (!b->pcm[s] || sfx_render((sfx_sound_t)s, rate, b->pcm[s], frames) != frames) {
            sfx_bank_free(b);
            return -1;
        }
        b->frames[s] = frames;
    }
    return 0;
}

void sfx_bank_free(sfx_bank_t *b)
{
    for (int s = 0; s < SFX_NSOUNDS; s++)
        free(b->pcm[s]);
    memset(b, 0, sizeof *b);
}
