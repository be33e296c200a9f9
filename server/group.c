/* group.c -- what a group's phases do with the group: send to its players (each message encoded
 * once), shut them out, set and stop the phase's timer; uses group.h, player.h */
#include "group.h"

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
