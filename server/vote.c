/* vote.c -- a group's first phase: "select world", votes, the tally, and the choice, which it
 * reports to the group's owner; uses vote.h and group.h (player.h, server.h) */
#include "vote.h"

#include <string.h>

#define STAGE "vote"

/* Worlds with previews while the line fits in PROTO_MAX_LINE; the rest by name only. Encodes
 * into line (SERVER_LINE_SIZE). */
static int vote_encode_select_world(group_t *g, char *line)
{
    server_t *s = g->srv;
    msg_t m;
    proto_init(&m, MSG_SELECT_WORLD);
    msg_select_world_t *sw = &m.u.select_world;
    sw->timeout = s->cfg.vote_timeout;
    sw->nworlds = s->nworlds;
    for (int i = 0; i < s->nworlds; i++)
        proto_world_info_from_world(&sw->worlds[i], &s->worlds[i]);
    int n = proto_encode(&m, line, SERVER_LINE_SIZE);
    for (int i = s->nworlds - 1; n < 0 && i >= 0; i--) {
        sw->worlds[i].width = sw->worlds[i].height = 0;
        n = proto_encode(&m, line, SERVER_LINE_SIZE);
    }
    if (n < 0)
        log_msg(&s->log, LOG_ERROR, STAGE, "cannot encode \"select world\"");
    return n;
}

static int64_t vote_on_timeout(loop_t *l, long long id, void *ud);

/* The group's social players see who is in it, who has voted (not for what: the tally shows
 * how many want each world, and keeping names off it lets everyone pick without following
 * the first voter) and who left. */
static void vote_send_group(group_t *g)
{
    if (!group_any_with(g, PROTO_FEATURE_SOCIAL))
        return;
    msg_t m;
    proto_init(&m, MSG_GROUP);
    msg_group_t *gr = &m.u.group;
    gr->nplayers = g->nplayers;
    for (int i = 0; i < g->nplayers; i++) {
        memcpy(gr->players[i].username, g->usernames[i], sizeof gr->players[i].username);
        gr->players[i].left = g->players[i] == NULL;
        gr->players[i].voted = g->players[i] && g->votes[i] >= 0;
    }
    group_send_with(g, PROTO_FEATURE_SOCIAL, &m);
}

void vote_begin(group_t *g)
{
    server_t *s = g->srv;
    for (int i = 0; i < PROTO_MAX_GROUP; i++)
        g->votes[i] = -1;
    char line[SERVER_LINE_SIZE];
    int n = vote_encode_select_world(g, line);
    if (n >= 0)
        group_send_line_all(g, line, (size_t)n);
    vote_send_group(g);
    g->phase_ends = loop_now() + (int64_t)s->cfg.vote_timeout * LOOP_NS_PER_SEC;
    group_set_timer(g, g->phase_ends, vote_on_timeout);
}

/* Most votes wins, ties at random, no votes at all means any world at random; the phase is
 * then done. */
static void vote_decide(group_t *g)
{
    server_t *s = g->srv;
    int counts[WORLD_MAX_FILES] = {0};
    int total = 0;
    for (int i = 0; i < g->nplayers; i++)
        if (g->players[i] && g->votes[i] >= 0) {
            counts[g->votes[i]]++;
            total++;
        }
    int best = 0;
    for (int i = 0; i < s->nworlds; i++)
        if (counts[i] > best)
            best = counts[i];
    int candidates[WORLD_MAX_FILES], ncand = 0;
    for (int i = 0; i < s->nworlds; i++)
        if (counts[i] == best)
            candidates[ncand++] = i;
    g->world = candidates[server_random(s) % (uint64_t)ncand];
    log_msg(&s->log, LOG_INFO, STAGE, "group %u plays \"%s\" (%d of %d voted)", g->id,
            s->worlds[g->world].name, total, g->npresent);
    group_stop_timer(g);
    g->phase_done(g);
}

static int64_t vote_on_timeout(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    group_t *g = ud;
    g->timer = 0; /* this timer ends here */
    log_msg(&g->srv->log, LOG_DEBUG, STAGE, "group %u: vote timed out", g->id);
    vote_decide(g);
    return LOOP_NOMORE;
}

/* Players on their way out, or away after a drop, do not hold the vote up; a group with nobody
 * staying waits for the quit path to end it rather than start a game. */
static bool vote_everyone_voted(const group_t *g)
{
    int staying = 0;
    for (int i = 0; i < g->nplayers; i++) {
        if (!g->players[i] || player_closing(g->players[i]) || player_away(g->players[i]))
            continue; /* an away player may still vote if it is back before the vote ends */
        staying++;
        if (g->votes[i] < 0)
            return false;
    }
    return staying > 0;
}

static void vote_reply(group_t *g, int slot, bool considered)
{
    msg_t m;
    proto_init(&m, MSG_VOTE_REPLY);
    m.u.vote_reply.considered = considered;
    player_send(g->srv, g->players[slot], &m);
}

/* The tally so far, into m: for the whole group, or for a player who resumes. */
static void vote_fill_tally(const group_t *g, msg_t *m)
{
    proto_init(m, MSG_VOTES);
    msg_votes_t *v = &m->u.votes;
    v->ncounts = g->srv->nworlds;
    for (int i = 0; i < g->nplayers; i++)
        if (g->players[i] && g->votes[i] >= 0)
            v->counts[g->votes[i]]++;
}

static void vote_send_tally(group_t *g)
{
    msg_t m;
    vote_fill_tally(g, &m);
    group_send_all(g, &m);
}

int vote_on_msg(group_t *g, int slot, const msg_t *m)
{
    /* The original protocol answers anything but a valid vote with "ignored"; the player may
     * vote again. A player may also change a vote until the vote closes. */
    if (m->type != MSG_VOTE || m->u.vote.index < 0 || m->u.vote.index >= g->srv->nworlds) {
        vote_reply(g, slot, false);
        return 0;
    }
    g->votes[slot] = m->u.vote.index;
    vote_reply(g, slot, true);
    vote_send_tally(g);
    vote_send_group(g);
    log_msg(&g->srv->log, LOG_DEBUG, STAGE, "group %u: %s votes for \"%s\"", g->id,
            g->usernames[slot], g->srv->worlds[m->u.vote.index].name);
    if (vote_everyone_voted(g))
        vote_decide(g);
    return 0;
}

void vote_on_bad(group_t *g, int slot)
{
    vote_reply(g, slot, false);
}

void vote_player_left(group_t *g, int slot)
{
    (void)slot;
    vote_send_group(g);
    /* The one who left may have been the last to vote. */
    if (g->npresent > 0 && vote_everyone_voted(g))
        vote_decide(g);
}

void vote_resume(group_t *g, int slot)
{
    server_t *s = g->srv;
    char line[SERVER_LINE_SIZE];
    int n = vote_encode_select_world(g, line);
    if (n >= 0)
        player_send_line(s, g->players[slot], line, (size_t)n);
    msg_t m;
    vote_fill_tally(g, &m);
    player_send(s, g->players[slot], &m);
}
