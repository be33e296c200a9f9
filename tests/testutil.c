/* testutil.c -- integration-test helpers: start real binaries (common/proc), wait, scripted line
 * clients; depends on common/ (proto, linebuf, proc) */
#include "testutil.h"

#include "sys_os.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    return (long long)(sys_clock_ns() / SYS_NS_PER_MS);
}

const char *tu_build_dir(void)
{
    const char *d = getenv("NINE43_BUILD");
    return d && *d ? d : ".";
}

const char *tu_source_dir(void)
{
    const char *d = getenv("NINE43_SOURCE");
    return d && *d ? d : "..";
}

/* Where tests' children live and die: a folder under /tmp, killed with the test. */
static const proc_opts_t TU_PROC = {.tmp_parent = "/tmp",
                                    .dir_prefix = "nine43-test",
                                    .log_name = "log.txt",
                                    .parent_death_signal = SIGKILL};

int tu_spawn(tu_proc_t *p, const char *exe, const char *const *args)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/%s", tu_build_dir(), exe);
    if (proc_start(p, &TU_PROC, path, args, err, sizeof err) < 0) {
        fprintf(stderr, "testutil: %s\n", err);
        return -1;
    }
    return 0;
}

int tu_server_start(tu_proc_t *p, const char *const *extra_args)
{
    return tu_server_start_under(p, NULL, extra_args, TU_START_TIMEOUT_MS);
}

static int tu_server_start_opts(tu_proc_t *p, const char *const *wrapper, const char *const *env,
                                const char *const *extra_args, int timeout_ms)
{
    const char *args[PROC_MAX_ARGS + 1];
    int n = 0;
    args[n++] = "--bind";
    args[n++] = "127.0.0.1";
    args[n++] = "--port";
    args[n++] = "0";
    /* Only the test's own port answers discovery, not the machine's shared 9999; a test of the
     * shared port names its own with --discovery-port after these. */
    args[n++] = "--discovery-port";
    args[n++] = "0";
    /* No 3-2-1 unless a test asks for one (a later --countdown wins): the tests stay quick and
     * their scripted inputs count from the first state. */
    args[n++] = "--countdown";
    args[n++] = "0";
    for (int i = 0; extra_args && extra_args[i] && n < PROC_MAX_ARGS; i++)
        args[n++] = extra_args[i];
    args[n] = NULL;
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/nine43-server", tu_build_dir());
    proc_opts_t opts = TU_PROC;
    opts.wrapper = wrapper;
    opts.env = env;
    if (proc_server_start(p, &opts, path, args, err, sizeof err) < 0 ||
        proc_server_wait(p, timeout_ms, err, sizeof err) < 0) {
        fprintf(stderr, "testutil: %s\n", err);
        tu_print_log(p);
        return -1;
    }
    return 0;
}

int tu_server_start_under(tu_proc_t *p, const char *const *wrapper, const char *const *extra_args,
                          int timeout_ms)
{
    return tu_server_start_opts(p, wrapper, NULL, extra_args, timeout_ms);
}

int tu_server_start_env(tu_proc_t *p, const char *const *env, const char *const *extra_args)
{
    return tu_server_start_opts(p, NULL, env, extra_args, TU_START_TIMEOUT_MS);
}

int tu_wait(tu_proc_t *p, int timeout_ms)
{
    return proc_wait(p, timeout_ms);
}

void tu_signal(tu_proc_t *p, int sig)
{
    proc_signal(p, sig);
}

int tu_stop(tu_proc_t *p)
{
    return proc_stop(p, TU_STOP_GRACE_MS);
}

void tu_proc_cleanup(tu_proc_t *p)
{
    if (p->pid > 0) {
        proc_signal(p, SIGKILL);
        proc_wait(p, 5000);
    }
    proc_remove_dir(p);
}

void tu_print_log(const tu_proc_t *p)
{
    FILE *f = fopen(p->log, "r");
    if (!f)
        return;
    fprintf(stderr, "---- %s ----\n", p->log);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stderr);
    fprintf(stderr, "---- end of log ----\n");
    fclose(f);
}

bool tu_log_contains(const tu_proc_t *p, const char *needle)
{
    FILE *f = fopen(p->log, "r");
    if (!f)
        return false;
    bool found = false;
    char line[8192];
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

/* ---- scripted line client ---- */

int tu_client_connect(tu_client_t *c, int port)
{
    return tu_client_connect_from(c, port, NULL);
}

int tu_client_connect_from(tu_client_t *c, int port, const char *source)
{
    memset(c, 0, sizeof *c);
    linebuf_init(&c->lb, PROTO_MAX_LINE);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0)
        return -1;
    struct timeval tv = {5, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct sockaddr_in from = {0};
    from.sin_family = AF_INET;
    if (source && (inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
                   bind(c->fd, (struct sockaddr *)&from, sizeof from) < 0)) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

int tu_client_send(tu_client_t *c, const char *line)
{
    size_t len = strlen(line);
    char *buf = malloc(len + 1);
    if (!buf)
        return -1;
    memcpy(buf, line, len);
    buf[len] = '\n';
    size_t off = 0;
    while (off < len + 1) {
        ssize_t n = send(c->fd, buf + off, len + 1 - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(buf);
            return -1;
        }
        off += (size_t)n;
    }
    free(buf);
    return 0;
}

int tu_client_send_msg(tu_client_t *c, const msg_t *m)
{
    char buf[PROTO_MAX_LINE];
    int n = proto_encode(m, buf, sizeof buf);
    if (n <= 0)
        return -1;
    buf[n - 1] = '\0'; /* tu_client_send adds the newline */
    return tu_client_send(c, buf);
}

static int queue_line(void *ud, char *line, size_t len)
{
    tu_client_t *c = ud;
    int cap = (int)(sizeof c->queue / sizeof c->queue[0]);
    if (c->qlen == cap) { /* full: drop the oldest, tests read what they wait for */
        free(c->queue[c->qhead]);
        c->qhead = (c->qhead + 1) % cap;
        c->qlen--;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return 1;
    memcpy(copy, line, len + 1);
    c->queue[(c->qhead + c->qlen) % cap] = copy;
    c->qlen++;
    return 0;
}

char *tu_client_recv_line(tu_client_t *c, int timeout_ms)
{
    int cap = (int)(sizeof c->queue / sizeof c->queue[0]);
    long long deadline = now_ms() + timeout_ms;
    while (c->qlen == 0 && !c->closed) {
        long long left = deadline - now_ms();
        if (left < 0)
            return NULL;
        struct pollfd pfd = {c->fd, POLLIN, 0};
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return NULL;
        char buf[65536];
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            c->closed = true;
            break;
        }
        if (linebuf_feed(&c->lb, buf, (size_t)n, queue_line, c) != LINEBUF_OK)
            c->closed = true;
    }
    if (c->qlen == 0)
        return NULL;
    char *line = c->queue[c->qhead];
    c->qhead = (c->qhead + 1) % cap;
    c->qlen--;
    return line;
}

int tu_client_recv(tu_client_t *c, msg_t *m, int timeout_ms)
{
    char *line = tu_client_recv_line(c, timeout_ms);
    if (!line)
        return -1;
    char err[256];
    int rc = proto_decode(line, strlen(line), PROTO_TO_CLIENT, m, err, sizeof err);
    if (rc != PROTO_OK)
        fprintf(stderr, "testutil: cannot decode %s: %s\n", line, err);
    free(line);
    return rc == PROTO_OK ? 0 : -1;
}

int tu_client_expect(tu_client_t *c, msg_type_t type, msg_t *m, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        long long left = deadline - now_ms();
        if (left < 0)
            left = 0;
        if (tu_client_recv(c, m, (int)left) < 0) {
            if (c->closed || now_ms() >= deadline) {
                fprintf(stderr, "testutil: no \"%s\" within %d ms%s\n", proto_type_name(type),
                        timeout_ms, c->closed ? " (connection closed)" : "");
                return -1;
            }
            continue;
        }
        if (m->type == type)
            return 0;
    }
}

bool tu_client_wait_closed(tu_client_t *c, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    while (!c->closed) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return false;
        char *line = tu_client_recv_line(c, (int)left);
        free(line);
    }
    return true;
}

void tu_client_close(tu_client_t *c)
{
    int cap = (int)(sizeof c->queue / sizeof c->queue[0]);
    while (c->qlen > 0) {
        free(c->queue[c->qhead]);
        c->qhead = (c->qhead + 1) % cap;
        c->qlen--;
    }
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    linebuf_free(&c->lb);
}

int tu_client_login(tu_client_t *c, const char *username, int timeout_ms)
{
    static msg_t m; /* msg_t is large; tests are single-threaded */
    if (tu_client_expect(c, MSG_LOGIN_PROMPT, &m, timeout_ms) < 0)
        return -1;
    proto_init(&m, MSG_LOGIN);
    snprintf(m.u.login.username, sizeof m.u.login.username, "%s", username);
    m.u.login.version = PROTO_VERSION;
    if (tu_client_send_msg(c, &m) < 0)
        return -1;
    if (tu_client_expect(c, MSG_LOGIN_UPDATE, &m, timeout_ms) < 0)
        return -1;
    if (!m.u.login_update.accepted) {
        fprintf(stderr, "testutil: %s refused: %s\n", username, m.u.login_update.message);
        return -1;
    }
    return tu_client_expect(c, MSG_LOBBY, &m, timeout_ms);
}
