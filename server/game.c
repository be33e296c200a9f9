/* game.c -- a group's second phase: "game start" with each player's colour, the countdown to GO,
 * the shared simulation at 30 Hz, inputs, states, and the end of the round, which it reports to
 * the group's owner; uses game.h and group.h (player.h, server.h), common/sim, common/palette,
 * and record.h (each call to the rules, for the replay) */
#include "game.h"

#include <stdlib.h>
#include <string.h>

#include "palette.h"
#include "record.h"

#define STAGE "game"

#define GAME_TICK_NS (LOOP_NS_PER_SEC / SIM_TICK_RATE)

/* Each slot's colour for this round (indices of PALETTE): first the players who chose one, in
 * slot order (an earlier arrival keeps a colour two chose; the later gets the nearest free
 * one), then the others, each from its name unless that one is taken or looks like one in use
 * (then the free colour least like those in use): the same group gets the same colours round
 * after round. */
static void game_assign_colors(const group_t *g, int colors[PROTO_MAX_GROUP])
{
    bool used[PALETTE_COUNT] = {false};
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < g->nplayers; i++) {
            const player_t *p = g->players[i];
            bool chose = p && p->color_choice >= 0;
            if (chose != (pass == 0))
                continue;
            int want = chose ? p->color_choice : palette_for_name(g->usernames[i]);
            colors[i] =
                chose ? palette_nearest_free(want, used) : palette_distinct_free(want, used);
            if (colors[i] < 0)
                colors[i] = want; /* more players than colours: cannot happen with 8 of 12 */
            used[colors[i]] = true;
        }
    }
}

/* A player who did not get the colour they chose hears why (a social client shows it). */
static void game_tell_clashes(group_t *g, const int colors[PROTO_MAX_GROUP])
{
    for (int i = 0; i < g->nplayers; i++) {
        player_t *p = g->players[i];
        if (!p || p->color_choice < 0 || colors[i] == p->color_choice)
            continue;
        char text[PROTO_TEXT_SIZE];
        snprintf(text, sizeof text, "someone who came first also chose %s: you are %s this round",
                 PALETTE[p->color_choice].name, PALETTE[colors[i]].name);
        player_notice(g->srv, p, text);
    }
}

static int64_t game_on_tick(loop_t *l, long long id, void *ud);
static void game_broadcast_state(group_t *g);

/* When tick n is due: a fixed schedule from the start, so lateness never accumulates. */
static int64_t game_tick_due(const group_t *g, uint32_t n)
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

/* The slot's player is still there and staying (or only dropped: it may resume). */
static bool game_playing(const group_t *g, int slot)
{
    const player_t *p = g->players[slot];
    return p && (!player_closing(p) || p->dropping);
}

/* "game start" without "you": the players in the simulation (those who left before it began
 * are not listed), each with its slot's colour. */
static void game_fill_start(group_t *g, msg_t *m)
{
    proto_init(m, MSG_GAME_START);
    msg_game_start_t *gs = &m->u.game_start;
    proto_world_info_from_world(&gs->world, &g->srv->worlds[g->world]);
    gs->nplayers = 0;
    for (int i = 0; i < g->nplayers; i++) {
        if (!g->game->players[i].active)
            continue;
        memcpy(gs->players[gs->nplayers].username, g->usernames[i], sizeof gs->players[0].username);
        memcpy(gs->players[gs->nplayers].color, PALETTE[g->colors[i]].rgb, 3);
        gs->nplayers++;
    }
    gs->tick_rate = SIM_TICK_RATE;
    gs->duration = (int)(g->game->duration_ticks / SIM_TICK_RATE);
    gs->seed = g->seed;
}

/* Milliseconds from now to GO, rounded up; 0 once the round runs. */
static int game_countdown_ms(const group_t *g)
{
    int64_t until = g->game_started - loop_now();
    return until > 0 ? (int)((until + LOOP_NS_PER_MS - 1) / LOOP_NS_PER_MS) : 0;
}

int game_begin(group_t *g)
{
    server_t *s = g->srv;
    const world_t *w = &s->worlds[g->world];
    g->game = malloc(sizeof *g->game);
    g->inputs = calloc((size_t)g->nplayers, sizeof *g->inputs);
    if (!g->game || !g->inputs) {
        free(g->game);
        g->game = NULL;
        free(g->inputs);
        g->inputs = NULL;
        log_msg(&s->log, LOG_ERROR, STAGE, "group %u: out of memory for the round", g->id);
        group_close_all(g, "server out of memory");
        return -1;
    }
    g->seed = server_random(s) & ((1ull << 53) - 1);
    sim_init(g->game, w, g->nplayers, g->seed, s->cfg.round_seconds);
    /* Players who left during the vote are already gone from the game, and so are those whose
     * connection closed in this same loop iteration (their slot is released only when the close
     * is reaped, after the vote that started this round). */
    for (int i = 0; i < g->nplayers; i++)
        if (!game_playing(g, i))
            sim_remove_player(g->game, i);

    msg_t m;
    game_assign_colors(g, g->colors);
    game_fill_start(g, &m);
    msg_game_start_t *gs = &m.u.game_start;
    /* GO, the round's tick 0, is one instant for the whole group, decided here: the countdown
     * after the grid's slot. A client that can show it is told how far away it is. */
    g->game_started = game_tick_grid_start(s) + (int64_t)s->cfg.countdown * LOOP_NS_PER_SEC;
    int countdown_ms = game_countdown_ms(g);
    /* Each player's copy differs only by "you" (and the countdown, for who can use it). */
    for (int i = 0; i < g->nplayers; i++) {
        if (!game_playing(g, i))
            continue;
        memcpy(gs->you, g->usernames[i], sizeof gs->you);
        gs->countdown_ms = (g->players[i]->features & PROTO_FEATURE_COUNTDOWN) ? countdown_ms : 0;
        player_send(s, g->players[i], &m);
    }
    game_tell_clashes(g, g->colors);
    /* Those watching since the vote: the round as its players see it, with no "you". */
    for (player_t *p = g->watchers; p; p = p->watch_next)
        game_send_start(g, p, "", false);
    g->record = record_begin(g);
    log_msg(&s->log, LOG_INFO, STAGE, "group %u: round on \"%s\" starts in %d ms (%d s, seed %llu)",
            g->id, w->name, countdown_ms, gs->duration, (unsigned long long)g->seed);
    /* The round ends its duration after GO (the lobby's time_left counts the countdown too). */
    g->phase_ends = game_tick_due(g, g->game->duration_ticks);
    /* The spawns, shown during the countdown: the tick 0 every client can draw. */
    if (countdown_ms > 0)
        game_broadcast_state(g);
    group_set_timer(g, game_tick_due(g, 1), game_on_tick);
    return 0;
}

/* The snapshot is encoded once per group and the same bytes are queued to each player. */
static void game_broadcast_state(group_t *g)
{
    msg_t m;
    proto_init(&m, MSG_STATE);
    proto_state_from_sim(&m.u.state, g->game, (const char(*)[PROTO_USERNAME_SIZE])g->usernames);
    char line[SERVER_LINE_SIZE];
    int n = server_encode(g->srv, &m, line);
    if (n < 0)
        return;
    group_send_line_all(g, line, (size_t)n);
    group_send_line_watchers(g, line, (size_t)n);
}

static void game_pop_input(group_t *g, int slot)
{
    input_queue_t *q = &g->inputs[slot];
    const sim_input_t *in = &q->in[q->head];
    const sim_input_t *held = &g->game->players[slot].input;
    /* Seq 0 is no input yet (and an idle one is sent once, not every tick). */
    if (sim_input_held(in) && held->seq != 0 && in->seq == held->seq + 1 &&
        sim_input_same(in, held))
        q->every_tick = true;
    sim_set_input(g->game, slot, in);
    record_input(g->record, g->game, slot);
    q->head = (uint8_t)((q->head + 1) % SERVER_INPUT_QUEUE);
    q->len--;
}

/* Ahead of one step, the next queued input of every player (see input_queue_t): a player making
 * up steps it sat out takes an extra step of its own first (coins and steals are looked at
 * after the tick's step only); one whose input is late sits the step out (game_end_step lets it
 * back in). */
static void game_apply_queued_inputs(group_t *g)
{
    for (int i = 0; i < g->nplayers; i++) {
        input_queue_t *q = &g->inputs[i];
        sim_player_t *p = &g->game->players[i];
        if (q->len == 0) {
            if (q->every_tick && sim_input_held(&p->input) && p->active) {
                q->sits_out = true;
                p->active = false; /* the simulation steps only the active players */
                record_sit_out(g->record, i);
                if (q->behind < SERVER_INPUT_QUEUE)
                    q->behind++;
            }
            continue;
        }
        /* Only the steps it sat out are made up: sending faster than the clock gains nothing. */
        for (int extra = 1;
             extra < SERVER_INPUTS_PER_TICK && q->len > 1 && q->behind > 0 && p->active; extra++) {
            game_pop_input(g, i);
            sim_move_player(g->game->world, p);
            record_move(g->record, i);
            p->ack = p->input.seq;
            q->behind--;
        }
        game_pop_input(g, i);
    }
}

/* After the step: the players who sat it out are back, as they were. */
static void game_end_step(group_t *g)
{
    for (int i = 0; i < g->nplayers; i++) {
        if (g->inputs[i].sits_out) {
            g->inputs[i].sits_out = false;
            g->game->players[i].active = true;
        }
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
    group_t *g = ud;
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
        game_end_step(g);
        record_tick(g->record, g->game);
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
        record_finish(g);
        g->phase_done(g);
        return LOOP_NOMORE;
    }
    return game_tick_due(g, g->game->tick + 1);
}

int game_on_msg(group_t *g, int slot, const msg_t *m)
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

void game_player_left(group_t *g, int slot)
{
    sim_remove_player(g->game, slot);
    record_leave(g->record, slot);
    log_msg(&g->srv->log, LOG_INFO, STAGE, "group %u: %s left the round", g->id,
            g->usernames[slot]);
}

void game_player_away(group_t *g, int slot)
{
    /* It stands still while it is away: no queued input, none held. */
    memset(&g->inputs[slot], 0, sizeof g->inputs[slot]);
    sim_input_t still = {.seq = 0}; /* a resumed client counts its inputs from 1 again */
    sim_set_input(g->game, slot, &still);
    record_input(g->record, g->game, slot);
}

void game_send_start(group_t *g, player_t *p, const char *you, bool now)
{
    msg_t m;
    game_fill_start(g, &m);
    snprintf(m.u.game_start.you, sizeof m.u.game_start.you, "%s", you);
    /* Back during the countdown: the time left to GO, and the spawns, as at the start. */
    int countdown_ms = game_countdown_ms(g);
    if (p->features & PROTO_FEATURE_COUNTDOWN)
        m.u.game_start.countdown_ms = countdown_ms;
    player_send(g->srv, p, &m);
    if (countdown_ms > 0 || now) {
        proto_init(&m, MSG_STATE);
        proto_state_from_sim(&m.u.state, g->game, (const char(*)[PROTO_USERNAME_SIZE])g->usernames);
        player_send(g->srv, p, &m);
    }
}

void game_resume(group_t *g, int slot)
{
    game_send_start(g, g->players[slot], g->usernames[slot], false);
}
