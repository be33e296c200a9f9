/* group.c -- what a group's phases do with the group: send to its players (each message encoded
 * once), shut them out, set and stop the phase's timer, keep its watchers and send them the same
 * lines; uses group.h, player.h */
#include "group.h"

#include <stdio.h>

void group_send_line_all(group_t *g, const char *line, size_t len)
{
    for (int i = 0; i < g->nplayers; i++)
        if (g->players[i])
            player_send_line(g->srv, g->players[i], line, len);
}

void group_send_all(group_t *g, const msg_t *m)
{
    char line[SERVER_LINE_SIZE];
    int n = server_encode(g->srv, m, line);
    if (n >= 0)
        group_send_line_all(g, line, (size_t)n);
}

bool group_any_with(const group_t *g, unsigned features)
{
    for (int i = 0; i < g->nplayers; i++)
        if (g->players[i] && (g->players[i]->features & features))
            return true;
    return false;
}

void group_send_with(group_t *g, unsigned features, const msg_t *m)
{
    char line[SERVER_LINE_SIZE];
    int n = server_encode(g->srv, m, line);
    for (int i = 0; n >= 0 && i < g->nplayers; i++)
        if (g->players[i] && (g->players[i]->features & features))
            player_send_line(g->srv, g->players[i], line, (size_t)n);
}

void group_close_all(group_t *g, const char *why)
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

void group_stop_timer(group_t *g)
{
    if (g->timer > 0)
        loop_del_timer(g->srv->loop, g->timer);
    g->timer = 0;
}

void group_set_timer(group_t *g, int64_t when, loop_timer_fn fn)
{
    g->timer = loop_add_timer(g->srv->loop, when, fn, g);
    if (g->timer > 0)
        return;
    /* A group without its timer would never tick nor end: stop it loudly instead. */
    g->timer = 0;
    log_msg(&g->srv->log, LOG_ERROR, "sub", "group %u: out of memory for its timer: stopped",
            g->id);
    group_close_all(g, "server out of memory: this round cannot go on");
}

/* ---- watchers ---- */

/* The count changed: the group's players that know "watchers" hear it, the owner shows it. */
static void group_watchers_changed(group_t *g)
{
    if (group_any_with(g, PROTO_FEATURE_WATCH)) {
        msg_t m;
        proto_init(&m, MSG_WATCHERS);
        m.u.watchers.count = g->nwatchers;
        group_send_with(g, PROTO_FEATURE_WATCH, &m);
    }
    if (g->watchers_changed)
        g->watchers_changed(g);
}

void group_watch_add(group_t *g, player_t *p)
{
    p->watching = g;
    p->watch_prev = NULL;
    p->watch_next = g->watchers;
    if (g->watchers)
        g->watchers->watch_prev = p;
    g->watchers = p;
    g->nwatchers++;
    group_watchers_changed(g);
}

static void group_watch_unlink(group_t *g, player_t *p, const char *why)
{
    if (p->watch_prev)
        p->watch_prev->watch_next = p->watch_next;
    else
        g->watchers = p->watch_next;
    if (p->watch_next)
        p->watch_next->watch_prev = p->watch_prev;
    p->watch_prev = p->watch_next = NULL;
    p->watching = NULL;
    g->nwatchers--;
    if (!why)
        return;
    msg_t m;
    proto_init(&m, MSG_WATCH_END);
    snprintf(m.u.watch_end.message, sizeof m.u.watch_end.message, "%s", why);
    player_send(g->srv, p, &m);
}

void group_watch_remove(group_t *g, player_t *p, const char *why)
{
    group_watch_unlink(g, p, why);
    group_watchers_changed(g);
}

void group_send_line_watchers(group_t *g, const char *line, size_t len)
{
    server_t *s = g->srv;
    player_t *slow[SERVER_MAX_WATCHERS];
    int nslow = 0;
    for (player_t *p = g->watchers; p; p = p->watch_next) {
        size_t unread = p->conn.out ? p->conn.out_len - p->conn.out_off : 0;
        if (unread > SERVER_WATCH_BACKLOG && nslow < SERVER_MAX_WATCHERS)
            slow[nslow++] = p;
        else
            player_send_line(s, p, line, len);
    }
    /* After the walk: the list changes. */
    for (int i = 0; i < nslow; i++) {
        log_msg(&s->log, LOG_INFO, "group",
                "%s dropped from watching group %u: over %d bytes unread", slow[i]->username, g->id,
                SERVER_WATCH_BACKLOG);
        group_watch_remove(g, slow[i],
                           "you were dropped from watching: your connection is too slow");
    }
}

void group_watch_end_all(group_t *g, const char *why)
{
    if (!g->watchers)
        return;
    while (g->watchers)
        group_watch_unlink(g, g->watchers, why);
    if (g->watchers_changed)
        g->watchers_changed(g);
}
