/* options.h -- the client's command line: one table of options on common/opt.h, --help and
 * --version generated from it; no SDL */
#ifndef NINE43_OPTIONS_H
#define NINE43_OPTIONS_H

#include <stdbool.h>

#include "opt.h"

#define OPTIONS_DEFAULT_W 960
#define OPTIONS_DEFAULT_H 640
#define OPTIONS_MIN_W     480 /* the smallest window; also the window's minimum size */
#define OPTIONS_MIN_H     320
#define OPTIONS_MAX_DIM   16384
#define OPTIONS_HOST_SIZE 256

typedef struct options {
    const char *connect;          /* --connect as given, NULL = show the menu */
    char host[OPTIONS_HOST_SIZE]; /* and split: host and port */
    int port;
    int host_port; /* --host PORT: host a game there and join it, 0 = no */
    const char *username;
    const char *screenshot_dir;
    const char *discovery_addr;
    bool autoplay;
    int quit_after_rounds;
    int win_w, win_h;
    bool windowed;
    const char *net_stats; /* --net-stats FILE: the last round's smoothness figures, at exit */
    const char *replay;    /* --replay FILE: play it back, NULL = show the menu */
} options_t;

/* Fills o from argv. OPT_EXIT: --help or --version was printed; OPT_ERROR: the reason and the
 * usage were printed to stderr (exit OPT_EXIT_USAGE). */
opt_result_t options_parse(options_t *o, int argc, char **argv);

#endif
