/* main.c -- nine43-server: the command line, the parts put together (accept hands sockets to
 * login, the safe point, shutdown), signals, descriptor limit, port file, LAN discovery, then the
 * loop; uses server.h, accept.h, player.h, names.h, login.h, lobby.h, sub.h, kick.h and
 * discovery.h, and the seam (sys_os.h) for signals and the descriptor limit */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "config.h"
#include "discovery.h"
#include "evening.h"
#include "guard.h"
#include "kick.h"
#include "lobby.h"
#include "login.h"
#include "names.h"
#include "player.h"
#include "server.h"
#include "sub.h"
#include "sys_os.h"

/* What listens beside the server's parts, set up here so that no part knows of it. */
typedef struct services {
    server_t *server;
    accept_t *accept;       /* NULL once shutting down */
    discovery_t *discovery; /* NULL with --no-discovery or when the UDP port was unavailable */
    discovery_t *shared;    /* on --discovery-port when it is not the game's port, or NULL */
    int64_t empty_since;    /* --exit-when-empty: when the last connection went (0 = someone) */
    int signal_fd;          /* readable when SIGINT or SIGTERM came (-1 = none yet) */
} services_t;

static void stop_discovery(services_t *sv)
{
    discovery_t **all[] = {&sv->discovery, &sv->shared};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (!*all[i])
            continue;
        loop_del_file(sv->server->loop, discovery_fd(*all[i]), LOOP_READABLE);
        discovery_close(*all[i]);
        *all[i] = NULL;
    }
}

/* The first SIGINT/SIGTERM: stop accepting, close login and lobby, let rounds finish. */
static void shutdown_server(services_t *sv)
{
    server_t *s = sv->server;
    if (s->shutting_down)
        return;
    s->shutting_down = true;
    int groups = sub_count(s);
    log_msg(&s->log, LOG_INFO, "server",
            "shutting down: no new connections; running rounds finish (%d group%s)", groups,
            groups == 1 ? "" : "s");
    accept_close(sv->accept);
    sv->accept = NULL;
    player_shutdown(s, "server shutting down");
    sub_shutdown(s);
}

static void on_signal_pipe(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    (void)mask;
    services_t *sv = ud;
    sys_signal_drain(fd);
    stop_discovery(sv); /* a server that takes no one new no longer announces itself */
    shutdown_server(sv);
}

/* The host's "stop" (login.c checked the secret): the same gentle end as SIGTERM. */
static void on_stop_message(server_t *s, void *ud)
{
    (void)s;
    services_t *sv = ud;
    stop_discovery(sv);
    shutdown_server(sv);
}

/* --exit-when-empty: a server its host left running for the others ends once they have all
 * gone, the way a signal ends it. */
static int64_t on_empty_check(loop_t *l, long long id, void *ud)
{
    (void)l;
    (void)id;
    services_t *sv = ud;
    server_t *s = sv->server;
    int64_t now = loop_now();
    if (s->shutting_down)
        return LOOP_NOMORE;
    if (player_count(s) > 0 || sub_count(s) > 0) {
        sv->empty_since = 0;
    } else if (sv->empty_since == 0) {
        sv->empty_since = now;
    } else if (now - sv->empty_since >= (int64_t)s->cfg.exit_when_empty * LOOP_NS_PER_SEC) {
        log_msg(&s->log, LOG_INFO, "server", "nobody connected for %d s", s->cfg.exit_when_empty);
        stop_discovery(sv);
        shutdown_server(sv); /* the safe point then sees nothing left and exits */
        return LOOP_NOMORE;
    }
    return now + SERVER_EMPTY_CHECK_MS * LOOP_NS_PER_MS;
}

/* accept.c's callback: a new socket becomes a player in the login stage. */
static void on_socket(void *ud, int fd, const char *peer)
{
    server_t *s = ud;
    player_t *p = player_add(s, fd, peer);
    if (!p)
        return;
    login_enter(s, p);
    player_flush(s, p); /* the greeting: no buffer kept per accepted connection */
}

/* The safe point: no handler is running, so connections and groups can be freed. */
static void before_sleep(loop_t *l, void *ud)
{
    server_t *s = ud;
    player_reap(s);
    sub_reap(s);
    if (s->shutting_down && player_count(s) == 0 && sub_count(s) == 0) {
        log_msg(&s->log, LOG_INFO, "server", "every round is over: exiting");
        loop_stop(l);
    }
}

/* Each part's own state, made by the file that owns it. A group's players go back to the lobby,
 * which hears when the groups change, and the groups hear who leaves the server: wired here, so
 * that sub.c knows no lobby and player.c no stage. */
static int create_parts(server_t *s)
{
    const sub_hooks_t to_lobby = {.back = lobby_enter, .changed = lobby_view_changed};
    s->names = names_create();
    if (!s->names || player_create_all(s) < 0 || lobby_create(s) < 0 ||
        sub_create_all(s, &to_lobby) < 0 || evening_create(s) < 0 || kick_create(s) < 0 ||
        guard_create(s) < 0) {
        log_msg(&s->log, LOG_ERROR, "server", "out of memory");
        return -1;
    }
    player_on_departure(s, sub_departed); /* the end screens mark who left the server */
    loop_set_before_sleep(s->loop, before_sleep, s);
    return 0;
}

static void free_all(services_t *sv)
{
    server_t *s = sv->server;
    accept_close(sv->accept);
    sv->accept = NULL;
    sub_free_all(s);
    player_free_all(s);
    if (s->lobby)
        lobby_free(s);
    names_destroy(s->names);
    s->names = NULL;
    evening_free(s);
    kick_free(s);
    guard_free(s);
    server_free(s);
}

/* Answers LAN probes with the current counts, on the game's port or the shared one. */
static void on_discovery(loop_t *l, int fd, void *ud, int mask)
{
    (void)l;
    (void)mask;
    services_t *sv = ud;
    discovery_t *d = sv->shared && fd == discovery_fd(sv->shared) ? sv->shared : sv->discovery;
    server_counts_t counts;
    login_get_counts(sv->server, &counts);
    discovery_info_t info = {
        .name = sv->server->cfg.name,
        .players = counts.players,
        .lobby = counts.lobby,
        .group_size = counts.group_size,
        .worlds = sv->server->nworlds,
    };
    discovery_on_readable(d, loop_now() / LOOP_NS_PER_MS, &info);
}

/* The shared discovery port: every server of the machine binds it (SO_REUSEADDR), so that a
 * broadcast probe there finds them all, whatever port each plays on. */
static void start_shared_discovery(services_t *sv)
{
    server_t *s = sv->server;
    int port = s->cfg.discovery_port;
    if (port <= 0 || port == discovery_port(sv->discovery))
        return;
    char err[256];
    sv->shared = discovery_open(s->cfg.bind, port, err, sizeof err);
    if (!sv->shared) {
        log_msg(&s->log, LOG_WARN, "discovery", "%s; answering on port %d only", err,
                discovery_port(sv->discovery));
        return;
    }
    discovery_answer_for(sv->shared, sv->discovery);
    if (loop_add_file(s->loop, discovery_fd(sv->shared), LOOP_READABLE, on_discovery, sv) < 0) {
        log_msg(&s->log, LOG_WARN, "discovery", "out of memory: not answering on UDP port %d",
                port);
        discovery_close(sv->shared);
        sv->shared = NULL;
        return;
    }
    log_msg(&s->log, LOG_INFO, "discovery", "also answering on the shared UDP port %d", port);
}

/* LAN discovery on the game's port number over UDP. Without it the server still runs:
 * players type the address. */
static void start_discovery(services_t *sv)
{
    server_t *s = sv->server;
    if (s->cfg.no_discovery)
        return;
    char err[256];
    sv->discovery = discovery_open(s->cfg.bind, accept_port(sv->accept), err, sizeof err);
    if (!sv->discovery) {
        log_msg(&s->log, LOG_WARN, "discovery", "%s; running without LAN discovery", err);
        return;
    }
    if (loop_add_file(s->loop, discovery_fd(sv->discovery), LOOP_READABLE, on_discovery, sv) < 0) {
        log_msg(&s->log, LOG_WARN, "discovery", "out of memory; running without LAN discovery");
        discovery_close(sv->discovery);
        sv->discovery = NULL;
        return;
    }
    log_msg(&s->log, LOG_INFO, "discovery", "answering LAN discovery on UDP port %d as \"%s\"",
            discovery_port(sv->discovery), s->cfg.name);
    start_shared_discovery(sv);
}

/* SIGINT and SIGTERM wake the loop through a pipe (the seam's): the first shuts down gently, a
 * second ends the process at once. */
static int setup_signals(services_t *sv)
{
    server_t *s = sv->server;
    char err[160];
    sv->signal_fd = sys_signal_pipe(err, sizeof err);
    if (sv->signal_fd < 0) {
        log_msg(&s->log, LOG_ERROR, "server", "%s", err);
        return -1;
    }
    if (loop_add_file(s->loop, sv->signal_fd, LOOP_READABLE, on_signal_pipe, sv) < 0) {
        log_msg(&s->log, LOG_ERROR, "server", "out of memory watching the signal pipe");
        return -1;
    }
    return 0;
}

/* Every connection is a descriptor: take all the kernel allows this process. */
static void raise_fd_limit(server_t *s)
{
    char err[160];
    long limit = sys_raise_fd_limit(-1, err, sizeof err);
    if (err[0])
        log_msg(&s->log, LOG_WARN, "server", "%s", err);
    if (limit >= 0 && limit < (long)s->cfg.max_clients + 32)
        log_msg(&s->log, LOG_WARN, "server",
                "descriptor limit %ld is below --max-clients %d: accepting will pause when it "
                "is reached",
                limit, s->cfg.max_clients);
}

/* Written to FILE.tmp then renamed, so a reader never sees a half-written number. In binary
 * mode, so that the line ends in "\n" on Windows too; and Windows' rename does not replace an
 * old file, so one left from an earlier run is removed first. */
static int write_port_file(server_t *s, int port)
{
    const char *path = s->cfg.port_file;
    char tmp[SERVER_PATH_SIZE + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    bool written = f && fprintf(f, "%d\n", port) >= 0;
    if (f && fclose(f) != 0)
        written = false;
    if (written && rename(tmp, path) != 0 && (remove(path) != 0 || rename(tmp, path) != 0))
        written = false;
    if (!written) {
        log_msg(&s->log, LOG_ERROR, "server", "cannot write the port file %s: %s", path,
                strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    server_config_t cfg;
    config_defaults(&cfg);
    int rc = config_parse(&cfg, argc, argv);
    if (rc == 1)
        return 0;
    if (rc != 0)
        return 2;

    static server_t server; /* the worlds and each part's state live behind pointers: small */
    server_t *s = &server;
    services_t services = {
        .server = s, .accept = NULL, .discovery = NULL, .shared = NULL, .signal_fd = -1};
    if (server_init(s, &cfg) < 0 || create_parts(s) < 0) {
        free_all(&services);
        return 1;
    }
    raise_fd_limit(s);
    s->stop = on_stop_message;
    s->stop_ud = &services;
    if (setup_signals(&services) < 0 || !(services.accept = accept_listen(s, on_socket, s))) {
        free_all(&services);
        return 1;
    }
    int port = accept_port(services.accept);
    /* Extra services register their descriptors with s->loop here, once the TCP port is
     * known, and read what they report through login_get_counts(). */
    start_discovery(&services);
    if (cfg.exit_when_empty > 0 &&
        loop_add_timer(s->loop, loop_now() + SERVER_EMPTY_CHECK_MS * LOOP_NS_PER_MS, on_empty_check,
                       &services) < 0) {
        log_msg(&s->log, LOG_ERROR, "server", "out of memory for --exit-when-empty's timer");
        stop_discovery(&services);
        free_all(&services);
        return 1;
    }

    if (cfg.port_file[0] && write_port_file(s, port) < 0) {
        stop_discovery(&services);
        free_all(&services);
        return 1;
    }
    log_msg(&s->log, LOG_INFO, "server", "\"%s\" ready on port %d: groups of %d, %d world%s",
            s->cfg.name, port, s->cfg.group_size, s->nworlds, s->nworlds == 1 ? "" : "s");
    loop_run(s->loop);
    stop_discovery(&services);
    loop_del_file(s->loop, services.signal_fd, LOOP_READABLE);
    free_all(&services);
    sys_signal_close();
    return 0;
}
