/* replay.c -- recorded rounds: writer, bounded reader and re-simulation of the replay format
 * (docs/REPLAY.md), and the naming and pruning of a folder of them; uses sim, world, utf8 and
 * hash only */
#include "replay.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "utf8.h"

#define REPLAY_TICK_HASH_BYTES 2 /* the low 16 bits of each tick's state hash */
#define REPLAY_STILL           4 /* controls code of no direction and no dash */

static int replay_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- the rules and the state, as numbers ---- */

static size_t replay_put_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return (size_t)bytes;
}

uint32_t replay_rules_id(void)
{
    static const int64_t constants[] = {
        SIM_RULES_VERSION,
        SIM_ONE,
        SIM_TICK_RATE,
        SIM_MAX_PLAYERS,
        SIM_RADIUS,
        SIM_SPEED,
        SIM_DIAGONAL_SPEED,
        SIM_DASH_FACTOR,
        SIM_DASH_TICKS,
        SIM_STUN_TICKS,
        SIM_DASH_COOLDOWN_TICKS,
        SIM_COIN_PICKUP,
        SIM_COIN_REFILL_TICKS,
        SIM_CORNER_NUDGE,
        WORLD_MAX_SPAWNS,
        WORLD_MAX_COINS,
    };
    uint32_t h = HASH32_INIT;
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++) {
        uint8_t b[8];
        replay_put_le(b, (uint64_t)constants[i], 8);
        h = hash32_bytes(h, b, sizeof b);
    }
    return h;
}

/* One player's fields as little-endian bytes: the same hash on every machine. */
static size_t replay_put_player(uint8_t *b, const sim_player_t *p)
{
    size_t n = 0;
    b[n++] = p->active;
    n += replay_put_le(b + n, (uint32_t)p->x, 4);
    n += replay_put_le(b + n, (uint32_t)p->y, 4);
    n += replay_put_le(b + n, (uint32_t)p->score, 4);
    b[n++] = (uint8_t)p->input.dx;
    b[n++] = (uint8_t)p->input.dy;
    b[n++] = p->input.dash;
    n += replay_put_le(b + n, p->dash_ticks, 2);
    n += replay_put_le(b + n, p->cooldown_ticks, 2);
    n += replay_put_le(b + n, p->stun_ticks, 2);
    b[n++] = p->stole;
    b[n++] = p->dash_held;
    return n;
}

uint64_t replay_state_hash(const sim_game_t *g)
{
    uint8_t b[32 + SIM_MAX_PLAYERS * 32 + WORLD_MAX_COINS * 2];
    size_t n = 0;
    n += replay_put_le(b + n, g->tick, 4);
    n += replay_put_le(b + n, g->duration_ticks, 4);
    n += replay_put_le(b + n, g->rng, 8);
    b[n++] = (uint8_t)g->nplayers;
    for (int i = 0; i < g->nplayers && i < SIM_MAX_PLAYERS; i++)
        n += replay_put_player(b + n, &g->players[i]);
    /* The coins' places come from the world; their timers are the state. */
    b[n++] = (uint8_t)g->ncoins;
    for (int i = 0; i < g->ncoins && i < WORLD_MAX_COINS; i++)
        n += replay_put_le(b + n, g->coins[i].refill_ticks, 2);
    return hash64_bytes(HASH64_INIT, b, n);
}

static uint8_t replay_controls(const sim_input_t *in)
{
    return (uint8_t)((in->dx + 1) * 3 + (in->dy + 1) + (in->dash ? 9 : 0));
}

static sim_input_t replay_input_of(int code)
{
    sim_input_t in = {.seq = 0,
                      .dx = (int8_t)(code % 9 / 3 - 1),
                      .dy = (int8_t)(code % 3 - 1),
                      .dash = code >= 9};
    return in;
}

/* ---- writing ---- */

static void replay_writer_stop(replay_writer_t *w, const char *why)
{
    if (!w->failed)
        snprintf(w->why, sizeof w->why, "%s", why);
    w->failed = true;
}

static void replay_put(replay_writer_t *w, const void *data, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n > REPLAY_MAX_FILE) {
        replay_writer_stop(w, "the recording outgrew REPLAY_MAX_FILE");
        return;
    }
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *p = realloc(w->buf, cap);
        if (!p) {
            replay_writer_stop(w, "out of memory");
            return;
        }
        w->buf = p;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, data, n);
    w->len += n;
}

static void replay_put_int(replay_writer_t *w, uint64_t v, int bytes)
{
    uint8_t b[8];
    replay_put_le(b, v, bytes);
    replay_put(w, b, (size_t)bytes);
}

/* A text of at most max bytes, behind its one-byte length. */
static void replay_put_text(replay_writer_t *w, const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    replay_put_int(w, n, 1);
    replay_put(w, s, n);
}

static void replay_put_world(replay_writer_t *w, const world_t *world)
{
    replay_put_text(w, world->name, WORLD_MAX_NAME);
    replay_put_text(w, world->description, WORLD_MAX_DESCRIPTION);
    replay_put_int(w, (uint64_t)world->duration, 2);
    replay_put_int(w, (uint64_t)world->width, 1);
    replay_put_int(w, (uint64_t)world->height, 1);
    for (int r = 0; r < world->height; r++)
        replay_put(w, world->tiles[r], (size_t)world->width);
}

int replay_writer_begin(replay_writer_t *w, const replay_info_t *info, const world_t *world)
{
    memset(w, 0, sizeof *w);
    if (info->nplayers < 1 || info->nplayers > SIM_MAX_PLAYERS) {
        replay_writer_stop(w, "no players, or too many");
        return -1;
    }
    replay_put(w, REPLAY_MAGIC, REPLAY_MAGIC_SIZE);
    replay_put_int(w, REPLAY_VERSION, 2);
    replay_put_int(w, replay_rules_id(), 4);
    replay_put_int(w, info->seed, 8);
    replay_put_int(w, (uint64_t)info->started, 8);
    replay_put_int(w, info->duration_ticks, 4);
    replay_put_int(w, (uint64_t)info->nplayers, 1);
    for (int i = 0; i < info->nplayers; i++) {
        replay_put_text(w, info->players[i].name, REPLAY_MAX_NAME);
        replay_put(w, info->players[i].rgb, 3);
        w->held[i] = REPLAY_STILL;
    }
    replay_put_world(w, world);
    w->events_at = w->len;
    replay_put_int(w, 0, 4); /* the events' length, filled in by replay_writer_finish */
    if (w->failed) {
        free(w->buf);
        w->buf = NULL;
        return -1;
    }
    return 0;
}

/* One event byte of the tick being collected (see replay.h). */
static void replay_event(replay_writer_t *w, int byte)
{
    if (w->failed)
        return;
    if (w->ntick == REPLAY_MAX_TICK_EVENTS) {
        replay_writer_stop(w, "more than REPLAY_MAX_TICK_EVENTS events before one tick");
        return;
    }
    w->tick[w->ntick++] = (uint8_t)byte;
}

void replay_writer_input(replay_writer_t *w, const sim_game_t *g, int slot)
{
    if (slot < 0 || slot >= g->nplayers)
        return;
    uint8_t code = replay_controls(&g->players[slot].input);
    if (code == w->held[slot])
        return;
    w->held[slot] = code;
    replay_event(w, REPLAY_EV_INPUT_BASE + slot * REPLAY_CONTROLS + code);
}

void replay_writer_move(replay_writer_t *w, int slot)
{
    if (slot >= 0 && slot < SIM_MAX_PLAYERS)
        replay_event(w, REPLAY_EV_MOVE << 3 | slot);
}

void replay_writer_sit_out(replay_writer_t *w, int slot)
{
    if (slot >= 0 && slot < SIM_MAX_PLAYERS)
        replay_event(w, REPLAY_EV_SIT_OUT << 3 | slot);
}

void replay_writer_leave(replay_writer_t *w, int slot)
{
    if (slot < 0 || slot >= SIM_MAX_PLAYERS)
        return;
    w->held[slot] = REPLAY_STILL; /* sim_remove_player clears the held input */
    replay_event(w, REPLAY_EV_LEAVE << 3 | slot);
}

void replay_writer_tick(replay_writer_t *w, const sim_game_t *g)
{
    replay_put_int(w, (uint64_t)w->ntick, 1);
    replay_put(w, w->tick, (size_t)w->ntick);
    replay_put_int(w, replay_state_hash(g) & 0xFFFF, REPLAY_TICK_HASH_BYTES);
    w->ntick = 0;
    w->ticks++;
}

int replay_writer_finish(replay_writer_t *w, const sim_game_t *g, const uint8_t **data, size_t *len)
{
    if (!w->failed && w->ntick > 0)
        replay_writer_stop(w, "events after the last tick");
    size_t events_len = w->len - w->events_at - 4;
    replay_put_int(w, w->ticks, 4);
    for (int i = 0; i < g->nplayers; i++) {
        replay_put_int(w, g->players[i].active, 1);
        replay_put_int(w, (uint32_t)g->players[i].score, 4);
    }
    replay_put_int(w, replay_state_hash(g), 8);
    if (w->failed)
        return -1;
    replay_put_le(w->buf + w->events_at, events_len, 4);
    *data = w->buf;
    *len = w->len;
    return 0;
}

void replay_writer_free(replay_writer_t *w)
{
    free(w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

/* ---- reading ---- */

typedef struct replay_cursor {
    const uint8_t *p;
    size_t len, off;
    char *err;
    size_t errlen;
} replay_cursor_t;

/* n more bytes are there, or the file is cut short while reading what. */
static int replay_need(replay_cursor_t *c, size_t n, const char *what)
{
    if (n > c->len - c->off)
        return replay_fail(c->err, c->errlen, "truncated: the file ends at byte %zu, inside %s",
                           c->len, what);
    return 0;
}

static int replay_get(replay_cursor_t *c, int bytes, const char *what, uint64_t *v)
{
    if (replay_need(c, (size_t)bytes, what) < 0)
        return -1;
    *v = 0;
    for (int i = 0; i < bytes; i++)
        *v |= (uint64_t)c->p[c->off + (size_t)i] << (8 * i);
    c->off += (size_t)bytes;
    return 0;
}

/* A one-byte length, min..max, then that much well-formed UTF-8 without control characters. */
static int replay_get_text(replay_cursor_t *c, char *dst, size_t min, size_t max, const char *what)
{
    uint64_t n;
    if (replay_get(c, 1, what, &n) < 0)
        return -1;
    if (n < min || n > max)
        return replay_fail(c->err, c->errlen, "%s: %llu bytes long (%zu to %zu allowed)", what,
                           (unsigned long long)n, min, max);
    if (replay_need(c, (size_t)n, what) < 0)
        return -1;
    const char *s = (const char *)c->p + c->off;
    if (!utf8_valid(s, (size_t)n) || utf8_has_control(s, (size_t)n))
        return replay_fail(c->err, c->errlen, "%s is not printable UTF-8", what);
    memcpy(dst, s, (size_t)n);
    dst[n] = '\0';
    c->off += (size_t)n;
    return 0;
}

static int replay_get_header(replay_cursor_t *c, replay_t *r)
{
    if (c->len < REPLAY_MAGIC_SIZE || memcmp(c->p, REPLAY_MAGIC, REPLAY_MAGIC_SIZE) != 0)
        return replay_fail(c->err, c->errlen, "not a nine43 replay (no %s at its start)",
                           REPLAY_MAGIC);
    c->off = REPLAY_MAGIC_SIZE;
    uint64_t version, rules, ticks, n;
    if (replay_get(c, 2, "the format version", &version) < 0)
        return -1;
    if (version != REPLAY_VERSION)
        return replay_fail(c->err, c->errlen,
                           "replay format version %llu; this program reads version %d",
                           (unsigned long long)version, REPLAY_VERSION);
    r->version = (uint16_t)version;
    if (replay_get(c, 4, "the rules id", &rules) < 0)
        return -1;
    r->rules = (uint32_t)rules;
    if (r->rules != replay_rules_id())
        return replay_fail(c->err, c->errlen,
                           "made under other rules (rules id %08x; this program plays %08x): "
                           "replay it with the version of nine43 that recorded it",
                           r->rules, replay_rules_id());
    uint64_t started;
    if (replay_get(c, 8, "the seed", &r->info.seed) < 0 ||
        replay_get(c, 8, "the start time", &started) < 0 ||
        replay_get(c, 4, "the round's length", &ticks) < 0 ||
        replay_get(c, 1, "the player count", &n) < 0)
        return -1;
    r->info.started = (int64_t)started;
    if (ticks < 1 || ticks > REPLAY_MAX_TICKS)
        return replay_fail(c->err, c->errlen, "a round of %llu ticks (1 to %d allowed)",
                           (unsigned long long)ticks, REPLAY_MAX_TICKS);
    if (n < 1 || n > SIM_MAX_PLAYERS)
        return replay_fail(c->err, c->errlen, "%llu players (1 to %d allowed)",
                           (unsigned long long)n, SIM_MAX_PLAYERS);
    r->info.duration_ticks = (uint32_t)ticks;
    r->info.nplayers = (int)n;
    for (int i = 0; i < r->info.nplayers; i++) {
        char what[32];
        snprintf(what, sizeof what, "player %d's name", i + 1);
        if (replay_get_text(c, r->info.players[i].name, 1, REPLAY_MAX_NAME, what) < 0 ||
            replay_need(c, 3, "a player's colour") < 0)
            return -1;
        memcpy(r->info.players[i].rgb, c->p + c->off, 3);
        c->off += 3;
    }
    return 0;
}

static int replay_get_world(replay_cursor_t *c, world_t *w)
{
    char name[WORLD_MAX_NAME + 1], desc[WORLD_MAX_DESCRIPTION + 1];
    uint64_t duration, width, height;
    if (replay_get_text(c, name, 0, WORLD_MAX_NAME, "the world's name") < 0 ||
        replay_get_text(c, desc, 0, WORLD_MAX_DESCRIPTION, "the world's description") < 0 ||
        replay_get(c, 2, "the world's duration", &duration) < 0 ||
        replay_get(c, 1, "the world's width", &width) < 0 ||
        replay_get(c, 1, "the world's height", &height) < 0)
        return -1;
    if (width < WORLD_MIN_SIZE || width > WORLD_MAX_SIZE || height < WORLD_MIN_SIZE ||
        height > WORLD_MAX_SIZE)
        return replay_fail(c->err, c->errlen, "a world of %llux%llu tiles (%d to %d each way)",
                           (unsigned long long)width, (unsigned long long)height, WORLD_MIN_SIZE,
                           WORLD_MAX_SIZE);
    if (replay_need(c, (size_t)(width * height), "the world's tiles") < 0)
        return -1;
    char rows[WORLD_MAX_SIZE][WORLD_MAX_SIZE + 1];
    const char *row_ptrs[WORLD_MAX_SIZE];
    for (uint64_t r = 0; r < height; r++) {
        memcpy(rows[r], c->p + c->off, (size_t)width);
        rows[r][width] = '\0';
        row_ptrs[r] = rows[r];
        c->off += (size_t)width;
    }
    char why[192];
    if (world_from_rows(w, name, desc, (int)duration, row_ptrs, (int)height, why, sizeof why) < 0)
        return replay_fail(c->err, c->errlen, "its world is not valid: %s", why);
    return 0;
}

/* Every tick record: an event count within its limit, events that name a slot of the round,
 * the tick's hash; exactly ticks of them, filling the events' bytes. */
static int replay_check_events(const replay_t *r, char *err, size_t errlen)
{
    size_t pos = 0;
    const uint8_t *e = r->events;
    for (uint32_t t = 1; t <= r->ticks; t++) {
        if (pos >= r->events_len)
            return replay_fail(err, errlen, "the events end before tick %u of %u", t, r->ticks);
        size_t n = e[pos++];
        if (n > REPLAY_MAX_TICK_EVENTS)
            return replay_fail(err, errlen, "tick %u: %zu events (at most %d)", t, n,
                               REPLAY_MAX_TICK_EVENTS);
        if (n + REPLAY_TICK_HASH_BYTES > r->events_len - pos)
            return replay_fail(err, errlen, "the events end inside tick %u", t);
        for (size_t i = 0; i < n; i++) {
            int b = e[pos + i];
            int slot =
                b >= REPLAY_EV_INPUT_BASE ? (b - REPLAY_EV_INPUT_BASE) / REPLAY_CONTROLS : (b & 7);
            bool known = b >= REPLAY_EV_INPUT_BASE || (b >> 3) <= REPLAY_EV_LEAVE;
            if (!known || slot >= r->info.nplayers)
                return replay_fail(err, errlen,
                                   "tick %u: event byte %d is not an event of a "
                                   "%d-player round",
                                   t, b, r->info.nplayers);
        }
        pos += n + REPLAY_TICK_HASH_BYTES;
    }
    if (pos != r->events_len)
        return replay_fail(err, errlen, "%zu bytes of events after the last tick",
                           r->events_len - pos);
    return 0;
}

static int replay_get_end(replay_cursor_t *c, replay_t *r)
{
    uint64_t ticks, v;
    if (replay_get(c, 4, "the ticks played", &ticks) < 0)
        return -1;
    if (ticks != r->info.duration_ticks)
        return replay_fail(c->err, c->errlen, "%llu ticks played in a round of %u",
                           (unsigned long long)ticks, r->info.duration_ticks);
    r->ticks = (uint32_t)ticks;
    for (int i = 0; i < r->info.nplayers; i++) {
        if (replay_get(c, 1, "the final scores", &v) < 0)
            return -1;
        r->active[i] = v != 0;
        if (replay_get(c, 4, "the final scores", &v) < 0)
            return -1;
        r->scores[i] = (int32_t)(uint32_t)v;
    }
    if (replay_get(c, 8, "the final state hash", &r->final_hash) < 0)
        return -1;
    if (c->off != c->len)
        return replay_fail(c->err, c->errlen, "%zu bytes after the end of the replay",
                           c->len - c->off);
    return 0;
}

static int replay_parse_all(replay_t *r, replay_cursor_t *c)
{
    uint64_t events_len;
    if (replay_get_header(c, r) < 0 || replay_get_world(c, &r->world) < 0 ||
        replay_get(c, 4, "the events' length", &events_len) < 0 ||
        replay_need(c, (size_t)events_len, "the events") < 0)
        return -1;
    r->events = c->p + c->off;
    r->events_len = (size_t)events_len;
    c->off += r->events_len;
    if (replay_get_end(c, r) < 0)
        return -1;
    return replay_check_events(r, c->err, c->errlen);
}

int replay_parse(replay_t *r, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (len > REPLAY_MAX_FILE)
        return replay_fail(err, errlen, "too big: over %d bytes (REPLAY_MAX_FILE)",
                           REPLAY_MAX_FILE);
    r->data = malloc(len ? len : 1);
    if (!r->data)
        return replay_fail(err, errlen, "out of memory");
    if (len)
        memcpy(r->data, data, len);
    r->len = len;
    replay_cursor_t c = {.p = r->data, .len = len, .off = 0, .err = err, .errlen = errlen};
    if (replay_parse_all(r, &c) < 0) {
        replay_free(r);
        return -1;
    }
    return 0;
}

int replay_load_file(replay_t *r, const char *path, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    FILE *f = fopen(path, "rb");
    if (!f)
        return replay_fail(err, errlen, "%s: %s", path, strerror(errno));
    /* One byte past the limit tells a file that is too big from one that just fits. */
    uint8_t *buf = malloc((size_t)REPLAY_MAX_FILE + 1);
    if (!buf) {
        fclose(f);
        return replay_fail(err, errlen, "%s: out of memory", path);
    }
    size_t len = fread(buf, 1, (size_t)REPLAY_MAX_FILE + 1, f);
    bool bad = ferror(f) != 0;
    int saved = errno;
    fclose(f);
    char why[256];
    int rc = bad ? replay_fail(why, sizeof why, "cannot read: %s", strerror(saved))
                 : replay_parse(r, buf, len, why, sizeof why);
    free(buf);
    if (rc < 0)
        return replay_fail(err, errlen, "%s: %s", path, why);
    return 0;
}

void replay_free(replay_t *r)
{
    free(r->data);
    r->data = NULL;
    r->events = NULL;
    r->len = r->events_len = 0;
}

/* ---- playback ---- */

void replay_play_start(replay_play_t *p, const replay_t *r)
{
    memset(p, 0, sizeof *p);
    p->r = r;
    sim_init(&p->game, &r->world, r->info.nplayers, r->info.seed, 1);
    p->game.duration_ticks = r->info.duration_ticks;
}

/* One event byte, as the server applied it (server/game.c). */
static void replay_apply(replay_play_t *p, int b, bool sat_out[SIM_MAX_PLAYERS])
{
    sim_game_t *g = &p->game;
    if (b >= REPLAY_EV_INPUT_BASE) {
        int slot = (b - REPLAY_EV_INPUT_BASE) / REPLAY_CONTROLS;
        sim_input_t in = replay_input_of((b - REPLAY_EV_INPUT_BASE) % REPLAY_CONTROLS);
        sim_set_input(g, slot, &in);
        return;
    }
    int slot = b & 7;
    if (slot >= g->nplayers)
        return;
    sim_player_t *pl = &g->players[slot];
    switch (b >> 3) {
    case REPLAY_EV_MOVE:
        if (pl->active)
            sim_move_player(g->world, pl);
        break;
    case REPLAY_EV_SIT_OUT:
        if (pl->active) {
            pl->active = false;
            sat_out[slot] = true;
        }
        break;
    case REPLAY_EV_LEAVE:
        sim_remove_player(g, slot);
        sat_out[slot] = false;
        break;
    default:
        break;
    }
}

int replay_play_step(replay_play_t *p)
{
    const replay_t *r = p->r;
    if (sim_over(&p->game) || p->pos >= r->events_len)
        return 0;
    size_t n = r->events[p->pos++];
    if (n + REPLAY_TICK_HASH_BYTES > r->events_len - p->pos)
        return 0; /* replay_parse refuses such a file */
    bool sat_out[SIM_MAX_PLAYERS] = {false};
    for (size_t i = 0; i < n; i++)
        replay_apply(p, r->events[p->pos + i], sat_out);
    p->pos += n;
    sim_step(&p->game);
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (sat_out[i])
            p->game.players[i].active = true;
    unsigned want = r->events[p->pos] | (unsigned)r->events[p->pos + 1] << 8;
    p->pos += REPLAY_TICK_HASH_BYTES;
    if (p->first_diff == 0 && (replay_state_hash(&p->game) & 0xFFFF) != want)
        p->first_diff = p->game.tick;
    return 1;
}

void replay_verify(const replay_t *r, replay_verdict_t *v)
{
    replay_play_t p;
    replay_play_start(&p, r);
    while (replay_play_step(&p))
        ;
    v->hash = replay_state_hash(&p.game);
    bool same_end = v->hash == r->final_hash && p.game.tick == r->ticks;
    for (int i = 0; i < r->info.nplayers; i++) {
        v->active[i] = p.game.players[i].active;
        v->scores[i] = p.game.players[i].score;
        same_end = same_end && v->active[i] == r->active[i] && v->scores[i] == r->scores[i];
    }
    /* Scores or the final hash alone differ (the end of the file was changed): the last tick. */
    v->first_diff = p.first_diff ? p.first_diff : same_end ? 0 : p.game.tick;
    v->same = v->first_diff == 0;
}

bool replay_is_file_name(const char *name)
{
    size_t n = strlen(name), pre = strlen(REPLAY_FILE_PREFIX), suf = strlen(REPLAY_FILE_SUFFIX);
    return n > pre + suf && strncmp(name, REPLAY_FILE_PREFIX, pre) == 0 &&
           strcmp(name + n - suf, REPLAY_FILE_SUFFIX) == 0;
}

/* One pass: how many replay files dir holds, and the oldest of them. */
static long replay_scan_dir(const char *dir, char *oldest, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    long count = 0;
    oldest[0] = '\0';
    for (struct dirent *e; (e = readdir(d));) {
        if (!replay_is_file_name(e->d_name) || strlen(e->d_name) >= cap)
            continue;
        count++;
        if (!oldest[0] || strcmp(e->d_name, oldest) < 0)
            snprintf(oldest, cap, "%s", e->d_name);
    }
    closedir(d);
    return count;
}

int replay_prune_dir(const char *dir, long keep, int max_deletes, char *err, size_t errlen)
{
    char oldest[256], path[4096 + 300];
    int deleted = 0;
    while (deleted < max_deletes && replay_scan_dir(dir, oldest, sizeof oldest) > keep &&
           oldest[0]) {
        snprintf(path, sizeof path, "%s/%s", dir, oldest);
        if (unlink(path) < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return -1;
        }
        deleted++;
    }
    return deleted;
}
