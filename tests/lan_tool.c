/* lan_tool.c -- test driver for LAN discovery: "discover" runs discover_run; uses bot/discover */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"

static int usage(void)
{
    fprintf(stderr, "usage: lan_tool discover ADDR|- PORT [WAIT_MS]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "discover") == 0) {
        const char *addr = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
        return discover_run(addr, atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 0, stdout);
    }
    return usage();
}
