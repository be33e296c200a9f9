/* record.c -- a round's replay (--replay-dir, or a player's "replay" feature): collects what
 * game.c feeds the simulation through common/replay's writer, then sends the file in base64
 * parts to the players who asked for it and writes one file per round (a temporary file renamed
 * into place), keeping the folder under SERVER_REPLAY_KEEP; uses record.h (group.h) and
 * common/replay, palette, and the seam's file writer */
#include "record.h"

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
    if (!s->cfg.replay_dir[0] && !group_any_with(g, PROTO_FEATURE_REPLAY))
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

/* Deletes the oldest replay files past SERVER_REPLAY_KEEP, a few at a time. */
static void record_prune(server_t *s)
{
    char why[SERVER_PATH_SIZE + 400];
    if (replay_prune_dir(s->cfg.replay_dir, SERVER_REPLAY_KEEP, SERVER_REPLAY_PRUNE_MAX, why,
                         sizeof why) < 0)
        log_msg(&s->log, LOG_WARN, STAGE, "cannot delete the old replay %s", why);
}

static const char record_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 of n bytes into out (4 * ceil(n / 3) characters and a NUL). */
static void record_base64(const uint8_t *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = record_b64[v >> 18 & 63];
        out[o++] = record_b64[v >> 12 & 63];
        out[o++] = i + 1 < n ? record_b64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? record_b64[v & 63] : '=';
    }
    out[o] = '\0';
}

/* Sends data to p in "replay" parts, m being the sender's own message. */
static void record_send_parts(server_t *s, player_t *p, msg_t *m, const uint8_t *data, size_t len)
{
    int parts = (int)((len + PROTO_REPLAY_PART_BYTES - 1) / PROTO_REPLAY_PART_BYTES);
    for (int k = 0; k < parts; k++) {
        size_t off = (size_t)k * PROTO_REPLAY_PART_BYTES;
        size_t n = len - off < PROTO_REPLAY_PART_BYTES ? len - off : PROTO_REPLAY_PART_BYTES;
        proto_init(m, MSG_REPLAY);
        m->u.replay.part = k + 1;
        m->u.replay.parts = parts;
        m->u.replay.bytes = (int32_t)len;
        record_base64(data + off, n, m->u.replay.data);
        player_send(s, p, m);
    }
}

/* The group's players who asked for it ("replay" feature) get the file in "replay" parts. A
 * player whose output queue could not take the whole file at half the cap is skipped (logged):
 * a replay never costs a slow reader its connection. */
static void record_send(group_t *g, const uint8_t *data, size_t len)
{
    server_t *s = g->srv;
    if (!group_any_with(g, PROTO_FEATURE_REPLAY))
        return;
    if (len > PROTO_MAX_REPLAY_BYTES) {
        log_msg(&s->log, LOG_WARN, STAGE,
                "group %u: the replay (%zu bytes) is over %d bytes: not sent", g->id, len,
                PROTO_MAX_REPLAY_BYTES);
        return;
    }
    msg_t *m = malloc(sizeof *m); /* large: not on the loop's stack */
    if (!m) {
        log_msg(&s->log, LOG_WARN, STAGE, "group %u: out of memory: the replay is not sent", g->id);
        return;
    }
    int parts = (int)((len + PROTO_REPLAY_PART_BYTES - 1) / PROTO_REPLAY_PART_BYTES);
    size_t wire = (len + 2) / 3 * 4 + (size_t)parts * 64; /* base64 and each line's fields */
    for (int i = 0; i < g->nplayers; i++) {
        player_t *p = g->players[i];
        if (!p || !(p->features & PROTO_FEATURE_REPLAY))
            continue;
        size_t queued = p->conn.out_len - p->conn.out_off;
        if (queued + wire > s->cfg.max_output / 2) {
            log_msg(&s->log, LOG_INFO, STAGE,
                    "group %u: %s reads too slowly for the replay (%zu bytes queued): not sent",
                    g->id, g->usernames[i], queued);
            continue;
        }
        record_send_parts(s, p, m, data, len);
    }
    free(m);
}

/* --replay-dir: the round's file, named by its start, and the folder kept under its limit. */
static void record_write_dir(group_t *g, const record_t *r, const uint8_t *data, size_t len)
{
    server_t *s = g->srv;
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
    record_send(g, data, len);
    if (s->cfg.replay_dir[0])
        record_write_dir(g, r, data, len);
    record_free(r);
}
