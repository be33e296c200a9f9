/* client_core_fake.c -- a recording network and host for client tests; no SDL, no sockets */
#include "client_core_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct holder {
    client_t c;
    ccf_t f;
} holder_t;

ccf_t *ccf(client_t *c)
{
    return &((holder_t *)c)->f;
}

static void f_connect(client_t *c, const char *host, int port)
{
    ccf_t *f = ccf(c);
    f->nconnect++;
    snprintf(f->connect_host, sizeof f->connect_host, "%s", host);
    f->connect_port = port;
}

static void f_send(client_t *c, const msg_t *m)
{
    ccf_t *f = ccf(c);
    if (f->nsent < CCF_MAX_SENT) {
        f->sent[f->nsent] = malloc(sizeof *m);
        memcpy(f->sent[f->nsent], m, sizeof *m);
    }
    f->nsent++;
}

static void f_close(client_t *c)
{
    ccf(c)->nclose++;
}

static int f_start(client_t *c, int port, int group_size, int round_seconds, char *err,
                   size_t errlen)
{
    ccf_t *f = ccf(c);
    f->nstart++;
    f->start_port = port;
    f->start_group = group_size;
    f->start_round = round_seconds;
    if (f->start_result != 0) {
        snprintf(err, errlen, "%s", f->start_error);
        return -1;
    }
    f->running = true;
    return 0;
}

static void f_stop(client_t *c)
{
    ccf(c)->nstop++;
    ccf(c)->running = false;
}

static bool f_running(client_t *c)
{
    return ccf(c)->running;
}

static int f_poll(client_t *c, int *port, char *err, size_t errlen)
{
    ccf_t *f = ccf(c);
    if (f->poll_result == 1)
        *port = f->poll_port;
    if (f->poll_result < 0)
        snprintf(err, errlen, "%s", f->poll_error);
    return f->poll_result;
}

static const client_net_ops_t fake_net = {f_connect, f_send, f_close};
static const client_host_ops_t fake_host = {f_start, f_stop, f_running, f_poll};

client_t *ccf_client(void)
{
    holder_t *h = calloc(1, sizeof *h);
    client_init(&h->c, &fake_net, &fake_host);
    h->c.now_ms = 1000;
    return &h->c;
}

void ccf_free(client_t *c)
{
    ccf_t *f = ccf(c);
    for (int i = 0; i < f->nsent && i < CCF_MAX_SENT; i++)
        free(f->sent[i]);
    free(c);
}

int ccf_count(client_t *c, msg_type_t type)
{
    ccf_t *f = ccf(c);
    int n = 0;
    for (int i = 0; i < f->nsent && i < CCF_MAX_SENT; i++)
        n += f->sent[i]->type == type;
    return n;
}

const msg_t *ccf_last(client_t *c, msg_type_t type)
{
    ccf_t *f = ccf(c);
    int last = f->nsent < CCF_MAX_SENT ? f->nsent : CCF_MAX_SENT;
    for (int i = last - 1; i >= 0; i--)
        if (f->sent[i]->type == type)
            return f->sent[i];
    return NULL;
}

void ccf_key(client_t *c, input_kind_t kind)
{
    input_event_t ev = {.kind = kind};
    client_input(c, &ev);
}

void ccf_type(client_t *c, const char *s)
{
    while (*s) {
        input_event_t ev = {.kind = IN_TEXT};
        size_t n = 1;
        while (((unsigned char)s[n] & 0xC0) == 0x80)
            n++;
        memcpy(ev.text, s, n);
        client_input(c, &ev);
        s += n;
    }
}

void ccf_click(client_t *c, int x, int y)
{
    input_event_t ev = {.kind = IN_CLICK, .x = x, .y = y};
    client_input(c, &ev);
}

void ccf_backspaces(client_t *c, int n)
{
    for (int i = 0; i < n; i++)
        ccf_key(c, IN_BACKSPACE);
}

void ccf_run(client_t *c, uint32_t ms, uint32_t step_ms)
{
    for (uint32_t t = 0; t < ms; t += step_ms) {
        c->now_ms += step_ms;
        client_update(c);
    }
}

static msg_t *new_msg(msg_type_t type)
{
    msg_t *m = malloc(sizeof *m);
    proto_init(m, type);
    return m;
}

static void deliver(client_t *c, msg_t *m)
{
    client_on_message(c, m);
    free(m);
}

void ccf_recv(client_t *c, msg_type_t type)
{
    deliver(c, new_msg(type));
}

void ccf_recv_login_update(client_t *c, bool accepted, const char *message)
{
    msg_t *m = new_msg(MSG_LOGIN_UPDATE);
    m->u.login_update.accepted = accepted;
    snprintf(m->u.login_update.message, sizeof m->u.login_update.message, "%s", message);
    deliver(c, m);
}

void ccf_recv_lobby_update(client_t *c, int group_size, int n, const char *const *names)
{
    msg_t *m = new_msg(MSG_LOBBY_UPDATE);
    m->u.lobby_update.group_size = group_size;
    m->u.lobby_update.nplayers = n;
    for (int i = 0; i < n; i++)
        snprintf(m->u.lobby_update.players[i], sizeof m->u.lobby_update.players[i], "%s", names[i]);
    deliver(c, m);
}

void ccf_recv_chat(client_t *c, const char *from, const char *text)
{
    msg_t *m = new_msg(MSG_CHAT);
    snprintf(m->u.chat.from, sizeof m->u.chat.from, "%s", from);
    snprintf(m->u.chat.text, sizeof m->u.chat.text, "%s", text);
    deliver(c, m);
}

void ccf_recv_error(client_t *c, const char *message)
{
    msg_t *m = new_msg(MSG_ERROR);
    snprintf(m->u.error.message, sizeof m->u.error.message, "%s", message);
    deliver(c, m);
}

void ccf_to_lobby(client_t *c, const char *name)
{
    client_goto(c, SCENE_JOIN);
    ccf_key(c, IN_CONFIRM); /* host -> port */
    ccf_key(c, IN_CONFIRM); /* connect */
    client_on_connected(c);
    ccf_recv(c, MSG_LOGIN_PROMPT);
    ccf_backspaces(c, 40);
    ccf_type(c, name);
    ccf_key(c, IN_CONFIRM);
    ccf_recv_login_update(c, true, "");
    msg_t *m = new_msg(MSG_LOBBY);
    snprintf(m->u.lobby.message, sizeof m->u.lobby.message, "welcome");
    deliver(c, m);
}
