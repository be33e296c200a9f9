/* sub.c -- stage 4: groups from the lobby, each through its phases, which sub.c alone changes
 * (vote, then the round, then the end screen, then back through the hooks); owns the list of
 * groups and describes them for the lobby; uses sub.h, group.h, the phases vote.h, game.h and
 * end.h, room.h for chat and kick, and record.h (a finished group frees its replay) */
#include "sub.h"

#include <stdlib.h>
#include <string.h>

#include "end.h"
#include "game.h"
#include "group.h"
#include "record.h"
#include "room.h"
#include "vote.h"

#define STAGE "sub"

struct subs {
    group_t *running;
    group_t *dead; /* finished, freed at the safe point */
    int count;     /* running */
    unsigned next_id;
    sub_hooks_t hooks;
};

static int sub_on_msg(server_t *s, player_t *p, const msg_t *m);
static int sub_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err);
static void sub_leave(server_t *s, player_t *p);
static bool sub_away(server_t *s, player_t *p);
static void sub_resume(server_t *s, player_t *p);
static void sub_phase_done(group_t *g);
static void sub_player_done(group_t *g, int slot);

static const stage_t sub_stage = {
    .where = "in a game",
    .logged_in = true,
    .leaves_at_shutdown = false,
    .on_msg = sub_on_msg,
    .on_invalid = sub_on_invalid,
    .leave = sub_leave,
    .away = sub_away,
    .resume = sub_resume,
};

int sub_create_all(server_t *s, const sub_hooks_t *hooks)
{
    s->subs = calloc(1, sizeof *s->subs);
    if (!s->subs)
        return -1;
    s->subs->hooks = *hooks;
    return 0;
}

int sub_count(const server_t *s)
{
    return s->subs->count;
}

static void sub_changed(group_t *g)
{
    g->srv->subs->hooks.changed(g->srv);
}

/* A group that could not be made: its players go, owned by no group (the quit path skips it). */
static void sub_refuse(server_t *s, player_t **players, int n)
{
    for (int i = 0; i < n; i++) {
        players[i]->stage = &sub_stage;
        players[i]->group = NULL;
        player_error(s, players[i], false, "server out of memory");
        player_close(s, players[i], true, "out of memory");
    }
}

static void sub_log_formed(const group_t *g)
{
    char names[PROTO_MAX_GROUP * (PROTO_USERNAME_SIZE + 2)] = "";
    for (int i = 0; i < g->nplayers; i++) {
        strcat(names, i ? ", " : "");
        strcat(names, g->usernames[i]);
    }
    log_msg(&g->srv->log, LOG_INFO, STAGE, "group %u formed: %s", g->id, names);
}

void sub_start(server_t *s, player_t **players, int n)
{
    group_t *g = calloc(1, sizeof *g);
    if (!g) {
        sub_refuse(s, players, n);
        return;
    }
    g->srv = s;
    g->id = ++s->subs->next_id;
    g->nplayers = n;
    g->npresent = n;
    g->phase_done = sub_phase_done;
    g->player_done = sub_player_done;
    g->watchers_changed = sub_changed;
    for (int i = 0; i < n; i++) {
        player_t *p = players[i];
        p->stage = &sub_stage;
        p->group = g;
        p->slot = i;
        g->players[i] = p;
        memcpy(g->usernames[i], p->username, sizeof g->usernames[i]);
    }
    g->next = s->subs->running;
    if (s->subs->running)
        s->subs->running->prev = g;
    s->subs->running = g;
    s->subs->count++;
    sub_log_formed(g);
    g->phase = GROUP_VOTE;
    vote_begin(g);
    sub_changed(g);
}

static void sub_describe_one(const group_t *g, proto_group_info_t *gi, int64_t now)
{
    server_t *s = g->srv;
    gi->nplayers = 0;
    for (int i = 0; i < g->nplayers; i++)
        if (g->players[i])
            memcpy(gi->players[gi->nplayers++], g->usernames[i], sizeof gi->players[0]);
    gi->phase = g->phase == GROUP_GAME  ? PROTO_PHASE_GAME
                : g->phase == GROUP_END ? PROTO_PHASE_END
                                        : PROTO_PHASE_VOTE;
    gi->world[0] = '\0';
    if (g->phase != GROUP_VOTE)
        memcpy(gi->world, s->worlds[g->world].name, sizeof gi->world);
    int64_t left = (g->phase_ends - now) / LOOP_NS_PER_MS;
    gi->time_left_ms = (int32_t)(left < 0 ? 0 : left);
    /* For watch logins only: the lobby leaves them out of the others' line. */
    gi->id = (int32_t)g->id; /* counted from 1: 2^31 groups are years of rounds away */
    gi->watching = g->nwatchers;
}

void sub_departed(server_t *s, const player_t *p)
{
    if (!s->subs || s->shutting_down)
        return; /* at shutdown every end screen closes anyway */
    for (group_t *g = s->subs->running; g; g = g->next) {
        if (g->phase != GROUP_END || g->npresent == 0)
            continue;
        for (int i = 0; i < g->nplayers; i++)
            if (strcmp(g->usernames[i], p->username) == 0) {
                end_player_gone(g, p);
                break;
            }
    }
}

group_t *sub_find(server_t *s, unsigned id)
{
    for (group_t *g = s->subs->running; g; g = g->next)
        if (g->id == id)
            return g;
    return NULL;
}

void sub_describe(server_t *s, msg_lobby_update_t *u)
{
    int64_t now = loop_now();
    u->games = s->subs->count;
    u->ngroups = 0;
    for (const group_t *g = s->subs->running; g && u->ngroups < PROTO_MAX_LOBBY_GROUPS; g = g->next)
        if (g->npresent > 0)
            sub_describe_one(g, &u->groups[u->ngroups++], now);
}

/* A group with nobody left ends quietly; it is freed at the loop's safe point. */
static void sub_finish(group_t *g)
{
    server_t *s = g->srv;
    if (g->phase == GROUP_DONE)
        return;
    log_msg(&s->log, LOG_INFO, STAGE, "group %u ends", g->id);
    g->phase = GROUP_DONE;
    group_watch_end_all(g, "the round ended: every player left");
    group_stop_timer(g);
    if (g->prev)
        g->prev->next = g->next;
    else
        s->subs->running = g->next;
    if (g->next)
        g->next->prev = g->prev;
    s->subs->count--;
    g->prev = NULL;
    g->next = s->subs->dead;
    s->subs->dead = g;
}

/* Takes the player in slot out of the group (it goes elsewhere, or is closing). The group
 * finishes when nobody is left. */
static void sub_release(group_t *g, int slot)
{
    player_t *p = g->players[slot];
    if (!p)
        return;
    g->players[slot] = NULL;
    g->npresent--;
    p->group = NULL;
    p->slot = -1;
    if (g->npresent == 0)
        sub_finish(g);
    sub_changed(g);
}

/* ---- the phase changes, all of them ---- */

/* The end screen is over for the player in slot: the group gives it up first, then it goes
 * back (to the lobby). */
static void sub_player_done(group_t *g, int slot)
{
    server_t *s = g->srv;
    player_t *p = g->players[slot];
    if (!p || player_closing(p))
        return;
    if (player_away(p)) {
        /* Not back in time for the lobby: the lobby keeps no place for the absent. */
        player_close(s, p, false, "away when the end screen closed");
        return;
    }
    sub_release(g, slot); /* may finish g: do not touch it after the last player */
    s->subs->hooks.back(s, p);
}

/* The phase reports it is done; what comes next is decided here alone. */
static void sub_phase_done(group_t *g)
{
    switch (g->phase) {
    case GROUP_VOTE:
        g->phase = GROUP_GAME;
        if (game_begin(g) == 0)
            sub_changed(g);
        break;
    case GROUP_GAME:
        g->phase = GROUP_END;
        end_begin(g);
        if (g->srv->shutting_down) {
            /* The round was allowed to finish; now its players go too. */
            group_close_all(g, "server shutting down");
            break;
        }
        sub_changed(g);
        break;
    case GROUP_END: {
        /* Slot by slot; the last release finishes g, which stays allocated until the safe
         * point. */
        int n = g->nplayers;
        for (int i = 0; i < n; i++)
            sub_player_done(g, i);
        break;
    }
    case GROUP_DONE:
        break;
    }
}

/* ---- the stage table ---- */

static void sub_leave(server_t *s, player_t *p)
{
    (void)s;
    group_t *g = p->group;
    if (!g)
        return;
    int slot = p->slot;
    sub_release(g, slot);
    if (g->phase == GROUP_DONE)
        return;
    if (g->phase == GROUP_VOTE)
        vote_player_left(g, slot);
    else if (g->phase == GROUP_GAME && g->game)
        game_player_left(g, slot);
}

/* A dropped player keeps its slot in every phase; in a round its player stands still. */
static bool sub_away(server_t *s, player_t *p)
{
    (void)s;
    group_t *g = p->group;
    if (!g || g->phase == GROUP_DONE)
        return false;
    if (g->phase == GROUP_GAME && g->game)
        game_player_away(g, p->slot);
    return true;
}

static void sub_resume(server_t *s, player_t *p)
{
    (void)s;
    group_t *g = p->group;
    if (!g)
        return;
    if (g->phase == GROUP_VOTE)
        vote_resume(g, p->slot);
    else if (g->phase == GROUP_GAME && g->game)
        game_resume(g, p->slot);
    else if (g->phase == GROUP_END && g->game)
        end_resume(g, p->slot);
}

static int sub_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    group_t *g = p->group;
    if (!g)
        return 0;
    if (room_on_msg(s, p, m))
        return 0;
    switch (g->phase) {
    case GROUP_VOTE:
        return vote_on_msg(g, p->slot, m);
    case GROUP_GAME:
        return game_on_msg(g, p->slot, m);
    case GROUP_END:
        return end_on_msg(g, p->slot, m);
    case GROUP_DONE:
        break;
    }
    return 0;
}

static int sub_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err)
{
    (void)s;
    (void)err;
    group_t *g = p->group;
    if (!g || g->phase != GROUP_VOTE || type != MSG_VOTE)
        return -1;
    vote_on_bad(g, p->slot);
    return 0;
}

/* ---- shutdown and the safe point ---- */

/* Party clients in a round that plays on see a banner until their "fin". */
static void sub_announce_closing(group_t *g)
{
    msg_t m;
    proto_init(&m, MSG_CLOSING);
    snprintf(m.u.closing.message, sizeof m.u.closing.message, "%s", SERVER_CLOSING_TEXT);
    group_send_with(g, PROTO_FEATURE_PARTY, &m);
}

void sub_shutdown(server_t *s)
{
    /* A running game finishes its round (then its players are closed too); a group still
     * voting or on its end screen has no round to finish. */
    for (group_t *g = s->subs->running; g; g = g->next) {
        if (g->phase == GROUP_VOTE || g->phase == GROUP_END)
            group_close_all(g, "server shutting down");
        else if (g->phase == GROUP_GAME)
            sub_announce_closing(g);
    }
}

void sub_reap(server_t *s)
{
    while (s->subs->dead) {
        group_t *g = s->subs->dead;
        s->subs->dead = g->next;
        free(g->game);
        free(g->inputs);
        record_free(g->record);
        free(g);
    }
}

void sub_free_all(server_t *s)
{
    if (!s->subs)
        return;
    while (s->subs->running) {
        group_t *g = s->subs->running;
        for (int i = 0; i < g->nplayers; i++)
            if (g->players[i])
                g->players[i]->group = NULL;
        for (player_t *p = g->watchers; p; p = p->watch_next)
            p->watching = NULL; /* everyone goes: nobody is told */
        g->watchers = NULL;
        sub_finish(g);
    }
    sub_reap(s);
    free(s->subs);
    s->subs = NULL;
}
