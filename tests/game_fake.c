/* game_fake.c -- for the game-scene tests: a client with a recording network and no window */
#include "game_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static fake_net_t *net_of(client_t *c)
{
    return c->net_data;
}

static void fake_connect(client_t *c, const char *host, int port)
{
    (void)c;
    (void)host;
    (void)port;
}

static void fake_send(client_t *c, const msg_t *m)
{
    fake_net_t *n = net_of(c);
    if (n->nsent < FAKE_MAX_SENT) {
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
}

static void fake_close(client_t *c)
{
    (void)c;
}

static const client_net_ops_t fake_ops = {fake_connect, fake_send, fake_close};

client_t *fake_client(const char *username)
{
    client_t *c = calloc(1, sizeof *c);
    fake_net_t *n = calloc(1, sizeof *n);
    if (!c || !n)
        abort();
    client_init(c, &fake_ops, NULL);
    c->net_data = n;
    c->connected = true;
    c->now_ms = 1000;
    c->ping_due_ms = c->now_ms + 3600u * 1000u; /* no pings in the record */
    snprintf(c->username, sizeof c->username, "%s", username);
    return c;
}

void fake_client_free(client_t *c)
{
    free(c->net_data);
    free(c);
}

fake_net_t *fake_net(client_t *c)
{
    return net_of(c);
}

int fake_count(client_t *c, msg_type_t type)
{
    fake_net_t *n = net_of(c);
    int count = 0;
    for (int i = 0; i < n->nsent && i < FAKE_MAX_SENT; i++)
        count += n->sent[i].type == type;
    return count;
}

const fake_sent_t *fake_last(client_t *c, msg_type_t type)
{
    fake_net_t *n = net_of(c);
    int last = n->nsent < FAKE_MAX_SENT ? n->nsent : FAKE_MAX_SENT;
    for (int i = last - 1; i >= 0; i--)
        if (n->sent[i].type == type)
            return &n->sent[i];
    return NULL;
}

void fake_clear(client_t *c)
{
    net_of(c)->nsent = 0;
}

void fake_run(client_t *c, uint32_t ms, uint32_t step_ms)
{
    uint32_t end = c->now_ms + ms;
    while ((int32_t)(end - c->now_ms) > 0) {
        c->now_ms += step_ms;
        client_update(c);
    }
}

void fake_key(client_t *c, input_kind_t kind)
{
    input_event_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    client_input(c, &ev);
}

void fake_click(client_t *c, int x, int y)
{
    input_event_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = IN_CLICK;
    ev.x = x;
    ev.y = y;
    client_input(c, &ev);
}

msg_t *fake_select_world(int nworlds, int timeout)
{
    msg_t *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    proto_init(m, MSG_SELECT_WORLD);
    m->u.select_world.nworlds = nworlds;
    m->u.select_world.timeout = timeout;
    for (int i = 0; i < nworlds; i++) {
        proto_world_info_t *w = &m->u.select_world.worlds[i];
        snprintf(w->name, sizeof w->name, "world%d", i);
        snprintf(w->description, sizeof w->description, "the world number %d", i);
    }
    return m;
}

msg_t *fake_game_start(const char *const *rows, int nrows, const char *you, int nplayers)
{
    static const char *const names[] = {"alice", "bob",   "carol", "dave",
                                        "erin",  "frank", "grace", "heidi"};
    msg_t *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    proto_init(m, MSG_GAME_START);
    msg_game_start_t *g = &m->u.game_start;
    snprintf(g->world.name, sizeof g->world.name, "test");
    g->world.height = nrows;
    g->world.width = nrows > 0 ? (int)strlen(rows[0]) : 0;
    for (int r = 0; r < nrows && r < WORLD_MAX_SIZE; r++)
        snprintf(g->world.tiles[r], sizeof g->world.tiles[r], "%s", rows[r]);
    g->nplayers = nplayers;
    for (int i = 0; i < nplayers && i < 8; i++) {
        snprintf(g->players[i].username, sizeof g->players[i].username, "%s", names[i]);
        g->players[i].color[0] = (uint8_t)(40 * i);
        g->players[i].color[1] = 200;
        g->players[i].color[2] = (uint8_t)(255 - 30 * i);
    }
    snprintf(g->you, sizeof g->you, "%s", you);
    g->tick_rate = SIM_TICK_RATE;
    g->duration = 60;
    g->seed = 42;
    return m;
}
