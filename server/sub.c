/* sub.c -- stage 4: groups from the lobby, each through vote, game and end screen; owns the list
 * of groups and describes them for the lobby; uses sub.h, player.h, lobby.h (the view changed,
 * chat), vote, game and end for the phases, record.h (a finished group frees its replay) and
 * watch.h (a group that ends early lets its watchers go) */
#include <stdlib.h>
#include <string.h>

#include "kick.h"
#include "lobby.h"
#include "record.h"
#include "sub.h"
#include "watch.h"

#define STAGE "sub"

struct subs {
    sub_t *running;
    sub_t *dead; /* finished, freed at the safe point */
    int count;   /* running */
    unsigned next_id;
};

static int sub_on_msg(server_t *s, player_t *p, const msg_t *m);
static int sub_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err);
static void sub_leave(server_t *s, player_t *p);
static bool sub_away(server_t *s, player_t *p);
static void sub_resume(server_t *s, player_t *p);

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

int sub_create_all(server_t *s)
{
    s->subs = calloc(1, sizeof *s->subs);
    return s->subs ? 0 : -1;
}

int sub_count(const server_t *s)
{
    return s->subs->count;
}

void sub_start(server_t *s, player_t **players, int n)
{
    sub_t *g = calloc(1, sizeof *g);
    if (!g) {
        for (int i = 0; i < n; i++) {
            players[i]->stage = &sub_stage; /* owned by no group: the quit path skips it */
            players[i]->sub = NULL;
            player_error(s, players[i], false, "server out of memory");
            player_close(s, players[i], true, "out of memory");
        }
        return;
    }
    g->srv = s;
    g->id = ++s->subs->next_id;
    g->nplayers = n;
    g->npresent = n;
    for (int i = 0; i < n; i++) {
        player_t *p = players[i];
        p->stage = &sub_stage;
        p->sub = g;
        p->slot = i;
        g->players[i] = p;
        memcpy(g->usernames[i], p->username, sizeof g->usernames[i]);
    }
    g->next = s->subs->running;
    if (s->subs->running)
        s->subs->running->prev = g;
    s->subs->running = g;
    s->subs->count++;
    char names[PROTO_MAX_GROUP * (PROTO_USERNAME_SIZE + 2)] = "";
    for (int i = 0; i < n; i++) {
        strcat(names, i ? ", " : "");
        strcat(names, g->usernames[i]);
    }
    log_msg(&s->log, LOG_INFO, STAGE, "group %u formed: %s", g->id, names);
    vote_begin(g);
    sub_changed(g);
}

sub_t *sub_find(server_t *s, unsigned id)
{
    for (sub_t *g = s->subs->running; g; g = g->next)
        if (g->id == id)
            return g;
    return NULL;
}

void sub_changed(sub_t *g)
{
    lobby_view_changed(g->srv);
}

static void sub_describe_one(const sub_t *g, proto_group_info_t *gi, int64_t now)
{
    server_t *s = g->srv;
    gi->nplayers = 0;
    for (int i = 0; i < g->nplayers; i++)
        if (g->players[i])
            memcpy(gi->players[gi->nplayers++], g->usernames[i], sizeof gi->players[0]);
    gi->phase = g->phase == SUB_GAME  ? PROTO_PHASE_GAME
                : g->phase == SUB_END ? PROTO_PHASE_END
                                      : PROTO_PHASE_VOTE;
    gi->world[0] = '\0';
    if (g->phase != SUB_VOTE)
        memcpy(gi->world, s->worlds[g->world].name, sizeof gi->world);
    int64_t left = (g->phase_ends - now) / LOOP_NS_PER_MS;
    gi->time_left_ms = (int32_t)(left < 0 ? 0 : left);
    /* For watch logins only: the lobby leaves them out of the others' line. */
    gi->id = (int32_t)g->id; /* counted from 1: 2^31 groups are years of rounds away */
    gi->watching = g->nwatchers;
}

void sub_describe(server_t *s, msg_lobby_update_t *u)
{
    int64_t now = loop_now();
    u->games = s->subs->count;
    u->ngroups = 0;
    for (const sub_t *g = s->subs->running; g && u->ngroups < PROTO_MAX_LOBBY_GROUPS; g = g->next)
        if (g->npresent > 0)
            sub_describe_one(g, &u->groups[u->ngroups++], now);
}

/* A group with nobody left ends quietly; it is freed at the loop's safe point. */
static void sub_finish(sub_t *g)
{
    server_t *s = g->srv;
    if (g->phase == SUB_DONE)
        return;
    log_msg(&s->log, LOG_INFO, STAGE, "group %u ends", g->id);
    g->phase = SUB_DONE;
    watch_end_all(g, "the round ended: every player left");
    if (g->timer > 0)
        loop_del_timer(s->loop, g->timer);
    g->timer = 0;
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

void sub_release(sub_t *g, int slot)
{
    player_t *p = g->players[slot];
    if (!p)
        return;
    g->players[slot] = NULL;
    g->npresent--;
    p->sub = NULL;
    p->slot = -1;
    if (g->npresent == 0)
        sub_finish(g);
    sub_changed(g);
}

static void sub_leave(server_t *s, player_t *p)
{
    (void)s;
    sub_t *g = p->sub;
    if (!g)
        return;
    int slot = p->slot;
    sub_release(g, slot);
    if (g->phase == SUB_DONE)
        return;
    if (g->phase == SUB_VOTE)
        vote_player_left(g, slot);
    else if (g->phase == SUB_GAME && g->game)
        game_player_left(g, slot);
}

/* A dropped player keeps its slot in every phase; in a round its player stands still. */
static bool sub_away(server_t *s, player_t *p)
{
    (void)s;
    sub_t *g = p->sub;
    if (!g || g->phase == SUB_DONE)
        return false;
    if (g->phase == SUB_GAME && g->game)
        game_player_away(g, p->slot);
    return true;
}

static void sub_resume(server_t *s, player_t *p)
{
    (void)s;
    sub_t *g = p->sub;
    if (!g)
        return;
    if (g->phase == SUB_VOTE)
        vote_resume(g, p->slot);
    else if (g->phase == SUB_GAME && g->game)
        game_resume(g, p->slot);
    else if (g->phase == SUB_END && g->game)
        end_resume(g, p->slot);
}

void sub_send_line_all(sub_t *g, const char *line, size_t len)
{
    for (int i = 0; i < g->nplayers; i++)
        if (g->players[i])
            player_send_line(g->srv, g->players[i], line, len);
}

void sub_send_all(sub_t *g, const msg_t *m)
{
    int n = server_encode(g->srv, m);
    if (n >= 0)
        sub_send_line_all(g, g->srv->line, (size_t)n);
}

bool sub_any_with(const sub_t *g, unsigned features)
{
    for (int i = 0; i < g->nplayers; i++)
        if (g->players[i] && (g->players[i]->features & features))
            return true;
    return false;
}

void sub_send_with(sub_t *g, unsigned features, const msg_t *m)
{
    int n = server_encode(g->srv, m);
    for (int i = 0; n >= 0 && i < g->nplayers; i++)
        if (g->players[i] && (g->players[i]->features & features))
            player_send_line(g->srv, g->players[i], g->srv->line, (size_t)n);
}

static int sub_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    sub_t *g = p->sub;
    if (!g)
        return 0;
    if (m->type == MSG_KICK) {
        kick_on_msg(s, p, m);
        return 0;
    }
    if (m->type == MSG_CHAT_SEND) {
        /* The group's own room, and the lobby, which hears every room (lobby.c). */
        int n = player_encode_chat(s, p, m->u.chat_send.text);
        if (n >= 0) {
            sub_send_line_all(g, s->line, (size_t)n);
            lobby_send_line_social(s, s->line, (size_t)n);
        }
        return 0;
    }
    switch (g->phase) {
    case SUB_VOTE:
        return vote_on_msg(g, p->slot, m);
    case SUB_GAME:
        return game_on_msg(g, p->slot, m);
    case SUB_END:
        return end_on_msg(g, p->slot, m);
    case SUB_DONE:
        break;
    }
    return 0;
}

void sub_send_line_social_all(server_t *s, const char *line, size_t len)
{
    for (sub_t *g = s->subs->running; g; g = g->next)
        for (int i = 0; i < g->nplayers; i++)
            if (g->players[i] && (g->players[i]->features & PROTO_FEATURE_SOCIAL))
                player_send_line(s, g->players[i], line, len);
}

static int sub_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err)
{
    (void)s;
    (void)err;
    sub_t *g = p->sub;
    if (!g || g->phase != SUB_VOTE || type != MSG_VOTE)
        return -1;
    vote_on_bad(g, p->slot);
    return 0;
}

void sub_close_all(sub_t *g, const char *why)
{
    for (int i = 0; i < g->nplayers; i++) {
        player_t *p = g->players[i];
        if (!p)
            continue;
        if (g->srv->shutting_down) {
            player_shutdown_one(g->srv, p, why);
            continue;
        }
        player_error(g->srv, p, false, "%s", why);
        player_close(g->srv, p, true, why);
    }
}

/* Party clients in a round that plays on see a banner until their "fin". */
static void sub_announce_closing(sub_t *g)
{
    server_t *s = g->srv;
    proto_init(s->out, MSG_CLOSING);
    snprintf(s->out->u.closing.message, sizeof s->out->u.closing.message, "%s",
             SERVER_CLOSING_TEXT);
    int n = server_encode(s, s->out);
    for (int i = 0; n >= 0 && i < g->nplayers; i++)
        if (g->players[i] && (g->players[i]->features & PROTO_FEATURE_PARTY))
            player_send_line(s, g->players[i], s->line, (size_t)n);
}

void sub_shutdown(server_t *s)
{
    /* A running game finishes its round (end.c then closes its players); a group still
     * voting or on its end screen has no round to finish. */
    for (sub_t *g = s->subs->running; g; g = g->next) {
        if (g->phase == SUB_VOTE || g->phase == SUB_END)
            sub_close_all(g, "server shutting down");
        else if (g->phase == SUB_GAME)
            sub_announce_closing(g);
    }
}

void sub_reap(server_t *s)
{
    while (s->subs->dead) {
        sub_t *g = s->subs->dead;
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
        sub_t *g = s->subs->running;
        for (int i = 0; i < g->nplayers; i++)
            if (g->players[i])
                g->players[i]->sub = NULL;
        for (player_t *p = g->watchers; p; p = p->watch_next)
            p->watching = NULL; /* everyone goes: nobody is told */
        g->watchers = NULL;
        sub_finish(g);
    }
    sub_reap(s);
    free(s->subs);
    s->subs = NULL;
}
