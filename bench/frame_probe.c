/* frame_probe.c -- an LD_PRELOAD shim for the real client: times the gaps between its
 * SDL_RenderPresent calls (its frames) and writes frames, p50, p99, worst and gaps over 20 ms to
 * $FRAME_PROBE_OUT at exit; the same probe for any build, no change to the client */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Only the signature is needed: no SDL headers, so that it builds anywhere. */
typedef struct SDL_Renderer SDL_Renderer;

#define PROBE_MAX_FRAMES (60 * 600) /* ten minutes at 60 frames a second */
#define PROBE_SLOW_MS    20.0

static double gaps[PROBE_MAX_FRAMES];
static int ngaps;
static double last_ms = -1;

static double probe_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void SDL_RenderPresent(SDL_Renderer *r)
{
    static void (*real)(SDL_Renderer *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "SDL_RenderPresent");
    real(r);
    double now = probe_now_ms();
    if (last_ms >= 0 && ngaps < PROBE_MAX_FRAMES)
        gaps[ngaps++] = now - last_ms;
    last_ms = now;
}

static int probe_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

__attribute__((destructor)) static void probe_write(void)
{
    const char *path = getenv("FRAME_PROBE_OUT");
    if (!path || ngaps == 0)
        return;
    int slow = 0;
    for (int i = 0; i < ngaps; i++)
        slow += gaps[i] > PROBE_SLOW_MS;
    qsort(gaps, (size_t)ngaps, sizeof gaps[0], probe_cmp);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "{\"frames\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"over_20ms\":%d}\n",
            ngaps, gaps[ngaps / 2], gaps[(int)(ngaps * 0.99)], gaps[ngaps - 1], slow);
    fclose(f);
}
