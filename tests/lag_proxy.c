/* lag_proxy.c -- a TCP proxy on loopback that delays what it forwards as a bad Wi-Fi path would
 * (delay with jitter, losses that TCP turns into a late burst, a stall now and then): the
 * stand-in for tc netem where the kernel has no netem; libc only
 * Usage: lag_proxy PORT_FILE SERVER_PORT DELAY_MS JITTER_MS LOSS_PERMILLE STALL_EVERY_MS STALL_MS
 * Listens on 127.0.0.1 (port written to PORT_FILE) and forwards each connection to
 * 127.0.0.1:SERVER_PORT. Each chunk read is released after DELAY_MS +- JITTER_MS, in order (a
 * TCP stream does not reorder); with LOSS_PERMILLE per thousand a chunk is "lost" and comes
 * LAG_RTO_MS + DELAY_MS later with everything behind it; every STALL_EVERY_MS both directions
 * stop for STALL_MS. Both directions get the same treatment. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LAG_MAX_PAIRS  8
#define LAG_MAX_CHUNKS 4096 /* chunks in flight per direction */
#define LAG_CHUNK      4096
#define LAG_RTO_MS     200 /* Linux's smallest retransmission time-out */

typedef struct chunk {
    int64_t release_ms;
    size_t len;
    char data[LAG_CHUNK];
} chunk_t;

typedef struct lane {
    int from, to;
    chunk_t *q; /* a ring of LAG_MAX_CHUNKS */
    int head, count;
    int64_t last_release;
} lane_t;

typedef struct pair {
    lane_t up, down;
    bool used;
} pair_t;

static int delay_ms, jitter_ms, loss_permille, stall_every_ms, stall_ms;
static int64_t start_ms;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* When a chunk read now comes out. */
static int64_t lag_release(lane_t *l, int64_t now)
{
    int64_t r = now + delay_ms + (jitter_ms ? rand() % (2 * jitter_ms + 1) - jitter_ms : 0);
    if (loss_permille && rand() % 1000 < loss_permille)
        r = now + LAG_RTO_MS + 2 * delay_ms; /* resent after the time-out, a round trip later */
    if (stall_every_ms > 0) {
        int64_t t = now - start_ms, phase = t % stall_every_ms;
        if (t >= stall_every_ms && phase < stall_ms)
            r += stall_ms - phase; /* held until the stall ends */
    }
    if (r < l->last_release)
        r = l->last_release; /* in order */
    l->last_release = r;
    return r;
}

static int lag_read(lane_t *l, int64_t now)
{
    while (l->count < LAG_MAX_CHUNKS) {
        chunk_t *c = &l->q[(l->head + l->count) % LAG_MAX_CHUNKS];
        ssize_t n = recv(l->from, c->data, sizeof c->data, MSG_DONTWAIT);
        if (n == 0)
            return -1;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        c->len = (size_t)n;
        c->release_ms = lag_release(l, now);
        l->count++;
    }
    return 0;
}

static int lag_write(lane_t *l, int64_t now)
{
    while (l->count > 0 && l->q[l->head].release_ms <= now) {
        chunk_t *c = &l->q[l->head];
        if (send(l->to, c->data, c->len, MSG_NOSIGNAL) != (ssize_t)c->len)
            return -1; /* loopback peers read: a short write means they are gone */
        l->head = (l->head + 1) % LAG_MAX_CHUNKS;
        l->count--;
    }
    return 0;
}

static void pair_close(pair_t *p)
{
    close(p->up.from);
    close(p->down.from);
    free(p->up.q);
    free(p->down.q);
    memset(p, 0, sizeof *p);
}

static int lag_listen(const char *port_file)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0)
        return -1;
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    FILE *f = fopen(port_file, "w");
    if (!f)
        return -1;
    fprintf(f, "%d\n", ntohs(a.sin_port));
    fclose(f);
    return fd;
}

static void lag_accept(int lfd, int server_port, pair_t *pairs)
{
    int c = accept(lfd, NULL, NULL);
    if (c < 0)
        return;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)server_port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1;
    pair_t *p = NULL;
    for (int i = 0; i < LAG_MAX_PAIRS && !p; i++)
        if (!pairs[i].used)
            p = &pairs[i];
    if (!p || s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        close(c);
        if (s >= 0)
            close(s);
        return;
    }
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    p->used = true;
    p->up = (lane_t){.from = c, .to = s, .q = calloc(LAG_MAX_CHUNKS, sizeof(chunk_t))};
    p->down = (lane_t){.from = s, .to = c, .q = calloc(LAG_MAX_CHUNKS, sizeof(chunk_t))};
    if (!p->up.q || !p->down.q)
        pair_close(p);
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: lag_proxy PORT_FILE SERVER_PORT DELAY_MS JITTER_MS "
                        "LOSS_PERMILLE STALL_EVERY_MS STALL_MS\n");
        return 2;
    }
    int server_port = atoi(argv[2]);
    delay_ms = atoi(argv[3]);
    jitter_ms = atoi(argv[4]);
    loss_permille = atoi(argv[5]);
    stall_every_ms = atoi(argv[6]);
    stall_ms = atoi(argv[7]);
    srand(43);
    start_ms = now_ms();
    int lfd = lag_listen(argv[1]);
    if (lfd < 0) {
        perror("lag_proxy");
        return 1;
    }
    static pair_t pairs[LAG_MAX_PAIRS];
    for (;;) {
        struct pollfd pf[1 + 2 * LAG_MAX_PAIRS];
        int n = 0;
        pf[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (int i = 0; i < LAG_MAX_PAIRS; i++) {
            if (!pairs[i].used)
                continue;
            pf[n++] = (struct pollfd){.fd = pairs[i].up.from, .events = POLLIN};
            pf[n++] = (struct pollfd){.fd = pairs[i].down.from, .events = POLLIN};
        }
        poll(pf, (nfds_t)n, 1); /* a millisecond's resolution for the release times */
        if (pf[0].revents & POLLIN)
            lag_accept(lfd, server_port, pairs);
        int64_t now = now_ms();
        for (int i = 0; i < LAG_MAX_PAIRS; i++) {
            pair_t *p = &pairs[i];
            if (!p->used)
                continue;
            if (lag_read(&p->up, now) < 0 || lag_read(&p->down, now) < 0 ||
                lag_write(&p->up, now) < 0 || lag_write(&p->down, now) < 0)
                pair_close(p);
        }
    }
}
