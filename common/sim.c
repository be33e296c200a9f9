/* sim.c -- the coin race rules in integer milli-tiles; uses world.h and rng.h only (no float, no
 * clock) */
#include "sim.h"

#include <string.h>

#include "rng.h"

/* Smallest s with s * s >= n (n >= 0), by integer Newton steps. */
static int64_t isqrt_ceil(int64_t n)
{
    if (n <= 0)
        return 0;
    /* Start from a power of two at or above sqrt(n): Newton then descends in a few steps. */
    int64_t x = 1;
    while (x * x < n)
        x <<= 1;
    int64_t y = (x + n / x) / 2;
    while (y < x) {
        x = y;
        y = (x + n / x) / 2;
    }
    /* x is now floor(sqrt(n)). */
    return x * x < n ? x + 1 : x;
}

static int32_t tile_of(int32_t v)
{
    /* Positions stay inside the map (>= 0), but floor division keeps this honest anyway. */
    return v >= 0 ? v / SIM_ONE : -((-v + SIM_ONE - 1) / SIM_ONE);
}

/* world_is_wall, inlined into the hot loop below. */
static inline bool wall_at(const world_t *w, int32_t x, int32_t y)
{
    if (x < 0 || y < 0 || x >= w->width || y >= w->height)
        return true;
    return w->tiles[y][x] == WORLD_WALL;
}

/* Distance from v to the closed interval [lo, hi]. */
static int32_t gap_to_span(int32_t v, int32_t lo, int32_t hi)
{
    if (v < lo)
        return lo - v;
    if (v > hi)
        return v - hi;
    return 0;
}

/* What stopped a move along one axis. */
typedef struct sweep {
    int32_t left;    /* distance not covered, >= 0 */
    bool blocked;    /* a wall stopped the move short */
    int side;        /* away from the stopping corner, across the axis: -1, +1; 0 = a face */
    int32_t overlap; /* how far across that corner reaches into the circle */
} sweep_t;

/* Moves a circle centred at (*along, across) by delta along one axis, stopping where it
 * would first touch a wall tile. The circle may touch a wall (distance == radius) but never
 * overlap one. Each wall tile ahead is a square whose rounded outline (the square grown by
 * the radius) the centre may not enter: the face gives a stop at radius from the tile's
 * edge, a corner one at sqrt(r^2 - gap^2), rounded away from the wall. vertical says the
 * axis is y (tile rows), otherwise x.
 *
 * Reports what stopped it, so the caller can slide the circle round a corner. */
static sweep_t sweep_axis(const world_t *w, int32_t *along, int32_t across, int32_t delta,
                          bool vertical)
{
    sweep_t res = {0, false, 0, 0};
    if (delta == 0)
        return res;
    const int64_t r2 = (int64_t)SIM_RADIUS * SIM_RADIUS;
    int32_t pos = *along;
    int32_t target = pos + delta;
    int32_t first_line = tile_of(across - SIM_RADIUS);
    int32_t last_line = tile_of(across + SIM_RADIUS);
    int32_t here = tile_of(pos);
    int32_t from, to, step;
    if (delta > 0) {
        from = here + 1;
        to = tile_of(target + SIM_RADIUS);
        step = 1;
    } else {
        from = here - 1;
        to = tile_of(target - SIM_RADIUS);
        step = -1;
    }
    bool blocked = false;
    int side = 0;        /* which way round the binding corner: -1, +1, or 0 for none */
    int32_t overlap = 0; /* how far across the binding corner(s) reach into the circle */
    for (int32_t t = from; step > 0 ? t <= to : t >= to; t += step) {
        for (int32_t l = first_line; l <= last_line; l++) {
            bool wall = vertical ? wall_at(w, l, t) : wall_at(w, t, l);
            if (!wall)
                continue;
            int32_t lo = l * SIM_ONE;
            int32_t gap = gap_to_span(across, lo, lo + SIM_ONE);
            if ((int64_t)gap * gap >= r2)
                continue;
            int32_t reach = (int32_t)isqrt_ceil(r2 - (int64_t)gap * gap);
            int32_t stop = step > 0 ? t * SIM_ONE - reach : t * SIM_ONE + SIM_ONE + reach;
            int away = gap == 0 ? 0 : across < lo ? -1 : 1;
            bool nearer = step > 0 ? stop < target : stop > target;
            if (nearer || (!blocked && stop == target)) {
                target = stop;
                blocked = true;
                side = away;
                overlap = SIM_RADIUS - gap;
            } else if (blocked && stop == target) {
                /* Two walls stop the circle at the same place: round one only if both
                 * are corners on the same side. */
                if (away != side)
                    side = 0;
                if (SIM_RADIUS - gap > overlap)
                    overlap = SIM_RADIUS - gap;
            }
        }
        /* Tiles further on cannot stop the circle earlier than one already found. */
        if (step > 0 ? target + SIM_RADIUS < (t + 1) * SIM_ONE : target - SIM_RADIUS > t * SIM_ONE)
            break;
    }
    /* Already touching: never pulled backwards. */
    if (step > 0 ? target < pos : target > pos)
        target = pos;
    *along = target;
    res.left = (delta > 0 ? delta : -delta) - (target > pos ? target - pos : pos - target);
    res.blocked = blocked && res.left > 0;
    res.side = side;
    res.overlap = overlap;
    return res;
}

/* True when the stop was a wall corner shallow enough to slide round. */
static bool can_round(const sweep_t *s)
{
    return s->blocked && s->side != 0 && s->overlap <= SIM_CORNER_NUDGE;
}

static int32_t min32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

static int8_t clamp_unit(int v)
{
    return (int8_t)(v < 0 ? -1 : v > 0 ? 1 : 0);
}

static int32_t clamp_coord(int32_t v, int tiles)
{
    int32_t lo = SIM_RADIUS, hi = (int32_t)tiles * SIM_ONE - SIM_RADIUS;
    return v < lo ? lo : v > hi ? hi : v;
}

void sim_init(sim_game_t *g, const world_t *w, int nplayers, uint64_t seed, int duration_seconds)
{
    memset(g, 0, sizeof *g);
    if (nplayers < 1)
        nplayers = 1;
    if (nplayers > SIM_MAX_PLAYERS)
        nplayers = SIM_MAX_PLAYERS;
    g->world = w;
    g->rng = seed;
    int seconds = duration_seconds > 0 ? duration_seconds : w->duration;
    g->duration_ticks = (uint32_t)seconds * SIM_TICK_RATE;
    g->nplayers = nplayers;

    /* Shuffle the spawn points (Fisher-Yates); player i takes the i-th, wrapping around
     * when there are more players than spawn points. */
    int order[WORLD_MAX_SPAWNS];
    int nspawns = w->nspawns > 0 ? w->nspawns : 1;
    for (int i = 0; i < nspawns; i++)
        order[i] = i;
    for (int i = nspawns - 1; i > 0; i--) {
        int j = (int)rng_below(&g->rng, (uint32_t)i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    for (int i = 0; i < nplayers; i++) {
        sim_player_t *p = &g->players[i];
        p->active = true;
        world_point_t s = w->nspawns > 0 ? w->spawns[order[i % nspawns]] : (world_point_t){0, 0};
        p->x = s.x * SIM_ONE + SIM_ONE / 2;
        p->y = s.y * SIM_ONE + SIM_ONE / 2;
    }
    g->ncoins = w->ncoins;
    for (int i = 0; i < w->ncoins; i++) {
        g->coins[i].x = w->coins[i].x * SIM_ONE + SIM_ONE / 2;
        g->coins[i].y = w->coins[i].y * SIM_ONE + SIM_ONE / 2;
    }
}

void sim_set_input(sim_game_t *g, int player, const sim_input_t *in)
{
    if (player < 0 || player >= g->nplayers || !g->players[player].active || !in)
        return;
    sim_input_t *held = &g->players[player].input;
    held->seq = in->seq;
    held->dx = clamp_unit(in->dx);
    held->dy = clamp_unit(in->dy);
    held->dash = in->dash;
}

void sim_move_player(const world_t *w, sim_player_t *p)
{
    bool pressed = p->input.dash && !p->dash_held;
    p->dash_held = p->input.dash;

    /* A dash that ran its SIM_DASH_TICKS moves ends here, and its cooldown starts. */
    if (p->dash_ticks > 0) {
        p->dash_ticks--;
        if (p->dash_ticks == 0)
            p->cooldown_ticks = SIM_DASH_COOLDOWN_TICKS;
    } else if (p->cooldown_ticks > 0) {
        p->cooldown_ticks--;
    }
    /* Stunned: no movement and no new dash; the cooldown above keeps counting. */
    if (p->stun_ticks > 0) {
        p->stun_ticks--;
        return;
    }
    if (pressed && p->dash_ticks == 0 && p->cooldown_ticks == 0) {
        p->dash_ticks = SIM_DASH_TICKS;
        p->stole = false;
    }

    int dx = clamp_unit(p->input.dx), dy = clamp_unit(p->input.dy);
    if (dx == 0 && dy == 0)
        return;
    /* A position from elsewhere (a snapshot) is kept where a circle fits inside the map,
     * so the sums below cannot overflow; the rules' own positions are always there. */
    p->x = clamp_coord(p->x, w->width);
    p->y = clamp_coord(p->y, w->height);
    int32_t speed = dx != 0 && dy != 0 ? SIM_DIAGONAL_SPEED : SIM_SPEED;
    if (p->dash_ticks > 0)
        speed *= SIM_DASH_FACTOR;
    /* Each axis on its own: blocked on one, the player still slides along the other. */
    sweep_t sx = sweep_axis(w, &p->x, p->y, dx * speed, false);
    sweep_t sy = sweep_axis(w, &p->y, p->x, dy * speed, true);
    /* A ball pushed against a round corner slides off it; so does the player, when a
     * shallow corner (SIM_CORNER_NUDGE) stopped it: it steps sideways, away from the
     * corner, with the distance it had left. Moving straight, this catches a corridor's
     * mouth for a player not quite in line with it. */
    if (dy == 0 && can_round(&sx)) {
        sweep_axis(w, &p->y, p->x, sx.side * min32(sx.left, sx.overlap), true);
    } else if (dx == 0 && can_round(&sy)) {
        sweep_axis(w, &p->x, p->y, sy.side * min32(sy.left, sy.overlap), false);
    } else if (dx != 0 && dy != 0 && sx.blocked && sy.blocked) {
        /* Diagonally into a corner that stops both axes: round it along the axis it
         * overlaps less (x on a tie), if that frees the move at all. */
        bool along_y = can_round(&sy) && (!can_round(&sx) || sy.overlap < sx.overlap);
        bool along_x = !along_y && can_round(&sx);
        if (along_x || along_y) {
            const sweep_t *s = along_x ? &sx : &sy;
            /* Half the distance left steps away, the other half goes on. */
            int32_t step = min32(s->left / 2, s->overlap);
            int32_t x = p->x, y = p->y;
            if (along_x) {
                sweep_axis(w, &y, x, s->side * step, true);
                sweep_axis(w, &x, y, dx * (s->left - step), false);
            } else {
                sweep_axis(w, &x, y, s->side * step, false);
                sweep_axis(w, &y, x, dy * (s->left - step), true);
            }
            if (along_x ? x != p->x : y != p->y) {
                p->x = x;
                p->y = y;
            }
        }
    }
}

static int64_t dist2(int32_t ax, int32_t ay, int32_t bx, int32_t by)
{
    int64_t dx = (int64_t)ax - bx, dy = (int64_t)ay - by;
    return dx * dx + dy * dy;
}

/* Each present coin goes to the nearest active player within reach; equal distances go to
 * the lower player index. One player may take several coins on one tick. */
static void take_coins(sim_game_t *g)
{
    const int64_t reach2 = (int64_t)SIM_COIN_PICKUP * SIM_COIN_PICKUP;
    for (int c = 0; c < g->ncoins; c++) {
        sim_coin_t *coin = &g->coins[c];
        if (coin->refill_ticks > 0) {
            coin->refill_ticks--;
            if (coin->refill_ticks > 0)
                continue;
        }
        int best = -1;
        int64_t best_d2 = 0;
        for (int i = 0; i < g->nplayers; i++) {
            const sim_player_t *p = &g->players[i];
            if (!p->active)
                continue;
            int64_t d2 = dist2(p->x, p->y, coin->x, coin->y);
            if (d2 <= reach2 && (best < 0 || d2 < best_d2)) {
                best = i;
                best_d2 = d2;
            }
        }
        if (best >= 0) {
            g->players[best].score++;
            coin->refill_ticks = SIM_COIN_REFILL_TICKS;
        }
    }
}

/* Every dashing player that has not stolen yet this dash picks its victim: the nearest other
 * active, unstunned player whose circle overlaps its own (ties: lower index). All steals
 * of a tick happen at once, judged on the scores before any of them, so player order
 * never decides who robs whom: a victim with s points hit by k thieves gives one point
 * each to the first min(s, k) of them in player order. Every victim is stunned, and a
 * dash of its own ends at once. */
static void resolve_steals(sim_game_t *g)
{
    const int64_t touch2 = (int64_t)(2 * SIM_RADIUS) * (2 * SIM_RADIUS);
    int victim_of[SIM_MAX_PLAYERS];
    for (int i = 0; i < g->nplayers; i++) {
        victim_of[i] = -1;
        const sim_player_t *thief = &g->players[i];
        if (!thief->active || thief->dash_ticks == 0 || thief->stole)
            continue;
        int64_t best_d2 = 0;
        for (int j = 0; j < g->nplayers; j++) {
            const sim_player_t *v = &g->players[j];
            if (j == i || !v->active || v->stun_ticks > 0)
                continue;
            int64_t d2 = dist2(thief->x, thief->y, v->x, v->y);
            if (d2 < touch2 && (victim_of[i] < 0 || d2 < best_d2)) {
                victim_of[i] = j;
                best_d2 = d2;
            }
        }
    }
    int32_t before[SIM_MAX_PLAYERS];
    for (int i = 0; i < g->nplayers; i++)
        before[i] = g->players[i].score;
    for (int i = 0; i < g->nplayers; i++) {
        int v = victim_of[i];
        if (v < 0)
            continue;
        g->players[i].stole = true;
        if (before[v] > 0) {
            before[v]--;
            g->players[v].score--;
            g->players[i].score++;
        }
    }
    for (int i = 0; i < g->nplayers; i++) {
        int v = victim_of[i];
        if (v < 0)
            continue;
        sim_player_t *victim = &g->players[v];
        victim->stun_ticks = SIM_STUN_TICKS;
        if (victim->dash_ticks > 0) {
            victim->dash_ticks = 0;
            victim->cooldown_ticks = SIM_DASH_COOLDOWN_TICKS;
        }
    }
}

void sim_step(sim_game_t *g)
{
    if (sim_over(g))
        return;
    g->tick++;
    for (int i = 0; i < g->nplayers; i++) {
        sim_player_t *p = &g->players[i];
        if (!p->active)
            continue;
        sim_move_player(g->world, p);
        p->ack = p->input.seq;
    }
    take_coins(g);
    resolve_steals(g);
}

void sim_remove_player(sim_game_t *g, int player)
{
    if (player < 0 || player >= g->nplayers)
        return;
    sim_player_t *p = &g->players[player];
    p->active = false;
    p->dash_ticks = 0;
    p->stun_ticks = 0;
    memset(&p->input, 0, sizeof p->input);
}

bool sim_over(const sim_game_t *g)
{
    return g->tick >= g->duration_ticks;
}

uint32_t sim_ticks_left(const sim_game_t *g)
{
    return sim_over(g) ? 0 : g->duration_ticks - g->tick;
}

int sim_results(const sim_game_t *g, sim_result_t *out)
{
    int n = 0;
    for (int i = 0; i < g->nplayers; i++) {
        if (!g->players[i].active)
            continue;
        /* Insertion keeps equal scores in player order. */
        sim_result_t r = {i, g->players[i].score, 0};
        int k = n;
        while (k > 0 && out[k - 1].score < r.score) {
            out[k] = out[k - 1];
            k--;
        }
        out[k] = r;
        n++;
    }
    for (int k = 0; k < n; k++)
        out[k].rank = k > 0 && out[k].score == out[k - 1].score ? out[k - 1].rank : k + 1;
    return n;
}
