/* login.c -- stage 2: greets, answers status queries, checks usernames and keeps them unique; uses
 * server.h only */
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define STAGE "login"

/* ---- the names in use: a hash table keyed by proto_username_key ---- */

static unsigned name_hash(const char *key)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)key; *c; c++)
        h = (h ^ *c) * 16777619u;
    return h % SERVER_NAME_BUCKETS;
}

int names_init(server_t *s)
{
    s->names = calloc(SERVER_NAME_BUCKETS, sizeof *s->names);
    return s->names ? 0 : -1;
}

void names_free(server_t *s)
{
    free(s->names);
    s->names = NULL;
}

static player_t *names_find(server_t *s, const char *name)
{
    char key[PROTO_USERNAME_SIZE], other[PROTO_USERNAME_SIZE];
    proto_username_key(name, key, sizeof key);
    for (player_t *p = s->names[name_hash(key)]; p; p = p->name_next) {
        proto_username_key(p->username, other, sizeof other);
        if (strcmp(key, other) == 0)
            return p;
    }
    return NULL;
}

static void names_add(server_t *s, player_t *p)
{
    char key[PROTO_USERNAME_SIZE];
    proto_username_key(p->username, key, sizeof key);
    player_t **head = &s->names[name_hash(key)];
    p->name_next = *head;
    *head = p;
    p->named = true;
    s->nnamed++;
}

void names_release(server_t *s, player_t *p)
{
    if (!p->named)
        return;
    char key[PROTO_USERNAME_SIZE];
    proto_username_key(p->username, key, sizeof key);
    for (player_t **pp = &s->names[name_hash(key)]; *pp; pp = &(*pp)->name_next) {
        if (*pp == p) {
            *pp = p->name_next;
            break;
        }
    }
    p->name_next = NULL;
    p->named = false;
    s->nnamed--;
    log_msg(&s->log, LOG_DEBUG, STAGE, "%s is free again", p->username);
}

/* ---- the stage ---- */

void login_enter(server_t *s, player_t *p)
{
    p->state = PLAYER_LOGIN;
    /* Exactly {"type":"log in"}: the original client compares the whole object. */
    proto_init(s->out, MSG_LOGIN_PROMPT);
    player_send(s, p, s->out);
}

void login_leave(server_t *s, player_t *p)
{
    (void)s;
    (void)p; /* nothing held but the connection: the quit path frees it */
}

static void refuse(server_t *s, player_t *p, const char *why)
{
    proto_init(s->out, MSG_LOGIN_UPDATE);
    s->out->u.login_update.accepted = false;
    snprintf(s->out->u.login_update.message, sizeof s->out->u.login_update.message, "%s", why);
    player_send(s, p, s->out);
    log_msg(&s->log, LOG_DEBUG, STAGE, "fd %d refused: %s", p->conn.fd, why);
}

static void on_login(server_t *s, player_t *p, const msg_login_t *in)
{
    char why[PROTO_TEXT_SIZE];
    if (in->version != PROTO_VERSION) {
        snprintf(why, sizeof why, "unsupported protocol version %d (this server speaks %d)",
                 in->version, PROTO_VERSION);
        refuse(s, p, why);
        return;
    }
    if (proto_check_username(in->username, why, sizeof why) < 0) {
        refuse(s, p, why);
        return;
    }
    if (names_find(s, in->username)) {
        refuse(s, p, "username taken");
        return;
    }
    snprintf(p->username, sizeof p->username, "%s", in->username);
    names_add(s, p);
    proto_init(s->out, MSG_LOGIN_UPDATE);
    s->out->u.login_update.accepted = true;
    s->out->u.login_update.version = PROTO_VERSION;
    player_send(s, p, s->out);
    log_msg(&s->log, LOG_INFO, STAGE, "%s logged in (fd %d)", p->username, p->conn.fd);
    lobby_enter(s, p);
}

static void on_status(server_t *s, player_t *p)
{
    server_counts_t counts;
    server_get_counts(s, &counts);
    proto_init(s->out, MSG_STATUS);
    msg_status_t *st = &s->out->u.status;
    st->version = PROTO_VERSION;
    st->players = counts.players;
    st->lobby = counts.lobby;
    st->games = counts.games;
    st->group_size = counts.group_size;
    st->uptime = server_uptime(s);
    player_send(s, p, s->out);
}

int login_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    switch (m->type) {
    case MSG_LOGIN:
        on_login(s, p, &m->u.login);
        return 0;
    case MSG_STATUS_QUERY:
        on_status(s, p);
        return 0;
    default:
        return -1;
    }
}

int login_on_invalid(server_t *s, player_t *p, msg_type_t type, const char *err)
{
    if (type != MSG_LOGIN)
        return -1;
    refuse(s, p, err);
    return 0;
}
