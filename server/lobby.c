/* lobby.c -- stage 3: welcome, lobby updates, chat, and groups of --group-size in arrival order;
 * uses server.h only */
#include <string.h>

#include "server.h"

#define STAGE "lobby"

/* Everyone in the lobby learns who is there, on every change. */
static void broadcast_update(server_t *s)
{
    if (s->nlobby == 0)
        return;
    proto_init(s->out, MSG_LOBBY_UPDATE);
    msg_lobby_update_t *u = &s->out->u.lobby_update;
    u->group_size = s->cfg.group_size;
    /* The lobby never holds a whole group for long: groups leave as soon as they form. */
    for (player_t *p = s->lobby_head; p && u->nplayers < PROTO_MAX_PLAYERS; p = p->lobby_next)
        memcpy(u->players[u->nplayers++], p->username, sizeof u->players[0]);
    int n = server_encode(s, s->out);
    if (n < 0)
        return;
    for (player_t *p = s->lobby_head; p; p = p->lobby_next)
        player_send_line(s, p, s->line, (size_t)n);
}

static void unlink_player(server_t *s, player_t *p)
{
    if (p->lobby_prev)
        p->lobby_prev->lobby_next = p->lobby_next;
    else
        s->lobby_head = p->lobby_next;
    if (p->lobby_next)
        p->lobby_next->lobby_prev = p->lobby_prev;
    else
        s->lobby_tail = p->lobby_prev;
    p->lobby_prev = p->lobby_next = NULL;
    s->nlobby--;
}

/* Groups leave in arrival order. Players already marked for close stay behind: they leave
 * through the quit path this same iteration and would only start a game short-handed. */
static void form_groups(server_t *s)
{
    bool formed = false;
    for (;;) {
        player_t *group[PROTO_MAX_GROUP];
        int n = 0;
        for (player_t *p = s->lobby_head; p && n < s->cfg.group_size; p = p->lobby_next)
            if (!player_closing(p))
                group[n++] = p;
        if (n < s->cfg.group_size)
            break;
        for (int i = 0; i < n; i++)
            unlink_player(s, group[i]);
        sub_start(s, group, n);
        formed = true;
    }
    if (formed)
        broadcast_update(s);
}

void lobby_enter(server_t *s, player_t *p)
{
    p->state = PLAYER_LOBBY;
    p->sub = NULL;
    p->slot = -1;
    p->lobby_next = NULL;
    p->lobby_prev = s->lobby_tail;
    if (s->lobby_tail)
        s->lobby_tail->lobby_next = p;
    else
        s->lobby_head = p;
    s->lobby_tail = p;
    s->nlobby++;
    proto_init(s->out, MSG_LOBBY);
    snprintf(s->out->u.lobby.message, sizeof s->out->u.lobby.message, "welcome");
    player_send(s, p, s->out);
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s enters the lobby (%d waiting)", p->username, s->nlobby);
    broadcast_update(s);
    form_groups(s);
}

void lobby_leave(server_t *s, player_t *p)
{
    unlink_player(s, p);
    broadcast_update(s);
}

static void on_chat(server_t *s, player_t *p, const char *text)
{
    proto_init(s->out, MSG_CHAT);
    if (!server_clean_chat(text, s->out->u.chat.text, sizeof s->out->u.chat.text))
        return;
    memcpy(s->out->u.chat.from, p->username, sizeof s->out->u.chat.from);
    int n = server_encode(s, s->out);
    if (n < 0)
        return;
    for (player_t *q = s->lobby_head; q; q = q->lobby_next)
        player_send_line(s, q, s->line, (size_t)n);
}

int lobby_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    switch (m->type) {
    case MSG_CHAT_SEND:
        on_chat(s, p, m->u.chat_send.text);
        return 0;
    case MSG_INPUT:
    case MSG_CONTINUE:
        /* Sent before the client saw the round end or the end screen close: stale, harmless. */
        return 0;
    default:
        return -1;
    }
}
