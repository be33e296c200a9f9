/* game_fake.c -- for the game-scene tests: a logged-in client on the fake network, input, time
 * and the server's messages; no window */
#include "game_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

client_t *fake_client(const char *username)
{
    client_t *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    app_init(c, &fake_net_ops, NULL);
    c->net_data = fake_net_new();
    c->now_ms = 1000;
    session_link_up(&c->session, c->now_ms);
    session_login_accepted(&c->session, username);
    c->session.ping_due_ms = c->now_ms + 3600u * 1000u; /* no pings in the record */
    return c;
}

void fake_client_free(client_t *c)
{
    fake_net_free(c->net_data);
    free(c);
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

void fake_type(client_t *c, const char *utf8)
{
    for (const char *p = utf8; *p;) {
        input_event_t ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = IN_TEXT;
        size_t n = 1;
        while (p[n] && ((unsigned char)p[n] & 0xc0) == 0x80)
            n++;
        memcpy(ev.text, p, n);
        client_input(c, &ev);
        p += n;
    }
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
