/* proto_world.c -- adapters between the wire and the game: a state message from a simulation, a
 * snapshot's player back into one, worlds described and loaded; depends on sim and world */
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "proto_read.h" /* PROTO_MILLI */

void proto_state_from_sim(msg_state_t *st, const sim_game_t *g,
                          const char (*usernames)[PROTO_USERNAME_SIZE])
{
    uint32_t left = g->tick < g->duration_ticks ? g->duration_ticks - g->tick : 0;
    uint64_t ms = ((uint64_t)left * PROTO_MILLI + SIM_TICK_RATE / 2) / SIM_TICK_RATE;
    uint64_t max_ms = (uint64_t)PROTO_MAX_DURATION * PROTO_MILLI;

    st->tick = g->tick;
    st->time_left_ms = (int32_t)(ms < max_ms ? ms : max_ms);
    st->nplayers = 0;
    for (int i = 0; i < g->nplayers && i < SIM_MAX_PLAYERS; i++) {
        const sim_player_t *p = &g->players[i];
        if (!p->active)
            continue;
        proto_player_state_t *ps = &st->players[st->nplayers++];
        snprintf(ps->username, sizeof ps->username, "%s", usernames[i]);
        ps->x = p->x;
        ps->y = p->y;
        ps->score = p->score;
        ps->dash = p->dash_ticks > 0;
        ps->stun = p->stun_ticks > 0;
        ps->ack = p->ack;
        ps->dash_ticks = p->dash_ticks;
        ps->cooldown_ticks = p->cooldown_ticks;
        ps->stun_ticks = p->stun_ticks;
    }
    st->ncoins = 0;
    for (int i = 0; i < g->ncoins && i < PROTO_MAX_COINS; i++) {
        const sim_coin_t *c = &g->coins[i];
        if (c->refill_ticks != 0)
            continue;
        st->coins[st->ncoins].x = c->x / SIM_ONE;
        st->coins[st->ncoins].y = c->y / SIM_ONE;
        st->ncoins++;
    }
}

void proto_player_to_sim(const proto_player_state_t *ps, sim_player_t *p)
{
    p->x = ps->x;
    p->y = ps->y;
    p->score = ps->score;
    p->ack = ps->ack;
    p->dash_ticks = ps->dash_ticks;
    p->cooldown_ticks = ps->cooldown_ticks;
    p->stun_ticks = ps->stun_ticks;
}

void proto_world_info_from_world(proto_world_info_t *info, const world_t *w)
{
    memcpy(info->name, w->name, sizeof info->name);
    memcpy(info->description, w->description, sizeof info->description);
    info->width = w->width;
    info->height = w->height;
    for (int r = 0; r < w->height; r++)
        memcpy(info->tiles[r], w->tiles[r], sizeof info->tiles[r]);
}

int proto_world_info_to_world(world_t *w, const proto_world_info_t *info, int duration, char *err,
                              size_t errlen)
{
    int nrows = info->height;
    if (nrows < 0 || nrows > WORLD_MAX_SIZE)
        nrows = 0;
    const char *rows[WORLD_MAX_SIZE];
    for (int r = 0; r < nrows; r++)
        rows[r] = info->tiles[r];
    if (duration < WORLD_MIN_DURATION || duration > WORLD_MAX_DURATION)
        duration = WORLD_MIN_DURATION;
    return world_from_rows(w, info->name, info->description, duration, rows, nrows, err, errlen);
}
