/* options.c -- the client's option table: --connect, --username, --autoplay, --screenshot-dir,
 * --quit-after-rounds, --windowed, --discovery-addr, --net-stats, --replay; uses common/opt.c
 * and the seam's sys_ipv4_parse */
#include "options.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "sys_net.h"

#define OPTIONS_STR(x)  #x
#define OPTIONS_XSTR(x) OPTIONS_STR(x)

/* --connect HOST:PORT: the last colon splits, so "[::1]" style is not needed for IPv4 names. */
static int options_parse_connect(void *cfg, const opt_t *opt, const char *value, char *err,
                                 size_t errlen)
{
    (void)opt;
    options_t *o = cfg;
    const char *colon = strrchr(value, ':');
    long port;
    char why[OPT_ERR_MAX];
    if (!colon || colon == value || (size_t)(colon - value) >= sizeof o->host ||
        opt_read_long(colon + 1, 1, 65535, &port, why, sizeof why) != 0) {
        snprintf(err, errlen, "expected HOST:PORT, got \"%s\"", value);
        return -1;
    }
    memcpy(o->host, value, (size_t)(colon - value));
    o->host[colon - value] = '\0';
    o->port = (int)port;
    o->connect = value;
    return 0;
}

static int options_parse_windowed(void *cfg, const opt_t *opt, const char *value, char *err,
                                  size_t errlen)
{
    (void)opt;
    options_t *o = cfg;
    int w, h;
    char extra;
    if (sscanf(value, "%dx%d%c", &w, &h, &extra) != 2 || w < OPTIONS_MIN_W || h < OPTIONS_MIN_H ||
        w > OPTIONS_MAX_DIM || h > OPTIONS_MAX_DIM) {
        snprintf(err, errlen, "expected WxH, at least %dx%d, got \"%s\"", OPTIONS_MIN_W,
                 OPTIONS_MIN_H, value);
        return -1;
    }
    o->win_w = w;
    o->win_h = h;
    o->windowed = true;
    return 0;
}

static int options_parse_ipv4(void *cfg, const opt_t *opt, const char *value, char *err,
                              size_t errlen)
{
    uint32_t ignored;
    if (sys_ipv4_parse(value, &ignored) != 0) {
        snprintf(err, errlen, "expected an IPv4 address, got \"%s\"", value);
        return -1;
    }
    *(const char **)((char *)cfg + opt->offset) = value;
    return 0;
}

static const opt_t options_table[] = {
    {"--connect", "HOST:PORT", "skip the menu and join that server", options_parse_connect, 0, 0, 0,
     0},
    {"--host", "PORT",
     "skip the menu, host a game on PORT (starting nine43-server\nnext to the game) and join it",
     opt_int, offsetof(options_t, host_port), 1, 65535, 0},
    {"--username", "NAME", "the name to log in with (submitted automatically)", opt_string,
     offsetof(options_t, username), 0, 0, 0},
    {"--autoplay", NULL, "play by itself through every screen (tests, demos)", opt_flag,
     offsetof(options_t, autoplay), 0, 0, 0},
    {"--screenshot-dir", "DIR", "save one BMP of each scene the first time it is drawn", opt_string,
     offsetof(options_t, screenshot_dir), 0, 0, 0},
    {"--quit-after-rounds", "N", "exit 0 after the end screen of round N", opt_int,
     offsetof(options_t, quit_after_rounds), 1, INT_MAX, 0},
    {"--windowed", "WxH",
     "a window of that size (default " OPTIONS_XSTR(OPTIONS_DEFAULT_W) "x" OPTIONS_XSTR(
         OPTIONS_DEFAULT_H) "), not fullscreen",
     options_parse_windowed, 0, 0, 0, 0},
    {"--discovery-addr", "ADDR",
     "look for LAN games at ADDR only (e.g. 127.255.255.255),\nnot at every network's broadcast "
     "address",
     options_parse_ipv4, offsetof(options_t, discovery_addr), 0, 0, 0},
    {"--net-stats", "FILE",
     "at exit, write the last round's prediction corrections and\nthe others' freezes to FILE "
     "(one JSON line)",
     opt_string, offsetof(options_t, net_stats), 0, 0, 0},
    {"--replay", "FILE",
     "play back a replay file (Esc goes to the Replays list;\na file that cannot be played says "
     "why)",
     opt_string, offsetof(options_t, replay), 0, 0, 0},
    {NULL, NULL, NULL, NULL, 0, 0, 0, 0},
};

static const opt_program_t options_program = {
    .name = "nine43",
    .version = NINE43_VERSION " (protocol " OPTIONS_XSTR(PROTO_VERSION) ")",
    .usage = "nine43 [--connect HOST:PORT] [--host PORT] [--username NAME] [--autoplay]\n"
             "              [--screenshot-dir DIR] [--quit-after-rounds N] [--windowed WxH]\n"
             "              [--discovery-addr ADDR] [--net-stats FILE] [--replay FILE]\n"
             "              [--help] [--version]",
    .outro = "In the game: F11 or Alt+Enter fullscreen, F2 debug overlay.\n",
    .opts = options_table,
};

opt_result_t options_parse(options_t *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->win_w = OPTIONS_DEFAULT_W;
    o->win_h = OPTIONS_DEFAULT_H;
    return opt_parse(&options_program, o, argc, argv);
}
