/* server.c -- the server's core: worlds, loop, random numbers, encoding; uses server.h, loop,
 * common and the seam's random bytes (it knows no part and no stage) */
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "server.h"
#include "sim.h"
#include "sys_os.h"

#define STAGE "server"

static void server_warn_world(void *ud, const char *message)
{
    server_t *s = ud;
    log_msg(&s->log, LOG_WARN, "worlds", "%s", message);
}

/* The seed of server_random, which picks worlds and breaks ties: no secret is ever made from it
 * (secrets come from sys_random_bytes alone), so the clock may stand in for the system. */
static uint64_t server_seed(void)
{
    uint64_t seed = 0;
    if (sys_random_bytes(&seed, sizeof seed, NULL, 0) < 0 || seed == 0)
        seed = (uint64_t)loop_now() ^ 0x9e3779b97f4a7c15ull;
    return seed;
}

/* The folder named by --worlds, or <assets>/worlds. */
static int server_find_worlds(server_t *s)
{
    if (s->cfg.worlds_dir[0] != '\0')
        return 0;
    char assets[SERVER_PATH_SIZE - 16];
    if (assets_find(assets, sizeof assets) < 0) {
        log_msg(&s->log, LOG_ERROR, "worlds",
                "cannot find the assets folder (last tried %s); use --worlds DIR", assets);
        return -1;
    }
    snprintf(s->cfg.worlds_dir, sizeof s->cfg.worlds_dir, "%s/worlds", assets);
    return 0;
}

static int server_load_worlds(server_t *s)
{
    s->nworlds =
        world_load_dir(s->worlds, WORLD_MAX_FILES, s->cfg.worlds_dir, server_warn_world, s);
    if (s->nworlds <= 0) {
        log_msg(&s->log, LOG_ERROR, "worlds", "no valid world in %s", s->cfg.worlds_dir);
        return -1;
    }
    for (int i = 0; i < s->nworlds; i++)
        log_msg(&s->log, LOG_DEBUG, "worlds", "loaded \"%s\" (%dx%d, %d s)", s->worlds[i].name,
                s->worlds[i].width, s->worlds[i].height, s->worlds[i].duration);
    log_msg(&s->log, LOG_INFO, "worlds", "%d world%s from %s", s->nworlds,
            s->nworlds == 1 ? "" : "s", s->cfg.worlds_dir);
    return 0;
}

int server_init(server_t *s, const server_config_t *cfg)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->log.level = cfg->log_level;
    s->started_at = loop_now();
    s->rng = server_seed();
    if (server_find_worlds(s) < 0)
        return -1;
    s->worlds = calloc(WORLD_MAX_FILES, sizeof *s->worlds);
    s->loop = loop_create();
    if (!s->worlds || !s->loop) {
        log_msg(&s->log, LOG_ERROR, STAGE, "out of memory");
        return -1;
    }
    loop_set_coalesce(s->loop, SERVER_COALESCE_NS);
    return server_load_worlds(s);
}

void server_free(server_t *s)
{
    if (s->loop)
        loop_destroy(s->loop);
    free(s->worlds);
    memset(s, 0, sizeof *s);
}

uint64_t server_random(server_t *s)
{
    /* xorshift64*: tie-breaks and game seeds need variety, not secrecy. */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 0x2545f4914f6cdd1dull;
}

int64_t server_uptime(const server_t *s)
{
    return (loop_now() - s->started_at) / LOOP_NS_PER_SEC;
}

int server_encode(server_t *s, const msg_t *m, char *line)
{
    int n = proto_encode(m, line, SERVER_LINE_SIZE);
    if (n < 0)
        log_msg(&s->log, LOG_ERROR, STAGE, "could not encode a \"%s\" message",
                proto_type_name(m->type));
    return n;
}
