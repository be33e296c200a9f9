/* proto.c -- nine43 wire protocol v1: the message table, decoding with cJSON, a direct JSON writer;
 * depends on cJSON, json_arena, utf8, sim.h and world.h (types only) */
#include "proto.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_arena.h"
#include "utf8.h"

#define PROTO_TYPE_ECHO 32 /* characters of an unknown "type" quoted back in the error */
#define PROTO_NO_LIMIT  ((size_t)-1)
#define PROTO_MILLI     1000 /* milli-tiles per tile, milliseconds per second: three decimals */
/* Longest line proto_encode writes. The fuzz target raises it to check that everything that
 * decodes also encodes, however long the re-encoded line would be. */
#ifndef PROTO_ENCODE_MAX
#define PROTO_ENCODE_MAX PROTO_MAX_LINE
#endif

/* ---------------------------------------------------------------------------------------
 * Decoding helpers. Each returns PROTO_OK or a proto_err_t after writing the message.
 */

typedef struct decoder {
    const char *type; /* the message's wire name, for messages */
    /* Where the decoder is, written into an error only if one comes ("players[2].", "world."):
     * formatting it for every entry of a list would cost more than decoding the entry. */
    const char *list; /* NULL at the top level */
    int index;        /* the entry of list, or -1 inside an object named list */
    char *err;
    size_t errlen;
} decoder_t;

static int set_error(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int set_error(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int dec_fail(decoder_t *d, int code, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes "\"vote\": field \"index\" " followed by the formatted reason. */
static int dec_fail(decoder_t *d, int code, const char *name, const char *fmt, ...)
{
    if (d->err && d->errlen > 0) {
        char where[48] = "";
        if (d->list && d->index >= 0)
            snprintf(where, sizeof where, "%s[%d].", d->list, d->index);
        else if (d->list)
            snprintf(where, sizeof where, "%s.", d->list);
        int n = snprintf(d->err, d->errlen, "\"%s\": field \"%s%s\" ", d->type, where, name);
        if (n >= 0 && (size_t)n < d->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(d->err + n, d->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

/* Fields from here on are inside list[index] (list NULL: at the top level again). */
static void dec_where(decoder_t *d, const char *list, int index)
{
    d->list = list;
    d->index = index;
}

/* cJSON's type tests (cJSON_IsNumber, ...), inline: the decoders make one or two for every
 * field, and cJSON's own are calls into its shared library. The same tests as cJSON 1.7's. */
static inline bool json_is(const cJSON *v, int type)
{
    return v && (v->type & 0xFF) == type;
}

static inline bool json_is_bool(const cJSON *v)
{
    return v && (v->type & (cJSON_True | cJSON_False)) != 0;
}

static const char *json_kind(const cJSON *v)
{
    if (json_is(v, cJSON_String))
        return "a string";
    if (json_is(v, cJSON_Number))
        return "a number";
    if (json_is_bool(v))
        return "a boolean";
    if (json_is(v, cJSON_NULL))
        return "null";
    if (json_is(v, cJSON_Array))
        return "a list";
    if (json_is(v, cJSON_Object))
        return "an object";
    return "something else";
}

static const cJSON *get(const cJSON *obj, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(obj, name);
}

/* Each dec_X(d, obj, name, ...) below reads the member name of obj; its dec_X_v(d, v, name, ...)
 * reads a member already found (v, NULL when absent), for decoders that find all of an object's
 * members in one walk (dec_members). */

/* An integer in [min, max]. Absent: *out = def when optional, an error when required. */
static int dec_int_v(decoder_t *d, const cJSON *v, const char *name, bool required, int64_t min,
                     int64_t max, int64_t def, int64_t *out)
{
    if (!v) {
        if (required)
            return dec_fail(d, PROTO_ERR_FIELD, name, "is missing");
        *out = def;
        return PROTO_OK;
    }
    if (!json_is(v, cJSON_Number))
        return dec_fail(d, PROTO_ERR_FIELD, name, "must be an integer, not %s", json_kind(v));
    double x = v->valuedouble;
    if (!isfinite(x) || x != floor(x))
        return dec_fail(d, PROTO_ERR_RANGE, name, "must be an integer");
    if (x < (double)min || x > (double)max)
        return dec_fail(d, PROTO_ERR_RANGE, name, "must be between %lld and %lld", (long long)min,
                        (long long)max);
    *out = (int64_t)x;
    return PROTO_OK;
}

static int dec_int(decoder_t *d, const cJSON *obj, const char *name, bool required, int64_t min,
                   int64_t max, int64_t def, int64_t *out)
{
    return dec_int_v(d, get(obj, name), name, required, min, max, def, out);
}

/* Shorthands for the common integer widths. */
static int dec_i32(decoder_t *d, const cJSON *obj, const char *name, bool required, int64_t min,
                   int64_t max, int64_t def, int32_t *out)
{
    int64_t v;
    int rc = dec_int(d, obj, name, required, min, max, def, &v);
    if (rc == PROTO_OK)
        *out = (int32_t)v;
    return rc;
}

static int dec_n(decoder_t *d, const cJSON *obj, const char *name, bool required, int64_t min,
                 int64_t max, int64_t def, int *out)
{
    int64_t v;
    int rc = dec_int(d, obj, name, required, min, max, def, &v);
    if (rc == PROTO_OK)
        *out = (int)v;
    return rc;
}

/* A number with up to three decimals, in [min, max] thousandths, rounded to thousandths. */
static int dec_milli_v(decoder_t *d, const cJSON *v, const char *name, int64_t min, int64_t max,
                       int32_t *out)
{
    if (!v)
        return dec_fail(d, PROTO_ERR_FIELD, name, "is missing");
    if (!json_is(v, cJSON_Number))
        return dec_fail(d, PROTO_ERR_FIELD, name, "must be a number, not %s", json_kind(v));
    double x = v->valuedouble * PROTO_MILLI;
    if (!isfinite(x) || x < (double)min - 0.5 || x > (double)max + 0.5)
        return dec_fail(d, PROTO_ERR_RANGE, name, "must be between %lld and %lld",
                        (long long)(min / PROTO_MILLI), (long long)(max / PROTO_MILLI));
    long long m = llround(x);
    if (m < min)
        m = min;
    if (m > max)
        m = max;
    *out = (int32_t)m;
    return PROTO_OK;
}

static int dec_milli(decoder_t *d, const cJSON *obj, const char *name, int64_t min, int64_t max,
                     int32_t *out)
{
    return dec_milli_v(d, get(obj, name), name, min, max, out);
}

static int dec_bool_v(decoder_t *d, const cJSON *v, const char *name, bool required, bool def,
                      bool *out)
{
    if (!v) {
        if (required)
            return dec_fail(d, PROTO_ERR_FIELD, name, "is missing");
        *out = def;
        return PROTO_OK;
    }
    if (!json_is_bool(v))
        return dec_fail(d, PROTO_ERR_FIELD, name, "must be true or false, not %s", json_kind(v));
    *out = json_is(v, cJSON_True);
    return PROTO_OK;
}

static int dec_bool(decoder_t *d, const cJSON *obj, const char *name, bool required, bool def,
                    bool *out)
{
    return dec_bool_v(d, get(obj, name), name, required, def, out);
}

/* True when a decoded string fits a buffer of size bytes and max_chars code points. The line
 * was checked for UTF-8 and escaped NULs already, so the string is well-formed. */
static bool str_fits(const char *s, size_t size, size_t max_chars)
{
    size_t n = strlen(s);
    return (max_chars == PROTO_NO_LIMIT || utf8_count(s, n) <= max_chars) && n <= size - 1;
}

/* "list[i]" in buf: the name of an entry of a list of plain values, made only for its error. */
static const char *entry_name(char *buf, size_t cap, const char *list, int i)
{
    snprintf(buf, cap, "%s[%d]", list, i);
    return buf;
}

/* The same check, failing with the field's name and the limit it passes. */
static int dec_check_str(decoder_t *d, const char *name, const char *s, size_t size,
                         size_t max_chars)
{
    size_t n = strlen(s);
    if (max_chars != PROTO_NO_LIMIT && utf8_count(s, n) > max_chars)
        return dec_fail(d, PROTO_ERR_RANGE, name, "is longer than %zu characters", max_chars);
    if (n > size - 1)
        return dec_fail(d, PROTO_ERR_RANGE, name, "is longer than %zu bytes", size - 1);
    return PROTO_OK;
}

/* dec_check_str for the entry list[i]. */
static int dec_check_entry(decoder_t *d, const char *list, int i, const char *s, size_t size,
                           size_t max_chars)
{
    char name[24];
    if (str_fits(s, size, max_chars))
        return PROTO_OK;
    return dec_check_str(d, entry_name(name, sizeof name, list, i), s, size, max_chars);
}

static int dec_str_v(decoder_t *d, const cJSON *v, const char *name, bool required, char *dst,
                     size_t size, size_t max_chars)
{
    if (!v) {
        if (required)
            return dec_fail(d, PROTO_ERR_FIELD, name, "is missing");
        dst[0] = '\0';
        return PROTO_OK;
    }
    if (!json_is(v, cJSON_String))
        return dec_fail(d, PROTO_ERR_FIELD, name, "must be a string, not %s", json_kind(v));
    int rc = dec_check_str(d, name, v->valuestring, size, max_chars);
    if (rc != PROTO_OK)
        return rc;
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return PROTO_OK;
}

static int dec_str(decoder_t *d, const cJSON *obj, const char *name, bool required, char *dst,
                   size_t size, size_t max_chars)
{
    return dec_str_v(d, get(obj, name), name, required, dst, size, max_chars);
}

/* A required string that is one of two keywords: *is_yes tells which. */
static int dec_keyword(decoder_t *d, const cJSON *obj, const char *name, const char *yes,
                       const char *no, bool *is_yes)
{
    const cJSON *v = get(obj, name);
    if (!v)
        return dec_fail(d, PROTO_ERR_FIELD, name, "is missing");
    if (!json_is(v, cJSON_String))
        return dec_fail(d, PROTO_ERR_FIELD, name, "must be a string, not %s", json_kind(v));
    if (strcmp(v->valuestring, yes) == 0)
        *is_yes = true;
    else if (strcmp(v->valuestring, no) == 0)
        *is_yes = false;
    else
        return dec_fail(d, PROTO_ERR_RANGE, name, "must be \"%s\" or \"%s\"", yes, no);
    return PROTO_OK;
}

/* A list of at most max entries: sets *list (its first entry is (*list)->child) and *n. */
static int dec_list_v(decoder_t *d, const cJSON *v, const char *name, bool required, int max,
                      const cJSON **list, int *n)
{
    *list = NULL;
    *n = 0;
    if (!v) {
        if (required)
            return dec_fail(d, PROTO_ERR_FIELD, name, "is missing");
        return PROTO_OK;
    }
    if (!json_is(v, cJSON_Array))
        return dec_fail(d, PROTO_ERR_FIELD, name, "must be a list, not %s", json_kind(v));
    int count = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (++count > max)
            return dec_fail(d, PROTO_ERR_RANGE, name, "has more than %d entries", max);
    }
    *list = v;
    *n = count;
    return PROTO_OK;
}

static int dec_list(decoder_t *d, const cJSON *obj, const char *name, bool required, int max,
                    const cJSON **list, int *n)
{
    return dec_list_v(d, get(obj, name), name, required, max, list, n);
}

/* Finds the members of obj that a decoder reads in one walk over its children: slot[i] is the
 * first member named names[i], as get() finds it, or NULL. Our encoder writes the members in
 * the order of names, so each child is usually matched by its first comparison; get() for each
 * field would compare a member with every name before it. */
static inline bool key_is(const char *key, const char *name)
{
    while (*key && *key == *name)
        key++, name++;
    return *key == *name; /* names are a few bytes: a loop here is quicker than a strcmp call */
}

static void dec_members(const cJSON *obj, const char *const *names, int n, const cJSON **slot)
{
    int next = 0;
    for (int i = 0; i < n; i++)
        slot[i] = NULL;
    for (const cJSON *c = obj->child; c && c->string; c = c->next) {
        int i = next;
        if (i >= n || !key_is(c->string, names[i])) {
            for (i = 0; i < n && !key_is(c->string, names[i]); i++)
                ;
            if (i == n)
                continue; /* a member this message does not have */
        }
        if (!slot[i])
            slot[i] = c;
        next = i + 1;
    }
}

/* The i-th entry of a list must be an object. */
static int dec_entry_object(decoder_t *d, const char *list, int i, const cJSON *e)
{
    if (json_is(e, cJSON_Object))
        return PROTO_OK;
    char name[40];
    snprintf(name, sizeof name, "%s[%d]", list, i);
    dec_where(d, NULL, 0); /* the entry itself is at the top level, not inside the one before */
    return dec_fail(d, PROTO_ERR_FIELD, name, "must be an object, not %s", json_kind(e));
}

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ != PROTO_OK)                                                                       \
            return rc_;                                                                            \
    } while (0)

static bool tile_valid(char c)
{
    return c == WORLD_WALL || c == WORLD_FLOOR || c == WORLD_SPAWN || c == WORLD_COIN;
}

/* Width, height and tiles of a world (a preview in "select world", the map in "game start"). */
static int dec_world_tiles(decoder_t *d, const cJSON *obj, proto_world_info_t *w)
{
    TRY(dec_n(d, obj, "width", true, WORLD_MIN_SIZE, WORLD_MAX_SIZE, 0, &w->width));
    TRY(dec_n(d, obj, "height", true, WORLD_MIN_SIZE, WORLD_MAX_SIZE, 0, &w->height));
    const cJSON *list, *row;
    int n, i = 0;
    TRY(dec_list(d, obj, "tiles", true, WORLD_MAX_SIZE, &list, &n));
    if (n != w->height)
        return dec_fail(d, PROTO_ERR_RANGE, "tiles", "must have %d rows (the height), not %d",
                        w->height, n);
    cJSON_ArrayForEach(row, list)
    {
        char name[24];
        if (!json_is(row, cJSON_String))
            return dec_fail(d, PROTO_ERR_FIELD, entry_name(name, sizeof name, "tiles", i),
                            "must be a string, not %s", json_kind(row));
        const char *s = row->valuestring;
        size_t len = strlen(s);
        bool ok = len == (size_t)w->width;
        for (size_t k = 0; ok && k < len; k++)
            ok = tile_valid(s[k]);
        if (!ok)
            return dec_fail(d, PROTO_ERR_RANGE, entry_name(name, sizeof name, "tiles", i),
                            "must be %d tiles of '#', '.', 'S' or 'c'", w->width);
        memcpy(w->tiles[i], s, len + 1);
        i++;
    }
    return PROTO_OK;
}

/* "log in" feature names, indexed by bit: PROTO_FEATURE_PARTY is 1u << 0, and so on. */
static const char *const proto_feature_names[] = {"party", "social", "countdown"};
_Static_assert(sizeof proto_feature_names / sizeof proto_feature_names[0] == PROTO_FEATURE_COUNT,
               "a name for each PROTO_FEATURE_* bit");

/* ---------------------------------------------------------------------------------------
 * Decoders, one per message. They fill m->u's member, which proto_decode has zeroed.
 */

static int dec_nothing(decoder_t *d, const cJSON *o, msg_t *m)
{
    (void)d, (void)o, (void)m;
    return PROTO_OK;
}

static int dec_login_features(decoder_t *d, const cJSON *o, msg_login_t *l);
static int dec_lobby_party(decoder_t *d, const cJSON *o, msg_lobby_update_t *u);

static int dec_login(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_login_t *l = &m->u.login;
    /* Only bounded here: the server applies the username rules and answers with a refusal. */
    TRY(dec_str(d, o, "username", true, l->username, sizeof l->username, PROTO_NO_LIMIT));
    TRY(dec_n(d, o, "version", false, 0, INT_MAX, 1, &l->version));
    TRY(dec_login_features(d, o, l));
    l->has_color = get(o, "color") != NULL;
    TRY(dec_n(d, o, "color", false, 0, PALETTE_COUNT - 1, 0, &l->color));
    l->resume_sent = get(o, "resume") != NULL;
    return dec_str(d, o, "resume", false, l->resume, sizeof l->resume, PROTO_NO_LIMIT);
}

static int dec_login_update(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_login_update_t *u = &m->u.login_update;
    TRY(dec_keyword(d, o, "state", "accepted", "refused", &u->accepted));
    TRY(dec_str(d, o, "message", false, u->message, sizeof u->message, PROTO_MAX_TEXT));
    TRY(dec_n(d, o, "version", false, 0, INT_MAX, 0, &u->version));
    return dec_str(d, o, "resume", false, u->resume, sizeof u->resume, PROTO_NO_LIMIT);
}

static int dec_lobby(decoder_t *d, const cJSON *o, msg_t *m)
{
    return dec_str(d, o, "message", false, m->u.lobby.message, sizeof m->u.lobby.message,
                   PROTO_MAX_TEXT);
}

static int dec_lobby_update(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_lobby_update_t *u = &m->u.lobby_update;
    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, "players", true, PROTO_MAX_PLAYERS, &list, &u->nplayers));
    cJSON_ArrayForEach(e, list)
    {
        char name[24];
        if (!json_is(e, cJSON_String))
            return dec_fail(d, PROTO_ERR_FIELD, entry_name(name, sizeof name, "players", i),
                            "must be a string, not %s", json_kind(e));
        TRY(dec_check_entry(d, "players", i, e->valuestring, PROTO_USERNAME_SIZE,
                            PROTO_MAX_USERNAME));
        strcpy(u->players[i], e->valuestring);
        i++;
    }
    TRY(dec_n(d, o, "group_size", true, PROTO_MIN_GROUP, PROTO_MAX_GROUP, 0, &u->group_size));
    return dec_lobby_party(d, o, u);
}

static int dec_select_world(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_select_world_t *s = &m->u.select_world;
    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, "worlds", true, PROTO_MAX_WORLDS, &list, &s->nworlds));
    cJSON_ArrayForEach(e, list)
    {
        proto_world_info_t *w = &s->worlds[i];
        TRY(dec_entry_object(d, "worlds", i, e));
        dec_where(d, "worlds", i);
        TRY(dec_str(d, e, "name", true, w->name, sizeof w->name, PROTO_NO_LIMIT));
        TRY(dec_str(d, e, "description", false, w->description, sizeof w->description,
                    PROTO_NO_LIMIT));
        if (get(e, "width") || get(e, "height") || get(e, "tiles"))
            TRY(dec_world_tiles(d, e, w));
        i++;
    }
    dec_where(d, NULL, 0);
    return dec_n(d, o, "timeout", false, 0, PROTO_MAX_TIMEOUT, 0, &s->timeout);
}

static int dec_vote(decoder_t *d, const cJSON *o, msg_t *m)
{
    /* Any integer: an index outside the offered worlds is the server's "ignored", not an error. */
    return dec_n(d, o, "index", true, INT_MIN, INT_MAX, 0, &m->u.vote.index);
}

static int dec_vote_reply(decoder_t *d, const cJSON *o, msg_t *m)
{
    return dec_keyword(d, o, "input", "considered", "ignored", &m->u.vote_reply.considered);
}

static int dec_votes(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_votes_t *v = &m->u.votes;
    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, "counts", true, PROTO_MAX_WORLDS, &list, &v->ncounts));
    cJSON_ArrayForEach(e, list)
    {
        char name[24];
        if (!json_is(e, cJSON_Number))
            return dec_fail(d, PROTO_ERR_FIELD, entry_name(name, sizeof name, "counts", i),
                            "must be an integer, not %s", json_kind(e));
        double x = e->valuedouble;
        if (!isfinite(x) || x != floor(x) || x < 0 || x > PROTO_MAX_PLAYERS)
            return dec_fail(d, PROTO_ERR_RANGE, entry_name(name, sizeof name, "counts", i),
                            "must be an integer between 0 and %d", PROTO_MAX_PLAYERS);
        v->counts[i++] = (int)x;
    }
    return PROTO_OK;
}

static int dec_game_start(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_game_start_t *g = &m->u.game_start;
    const cJSON *world = get(o, "world");
    if (!world)
        return dec_fail(d, PROTO_ERR_FIELD, "world", "is missing");
    if (!json_is(world, cJSON_Object))
        return dec_fail(d, PROTO_ERR_FIELD, "world", "must be an object, not %s", json_kind(world));
    dec_where(d, "world", -1);
    TRY(dec_str(d, world, "name", true, g->world.name, sizeof g->world.name, PROTO_NO_LIMIT));
    TRY(dec_str(d, world, "description", false, g->world.description, sizeof g->world.description,
                PROTO_NO_LIMIT));
    TRY(dec_world_tiles(d, world, &g->world));
    dec_where(d, NULL, 0);

    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, "players", true, PROTO_MAX_PLAYERS, &list, &g->nplayers));
    if (g->nplayers < 1)
        return dec_fail(d, PROTO_ERR_RANGE, "players", "must not be empty");
    cJSON_ArrayForEach(e, list)
    {
        TRY(dec_entry_object(d, "players", i, e));
        dec_where(d, "players", i);
        TRY(dec_str(d, e, "username", true, g->players[i].username, PROTO_USERNAME_SIZE,
                    PROTO_MAX_USERNAME));
        const cJSON *color, *c;
        int n, k = 0;
        TRY(dec_list(d, e, "color", true, 3, &color, &n));
        if (n != 3)
            return dec_fail(d, PROTO_ERR_RANGE, "color", "must be [red, green, blue]");
        cJSON_ArrayForEach(c, color)
        {
            double x = json_is(c, cJSON_Number) ? c->valuedouble : -1;
            if (!isfinite(x) || x != floor(x) || x < 0 || x > 255)
                return dec_fail(d, PROTO_ERR_RANGE, "color",
                                "must be three integers between 0 and 255");
            g->players[i].color[k++] = (uint8_t)x;
        }
        i++;
    }
    dec_where(d, NULL, 0);
    TRY(dec_str(d, o, "you", true, g->you, sizeof g->you, PROTO_MAX_USERNAME));
    TRY(dec_n(d, o, "tick_rate", true, 1, PROTO_MAX_TICK_RATE, 0, &g->tick_rate));
    TRY(dec_n(d, o, "duration", true, 1, PROTO_MAX_DURATION, 0, &g->duration));
    int64_t seed;
    TRY(dec_int(d, o, "seed", true, 0, (int64_t)PROTO_MAX_SAFE_INTEGER, 0, &seed));
    g->seed = (uint64_t)seed;
    return dec_n(d, o, "countdown_ms", false, 0, PROTO_MAX_COUNTDOWN_MS, 0, &g->countdown_ms);
}

/* "input" and "state" are most of the lines of a game, so their decoders find the members in one
 * walk (dec_members) and then check them in the order of the other decoders' lookups: the same
 * error for every line. "type" is in each list only so that its member matches at once. */
static const char *const dec_input_names[] = {"type", "seq", "dx", "dy", "dash"};
enum { IN_TYPE, IN_SEQ, IN_DX, IN_DY, IN_DASH, IN_COUNT };

static int dec_input(decoder_t *d, const cJSON *o, msg_t *m)
{
    const cJSON *f[IN_COUNT];
    int64_t seq, dx, dy;
    dec_members(o, dec_input_names, IN_COUNT, f);
    TRY(dec_int_v(d, f[IN_SEQ], "seq", true, 0, PROTO_MAX_SEQ, 0, &seq));
    /* Out-of-range directions are refused rather than clamped: the input is ignored whole. */
    TRY(dec_int_v(d, f[IN_DX], "dx", true, -1, 1, 0, &dx));
    TRY(dec_int_v(d, f[IN_DY], "dy", true, -1, 1, 0, &dy));
    m->u.input.seq = (uint32_t)seq;
    m->u.input.dx = (int8_t)dx;
    m->u.input.dy = (int8_t)dy;
    return dec_bool_v(d, f[IN_DASH], "dash", false, false, &m->u.input.dash);
}

static const char *const dec_state_names[] = {"type", "tick", "time_left", "players", "coins"};
enum { ST_TYPE, ST_TICK, ST_TIME_LEFT, ST_PLAYERS, ST_COINS, ST_COUNT };
static const char *const dec_state_player_names[] = {
    "username", "x",   "y",          "score",          "dash",
    "stun",     "ack", "dash_ticks", "cooldown_ticks", "stun_ticks"};
enum {
    SP_USERNAME,
    SP_X,
    SP_Y,
    SP_SCORE,
    SP_DASH,
    SP_STUN,
    SP_ACK,
    SP_DASH_TICKS,
    SP_COOLDOWN_TICKS,
    SP_STUN_TICKS,
    SP_COUNT
};
static const char *const dec_state_coin_names[] = {"x", "y"};

static int dec_state_player(decoder_t *d, const cJSON *e, proto_player_state_t *p)
{
    const cJSON *f[SP_COUNT];
    int64_t v;
    dec_members(e, dec_state_player_names, SP_COUNT, f);
    TRY(dec_str_v(d, f[SP_USERNAME], "username", true, p->username, sizeof p->username,
                  PROTO_MAX_USERNAME));
    TRY(dec_milli_v(d, f[SP_X], "x", 0, WORLD_MAX_SIZE * SIM_ONE, &p->x));
    TRY(dec_milli_v(d, f[SP_Y], "y", 0, WORLD_MAX_SIZE * SIM_ONE, &p->y));
    TRY(dec_int_v(d, f[SP_SCORE], "score", true, INT32_MIN, INT32_MAX, 0, &v));
    p->score = (int32_t)v;
    TRY(dec_bool_v(d, f[SP_DASH], "dash", true, false, &p->dash));
    TRY(dec_bool_v(d, f[SP_STUN], "stun", true, false, &p->stun));
    TRY(dec_int_v(d, f[SP_ACK], "ack", true, 0, UINT32_MAX, 0, &v));
    p->ack = (uint32_t)v;
    TRY(dec_int_v(d, f[SP_DASH_TICKS], "dash_ticks", false, 0, UINT16_MAX, 0, &v));
    p->dash_ticks = (uint16_t)v;
    TRY(dec_int_v(d, f[SP_COOLDOWN_TICKS], "cooldown_ticks", false, 0, UINT16_MAX, 0, &v));
    p->cooldown_ticks = (uint16_t)v;
    TRY(dec_int_v(d, f[SP_STUN_TICKS], "stun_ticks", false, 0, UINT16_MAX, 0, &v));
    p->stun_ticks = (uint16_t)v;
    return PROTO_OK;
}

static int dec_state(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_state_t *s = &m->u.state;
    const cJSON *f[ST_COUNT];
    int64_t tick;
    dec_members(o, dec_state_names, ST_COUNT, f);
    TRY(dec_int_v(d, f[ST_TICK], "tick", true, 0, UINT32_MAX, 0, &tick));
    s->tick = (uint32_t)tick;
    TRY(dec_milli_v(d, f[ST_TIME_LEFT], "time_left", 0, (int64_t)PROTO_MAX_DURATION * PROTO_MILLI,
                    &s->time_left_ms));

    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list_v(d, f[ST_PLAYERS], "players", true, PROTO_MAX_PLAYERS, &list, &s->nplayers));
    cJSON_ArrayForEach(e, list)
    {
        TRY(dec_entry_object(d, "players", i, e));
        dec_where(d, "players", i);
        TRY(dec_state_player(d, e, &s->players[i]));
        i++;
    }
    dec_where(d, NULL, 0);

    i = 0;
    TRY(dec_list_v(d, f[ST_COINS], "coins", true, PROTO_MAX_COINS, &list, &s->ncoins));
    cJSON_ArrayForEach(e, list)
    {
        const cJSON *xy[2];
        TRY(dec_entry_object(d, "coins", i, e));
        dec_where(d, "coins", i);
        dec_members(e, dec_state_coin_names, 2, xy);
        int64_t v;
        TRY(dec_int_v(d, xy[0], "x", true, 0, WORLD_MAX_SIZE - 1, 0, &v));
        s->coins[i].x = (int)v;
        TRY(dec_int_v(d, xy[1], "y", true, 0, WORLD_MAX_SIZE - 1, 0, &v));
        s->coins[i].y = (int)v;
        i++;
    }
    dec_where(d, NULL, 0);
    return PROTO_OK;
}

static int dec_fin(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_fin_t *f = &m->u.fin;
    TRY(dec_str(d, o, "world", true, f->world, sizeof f->world, PROTO_NO_LIMIT));
    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, "results", true, PROTO_MAX_PLAYERS, &list, &f->nresults));
    cJSON_ArrayForEach(e, list)
    {
        proto_result_t *r = &f->results[i];
        TRY(dec_entry_object(d, "results", i, e));
        dec_where(d, "results", i);
        TRY(dec_str(d, e, "username", true, r->username, sizeof r->username, PROTO_MAX_USERNAME));
        TRY(dec_i32(d, e, "score", true, INT32_MIN, INT32_MAX, 0, &r->score));
        TRY(dec_n(d, e, "rank", true, 1, PROTO_MAX_PLAYERS, 0, &r->rank));
        i++;
    }
    dec_where(d, NULL, 0);
    return dec_n(d, o, "continue_ms", false, 0, PROTO_MAX_CONTINUE_MS, 0, &f->continue_ms);
}

static int dec_chat_send(decoder_t *d, const cJSON *o, msg_t *m)
{
    return dec_str(d, o, "text", true, m->u.chat_send.text, sizeof m->u.chat_send.text,
                   PROTO_MAX_CHAT);
}

static int dec_chat(decoder_t *d, const cJSON *o, msg_t *m)
{
    TRY(dec_str(d, o, "from", true, m->u.chat.from, sizeof m->u.chat.from, PROTO_MAX_USERNAME));
    return dec_str(d, o, "text", true, m->u.chat.text, sizeof m->u.chat.text, PROTO_MAX_CHAT);
}

static int dec_notice(decoder_t *d, const cJSON *o, msg_t *m)
{
    return dec_str(d, o, "text", true, m->u.notice.text, sizeof m->u.notice.text, PROTO_MAX_TEXT);
}

static int dec_evening(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_evening_t *ev = &m->u.evening;
    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, "players", true, PROTO_MAX_EVENING, &list, &ev->nrows));
    cJSON_ArrayForEach(e, list)
    {
        proto_evening_row_t *r = &ev->rows[i];
        TRY(dec_entry_object(d, "players", i, e));
        dec_where(d, "players", i);
        TRY(dec_str(d, e, "username", true, r->username, sizeof r->username, PROTO_MAX_USERNAME));
        TRY(dec_n(d, e, "played", true, 0, PROTO_MAX_ROUNDS, 0, &r->played));
        TRY(dec_n(d, e, "won", true, 0, PROTO_MAX_ROUNDS, 0, &r->won));
        TRY(dec_i32(d, e, "points", true, INT32_MIN, INT32_MAX, 0, &r->points));
        i++;
    }
    dec_where(d, NULL, 0);
    return PROTO_OK;
}

static int dec_group(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_group_t *g = &m->u.group;
    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, "players", true, PROTO_MAX_PLAYERS, &list, &g->nplayers));
    cJSON_ArrayForEach(e, list)
    {
        TRY(dec_entry_object(d, "players", i, e));
        dec_where(d, "players", i);
        TRY(dec_str(d, e, "username", true, g->players[i].username, sizeof g->players[i].username,
                    PROTO_MAX_USERNAME));
        TRY(dec_bool(d, e, "voted", true, false, &g->players[i].voted));
        TRY(dec_bool(d, e, "left", false, false, &g->players[i].left));
        i++;
    }
    dec_where(d, NULL, 0);
    return PROTO_OK;
}

static int dec_error(decoder_t *d, const cJSON *o, msg_t *m)
{
    return dec_str(d, o, "message", true, m->u.error.message, sizeof m->u.error.message,
                   PROTO_MAX_TEXT);
}

static int dec_status(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_status_t *s = &m->u.status;
    TRY(dec_n(d, o, "version", true, 0, INT_MAX, 0, &s->version));
    TRY(dec_n(d, o, "players", true, 0, INT_MAX, 0, &s->players));
    TRY(dec_n(d, o, "lobby", true, 0, INT_MAX, 0, &s->lobby));
    TRY(dec_n(d, o, "games", true, 0, INT_MAX, 0, &s->games));
    TRY(dec_n(d, o, "group_size", true, 0, INT_MAX, 0, &s->group_size));
    return dec_int(d, o, "uptime", true, 0, (int64_t)PROTO_MAX_SAFE_INTEGER, 0, &s->uptime);
}

static int dec_discover(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_discover_t *q = &m->u.discover;
    TRY(dec_n(d, o, "version", true, 0, INT_MAX, 0, &q->version));
    return dec_str(d, o, "token", true, q->token, sizeof q->token, PROTO_NO_LIMIT);
}

static int dec_server_info(decoder_t *d, const cJSON *o, msg_t *m)
{
    msg_server_info_t *s = &m->u.server_info;
    TRY(dec_str(d, o, "token", true, s->token, sizeof s->token, PROTO_NO_LIMIT));
    TRY(dec_str(d, o, "name", true, s->name, sizeof s->name, PROTO_NO_LIMIT));
    TRY(dec_n(d, o, "port", true, 1, 65535, 0, &s->port));
    TRY(dec_n(d, o, "version", true, 0, INT_MAX, 0, &s->version));
    TRY(dec_str(d, o, "id", true, s->id, sizeof s->id, PROTO_NO_LIMIT));
    TRY(dec_n(d, o, "players", true, 0, INT_MAX, 0, &s->players));
    TRY(dec_n(d, o, "lobby", true, 0, INT_MAX, 0, &s->lobby));
    TRY(dec_n(d, o, "group_size", true, 0, INT_MAX, 0, &s->group_size));
    return dec_n(d, o, "worlds", true, 0, INT_MAX, 0, &s->worlds);
}

/* "log in" features: names this client understands; names it does not know are ignored. */
static int dec_login_features(decoder_t *d, const cJSON *o, msg_login_t *l)
{
    const cJSON *list, *e;
    int n, i = 0;
    TRY(dec_list(d, o, "features", false, PROTO_MAX_FEATURES, &list, &n));
    cJSON_ArrayForEach(e, list)
    {
        char name[24];
        if (!json_is(e, cJSON_String))
            return dec_fail(d, PROTO_ERR_FIELD, entry_name(name, sizeof name, "features", i),
                            "must be a string, not %s", json_kind(e));
        TRY(dec_check_entry(d, "features", i, e->valuestring, PROTO_MAX_FEATURE + 1,
                            PROTO_NO_LIMIT));
        i++;
        for (int f = 0; f < PROTO_FEATURE_COUNT; f++)
            if (strcmp(e->valuestring, proto_feature_names[f]) == 0)
                l->features |= 1u << f;
    }
    return dec_str(d, o, "admin", false, l->admin, sizeof l->admin, PROTO_NO_LIMIT);
}

/* A list of usernames (min .. max entries) into names. */
static int dec_names(decoder_t *d, const cJSON *o, const char *field, bool required, int min,
                     int max, char (*names)[PROTO_USERNAME_SIZE], int *n)
{
    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, field, required, max, &list, n));
    if (list && *n < min)
        return dec_fail(d, PROTO_ERR_RANGE, field, "has fewer than %d entries", min);
    cJSON_ArrayForEach(e, list)
    {
        char name[24];
        if (!json_is(e, cJSON_String))
            return dec_fail(d, PROTO_ERR_FIELD, entry_name(name, sizeof name, field, i),
                            "must be a string, not %s", json_kind(e));
        TRY(dec_check_entry(d, field, i, e->valuestring, PROTO_USERNAME_SIZE, PROTO_MAX_USERNAME));
        strcpy(names[i], e->valuestring);
        i++;
    }
    return PROTO_OK;
}

static const char *const proto_phase_names[] = {"vote", "game", "end"};

static int dec_group_info(decoder_t *d, const cJSON *e, proto_group_info_t *g)
{
    TRY(dec_names(d, e, "players", true, 1, PROTO_MAX_PLAYERS, g->players, &g->nplayers));
    const cJSON *v = get(e, "phase");
    if (!v)
        return dec_fail(d, PROTO_ERR_FIELD, "phase", "is missing");
    if (!json_is(v, cJSON_String))
        return dec_fail(d, PROTO_ERR_FIELD, "phase", "must be a string, not %s", json_kind(v));
    int k = 0;
    while (k < 3 && strcmp(v->valuestring, proto_phase_names[k]) != 0)
        k++;
    if (k == 3)
        return dec_fail(d, PROTO_ERR_RANGE, "phase", "must be \"vote\", \"game\" or \"end\"");
    g->phase = (proto_phase_t)k;
    TRY(dec_str(d, e, "world", false, g->world, sizeof g->world, PROTO_NO_LIMIT));
    return dec_milli(d, e, "time_left", 0, (int64_t)PROTO_MAX_DURATION * PROTO_MILLI,
                     &g->time_left_ms);
}

/* The server view of "lobby update", present for clients with the "party" feature. */
static int dec_lobby_party(decoder_t *d, const cJSON *o, msg_lobby_update_t *u)
{
    if (!get(o, "games"))
        return PROTO_OK;
    u->party = true;
    TRY(dec_n(d, o, "games", true, 0, INT_MAX, 0, &u->games));
    TRY(dec_str(d, o, "host", false, u->host, sizeof u->host, PROTO_MAX_USERNAME));
    TRY(dec_names(d, o, "ready", false, 0, PROTO_MAX_PLAYERS, u->ready, &u->nready));
    u->has_wait = get(o, "wait") != NULL;
    if (u->has_wait)
        TRY(dec_milli(d, o, "wait", 0, (int64_t)PROTO_MAX_WAIT * PROTO_MILLI, &u->wait_ms));
    const cJSON *list, *e;
    int i = 0;
    TRY(dec_list(d, o, "groups", false, PROTO_MAX_LOBBY_GROUPS, &list, &u->ngroups));
    cJSON_ArrayForEach(e, list)
    {
        TRY(dec_entry_object(d, "groups", i, e));
        dec_where(d, "groups", i);
        TRY(dec_group_info(d, e, &u->groups[i]));
        i++;
    }
    dec_where(d, NULL, 0);
    return PROTO_OK;
}

static int dec_start(decoder_t *d, const cJSON *o, msg_t *m)
{
    return dec_bool(d, o, "ready", false, true, &m->u.start.ready);
}

static int dec_kick(decoder_t *d, const cJSON *o, msg_t *m)
{
    TRY(dec_str(d, o, "username", true, m->u.kick.username, sizeof m->u.kick.username,
                PROTO_MAX_USERNAME));
    return dec_str(d, o, "reason", false, m->u.kick.reason, sizeof m->u.kick.reason,
                   PROTO_MAX_TEXT);
}

static int dec_closing(decoder_t *d, const cJSON *o, msg_t *m)
{
    return dec_str(d, o, "message", true, m->u.closing.message, sizeof m->u.closing.message,
                   PROTO_MAX_TEXT);
}

static int dec_bye(decoder_t *d, const cJSON *o, msg_t *m)
{
    TRY(dec_str(d, o, "reason", true, m->u.bye.reason, sizeof m->u.bye.reason, PROTO_NO_LIMIT));
    return dec_str(d, o, "message", true, m->u.bye.message, sizeof m->u.bye.message,
                   PROTO_MAX_TEXT);
}

/* ---------------------------------------------------------------------------------------
 * The writer: compact JSON straight into the caller's buffer. It checks what it writes
 * against the limits proto_decode applies, so every encoded line decodes.
 */

typedef struct writer {
    char *buf;
    size_t cap; /* usable bytes: min(buffer, PROTO_MAX_LINE) */
    size_t len;
    bool full; /* ran out of room */
    bool bad;  /* the message holds something the protocol does not allow */
} writer_t;

static void w_raw(writer_t *w, const char *s, size_t n)
{
    if (w->full || n > w->cap - w->len) {
        w->full = true;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

#define W_LIT(w, s) w_raw((w), (s), sizeof(s) - 1)
/* A list entry: a comma before every entry but the first, then the literal. */
#define W_SEP(w, i, s)                                                                             \
    do {                                                                                           \
        if ((i) > 0)                                                                               \
            W_LIT(w, ",");                                                                         \
        W_LIT(w, s);                                                                               \
    } while (0)

static void w_uint(writer_t *w, uint64_t v)
{
    char tmp[24];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    w_raw(w, tmp + n, sizeof tmp - n);
}

static void w_int(writer_t *w, int64_t v)
{
    if (v < 0) {
        W_LIT(w, "-");
        w_uint(w, (uint64_t)0 - (uint64_t)v);
    } else {
        w_uint(w, (uint64_t)v);
    }
}

/* An integer checked against [min, max]. */
static void w_int_in(writer_t *w, int64_t v, int64_t min, int64_t max)
{
    if (v < min || v > max)
        w->bad = true;
    w_int(w, v);
}

/* Thousandths as a decimal with at most three decimals: 12345 -> 12.345, 12500 -> 12.5. */
static void w_milli(writer_t *w, int64_t v, int64_t min, int64_t max)
{
    if (v < min || v > max)
        w->bad = true;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        W_LIT(w, "-");
    w_uint(w, u / PROTO_MILLI);
    unsigned frac = (unsigned)(u % PROTO_MILLI);
    if (frac) {
        char tmp[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                       (char)('0' + frac % 10)};
        size_t n = 4;
        while (tmp[n - 1] == '0')
            n--;
        w_raw(w, tmp, n);
    }
}

static void w_bool(writer_t *w, bool b)
{
    if (b)
        W_LIT(w, "true");
    else
        W_LIT(w, "false");
}

/* A quoted string from a buffer of size bytes: NUL-terminated inside it, UTF-8, at most
 * max_chars code points. Escapes '"', '\\' and control characters. */
static void w_str(writer_t *w, const char *s, size_t size, size_t max_chars)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strnlen(s, size);
    if (n == size || !utf8_valid(s, n) ||
        (max_chars != PROTO_NO_LIMIT && utf8_count(s, n) > max_chars)) {
        w->bad = true;
        return;
    }
    W_LIT(w, "\"");
    size_t run = 0; /* start of the bytes not yet written */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        w_raw(w, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t len = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
            break;
        }
        w_raw(w, esc, len);
    }
    w_raw(w, s + run, n - run);
    W_LIT(w, "\"");
}

#define W_STR(w, field)      w_str((w), (field), sizeof(field), PROTO_NO_LIMIT)
#define W_USERNAME(w, field) w_str((w), (field), sizeof(field), PROTO_MAX_USERNAME)

/* A list's count must be within [min, max] before its entries are read. */
static bool w_count_ok(writer_t *w, int n, int min, int max)
{
    if (n < min || n > max) {
        w->bad = true;
        return false;
    }
    return true;
}

static void w_world_tiles(writer_t *w, const proto_world_info_t *info)
{
    W_LIT(w, ",\"width\":");
    w_int_in(w, info->width, WORLD_MIN_SIZE, WORLD_MAX_SIZE);
    W_LIT(w, ",\"height\":");
    w_int_in(w, info->height, WORLD_MIN_SIZE, WORLD_MAX_SIZE);
    if (w->bad)
        return;
    W_LIT(w, ",\"tiles\":[");
    for (int r = 0; r < info->height; r++) {
        const char *row = info->tiles[r];
        bool ok = strnlen(row, sizeof info->tiles[r]) == (size_t)info->width;
        for (int c = 0; ok && c < info->width; c++)
            ok = tile_valid(row[c]);
        if (!ok) {
            w->bad = true;
            return;
        }
        if (r > 0)
            W_LIT(w, ",");
        W_LIT(w, "\"");
        w_raw(w, row, (size_t)info->width);
        W_LIT(w, "\"");
    }
    W_LIT(w, "]");
}

/* ---------------------------------------------------------------------------------------
 * Encoders, one per message: each writes the fields after "type", each with its comma.
 */

static void enc_nothing(writer_t *w, const msg_t *m)
{
    (void)w, (void)m;
}

static void enc_login_features(writer_t *w, const msg_login_t *l);
static void enc_lobby_party(writer_t *w, const msg_lobby_update_t *u);

static void enc_login(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"username\":");
    W_STR(w, m->u.login.username);
    W_LIT(w, ",\"version\":");
    w_int_in(w, m->u.login.version, 0, INT_MAX);
    enc_login_features(w, &m->u.login);
    if (m->u.login.has_color) {
        W_LIT(w, ",\"color\":");
        w_int_in(w, m->u.login.color, 0, PALETTE_COUNT - 1);
    }
    if (m->u.login.resume_sent) {
        W_LIT(w, ",\"resume\":");
        W_STR(w, m->u.login.resume);
    }
}

static void enc_login_update(writer_t *w, const msg_t *m)
{
    const msg_login_update_t *u = &m->u.login_update;
    if (u->accepted)
        W_LIT(w, ",\"state\":\"accepted\"");
    else
        W_LIT(w, ",\"state\":\"refused\"");
    if (!u->accepted || u->message[0]) {
        W_LIT(w, ",\"message\":");
        w_str(w, u->message, sizeof u->message, PROTO_MAX_TEXT);
    }
    if (u->version != 0) {
        W_LIT(w, ",\"version\":");
        w_int_in(w, u->version, 0, INT_MAX);
    }
    if (u->resume[0]) {
        W_LIT(w, ",\"resume\":");
        W_STR(w, u->resume);
    }
}

static void enc_lobby(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"message\":");
    w_str(w, m->u.lobby.message, sizeof m->u.lobby.message, PROTO_MAX_TEXT);
}

static void enc_lobby_update(writer_t *w, const msg_t *m)
{
    const msg_lobby_update_t *u = &m->u.lobby_update;
    if (!w_count_ok(w, u->nplayers, 0, PROTO_MAX_PLAYERS))
        return;
    W_LIT(w, ",\"players\":[");
    for (int i = 0; i < u->nplayers; i++) {
        if (i > 0)
            W_LIT(w, ",");
        W_USERNAME(w, u->players[i]);
    }
    W_LIT(w, "],\"group_size\":");
    w_int_in(w, u->group_size, PROTO_MIN_GROUP, PROTO_MAX_GROUP);
    if (u->party)
        enc_lobby_party(w, u);
}

static void enc_select_world(writer_t *w, const msg_t *m)
{
    const msg_select_world_t *s = &m->u.select_world;
    if (!w_count_ok(w, s->nworlds, 0, PROTO_MAX_WORLDS))
        return;
    W_LIT(w, ",\"worlds\":[");
    for (int i = 0; i < s->nworlds; i++) {
        const proto_world_info_t *info = &s->worlds[i];
        W_SEP(w, i, "{\"name\":");
        W_STR(w, info->name);
        W_LIT(w, ",\"description\":");
        W_STR(w, info->description);
        if (info->width > 0)
            w_world_tiles(w, info);
        W_LIT(w, "}");
    }
    W_LIT(w, "],\"timeout\":");
    w_int_in(w, s->timeout, 0, PROTO_MAX_TIMEOUT);
}

static void enc_vote(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"index\":");
    w_int(w, m->u.vote.index);
}

static void enc_vote_reply(writer_t *w, const msg_t *m)
{
    if (m->u.vote_reply.considered)
        W_LIT(w, ",\"input\":\"considered\"");
    else
        W_LIT(w, ",\"input\":\"ignored\"");
}

static void enc_votes(writer_t *w, const msg_t *m)
{
    const msg_votes_t *v = &m->u.votes;
    if (!w_count_ok(w, v->ncounts, 0, PROTO_MAX_WORLDS))
        return;
    W_LIT(w, ",\"counts\":[");
    for (int i = 0; i < v->ncounts; i++) {
        if (i > 0)
            W_LIT(w, ",");
        w_int_in(w, v->counts[i], 0, PROTO_MAX_PLAYERS);
    }
    W_LIT(w, "]");
}

static void enc_game_start(writer_t *w, const msg_t *m)
{
    const msg_game_start_t *g = &m->u.game_start;
    W_LIT(w, ",\"world\":{\"name\":");
    W_STR(w, g->world.name);
    if (g->world.description[0]) {
        W_LIT(w, ",\"description\":");
        W_STR(w, g->world.description);
    }
    w_world_tiles(w, &g->world);
    if (!w_count_ok(w, g->nplayers, 1, PROTO_MAX_PLAYERS))
        return;
    W_LIT(w, "},\"players\":[");
    for (int i = 0; i < g->nplayers; i++) {
        W_SEP(w, i, "{\"username\":");
        W_USERNAME(w, g->players[i].username);
        W_LIT(w, ",\"color\":[");
        w_uint(w, g->players[i].color[0]);
        W_LIT(w, ",");
        w_uint(w, g->players[i].color[1]);
        W_LIT(w, ",");
        w_uint(w, g->players[i].color[2]);
        W_LIT(w, "]}");
    }
    W_LIT(w, "],\"you\":");
    W_USERNAME(w, g->you);
    W_LIT(w, ",\"tick_rate\":");
    w_int_in(w, g->tick_rate, 1, PROTO_MAX_TICK_RATE);
    W_LIT(w, ",\"duration\":");
    w_int_in(w, g->duration, 1, PROTO_MAX_DURATION);
    W_LIT(w, ",\"seed\":");
    if (g->seed > PROTO_MAX_SAFE_INTEGER)
        w->bad = true;
    w_uint(w, g->seed);
    if (g->countdown_ms != 0) {
        W_LIT(w, ",\"countdown_ms\":");
        w_int_in(w, g->countdown_ms, 0, PROTO_MAX_COUNTDOWN_MS);
    }
}

static void enc_input(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"seq\":");
    w_uint(w, m->u.input.seq);
    W_LIT(w, ",\"dx\":");
    w_int_in(w, m->u.input.dx, -1, 1);
    W_LIT(w, ",\"dy\":");
    w_int_in(w, m->u.input.dy, -1, 1);
    W_LIT(w, ",\"dash\":");
    w_bool(w, m->u.input.dash);
}

static void enc_state(writer_t *w, const msg_t *m)
{
    const msg_state_t *s = &m->u.state;
    W_LIT(w, ",\"tick\":");
    w_uint(w, s->tick);
    W_LIT(w, ",\"time_left\":");
    w_milli(w, s->time_left_ms, 0, (int64_t)PROTO_MAX_DURATION * PROTO_MILLI);
    if (!w_count_ok(w, s->nplayers, 0, PROTO_MAX_PLAYERS) ||
        !w_count_ok(w, s->ncoins, 0, PROTO_MAX_COINS))
        return;
    W_LIT(w, ",\"players\":[");
    for (int i = 0; i < s->nplayers; i++) {
        const proto_player_state_t *p = &s->players[i];
        W_SEP(w, i, "{\"username\":");
        W_USERNAME(w, p->username);
        W_LIT(w, ",\"x\":");
        w_milli(w, p->x, 0, WORLD_MAX_SIZE * SIM_ONE);
        W_LIT(w, ",\"y\":");
        w_milli(w, p->y, 0, WORLD_MAX_SIZE * SIM_ONE);
        W_LIT(w, ",\"score\":");
        w_int(w, p->score);
        W_LIT(w, ",\"dash\":");
        w_bool(w, p->dash);
        W_LIT(w, ",\"stun\":");
        w_bool(w, p->stun);
        W_LIT(w, ",\"ack\":");
        w_uint(w, p->ack);
        W_LIT(w, ",\"dash_ticks\":");
        w_uint(w, p->dash_ticks);
        W_LIT(w, ",\"cooldown_ticks\":");
        w_uint(w, p->cooldown_ticks);
        W_LIT(w, ",\"stun_ticks\":");
        w_uint(w, p->stun_ticks);
        W_LIT(w, "}");
    }
    W_LIT(w, "],\"coins\":[");
    for (int i = 0; i < s->ncoins; i++) {
        W_SEP(w, i, "{\"x\":");
        w_int_in(w, s->coins[i].x, 0, WORLD_MAX_SIZE - 1);
        W_LIT(w, ",\"y\":");
        w_int_in(w, s->coins[i].y, 0, WORLD_MAX_SIZE - 1);
        W_LIT(w, "}");
    }
    W_LIT(w, "]");
}

static void enc_fin(writer_t *w, const msg_t *m)
{
    const msg_fin_t *f = &m->u.fin;
    W_LIT(w, ",\"world\":");
    W_STR(w, f->world);
    if (!w_count_ok(w, f->nresults, 0, PROTO_MAX_PLAYERS))
        return;
    W_LIT(w, ",\"results\":[");
    for (int i = 0; i < f->nresults; i++) {
        W_SEP(w, i, "{\"username\":");
        W_USERNAME(w, f->results[i].username);
        W_LIT(w, ",\"score\":");
        w_int(w, f->results[i].score);
        W_LIT(w, ",\"rank\":");
        w_int_in(w, f->results[i].rank, 1, PROTO_MAX_PLAYERS);
        W_LIT(w, "}");
    }
    W_LIT(w, "]");
    if (f->continue_ms != 0) {
        W_LIT(w, ",\"continue_ms\":");
        w_int_in(w, f->continue_ms, 0, PROTO_MAX_CONTINUE_MS);
    }
}

static void enc_chat_send(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"text\":");
    w_str(w, m->u.chat_send.text, sizeof m->u.chat_send.text, PROTO_MAX_CHAT);
}

static void enc_chat(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"from\":");
    W_USERNAME(w, m->u.chat.from);
    W_LIT(w, ",\"text\":");
    w_str(w, m->u.chat.text, sizeof m->u.chat.text, PROTO_MAX_CHAT);
}

static void enc_notice(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"text\":");
    w_str(w, m->u.notice.text, sizeof m->u.notice.text, PROTO_MAX_TEXT);
}

static void enc_evening(writer_t *w, const msg_t *m)
{
    const msg_evening_t *ev = &m->u.evening;
    if (!w_count_ok(w, ev->nrows, 0, PROTO_MAX_EVENING))
        return;
    W_LIT(w, ",\"players\":[");
    for (int i = 0; i < ev->nrows; i++) {
        const proto_evening_row_t *r = &ev->rows[i];
        W_SEP(w, i, "{\"username\":");
        W_USERNAME(w, r->username);
        W_LIT(w, ",\"played\":");
        w_int_in(w, r->played, 0, PROTO_MAX_ROUNDS);
        W_LIT(w, ",\"won\":");
        w_int_in(w, r->won, 0, PROTO_MAX_ROUNDS);
        W_LIT(w, ",\"points\":");
        w_int(w, r->points);
        W_LIT(w, "}");
    }
    W_LIT(w, "]");
}

static void enc_group(writer_t *w, const msg_t *m)
{
    const msg_group_t *g = &m->u.group;
    if (!w_count_ok(w, g->nplayers, 0, PROTO_MAX_PLAYERS))
        return;
    W_LIT(w, ",\"players\":[");
    for (int i = 0; i < g->nplayers; i++) {
        W_SEP(w, i, "{\"username\":");
        W_USERNAME(w, g->players[i].username);
        W_LIT(w, ",\"voted\":");
        w_bool(w, g->players[i].voted);
        if (g->players[i].left)
            W_LIT(w, ",\"left\":true");
        W_LIT(w, "}");
    }
    W_LIT(w, "]");
}

static void enc_error(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"message\":");
    w_str(w, m->u.error.message, sizeof m->u.error.message, PROTO_MAX_TEXT);
}

static void enc_status(writer_t *w, const msg_t *m)
{
    const msg_status_t *s = &m->u.status;
    W_LIT(w, ",\"version\":");
    w_int_in(w, s->version, 0, INT_MAX);
    W_LIT(w, ",\"players\":");
    w_int_in(w, s->players, 0, INT_MAX);
    W_LIT(w, ",\"lobby\":");
    w_int_in(w, s->lobby, 0, INT_MAX);
    W_LIT(w, ",\"games\":");
    w_int_in(w, s->games, 0, INT_MAX);
    W_LIT(w, ",\"group_size\":");
    w_int_in(w, s->group_size, 0, INT_MAX);
    W_LIT(w, ",\"uptime\":");
    w_int_in(w, s->uptime, 0, (int64_t)PROTO_MAX_SAFE_INTEGER);
}

static void enc_discover(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"version\":");
    w_int_in(w, m->u.discover.version, 0, INT_MAX);
    W_LIT(w, ",\"token\":");
    W_STR(w, m->u.discover.token);
}

static void enc_server_info(writer_t *w, const msg_t *m)
{
    const msg_server_info_t *s = &m->u.server_info;
    W_LIT(w, ",\"token\":");
    W_STR(w, s->token);
    W_LIT(w, ",\"name\":");
    W_STR(w, s->name);
    W_LIT(w, ",\"port\":");
    w_int_in(w, s->port, 1, 65535);
    W_LIT(w, ",\"version\":");
    w_int_in(w, s->version, 0, INT_MAX);
    W_LIT(w, ",\"id\":");
    W_STR(w, s->id);
    W_LIT(w, ",\"players\":");
    w_int_in(w, s->players, 0, INT_MAX);
    W_LIT(w, ",\"lobby\":");
    w_int_in(w, s->lobby, 0, INT_MAX);
    W_LIT(w, ",\"group_size\":");
    w_int_in(w, s->group_size, 0, INT_MAX);
    W_LIT(w, ",\"worlds\":");
    w_int_in(w, s->worlds, 0, INT_MAX);
}

static void enc_login_features(writer_t *w, const msg_login_t *l)
{
    bool first = true;
    for (int f = 0; f < PROTO_FEATURE_COUNT; f++) {
        const char *name = proto_feature_names[f];
        if (!(l->features & (1u << f)))
            continue;
        if (first)
            W_LIT(w, ",\"features\":[");
        else
            W_LIT(w, ",");
        w_str(w, name, strlen(name) + 1, PROTO_NO_LIMIT);
        first = false;
    }
    if (!first)
        W_LIT(w, "]");
    if (l->admin[0]) {
        W_LIT(w, ",\"admin\":");
        W_STR(w, l->admin);
    }
}

static void w_names(writer_t *w, const char (*names)[PROTO_USERNAME_SIZE], int n, int min, int max)
{
    if (!w_count_ok(w, n, min, max))
        return;
    W_LIT(w, "[");
    for (int i = 0; i < n; i++) {
        if (i > 0)
            W_LIT(w, ",");
        W_USERNAME(w, names[i]);
    }
    W_LIT(w, "]");
}

static void enc_lobby_party(writer_t *w, const msg_lobby_update_t *u)
{
    W_LIT(w, ",\"games\":");
    w_int_in(w, u->games, 0, INT_MAX);
    if (u->host[0]) {
        W_LIT(w, ",\"host\":");
        W_USERNAME(w, u->host);
    }
    W_LIT(w, ",\"ready\":");
    w_names(w, u->ready, u->nready, 0, PROTO_MAX_PLAYERS);
    if (u->has_wait) {
        W_LIT(w, ",\"wait\":");
        w_milli(w, u->wait_ms, 0, (int64_t)PROTO_MAX_WAIT * PROTO_MILLI);
    }
    if (!w_count_ok(w, u->ngroups, 0, PROTO_MAX_LOBBY_GROUPS))
        return;
    W_LIT(w, ",\"groups\":[");
    for (int i = 0; i < u->ngroups; i++) {
        const proto_group_info_t *g = &u->groups[i];
        W_SEP(w, i, "{\"players\":");
        w_names(w, g->players, g->nplayers, 1, PROTO_MAX_PLAYERS);
        if (g->phase < PROTO_PHASE_VOTE || g->phase > PROTO_PHASE_END) {
            w->bad = true;
            return;
        }
        W_LIT(w, ",\"phase\":\"");
        w_raw(w, proto_phase_names[g->phase], strlen(proto_phase_names[g->phase]));
        W_LIT(w, "\"");
        if (g->world[0]) {
            W_LIT(w, ",\"world\":");
            W_STR(w, g->world);
        }
        W_LIT(w, ",\"time_left\":");
        w_milli(w, g->time_left_ms, 0, (int64_t)PROTO_MAX_DURATION * PROTO_MILLI);
        W_LIT(w, "}");
    }
    W_LIT(w, "]");
}

static void enc_start(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"ready\":");
    w_bool(w, m->u.start.ready);
}

static void enc_kick(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"username\":");
    W_USERNAME(w, m->u.kick.username);
    if (m->u.kick.reason[0]) {
        W_LIT(w, ",\"reason\":");
        w_str(w, m->u.kick.reason, sizeof m->u.kick.reason, PROTO_MAX_TEXT);
    }
}

static void enc_closing(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"message\":");
    w_str(w, m->u.closing.message, sizeof m->u.closing.message, PROTO_MAX_TEXT);
}

static void enc_bye(writer_t *w, const msg_t *m)
{
    W_LIT(w, ",\"reason\":");
    W_STR(w, m->u.bye.reason);
    W_LIT(w, ",\"message\":");
    w_str(w, m->u.bye.message, sizeof m->u.bye.message, PROTO_MAX_TEXT);
}

/* ---------------------------------------------------------------------------------------
 * The table of message types: the one place that maps names and directions to code.
 */

typedef int (*proto_decode_fn)(decoder_t *d, const cJSON *obj, msg_t *m);
typedef void (*proto_encode_fn)(writer_t *w, const msg_t *m);

typedef struct proto_type {
    const char *name;
    proto_dir_t dir;
    proto_decode_fn decode;
    proto_encode_fn encode;
    size_t size; /* bytes of msg_t.u this message uses, zeroed before decoding */
} proto_type_t;

#define U_SIZE(member) sizeof(((msg_t *)0)->u.member)

static const proto_type_t proto_types[MSG_COUNT] = {
    [MSG_LOGIN_PROMPT] = {"log in", PROTO_TO_CLIENT, dec_nothing, enc_nothing, 0},
    [MSG_LOGIN] = {"log in", PROTO_TO_SERVER, dec_login, enc_login, U_SIZE(login)},
    [MSG_LOGIN_UPDATE] = {"log in update", PROTO_TO_CLIENT, dec_login_update, enc_login_update,
                          U_SIZE(login_update)},
    [MSG_LOBBY] = {"lobby", PROTO_TO_CLIENT, dec_lobby, enc_lobby, U_SIZE(lobby)},
    [MSG_LOBBY_UPDATE] = {"lobby update", PROTO_TO_CLIENT, dec_lobby_update, enc_lobby_update,
                          U_SIZE(lobby_update)},
    [MSG_SELECT_WORLD] = {"select world", PROTO_TO_CLIENT, dec_select_world, enc_select_world,
                          U_SIZE(select_world)},
    [MSG_VOTE] = {"vote", PROTO_TO_SERVER, dec_vote, enc_vote, U_SIZE(vote)},
    [MSG_VOTE_REPLY] = {"vote", PROTO_TO_CLIENT, dec_vote_reply, enc_vote_reply,
                        U_SIZE(vote_reply)},
    [MSG_VOTES] = {"votes", PROTO_TO_CLIENT, dec_votes, enc_votes, U_SIZE(votes)},
    [MSG_GAME_START] = {"game start", PROTO_TO_CLIENT, dec_game_start, enc_game_start,
                        U_SIZE(game_start)},
    [MSG_INPUT] = {"input", PROTO_TO_SERVER, dec_input, enc_input, U_SIZE(input)},
    [MSG_STATE] = {"state", PROTO_TO_CLIENT, dec_state, enc_state, U_SIZE(state)},
    [MSG_FINISH] = {"fin", PROTO_TO_CLIENT, dec_fin, enc_fin, U_SIZE(fin)},
    [MSG_CONTINUE] = {"continue", PROTO_TO_SERVER, dec_nothing, enc_nothing, 0},
    [MSG_CHAT_SEND] = {"chat", PROTO_TO_SERVER, dec_chat_send, enc_chat_send, U_SIZE(chat_send)},
    [MSG_CHAT] = {"chat", PROTO_TO_CLIENT, dec_chat, enc_chat, U_SIZE(chat)},
    [MSG_PING] = {"ping", PROTO_EITHER, dec_nothing, enc_nothing, 0},
    [MSG_PONG] = {"pong", PROTO_EITHER, dec_nothing, enc_nothing, 0},
    [MSG_QUIT] = {"quit", PROTO_TO_SERVER, dec_nothing, enc_nothing, 0},
    [MSG_ERROR] = {"error", PROTO_EITHER, dec_error, enc_error, U_SIZE(error)},
    [MSG_STATUS_QUERY] = {"status", PROTO_TO_SERVER, dec_nothing, enc_nothing, 0},
    [MSG_STATUS] = {"status", PROTO_TO_CLIENT, dec_status, enc_status, U_SIZE(status)},
    [MSG_DISCOVER] = {"discover", PROTO_TO_SERVER, dec_discover, enc_discover, U_SIZE(discover)},
    [MSG_SERVER_INFO] = {"server", PROTO_TO_CLIENT, dec_server_info, enc_server_info,
                         U_SIZE(server_info)},
    [MSG_NOTICE] = {"notice", PROTO_TO_CLIENT, dec_notice, enc_notice, U_SIZE(notice)},
    [MSG_EVENING] = {"evening", PROTO_TO_CLIENT, dec_evening, enc_evening, U_SIZE(evening)},
    [MSG_GROUP] = {"group", PROTO_TO_CLIENT, dec_group, enc_group, U_SIZE(group)},
    [MSG_START] = {"start", PROTO_TO_SERVER, dec_start, enc_start, U_SIZE(start)},
    [MSG_KICK] = {"kick", PROTO_TO_SERVER, dec_kick, enc_kick, U_SIZE(kick)},
    [MSG_CLOSING] = {"closing", PROTO_TO_CLIENT, dec_closing, enc_closing, U_SIZE(closing)},
    [MSG_BYE] = {"bye", PROTO_TO_CLIENT, dec_bye, enc_bye, U_SIZE(bye)},
};

static bool proto_type_known(msg_type_t type)
{
    return type > MSG_NONE && type < MSG_COUNT;
}

const char *proto_type_name(msg_type_t type)
{
    return proto_type_known(type) ? proto_types[type].name : "?";
}

proto_dir_t proto_type_dir(msg_type_t type)
{
    return proto_type_known(type) ? proto_types[type].dir : 0;
}

static msg_type_t proto_find_type(const char *name, proto_dir_t dir)
{
    for (int t = MSG_NONE + 1; t < MSG_COUNT; t++) {
        if ((proto_types[t].dir & dir) && key_is(proto_types[t].name, name))
            return (msg_type_t)t;
    }
    return MSG_NONE;
}

/* ---------------------------------------------------------------------------------------
 * Decoding a line.
 */

/* cJSON turns the escape \u0000 into a NUL that would silently cut a string short: refuse
 * it, as a raw NUL byte is. Walks the strings of the line, honouring backslash escapes. */
static size_t find_escaped_nul(const char *s, size_t len)
{
    if (!memchr(s, '\\', len))
        return len; /* no escape at all, as in nearly every line: memchr is much faster */
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (!in_string) {
            in_string = s[i] == '"';
        } else if (s[i] == '"') {
            in_string = false;
        } else if (s[i] == '\\' && i + 1 < len) {
            if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0)
                return i;
            i++; /* skip the escaped character */
        }
    }
    return len;
}

static bool json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies an unknown type name into a message as printable ASCII ('?' for anything else),
 * so errors stay ASCII and safe to show. */
static void echo_type(char *dst, size_t cap, const char *s)
{
    size_t n = 0, i = 0;
    for (; s[i] && n < PROTO_TYPE_ECHO && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue; /* the rest of a multi-byte character: one '?' stands for it */
        dst[n++] = (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? (char)c : '?';
    }
    if (s[i] && n + 3 < cap) {
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
}

int proto_decode(const char *line, size_t len, proto_dir_t dir, msg_t *out, char *err,
                 size_t errlen)
{
    out->type = MSG_NONE;
    if (err && errlen > 0)
        err[0] = '\0';
    if (len >= PROTO_MAX_LINE)
        return set_error(err, errlen, PROTO_ERR_TOO_LONG,
                         "line is longer than %d bytes with its newline", PROTO_MAX_LINE);
    const char *nul = memchr(line, '\0', len);
    if (nul)
        return set_error(err, errlen, PROTO_ERR_UTF8, "line holds a NUL byte at byte %zu",
                         (size_t)(nul - line));
    size_t bad = utf8_check(line, len);
    if (bad < len)
        return set_error(err, errlen, PROTO_ERR_UTF8, "line is not valid UTF-8 at byte %zu", bad);
    bad = find_escaped_nul(line, len);
    if (bad < len)
        return set_error(err, errlen, PROTO_ERR_UTF8,
                         "line holds an escaped NUL character (\\u0000) at byte %zu", bad);

    size_t start = 0;
    while (start < len && json_space(line[start]))
        start++;
    if (start == len)
        return set_error(err, errlen, PROTO_ERR_JSON, "not JSON: empty line");

    const char *end = NULL;
    json_arena_begin();
    cJSON *root = cJSON_ParseWithLengthOpts(line, len, &end, false);
    if (!root) {
        json_arena_end(NULL);
        /* cJSON reports an early end of input as an error at the last byte. */
        size_t at = end && end >= line ? (size_t)(end - line) : len;
        if (at + 1 >= len)
            return set_error(err, errlen, PROTO_ERR_JSON,
                             "not JSON: unexpected character at byte %zu, or the line ends too "
                             "early",
                             at < len ? at : len - 1);
        return set_error(err, errlen, PROTO_ERR_JSON, "not JSON: unexpected character at byte %zu",
                         at);
    }
    size_t at = (size_t)(end - line);
    while (at < len && json_space(line[at]))
        at++;
    int rc;
    if (at < len) {
        rc = set_error(err, errlen, PROTO_ERR_JSON,
                       "not JSON: unexpected text after the value "
                       "at byte %zu",
                       at);
    } else if (!json_is(root, cJSON_Object)) {
        rc = set_error(err, errlen, PROTO_ERR_NOT_OBJECT, "not a JSON object but %s",
                       json_kind(root));
    } else {
        const cJSON *type = get(root, "type");
        if (!type) {
            rc = set_error(err, errlen, PROTO_ERR_NO_TYPE, "no \"type\" field");
        } else if (!json_is(type, cJSON_String)) {
            rc = set_error(err, errlen, PROTO_ERR_NO_TYPE, "\"type\" must be a string, not %s",
                           json_kind(type));
        } else {
            msg_type_t t = proto_find_type(type->valuestring, dir);
            if (t == MSG_NONE) {
                char name[PROTO_TYPE_ECHO + 4];
                echo_type(name, sizeof name, type->valuestring);
                rc = set_error(err, errlen, PROTO_ERR_UNKNOWN_TYPE,
                               "unknown type \"%s\" for a message to %s", name,
                               dir == PROTO_TO_SERVER ? "the server" : "a client");
            } else {
                const proto_type_t *pt = &proto_types[t];
                decoder_t d = {.type = pt->name, .list = NULL, .err = err, .errlen = errlen};
                memset(&out->u, 0, pt->size);
                out->type = t;
                rc = pt->decode(&d, root, out);
            }
        }
    }
    json_arena_end(root);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Encoding.
 */

int proto_encode(const msg_t *m, char *buf, size_t cap)
{
    if (!proto_type_known(m->type) || buf == NULL)
        return -1;
    const proto_type_t *pt = &proto_types[m->type];
    writer_t w = {.buf = buf, .cap = cap < PROTO_ENCODE_MAX ? cap : PROTO_ENCODE_MAX};

    W_LIT(&w, "{\"type\":\"");
    w_raw(&w, pt->name, strlen(pt->name));
    W_LIT(&w, "\"");
    pt->encode(&w, m);
    W_LIT(&w, "}\n");
    if (w.full || w.bad)
        return -1;
    if (w.len < cap)
        buf[w.len] = '\0';
    return (int)w.len;
}

void proto_init(msg_t *m, msg_type_t type)
{
    memset(m, 0, sizeof *m);
    m->type = type;
}

/* ---------------------------------------------------------------------------------------
 * Usernames and the simulation.
 */

int proto_check_username(const char *name, char *err, size_t errlen)
{
    if (!name || !name[0])
        return set_error(err, errlen, -1, "username is empty");
    size_t len = strlen(name);
    if (!utf8_valid(name, len))
        return set_error(err, errlen, -1, "username is not valid UTF-8");
    if (utf8_count(name, len) > PROTO_MAX_USERNAME)
        return set_error(err, errlen, -1, "username is longer than %d characters",
                         PROTO_MAX_USERNAME);
    if (utf8_has_control(name, len))
        return set_error(err, errlen, -1, "username contains control characters");
    if (name[0] == ' ' || name[len - 1] == ' ')
        return set_error(err, errlen, -1, "username starts or ends with a space");
    if (err && errlen > 0)
        err[0] = '\0';
    return 0;
}

void proto_username_key(const char *name, char *key, size_t cap)
{
    size_t i = 0;
    if (cap == 0)
        return;
    for (; name[i] && i + 1 < cap; i++) {
        char c = name[i];
        key[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    key[i] = '\0';
}

void proto_state_from_sim(msg_state_t *st, const sim_game_t *g,
                          const char (*usernames)[PROTO_USERNAME_SIZE])
{
    uint32_t left = g->tick < g->duration_ticks ? g->duration_ticks - g->tick : 0;
    uint64_t ms = ((uint64_t)left * PROTO_MILLI + SIM_TICK_RATE / 2) / SIM_TICK_RATE;
    uint64_t max_ms = (uint64_t)PROTO_MAX_DURATION * PROTO_MILLI;

    st->tick = g->tick;
    st->time_left_ms = (int32_t)(ms < max_ms ? ms : max_ms);
    st->nplayers = 0;
    for (int i = 0; i < g->nplayers && i < SIM_MAX_PLAYERS; i++) {
        const sim_player_t *p = &g->players[i];
        if (!p->active)
            continue;
        proto_player_state_t *ps = &st->players[st->nplayers++];
        snprintf(ps->username, sizeof ps->username, "%s", usernames[i]);
        ps->x = p->x;
        ps->y = p->y;
        ps->score = p->score;
        ps->dash = p->dash_ticks > 0;
        ps->stun = p->stun_ticks > 0;
        ps->ack = p->ack;
        ps->dash_ticks = p->dash_ticks;
        ps->cooldown_ticks = p->cooldown_ticks;
        ps->stun_ticks = p->stun_ticks;
    }
    st->ncoins = 0;
    for (int i = 0; i < g->ncoins && i < PROTO_MAX_COINS; i++) {
        const sim_coin_t *c = &g->coins[i];
        if (c->refill_ticks != 0)
            continue;
        st->coins[st->ncoins].x = c->x / SIM_ONE;
        st->coins[st->ncoins].y = c->y / SIM_ONE;
        st->ncoins++;
    }
}

void proto_player_to_sim(const proto_player_state_t *ps, sim_player_t *p)
{
    p->x = ps->x;
    p->y = ps->y;
    p->score = ps->score;
    p->ack = ps->ack;
    p->dash_ticks = ps->dash_ticks;
    p->cooldown_ticks = ps->cooldown_ticks;
    p->stun_ticks = ps->stun_ticks;
}

void proto_world_info_from_world(proto_world_info_t *info, const world_t *w)
{
    memcpy(info->name, w->name, sizeof info->name);
    memcpy(info->description, w->description, sizeof info->description);
    info->width = w->width;
    info->height = w->height;
    for (int r = 0; r < w->height; r++)
        memcpy(info->tiles[r], w->tiles[r], sizeof info->tiles[r]);
}

int proto_world_info_to_world(world_t *w, const proto_world_info_t *info, int duration, char *err,
                              size_t errlen)
{
    int nrows = info->height;
    if (nrows < 0 || nrows > WORLD_MAX_SIZE)
        nrows = 0;
    const char *rows[WORLD_MAX_SIZE];
    for (int r = 0; r < nrows; r++)
        rows[r] = info->tiles[r];
    if (duration < WORLD_MIN_DURATION || duration > WORLD_MAX_DURATION)
        duration = WORLD_MIN_DURATION;
    return world_from_rows(w, info->name, info->description, duration, rows, nrows, err, errlen);
}
