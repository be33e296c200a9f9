/* sfx_mix.c -- the voice mixer behind the audio callback: a lock-free single-producer queue of
 * plays, constant-power panning, a gliding master gain and a soft clip; SDL-free, depends on
 * sfx.h and C11 atomics */
#include "sfx_mix.h"

#include <math.h>
#include <string.h>

#define SFX_MIX_QUEUE_MASK (SFX_MIX_QUEUE - 1u)
#define SFX_MIX_QUARTER_PI 0.78539816f
#define SFX_MIX_MONO_GAIN  0.70710678f /* a mono device hears a sound as loud as a centred one */

_Static_assert((SFX_MIX_QUEUE & (SFX_MIX_QUEUE - 1)) == 0, "SFX_MIX_QUEUE is a power of two");

static float clampf(float v, float lo, float hi)
{
    /* NaN becomes lo: a bad volume from a caller must not poison the mix. */
    return v >= lo ? (v <= hi ? v : hi) : lo;
}

float sfx_mix_master_gain(int volume)
{
    float v = clampf((float)volume / SFX_MIX_MASTER_MAX, 0.0f, 1.0f);
    return v * v;
}

void sfx_mix_init(sfx_mix_t *m, const sfx_bank_t *bank, int channels)
{
    memset(m, 0, sizeof *m);
    m->bank = bank;
    m->channels = channels < 1                      ? 1
                  : channels > SFX_MIX_MAX_CHANNELS ? SFX_MIX_MAX_CHANNELS
                                                    : channels;
    atomic_init(&m->head, 0u);
    atomic_init(&m->tail, 0u);
    atomic_init(&m->dropped, 0u);
    atomic_init(&m->master, SFX_MIX_MASTER_MAX);
    atomic_init(&m->muted, false);
    for (int i = 0; i < SFX_MIX_VOICES; i++)
        m->voices[i].sound = -1;
    m->gain = sfx_mix_master_gain(SFX_MIX_MASTER_MAX);
}

bool sfx_mix_play(sfx_mix_t *m, sfx_sound_t s, float volume, float pan)
{
    if ((int)s < 0 || s >= SFX_NSOUNDS)
        return false;
    unsigned head = atomic_load_explicit(&m->head, memory_order_relaxed);
    unsigned tail = atomic_load_explicit(&m->tail, memory_order_acquire);
    if (head - tail >= SFX_MIX_QUEUE) {
        atomic_fetch_add_explicit(&m->dropped, 1u, memory_order_relaxed);
        return false;
    }
    sfx_mix_cmd_t *c = &m->queue[head & SFX_MIX_QUEUE_MASK];
    c->sound = (int)s;
    c->volume = clampf(volume, 0.0f, 1.0f);
    c->pan = clampf(pan, -1.0f, 1.0f);
    /* Release: the command's fields are visible before the consumer sees the new head. */
    atomic_store_explicit(&m->head, head + 1u, memory_order_release);
    return true;
}

void sfx_mix_set_master(sfx_mix_t *m, int volume)
{
    int v = volume < 0 ? 0 : volume > SFX_MIX_MASTER_MAX ? SFX_MIX_MASTER_MAX : volume;
    atomic_store_explicit(&m->master, v, memory_order_relaxed);
}

int sfx_mix_master(const sfx_mix_t *m)
{
    return atomic_load_explicit(&m->master, memory_order_relaxed);
}

void sfx_mix_set_muted(sfx_mix_t *m, bool muted)
{
    atomic_store_explicit(&m->muted, muted, memory_order_relaxed);
}

bool sfx_mix_muted(const sfx_mix_t *m)
{
    return atomic_load_explicit(&m->muted, memory_order_relaxed);
}

int sfx_mix_active(const sfx_mix_t *m)
{
    int n = 0;
    for (int i = 0; i < SFX_MIX_VOICES; i++)
        n += m->voices[i].sound >= 0;
    return n;
}

static void voice_gains(const sfx_mix_t *m, const sfx_mix_cmd_t *c, float *left, float *right)
{
    if (m->channels == 1) {
        *left = *right = c->volume * SFX_MIX_MONO_GAIN;
        return;
    }
    /* Constant power: a sound keeps its loudness as it moves across. */
    float angle = (c->pan + 1.0f) * SFX_MIX_QUARTER_PI;
    *left = c->volume * cosf(angle);
    *right = c->volume * sinf(angle);
}

static void start_voice(sfx_mix_t *m, const sfx_mix_cmd_t *c)
{
    float left, right;
    voice_gains(m, c, &left, &right);
    sfx_voice_t *slot = NULL;
    for (int i = 0; i < SFX_MIX_VOICES; i++) {
        sfx_voice_t *v = &m->voices[i];
        if (v->sound == c->sound && v->fresh) {
            v->left = fmaxf(v->left, left);
            v->right = fmaxf(v->right, right);
            return;
        }
        if (v->sound < 0 && !slot)
            slot = v;
    }
    if (!slot) {
        /* All busy: the voice nearest its end is the least missed. */
        int least = -1;
        for (int i = 0; i < SFX_MIX_VOICES; i++) {
            const sfx_voice_t *v = &m->voices[i];
            int left_frames = m->bank->frames[v->sound] - v->pos;
            if (least < 0 || left_frames < least) {
                least = left_frames;
                slot = &m->voices[i];
            }
        }
    }
    slot->sound = c->sound;
    slot->pos = 0;
    slot->left = left;
    slot->right = right;
    slot->fresh = true;
}

/* Takes every queued play; while muted they are dropped, not saved for later. */
static void drain_queue(sfx_mix_t *m, bool muted)
{
    unsigned tail = atomic_load_explicit(&m->tail, memory_order_relaxed);
    unsigned head = atomic_load_explicit(&m->head, memory_order_acquire);
    for (; tail != head; tail++) {
        sfx_mix_cmd_t c = m->queue[tail & SFX_MIX_QUEUE_MASK];
        if (!muted && m->bank)
            start_voice(m, &c);
    }
    atomic_store_explicit(&m->tail, tail, memory_order_release);
}

static float soft_clip(float x)
{
    float a = fabsf(x);
    if (a <= SFX_MIX_KNEE)
        return x;
    /* Above the knee: K + (C - K) * u / (1 + u), which has slope 1 at the knee (no kink) and
     * stays below C for every finite u. */
    float u = (a - SFX_MIX_KNEE) / (SFX_MIX_CEILING - SFX_MIX_KNEE);
    float y = SFX_MIX_KNEE + (SFX_MIX_CEILING - SFX_MIX_KNEE) * (u / (1.0f + u));
    return x < 0.0f ? -y : y;
}

void sfx_mix_render(sfx_mix_t *m, float *out, int frames)
{
    int ch = m->channels;
    if (frames <= 0)
        return;
    memset(out, 0, (size_t)frames * (size_t)ch * sizeof *out);
    bool muted = sfx_mix_muted(m);
    for (int i = 0; i < SFX_MIX_VOICES; i++)
        m->voices[i].fresh = false;
    drain_queue(m, muted);
    if (!m->bank)
        return;

    for (int i = 0; i < SFX_MIX_VOICES; i++) {
        sfx_voice_t *v = &m->voices[i];
        if (v->sound < 0)
            continue;
        const float *pcm = m->bank->pcm[v->sound];
        int n = m->bank->frames[v->sound] - v->pos;
        if (n > frames)
            n = frames;
        if (ch == 1) {
            for (int f = 0; f < n; f++)
                out[f] += pcm[v->pos + f] * v->left;
        } else {
            for (int f = 0; f < n; f++) {
                float s = pcm[v->pos + f];
                out[f * ch] += s * v->left;
                out[f * ch + 1] += s * v->right;
            }
        }
        v->pos += n;
        if (v->pos >= m->bank->frames[v->sound])
            v->sound = -1;
    }

    float target = muted ? 0.0f : sfx_mix_master_gain(sfx_mix_master(m));
    float step = 1000.0f / ((float)SFX_MIX_RAMP_MS * (float)m->bank->rate);
    for (int f = 0; f < frames; f++) {
        if (m->gain < target)
            m->gain = fminf(target, m->gain + step);
        else if (m->gain > target)
            m->gain = fmaxf(target, m->gain - step);
        float g = m->gain * SFX_MIX_HEADROOM;
        for (int c = 0; c < ch && c < 2; c++)
            out[f * ch + c] = soft_clip(out[f * ch + c] * g);
    }
    /* Muted and faded out: what was playing is over, so unmuting starts from silence. */
    if (muted && m->gain <= 0.0f)
        for (int i = 0; i < SFX_MIX_VOICES; i++)
            m->voices[i].sound = -1;
}
