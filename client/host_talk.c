/* host_talk.c -- asks a server we host to stop without ever waiting: connects on loopback, sends
 * "stop" with the admin secret, reads the answer as it comes; the OS only through the seam */
#include "host_talk.h"

#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "sys_net.h"

host_talk_state_t host_talk_begin(host_talk_t *t, int port, const char *secret,
                                  const char *if_alone, int64_t deadline_ns)
{
    host_talk_end(t); /* one talk at a time per struct */
    memset(t, 0, sizeof *t);
    msg_t m;
    proto_init(&m, MSG_STOP);
    snprintf(m.u.stop.admin, sizeof m.u.stop.admin, "%s", secret);
    snprintf(m.u.stop.if_alone, sizeof m.u.stop.if_alone, "%s", if_alone ? if_alone : "");
    int n = proto_encode(&m, t->out, sizeof t->out);
    memset(&m.u.stop, 0, sizeof m.u.stop);
    if (port <= 0 || !secret[0] || n <= 0) {
        snprintf(t->why, sizeof t->why, "no port or secret to ask with");
        host_talk_end(t);
        return HOST_TALK_FAILED;
    }
    t->out_len = (size_t)n;
    sys_addr_t a;
    sys_addr_ipv4(&a, sys_ipv4_be(0x7f000001u), port);
    bool pending = false;
    t->fd = sys_tcp_connect(&a, &pending, t->why, sizeof t->why);
    if (t->fd < 0) {
        host_talk_end(t);
        return HOST_TALK_FAILED;
    }
    t->open = true;
    t->connected = !pending;
    t->deadline_ns = deadline_ns;
    return HOST_TALK_PENDING;
}

/* The answer in what came: PENDING until a whole line other than the greeting is there. */
static host_talk_state_t host_talk_answer(host_talk_t *t)
{
    char *nl;
    while ((nl = memchr(t->in, '\n', t->in_len)) != NULL) {
        msg_t m;
        bool ok = proto_decode(t->in, (size_t)(nl - t->in), PROTO_TO_CLIENT, &m, NULL, 0) == 0;
        t->in_len -= (size_t)(nl + 1 - t->in);
        memmove(t->in, nl + 1, t->in_len);
        if (ok && m.type == MSG_LOGIN_PROMPT) /* the greeting every connection gets comes first */
            continue;
        if (ok && m.type == MSG_BYE && strcmp(m.u.bye.reason, HOST_TALK_REASON) == 0)
            return HOST_TALK_ACCEPTED;
        if (ok && m.type == MSG_BYE && strcmp(m.u.bye.reason, HOST_TALK_KEPT_REASON) == 0) {
            snprintf(t->why, sizeof t->why, "%.*s", HOST_TALK_WHY_MAX - 1, m.u.bye.message);
            return HOST_TALK_KEPT;
        }
        snprintf(t->why, sizeof t->why, "it answered %s",
                 ok ? proto_type_name(m.type) : "something else");
        return HOST_TALK_FAILED;
    }
    return HOST_TALK_PENDING;
}

/* As far as the socket lets it go now: connected, the line sent, the answer read. */
static host_talk_state_t host_talk_advance(host_talk_t *t)
{
    if (!t->connected) {
        int r = sys_tcp_connect_done(t->fd, t->why, sizeof t->why);
        if (r <= 0)
            return r == 0 ? HOST_TALK_PENDING : HOST_TALK_FAILED;
        t->connected = true;
    }
    while (t->sent < t->out_len) {
        long n = sys_net_send(t->fd, t->out + t->sent, t->out_len - t->sent, t->why, sizeof t->why);
        if (n == SYS_NET_AGAIN)
            return HOST_TALK_PENDING;
        if (n <= 0)
            return HOST_TALK_FAILED;
        t->sent += (size_t)n;
    }
    for (;;) {
        host_talk_state_t s = host_talk_answer(t);
        if (s != HOST_TALK_PENDING)
            return s;
        if (t->in_len >= sizeof t->in) {
            snprintf(t->why, sizeof t->why, "its answer is longer than %d bytes",
                     HOST_TALK_ANSWER_MAX);
            return HOST_TALK_FAILED;
        }
        long n =
            sys_net_recv(t->fd, t->in + t->in_len, sizeof t->in - t->in_len, t->why, sizeof t->why);
        if (n == SYS_NET_AGAIN)
            return HOST_TALK_PENDING;
        if (n <= 0)
            return HOST_TALK_FAILED;
        t->in_len += (size_t)n;
    }
}

host_talk_state_t host_talk_step(host_talk_t *t, int64_t now_ns)
{
    if (!t->open)
        return HOST_TALK_IDLE;
    host_talk_state_t s = host_talk_advance(t);
    if (s == HOST_TALK_PENDING && now_ns >= t->deadline_ns) {
        snprintf(t->why, sizeof t->why, "no answer in time");
        s = HOST_TALK_FAILED;
    }
    if (s != HOST_TALK_PENDING)
        host_talk_end(t);
    return s;
}

void host_talk_end(host_talk_t *t)
{
    if (t->open)
        sys_net_close(t->fd);
    t->open = t->connected = false;
    memset(t->out, 0, sizeof t->out);
    t->out_len = t->sent = t->in_len = 0;
}
