/* fake_net.c -- the one fake of client_net_ops_t: records connects, closes and every message
 * sent; no SDL, no sockets */
#include "fake_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fake_net_connect(client_t *c, const char *host, int port)
{
    fake_net_t *n = fake_net(c);
    n->nconnect++;
    snprintf(n->connect_host, sizeof n->connect_host, "%s", host);
    n->connect_port = port;
}

static void fake_net_send(client_t *c, const msg_t *m)
{
    fake_net_t *n = fake_net(c);
    if (n->nsent < FAKE_NET_MAX_SENT) {
        fake_sent_t *s = &n->sent[n->nsent];
        memset(s, 0, sizeof *s);
        s->type = m->type;
        if (m->type == MSG_VOTE)
            s->vote_index = m->u.vote.index;
        if (m->type == MSG_INPUT) {
            s->seq = m->u.input.seq;
            s->dx = m->u.input.dx;
            s->dy = m->u.input.dy;
            s->dash = m->u.input.dash;
        }
    }
    n->nsent++;
    if (m->type >= 0 && m->type < MSG_COUNT) {
        if (!n->last[m->type] && !(n->last[m->type] = malloc(sizeof *m)))
            abort();
        memcpy(n->last[m->type], m, sizeof *m);
    }
}

static void fake_net_close(client_t *c)
{
    fake_net(c)->nclose++;
}

const client_net_ops_t fake_net_ops = {fake_net_connect, fake_net_send, fake_net_close};

fake_net_t *fake_net_new(void)
{
    fake_net_t *n = calloc(1, sizeof *n);
    if (!n)
        abort();
    return n;
}

void fake_net_free(fake_net_t *n)
{
    if (!n)
        return;
    for (int t = 0; t < MSG_COUNT; t++)
        free(n->last[t]);
    free(n);
}

fake_net_t *fake_net(client_t *c)
{
    return c->net_data;
}

int fake_net_count(client_t *c, msg_type_t type)
{
    fake_net_t *n = fake_net(c);
    int count = 0;
    for (int i = 0; i < n->nsent && i < FAKE_NET_MAX_SENT; i++)
        count += n->sent[i].type == type;
    return count;
}

const fake_sent_t *fake_net_last(client_t *c, msg_type_t type)
{
    fake_net_t *n = fake_net(c);
    int last = n->nsent < FAKE_NET_MAX_SENT ? n->nsent : FAKE_NET_MAX_SENT;
    for (int i = last - 1; i >= 0; i--)
        if (n->sent[i].type == type)
            return &n->sent[i];
    return NULL;
}

const msg_t *fake_net_last_msg(client_t *c, msg_type_t type)
{
    fake_net_t *n = fake_net(c);
    return type >= 0 && type < MSG_COUNT ? n->last[type] : NULL;
}

void fake_net_clear(client_t *c)
{
    fake_net_t *n = fake_net(c);
    n->nsent = 0;
    for (int t = 0; t < MSG_COUNT; t++) {
        free(n->last[t]);
        n->last[t] = NULL;
    }
}
