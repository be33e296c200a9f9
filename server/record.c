/* record.c -- a round's replay on a dedicated server (--replay-dir): collects what game.c feeds
 * the simulation through common/replay's writer, then writes one file per round (a temporary
 * file renamed into place) and keeps the folder under SERVER_REPLAY_KEEP; uses record.h (group.h)
 * and common/replay, palette, and the seam's file writer */
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "palette.h"
#include "replay.h"
#include "sys_os.h"

#define STAGE "replay"

struct record {
    replay_writer_t w;
    time_t started;
};

record_t *record_begin(group_t *g)
{
    server_t *s = g->srv;
    if (!s->cfg.replay_dir[0])
        return NULL;
    record_t *r = calloc(1, sizeof *r);
    if (!r) {
        log_msg(&s->log, LOG_WARN, STAGE, "group %u: out of memory: this round is not recorded",
                g->id);
        return NULL;
    }
    r->started = time(NULL);
    replay_info_t info = {.seed = g->seed,
                          .started = (int64_t)r->started,
                          .duration_ticks = g->game->duration_ticks,
                          .nplayers = g->nplayers};
    for (int i = 0; i < g->nplayers; i++) {
        snprintf(info.players[i].name, sizeof info.players[i].name, "%s", g->usernames[i]);
        memcpy(info.players[i].rgb, PALETTE[g->colors[i]].rgb, 3);
    }
    if (replay_writer_begin(&r->w, &info, g->game->world) < 0) {
        log_msg(&s->log, LOG_WARN, STAGE, "group %u: this round is not recorded: %s", g->id,
                r->w.why);
        free(r);
        return NULL;
    }
    /* Those who left before GO are already out of the game: the replay takes them out too. */
    for (int i = 0; i < g->nplayers; i++)
        if (!g->game->players[i].active)
            replay_writer_leave(&r->w, i);
    return r;
}

void record_input(record_t *r, const sim_game_t *game, int slot)
{
    if (r)
        replay_writer_input(&r->w, game, slot);
}

void record_move(record_t *r, int slot)
{
    if (r)
        replay_writer_move(&r->w, slot);
}

void record_sit_out(record_t *r, int slot)
{
    if (r)
        replay_writer_sit_out(&r->w, slot);
}

void record_leave(record_t *r, int slot)
{
    if (r)
        replay_writer_leave(&r->w, slot);
}

void record_tick(record_t *r, const sim_game_t *game)
{
    if (r)
        replay_writer_tick(&r->w, game);
}

void record_free(record_t *r)
{
    if (!r)
        return;
    replay_writer_free(&r->w);
    free(r);
}

static bool record_is_replay_name(const char *name)
{
    size_t n = strlen(name), pre = strlen(SERVER_REPLAY_PREFIX), suf = strlen(SERVER_REPLAY_SUFFIX);
    return n > pre + suf && strncmp(name, SERVER_REPLAY_PREFIX, pre) == 0 &&
           strcmp(name + n - suf, SERVER_REPLAY_SUFFIX) == 0;
}

/* One pass: how many replay files the folder holds, and the oldest (names start with the time). */
static long record_scan(const char *dir, char *oldest, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    long count = 0;
    oldest[0] = '\0';
    for (struct dirent *e; (e = readdir(d));) {
        if (!record_is_replay_name(e->d_name) || strlen(e->d_name) >= cap)
            continue;
        count++;
        if (!oldest[0] || strcmp(e->d_name, oldest) < 0)
            snprintf(oldest, cap, "%s", e->d_name);
    }
    closedir(d);
    return count;
}

/* Deletes the oldest replay files past SERVER_REPLAY_KEEP, a few at a time. */
static void record_prune(server_t *s)
{
    const char *dir = s->cfg.replay_dir;
    char oldest[256], path[SERVER_PATH_SIZE + 300];
    for (int i = 0; i < SERVER_REPLAY_PRUNE_MAX; i++) {
        long count = record_scan(dir, oldest, sizeof oldest);
        if (count <= SERVER_REPLAY_KEEP || !oldest[0])
            return;
        snprintf(path, sizeof path, "%s/%s", dir, oldest);
        if (unlink(path) < 0) {
            log_msg(&s->log, LOG_WARN, STAGE, "cannot delete the old replay %s: %s", path,
                    strerror(errno));
            return;
        }
    }
}

void record_finish(group_t *g)
{
    record_t *r = g->record;
    if (!r)
        return;
    g->record = NULL;
    server_t *s = g->srv;
    const uint8_t *data;
    size_t len;
    if (replay_writer_finish(&r->w, g->game, &data, &len) < 0) {
        log_msg(&s->log, LOG_WARN, STAGE, "group %u: the round's replay is lost: %s", g->id,
                r->w.why);
        record_free(r);
        return;
    }
    int64_t t0 = loop_now();
    struct tm tm;
    char when[32], name[128];
    gmtime_r(&r->started, &tm);
    strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
    snprintf(name, sizeof name, SERVER_REPLAY_PREFIX "%s-%ld-g%u" SERVER_REPLAY_SUFFIX, when,
             (long)getpid(), g->id);
    char path[SERVER_PATH_SIZE + 300], why[SERVER_PATH_SIZE + 400];
    snprintf(path, sizeof path, "%s/%s", s->cfg.replay_dir, name);
    if (sys_write_file(path, data, len, why, sizeof why) < 0) {
        log_msg(&s->log, LOG_WARN, STAGE, "group %u: cannot write the replay %s", g->id, why);
    } else {
        record_prune(s);
        /* Written on the loop, between two ticks: how long it took shows if the disk held it. */
        log_msg(&s->log, LOG_INFO, STAGE, "group %u: replay %s/%s (%zu bytes, %u ticks, %.1f ms)",
                g->id, s->cfg.replay_dir, name, len, g->game->tick,
                (double)(loop_now() - t0) / LOOP_NS_PER_MS);
    }
    record_free(r);
}
