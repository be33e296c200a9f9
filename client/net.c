/* net.c -- the client's TCP connection on POSIX sockets: threaded connect, then non-blocking reads
 * and writes (an output queue with a cap), linebuf framing, proto; SDL for threads and the log */
#include "net.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linebuf.h"

/* A connect attempt runs in its own thread (name resolution and TCP connect both block). It is
 * shared by that thread and the main thread; whoever lets go last frees it, so abandoning an
 * attempt (Back, a new connect) never waits for it. */
typedef struct connect_job {
    SDL_atomic_t refs;
    SDL_atomic_t done; /* 1 once the thread has finished */
    char host[256];
    int port;
    int fd; /* the connected socket, or -1 (why in err) */
    char err[256];
} connect_job_t;

typedef struct net {
    connect_job_t *job; /* the attempt in progress, or NULL */
    uint32_t job_started;
    int fd; /* the connection, non-blocking; -1 when there is none */
    linebuf_t lb;
    char *out;
    size_t out_len;
    msg_t *msg;                      /* decoded message: large, so one on the heap */
    char lost[PROTO_TEXT_SIZE + 64]; /* set while reading when the connection must go */
    /* Lines received but not handled yet, each ending in '\0': a message that opens a scene
     * waits here until the current scene has been drawn (client_message_waits). */
    char *in;
    size_t in_len, in_off;
    /* The server closed (or reading failed): lost once the lines before it are handled. */
    char eof[PROTO_TEXT_SIZE];
    int bad_in_row;        /* undecodable lines since the last good one (NET_MAX_BAD_LINES) */
    uint32_t last_recv_ms; /* c->now_ms when bytes last arrived (or the link came up) */
} net_t;

static void job_release(connect_job_t *j)
{
    if (SDL_AtomicAdd(&j->refs, -1) == 1) {
        if (j->fd >= 0)
            close(j->fd);
        free(j);
    }
}

static int connect_thread(void *arg)
{
    connect_job_t *j = arg;
    /* Name resolution and connect block, here in the thread; the socket turns non-blocking
     * once it is handed to the frame loop (finish_job). */
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    char port[16];
    snprintf(port, sizeof port, "%d", j->port);
    if (getaddrinfo(j->host, port, &hints, &res) != 0 || !res) {
        client_fmt(j->err, sizeof j->err, "cannot find host \"%s\"", j->host);
    } else {
        int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            client_fmt(j->err, sizeof j->err, "cannot open a socket: %s", strerror(errno));
        } else if (connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
            client_fmt(j->err, sizeof j->err, "%s", "the server did not answer (is it running?)");
            close(fd);
        } else {
            j->fd = fd;
        }
        freeaddrinfo(res);
    }
    /* SDL_AtomicSet is only an acquire barrier: publish fd and err before done. */
    SDL_MemoryBarrierRelease();
    SDL_AtomicSet(&j->done, 1);
    job_release(j);
    return 0;
}

static net_t *net_of(client_t *c)
{
    return c->net_data;
}

int net_init(client_t *c)
{
    net_t *n = calloc(1, sizeof *n);
    if (!n)
        return -1;
    n->fd = -1;
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
    linebuf_init(&n->lb, PROTO_MAX_LINE);
    c->net_data = n;
    return 0;
}

static void net_close(client_t *c)
{
    net_t *n = net_of(c);
    if (!n)
        return;
    if (n->job) {
        job_release(n->job); /* the thread cleans up when it finishes */
        n->job = NULL;
    }
    if (n->fd >= 0) {
        /* What scenes queued last ("quit" on Leave) still goes out if the socket takes it now:
         * a few small lines; leaving never waits for a server that does not read. */
        if (n->out_len > 0 && !n->lost[0])
            (void)send(n->fd, n->out, n->out_len, MSG_DONTWAIT | MSG_NOSIGNAL);
        close(n->fd);
        n->fd = -1;
    }
    linebuf_free(&n->lb);
    linebuf_init(&n->lb, PROTO_MAX_LINE);
    n->out_len = 0;
    n->in_len = n->in_off = 0;
    n->eof[0] = '\0';
    n->bad_in_row = 0;
}

static void net_connect(client_t *c, const char *host, int port)
{
    net_t *n = net_of(c);
    if (!n)
        return;
    net_close(c);
    n->lost[0] = '\0';
    connect_job_t *j = calloc(1, sizeof *j);
    if (!j) {
        client_on_connect_failed(c, "out of memory");
        return;
    }
    client_fmt(j->host, sizeof j->host, "%s", host);
    j->port = port;
    j->fd = -1;
    SDL_AtomicSet(&j->refs, 2);
    SDL_Thread *t = SDL_CreateThread(connect_thread, "nine43-connect", j);
    if (!t) {
        free(j);
        client_on_connect_failed(c, SDL_GetError());
        return;
    }
    SDL_DetachThread(t);
    n->job = j;
    n->job_started = SDL_GetTicks();
}

static void net_send(client_t *c, const msg_t *m)
{
    net_t *n = net_of(c);
    if (!n || n->fd < 0 || n->lost[0])
        return;
    char line[PROTO_MAX_LINE];
    int len = proto_encode(m, line, sizeof line);
    if (len < 0) {
        SDL_Log("nine43: cannot encode a \"%s\" message", proto_type_name(m->type));
        return;
    }
    if (n->out_len + (size_t)len > NET_MAX_OUT) {
        client_fmt(n->lost, sizeof n->lost, "the server stopped reading (send queue full)");
        return;
    }
    memcpy(n->out + n->out_len, line, (size_t)len);
    n->out_len += (size_t)len;
}

/* Keeps a complete line for dispatch. */
static int on_line(void *ud, char *line, size_t len)
{
    client_t *c = ud;
    net_t *n = net_of(c);
    if (n->in_len + len + 1 > NET_MAX_IN) {
        client_fmt(n->lost, sizeof n->lost, "the server sent more than the game can keep up with");
        return 1;
    }
    memcpy(n->in + n->in_len, line, len);
    n->in[n->in_len + len] = '\0';
    n->in_len += len + 1;
    return 0;
}

/* Hands the kept lines to the runner in order, stopping at one that must wait a frame. */
static void dispatch(client_t *c, net_t *n)
{
    char err[256];
    while (n->in_off < n->in_len && n->fd >= 0 && !n->lost[0]) {
        const char *line = n->in + n->in_off;
        size_t len = strlen(line);
        if (proto_decode(line, len, PROTO_TO_CLIENT, n->msg, err, sizeof err) != PROTO_OK) {
            /* docs/PROTOCOL.md: a client logs such a line and goes on. */
            SDL_Log("nine43: skipped a line from the server: %s", err);
            n->in_off += len + 1;
            if (++n->bad_in_row >= NET_MAX_BAD_LINES) {
                client_fmt(n->lost, sizeof n->lost,
                           "the server sent %d messages in a row this game cannot read (%s)",
                           n->bad_in_row, err);
                break;
            }
            continue;
        }
        n->bad_in_row = 0;
        if (client_message_waits(c, n->msg))
            break;
        n->in_off += len + 1;
        client_on_message(c, n->msg); /* may close the connection (Leave) and empty the queue */
    }
    if (n->in_off >= n->in_len) {
        n->in_off = n->in_len = 0;
    } else if (n->in_off > NET_MAX_IN / 2) {
        memmove(n->in, n->in + n->in_off, n->in_len - n->in_off);
        n->in_len -= n->in_off;
        n->in_off = 0;
    }
}

static void finish_job(client_t *c, net_t *n)
{
    connect_job_t *j = n->job;
    if (!SDL_AtomicGet(&j->done)) {
        if (SDL_GetTicks() - n->job_started > NET_CONNECT_TIMEOUT_MS) {
            job_release(j);
            n->job = NULL;
            client_on_connect_failed(c, "timed out");
        }
        return;
    }
    SDL_MemoryBarrierAcquire(); /* pairs with the thread's release: fd and err are written */
    n->job = NULL;
    int fd = j->fd;
    char err[256];
    client_fmt(err, sizeof err, "%s", j->err);
    j->fd = -1; /* now ours */
    job_release(j);
    if (fd < 0) {
        client_on_connect_failed(c, err);
        return;
    }
    /* From here on the frame loop never waits on the socket. Small lines (inputs) go at once
     * rather than after Nagle's wait for an acknowledgement. */
    int one = 1;
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
        client_fmt(err, sizeof err, "cannot set up the connection: %s", strerror(errno));
        close(fd);
        client_on_connect_failed(c, err);
        return;
    }
    n->fd = fd;
    n->last_recv_ms = c->now_ms;
    client_on_connected(c);
}

static void lose(client_t *c, net_t *n)
{
    char why[sizeof n->lost];
    client_fmt(why, sizeof why, "%s", n->lost);
    n->lost[0] = '\0';
    client_on_lost(c, why); /* closes through net_close */
}

void net_poll(client_t *c)
{
    net_t *n = net_of(c);
    if (!n)
        return;
    if (n->job)
        finish_job(c, n);
    char buf[NET_READ_CHUNK];
    /* Read while there is room to keep what arrives; the kernel holds the rest. */
    for (int i = 0; i < NET_MAX_READS_PER_FRAME && n->fd >= 0 && !n->lost[0] && !n->eof[0] &&
                    n->in_len + PROTO_MAX_LINE + NET_READ_CHUNK <= NET_MAX_IN;
         i++) {
        ssize_t got = recv(n->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (got == 0) {
            client_fmt(n->eof, sizeof n->eof, "the server closed the connection");
            break;
        }
        if (got < 0) {
            client_fmt(n->eof, sizeof n->eof, "the connection was lost (%s)", strerror(errno));
            break;
        }
        n->last_recv_ms = c->now_ms;
        int rc = linebuf_feed(&n->lb, buf, (size_t)got, on_line, c);
        if (rc == LINEBUF_TOO_LONG)
            client_fmt(n->lost, sizeof n->lost, "the server sent a line longer than %d bytes",
                       PROTO_MAX_LINE);
        else if (rc == LINEBUF_NOMEM)
            client_fmt(n->lost, sizeof n->lost, "out of memory");
    }
    dispatch(c, n);
    if (n->fd < 0)
        return;
    if (!n->lost[0] && c->session.username[0] && c->now_ms - n->last_recv_ms > NET_SILENT_MS)
        client_fmt(n->lost, sizeof n->lost, "the server went silent for %d s",
                   NET_SILENT_MS /
                       1000); /* closed on purpose by a scene (Leave), or lost already */
    if (!n->lost[0] && n->eof[0] && n->in_off >= n->in_len)
        client_fmt(n->lost, sizeof n->lost, "%s", n->eof); /* after its last words */
    if (n->lost[0])
        lose(c, n);
}

void net_flush(client_t *c)
{
    net_t *n = net_of(c);
    if (!n || n->fd < 0)
        return;
    if (n->lost[0]) {
        lose(c, n);
        return;
    }
    /* Whatever the socket takes now; the rest waits in the queue for the next frame (net_send
     * gives up on a server that lets NET_MAX_OUT bytes pile up). */
    size_t off = 0;
    while (off < n->out_len) {
        ssize_t sent = send(n->fd, n->out + off, n->out_len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent > 0) {
            off += (size_t)sent;
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            client_fmt(n->lost, sizeof n->lost, "cannot send to the server (%s)",
                       sent < 0 ? strerror(errno) : "nothing sent");
            lose(c, n);
            return;
        }
    }
    if (off > 0) {
        memmove(n->out, n->out + off, n->out_len - off);
        n->out_len -= off;
    }
}

void net_free(client_t *c)
{
    net_t *n = net_of(c);
    if (!n)
        return;
    net_close(c);
    linebuf_free(&n->lb);
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
