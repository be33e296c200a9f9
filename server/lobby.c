/* lobby.c -- stage 3: welcome, lobby updates (with the server view for party clients), and
 * groups in arrival order: full ones at once, smaller ones by Start now or after --lobby-wait;
 * owns the lobby queue, where a watcher whose connection dropped keeps its place; uses player.h,
 * sub.h (the hand-off to a group, the groups' view), room.h (chat and kick), evening.h and watch.h
 * (a player in the lobby may watch a group) */
#include "lobby.h"

#include <stdlib.h>
#include <string.h>

#include "evening.h"
#include "room.h"
#include "sub.h"
#include "watch.h"

#define STAGE "lobby"

struct lobby {
    player_t *head, *tail; /* in arrival order, through player_t.lobby_prev/lobby_next */
    int count;
    int nparty;           /* of them with the party feature: the server view is built for them */
    int nwatch;           /* of those with the watch feature too: their view has the groups' ids */
    long long wait_timer; /* --lobby-wait: the round starts with those present; 0 = none */
    int64_t wait_deadline;
};

static int lobby_on_msg(server_t *s, player_t *p, const msg_t *m);
static void lobby_leave(server_t *s, player_t *p);
static bool lobby_away(server_t *s, player_t *p);
static void lobby_resume(server_t *s, player_t *p);

static const stage_t lobby_stage = {
    .where = "in the lobby",
    .logged_in = true,
    .leaves_at_shutdown = true,
    .on_msg = lobby_on_msg,
    .on_invalid = NULL,
    .leave = lobby_leave,
    .away = lobby_away,
    .resume = lobby_resume,
};

int lobby_create(server_t *s)
{
    s->lobby = calloc(1, sizeof *s->lobby);
    return s->lobby ? 0 : -1;
}

void lobby_free(server_t *s)
{
    if (s->lobby && s->lobby->wait_timer > 0)
        loop_del_timer(s->loop, s->lobby->wait_timer);
    free(s->lobby);
    s->lobby = NULL;
}

int lobby_count(const server_t *s)
{
    return s->lobby->count;
}

static void lobby_send_line_social(server_t *s, const char *line, size_t len)
{
    for (player_t *p = s->lobby->head; p; p = p->lobby_next)
        if (p->features & PROTO_FEATURE_SOCIAL)
            player_send_line(s, p, line, len);
}

/* Queues the line to the lobby's players whose party and watch features are exactly
 * features. */
static void lobby_send_line_some(server_t *s, unsigned features, const char *line, size_t len)
{
    const unsigned mask = PROTO_FEATURE_PARTY | PROTO_FEATURE_WATCH;
    for (player_t *p = s->lobby->head; p; p = p->lobby_next)
        if ((p->features & PROTO_FEATURE_PARTY ? p->features & mask : 0) == features)
            player_send_line(s, p, line, len);
}

static bool lobby_watches(const player_t *p)
{
    return (p->features & PROTO_FEATURE_PARTY) && (p->features & PROTO_FEATURE_WATCH);
}

/* The server view for party clients: the host, who pressed Start now, the countdown, and the
 * running groups. */
static void lobby_fill_view(server_t *s, msg_lobby_update_t *u)
{
    u->party = true;
    const char *host = player_host_name(s);
    if (host)
        snprintf(u->host, sizeof u->host, "%s", host);
    for (player_t *p = s->lobby->head; p && u->nready < PROTO_MAX_PLAYERS; p = p->lobby_next)
        if (p->ready)
            memcpy(u->ready[u->nready++], p->username, sizeof u->ready[0]);
    if (s->lobby->wait_timer > 0) {
        int64_t left = (s->lobby->wait_deadline - loop_now()) / LOOP_NS_PER_MS;
        u->has_wait = true;
        u->wait_ms = (int32_t)(left < 0 ? 0 : left);
    }
    sub_describe(s, u);
}

/* The roster, as every lobby update starts. */
static void lobby_fill_roster(server_t *s, msg_lobby_update_t *u)
{
    u->group_size = s->cfg.group_size;
    /* The lobby never holds a whole group for long: groups leave as soon as they form. */
    for (player_t *p = s->lobby->head; p && u->nplayers < PROTO_MAX_PLAYERS; p = p->lobby_next)
        memcpy(u->players[u->nplayers++], p->username, sizeof u->players[0]);
}

/* Everyone in the lobby learns who is there, on every change: the original's line to clients
 * without the party feature, the same with the server view to the others. */
static void lobby_broadcast_update(server_t *s)
{
    if (s->lobby->count == 0)
        return;
    msg_t m;
    char line[SERVER_LINE_SIZE];
    proto_init(&m, MSG_LOBBY_UPDATE);
    msg_lobby_update_t *u = &m.u.lobby_update;
    lobby_fill_roster(s, u);
    int n;
    if (s->lobby->count > s->lobby->nparty && (n = server_encode(s, &m, line)) >= 0)
        lobby_send_line_some(s, 0, line, (size_t)n);
    if (s->lobby->nparty == 0)
        return;
    lobby_fill_view(s, u);
    /* The groups' ids and watchers go to watch logins only: a line of their own. */
    if (s->lobby->nwatch > 0 && (n = server_encode(s, &m, line)) >= 0)
        lobby_send_line_some(s, PROTO_FEATURE_PARTY | PROTO_FEATURE_WATCH, line, (size_t)n);
    if (s->lobby->nparty == s->lobby->nwatch)
        return;
    for (int i = 0; i < u->ngroups; i++)
        u->groups[i].id = u->groups[i].watching = 0;
    if ((n = server_encode(s, &m, line)) >= 0)
        lobby_send_line_some(s, PROTO_FEATURE_PARTY, line, (size_t)n);
}

void lobby_view_changed(server_t *s)
{
    if (s->lobby->nparty > 0)
        lobby_broadcast_update(s);
}

/* The social players in the lobby see the evening's board (their roster shows each player's
 * wins) whenever someone arrives: a newcomer, or a group back from its round. */
static void lobby_send_evening(server_t *s)
{
    bool any = false;
    for (player_t *p = s->lobby->head; p && !any; p = p->lobby_next)
        any = (p->features & PROTO_FEATURE_SOCIAL) != 0;
    if (!any)
        return;
    msg_t m;
    char line[SERVER_LINE_SIZE];
    proto_init(&m, MSG_EVENING);
    evening_board(s, &m.u.evening);
    int n = server_encode(s, &m, line);
    if (n >= 0)
        lobby_send_line_social(s, line, (size_t)n);
}

/* The lobby as it is now, to p alone (back from a drop, it missed the changes): the update
 * its login's features get, and the evening's board for a social one. */
static void lobby_send_to(server_t *s, player_t *p)
{
    msg_t m;
    proto_init(&m, MSG_LOBBY_UPDATE);
    msg_lobby_update_t *u = &m.u.lobby_update;
    lobby_fill_roster(s, u);
    if (p->features & PROTO_FEATURE_PARTY) {
        lobby_fill_view(s, u);
        for (int i = 0; !(p->features & PROTO_FEATURE_WATCH) && i < u->ngroups; i++)
            u->groups[i].id = u->groups[i].watching = 0;
    }
    player_send(s, p, &m);
    if (!(p->features & PROTO_FEATURE_SOCIAL))
        return;
    proto_init(&m, MSG_EVENING);
    evening_board(s, &m.u.evening);
    player_send(s, p, &m);
}

static void lobby_unlink(server_t *s, player_t *p)
{
    struct lobby *lb = s->lobby;
    if (p->lobby_prev)
        p->lobby_prev->lobby_next = p->lobby_next;
    else
        lb->head = p->lobby_next;
    if (p->lobby_next)
        p->lobby_next->lobby_prev = p->lobby_prev;
    else
        lb->tail = p->lobby_prev;
    p->lobby_prev = p->lobby_next = NULL;
    lb->count--;
    if (p->features & PROTO_FEATURE_PARTY)
        lb->nparty--;
    if (lobby_watches(p))
        lb->nwatch--;
    p->ready = false;
}

/* The players present (not closing, not away after a drop), in arrival order, at most max of
 * them. */
static int lobby_present(server_t *s, player_t **out, int max)
{
    int n = 0;
    for (player_t *p = s->lobby->head; p && n < max; p = p->lobby_next)
        if (!player_closing(p) && !player_away(p))
            out[n++] = p;
    return n;
}

static void lobby_start_group(server_t *s, player_t **group, int n)
{
    for (int i = 0; i < n; i++) {
        watch_stop(s, group[i], "your round starts");
        lobby_unlink(s, group[i]);
    }
    sub_start(s, group, n);
}

static int64_t lobby_on_wait(loop_t *l, long long id, void *ud);

/* The countdown runs while at least 2 players are present. It starts afresh after a group
 * leaves, so that the players left behind get the whole wait. */
static void lobby_update_wait(server_t *s, bool restart)
{
    struct lobby *lb = s->lobby;
    player_t *present[2];
    bool want = s->cfg.lobby_wait > 0 && !s->shutting_down && lobby_present(s, present, 2) == 2;
    if (lb->wait_timer > 0 && (!want || restart)) {
        loop_del_timer(s->loop, lb->wait_timer);
        lb->wait_timer = 0;
    }
    if (want && lb->wait_timer == 0) {
        lb->wait_deadline = loop_now() + (int64_t)s->cfg.lobby_wait * LOOP_NS_PER_SEC;
        lb->wait_timer = loop_add_timer(s->loop, lb->wait_deadline, lobby_on_wait, s);
        if (lb->wait_timer < 0) {
            /* Tried again at the next change of the lobby; meanwhile a full group still starts. */
            lb->wait_timer = 0;
            log_msg(&s->log, LOG_ERROR, STAGE, "out of memory for the lobby's countdown");
        }
    }
}

/* Groups leave in arrival order. Players already marked for close stay behind: they leave
 * through the quit path this same iteration and would only start a game short-handed. */
static void lobby_form_groups(server_t *s)
{
    bool formed = false;
    player_t *group[PROTO_MAX_GROUP];
    for (;;) {
        int n = lobby_present(s, group, s->cfg.group_size);
        if (n < s->cfg.group_size)
            break;
        lobby_start_group(s, group, n);
        formed = true;
    }
    /* Fewer than a group: they go together once every one of them pressed Start now. */
    int n = lobby_present(s, group, s->cfg.group_size);
    bool all_ready = n >= PROTO_MIN_GROUP;
    for (int i = 0; i < n; i++)
        all_ready = all_ready && group[i]->ready;
    if (all_ready) {
        log_msg(&s->log, LOG_INFO, STAGE, "all %d waiting pressed Start now", n);
        lobby_start_group(s, group, n);
        formed = true;
    }
    lobby_update_wait(s, formed);
    if (formed)
        lobby_broadcast_update(s);
}

/* --lobby-wait is over: the round starts with those present. */
static int64_t lobby_on_wait(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    server_t *s = ud;
    s->lobby->wait_timer = 0; /* this timer ends here */
    player_t *group[PROTO_MAX_GROUP];
    int n = lobby_present(s, group, s->cfg.group_size);
    if (n >= PROTO_MIN_GROUP) {
        log_msg(&s->log, LOG_INFO, STAGE, "waited %d s: the round starts with %d",
                s->cfg.lobby_wait, n);
        lobby_start_group(s, group, n);
    }
    lobby_update_wait(s, true);
    lobby_broadcast_update(s);
    return LOOP_NOMORE;
}

void lobby_enter(server_t *s, player_t *p)
{
    struct lobby *lb = s->lobby;
    p->stage = &lobby_stage;
    p->lobby_next = NULL;
    p->lobby_prev = lb->tail;
    if (lb->tail)
        lb->tail->lobby_next = p;
    else
        lb->head = p;
    lb->tail = p;
    lb->count++;
    p->ready = false;
    if (p->features & PROTO_FEATURE_PARTY)
        lb->nparty++;
    if (lobby_watches(p))
        lb->nwatch++;
    msg_t m;
    proto_init(&m, MSG_LOBBY);
    snprintf(m.u.lobby.message, sizeof m.u.lobby.message, "welcome");
    player_send(s, p, &m);
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s enters the lobby (%d waiting)", p->username, lb->count);
    lobby_send_evening(s);
    lobby_update_wait(s, false);
    lobby_broadcast_update(s);
    lobby_form_groups(s);
}

static void lobby_leave(server_t *s, player_t *p)
{
    watch_stop(s, p, NULL);
    lobby_unlink(s, p);
    /* One fewer to wait for: the others may all be ready now. */
    lobby_form_groups(s);
    lobby_broadcast_update(s);
}

/* A watcher's connection dropped: it keeps its place in the queue, and the round it watched
 * for its resume (watch.c), for SERVER_RESUME_SECONDS. Meanwhile no group forms with it: a
 * round would start with one who cannot play. Anyone else's drop in the lobby is a quit. */
static bool lobby_away(server_t *s, player_t *p)
{
    if (!watch_away(s, p))
        return false;
    p->ready = false;
    long long timer = s->lobby->wait_timer;
    lobby_update_wait(s, false); /* one fewer present: the countdown may stop */
    if (s->lobby->wait_timer != timer)
        lobby_view_changed(s);
    return true;
}

/* Back: the lobby as it is now, the round it watched if it still can, and, present again, it
 * may complete a group or start the countdown. */
static void lobby_resume(server_t *s, player_t *p)
{
    lobby_send_to(s, p);
    watch_resume(s, p);
    long long timer = s->lobby->wait_timer;
    lobby_form_groups(s);
    if (s->lobby->wait_timer != timer)
        lobby_view_changed(s);
}

static int lobby_on_start(server_t *s, player_t *p, bool ready)
{
    p->ready = ready;
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s %s Start now", p->username,
            ready ? "pressed" : "took back");
    lobby_form_groups(s);
    lobby_broadcast_update(s);
    return 0;
}

static int lobby_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    if (room_on_msg(s, p, m))
        return 0;
    switch (m->type) {
    case MSG_START:
        return lobby_on_start(s, p, m->u.start.ready);
    case MSG_WATCH:
    case MSG_UNWATCH:
        return watch_on_msg(s, p, m);
    case MSG_INPUT:
    case MSG_CONTINUE:
        /* Sent before the client saw the round end or the end screen close: stale, harmless. */
        return 0;
    default:
        return -1;
    }
}
