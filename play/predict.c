/* predict.c -- client-side prediction with reconciliation, interpolation of other players, and
 * the record of corrections and freezes; SDL-free, uses only common/ (sim_move_player,
 * proto_player_to_sim) */
#include "predict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Milliseconds elapsed from then to now, as a signed value (now_ms wraps after 49 days). */
static int32_t elapsed_ms(uint32_t now, uint32_t then)
{
    return (int32_t)(now - then);
}

static float tick_ms(const predict_t *p)
{
    return 1000.0f / (float)p->tick_rate;
}

void predict_init(predict_t *p, const world_t *w, int tick_rate)
{
    memset(p, 0, sizeof *p);
    p->world = w;
    p->tick_rate = tick_rate > 0 ? tick_rate : SIM_TICK_RATE;
}

/* The part of the last correction still to be shown at now_ms. */
static void residual_error(const predict_t *p, uint32_t now_ms, float *ex, float *ey)
{
    int32_t t = elapsed_ms(now_ms, p->err_ms);
    float k = 1.0f - (float)(t < 0 ? 0 : t) / (float)PREDICT_SMOOTH_MS;
    if (k < 0.0f)
        k = 0.0f;
    *ex = p->err_x * k;
    *ey = p->err_y * k;
}

void predict_tick(predict_t *p, const sim_input_t *in, uint32_t now_ms)
{
    if (p->pending_count == PREDICT_MAX_PENDING) {
        /* The server has not answered for seconds: forget the oldest; the next snapshot
         * corrects whatever it did. */
        p->pending_head = (p->pending_head + 1) % PREDICT_MAX_PENDING;
        p->pending_count--;
    }
    int slot = (p->pending_head + p->pending_count) % PREDICT_MAX_PENDING;
    p->pending[slot].input = *in;
    p->pending_count++;

    if (!p->have_self || p->world == NULL)
        return;
    p->prev_x = p->self.x;
    p->prev_y = p->self.y;
    p->self.input = *in;
    sim_move_player(p->world, &p->self);
    p->self_tick_ms = now_ms;
}

static int snap_find(const predict_snap_t *s, const char *name)
{
    if (!s->valid)
        return -1;
    for (int i = 0; i < s->nplayers; i++)
        if (strcmp(s->names[i], name) == 0)
            return i;
    return -1;
}

/* The snapshot st into s, each player matched by name with older (the one before) once here. */
static void snap_from_state(predict_snap_t *s, const msg_state_t *st, const predict_snap_t *older,
                            uint32_t now_ms)
{
    int n = st->nplayers;
    if (n < 0)
        n = 0;
    if (n > PROTO_MAX_PLAYERS)
        n = PROTO_MAX_PLAYERS;
    s->valid = true;
    s->tick = st->tick;
    s->recv_ms = now_ms;
    s->nplayers = n;
    for (int i = 0; i < n; i++) {
        memcpy(s->names[i], st->players[i].username, PROTO_USERNAME_SIZE);
        s->names[i][PROTO_USERNAME_SIZE - 1] = '\0';
        s->x[i] = st->players[i].x;
        s->y[i] = st->players[i].y;
        s->older[i] = snap_find(older, s->names[i]);
    }
}

/* Drops the inputs the server has applied (seq <= ack), remembering the last of them. */
static void drop_acked(predict_t *p, uint32_t ack)
{
    while (p->pending_count > 0) {
        const sim_input_t *in = &p->pending[p->pending_head].input;
        if (in->seq > ack)
            break;
        p->acked = *in;
        p->pending_head = (p->pending_head + 1) % PREDICT_MAX_PENDING;
        p->pending_count--;
    }
}

/* The others freeze when a snapshot comes later than the interpolation delay and the allowed
 * extrapolation can cover: they stand still for the rest of the gap. The countdown's tick 0
 * and the first tick after GO are apart by the countdown, when nothing moves: no freeze. */
static void stats_arrival(predict_t *p, const msg_state_t *st, uint32_t now_ms)
{
    predict_stats_t *s = &p->stats;
    if (!p->newer.valid || st->tick <= p->newer.tick) {
        if (!p->newer.valid)
            s->first_ms = now_ms;
        return;
    }
    int32_t gap = elapsed_ms(now_ms, p->newer.recv_ms);
    int32_t covered = (int32_t)((float)(st->tick - p->newer.tick) * tick_ms(p)) +
                      PREDICT_INTERP_DELAY_MS + PREDICT_MAX_EXTRAPOLATE_MS;
    if (gap > covered && p->newer.tick > 0) {
        s->stalls++;
        s->stalled_ms += (uint32_t)(gap - covered);
    }
    s->last_ms = now_ms;
}

static void stats_correction(predict_stats_t *s, int32_t dx, int32_t dy)
{
    float d = sqrtf((float)dx * (float)dx + (float)dy * (float)dy);
    int32_t dist = (int32_t)(d + 0.5f);
    int bin = dist / PREDICT_STATS_BIN;
    if (bin >= PREDICT_STATS_BINS)
        bin = PREDICT_STATS_BINS - 1;
    s->hist[bin]++;
    s->snapshots++;
    if (dist > 0)
        s->corrections++;
    if (dist > s->max_correction)
        s->max_correction = dist;
}

int32_t predict_stats_quantile(const predict_stats_t *st, double q)
{
    if (st->snapshots == 0)
        return 0;
    double want = q * (double)st->snapshots;
    uint32_t seen = 0;
    for (int i = 0; i < PREDICT_STATS_BINS; i++) {
        seen += st->hist[i];
        if ((double)seen >= want)
            return (int32_t)((i + 1) * PREDICT_STATS_BIN);
    }
    return st->max_correction;
}

void predict_snapshot(predict_t *p, const msg_state_t *st, int me, uint32_t now_ms)
{
    stats_arrival(p, st, now_ms);
    /* Interpolation: a repeated tick replaces the newer snapshot rather than shifting. */
    if (!p->newer.valid || st->tick != p->newer.tick)
        p->older = p->newer;
    snap_from_state(&p->newer, st, &p->older, now_ms);

    if (me < 0 || me >= st->nplayers || p->world == NULL)
        return;

    const proto_player_state_t *ps = &st->players[me];
    drop_acked(p, ps->ack);

    bool had = p->have_self;
    int32_t old_x = p->self.x, old_y = p->self.y;

    /* The server's word, then our inputs it has not seen yet, on top. */
    sim_player_t s = p->self;
    proto_player_to_sim(ps, &s);
    s.active = true;
    s.input = p->acked;
    s.dash_held = p->acked.dash;
    int32_t before_x = s.x, before_y = s.y;
    for (int i = 0; i < p->pending_count; i++) {
        before_x = s.x;
        before_y = s.y;
        s.input = p->pending[(p->pending_head + i) % PREDICT_MAX_PENDING].input;
        sim_move_player(p->world, &s);
    }
    p->self = s;
    p->have_self = true;

    if (!had) {
        p->prev_x = before_x;
        p->prev_y = before_y;
        p->self_tick_ms = now_ms;
        return;
    }
    int32_t dx = s.x - old_x, dy = s.y - old_y;
    stats_correction(&p->stats, dx, dy);
    if (dx == 0 && dy == 0)
        return;
    if (abs(dx) > PREDICT_SNAP_DISTANCE || abs(dy) > PREDICT_SNAP_DISTANCE) {
        p->prev_x = s.x;
        p->prev_y = s.y;
        p->err_x = p->err_y = 0.0f;
        p->snaps++;
        return;
    }
    /* Shift the segment drawn between ticks by the correction and show the correction as
     * an error that fades out: what is on screen does not jump. */
    float ex, ey;
    residual_error(p, now_ms, &ex, &ey);
    p->prev_x += dx;
    p->prev_y += dy;
    p->err_x = ex - (float)dx;
    p->err_y = ey - (float)dy;
    p->err_ms = now_ms;
    p->corrections++;
}

bool predict_self_pos(const predict_t *p, uint32_t now_ms, float *x, float *y)
{
    if (!p->have_self)
        return false;
    float f = (float)elapsed_ms(now_ms, p->self_tick_ms) / tick_ms(p);
    if (f < 0.0f)
        f = 0.0f;
    if (f > 1.0f)
        f = 1.0f;
    float ex, ey;
    residual_error(p, now_ms, &ex, &ey);
    float mx = (float)p->prev_x + (float)(p->self.x - p->prev_x) * f + ex;
    float my = (float)p->prev_y + (float)(p->self.y - p->prev_y) * f + ey;
    *x = mx / (float)SIM_ONE;
    *y = my / (float)SIM_ONE;
    return true;
}

bool predict_self_exact(const predict_t *p, int32_t *x, int32_t *y)
{
    if (!p->have_self)
        return false;
    *x = p->self.x;
    *y = p->self.y;
    return true;
}

int predict_older_index(const predict_t *p, int i)
{
    return p->newer.valid && i >= 0 && i < p->newer.nplayers ? p->newer.older[i] : -1;
}

bool predict_other_pos(const predict_t *p, int j, uint32_t now_ms, float *x, float *y)
{
    if (!p->newer.valid || j < 0 || j >= p->newer.nplayers)
        return false;
    float nx = (float)p->newer.x[j], ny = (float)p->newer.y[j];
    int i = p->newer.older[j];
    /* Spacing by ticks, not by arrival: snapshots often arrive bunched together. */
    uint32_t ticks = p->newer.tick - p->older.tick;
    if (i < 0 || ticks == 0 || ticks > (uint32_t)p->tick_rate) {
        *x = nx / (float)SIM_ONE;
        *y = ny / (float)SIM_ONE;
        return true;
    }
    float ox = (float)p->older.x[i], oy = (float)p->older.y[i];
    if (abs(p->newer.x[j] - p->older.x[i]) > PREDICT_SNAP_DISTANCE ||
        abs(p->newer.y[j] - p->older.y[i]) > PREDICT_SNAP_DISTANCE) {
        *x = nx / (float)SIM_ONE;
        *y = ny / (float)SIM_ONE;
        return true;
    }
    /* The older snapshot is shown one interval (and the delay) before the newer arrives. */
    float interval = (float)ticks * tick_ms(p);
    float render = (float)elapsed_ms(now_ms, p->newer.recv_ms) - (float)PREDICT_INTERP_DELAY_MS;
    float a = (render + interval) / interval;
    float max_a = 1.0f + (float)PREDICT_MAX_EXTRAPOLATE_MS / interval;
    if (a < 0.0f)
        a = 0.0f;
    if (a > max_a)
        a = max_a;
    *x = (ox + (nx - ox) * a) / (float)SIM_ONE;
    *y = (oy + (ny - oy) * a) / (float)SIM_ONE;
    return true;
}

int predict_pending(const predict_t *p)
{
    return p->pending_count;
}
