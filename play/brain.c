/* brain.c -- the autoplay brain: walking-distance field to the coins, waypoint steering, dashes;
 * depends on common/ only (no SDL, no sockets, no wall clock, no rand()) */
#include "brain.h"

#include <string.h>

#include "hash.h"
#include "rng.h"

/* The eight neighbours: the four sides first, then the diagonals. */
static const int NEIGHBOUR_DX[8] = {1, 0, -1, 0, 1, -1, -1, 1};
static const int NEIGHBOUR_DY[8] = {0, 1, 0, -1, 1, 1, -1, -1};

void brain_init(brain_t *b, uint64_t seed)
{
    memset(b, 0, sizeof(*b));
    b->rng = seed;
    b->next_seq = 1;
    b->order = (int)(rng_next(&b->rng) % 4);
    b->dash_reach = BRAIN_DASH_REACH - (int)(rng_next(&b->rng) % (BRAIN_DASH_REACH_JITTER + 1));
}

int brain_find_player(const msg_state_t *st, const char *username)
{
    for (int i = 0; i < st->nplayers && i < PROTO_MAX_PLAYERS; i++) {
        if (strcmp(st->players[i].username, username) == 0)
            return i;
    }
    return -1;
}

/* FNV-1a over the coin tiles: the field is recomputed only when this changes. */
static uint32_t coins_key(const msg_state_t *st)
{
    int n = st->ncoins;
    uint32_t h = hash32_bytes(HASH32_INIT, &n, sizeof n);
    for (int c = 0; c < n; c++) {
        int xy[2] = {st->coins[c].x, st->coins[c].y};
        h = hash32_bytes(h, xy, sizeof xy);
    }
    return h;
}

/* Multi-source breadth-first search over floor tiles (4-connected) from the present coins, or
 * from every coin spot when none is present (they refill: wait near one). */
static void compute_field(brain_t *b, const world_t *w, const msg_state_t *st)
{
    static const int SIDE = 4;
    world_point_t queue[WORLD_MAX_SIZE * WORLD_MAX_SIZE];
    int head = 0, tail = 0;

    memset(b->dist, 0xff, sizeof(b->dist));
    int nsources = st->ncoins > 0 ? st->ncoins : w->ncoins;
    for (int c = 0; c < nsources; c++) {
        world_point_t p = st->ncoins > 0 ? st->coins[c] : w->coins[c];
        if (world_is_wall(w, p.x, p.y) || b->dist[p.y][p.x] == 0)
            continue;
        b->dist[p.y][p.x] = 0;
        queue[tail++] = p;
    }
    while (head < tail) {
        world_point_t p = queue[head++];
        uint16_t next = (uint16_t)(b->dist[p.y][p.x] + 1);
        for (int k = 0; k < SIDE; k++) {
            int nx = p.x + NEIGHBOUR_DX[k], ny = p.y + NEIGHBOUR_DY[k];
            if (world_is_wall(w, nx, ny) || b->dist[ny][nx] != BRAIN_UNREACHABLE)
                continue;
            b->dist[ny][nx] = next;
            queue[tail++] = (world_point_t){nx, ny};
        }
    }
}

static int axis_toward(int32_t from, int32_t to)
{
    int32_t d = to - from;
    if (d > BRAIN_DEAD_ZONE)
        return 1;
    if (d < -BRAIN_DEAD_ZONE)
        return -1;
    return 0;
}

static uint16_t field_at(const brain_t *b, const world_t *w, int x, int y)
{
    if (world_is_wall(w, x, y))
        return BRAIN_UNREACHABLE;
    return b->dist[y][x];
}

/* The centre of the tile to head for: the neighbour closest to a coin (a diagonal only when
 * both sides next to it are open, so the circle does not catch the corner), or the player's
 * own tile's centre when the coin is there. Returns false when no coin can be reached. */
static bool next_waypoint(const brain_t *b, const world_t *w, int32_t x, int32_t y, int32_t *tx,
                          int32_t *ty)
{
    int cx = x / SIM_ONE, cy = y / SIM_ONE;
    uint16_t here = field_at(b, w, cx, cy);
    if (here == 0) {
        *tx = cx * SIM_ONE + SIM_ONE / 2;
        *ty = cy * SIM_ONE + SIM_ONE / 2;
        return true;
    }
    uint16_t best = here;
    int bx = -1, by = -1;
    for (int i = 0; i < 8; i++) {
        /* Rotate within the sides and within the diagonals: equal choices go the seeded way. */
        int k = i < 4 ? (i + b->order) % 4 : 4 + (i - 4 + b->order) % 4;
        int nx = cx + NEIGHBOUR_DX[k], ny = cy + NEIGHBOUR_DY[k];
        if (k >= 4 && (world_is_wall(w, nx, cy) || world_is_wall(w, cx, ny)))
            continue;
        uint16_t d = field_at(b, w, nx, ny);
        if (d < best) {
            best = d;
            bx = nx;
            by = ny;
        }
    }
    if (bx < 0)
        return false;
    *tx = bx * SIM_ONE + SIM_ONE / 2;
    *ty = by * SIM_ONE + SIM_ONE / 2;
    return true;
}

/* No wall on the straight line between two centres (sampled every quarter tile). */
static bool line_clear(const world_t *w, int32_t x0, int32_t y0, int32_t x1, int32_t y1)
{
    static const int SAMPLES = 8;
    for (int i = 1; i < SAMPLES; i++) {
        int32_t x = x0 + (x1 - x0) * i / SAMPLES, y = y0 + (y1 - y0) * i / SAMPLES;
        if (world_is_wall(w, x / SIM_ONE, y / SIM_ONE))
            return false;
    }
    return true;
}

/* The nearest other player within reach (any score when want_points is false), or -1. */
static int nearest_rival(const msg_state_t *st, int me, int32_t reach, bool want_points)
{
    const proto_player_state_t *p = &st->players[me];
    int best = -1;
    int64_t best_d2 = (int64_t)reach * reach;
    for (int i = 0; i < st->nplayers; i++) {
        const proto_player_state_t *r = &st->players[i];
        if (i == me || (want_points && r->score <= 0))
            continue;
        int64_t dx = r->x - p->x, dy = r->y - p->y;
        int64_t d2 = dx * dx + dy * dy;
        if (d2 <= best_d2) {
            best_d2 = d2;
            best = i;
        }
    }
    return best;
}

/* The dash: while dashing, steer at whoever is closest (one touch steals); when the dash is
 * ready and a rival with points is in reach and in sight, aim at it and press. */
static void choose_dash(brain_t *b, const world_t *w, const msg_state_t *st, int me, bool dashing,
                        int *dx, int *dy, bool *dash)
{
    const proto_player_state_t *p = &st->players[me];
    bool ready = !dashing && p->cooldown_ticks == 0;
    int rival = nearest_rival(st, me, b->dash_reach, true);
    if (rival >= 0 && !line_clear(w, p->x, p->y, st->players[rival].x, st->players[rival].y))
        rival = -1;
    if (dashing) {
        int target = nearest_rival(st, me, b->dash_reach, false);
        if (target >= 0) {
            *dx = axis_toward(p->x, st->players[target].x);
            *dy = axis_toward(p->y, st->players[target].y);
        }
        b->dash_hold_ticks = 0;
    } else if (ready && rival >= 0) {
        *dx = axis_toward(p->x, st->players[rival].x);
        *dy = axis_toward(p->y, st->players[rival].y);
        /* Hold the button until the dash shows, but release now and then: a dash starts
         * only on a new press. */
        *dash = b->dash_hold_ticks < BRAIN_DASH_HOLD_MAX;
        b->dash_hold_ticks = *dash ? b->dash_hold_ticks + 1 : 0;
    } else {
        b->dash_hold_ticks = 0;
    }
}

/* The walk: towards the next waypoint of the field (or on at the rival when there is none),
 * or a random way for a while after being held against something the field did not foresee. */
static void choose_walk(brain_t *b, const world_t *w, const proto_player_state_t *p, bool moved,
                        int *dx, int *dy)
{
    int32_t tx, ty;
    if (b->wander_calls > 0) {
        b->wander_calls--;
        *dx = b->wander_dx;
        *dy = b->wander_dy;
    } else if (next_waypoint(b, w, p->x, p->y, &tx, &ty)) {
        *dx = axis_toward(p->x, tx);
        *dy = axis_toward(p->y, ty);
    }
    if ((*dx != 0 || *dy != 0) && !moved && b->last_dx == *dx && b->last_dy == *dy) {
        if (++b->stuck_calls >= BRAIN_STUCK_CALLS) {
            uint64_t r = rng_next(&b->rng);
            b->wander_dx = (int)(r % 3) - 1;
            b->wander_dy = (int)((r / 3) % 3) - 1;
            b->wander_calls = BRAIN_WANDER_CALLS;
            b->stuck_calls = 0;
        }
    } else {
        b->stuck_calls = 0;
    }
}

void brain_decide(brain_t *b, const world_t *w, const msg_state_t *st, int me, sim_input_t *out)
{
    memset(out, 0, sizeof(*out));
    out->seq = b->next_seq++;
    if (b->next_seq == 0)
        b->next_seq = 1;
    if (me < 0 || me >= st->nplayers || me >= PROTO_MAX_PLAYERS || w->width < 1 || w->height < 1 ||
        w->width > WORLD_MAX_SIZE || w->height > WORLD_MAX_SIZE)
        return;
    const proto_player_state_t *p = &st->players[me];
    if (p->x < 0 || p->y < 0 || p->x >= w->width * SIM_ONE || p->y >= w->height * SIM_ONE)
        return;

    uint32_t key = coins_key(st);
    if (!b->dist_valid || key != b->coins_key) {
        compute_field(b, w, st);
        b->coins_key = key;
        b->dist_valid = true;
    }

    bool moved = p->x != b->last_x || p->y != b->last_y;
    b->last_x = p->x;
    b->last_y = p->y;
    if (p->stun || p->stun_ticks > 0) {
        /* Cannot move: release everything, so the next dash is a new press. */
        b->stuck_calls = 0;
        b->dash_hold_ticks = 0;
        b->last_dx = b->last_dy = 0;
        return;
    }

    int dx = 0, dy = 0;
    bool dash = false;
    bool dashing = p->dash || p->dash_ticks > 0;
    choose_dash(b, w, st, me, dashing, &dx, &dy, &dash);
    if (!dashing && !dash)
        choose_walk(b, w, p, moved, &dx, &dy);

    b->last_dx = dx;
    b->last_dy = dy;
    out->dx = (int8_t)dx;
    out->dy = (int8_t)dy;
    out->dash = dash;
}
