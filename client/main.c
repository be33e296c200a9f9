/* main.c -- nine43, the SDL2 client: reads the command line, sets up the client and the platform,
 * runs the frame loop, and tears down along one path; on options, platform, frame, app, net, host,
 * scene_playback (--replay) */
#include <signal.h>
#include <stdio.h>

#include "app.h"
#include "assets.h"
#include "frame.h"
#include "host.h"
#include "lan_sdl.h"
#include "net.h"
#include "options.h"
#include "platform.h"
#include "scene_playback.h"

/* The client as the command line asks: LAN list, autoplay, settings, --username. */
static void main_setup_client(client_t *c, const options_t *o)
{
    app_init(c, &net_ops, &host_ops);
    c->lan_io = &lan_sdl_ops; /* the Join screen lists LAN games */
    if (o->discovery_addr)
        client_fmt(c->discovery_addr, sizeof c->discovery_addr, "%s", o->discovery_addr);
    c->autoplay = o->autoplay;
    c->quit_after_rounds = o->quit_after_rounds;
    platform_settings_path(c->settings_path, sizeof c->settings_path, o->autoplay);
    if (c->settings_path[0]) {
        char err[512];
        if (settings_load(&c->settings, c->settings_path, err, sizeof err) != 0)
            fprintf(stderr, "nine43: %s\n", err);
    }
    replays_dir_for(c->settings_path, c->replays_dir, sizeof c->replays_dir);
    if (o->username)
        client_fmt(c->cli_username, sizeof c->cli_username, "%s", o->username);
}

/* --host PORT: the Host screen's Start, with the saved settings but that port (tests, and a
 * host's desktop shortcut). */
static void main_host(client_t *c, int port)
{
    client_goto(c, SCENE_HOST);
    snprintf(c->host.port, sizeof c->host.port, "%d", port);
    c->host.focus = HOST_ROW_START;
    input_event_t enter = {.kind = IN_CONFIRM};
    client_input(c, &enter);
}

/* Everything before the first frame. Returns 0, or the exit status (1, or 2 for a screenshot
 * folder that cannot be made) after saying why; main_stop undoes whatever was done. */
static int main_start(client_t *c, platform_t *p, const options_t *o)
{
    if (platform_init(p) != 0)
        return 1;
    main_setup_client(c, o);
    char assets[1024], fonts[1100];
    if (assets_find(assets, sizeof assets) != 0) {
        fprintf(stderr, "nine43: cannot find the assets folder (last tried %s)\n", assets);
        return 1;
    }
    snprintf(fonts, sizeof fonts, "%s/fonts", assets);
    if (o->screenshot_dir && platform_screenshots_to(p, o->screenshot_dir) != 0)
        return 2;
    if (platform_open(p, o->win_w, o->win_h, OPTIONS_MIN_W, OPTIONS_MIN_H,
                      c->settings.fullscreen && !o->windowed, fonts) != 0)
        return 1;
    if (net_init(c) != 0) {
        fprintf(stderr, "nine43: out of memory\n");
        return 1;
    }
    if (o->connect) {
        c->connect_back = SCENE_MENU;
        client_connect(c, o->host, o->port);
    } else if (o->replay) {
        playback_open(c, o->replay, SCENE_REPLAYS);
        if (!c->playback.loaded)
            fprintf(stderr, "nine43: %s\n", c->playback.error);
    } else if (o->host_port) {
        main_host(c, o->host_port);
    }
    c->now_ms = SDL_GetTicks();
    return 0;
}

/* The one way out, however far main_start got: leave the server (stopping one we host), free
 * the network and the platform. */
static void main_stop(client_t *c, platform_t *p)
{
    /* Says goodbye; a server we host runs on while others are on it (nobody is left to ask),
     * else it is stopped if the server, which counts better, knows nobody else either. */
    if (c->session.connected)
        client_leave_now(c, c->session.hosting && client_others_on_server(c) > 0
                                ? CLIENT_SERVER_KEEP
                                : CLIENT_SERVER_STOP_IF_ALONE);
    client_stop_hosting(c, NULL);
    host_free(c);
    net_free(c);
    replays_rx_free(&c->replay_rx);
    if (c->scenes)
        client_goto(c, SCENE_MENU); /* the scene lets go of what it holds (a replay) */
    platform_close(p);
}

/* --net-stats: how smooth the last round looked, for the netem test and the README's figures. */
static void main_write_net_stats(const client_t *c, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "nine43: --net-stats: cannot write %s\n", path);
        return;
    }
    const predict_stats_t *st = &c->game.predict.stats;
    double seconds = (double)(st->last_ms - st->first_ms) / 1000.0;
    fprintf(f,
            "{\"snapshots\":%u,\"corrections\":%u,\"p50\":%d,\"p90\":%d,\"p99\":%d,"
            "\"max\":%d,\"stalls\":%u,\"stalled_ms\":%u,\"seconds\":%.1f}\n",
            st->snapshots, st->corrections, predict_stats_quantile(st, 0.50),
            predict_stats_quantile(st, 0.90), predict_stats_quantile(st, 0.99), st->max_correction,
            st->stalls, st->stalled_ms, seconds);
    fclose(f);
}

int main(int argc, char **argv)
{
    options_t o;
    opt_result_t parsed = options_parse(&o, argc, argv);
    if (parsed != OPT_RUN)
        return parsed == OPT_EXIT ? 0 : OPT_EXIT_USAGE;
        /* A closed socket is an error return, not a crash: SDL2_net's send does not ask for that
         * (no MSG_NOSIGNAL), so the whole client ignores SIGPIPE, once, here (where there is one).
         */
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_IGN);
#endif
    platform_log_to_file();

    static client_t client; /* large (the scenes' state): not on the stack */
    client_t *c = &client;
    platform_t p = {0};
    int status = main_start(c, &p, &o);
    if (status == 0) {
        frame_run(c, &p);
        status = client_exit_status(c);
        if (o.net_stats)
            main_write_net_stats(c, o.net_stats);
        char err[512];
        if (c->settings_path[0] && client_save_settings(c, err, sizeof err) != 0)
            fprintf(stderr, "nine43: %s\n", err);
    }
    main_stop(c, &p);
    /* The log's last line says how the run ended: where no console shows an exit status (a
     * Windows player's log file), and where Wine's server may end a finished process by SIGKILL. */
    fprintf(stderr, "nine43: exit status %d\n", status);
    /* SDLNet_Quit puts SIGPIPE back to its default; a network thread still sending a let-go
     * connection's last lines must not end the process with it. */
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_IGN);
#endif
    return status;
}
