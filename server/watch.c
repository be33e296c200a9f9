/* watch.c -- the "watch" feature's requests from the lobby: "watch" (which group, refused when it
 * is over, unknown or at --max-watchers) and "unwatch"; the group keeps its watchers and sends
 * them its lines (group.c), the round's "game start" comes from game.c; uses watch.h, sub.h (the
 * group of an id), group.h and game.h */
#include "watch.h"

#include <stdio.h>

#include "game.h"
#include "group.h"
#include "sub.h"

#define STAGE "watch"

void watch_stop(server_t *s, player_t *p, const char *why)
{
    group_t *g = p->watching;
    if (!g)
        return;
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s stops watching group %u (%s)", p->username, g->id,
            why ? why : "left");
    group_watch_remove(g, p, why);
}

static void watch_reply(server_t *s, player_t *p, int32_t group, const char *refusal)
{
    msg_t m;
    proto_init(&m, MSG_WATCH_REPLY);
    m.u.watch_reply.group = group;
    m.u.watch_reply.accepted = refusal == NULL;
    if (refusal)
        snprintf(m.u.watch_reply.message, sizeof m.u.watch_reply.message, "%s", refusal);
    player_send(s, p, &m);
}

/* Why p may not watch g, or NULL. */
static const char *watch_refusal(server_t *s, const player_t *p, const group_t *g, char *why,
                                 size_t cap)
{
    if (!g || g->phase == GROUP_DONE || g->npresent == 0)
        return "no such round is running";
    if (g->phase == GROUP_END)
        return "that round is over";
    if (p->watching == g)
        return "you already watch that round";
    if (g->nwatchers >= s->cfg.max_watchers) {
        snprintf(why, cap, "%d people watch that round already, the most it takes",
                 s->cfg.max_watchers);
        return why;
    }
    return NULL;
}

static void watch_start(server_t *s, player_t *p, int32_t id)
{
    group_t *g = sub_find(s, (unsigned)id);
    char why[PROTO_TEXT_SIZE];
    const char *refusal = watch_refusal(s, p, g, why, sizeof why);
    if (refusal) {
        watch_reply(s, p, id, refusal);
        return;
    }
    watch_stop(s, p, NULL); /* from another round to this one */
    watch_reply(s, p, id, NULL);
    group_watch_add(g, p);
    log_msg(&s->log, LOG_INFO, STAGE, "%s watches group %u (%d watching)", p->username, g->id,
            g->nwatchers);
    /* In a round already: where it stands now; still voting: "game start" comes with GO. */
    if (g->phase == GROUP_GAME && g->game)
        game_send_start(g, p, "", true);
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
