/* client_core_fake.c -- a client at the menu on the fake network and host, and the input and
 * server messages the client-core tests give it; no SDL, no sockets */
#include "client_core_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

client_t *ccf_client(void)
{
    client_t *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    app_init(c, &fake_net_ops, &fake_host_ops);
    c->net_data = fake_net_new();
    c->host_data = fake_host_new();
    c->now_ms = 1000;
    return c;
}

void ccf_free(client_t *c)
{
    fake_net_free(c->net_data);
    fake_host_free(c->host_data);
    free(c);
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
