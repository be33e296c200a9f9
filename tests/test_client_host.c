/* test_client_host.c -- host.c and net.c for real: the server as a child, its port, stopping it,
 * and the client's connection (connect, failure, protocol errors, loss) on 127.0.0.1 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_net.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "host.h"
#include "host_talk.h"
#include "net.h"
#include "sys_os.h"
#include "testutil.h"

#define WAIT_MS 10000 /* generous: a slow shared machine */

static char server_path[1024];

static client_t *new_client(void)
{
    client_t *c = calloc(1, sizeof *c);
    assert_non_null(c);
    app_init(c, &net_ops, &host_ops);
    assert_int_equal(net_init(c), 0);
    /* The clock the Host screen times its start with: the test's own, from the first input. */
    c->now_ms = SDL_GetTicks();
    return c;
}

static void free_client(client_t *c)
{
    client_stop_hosting(c, NULL);
    host_free(c);
    net_free(c);
    free(c);
}

/* Frames until cond(c) or timeout. */
static bool pump(client_t *c, bool (*cond)(client_t *), int timeout_ms)
{
    uint32_t start = SDL_GetTicks();
    while (SDL_GetTicks() - start < (uint32_t)timeout_ms) {
        c->now_ms = SDL_GetTicks();
        net_poll(c);
        client_update(c);
        net_flush(c);
        if (cond(c))
            return true;
        SDL_Delay(5);
    }
    return false;
}

static bool at_username(client_t *c)
{
    return c->scene == SCENE_USERNAME;
}

static bool at_lobby(client_t *c)
{
    return c->scene == SCENE_LOBBY && c->session.have_update;
}

static bool at_menu(client_t *c)
{
    return c->scene == SCENE_MENU;
}

static bool connect_failed(client_t *c)
{
    return c->scene == SCENE_CONNECT && c->session.link == SESSION_LINK_FAILED;
}

static bool stop_accepted(client_t *c)
{
    return host_stop_accepted(c);
}

static bool host_settled(client_t *c)
{
    return c->scene != SCENE_HOST || c->host.phase != HOST_STARTING;
}

/* True when something accepts TCP connections on 127.0.0.1:port. */
static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* True while something listens on TCP port: a bind there fails. Unlike a connect, asking does
 * not count as a player, so a server that waits for nobody to be connected still sees nobody. */
static bool port_listened(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bool taken = bind(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno == EADDRINUSE;
    close(fd);
    return taken;
}

static bool wait_port_closed(int port, int timeout_ms)
{
    for (int t = 0; t < timeout_ms; t += 20) {
        if (!port_listened(port))
            return true;
        SDL_Delay(20);
    }
    return false;
}

static int closing_port; /* the port port_closed looks at */

static bool port_closed(client_t *c)
{
    (void)c;
    return !port_listened(closing_port);
}

/* A listening socket on an ephemeral loopback port; returns the fd, the port in *port. */
static int listen_any(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 4), 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    return fd;
}

/* A port that was free a moment ago (the server binds it again at once). */
static int free_port(void)
{
    int port;
    close(listen_any(&port));
    return port;
}

static int setup(void **state)
{
    (void)state;
    snprintf(server_path, sizeof server_path, "%s/nine43-server", tu_build_dir());
    setenv("NINE43_SERVER", server_path, 1);
    return 0;
}

/* True when the file at path contains needle. */
static bool file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (!strstr(buf, needle))
        fprintf(stderr, "%s does not contain %s:\n%s\n", path, needle, buf);
    return strstr(buf, needle) != NULL;
}

/* Host a game for real: the server starts (port 0 = any free port), the client joins it and
 * logs in; Leave stops the server. */
static void test_host_join_leave(void **state)
{
    (void)state;
    client_t *c = new_client();
    snprintf(c->settings.username, sizeof c->settings.username, "host"); /* who logged in last */
    client_goto(c, SCENE_HOST);
    assert_string_equal(c->host.name, "host's game");
    snprintf(c->host.port, sizeof c->host.port, "%d", free_port());
    c->host.focus = HOST_ROW_START;
    input_event_t enter = {.kind = IN_CONFIRM};
    client_input(c, &enter);
    assert_int_equal(c->host.phase, HOST_STARTING);
    assert_true(c->host_ops->running(c));
    assert_true(pump(c, at_username, WAIT_MS));
    /* Listed under the host player's name, not the computer's (host_child_t opens with its
     * proc_t, whose log the server writes). */
    assert_true(file_contains(((const proc_t *)c->host_data)->log, "as \"host's game\""));
    int port = c->session.hosted_port;
    if (port <= 0)
        fprintf(stderr, "hosted %d server %d scene %d hosting %d host error %s\n", port,
                c->session.server_port, c->scene, c->session.hosting, c->host.error);
    assert_true(port > 0);
    assert_string_equal(c->session.server_host, "127.0.0.1");
    assert_int_equal(c->session.server_port, port);
    assert_non_null(strstr(c->session.host_address, ":"));
    snprintf(c->uname.name, sizeof c->uname.name, "host");
    client_input(c, &enter);
    assert_true(pump(c, at_lobby, WAIT_MS));
    assert_string_equal(c->session.username, "host");
    assert_int_equal(c->session.nplayers, 1);
    client_leave_server(c);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_false(c->session.hosting);
    closing_port = port; /* the frames go on while the server stops */
    assert_true(pump(c, port_closed, WAIT_MS));
    free_client(c);
}

/* A port already taken is reported before starting anything. */
static void test_host_port_taken(void **state)
{
    (void)state;
    int port;
    int fd = listen_any(&port);
    client_t *c = new_client();
    char err[256] = "";
    assert_int_equal(c->host_ops->start(c, port, 2, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "already in use"));
    assert_false(c->host_ops->running(c));
    free_client(c);
    close(fd);
}

/* A server that exits at once saying the address is in use: the player is told so. */
static void test_host_child_says_in_use(void **state)
{
    (void)state;
    char dir[] = "/tmp/nine43-fake-server-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char script[128];
    snprintf(script, sizeof script, "%s/nine43-server", dir);
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\necho 'nine43-server: bind: Address already in use' >&2\nexit 1\n", f);
    fclose(f);
    chmod(script, 0700);
    setenv("NINE43_SERVER", script, 1);

    client_t *c = new_client();
    client_goto(c, SCENE_HOST);
    snprintf(c->host.port, sizeof c->host.port, "%d", free_port());
    input_event_t enter = {.kind = IN_CONFIRM};
    client_input(c, &enter);
    bool settled = pump(c, host_settled, WAIT_MS);
    setenv("NINE43_SERVER", server_path, 1);
    remove(script);
    rmdir(dir);
    assert_true(settled);
    assert_int_equal(c->scene, SCENE_HOST);
    assert_int_equal(c->host.phase, HOST_FAILED);
    if (!strstr(c->host.error, "already in use"))
        fail_msg("the error is \"%s\"", c->host.error);
    assert_false(c->session.hosting);
    free_client(c);
}

/* Asking whether the server runs does not swallow its exit: the reason still reaches the
 * player. */
static void test_host_running_keeps_exit(void **state)
{
    (void)state;
    char dir[] = "/tmp/nine43-fake-server-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char script[128];
    snprintf(script, sizeof script, "%s/nine43-server", dir);
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\necho 'nine43-server: bind: Address already in use' >&2\nexit 1\n", f);
    fclose(f);
    chmod(script, 0700);
    setenv("NINE43_SERVER", script, 1);

    client_t *c = new_client();
    char err[256] = "";
    int rc = c->host_ops->start(c, free_port(), 2, 0, err, sizeof err);
    bool running = true;
    for (int waited = 0; rc == 0 && running && waited < WAIT_MS; waited += 20) {
        running = c->host_ops->running(c);
        if (running)
            usleep(20 * 1000);
    }
    int port = 0, polled = rc == 0 ? c->host_ops->poll(c, &port, err, sizeof err) : 0;
    setenv("NINE43_SERVER", server_path, 1);
    remove(script);
    rmdir(dir);
    assert_int_equal(rc, 0);
    assert_false(running);
    assert_int_equal(polled, -1);
    assert_non_null(strstr(err, "already in use"));
    free_client(c);
}

/* A crashed game does not leave a server running for nobody: kill -9 the process that started
 * it, and the server, with nobody connected, ends by itself (--exit-when-empty). */
static void test_host_dies_with_parent(void **state)
{
    (void)state;
    /* The killed child cannot remove its host folder: it makes it in one of ours. */
    char tmp[] = "/tmp/nine43-host-test-XXXXXX";
    assert_non_null(mkdtemp(tmp));
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives the test either */
        close(pfd[0]);
        setenv("TMPDIR", tmp, 1);
        client_t *c = calloc(1, sizeof *c);
        app_init(c, NULL, &host_ops);
        char err[256];
        int port = 0;
        if (host_ops.start(c, free_port(), 2, 0, err, sizeof err) == 0) {
            for (int t = 0; t < WAIT_MS / 10; t++) {
                if (host_ops.poll(c, &port, err, sizeof err) != 0)
                    break;
                usleep(10000);
            }
        }
        if (write(pfd[1], &port, sizeof port) != sizeof port)
            _exit(1);
        sleep(60); /* until killed */
        _exit(0);
    }
    close(pfd[1]);
    int port = 0;
    ssize_t got = read(pfd[0], &port, sizeof port);
    close(pfd[0]);
    bool was_open = got == (ssize_t)sizeof port && port > 0 && port_open(port);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    bool closed = wait_port_closed(port, WAIT_MS);
    char rm[64];
    snprintf(rm, sizeof rm, "rm -rf '%s'", tmp);
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    assert_true(was_open);
    assert_true(closed);
}

/* Nothing listens: a clear failure, and the window would never have blocked. */
/* ---- the host leaves while others play ---- */

static msg_t guest_msg; /* one big message for the guests' lines */

/* A guest: a scripted party client on a real socket. */
static void guest_login(tu_client_t *g, int port, const char *name)
{
    assert_int_equal(tu_client_connect(g, port), 0);
    assert_int_equal(tu_client_expect(g, MSG_LOGIN_PROMPT, &guest_msg, WAIT_MS), 0);
    char line[160];
    snprintf(line, sizeof line,
             "{\"type\":\"log in\",\"username\":\"%s\",\"features\":[\"party\"]}", name);
    assert_int_equal(tu_client_send(g, line), 0);
    assert_int_equal(tu_client_expect(g, MSG_LOBBY, &guest_msg, WAIT_MS), 0);
}

static void guest_expect(tu_client_t *g, msg_type_t type)
{
    if (tu_client_expect(g, type, &guest_msg, WAIT_MS) != 0)
        fail_msg("no \"%s\" for a guest", proto_type_name(type));
}

/* Both guests vote, play the (short) round and see its results. */
static void guests_play_round(tu_client_t *g)
{
    for (int i = 0; i < 2; i++)
        guest_expect(&g[i], MSG_SELECT_WORLD);
    for (int i = 0; i < 2; i++)
        assert_int_equal(tu_client_send(&g[i], "{\"type\":\"vote\",\"index\":0}"), 0);
    for (int i = 0; i < 2; i++)
        guest_expect(&g[i], MSG_FINISH);
}

static bool in_game(client_t *c)
{
    return c->scene == SCENE_GAME && c->game.have_state;
}

static bool at_vote(client_t *c)
{
    return c->scene == SCENE_VOTE;
}

/* The Host screen starts a server on a free port (groups of group_size, rounds of round_seconds;
 * 0 keeps the screen's own) and the game reaches its username screen. Returns the port. */
static int host_start_server(client_t *c, int group_size, int round_seconds)
{
    client_goto(c, SCENE_HOST);
    snprintf(c->host.port, sizeof c->host.port, "%d", free_port());
    if (group_size > 0)
        c->host.group_size = group_size;
    if (round_seconds > 0)
        c->host.round_seconds = round_seconds;
    c->host.focus = HOST_ROW_START;
    input_event_t enter = {.kind = IN_CONFIRM};
    client_input(c, &enter);
    if (!pump(c, at_username, WAIT_MS))
        fail_msg("hosting failed: scene %d, %s", c->scene, c->host.error);
    return c->session.hosted_port;
}

/* The host starts a server for groups of 3 with 2 s rounds, logs in as kim, and two guests
 * join: the three are in a round; guests g[0], g[1]. Returns the port. */
static int host_round_with_guests(client_t *c, tu_client_t *g)
{
    int port = host_start_server(c, 3, 2);
    input_event_t enter = {.kind = IN_CONFIRM};
    snprintf(c->uname.name, sizeof c->uname.name, "kim");
    client_input(c, &enter);
    assert_true(pump(c, at_lobby, WAIT_MS));
    guest_login(&g[0], port, "g1");
    guest_login(&g[1], port, "g2");
    assert_true(pump(c, at_vote, WAIT_MS));
    msg_t vote;
    proto_init(&vote, MSG_VOTE);
    client_send(c, &vote);
    for (int i = 0; i < 2; i++)
        assert_int_equal(tu_client_send(&g[i], "{\"type\":\"vote\",\"index\":0}"), 0);
    assert_true(pump(c, in_game, WAIT_MS));
    return port;
}

/* The host leaves mid-round and keeps the server: the others finish the round and play
 * another; the host rejoins and is the host again. */
static void test_host_leaves_keeps_server(void **state)
{
    (void)state;
    client_t *c = new_client();
    tu_client_t g[2];
    int port = host_round_with_guests(c, g);
    input_event_t esc = {.kind = IN_BACK}, enter = {.kind = IN_CONFIRM};
    client_input(c, &esc); /* one question: the host's, not "Leave this round?" first */
    assert_true(c->host_leave_ask);
    assert_int_equal(client_others_on_server(c), 2);
    assert_int_equal(c->host_leave_focus, CLIENT_LEAVE_KEEP);
    client_input(c, &enter);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_false(c->session.hosting);
    assert_non_null(strstr(c->kept, "Your server runs on for 2 other players")); /* the menu says */
    for (int i = 0; i < 2; i++)
        guest_expect(&g[i], MSG_FINISH);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(tu_client_send(&g[i], "{\"type\":\"continue\"}"), 0);
        guest_expect(&g[i], MSG_LOBBY);
    }
    for (int i = 0; i < 2; i++)
        assert_int_equal(tu_client_send(&g[i], "{\"type\":\"start\"}"), 0);
    guests_play_round(g);
    /* The host comes back (as from the Join list) and is the host again. */
    client_connect(c, "127.0.0.1", port);
    assert_true(pump(c, at_username, WAIT_MS));
    client_input(c, &enter);
    assert_true(pump(c, at_lobby, WAIT_MS));
    assert_true(c->session.party);
    assert_string_equal(c->session.host_name, "kim");
    client_leave_now(c, CLIENT_SERVER_STOP); /* stops it: not hosting, so only leaves */
    for (int i = 0; i < 2; i++)
        tu_client_close(&g[i]);
    assert_true(wait_port_closed(port, WAIT_MS)); /* empty: it ends by itself */
    free_client(c);
}

/* The host stops the server mid-round: the host's window goes to the menu at once; the others
 * see the banner, their results, and the reason. */
static void test_host_stops_server(void **state)
{
    (void)state;
    client_t *c = new_client();
    tu_client_t g[2];
    int port = host_round_with_guests(c, g);
    input_event_t esc = {.kind = IN_BACK}, enter = {.kind = IN_CONFIRM}, down = {.kind = IN_DOWN};
    client_input(c, &esc);
    assert_true(c->host_leave_ask);
    client_input(c, &down);
    client_input(c, &enter); /* Stop the server */
    assert_int_equal(c->scene, SCENE_MENU);
    /* By the message, which Windows has too; its answer is read in the frames that follow. */
    assert_true(pump(c, stop_accepted, WAIT_MS));
    for (int i = 0; i < 2; i++) {
        guest_expect(&g[i], MSG_CLOSING);
        guest_expect(&g[i], MSG_FINISH);
        guest_expect(&g[i], MSG_BYE);
        assert_string_equal(guest_msg.u.bye.message, "The host closed the server");
        assert_true(tu_client_wait_closed(&g[i], WAIT_MS));
        tu_client_close(&g[i]);
    }
    assert_true(wait_port_closed(port, WAIT_MS));
    free_client(c);
}

static bool at_end(client_t *c)
{
    return c->scene == SCENE_END && c->end.have_results;
}

static int others_wanted; /* what others_is waits for */

static bool others_is(client_t *c)
{
    return client_others_on_server(c) == others_wanted;
}

/* On the end screen the host learns who of its round left the server: one back in the lobby is
 * still on it and the host is asked; once both have gone, nobody is asked and quitting stops the
 * server (as main_stop leaves) rather than leave it to end by itself once empty. */
static void test_host_alone_on_the_end_screen_stops(void **state)
{
    (void)state;
    client_t *c = new_client();
    tu_client_t g[2];
    int port = host_round_with_guests(c, g);
    assert_true(pump(c, at_end, WAIT_MS));
    for (int i = 0; i < 2; i++)
        guest_expect(&g[i], MSG_FINISH);
    assert_int_equal(tu_client_send(&g[0], "{\"type\":\"continue\"}"), 0);
    guest_expect(&g[0], MSG_LOBBY);
    tu_client_close(&g[1]);
    others_wanted = 1; /* g1, in the lobby */
    assert_true(pump(c, others_is, WAIT_MS));
    assert_int_equal(c->scene, SCENE_END);
    for (int i = 0; i < c->end.fin.nresults; i++) /* g2's row greyed, wherever it ranks */
        assert_int_equal(c->end.left[i], strcmp(c->end.fin.results[i].username, "g2") == 0);
    assert_true(client_leave_asks_host(c));
    tu_client_close(&g[0]);
    others_wanted = 0;
    assert_true(pump(c, others_is, WAIT_MS));
    assert_int_equal(c->scene, SCENE_END);
    client_request_quit(c);
    assert_false(c->host_leave_ask);
    assert_true(c->quit);
    client_leave_now(c, c->session.hosting && client_others_on_server(c) > 0
                            ? CLIENT_SERVER_KEEP
                            : CLIENT_SERVER_STOP_IF_ALONE);
    assert_true(pump(c, stop_accepted, WAIT_MS));
    assert_true(wait_port_closed(port, WAIT_MS));
    free_client(c);
}

static bool stop_kept(client_t *c)
{
    return host_stop_kept(c);
}

/* A mate logs in the instant the host leaves, before the host's lobby shows it: the host counts
 * nobody and is not asked, but the server, which knows, keeps running for the mate (the stop
 * goes "if_alone"); the mate is not cut off, and the server ends by itself once it has gone. */
static void test_host_leaving_as_a_mate_arrives_keeps_the_server(void **state)
{
    (void)state;
    client_t *c = new_client();
    int port = host_start_server(c, 0, 0);
    input_event_t enter = {.kind = IN_CONFIRM};
    snprintf(c->uname.name, sizeof c->uname.name, "kim");
    client_input(c, &enter);
    assert_true(pump(c, at_lobby, WAIT_MS));
    tu_client_t g;
    guest_login(&g, port, "g1"); /* the host's frames do not run: its lobby has not seen g1 */
    assert_int_equal(client_others_on_server(c), 0);
    assert_false(client_leave_asks_host(c));
    client_leave_server(c);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_true(pump(c, stop_kept, WAIT_MS));
    assert_false(host_stop_accepted(c));
    assert_string_equal(c->kept, "Your server runs on for 1 other player."); /* the menu says */
    assert_int_equal(tu_client_expect(&g, MSG_BYE, &guest_msg, 500), -1);    /* not cut off */
    assert_false(wait_port_closed(port, 200));
    assert_int_equal(tu_client_send(&g, "{\"type\":\"quit\"}"), 0);
    assert_true(tu_client_wait_closed(&g, WAIT_MS));
    tu_client_close(&g);
    assert_true(wait_port_closed(port, HOST_EMPTY_EXIT_S * 1000 + WAIT_MS));
    free_client(c);
}

/* ---- stopping a server that does not answer ---- */

#define STOP_FRAME_BUDGET_MS 50 /* the worst frame allowed while stopping (60 Hz is 16.7) */

/* True while pid exists (a zombie too: the host has not reaped it yet). */
static bool pid_exists(pid_t pid)
{
    return kill(pid, 0) == 0 || errno != ESRCH;
}

/* The hosted server hangs (SIGSTOP: it accepts connections in the kernel, answers nothing) and
 * the host stops it: no frame waits for its answer, the menu shows at once, and the server,
 * which never accepted, is ended after HOST_STOP_ANSWER_MS + HOST_STOP_GRACE_MS, not before. */
static void test_host_stop_of_a_hung_server_costs_no_frame(void **state)
{
    (void)state;
    client_t *c = new_client();
    host_start_server(c, 0, 0);
    pid_t pid = ((const proc_t *)c->host_data)->pid;
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGSTOP), 0);

    uint32_t start = SDL_GetTicks();
    client_leave_server(c); /* nobody else on it: Leave stops it */
    uint32_t worst = SDL_GetTicks() - start, alive_at = 0;
    assert_int_equal(c->scene, SCENE_MENU);
    int frames = 0;
    while (pid_exists(pid) && SDL_GetTicks() - start < WAIT_MS) {
        uint32_t t = SDL_GetTicks();
        c->now_ms = t;
        net_poll(c);
        client_update(c);
        net_flush(c);
        uint32_t ms = SDL_GetTicks() - t;
        worst = ms > worst ? ms : worst;
        frames++;
        if (pid_exists(pid))
            alive_at = SDL_GetTicks() - start;
        if (ms < 16)
            SDL_Delay(16 - ms);
    }
    uint32_t ended = SDL_GetTicks() - start;
    print_message("hung server: %d frames, worst frame %u ms, ended after %u ms\n", frames, worst,
                  ended);
    if (pid_exists(pid))
        kill(pid, SIGKILL);
    assert_false(pid_exists(pid));
    assert_true(worst <= STOP_FRAME_BUDGET_MS);
    assert_false(host_stop_accepted(c));
    assert_true(alive_at >= HOST_STOP_ANSWER_MS + HOST_STOP_GRACE_MS - 100); /* its grace kept */
    free_client(c);
}

/* Steps t until it ends or timeout_ms: how it ended (HOST_TALK_PENDING when it did not). */
static host_talk_state_t talk_until_over(host_talk_t *t, int timeout_ms)
{
    host_talk_state_t s = HOST_TALK_PENDING;
    for (int waited = 0; s == HOST_TALK_PENDING && waited < timeout_ms; waited += 5) {
        s = host_talk_step(t, sys_clock_ns());
        if (s == HOST_TALK_PENDING)
            SDL_Delay(5);
    }
    return s;
}

/* A stand-in server on a loopback port: takes the talk's connection and reads its stop line
 * (with "if_alone" when if_alone is not NULL), then answers (or not) as told. Returns how the
 * talk ended. */
static host_talk_state_t talk_as(host_talk_t *t, const char *if_alone, const char *answer,
                                 bool close_after)
{
    int port;
    int lfd = listen_any(&port);
    int64_t deadline = sys_clock_ns() + (int64_t)HOST_STOP_ANSWER_MS * SYS_NS_PER_MS;
    assert_int_equal(host_talk_begin(t, port, "0123456789abcdef", if_alone, deadline),
                     HOST_TALK_PENDING);
    int cfd = accept(lfd, NULL, NULL); /* the kernel made the connection: no wait */
    assert_true(cfd >= 0);
    char line[256] = "";
    size_t have = 0;
    for (int waited = 0; !strchr(line, '\n') && waited < WAIT_MS; waited += 5) {
        assert_int_equal(host_talk_step(t, sys_clock_ns()), HOST_TALK_PENDING);
        ssize_t n = recv(cfd, line + have, sizeof line - 1 - have, MSG_DONTWAIT);
        have += n > 0 ? (size_t)n : 0;
        line[have] = '\0';
        SDL_Delay(5);
    }
    char want[128];
    snprintf(want, sizeof want, "{\"type\":\"stop\",\"admin\":\"0123456789abcdef\"%s%s%s}\n",
             if_alone ? ",\"if_alone\":\"" : "", if_alone ? if_alone : "", if_alone ? "\"" : "");
    assert_string_equal(line, want);
    if (answer[0])
        assert_int_equal(write(cfd, answer, strlen(answer)), (ssize_t)strlen(answer));
    if (close_after)
        close(cfd);
    host_talk_state_t s = talk_until_over(t, WAIT_MS);
    if (!close_after)
        close(cfd);
    close(lfd);
    return s;
}

static host_talk_state_t talk_with(host_talk_t *t, const char *answer, bool close_after)
{
    return talk_as(t, NULL, answer, close_after);
}

/* The stop's conversation on its own: the answer that counts, the ones that do not, a server
 * that closes or says nothing, and nothing listening. */
static void test_host_talk_answers(void **state)
{
    (void)state;
    host_talk_t t;
    memset(&t, 0, sizeof t);
    const char *greet = "{\"type\":\"log in\"}\n";
    char text[256];
    snprintf(text, sizeof text, "%s{\"type\":\"bye\",\"reason\":\"stopping\",\"message\":\"x\"}\n",
             greet);
    assert_int_equal(talk_with(&t, text, false), HOST_TALK_ACCEPTED);
    assert_false(t.open);
    assert_int_equal(host_talk_step(&t, sys_clock_ns()), HOST_TALK_IDLE); /* said once */
    snprintf(text, sizeof text, "%s{\"type\":\"error\",\"message\":\"wrong admin secret\"}\n",
             greet);
    assert_int_equal(talk_with(&t, text, false), HOST_TALK_FAILED);
    assert_non_null(strstr(t.why, "error"));
    snprintf(text, sizeof text, "%s{\"type\":\"bye\",\"reason\":\"shutdown\",\"message\":\"x\"}\n",
             greet);
    assert_int_equal(talk_with(&t, text, false), HOST_TALK_FAILED);
    assert_int_equal(talk_with(&t, greet, true), HOST_TALK_FAILED); /* closed before a word */
    /* "if_alone": the server keeps running for others, and says who. */
    snprintf(text, sizeof text,
             "%s{\"type\":\"bye\",\"reason\":\"kept\",\"message\":\"1 other player is on\"}\n",
             greet);
    assert_int_equal(talk_as(&t, "kim", text, false), HOST_TALK_KEPT);
    assert_string_equal(t.why, "1 other player is on");
    snprintf(text, sizeof text, "%s{\"type\":\"bye\",\"reason\":\"stopping\",\"message\":\"x\"}\n",
             greet);
    assert_int_equal(talk_as(&t, "kim", text, false), HOST_TALK_ACCEPTED);
    uint32_t start = SDL_GetTicks();
    assert_int_equal(talk_with(&t, "", false), HOST_TALK_FAILED); /* silent */
    assert_true(SDL_GetTicks() - start >= HOST_STOP_ANSWER_MS - 50);
    assert_non_null(strstr(t.why, "in time"));
    /* Nothing listens: refused at once, or at the first look (sys_tcp_connect_done). */
    int64_t deadline = sys_clock_ns() + (int64_t)HOST_STOP_ANSWER_MS * SYS_NS_PER_MS;
    start = SDL_GetTicks();
    if (host_talk_begin(&t, free_port(), "secret", NULL, deadline) == HOST_TALK_PENDING)
        assert_int_equal(talk_until_over(&t, WAIT_MS), HOST_TALK_FAILED);
    assert_true(SDL_GetTicks() - start < HOST_STOP_ANSWER_MS / 2);
    if (!strstr(t.why, "refused"))
        fail_msg("why: %s", t.why);
    assert_false(t.open);
}

static void test_connect_refused(void **state)
{
    (void)state;
    int port;
    int fd = listen_any(&port);
    close(fd); /* a port that was free a moment ago */
    client_t *c = new_client();
    client_connect(c, "127.0.0.1", port);
    assert_int_equal(c->scene, SCENE_CONNECT);
    assert_true(pump(c, connect_failed, WAIT_MS));
    assert_non_null(strstr(c->session.link_text, "Could not connect"));
    free_client(c);
}

static void test_connect_unknown_host(void **state)
{
    (void)state;
    client_t *c = new_client();
    client_connect(c, "no-such-host.invalid", 9999);
    assert_true(pump(c, connect_failed, WAIT_MS));
    assert_non_null(strstr(c->session.link_text, "no-such-host.invalid"));
    free_client(c);
}

/* A scripted server: accepts one client and sends text, then closes (close_after) or not. */
static void scripted_server(client_t *c, const char *text, bool close_after, const char *want)
{
    int port;
    int lfd = listen_any(&port);
    client_connect(c, "127.0.0.1", port);
    int cfd = -1;
    for (int t = 0; t < WAIT_MS && cfd < 0; t += 5) {
        c->now_ms = SDL_GetTicks();
        net_poll(c);
        fcntl(lfd, F_SETFL, O_NONBLOCK);
        cfd = accept(lfd, NULL, NULL);
        SDL_Delay(5);
    }
    assert_true(cfd >= 0);
    assert_int_equal(write(cfd, text, strlen(text)), (ssize_t)strlen(text));
    if (close_after)
        close(cfd);
    assert_true(pump(c, at_menu, WAIT_MS));
    assert_non_null(strstr(c->notice, want));
    if (!close_after)
        close(cfd);
    close(lfd);
}

/* NET_MAX_BAD_LINES undecodable lines in a row: the client gives up, saying why. */
static void test_lost_on_bad_messages_in_a_row(void **state)
{
    (void)state;
    client_t *c = new_client();
    char text[64 * (NET_MAX_BAD_LINES + 1)] = "{\"type\": \"log in\"}\n";
    for (int i = 0; i < NET_MAX_BAD_LINES; i++)
        strcat(text, "this is not json\n");
    scripted_server(c, text, false, "messages in a row");
    assert_non_null(strstr(c->notice, "not JSON"));
    free_client(c);
}

static int count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* A line the client cannot decode (a server one version ahead, a field out of range) is logged
 * and skipped: the connection goes on, and good lines reset the count. The ping after the bad
 * lines is answered, so the client read on. */
static void test_a_bad_message_is_skipped(void **state)
{
    (void)state;
    client_t *c = new_client();
    int port;
    int lfd = listen_any(&port);
    client_connect(c, "127.0.0.1", port);
    int cfd = -1;
    for (int t = 0; t < WAIT_MS && cfd < 0; t += 5) {
        c->now_ms = SDL_GetTicks();
        net_poll(c);
        fcntl(lfd, F_SETFL, O_NONBLOCK);
        cfd = accept(lfd, NULL, NULL);
        SDL_Delay(5);
    }
    assert_true(cfd >= 0);
    char text[8192] = "{\"type\": \"log in\"}\n";
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < NET_MAX_BAD_LINES - 1; i++)
            strcat(text, i % 2 ? "this is not json\n"
                               : "{\"type\":\"lobby update\",\"players\":[],\"group_size\":99}\n");
        strcat(text, "{\"type\":\"ping\"}\n");
    }
    assert_int_equal(write(cfd, text, strlen(text)), (ssize_t)strlen(text));
    char got[256] = "";
    size_t have = 0;
    for (int t = 0; t < WAIT_MS && count_of(got, "\"pong\"") < 3; t += 5) {
        c->now_ms = SDL_GetTicks();
        net_poll(c);
        client_update(c);
        net_flush(c);
        ssize_t n = recv(cfd, got + have, sizeof got - 1 - have, MSG_DONTWAIT);
        if (n > 0)
            have += (size_t)n;
        got[have] = '\0';
        SDL_Delay(5);
    }
    assert_int_equal(count_of(got, "\"pong\""), 3);
    assert_int_equal(c->scene, SCENE_USERNAME);
    assert_int_equal(c->session.link, SESSION_LINK_CONNECTED);
    close(cfd);
    close(lfd);
    free_client(c);
}

static void test_lost_on_close(void **state)
{
    (void)state;
    client_t *c = new_client();
    scripted_server(c, "{\"type\": \"log in\"}\n", true, "closed the connection");
    free_client(c);
}

static void test_lost_on_error_then_close(void **state)
{
    (void)state;
    client_t *c = new_client();
    scripted_server(c,
                    "{\"type\": \"log in\"}\n{\"type\": \"error\", \"message\": \"server full\"}\n",
                    true, "server full");
    free_client(c);
}

static void test_lost_on_long_line(void **state)
{
    (void)state;
    client_t *c = new_client();
    char *big = malloc(PROTO_MAX_LINE + 100);
    memset(big, 'x', PROTO_MAX_LINE + 98);
    big[PROTO_MAX_LINE + 98] = '\n';
    big[PROTO_MAX_LINE + 99] = '\0';
    scripted_server(c, big, false, "longer than");
    free(big);
    free_client(c);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (SDLNet_Init() != 0) {
        fprintf(stderr, "SDLNet_Init: %s\n", SDLNet_GetError());
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_join_leave),
        cmocka_unit_test(test_host_leaves_keeps_server),
        cmocka_unit_test(test_host_stops_server),
        cmocka_unit_test(test_host_alone_on_the_end_screen_stops),
        cmocka_unit_test(test_host_leaving_as_a_mate_arrives_keeps_the_server),
        cmocka_unit_test(test_host_stop_of_a_hung_server_costs_no_frame),
        cmocka_unit_test(test_host_talk_answers),
        cmocka_unit_test(test_host_port_taken),
        cmocka_unit_test(test_host_child_says_in_use),
        cmocka_unit_test(test_host_running_keeps_exit),
        cmocka_unit_test(test_host_dies_with_parent),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_connect_unknown_host),
        cmocka_unit_test(test_lost_on_bad_messages_in_a_row),
        cmocka_unit_test(test_a_bad_message_is_skipped),
        cmocka_unit_test(test_lost_on_close),
        cmocka_unit_test(test_lost_on_error_then_close),
        cmocka_unit_test(test_lost_on_long_line),
    };
    int rc = cmocka_run_group_tests(tests, setup, NULL);
    SDLNet_Quit();
    return rc;
}
