/* loop.h -- a tiny poll(2) event loop: file events, monotonic timers, a before-sleep hook, and
 * under load a pace that wakes on timers only; depends on nothing */
#ifndef NINE43_LOOP_H
#define NINE43_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#define LOOP_READABLE 1 /* fire when the descriptor is readable (or hung up, or in error) */
#define LOOP_WRITABLE 2 /* fire when the descriptor is writable */

#define LOOP_NOMORE (-1) /* a timer callback returns this to delete itself */

#define LOOP_NS_PER_MS  1000000LL
#define LOOP_NS_PER_SEC 1000000000LL

/* The pace (see loop_pace_note): over each window, the loop counts the descriptors its waits found
 * ready. From LOOP_PACE_BUSY_READY in one window (200 a second) it is busy, and stays so until a
 * window has at most LOOP_PACE_IDLE_READY (30 a second): the gap keeps it from flapping between
 * the two on a load near one bound. */
#define LOOP_PACE_WINDOW_NS  (100 * LOOP_NS_PER_MS)
#define LOOP_PACE_BUSY_READY 20
#define LOOP_PACE_IDLE_READY 3

typedef struct loop loop_t;

/* Whether the loop is busy, decided once per window from what its waits found. */
typedef struct loop_pace {
    int64_t window_start; /* monotonic ns; 0 = no window yet */
    int ready;            /* descriptors found ready in this window so far */
    bool busy;
} loop_pace_t;

/* mask: what fired (LOOP_READABLE and/or LOOP_WRITABLE). */
typedef void (*loop_file_fn)(loop_t *l, int fd, void *ud, int mask);
/* Returns the monotonic time (ns, see loop_now) to fire again, or LOOP_NOMORE. */
typedef int64_t (*loop_timer_fn)(loop_t *l, long long id, void *ud);
typedef void (*loop_hook_fn)(loop_t *l, void *ud);

loop_t *loop_create(void);
void loop_destroy(loop_t *l);

/* Watches fd for mask (added to whatever it already watches), with one callback per fd.
 * Returns 0, or -1 when out of memory. O(1). */
int loop_add_file(loop_t *l, int fd, int mask, loop_file_fn fn, void *ud);
/* Stops watching mask on fd; with nothing left the fd is forgotten. O(1). */
void loop_del_file(loop_t *l, int fd, int mask);
/* The mask fd is watched for (0 when it is not). */
int loop_file_mask(const loop_t *l, int fd);
/* Number of watched descriptors. */
int loop_file_count(const loop_t *l);

/* A timer firing at monotonic time when_ns. Returns its id (> 0) or -1. */
long long loop_add_timer(loop_t *l, int64_t when_ns, loop_timer_fn fn, void *ud);
/* Safe from anywhere, including inside the timer's own callback. */
void loop_del_timer(loop_t *l, long long id);

/* Called before every wait (in poll(2), or the sleep that coalesces), after all events of an
 * iteration are handled. */
void loop_set_before_sleep(loop_t *l, loop_hook_fn fn, void *ud);

/* Coalescing: while the loop is busy and its next timer falls due within max_ns, it sleeps until
 * that timer without watching descriptors, then takes everything ready in one poll(2) that does
 * not wait, so that under load it wakes once per timer rather than once per message. Whatever
 * arrives meanwhile waits at most max_ns. 0 (the default) turns it off. */
void loop_set_coalesce(loop_t *l, int64_t max_ns);
/* True while the loop is busy (see loop_pace_t). */
bool loop_busy(const loop_t *l);

/* Counts ready descriptors found by one wait that ended at now; when the window has run out,
 * decides the next window's mode from the rate over it. Returns whether the loop is busy. Pure
 * (the clock is an argument): loop_run_once calls it after every wait. */
bool loop_pace_note(loop_pace_t *p, int64_t now, int ready);

/* Monotonic clock in nanoseconds. */
int64_t loop_now(void);

/* Runs until loop_stop. */
void loop_run(loop_t *l);
/* One iteration: before-sleep, poll (waiting at most max_wait_ms, -1 = until the next
 * timer; when coalescing, a sleep to the next timer then a poll that does not wait), file
 * events, timers. */
void loop_run_once(loop_t *l, int max_wait_ms);
void loop_stop(loop_t *l);
bool loop_stopped(const loop_t *l);

#endif
