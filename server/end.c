/* end.c -- the sub's last phase: "fin" with ranked results, then back to the lobby; uses sub.h
 * (player.h, server.h), lobby.h for the hand-off, evening.h for the evening's board, watch.h
 * (the watchers see "fin" too) */
#include <string.h>

#include "evening.h"
#include "lobby.h"
#include "sub.h"
#include "watch.h"

#define STAGE "end"

static int64_t end_on_timeout(loop_t *l, long long id, void *ud);

/* The group's social players see the evening's board, this round counted, beside "fin". */
static void end_send_evening(sub_t *g)
{
    server_t *s = g->srv;
    if (!sub_any_with(g, PROTO_FEATURE_SOCIAL))
        return;
    proto_init(s->out, MSG_EVENING);
    evening_board(s, &s->out->u.evening);
    sub_send_with(g, PROTO_FEATURE_SOCIAL, s->out);
}

/* "fin" with the ranked results into m (also for a player who resumes on the end screen);
 * summary gets them as one log line. */
static void end_fill_fin(sub_t *g, msg_t *m, char *summary, size_t cap)
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

void end_begin(sub_t *g)
{
    server_t *s = g->srv;
    g->phase = SUB_END;
    msg_t *m = s->out;
    char summary[256];
    g->phase_ends = loop_now() + (int64_t)s->cfg.end_timeout * LOOP_NS_PER_SEC;
    end_fill_fin(g, m, summary, sizeof summary);
    /* Counted once, here: a player resuming on the end screen is sent "fin" again. */
    const msg_fin_t *fin = &m->u.fin;
    for (int i = 0; i < fin->nresults; i++)
        evening_record(s, fin->results[i].username, fin->results[i].score,
                       fin->results[i].rank == 1);
    int nresults = fin->nresults;
    int n = server_encode(s, m);
    if (n >= 0) {
        sub_send_line_all(g, s->line, (size_t)n);
        watch_send_line(g, s->line, (size_t)n);
    }
    watch_end_all(g, NULL); /* "fin" ends their watching: they stay in the lobby */
    end_send_evening(g);
    log_msg(&s->log, LOG_INFO, STAGE, "group %u: results: %s", g->id, summary);
    /* The whole party hears how the round went (the group itself sees "fin" too). */
    if (nresults > 0)
        player_notice_all(s, PROTO_FEATURE_SOCIAL, "%s results: %s", s->worlds[g->world].name,
                          summary);
    if (s->shutting_down) {
        /* The round was allowed to finish; now its players go too. */
        sub_close_all(g, "server shutting down");
        return;
    }
    g->timer = loop_add_timer(s->loop, g->phase_ends, end_on_timeout, g);
    sub_changed(g);
}

/* The hand-off back to the lobby: the group gives the player up first. */
static void end_back_to_lobby(sub_t *g, int slot)
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
    lobby_enter(s, p);
}

static int64_t end_on_timeout(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    sub_t *g = ud;
    g->timer = 0; /* this timer ends here */
    int n = g->nplayers;
    /* Slot by slot; the last release finishes g, which stays allocated until the safe point. */
    for (int i = 0; i < n; i++)
        end_back_to_lobby(g, i);
    return LOOP_NOMORE;
}

int end_on_msg(sub_t *g, int slot, const msg_t *m)
{
    switch (m->type) {
    case MSG_CONTINUE:
        end_back_to_lobby(g, slot);
        return 0;
    case MSG_INPUT:
        return 0; /* sent before the client saw "fin": stale, harmless */
    default:
        return -1;
    }
}

void end_resume(sub_t *g, int slot)
{
    char summary[256];
    end_fill_fin(g, g->srv->out, summary, sizeof summary);
    player_send(g->srv, g->players[slot], g->srv->out);
}
