/* sfx_events.c -- from the game's messages to sounds: compares two "state" snapshots for coins,
 * steals, stuns, dashes and the clock; the countdown, a refused dash and the results' jingle;
 * SDL-free, depends on common/proto.h (and sim.h's rules) and sfx.h */
#include "sfx_events.h"

#include <string.h>

_Static_assert(WORLD_MAX_SIZE <= 64, "a row of the coin bitmap is one uint64_t");

float sfx_events_pan(int32_t x, int world_width)
{
    if (world_width <= 0)
        return 0.0f;
    float rel = (float)x / ((float)world_width * SIM_ONE); /* 0 .. 1 across the map */
    if (rel < 0.0f)
        rel = 0.0f;
    if (rel > 1.0f)
        rel = 1.0f;
    return (2.0f * rel - 1.0f) * SFX_EVENTS_PAN_WIDTH;
}

static void emit(sfx_event_t *out, int cap, int *n, sfx_sound_t s, float volume, float pan)
{
    if (*n >= cap)
        return;
    out[*n] = (sfx_event_t){s, volume, pan};
    (*n)++;
}

static int find_player(const msg_state_t *st, const char *name)
{
    int n = st->nplayers < PROTO_MAX_PLAYERS ? st->nplayers : PROTO_MAX_PLAYERS;
    for (int i = 0; i < n; i++)
        if (strncmp(st->players[i].username, name, PROTO_USERNAME_SIZE) == 0)
            return i;
    return -1;
}

static int clamp_count(int n, int max)
{
    return n < 0 ? 0 : n > max ? max : n;
}

static int64_t dist2(int32_t ax, int32_t ay, int32_t bx, int32_t by)
{
    int64_t dx = (int64_t)ax - bx, dy = (int64_t)ay - by;
    return dx * dx + dy * dy;
}

/* What one player did between the two snapshots. */
typedef struct change {
    int prev;      /* index in the previous snapshot, -1: not in it */
    int32_t score; /* score difference */
    int coins;     /* coins that vanished near this player */
    bool dashed;   /* dashing at some point between the two */
    bool dash_start, stun_start;
} change_t;

/* Hands each coin present before and gone now to the nearest player, as the rules do (they
 * judge after the move: the positions now). The slack covers a snapshot that came late. */
static void assign_coins(const msg_state_t *prev, const msg_state_t *cur, change_t *ch, int np)
{
    uint64_t present[WORLD_MAX_SIZE] = {0};
    int nc = clamp_count(cur->ncoins, PROTO_MAX_COINS);
    for (int c = 0; c < nc; c++) {
        world_point_t p = cur->coins[c];
        if (p.x >= 0 && p.x < WORLD_MAX_SIZE && p.y >= 0 && p.y < WORLD_MAX_SIZE)
            present[p.y] |= UINT64_C(1) << p.x;
    }
    const int64_t reach = SIM_COIN_PICKUP + SFX_EVENTS_COIN_SLACK;
    int pc = clamp_count(prev->ncoins, PROTO_MAX_COINS);
    for (int c = 0; c < pc; c++) {
        world_point_t p = prev->coins[c];
        if (p.x < 0 || p.x >= WORLD_MAX_SIZE || p.y < 0 || p.y >= WORLD_MAX_SIZE ||
            (present[p.y] >> p.x & 1u))
            continue;
        int32_t cx = p.x * SIM_ONE + SIM_ONE / 2, cy = p.y * SIM_ONE + SIM_ONE / 2;
        int best = -1;
        int64_t best_d2 = reach * reach;
        for (int i = 0; i < np; i++) {
            if (ch[i].prev < 0)
                continue;
            int64_t d2 = dist2(cur->players[i].x, cur->players[i].y, cx, cy);
            if (d2 <= best_d2) {
                /* Equal distances go to the lower index, as in the rules. */
                if (best < 0 || d2 < best_d2)
                    best = i;
                best_d2 = d2;
            }
        }
        if (best >= 0)
            ch[best].coins++;
    }
}

static void clock_events(const msg_state_t *prev, const msg_state_t *cur, sfx_event_t *out, int cap,
                         int *n)
{
    int32_t was = prev->time_left_ms, now = cur->time_left_ms;
    /* The lowest whole second reached: after a stall that passed several, one tick. */
    for (int k = 1; k <= SFX_EVENTS_LAST_SECONDS; k++) {
        int32_t t = k * 1000;
        if (was > t && now <= t) {
            float rise = (float)(SFX_EVENTS_LAST_SECONDS - k) / (SFX_EVENTS_LAST_SECONDS - 1);
            emit(out, cap, n, SFX_LAST_TICK,
                 SFX_EVENTS_VOL_TICK_FIRST + (1.0f - SFX_EVENTS_VOL_TICK_FIRST) * rise, 0.0f);
            break;
        }
    }
    if (was > 0 && now <= 0)
        emit(out, cap, n, SFX_ROUND_END, SFX_EVENTS_VOL_YOURS, 0.0f);
}

int sfx_events_diff(const msg_state_t *prev, const msg_state_t *cur, const char *you,
                    int world_width, sfx_event_t *out, int cap)
{
    if (!prev || !cur || !out || cap <= 0)
        return 0;
    int np = clamp_count(cur->nplayers, PROTO_MAX_PLAYERS);
    int me = you ? find_player(cur, you) : -1;
    change_t ch[PROTO_MAX_PLAYERS];
    for (int i = 0; i < np; i++) {
        const proto_player_state_t *now = &cur->players[i];
        change_t *c = &ch[i];
        memset(c, 0, sizeof *c);
        c->prev = find_player(prev, now->username);
        if (c->prev < 0)
            continue;
        const proto_player_state_t *was = &prev->players[c->prev];
        c->score = now->score - was->score;
        c->stun_start = now->stun && (!was->stun || now->stun_ticks > was->stun_ticks);
        /* A dash seen starting, or one that began and ended between two late snapshots
         * (its cooldown appeared). */
        c->dash_start = (now->dash && (!was->dash || now->dash_ticks > was->dash_ticks)) ||
                        (!was->dash && !now->dash && now->cooldown_ticks > was->cooldown_ticks);
        c->dashed = was->dash || now->dash || now->cooldown_ticks > was->cooldown_ticks;
    }
    assign_coins(prev, cur, ch, np);

    /* Split each score change into coins and steals: a steal needs a dashing gainer and a
     * loser on the same step. A robbed player may have taken a coin on that step too. */
    int32_t rest[PROTO_MAX_PLAYERS];
    int32_t lost = 0;
    for (int i = 0; i < np; i++) {
        change_t *c = &ch[i];
        if (c->prev < 0) {
            rest[i] = 0;
            continue;
        }
        int32_t could = (c->score > 0 ? c->score : 0) + (c->stun_start ? 1 : 0);
        if (c->coins > could)
            c->coins = could;
        rest[i] = c->score - c->coins;
        if (rest[i] < 0)
            lost -= rest[i];
    }
    bool thief[PROTO_MAX_PLAYERS];
    for (int i = 0; i < np; i++) {
        thief[i] = rest[i] > 0 && ch[i].dashed && lost > 0;
        /* A gain that is no steal is a coin whose going the snapshots did not show. */
        if (rest[i] > 0 && !thief[i])
            ch[i].coins += rest[i];
    }
    bool you_robbed = me >= 0 && rest[me] < 0;

    int n = 0;
    for (int i = 0; i < np; i++) {
        const change_t *c = &ch[i];
        if (c->prev < 0)
            continue;
        float pan = sfx_events_pan(cur->players[i].x, world_width);
        bool mine = i == me;
        if (c->coins > 0)
            emit(out, cap, &n, mine ? SFX_COIN_YOU : SFX_COIN_OTHER,
                 mine ? SFX_EVENTS_VOL_YOURS : SFX_EVENTS_VOL_COIN_OTHER, pan);
        if (thief[i] && mine)
            emit(out, cap, &n, SFX_STEAL_THIEF, SFX_EVENTS_VOL_YOURS, pan);
        else if (thief[i] && !you_robbed) /* your own loss says it better */
            emit(out, cap, &n, SFX_STEAL_THIEF, SFX_EVENTS_VOL_STEAL_OTHER, pan);
        if (rest[i] < 0 && mine)
            emit(out, cap, &n, SFX_STEAL_ROBBED, SFX_EVENTS_VOL_YOURS, pan);
        /* A stun that cost a point is heard as the steal; a hit on 0 points only stuns. */
        if (c->stun_start && rest[i] >= 0)
            emit(out, cap, &n, SFX_STUN, mine ? SFX_EVENTS_VOL_YOURS : SFX_EVENTS_VOL_STUN_OTHER,
                 pan);
        if (c->dash_start)
            emit(out, cap, &n, SFX_DASH, mine ? SFX_EVENTS_VOL_YOURS : SFX_EVENTS_VOL_DASH_OTHER,
                 pan);
    }
    clock_events(prev, cur, out, cap, &n);
    return n;
}

int sfx_events_countdown(int32_t prev_ms, int32_t now_ms, sfx_event_t *out, int cap)
{
    if (!out || cap <= 0)
        return 0;
    int n = 0;
    if (prev_ms > 0 && now_ms <= 0) {
        emit(out, cap, &n, SFX_COUNTDOWN_GO, SFX_EVENTS_VOL_YOURS, 0.0f);
        return n;
    }
    for (int k = 1; k <= SFX_EVENTS_COUNTDOWN; k++) {
        int32_t t = k * 1000;
        if (prev_ms > t && now_ms <= t) {
            emit(out, cap, &n, SFX_COUNTDOWN_TICK, SFX_EVENTS_VOL_YOURS, 0.0f);
            break;
        }
    }
    return n;
}

bool sfx_events_dash_refused(const sim_player_t *self)
{
    /* sim_move_player: a dash ticks down (and, ending, starts the cooldown), else the cooldown
     * ticks down; a stun returns early; only then may a press start a dash. */
    return self->dash_ticks > 0 || self->stun_ticks > 0 || self->cooldown_ticks > 1;
}

int sfx_events_dash_press(const sim_player_t *self, sfx_event_t *out, int cap)
{
    if (!self || !out || cap <= 0 || !sfx_events_dash_refused(self))
        return 0;
    out[0] = (sfx_event_t){SFX_NOT_READY, SFX_EVENTS_VOL_NOT_READY, 0.0f};
    return 1;
}

int sfx_events_finish(const msg_fin_t *fin, const char *you, sfx_event_t *out, int cap)
{
    if (!fin || !you || !out || cap <= 0)
        return 0;
    int nr = clamp_count(fin->nresults, PROTO_MAX_PLAYERS);
    for (int i = 0; i < nr; i++) {
        if (strncmp(fin->results[i].username, you, PROTO_USERNAME_SIZE) == 0) {
            out[0] = (sfx_event_t){fin->results[i].rank == 1 ? SFX_WIN : SFX_LOSE,
                                   SFX_EVENTS_VOL_YOURS, 0.0f};
            return 1;
        }
    }
    return 0;
}
