/* config.h -- the server's command line: defaults and parsing (an option table on common/opt in
 * config.c); depends on server.h */
#ifndef NINE43_CONFIG_H
#define NINE43_CONFIG_H

#include "server.h"

void config_defaults(server_config_t *cfg);
/* Parses the command line into cfg. Returns 0, 1 for --help/--version (already printed to
 * stdout), or 2 for a bad flag (which option and why, then the usage, on stderr). */
int config_parse(server_config_t *cfg, int argc, char **argv);

#endif
