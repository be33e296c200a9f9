/* net.c -- the client's TCP connection on SDL2_net: a network thread per connection (resolve,
 * connect, then SDLNet_CheckSockets: receive and cut lines, send what is queued), queues shared
 * with the frame loop under an SDL mutex, an SDL event when lines arrive; linebuf, proto */
#include "net.h"

#include <SDL.h>
#include <SDL_net.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"

enum { CONN_CONNECTING, CONN_UP, CONN_FAILED, CONN_CLOSED };

/* One connection, shared by its network thread and the frame loop; whoever lets go last frees
 * it, so the frame loop never waits for the thread (a pending connect, a send to a stopped
 * server). Only the thread touches the TCP socket: it alone opens and closes it. */
typedef struct conn {
    SDL_atomic_t refs;
    SDL_atomic_t abandoned; /* the frame loop let go: send what is queued, close, end */
    SDL_atomic_t queued;    /* bytes handed to the thread and not yet written */
    SDL_atomic_t sleeping;  /* 1 while the thread waits in SDLNet_CheckSockets */
    SDL_atomic_t told;      /* 1 once an event is pushed and not yet seen by the frame loop */
    SDL_atomic_t received;  /* counts chunks received: the frame loop's sign of life */
    SDL_mutex *lock;
    char host[256];
    int port;
    /* Under lock: */
    int state;
    char why[PROTO_TEXT_SIZE]; /* CONN_FAILED, CONN_CLOSED: the reason */
    char *out;                 /* lines to send (NET_MAX_OUT) */
    size_t out_len;
    char *in; /* received lines, each ending in '\0' (NET_MAX_IN) */
    size_t in_len;
    UDPsocket wake; /* the thread's loopback socket: a datagram ends its wait */
    UDPpacket *wake_pkt;
} conn_t;

/* The network thread's own: the socket and what only it reads or writes. */
typedef struct link {
    TCPsocket sock;
    SDLNet_SocketSet set;
    UDPpacket *drain;
    char *send; /* the lines being written (NET_MAX_OUT) */
    linebuf_t lb;
} link_t;

typedef struct net {
    conn_t *conn; /* the connection, or NULL */
    uint32_t started;
    bool up; /* connected (client_on_connected called) */
    int received;
    uint32_t last_recv_ms; /* c->now_ms when bytes last arrived (or the link came up) */
    char *out;             /* this frame's lines, handed over in net_flush */
    size_t out_len;
    /* Lines taken from the thread, not handled yet: a message that opens a scene waits here,
     * decoded once in msg, until the current scene has been drawn (client_message_waits). */
    char *in;
    size_t in_len, in_off;
    msg_t *msg;                      /* large, so one on the heap */
    bool msg_held;                   /* msg is the line at in_off, decoded, waiting for its scene */
    char lost[PROTO_TEXT_SIZE + 64]; /* set when the connection must go */
    char eof[PROTO_TEXT_SIZE]; /* the thread's end: lost once the lines before it are handled */
    int bad_in_row;            /* undecodable lines since the last good one */
} net_t;

static uint32_t net_event = (uint32_t)-1;

uint32_t net_event_type(void)
{
    return net_event;
}

static void conn_release(conn_t *k)
{
    if (SDL_AtomicAdd(&k->refs, -1) == 1) {
        SDL_DestroyMutex(k->lock);
        free(k->out);
        free(k->in);
        free(k);
    }
}

/* Tells the frame loop (once until it looks) that there is something for it. */
static void conn_tell(conn_t *k)
{
    if (net_event == (uint32_t)-1 || !SDL_AtomicCAS(&k->told, 0, 1))
        return;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = net_event;
    (void)SDL_PushEvent(&e); /* fails harmlessly without SDL's event queue (tests) */
}

/* Under lock: the thread's news for the frame loop. */
static void conn_set_state(conn_t *k, int state, const char *why)
{
    SDL_LockMutex(k->lock);
    if (k->state == CONN_CONNECTING || k->state == CONN_UP) {
        k->state = state;
        client_fmt(k->why, sizeof k->why, "%s", why ? why : "");
    }
    SDL_UnlockMutex(k->lock);
    conn_tell(k);
}

/* Keeps a complete line for the frame loop (called under lock). */
static int conn_on_line(void *ud, char *line, size_t len)
{
    conn_t *k = ud;
    if (k->in_len + len + 1 > NET_MAX_IN)
        return 1;
    memcpy(k->in + k->in_len, line, len);
    k->in[k->in_len + len] = '\0';
    k->in_len += len + 1;
    return 0;
}

/* Resolves and connects (both block, here in the thread), and opens the wake socket. */
static int link_open(conn_t *k, link_t *l)
{
    IPaddress ip;
    char why[PROTO_TEXT_SIZE];
    if (SDLNet_ResolveHost(&ip, k->host, (Uint16)k->port) != 0) {
        client_fmt(why, sizeof why, "cannot find host \"%s\"", k->host);
        conn_set_state(k, CONN_FAILED, why);
        return -1;
    }
    /* SDL2_net sets TCP_NODELAY: small lines (inputs) go at once. */
    l->sock = SDLNet_TCP_Open(&ip);
    if (!l->sock) {
        conn_set_state(k, CONN_FAILED, "the server did not answer (is it running?)");
        return -1;
    }
    UDPsocket wake = SDLNet_UDP_Open(0);
    IPaddress *self = wake ? SDLNet_UDP_GetPeerAddress(wake, -1) : NULL;
    l->set = SDLNet_AllocSocketSet(2);
    l->drain = SDLNet_AllocPacket(16);
    l->send = malloc(NET_MAX_OUT);
    UDPpacket *pkt = SDLNet_AllocPacket(1);
    if (!self || !l->set || !l->drain || !l->send || !pkt ||
        SDLNet_TCP_AddSocket(l->set, l->sock) < 0 || SDLNet_UDP_AddSocket(l->set, wake) < 0) {
        char err[PROTO_TEXT_SIZE];
        client_fmt(err, sizeof err, "cannot set up the connection: %s", SDLNet_GetError());
        if (wake)
            SDLNet_UDP_Close(wake);
        SDLNet_FreePacket(pkt);
        conn_set_state(k, CONN_FAILED, err);
        return -1;
    }
    pkt->address.port = self->port;
    SDLNet_Write32(0x7f000001u, &pkt->address.host); /* 127.0.0.1 */
    pkt->len = 1;
    SDL_LockMutex(k->lock);
    k->wake = wake;
    k->wake_pkt = pkt;
    SDL_UnlockMutex(k->lock);
    linebuf_init(&l->lb, PROTO_MAX_LINE);
    conn_set_state(k, CONN_UP, NULL);
    return 0;
}

static void link_close(conn_t *k, link_t *l)
{
    SDL_LockMutex(k->lock);
    if (k->wake)
        SDLNet_UDP_Close(k->wake);
    SDLNet_FreePacket(k->wake_pkt);
    k->wake = NULL;
    k->wake_pkt = NULL;
    SDL_UnlockMutex(k->lock);
    if (l->sock)
        SDLNet_TCP_Close(l->sock);
    if (l->set)
        SDLNet_FreeSocketSet(l->set);
    SDLNet_FreePacket(l->drain);
    free(l->send);
    linebuf_free(&l->lb);
}

/* Writes everything queued (SDLNet_TCP_Send blocks until it is all written: here, never in
 * the frame). Returns 0, or -1 once the link is gone. */
static int link_send(conn_t *k, link_t *l)
{
    SDL_LockMutex(k->lock);
    size_t len = k->out_len;
    memcpy(l->send, k->out, len);
    k->out_len = 0;
    SDL_UnlockMutex(k->lock);
    if (len == 0)
        return 0;
    int sent = SDLNet_TCP_Send(l->sock, l->send, (int)len);
    SDL_AtomicAdd(&k->queued, -(int)len);
    if (sent < (int)len) {
        char why[PROTO_TEXT_SIZE];
        client_fmt(why, sizeof why, "cannot send to the server (%s)", SDLNet_GetError());
        conn_set_state(k, CONN_CLOSED, why);
        return -1;
    }
    return 0;
}

/* Reads one chunk and keeps its lines. Returns 0, or -1 once the link is gone. */
static int link_recv(conn_t *k, link_t *l)
{
    char buf[NET_READ_CHUNK];
    int got = SDLNet_TCP_Recv(l->sock, buf, sizeof buf);
    if (got <= 0) {
        char why[PROTO_TEXT_SIZE];
        if (got == 0)
            client_fmt(why, sizeof why, "the server closed the connection");
        else
            client_fmt(why, sizeof why, "the connection was lost (%s)", SDLNet_GetError());
        conn_set_state(k, CONN_CLOSED, why);
        return -1;
    }
    SDL_AtomicIncRef(&k->received);
    SDL_LockMutex(k->lock);
    int rc = linebuf_feed(&l->lb, buf, (size_t)got, conn_on_line, k);
    SDL_UnlockMutex(k->lock);
    if (rc != LINEBUF_OK) {
        char why[PROTO_TEXT_SIZE];
        if (rc == LINEBUF_TOO_LONG)
            client_fmt(why, sizeof why, "the server sent a line longer than %d bytes",
                       PROTO_MAX_LINE);
        else if (rc == LINEBUF_NOMEM)
            client_fmt(why, sizeof why, "out of memory");
        else
            client_fmt(why, sizeof why, "the server sent more than the game can keep up with");
        conn_set_state(k, CONN_CLOSED, why);
        return -1;
    }
    conn_tell(k);
    return 0;
}

/* Room for another chunk's lines: when the frame loop falls behind, the kernel holds the rest. */
static bool link_has_room(conn_t *k)
{
    SDL_LockMutex(k->lock);
    bool room = k->in_len + PROTO_MAX_LINE + NET_READ_CHUNK <= NET_MAX_IN;
    SDL_UnlockMutex(k->lock);
    return room;
}

static void link_run(conn_t *k, link_t *l)
{
    while (!SDL_AtomicGet(&k->abandoned)) {
        /* Set before the queue is looked at: lines handed over after that wake the wait. */
        SDL_AtomicSet(&k->sleeping, 1);
        if (link_send(k, l) != 0)
            return;
        bool room = link_has_room(k);
        int ready = room ? SDLNet_CheckSockets(l->set, NET_THREAD_WAIT_MS) : 0;
        SDL_AtomicSet(&k->sleeping, 0);
        if (!room)
            SDL_Delay(NET_THREAD_WAIT_MS / 10);
        if (ready < 0) {
            char why[PROTO_TEXT_SIZE];
            client_fmt(why, sizeof why, "the connection was lost (%s)", SDLNet_GetError());
            conn_set_state(k, CONN_CLOSED, why);
            return;
        }
        while (ready > 0 && SDLNet_UDP_Recv(k->wake, l->drain) > 0)
            ;
        if (ready > 0 && SDLNet_SocketReady(l->sock) && link_recv(k, l) != 0)
            return;
    }
    /* Let go of: what scenes queued last ("quit" on Leave) still goes out. */
    (void)link_send(k, l);
}

static int net_thread(void *arg)
{
    conn_t *k = arg;
    link_t l;
    memset(&l, 0, sizeof l);
    if (link_open(k, &l) == 0)
        link_run(k, &l);
    link_close(k, &l);
    conn_release(k);
    return 0;
}

/* Ends the thread's wait so that it sends (or notices it was let go) now. */
static void conn_wake(conn_t *k)
{
    if (!SDL_AtomicCAS(&k->sleeping, 1, 0))
        return; /* busy: it looks at the queue before it waits again */
    SDL_LockMutex(k->lock);
    if (k->wake)
        (void)SDLNet_UDP_Send(k->wake, -1, k->wake_pkt); /* loopback: never waits */
    SDL_UnlockMutex(k->lock);
}

static net_t *net_of(client_t *c)
{
    return c->net_data;
}

size_t net_queued(const client_t *c)
{
    const net_t *n = c->net_data;
    if (!n || !n->conn)
        return n ? n->out_len : 0;
    return n->out_len + (size_t)SDL_AtomicGet(&n->conn->queued);
}

/* SDL2_net is started by platform_init (on Linux it needs nothing; tests do without). */
int net_init(client_t *c)
{
    if (net_event == (uint32_t)-1)
        net_event = SDL_RegisterEvents(1);
    net_t *n = calloc(1, sizeof *n);
    if (!n)
        return -1;
    n->msg = malloc(sizeof *n->msg);
    n->out = malloc(NET_MAX_OUT);
    n->in = malloc(NET_MAX_IN);
    if (!n->msg || !n->out || !n->in) {
        free(n->msg);
        free(n->out);
        free(n->in);
        free(n);
        return -1;
    }
    c->net_data = n;
    return 0;
}

/* Hands this frame's lines to the thread (room is kept by net_send's cap). */
static void net_hand_over(net_t *n)
{
    if (n->out_len == 0 || !n->conn)
        return;
    conn_t *k = n->conn;
    SDL_AtomicAdd(&k->queued, (int)n->out_len);
    SDL_LockMutex(k->lock);
    memcpy(k->out + k->out_len, n->out, n->out_len);
    k->out_len += n->out_len;
    SDL_UnlockMutex(k->lock);
    n->out_len = 0;
    conn_wake(k);
}

static void net_close(client_t *c)
{
    net_t *n = net_of(c);
    if (!n)
        return;
    if (n->conn) {
        /* The thread sends what is queued ("quit" on Leave) and closes; nobody waits for it. */
        if (n->up && !n->lost[0])
            net_hand_over(n);
        SDL_AtomicSet(&n->conn->abandoned, 1);
        conn_wake(n->conn);
        conn_release(n->conn);
        n->conn = NULL;
    }
    n->up = false;
    n->out_len = 0;
    n->in_len = n->in_off = 0;
    n->msg_held = false;
    n->eof[0] = '\0';
    n->bad_in_row = 0;
}

static conn_t *conn_new(const char *host, int port)
{
    conn_t *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->lock = SDL_CreateMutex();
    k->out = malloc(NET_MAX_OUT);
    k->in = malloc(NET_MAX_IN);
    if (!k->lock || !k->out || !k->in) {
        if (k->lock)
            SDL_DestroyMutex(k->lock);
        free(k->out);
        free(k->in);
        free(k);
        return NULL;
    }
    client_fmt(k->host, sizeof k->host, "%s", host);
    k->port = port;
    SDL_AtomicSet(&k->refs, 2);
    return k;
}

static void net_connect(client_t *c, const char *host, int port)
{
    net_t *n = net_of(c);
    if (!n)
        return;
    net_close(c);
    n->lost[0] = '\0';
    conn_t *k = conn_new(host, port);
    if (!k) {
        client_on_connect_failed(c, "out of memory");
        return;
    }
    SDL_Thread *t = SDL_CreateThread(net_thread, "nine43-net", k);
    if (!t) {
        SDL_AtomicSet(&k->refs, 1);
        conn_release(k);
        client_on_connect_failed(c, SDL_GetError());
        return;
    }
    SDL_DetachThread(t);
    n->conn = k;
    n->started = SDL_GetTicks();
    n->received = 0;
}

static void net_send(client_t *c, const msg_t *m)
{
    net_t *n = net_of(c);
    if (!n || !n->up || n->lost[0])
        return;
    char line[PROTO_MAX_LINE];
    int len = proto_encode(m, line, sizeof line);
    if (len < 0) {
        SDL_Log("nine43: cannot encode a \"%s\" message", proto_type_name(m->type));
        return;
    }
    size_t waiting = n->out_len + (size_t)SDL_AtomicGet(&n->conn->queued);
    if (waiting + (size_t)len > NET_MAX_OUT) {
        client_fmt(n->lost, sizeof n->lost, "the server stopped reading (send queue full)");
        return;
    }
    memcpy(n->out + n->out_len, line, (size_t)len);
    n->out_len += (size_t)len;
}

/* Hands the kept lines to the runner in order, each decoded once, stopping at one that must
 * wait a frame for its scene. */
static void dispatch(client_t *c, net_t *n)
{
    char err[256];
    while (n->in_off < n->in_len && n->conn && !n->lost[0]) {
        const char *line = n->in + n->in_off;
        size_t len = strlen(line);
        if (!n->msg_held) {
            if (proto_decode(line, len, PROTO_TO_CLIENT, n->msg, err, sizeof err) != PROTO_OK) {
                /* docs/PROTOCOL.md: a client logs such a line and goes on. */
                SDL_Log("nine43: skipped a line from the server: %s", err);
                n->in_off += len + 1;
                if (++n->bad_in_row >= NET_MAX_BAD_LINES)
                    client_fmt(n->lost, sizeof n->lost,
                               "the server sent %d messages in a row this game cannot read (%s)",
                               n->bad_in_row, err);
                continue;
            }
            n->bad_in_row = 0;
            n->msg_held = true;
        }
        if (client_message_waits(c, n->msg))
            break;
        n->msg_held = false;
        n->in_off += len + 1;
        client_on_message(c, n->msg); /* may close the connection (Leave) and empty the queue */
    }
    if (n->in_off >= n->in_len)
        n->in_off = n->in_len = 0;
}

/* Takes the thread's lines (all of them, when they fit) and its news. Returns the state. */
static int net_take(net_t *n, char *why, size_t whylen)
{
    conn_t *k = n->conn;
    if (n->in_off > 0) {
        memmove(n->in, n->in + n->in_off, n->in_len - n->in_off);
        n->in_len -= n->in_off;
        n->in_off = 0;
    }
    SDL_AtomicSet(&k->told, 0);
    SDL_LockMutex(k->lock);
    int state = k->state;
    client_fmt(why, whylen, "%s", k->why);
    if (k->in_len > 0 && n->in_len + k->in_len <= NET_MAX_IN) {
        memcpy(n->in + n->in_len, k->in, k->in_len);
        n->in_len += k->in_len;
        k->in_len = 0;
    }
    bool more = k->in_len > 0;
    SDL_UnlockMutex(k->lock);
    if (more && state == CONN_CLOSED)
        state = CONN_UP; /* the end waits behind the lines still queued */
    return state;
}

static void lose(client_t *c, net_t *n)
{
    char why[sizeof n->lost];
    client_fmt(why, sizeof why, "%s", n->lost);
    n->lost[0] = '\0';
    client_on_lost(c, why); /* closes through net_close */
}

/* Before the link is up: a timeout, a failure, or the connection. Returns true once up. */
static bool net_connecting(client_t *c, net_t *n, int state, const char *why)
{
    if (state == CONN_CONNECTING) {
        if (SDL_GetTicks() - n->started > NET_CONNECT_TIMEOUT_MS) {
            net_close(c);
            client_on_connect_failed(c, "timed out");
        }
        return false;
    }
    if (state == CONN_FAILED) {
        char err[PROTO_TEXT_SIZE];
        client_fmt(err, sizeof err, "%s", why);
        net_close(c);
        client_on_connect_failed(c, err);
        return false;
    }
    n->up = true;
    n->last_recv_ms = c->now_ms;
    client_on_connected(c);
    return n->conn != NULL;
}

void net_poll(client_t *c)
{
    net_t *n = net_of(c);
    if (!n || !n->conn)
        return;
    char why[PROTO_TEXT_SIZE];
    int state = net_take(n, why, sizeof why);
    if (!n->up && !net_connecting(c, n, state, why))
        return;
    int received = SDL_AtomicGet(&n->conn->received);
    if (received != n->received) {
        n->received = received;
        n->last_recv_ms = c->now_ms;
    }
    if (state == CONN_CLOSED && !n->eof[0])
        client_fmt(n->eof, sizeof n->eof, "%s", why);
    dispatch(c, n);
    if (!n->conn || !n->up)
        return; /* closed on purpose by a scene (Leave) or lost, maybe connecting anew */
    if (!n->lost[0] && c->session.username[0] && c->now_ms - n->last_recv_ms > NET_SILENT_MS)
        client_fmt(n->lost, sizeof n->lost, "the server went silent for %d s",
                   NET_SILENT_MS / 1000);
    if (!n->lost[0] && n->eof[0] && n->in_off >= n->in_len)
        client_fmt(n->lost, sizeof n->lost, "%s", n->eof); /* after its last words */
    if (n->lost[0])
        lose(c, n);
}

void net_flush(client_t *c)
{
    net_t *n = net_of(c);
    if (!n || !n->conn || !n->up)
        return;
    if (n->lost[0]) {
        lose(c, n);
        return;
    }
    net_hand_over(n);
}

void net_free(client_t *c)
{
    net_t *n = net_of(c);
    if (!n)
        return;
    net_close(c);
    free(n->msg);
    free(n->out);
    free(n->in);
    free(n);
    c->net_data = NULL;
}

const client_net_ops_t net_ops = {
    .connect = net_connect,
    .send = net_send,
    .close = net_close,
};
