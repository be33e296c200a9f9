/* end.c -- a group's last phase: "fin" with ranked results and the evening's board, then "group"
 * as the round's players leave the server; a player is done when it continues, the phase when
 * the end screen times out (the group's owner takes them back); uses end.h and group.h
 * (player.h, server.h), evening.h for the evening's board */
#include "end.h"

#include <string.h>

#include "evening.h"

#define STAGE "end"

static int64_t end_on_timeout(loop_t *l, long long id, void *ud);

/* The group's social players see the evening's board, this round counted, beside "fin". */
static void end_send_evening(group_t *g)
{
    if (!group_any_with(g, PROTO_FEATURE_SOCIAL))
        return;
    msg_t m;
    proto_init(&m, MSG_EVENING);
    evening_board(g->srv, &m.u.evening);
    group_send_with(g, PROTO_FEATURE_SOCIAL, &m);
}

/* "group" into m: the round's players, "left" for those no longer on the server. One who went
 * back to the lobby is still here: a host asked whether to keep its server for the others counts
 * it (docs/PROTOCOL.md). gone is leaving now and may still hold its name; NULL for none. */
static void end_fill_group(group_t *g, msg_t *m, const player_t *gone)
{
    proto_init(m, MSG_GROUP);
    msg_group_t *gr = &m->u.group;
    gr->nplayers = g->nplayers;
    for (int i = 0; i < g->nplayers; i++) {
        memcpy(gr->players[i].username, g->usernames[i], sizeof gr->players[i].username);
        player_t *p = g->players[i] ? g->players[i] : player_find(g->srv, g->usernames[i]);
        gr->players[i].left = !p || p == gone;
    }
}

/* The group's social players on the end screen learn who is still on the server. */
static void end_send_group(group_t *g, const player_t *gone)
{
    if (!group_any_with(g, PROTO_FEATURE_SOCIAL))
        return;
    msg_t m;
    end_fill_group(g, &m, gone);
    group_send_with(g, PROTO_FEATURE_SOCIAL, &m);
}

/* "fin" with the ranked results into m (also for a player who resumes on the end screen);
 * summary gets them as one log line. */
static void end_fill_fin(group_t *g, msg_t *m, char *summary, size_t cap)
{
    server_t *s = g->srv;
    proto_init(m, MSG_FINISH);
    msg_fin_t *fin = &m->u.fin;
    memcpy(fin->world, s->worlds[g->world].name, sizeof fin->world);
    /* The time left, not the whole --end-timeout: a player who resumes sees the same clock. */
    int64_t left = g->phase_ends - loop_now();
    if (!s->shutting_down && left > 0)
        fin->continue_ms = (int)((left + LOOP_NS_PER_MS - 1) / LOOP_NS_PER_MS);
    sim_result_t results[SIM_MAX_PLAYERS];
    int n = sim_results(g->game, results);
    summary[0] = '\0';
    for (int i = 0; i < n && i < PROTO_MAX_PLAYERS; i++) {
        proto_result_t *r = &fin->results[fin->nresults++];
        memcpy(r->username, g->usernames[results[i].player], sizeof r->username);
        r->score = results[i].score;
        r->rank = results[i].rank;
        size_t len = strlen(summary);
        snprintf(summary + len, cap - len, "%s%d. %s %d", i ? ", " : "", r->rank, r->username,
                 r->score);
    }
}

void end_begin(group_t *g)
{
    server_t *s = g->srv;
    msg_t m;
    char summary[256];
    g->phase_ends = loop_now() + (int64_t)s->cfg.end_timeout * LOOP_NS_PER_SEC;
    end_fill_fin(g, &m, summary, sizeof summary);
    /* Counted once, here: a player resuming on the end screen is sent "fin" again. */
    const msg_fin_t *fin = &m.u.fin;
    for (int i = 0; i < fin->nresults; i++)
        evening_record(s, fin->results[i].username, fin->results[i].score,
                       fin->results[i].rank == 1);
    char line[SERVER_LINE_SIZE];
    int n = server_encode(s, &m, line);
    if (n >= 0) {
        group_send_line_all(g, line, (size_t)n);
        group_send_line_watchers(g, line, (size_t)n);
    }
    group_watch_end_all(g, NULL); /* "fin" ends their watching: they stay in the lobby */
    end_send_evening(g);
    end_send_group(g, NULL); /* who left during the round */
    log_msg(&s->log, LOG_INFO, STAGE, "group %u: results: %s", g->id, summary);
    /* The whole party hears how the round went (the group itself sees "fin" too). */
    if (fin->nresults > 0)
        player_notice_all(s, PROTO_FEATURE_SOCIAL, "%s results: %s", s->worlds[g->world].name,
                          summary);
    /* At shutdown nobody stays to look at the results: no time-out. */
    if (!s->shutting_down)
        group_set_timer(g, g->phase_ends, end_on_timeout);
}

static int64_t end_on_timeout(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    group_t *g = ud;
    g->timer = 0; /* this timer ends here */
    g->phase_done(g);
    return LOOP_NOMORE;
}

int end_on_msg(group_t *g, int slot, const msg_t *m)
{
    switch (m->type) {
    case MSG_CONTINUE:
        g->player_done(g, slot);
        return 0;
    case MSG_INPUT:
        return 0; /* sent before the client saw "fin": stale, harmless */
    default:
        return -1;
    }
}

void end_resume(group_t *g, int slot)
{
    msg_t m;
    char summary[256];
    end_fill_fin(g, &m, summary, sizeof summary);
    player_t *p = g->players[slot];
    player_send(g->srv, p, &m);
    if (!(p->features & PROTO_FEATURE_SOCIAL))
        return;
    end_fill_group(g, &m, NULL);
    player_send(g->srv, p, &m);
}

void end_player_gone(group_t *g, const player_t *gone)
{
    end_send_group(g, gone);
}
