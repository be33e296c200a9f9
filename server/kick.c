/* kick.c -- the host's kick: checks the right, says goodbye to the kicked player, tells the others,
 * and keeps the bans by name and by address; owns the ban list; uses kick.h, player.h and
 * common/utf8 */
#include "kick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define STAGE "kick"

typedef struct ban {
    char key[PROTO_USERNAME_SIZE]; /* the kicked name's key (proto_username_key) */
    char addr[64];                 /* its numeric address, "" when unknown */
    int64_t until;                 /* monotonic ns; 0 = free slot */
} ban_t;

struct kicks {
    ban_t bans[SERVER_MAX_BANS];
    int next; /* the slot the next ban takes: the oldest once the list is full */
};

int kick_create(server_t *s)
{
    s->kicks = calloc(1, sizeof *s->kicks);
    return s->kicks ? 0 : -1;
}

void kick_free(server_t *s)
{
    free(s->kicks);
    s->kicks = NULL;
}

int kick_banned(server_t *s, const player_t *p, const char *username)
{
    char key[PROTO_USERNAME_SIZE], addr[64];
    proto_username_key(username, key, sizeof key);
    player_address(p, addr, sizeof addr);
    int64_t now = loop_now(), left = 0;
    for (int i = 0; i < SERVER_MAX_BANS; i++) {
        const ban_t *b = &s->kicks->bans[i];
        if (b->until <= now)
            continue;
        if (strcmp(b->key, key) == 0 || (addr[0] && strcmp(b->addr, addr) == 0))
            left = b->until - now > left ? b->until - now : left;
    }
    return left > 0 ? (int)((left + LOOP_NS_PER_SEC - 1) / LOOP_NS_PER_SEC) : 0;
}

static void kick_ban(server_t *s, const player_t *p)
{
    ban_t *b = &s->kicks->bans[s->kicks->next];
    s->kicks->next = (s->kicks->next + 1) % SERVER_MAX_BANS;
    proto_username_key(p->username, b->key, sizeof b->key);
    player_address(p, b->addr, sizeof b->addr);
    b->until = loop_now() + (int64_t)s->cfg.kick_ban * LOOP_NS_PER_SEC;
}

void kick_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    /* Without control characters: a newline would forge log lines and break the notice. */
    char name[PROTO_USERNAME_SIZE], reason[PROTO_TEXT_SIZE];
    utf8_sanitize(name, sizeof name, m->u.kick.username, strlen(m->u.kick.username),
                  PROTO_MAX_USERNAME);
    utf8_sanitize(reason, sizeof reason, m->u.kick.reason, strlen(m->u.kick.reason),
                  PROTO_MAX_TEXT);
    if (!p->host) {
        player_error(s, p, false, "only the host can kick");
        log_msg(&s->log, LOG_INFO, STAGE, "%s tried to kick %s without the admin secret",
                p->username, name);
        return;
    }
    player_t *t = player_find(s, name);
    if (!t || player_closing(t)) {
        player_error(s, p, false, "no player named \"%s\" is here", name);
        return;
    }
    if (t == p) {
        player_error(s, p, false, "the host cannot kick themselves");
        return;
    }
    char bye[PROTO_TEXT_SIZE + 32], notice[PROTO_TEXT_SIZE + PROTO_USERNAME_SIZE + 32];
    snprintf(bye, sizeof bye, "Kicked by the host%s%s", reason[0] ? ": " : "", reason);
    snprintf(notice, sizeof notice, "%s was kicked by the host%s%s", t->username,
             reason[0] ? ": " : "", reason);
    log_msg(&s->log, LOG_INFO, STAGE, "%s kicks %s%s%s", p->username, t->username,
            reason[0] ? ": " : "", reason);
    kick_ban(s, t);
    player_bye(s, t, "kicked", bye);
    player_notice_all(s, PLAYER_NOTICE_FEATURES, "%s", notice);
}
