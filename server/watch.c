/* watch.c -- the "watch" feature's requests from the lobby: "watch" (which group, refused when it
 * is over, unknown or at --max-watchers) and "unwatch", and a dropped watcher's way back to the
 * round it watched; the group keeps its watchers and sends them its lines (group.c), the round's
 * "game start" comes from game.c; uses watch.h, sub.h (the group of an id), group.h and game.h */
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

/* p, accepted, joins g's watchers: the answer, then where the round stands. */
static void watch_join(server_t *s, player_t *p, group_t *g)
{
    watch_reply(s, p, (int32_t)g->id, NULL);
    group_watch_add(g, p);
    log_msg(&s->log, LOG_INFO, STAGE, "%s watches group %u (%d watching)", p->username, g->id,
            g->nwatchers);
    /* In a round already: where it stands now; still voting: "game start" comes with GO. */
    if (g->phase == GROUP_GAME && g->game)
        game_send_start(g, p, "", true);
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
    watch_join(s, p, g);
}

bool watch_away(server_t *s, player_t *p)
{
    group_t *g = p->watching;
    if (!g)
        return false;
    /* Its place among the watchers goes to whoever asks meanwhile: an away watcher sees
     * nothing, and the round's lines are not kept for it. */
    p->watch_again = g->id;
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s stops watching group %u while away", p->username, g->id);
    group_watch_remove(g, p, NULL);
    return true;
}

void watch_resume(server_t *s, player_t *p)
{
    group_t *g = p->watching;
    if (g) {
        /* Its old connection was still open (half dead): it watches on, and the new one needs
         * to know where the round stands. */
        watch_reply(s, p, (int32_t)g->id, NULL);
        if (g->phase == GROUP_GAME && g->game)
            game_send_start(g, p, "", true);
        return;
    }
    unsigned id = p->watch_again;
    p->watch_again = 0;
    if (id == 0)
        return;
    g = sub_find(s, id);
    char why[PROTO_TEXT_SIZE];
    if (!watch_refusal(s, p, g, why, sizeof why)) {
        watch_join(s, p, g);
        return;
    }
    msg_t m;
    proto_init(&m, MSG_WATCH_END);
    if (g && g->phase != GROUP_DONE && g->phase != GROUP_END && g->npresent > 0)
        snprintf(m.u.watch_end.message, sizeof m.u.watch_end.message,
                 "the round you watched is full now: at most %d may watch a round",
                 s->cfg.max_watchers);
    else
        snprintf(m.u.watch_end.message, sizeof m.u.watch_end.message,
                 "the round you watched ended while you were away");
    log_msg(&s->log, LOG_INFO, STAGE, "%s is back in the lobby: %s", p->username,
            m.u.watch_end.message);
    player_send(s, p, &m);
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
