/* game.c -- the sub's second phase: "game start", the countdown to GO, the shared simulation at
 * 30 Hz, inputs, states; uses sub.h (player.h, server.h), common/sim, and end.c for the next
 * phase */
#include <stdlib.h>
#include <string.h>

#include "sub.h"

#define STAGE "game"

#define GAME_TICK_NS (LOOP_NS_PER_SEC / SIM_TICK_RATE)

/* Eight colours far apart from one another and readable on the client's dark floor. */
static const uint8_t game_palette[SIM_MAX_PLAYERS][3] = {
    {230, 60, 60},   /* red */
    {60, 130, 235},  /* blue */
    {70, 200, 80},   /* green */
    {245, 205, 40},  /* yellow */
    {175, 95, 225},  /* purple */
    {40, 205, 205},  /* cyan */
    {245, 140, 40},  /* orange */
    {240, 120, 190}, /* pink */
};

static int64_t game_on_tick(loop_t *l, long long id, void *ud);
static void game_broadcast_state(sub_t *g);

/* When tick n is due: a fixed schedule from the start, so lateness never accumulates. */
static int64_t game_tick_due(const sub_t *g, uint32_t n)
{
    return g->game_started + (int64_t)n * LOOP_NS_PER_SEC / SIM_TICK_RATE;
}

/* Rounds tick on a server-wide grid of SERVER_TICK_PHASES phases per 1/30 s (counted from the
 * server's start), handed out in turn. The ticks of all the rounds on one phase fall due
 * together and one wake-up of the loop serves them all; rounds started at arbitrary moments
 * would each wake the loop, and have poll(2) walk every descriptor, for every tick. More than
 * one phase spreads the work, so that no round waits long behind the others. Returns when the
 * round's tick 0 was: the latest instant of its phase, at most now. */
static int64_t game_tick_grid_start(server_t *s)
{
    const int64_t phases = SERVER_TICK_PHASES;
    int64_t phase = s->next_tick_phase++ % SERVER_TICK_PHASES;
    /* Grid slot u is at started_at + u / (30 * phases) s; a round's slots are phase mod phases. */
    const int64_t per_sec = SIM_TICK_RATE * phases;
    /* Whole seconds apart from the rest: nanoseconds times per_sec would overflow int64 after
     * about 890 days of uptime. */
    int64_t up = loop_now() - s->started_at;
    int64_t u = up / LOOP_NS_PER_SEC * per_sec + up % LOOP_NS_PER_SEC * per_sec / LOOP_NS_PER_SEC;
    u -= ((u - phase) % phases + phases) % phases;
    return s->started_at + u / per_sec * LOOP_NS_PER_SEC + u % per_sec * LOOP_NS_PER_SEC / per_sec;
}

void game_begin(sub_t *g)
{
    server_t *s = g->srv;
    const world_t *w = &s->worlds[g->world];
    g->phase = SUB_GAME;
    g->game = malloc(sizeof *g->game);
    g->inputs = calloc((size_t)g->nplayers, sizeof *g->inputs);
    if (!g->game || !g->inputs) {
        free(g->game);
        g->game = NULL;
        free(g->inputs);
        g->inputs = NULL;
        log_msg(&s->log, LOG_ERROR, STAGE, "group %u: out of memory for the round", g->id);
        sub_close_all(g, "server out of memory");
        return;
    }
    g->seed = server_random(s) & ((1ull << 53) - 1);
    sim_init(g->game, w, g->nplayers, g->seed, s->cfg.round_seconds);
    /* Players who left during the vote are already gone from the game. */
    for (int i = 0; i < g->nplayers; i++)
        if (!g->players[i])
            sim_remove_player(g->game, i);

    msg_t *m = s->out;
    proto_init(m, MSG_GAME_START);
    msg_game_start_t *gs = &m->u.game_start;
    proto_world_info_from_world(&gs->world, w);
    gs->nplayers = g->nplayers;
    for (int i = 0; i < g->nplayers; i++) {
        memcpy(gs->players[i].username, g->usernames[i], sizeof gs->players[i].username);
        memcpy(gs->players[i].color, game_palette[i], 3);
    }
    gs->tick_rate = SIM_TICK_RATE;
    gs->duration = (int)(g->game->duration_ticks / SIM_TICK_RATE);
    gs->seed = g->seed;
    /* GO, the round's tick 0, is one instant for the whole group, decided here: the countdown
     * after the grid's slot. A client that can show it is told how far away it is. */
    g->game_started = game_tick_grid_start(s) + (int64_t)s->cfg.countdown * LOOP_NS_PER_SEC;
    int64_t until = g->game_started - loop_now();
    int countdown_ms = until > 0 ? (int)((until + LOOP_NS_PER_MS - 1) / LOOP_NS_PER_MS) : 0;
    /* Each player's copy differs only by "you" (and the countdown, for who can use it). */
    for (int i = 0; i < g->nplayers; i++) {
        if (!g->players[i])
            continue;
        memcpy(gs->you, g->usernames[i], sizeof gs->you);
        gs->countdown_ms = (g->players[i]->features & PROTO_FEATURE_COUNTDOWN) ? countdown_ms : 0;
        player_send(s, g->players[i], m);
    }
    log_msg(&s->log, LOG_INFO, STAGE, "group %u: round on \"%s\" starts in %d ms (%d s, seed %llu)",
            g->id, w->name, countdown_ms, gs->duration, (unsigned long long)g->seed);
    /* The spawns, shown during the countdown: the tick 0 every client can draw. */
    if (countdown_ms > 0)
        game_broadcast_state(g);
    g->timer = loop_add_timer(s->loop, game_tick_due(g, 1), game_on_tick, g);
}

/* The snapshot is encoded once per group and the same bytes are queued to each player. */
static void game_broadcast_state(sub_t *g)
{
    server_t *s = g->srv;
    proto_init(s->out, MSG_STATE);
    proto_state_from_sim(&s->out->u.state, g->game,
                         (const char(*)[PROTO_USERNAME_SIZE])g->usernames);
    sub_send_all(g, s->out);
}

/* Applies the next queued input of every player, ahead of one step. */
static void game_apply_queued_inputs(sub_t *g)
{
    for (int i = 0; i < g->nplayers; i++) {
        input_queue_t *q = &g->inputs[i];
        if (q->len == 0)
            continue;
        sim_set_input(g->game, i, &q->in[q->head]);
        q->head = (uint8_t)((q->head + 1) % SERVER_INPUT_QUEUE);
        q->len--;
    }
}

static void game_queue_input(input_queue_t *q, const sim_input_t *in)
{
    if (q->len == SERVER_INPUT_QUEUE) { /* far ahead of the clock: drop the oldest */
        q->head = (uint8_t)((q->head + 1) % SERVER_INPUT_QUEUE);
        q->len--;
    }
    q->in[(q->head + q->len) % SERVER_INPUT_QUEUE] = *in;
    q->len++;
}

static int64_t game_on_tick(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    sub_t *g = ud;
    server_t *s = g->srv;
    int64_t now = loop_now();
    /* Catch up on every tick that is due, a few at most; beyond that the machine is
     * overloaded and the schedule slips rather than the game fast-forwarding. */
    int steps = 0;
    while (now >= game_tick_due(g, g->game->tick + 1) && steps < SERVER_MAX_CATCHUP_TICKS &&
           !sim_over(g->game)) {
        int64_t late = now - game_tick_due(g, g->game->tick + 1);
        if (late > SERVER_LATE_TICK_MS * LOOP_NS_PER_MS) {
            g->late_ticks++;
            if (late / LOOP_NS_PER_MS > g->max_late_ms)
                g->max_late_ms = (uint32_t)(late / LOOP_NS_PER_MS);
        }
        game_apply_queued_inputs(g);
        sim_step(g->game);
        steps++;
    }
    if (steps == SERVER_MAX_CATCHUP_TICKS && now >= game_tick_due(g, g->game->tick + 1))
        g->game_started = now - (int64_t)g->game->tick * LOOP_NS_PER_SEC / SIM_TICK_RATE;
    if (steps > 0)
        game_broadcast_state(g);
    if (sim_over(g->game)) {
        log_msg(&s->log, g->late_ticks ? LOG_INFO : LOG_DEBUG, STAGE,
                "group %u: round over after %u ticks (%u late by more than %d ms, worst %u ms)",
                g->id, g->game->tick, g->late_ticks, SERVER_LATE_TICK_MS, g->max_late_ms);
        g->timer = 0; /* this timer ends here */
        end_begin(g);
        return LOOP_NOMORE;
    }
    return game_tick_due(g, g->game->tick + 1);
}

int game_on_msg(sub_t *g, int slot, const msg_t *m)
{
    if (!g->game)
        return 0; /* the round could not start; its players are on their way out */
    switch (m->type) {
    case MSG_INPUT: {
        /* Before GO nothing moves: a key held or a dash pressed during the countdown is not
         * kept for later, so nobody starts ahead (the client sends its held input again). */
        if (loop_now() < g->game_started)
            return 0;
        sim_input_t in = {
            .seq = m->u.input.seq,
            .dx = m->u.input.dx,
            .dy = m->u.input.dy,
            .dash = m->u.input.dash,
        };
        /* Applied on its own tick (see input_queue_t); sim_set_input clamps it. */
        game_queue_input(&g->inputs[slot], &in);
        return 0;
    }
    case MSG_VOTE:
        return 0; /* a vote that crossed the vote's end on the wire */
    default:
        return -1;
    }
}

void game_player_left(sub_t *g, int slot)
{
    sim_remove_player(g->game, slot);
    log_msg(&g->srv->log, LOG_INFO, STAGE, "group %u: %s left the round", g->id,
            g->usernames[slot]);
}
