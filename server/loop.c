/* loop.c -- the poll(2) event loop: an fd table, a pollfd array kept dense, timers, the pace that
 * coalesces waits under load; depends on loop.h and the seam (sys_poll, the clock, sleep-until) */
#include "loop.h"

#include <stdlib.h>
#include <string.h>

#include "sys_net.h"
#include "sys_os.h"

#define LOOP_INITIAL_FDS 64

typedef struct loop_file {
    int mask;     /* LOOP_READABLE | LOOP_WRITABLE, 0 = free */
    int pidx;     /* index into pfds, -1 when not watched */
    unsigned gen; /* bumped when the fd is forgotten, so stale fired events are skipped */
    loop_file_fn fn;
    void *ud;
} loop_file_t;

typedef struct loop_fired {
    int fd;
    unsigned gen;
    short revents;
} loop_fired_t;

typedef struct loop_timer {
    long long id; /* 0 = deleted, removed at the end of the timer pass */
    int64_t when;
    loop_timer_fn fn;
    void *ud;
} loop_timer_t;

/* A timer found due at the start of a pass: where it is and what it was then. */
typedef struct loop_due {
    int64_t when;
    long long id;
    int index; /* into timers: stable during the pass (only appended to, compacted after) */
} loop_due_t;

struct loop {
    /* Indexed by fd, grown on demand: O(1) lookup from a fired pollfd to its callback. */
    loop_file_t *files;
    int nfiles_cap;
    /* Dense: one entry per watched fd; a removal moves the last entry into the hole, so
     * adding, changing and removing are O(1) and poll(2) sees no holes. */
    sys_pollfd_t *pfds;
    int npfds, pfds_cap;
    loop_fired_t *fired;
    int fired_cap;
    /* Few timers (one per running group, plus housekeeping): a plain array is enough. */
    loop_timer_t *timers;
    int ntimers, timers_cap;
    loop_due_t *due; /* timers_cap entries: the pass never allocates */
    long long next_timer_id;
    loop_hook_fn before_sleep;
    void *before_sleep_ud;
    int64_t coalesce_ns; /* 0 = never coalesce */
    loop_pace_t pace;
    bool stop;
};

int64_t loop_now(void)
{
    return sys_clock_ns();
}

loop_t *loop_create(void)
{
    loop_t *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->next_timer_id = 1;
    return l;
}

void loop_destroy(loop_t *l)
{
    if (!l)
        return;
    free(l->files);
    free(l->pfds);
    free(l->fired);
    free(l->timers);
    free(l->due);
    free(l);
}

static int grow_files(loop_t *l, int fd)
{
    if (fd < l->nfiles_cap)
        return 0;
    int cap = l->nfiles_cap ? l->nfiles_cap : LOOP_INITIAL_FDS;
    while (cap <= fd)
        cap *= 2;
    loop_file_t *files = realloc(l->files, (size_t)cap * sizeof *files);
    if (!files)
        return -1;
    for (int i = l->nfiles_cap; i < cap; i++)
        files[i] = (loop_file_t){.mask = 0, .pidx = -1, .gen = 0, .fn = NULL, .ud = NULL};
    l->files = files;
    l->nfiles_cap = cap;
    return 0;
}

static short poll_events(int mask)
{
    short ev = 0;
    if (mask & LOOP_READABLE)
        ev |= SYS_POLL_IN;
    if (mask & LOOP_WRITABLE)
        ev |= SYS_POLL_OUT;
    return ev;
}

int loop_add_file(loop_t *l, int fd, int mask, loop_file_fn fn, void *ud)
{
    if (fd < 0 || grow_files(l, fd) < 0)
        return -1;
    loop_file_t *f = &l->files[fd];
    if (f->pidx < 0) {
        if (l->npfds == l->pfds_cap || l->fired_cap < l->pfds_cap) {
            int cap = l->npfds < l->pfds_cap ? l->pfds_cap
                                             : (l->pfds_cap ? l->pfds_cap * 2 : LOOP_INITIAL_FDS);
            sys_pollfd_t *p = realloc(l->pfds, (size_t)cap * sizeof *p);
            if (!p)
                return -1;
            l->pfds = p;
            l->pfds_cap = cap;
            /* fired needs one slot per watched fd; if this fails, the next add retries. */
            loop_fired_t *fr = realloc(l->fired, (size_t)cap * sizeof *fr);
            if (!fr)
                return -1;
            l->fired = fr;
            l->fired_cap = cap;
        }
        f->pidx = l->npfds++;
        l->pfds[f->pidx] = (sys_pollfd_t){.fd = fd, .events = 0, .revents = 0};
        f->mask = 0;
    }
    f->mask |= mask;
    f->fn = fn;
    f->ud = ud;
    l->pfds[f->pidx].events = poll_events(f->mask);
    return 0;
}

void loop_del_file(loop_t *l, int fd, int mask)
{
    if (fd < 0 || fd >= l->nfiles_cap)
        return;
    loop_file_t *f = &l->files[fd];
    if (f->pidx < 0)
        return;
    f->mask &= ~mask;
    if (f->mask) {
        l->pfds[f->pidx].events = poll_events(f->mask);
        return;
    }
    int last = --l->npfds;
    if (f->pidx != last) {
        l->pfds[f->pidx] = l->pfds[last];
        l->files[l->pfds[f->pidx].fd].pidx = f->pidx;
    }
    f->pidx = -1;
    f->fn = NULL;
    f->ud = NULL;
    f->gen++;
}

int loop_file_mask(const loop_t *l, int fd)
{
    if (fd < 0 || fd >= l->nfiles_cap)
        return 0;
    return l->files[fd].mask;
}

int loop_file_count(const loop_t *l)
{
    return l->npfds;
}

long long loop_add_timer(loop_t *l, int64_t when_ns, loop_timer_fn fn, void *ud)
{
    if (l->ntimers == l->timers_cap) {
        int cap = l->timers_cap ? l->timers_cap * 2 : 16;
        loop_timer_t *t = realloc(l->timers, (size_t)cap * sizeof *t);
        if (!t)
            return -1;
        l->timers = t;
        /* timers_cap grows only once both have: a failure here leaves a larger timers array
         * behind, which is harmless, and the next add retries. */
        loop_due_t *d = realloc(l->due, (size_t)cap * sizeof *d);
        if (!d)
            return -1;
        l->due = d;
        l->timers_cap = cap;
    }
    long long id = l->next_timer_id++;
    l->timers[l->ntimers++] = (loop_timer_t){.id = id, .when = when_ns, .fn = fn, .ud = ud};
    return id;
}

void loop_del_timer(loop_t *l, long long id)
{
    if (id <= 0)
        return;
    for (int i = 0; i < l->ntimers; i++) {
        if (l->timers[i].id == id) {
            l->timers[i].id = 0; /* compacted after the timer pass: callbacks may be running */
            return;
        }
    }
}

void loop_set_before_sleep(loop_t *l, loop_hook_fn fn, void *ud)
{
    l->before_sleep = fn;
    l->before_sleep_ud = ud;
}

static void compact_timers(loop_t *l)
{
    int n = 0;
    for (int i = 0; i < l->ntimers; i++)
        if (l->timers[i].id != 0)
            l->timers[n++] = l->timers[i];
    l->ntimers = n;
}

void loop_set_coalesce(loop_t *l, int64_t max_ns)
{
    l->coalesce_ns = max_ns > 0 ? max_ns : 0;
}

bool loop_busy(const loop_t *l)
{
    return l->pace.busy;
}

bool loop_pace_note(loop_pace_t *p, int64_t now, int ready)
{
    int64_t elapsed = now - p->window_start;
    if (p->window_start == 0 || elapsed >= LOOP_PACE_WINDOW_NS) {
        if (p->window_start != 0) {
            /* A rate, not a count: an idle loop may sleep far past the window's end, and the
             * few descriptors it found over that long window say it is idle. */
            int64_t scaled = (int64_t)p->ready * LOOP_PACE_WINDOW_NS;
            if (scaled >= (int64_t)LOOP_PACE_BUSY_READY * elapsed)
                p->busy = true;
            else if (scaled <= (int64_t)LOOP_PACE_IDLE_READY * elapsed)
                p->busy = false;
        }
        p->window_start = now;
        p->ready = 0;
    }
    p->ready += ready;
    return p->busy;
}

/* When the earliest timer is due (monotonic ns), or -1 without timers. */
static int64_t next_timer(const loop_t *l)
{
    int64_t earliest = -1;
    for (int i = 0; i < l->ntimers; i++)
        if (l->timers[i].id != 0 && (earliest < 0 || l->timers[i].when < earliest))
            earliest = l->timers[i].when;
    return earliest;
}

/* Milliseconds poll(2) may sleep: until the earliest timer (rounded up, so a timer is never
 * woken for early and spun on), capped by max_wait_ms (-1 = no cap). */
static int poll_timeout(int64_t earliest, int64_t now, int max_wait_ms)
{
    if (earliest < 0)
        return max_wait_ms;
    int64_t wait = earliest - now;
    int ms = wait <= 0 ? 0 : (int)((wait + LOOP_NS_PER_MS - 1) / LOOP_NS_PER_MS);
    if (max_wait_ms >= 0 && ms > max_wait_ms)
        ms = max_wait_ms;
    return ms;
}

/* The wait of one iteration. Returns what poll(2) returned. */
static int wait_events(loop_t *l, int max_wait_ms)
{
    int64_t now = loop_now();
    int64_t earliest = next_timer(l);
    /* Busy, with a timer near: what arrives until then would each wake the loop, and each wake-up
     * costs a walk over every descriptor. Sleep to the timer and take it all in one look. */
    if (l->coalesce_ns > 0 && l->pace.busy && earliest >= 0 && earliest - now <= l->coalesce_ns &&
        max_wait_ms != 0) {
        int64_t until = earliest;
        if (max_wait_ms > 0 && until > now + max_wait_ms * LOOP_NS_PER_MS)
            until = now + max_wait_ms * LOOP_NS_PER_MS;
        if (until > now)
            sys_sleep_until_ns(until); /* a signal ends it early: the look below sees it */
        return sys_poll(l->pfds, l->npfds, 0);
    }
    return sys_poll(l->pfds, l->npfds, poll_timeout(earliest, now, max_wait_ms));
}

static int due_cmp(const void *a, const void *b)
{
    const loop_due_t *x = a, *y = b;
    if (x->when != y->when)
        return x->when < y->when ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Fires the timers due now, earliest first: a wake-up that came late (a loaded machine, a long
 * iteration) finds several due at once, and they still fire in the order they fell due, not
 * in the order they were added. */
static void process_timers(loop_t *l)
{
    int64_t now = loop_now();
    /* Only timers that exist before the pass, each once: one added by a callback, or one whose
     * callback asks to fire again at once, waits for the next pass. */
    int ndue = 0;
    for (int i = 0; i < l->ntimers; i++) {
        const loop_timer_t *t = &l->timers[i];
        if (t->id != 0 && t->when <= now)
            l->due[ndue++] = (loop_due_t){.when = t->when, .id = t->id, .index = i};
    }
    if (ndue > 1)
        qsort(l->due, (size_t)ndue, sizeof *l->due, due_cmp);
    for (int k = 0; k < ndue; k++) {
        int i = l->due[k].index;
        long long id = l->due[k].id;
        if (l->timers[i].id != id)
            continue; /* deleted by an earlier callback of this pass */
        int64_t next = l->timers[i].fn(l, id, l->timers[i].ud);
        loop_timer_t *t = &l->timers[i]; /* the array may have been reallocated by the callback */
        if (t->id != id)
            continue; /* deleted by its callback */
        if (next == LOOP_NOMORE)
            t->id = 0;
        else
            t->when = next;
    }
    compact_timers(l);
}

void loop_run_once(loop_t *l, int max_wait_ms)
{
    if (l->before_sleep)
        l->before_sleep(l, l->before_sleep_ud);
    if (l->stop)
        return;
    int n = wait_events(l, max_wait_ms);
    if (n < 0)
        n = 0; /* an error (EINTR, ENOMEM): nothing fired, the timers still run */
    loop_pace_note(&l->pace, loop_now(), n);
    /* Record what fired before calling anything: callbacks add and remove descriptors, which
     * reorders pfds. */
    int nfired = 0;
    for (int i = 0; i < l->npfds && nfired < n; i++) {
        sys_pollfd_t *p = &l->pfds[i];
        if (p->revents == 0)
            continue;
        l->fired[nfired++] =
            (loop_fired_t){.fd = p->fd, .gen = l->files[p->fd].gen, .revents = p->revents};
        p->revents = 0;
    }
    for (int i = 0; i < nfired; i++) {
        loop_fired_t *fr = &l->fired[i];
        loop_file_t *f = &l->files[fr->fd];
        if (f->gen != fr->gen || f->mask == 0)
            continue;
        int mask = 0;
        short problem = SYS_POLL_ERR | SYS_POLL_HUP | SYS_POLL_NVAL;
        if ((f->mask & LOOP_READABLE) && (fr->revents & (SYS_POLL_IN | problem)))
            mask |= LOOP_READABLE;
        if ((f->mask & LOOP_WRITABLE) && (fr->revents & (SYS_POLL_OUT | problem)))
            mask |= LOOP_WRITABLE;
        if (mask)
            f->fn(l, fr->fd, f->ud, mask);
    }
    process_timers(l);
}

void loop_run(loop_t *l)
{
    while (!l->stop)
        loop_run_once(l, -1);
}

void loop_stop(loop_t *l)
{
    l->stop = true;
}

bool loop_stopped(const loop_t *l)
{
    return l->stop;
}
