/* sfx_render.c -- writes every sound effect, and the mix of a whole synthetic round (countdown, a
 * round of four autoplay brains by the real rules, the results' jingle), to float WAV files and
 * prints their levels, so they can be measured (sox FILE -n stat) and looked at; SDL-free,
 * depends on common/ (sim, world, proto, opt, assets) and client/ (sfx, sfx_mix, sfx_events,
 * brain) */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "assets.h"
#include "brain.h"
#include "opt.h"
#include "proto.h"
#include "sfx.h"
#include "sfx_events.h"
#include "sfx_mix.h"
#include "sim.h"
#include "world.h"

#define RENDER_DEFAULT_RATE    48000
#define RENDER_DEFAULT_SECONDS 20 /* the round's length: its last 10 s tick */
#define RENDER_TINY_RATE       8000
#define RENDER_MAX_SECONDS     600
#define RENDER_PLAYERS         4
#define RENDER_COUNTDOWN_MS    3500 /* silence, then 3, 2, 1, GO */
#define RENDER_RESULTS_MS      300  /* from the round's end to the results' jingle */
#define RENDER_TAIL_MS         2000 /* after the jingle: it rings out */
#define RENDER_WINDOW_MS       500  /* one line of the level meter */
#define RENDER_METER_FLOOR_DB  60.0 /* the meter's bar starts at -60 dBFS */
#define RENDER_METER_DB_CHAR   2.0  /* dB per character of the bar */
#define RENDER_SEED            20261128
#define RENDER_WORLD           "arena"
/* Pass marks: a sound or a mix is "not silent" above this RMS (-40 dBFS) and does not clip
 * below full scale. */
#define RENDER_MIN_RMS  0.01
#define RENDER_MAX_PEAK 1.0
#define RENDER_PATH_MAX 1024

typedef struct config {
    const char *out;
    int rate;
    int seconds;
    bool tiny;
} config_t;

static const opt_t OPTS[] = {
    {"--out", "DIR", "folder for the WAV files (created; default sfx-wav)", opt_string,
     offsetof(config_t, out), 0, 0, 0},
    {"--rate", "HZ", "sample rate, {lo} to {hi} (default {def})", opt_int, offsetof(config_t, rate),
     SFX_MIN_RATE, SFX_MAX_RATE, RENDER_DEFAULT_RATE},
    {"--seconds", "S", "length of the round, {lo} to {hi} (default {def})", opt_int,
     offsetof(config_t, seconds), WORLD_MIN_DURATION, RENDER_MAX_SECONDS, RENDER_DEFAULT_SECONDS},
    {"--tiny", NULL, "a smoke run: 8 kHz, the shortest round", opt_flag, offsetof(config_t, tiny),
     0, 0, 0},
    {NULL, NULL, NULL, NULL, 0, 0, 0, 0},
};

static const opt_program_t PROGRAM = {
    "sfx_render",
    NINE43_VERSION,
    "sfx_render [--out DIR] [--rate HZ] [--seconds S] [--tiny]",
    "Writes DIR/sfx_<name>.wav for every sound effect and DIR/round.wav, a stereo mix of a\n"
    "whole round; prints peak and RMS of each. Exit status 1 when one is silent or clips.",
    NULL,
    OPTS,
};

/* ---- WAV ---- */

static void put_u32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    fwrite(b, 1, 4, f);
}

static void put_u16(FILE *f, uint16_t v)
{
    unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    fwrite(b, 1, 2, f);
}

/* 32-bit float WAV (WAVE_FORMAT_IEEE_FLOAT): a value over full scale stays visible as > 1.0,
 * where 16 bits would hide it at 32767. Samples are written little-endian. */
static int write_wav(const char *path, const float *x, long frames, int channels, int rate)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "sfx_render: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    uint32_t data = (uint32_t)(frames * channels * 4);
    fwrite("RIFF", 1, 4, f);
    put_u32(f, 4 + (8 + 18) + (8 + 4) + (8 + data));
    fwrite("WAVEfmt ", 1, 8, f);
    put_u32(f, 18);
    put_u16(f, 3); /* IEEE float */
    put_u16(f, (uint16_t)channels);
    put_u32(f, (uint32_t)rate);
    put_u32(f, (uint32_t)(rate * channels * 4));
    put_u16(f, (uint16_t)(channels * 4));
    put_u16(f, 32);
    put_u16(f, 0);
    fwrite("fact", 1, 4, f); /* required for a non-PCM format */
    put_u32(f, 4);
    put_u32(f, (uint32_t)frames);
    fwrite("data", 1, 4, f);
    put_u32(f, data);
    for (long i = 0; i < frames * channels; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        put_u32(f, u);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "sfx_render: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static double cpu_ms(void)
{
    struct timespec ts;
    /* CPU time of this process: other programs on the shared machine do not count. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* ---- levels ---- */

typedef struct level {
    double peak, rms;
} level_t;

static level_t measure(const float *x, long n)
{
    level_t l = {0.0, 0.0};
    for (long i = 0; i < n; i++) {
        double a = fabs(x[i]);
        if (a > l.peak)
            l.peak = a;
        l.rms += a * a;
    }
    l.rms = n > 0 ? sqrt(l.rms / (double)n) : 0.0;
    return l;
}

static double dbfs(double v)
{
    return v > 0.0 ? 20.0 * log10(v) : -999.0;
}

static bool level_ok(level_t l)
{
    return l.rms >= RENDER_MIN_RMS && l.peak < RENDER_MAX_PEAK;
}

/* ---- every sound ---- */

static int render_sounds(const config_t *c)
{
    int bad = 0;
    printf("%-15s %7s %9s %9s %9s %9s\n", "sound", "ms", "peak", "peak_dB", "rms", "rms_dB");
    for (int s = 0; s < SFX_NSOUNDS; s++) {
        int frames = sfx_frames((sfx_sound_t)s, c->rate);
        float *x = malloc((size_t)frames * sizeof *x);
        if (!x || sfx_render((sfx_sound_t)s, c->rate, x, frames) != frames) {
            fprintf(stderr, "sfx_render: out of memory\n");
            free(x);
            return -1;
        }
        level_t l = measure(x, frames);
        printf("%-15s %7.0f %9.4f %9.2f %9.4f %9.2f%s\n", sfx_name((sfx_sound_t)s),
               1000.0 * frames / c->rate, l.peak, dbfs(l.peak), l.rms, dbfs(l.rms),
               level_ok(l) ? "" : "  FAIL");
        bad += !level_ok(l);
        char path[RENDER_PATH_MAX];
        snprintf(path, sizeof path, "%s/sfx_%s.wav", c->out, sfx_name((sfx_sound_t)s));
        int rc = write_wav(path, x, frames, 1, c->rate);
        free(x);
        if (rc != 0)
            return -1;
    }
    return bad;
}

/* ---- a round ---- */

typedef struct round {
    const config_t *cfg;
    sfx_bank_t bank;
    sfx_mix_t mix;
    float *pcm; /* stereo, interleaved */
    long frames, cap;
    int counts[SFX_NSOUNDS];
    FILE *log;     /* the event timeline */
    double mix_ms; /* CPU spent in sfx_mix_render */
} round_t;

static void play(round_t *r, const sfx_event_t *ev, int n)
{
    for (int i = 0; i < n; i++) {
        sfx_mix_play(&r->mix, ev[i].sound, ev[i].volume, ev[i].pan);
        r->counts[ev[i].sound]++;
        fprintf(r->log, "%8.3f  %-15s volume %.2f  pan %+.2f\n", (double)r->frames / r->cfg->rate,
                sfx_name(ev[i].sound), ev[i].volume, ev[i].pan);
    }
}

/* One game tick of sound: the plays queued so far start at its first frame. */
static void advance(round_t *r, long frames)
{
    if (r->frames + frames > r->cap)
        frames = r->cap - r->frames;
    double t0 = cpu_ms();
    if (frames > 0)
        sfx_mix_render(&r->mix, r->pcm + 2 * r->frames, (int)frames);
    r->mix_ms += cpu_ms() - t0;
    r->frames += frames;
}

static long ms_frames(const round_t *r, long ms)
{
    return ms * r->cfg->rate / 1000;
}

static int load_world(world_t *w)
{
    char dir[1024], path[1100], err[256];
    if (assets_find(dir, sizeof dir) != 0) {
        fprintf(stderr, "sfx_render: cannot find the assets folder (last tried %s)\n", dir);
        return -1;
    }
    snprintf(path, sizeof path, "%s/worlds/%s.json", dir, RENDER_WORLD);
    if (world_load_file(w, path, err, sizeof err) != 0) {
        fprintf(stderr, "sfx_render: %s\n", err);
        return -1;
    }
    return 0;
}

/* The round as player 0 ("you") hears it, one snapshot per tick as the server sends them. */
static int play_round(round_t *r, const world_t *w)
{
    static const char NAMES[RENDER_PLAYERS][PROTO_USERNAME_SIZE] = {"you", "ben", "cat", "dan"};
    const config_t *c = r->cfg;
    sim_game_t *g = calloc(1, sizeof *g);
    msg_state_t *prev = calloc(1, sizeof *prev), *cur = calloc(1, sizeof *cur);
    brain_t *brains = calloc(RENDER_PLAYERS, sizeof *brains);
    if (!g || !prev || !cur || !brains) {
        free(g), free(prev), free(cur), free(brains);
        return -1;
    }
    sfx_event_t ev[SFX_EVENTS_MAX];
    long tick_frames = c->rate / SIM_TICK_RATE;

    /* The countdown, frame by frame of the game loop (a tick's length here). */
    int32_t before = INT32_MAX;
    for (int32_t ms = RENDER_COUNTDOWN_MS; before > 0; ms -= 1000 / SIM_TICK_RATE) {
        play(r, ev, sfx_events_countdown(before, ms, ev, SFX_EVENTS_MAX));
        advance(r, tick_frames);
        before = ms;
    }

    sim_init(g, w, RENDER_PLAYERS, RENDER_SEED, c->seconds);
    for (int i = 0; i < RENDER_PLAYERS; i++)
        brain_init(&brains[i], RENDER_SEED + (uint64_t)i);
    proto_state_from_sim(prev, g, NAMES);
    while (!sim_over(g)) {
        for (int i = 0; i < RENDER_PLAYERS; i++) {
            sim_input_t in;
            brain_decide(&brains[i], w, prev, i, &in);
            sim_set_input(g, i, &in);
        }
        sim_step(g);
        proto_state_from_sim(cur, g, NAMES);
        play(r, ev, sfx_events_diff(prev, cur, NAMES[0], w->width, ev, SFX_EVENTS_MAX));
        advance(r, tick_frames);
        msg_state_t *t = prev;
        prev = cur;
        cur = t;
    }

    /* The results: "fin" as the server builds it. */
    advance(r, ms_frames(r, RENDER_RESULTS_MS));
    sim_result_t res[SIM_MAX_PLAYERS];
    msg_fin_t fin;
    memset(&fin, 0, sizeof fin);
    fin.nresults = sim_results(g, res);
    for (int i = 0; i < fin.nresults; i++) {
        snprintf(fin.results[i].username, PROTO_USERNAME_SIZE, "%s", NAMES[res[i].player]);
        fin.results[i].score = res[i].score;
        fin.results[i].rank = res[i].rank;
        printf("result: %d. %s %d\n", res[i].rank, NAMES[res[i].player], res[i].score);
    }
    play(r, ev, sfx_events_finish(&fin, NAMES[0], ev, SFX_EVENTS_MAX));
    advance(r, r->cap - r->frames);
    free(g), free(prev), free(cur), free(brains);
    return 0;
}

static int render_round(const config_t *c)
{
    world_t *w = calloc(1, sizeof *w);
    round_t r;
    memset(&r, 0, sizeof r);
    r.cfg = c;
    char path[RENDER_PATH_MAX];
    snprintf(path, sizeof path, "%s/round_events.txt", c->out);
    r.log = fopen(path, "w");
    int rc = -1;
    if (!w || !r.log || load_world(w) != 0)
        goto out;
    double t0 = cpu_ms();
    if (sfx_bank_init(&r.bank, c->rate) != 0)
        goto out;
    double bank_ms = cpu_ms() - t0;
    sfx_mix_init(&r.mix, &r.bank, 2);
    r.cap = ms_frames(&r, RENDER_COUNTDOWN_MS + 1000L * c->seconds + RENDER_RESULTS_MS +
                              RENDER_TAIL_MS) +
            c->rate; /* room for a tick's rounding per second */
    r.pcm = calloc((size_t)r.cap * 2, sizeof *r.pcm);
    if (!r.pcm || play_round(&r, w) != 0)
        goto out;

    level_t l = measure(r.pcm, r.frames * 2);
    printf("\nround.wav: %.1f s stereo at %d Hz (countdown %.1f s, round %d s on %s, %d "
           "players, results)\n",
           (double)r.frames / c->rate, c->rate, RENDER_COUNTDOWN_MS / 1000.0, c->seconds,
           RENDER_WORLD, RENDER_PLAYERS);
    printf("round.wav: peak %.4f (%.2f dBFS), rms %.4f (%.2f dBFS)%s\n", l.peak, dbfs(l.peak),
           l.rms, dbfs(l.rms), level_ok(l) ? "" : "  FAIL");
    printf("cpu: rendering every sound once (sfx_bank_init, what audio_open does) %.1f ms; "
           "mixing %.2f ms per second of sound (%.3f%% of one core)\n",
           bank_ms, r.mix_ms / ((double)r.frames / c->rate),
           r.mix_ms / ((double)r.frames / c->rate) / 10.0);
    printf("events:");
    for (int s = 0; s < SFX_NSOUNDS; s++)
        if (r.counts[s])
            printf(" %s %d", sfx_name((sfx_sound_t)s), r.counts[s]);
    printf("\n\nlevel meter (%d ms windows; the timeline is in round_events.txt):\n",
           RENDER_WINDOW_MS);
    long win = ms_frames(&r, RENDER_WINDOW_MS);
    for (long f = 0; f < r.frames; f += win) {
        long n = f + win <= r.frames ? win : r.frames - f;
        level_t wl = measure(r.pcm + 2 * f, n * 2);
        printf("%6.1f s  peak %.3f  rms %7.2f dBFS  ", (double)f / c->rate, wl.peak, dbfs(wl.rms));
        int bar =
            wl.rms > 0.0 ? (int)((dbfs(wl.rms) + RENDER_METER_FLOOR_DB) / RENDER_METER_DB_CHAR) : 0;
        for (int i = 0; i < bar; i++)
            putchar('#');
        putchar('\n');
    }
    snprintf(path, sizeof path, "%s/round.wav", c->out);
    if (write_wav(path, r.pcm, r.frames, 2, c->rate) != 0)
        goto out;
    rc = level_ok(l) ? 0 : 1;
out:
    if (rc < 0)
        fprintf(stderr, "sfx_render: cannot render the round (out of memory or no world)\n");
    if (r.log)
        fclose(r.log);
    free(r.pcm);
    sfx_bank_free(&r.bank);
    free(w);
    return rc;
}

int main(int argc, char **argv)
{
    config_t c = {"sfx-wav", RENDER_DEFAULT_RATE, RENDER_DEFAULT_SECONDS, false};
    opt_result_t pr = opt_parse(&PROGRAM, &c, argc, argv);
    if (pr == OPT_EXIT)
        return 0;
    if (pr == OPT_ERROR)
        return OPT_EXIT_USAGE;
    if (c.tiny) {
        c.rate = RENDER_TINY_RATE;
        c.seconds = WORLD_MIN_DURATION;
    }
    if (mkdir(c.out, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "sfx_render: cannot create %s: %s\n", c.out, strerror(errno));
        return 1;
    }
    int bad = render_sounds(&c);
    if (bad < 0)
        return 1;
    int rc = render_round(&c);
    if (rc < 0)
        return 1;
    if (bad > 0 || rc > 0) {
        fprintf(stderr, "sfx_render: %d sound(s) or the round silent or clipping\n", bad + rc);
        return 1;
    }
    printf("\nwritten to %s/: sfx_*.wav (mono), round.wav (stereo), round_events.txt\n", c.out);
    return 0;
}
