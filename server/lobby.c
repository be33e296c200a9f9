/* lobby.c -- stage 3: welcome, lobby updates, chat, and groups of --group-size in arrival order;
 * owns the lobby queue; uses player.h, sub.h (the hand-off to a group) and evening.h */
#include "lobby.h"

#include <stdlib.h>
#include <string.h>

#include "evening.h"
#include "sub.h"

#define STAGE "lobby"

struct lobby {
    player_t *head, *tail; /* in arrival order, through player_t.lobby_prev/lobby_next */
    int count;
};

static int lobby_on_msg(server_t *s, player_t *p, const msg_t *m);
static void lobby_leave(server_t *s, player_t *p);

static const stage_t lobby_stage = {
    .where = "in the lobby",
    .logged_in = true,
    .leaves_at_shutdown = true,
    .on_msg = lobby_on_msg,
    .on_invalid = NULL,
    .leave = lobby_leave,
};

int lobby_create(server_t *s)
{
    s->lobby = calloc(1, sizeof *s->lobby);
    return s->lobby ? 0 : -1;
}

void lobby_free(server_t *s)
{
    free(s->lobby);
    s->lobby = NULL;
}

int lobby_count(const server_t *s)
{
    return s->lobby->count;
}

/* Queues the same encoded line to everyone in the lobby. */
static void lobby_send_line_all(server_t *s, const char *line, size_t len)
{
    for (player_t *p = s->lobby->head; p; p = p->lobby_next)
        player_send_line(s, p, line, len);
}

void lobby_send_line_social(server_t *s, const char *line, size_t len)
{
    for (player_t *p = s->lobby->head; p; p = p->lobby_next)
        if (p->features & PROTO_FEATURE_SOCIAL)
            player_send_line(s, p, line, len);
}

/* Everyone in the lobby learns who is there, on every change. */
static void lobby_broadcast_update(server_t *s)
{
    if (s->lobby->count == 0)
        return;
    proto_init(s->out, MSG_LOBBY_UPDATE);
    msg_lobby_update_t *u = &s->out->u.lobby_update;
    u->group_size = s->cfg.group_size;
    /* The lobby never holds a whole group for long: groups leave as soon as they form. */
    for (player_t *p = s->lobby->head; p && u->nplayers < PROTO_MAX_PLAYERS; p = p->lobby_next)
        memcpy(u->players[u->nplayers++], p->username, sizeof u->players[0]);
    int n = server_encode(s, s->out);
    if (n >= 0)
        lobby_send_line_all(s, s->line, (size_t)n);
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
    proto_init(s->out, MSG_EVENING);
    evening_board(s, &s->out->u.evening);
    int n = server_encode(s, s->out);
    if (n >= 0)
        lobby_send_line_social(s, s->line, (size_t)n);
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
}

/* Groups leave in arrival order. Players already marked for close stay behind: they leave
 * through the quit path this same iteration and would only start a game short-handed. */
static void lobby_form_groups(server_t *s)
{
    bool formed = false;
    for (;;) {
        player_t *group[PROTO_MAX_GROUP];
        int n = 0;
        for (player_t *p = s->lobby->head; p && n < s->cfg.group_size; p = p->lobby_next)
            if (!player_closing(p))
                group[n++] = p;
        if (n < s->cfg.group_size)
            break;
        for (int i = 0; i < n; i++)
            lobby_unlink(s, group[i]);
        sub_start(s, group, n);
        formed = true;
    }
    if (formed)
        lobby_broadcast_update(s);
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
    proto_init(s->out, MSG_LOBBY);
    snprintf(s->out->u.lobby.message, sizeof s->out->u.lobby.message, "welcome");
    player_send(s, p, s->out);
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s enters the lobby (%d waiting)", p->username, lb->count);
    lobby_send_evening(s);
    lobby_broadcast_update(s);
    lobby_form_groups(s);
}

static void lobby_leave(server_t *s, player_t *p)
{
    lobby_unlink(s, p);
    lobby_broadcast_update(s);
}

static int lobby_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    switch (m->type) {
    case MSG_CHAT_SEND: {
        /* The lobby is the party's hall: what is said here reaches every group as well (its
         * social players), so that someone waiting can talk to friends in a round. */
        int n = player_encode_chat(s, p, m->u.chat_send.text);
        if (n >= 0) {
            lobby_send_line_all(s, s->line, (size_t)n);
            sub_send_line_social_all(s, s->line, (size_t)n);
        }
        return 0;
    }
    case MSG_INPUT:
    case MSG_CONTINUE:
        /* Sent before the client saw the round end or the end screen close: stale, harmless. */
        return 0;
    default:
        return -1;
    }
}
