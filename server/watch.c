/* watch.c -- watching a running group from the lobby (the "watch" feature): each group's list of
 * watchers, the "watch" and "unwatch" requests, the lines a watcher gets (the players' own: "game
 * start" with no "you", states, "fin"; nothing private), the cap per group, the drop of a slow
 * watcher, and "watchers" to the players; uses watch.h (sub.h, player.h) and lobby.h (the view) */
#include "watch.h"

#include <string.h>

#include "lobby.h"

#define STAGE "watch"

/* The count changed: the group's players that know "watchers" hear it, the lobby's view shows it.
 */
static void watch_count_changed(sub_t *g)
{
    server_t *s = g->srv;
    if (sub_any_with(g, PROTO_FEATURE_WATCH)) {
        proto_init(s->out, MSG_WATCHERS);
        s->out->u.watchers.count = g->nwatchers;
        sub_send_with(g, PROTO_FEATURE_WATCH, s->out);
    }
    sub_changed(g);
}

static void watch_unlink(player_t *p)
{
    sub_t *g = p->watching;
    if (p->watch_prev)
        p->watch_prev->watch_next = p->watch_next;
    else
        g->watchers = p->watch_next;
    if (p->watch_next)
        p->watch_next->watch_prev = p->watch_prev;
    p->watch_prev = p->watch_next = NULL;
    p->watching = NULL;
    g->nwatchers--;
}

static void watch_link(sub_t *g, player_t *p)
{
    p->watching = g;
    p->watch_prev = NULL;
    p->watch_next = g->watchers;
    if (g->watchers)
        g->watchers->watch_prev = p;
    g->watchers = p;
    g->nwatchers++;
}

static void watch_send_end(server_t *s, player_t *p, const char *why)
{
    proto_init(s->out, MSG_WATCH_END);
    snprintf(s->out->u.watch_end.message, sizeof s->out->u.watch_end.message, "%s", why);
    player_send(s, p, s->out);
}

void watch_stop(server_t *s, player_t *p, const char *why)
{
    sub_t *g = p->watching;
    if (!g)
        return;
    watch_unlink(p);
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s stops watching group %u (%s)", p->username, g->id,
            why ? why : "left");
    if (why)
        watch_send_end(s, p, why);
    watch_count_changed(g);
}

static void watch_reply(server_t *s, player_t *p, int32_t group, const char *refusal)
{
    proto_init(s->out, MSG_WATCH_REPLY);
    s->out->u.watch_reply.group = group;
    s->out->u.watch_reply.accepted = refusal == NULL;
    if (refusal)
        snprintf(s->out->u.watch_reply.message, sizeof s->out->u.watch_reply.message, "%s",
                 refusal);
    player_send(s, p, s->out);
}

static void watch_start(server_t *s, player_t *p, int32_t id)
{
    sub_t *g = sub_find(s, (unsigned)id);
    char why[PROTO_TEXT_SIZE];
    if (!g || g->phase == SUB_DONE || g->npresent == 0) {
        watch_reply(s, p, id, "no such round is running");
        return;
    }
    if (g->phase == SUB_END) {
        watch_reply(s, p, id, "that round is over");
        return;
    }
    if (p->watching == g) {
        watch_reply(s, p, id, "you already watch that round");
        return;
    }
    if (g->nwatchers >= s->cfg.max_watchers) {
        snprintf(why, sizeof why, "%d people watch that round already, the most it takes",
                 s->cfg.max_watchers);
        watch_reply(s, p, id, why);
        return;
    }
    watch_stop(s, p, NULL); /* from another round to this one */
    watch_link(g, p);
    log_msg(&s->log, LOG_INFO, STAGE, "%s watches group %u (%d watching)", p->username, g->id,
            g->nwatchers);
    watch_reply(s, p, id, NULL);
    /* In a round already: where it stands now; still voting: "game start" comes with GO. */
    if (g->phase == SUB_GAME && g->game)
        game_send_start(g, p, "", true);
    watch_count_changed(g);
}

int watch_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    if (!(p->features & PROTO_FEATURE_WATCH))
        return -1;
    if (m->type == MSG_WATCH)
        watch_start(s, p, m->u.watch.group);
    else if (p->watching)
        watch_stop(s, p, "you left");
    return 0;
}

void watch_round_starts(sub_t *g)
{
    for (player_t *p = g->watchers; p; p = p->watch_next)
        game_send_start(g, p, "", false);
}

void watch_send_line(sub_t *g, const char *line, size_t len)
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
    /* After the loop: "watch end" is encoded over the line being sent. */
    for (int i = 0; i < nslow; i++) {
        log_msg(&s->log, LOG_INFO, STAGE, "%s dropped from watching group %u: over %d bytes unread",
                slow[i]->username, g->id, SERVER_WATCH_BACKLOG);
        watch_stop(s, slow[i], "you were dropped from watching: your connection is too slow");
    }
}

void watch_end_all(sub_t *g, const char *why)
{
    if (!g->watchers)
        return;
    while (g->watchers) {
        player_t *p = g->watchers;
        watch_unlink(p);
        if (why)
            watch_send_end(g->srv, p, why);
    }
    sub_changed(g);
}
