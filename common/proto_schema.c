/* proto_schema.c -- every message's fields, once: the tables proto_decode and proto_encode walk,
 * and the hooks of the two odd fields (a world's tiles, a player's colour); depends on the
 * reader and writer for the hooks, palette.h, sim.h and world.h for limits */
#include "proto_schema.h"

#include <limits.h>
#include <math.h>

/* ---------------------------------------------------------------------------------------
 * Row shorthands. A row is {F_KIND(struct, member, "wire name", limits...), options}, options
 * among REQ (required), .when = PW_NONZERO, FLAG(struct, bool member), WHEN(fn), .def = value,
 * .feature = PROTO_FEATURE_*. Optional is the default; an optional field is written always.
 */

#define KEY(n)     .name = n, .key = ",\"" n "\":", .keylen = sizeof(",\"" n "\":") - 1
#define REQ        .required = true
#define WHEN(fn)   .when = PW_HOOK, .when_fn = fn
#define FLAG(T, m) .when = PW_FLAG, .flag = offsetof(T, m)
/* clang-format off */
#define STORE(T, m)                                                                                \
    _Generic(((T *)0)->m, int8_t: PS_I8, uint16_t: PS_U16, int32_t: PS_I32, uint32_t: PS_U32,     \
             int64_t: PS_I64, uint64_t: PS_U64)
/* clang-format on */
#define F_INT(T, m, n, lo, hi)                                                                     \
    KEY(n), .kind = PK_INT, .store = STORE(T, m), .off = offsetof(T, m), .min = lo, .max = hi
#define F_MILLI(T, m, n, lo, hi)                                                                   \
    KEY(n), .kind = PK_MILLI, .off = offsetof(T, m), .min = lo, .max = hi
#define F_BOOL(T, m, n) KEY(n), .kind = PK_BOOL, .off = offsetof(T, m)
#define F_STR(T, m, n, chars)                                                                      \
    KEY(n), .kind = PK_STR, .off = offsetof(T, m), .size = sizeof(((T *)0)->m), .max_chars = chars
#define F_NAMES(kind_, T, m, n, list)                                                              \
    KEY(n), .kind = kind_, .off = offsetof(T, m), .names = list,                                   \
            .nnames = (int)(sizeof list / sizeof list[0])
#define F_OBJECT(T, m, n, schema) KEY(n), .kind = PK_OBJECT, .off = offsetof(T, m), .sub = &schema
#define F_LIST(T, m, count_, n, lo, hi, elem_)                                                     \
    KEY(n), .kind = PK_LIST, .off = offsetof(T, m), .size = sizeof(((T *)0)->m[0]),                \
            .count = offsetof(T, count_), .min = lo, .max = hi, .elem = elem_
#define F_HOOK(T, m, n, hook_) KEY(n), .kind = PK_HOOK, .off = offsetof(T, m), .hook = &hook_
/* A hook that reads the whole struct the table describes (and members other than its own). */
#define F_WHOLE(n, hook_) KEY(n), .kind = PK_HOOK, .off = 0, .hook = &hook_
#define SCHEMA(rows)                                                                               \
    {                                                                                              \
        rows, (int)(sizeof rows / sizeof rows[0])                                                  \
    }
#define MSG(m)   u.m /* a member of msg_t's union, for the message tables */
#define MILLI(x) ((int64_t)(x)*PROTO_MILLI)

const char *const proto_feature_names[PROTO_FEATURE_COUNT] = {"party", "social", "countdown",
                                                              "watch", "replay"};
static const char *const proto_phase_names[] = {"vote", "game", "end"};
static const char *const proto_state_names[] = {"accepted", "refused"};
static const char *const proto_input_names[] = {"considered", "ignored"};
_Static_assert(sizeof(proto_phase_t) == sizeof(int), "PK_ENUM stores an int");

/* ---------------------------------------------------------------------------------------
 * The hooks.
 */

static bool proto_tile_valid(char c)
{
    return c == WORLD_WALL || c == WORLD_FLOOR || c == WORLD_SPAWN || c == WORLD_COIN;
}

/* "tiles": with "width" and "height" before it, the rows of a world (a preview in "select world",
 * the map in "game start"). Optional, it is there when any of the three is. */
static int proto_tiles_decode(reader_t *r, const cJSON *o, const proto_field_t *f, char *base)
{
    proto_world_info_t *w = (proto_world_info_t *)(base + f->off);
    const cJSON *width = cJSON_GetObjectItemCaseSensitive(o, "width");
    const cJSON *height = cJSON_GetObjectItemCaseSensitive(o, "height");
    const cJSON *tiles = cJSON_GetObjectItemCaseSensitive(o, "tiles");
    if (!f->required && !width && !height && !tiles)
        return PROTO_OK;
    int64_t v;
    int rc = read_int(r, width, "width", true, WORLD_MIN_SIZE, WORLD_MAX_SIZE, 0, &v);
    if (rc != PROTO_OK)
        return rc;
    w->width = (int)v;
    rc = read_int(r, height, "height", true, WORLD_MIN_SIZE, WORLD_MAX_SIZE, 0, &v);
    if (rc != PROTO_OK)
        return rc;
    w->height = (int)v;
    const cJSON *list, *row;
    int n, i = 0;
    rc = read_list(r, tiles, "tiles", true, WORLD_MAX_SIZE, &list, &n);
    if (rc != PROTO_OK)
        return rc;
    if (n != w->height)
        return read_fail(r, PROTO_ERR_RANGE, "tiles", "must have %d rows (the height), not %d",
                         w->height, n);
    cJSON_ArrayForEach(row, list)
    {
        char name[24];
        if (!read_is(row, cJSON_String))
            return read_fail(r, PROTO_ERR_FIELD, read_entry_name(name, sizeof name, "tiles", i),
                             "must be a string, not %s", read_kind(row));
        const char *s = row->valuestring;
        size_t len = strlen(s);
        bool ok = len == (size_t)w->width;
        for (size_t k = 0; ok && k < len; k++)
            ok = proto_tile_valid(s[k]);
        if (!ok)
            return read_fail(r, PROTO_ERR_RANGE, read_entry_name(name, sizeof name, "tiles", i),
                             "must be %d tiles of '#', '.', 'S' or 'c'", w->width);
        memcpy(w->tiles[i], s, len + 1);
        i++;
    }
    return PROTO_OK;
}

static void proto_tiles_encode(writer_t *w, const proto_field_t *f, const char *base)
{
    const proto_world_info_t *info = (const proto_world_info_t *)(base + f->off);
    WRITE_LIT(w, ",\"width\":");
    write_int_in(w, info->width, WORLD_MIN_SIZE, WORLD_MAX_SIZE);
    WRITE_LIT(w, ",\"height\":");
    write_int_in(w, info->height, WORLD_MIN_SIZE, WORLD_MAX_SIZE);
    if (w->bad)
        return;
    WRITE_LIT(w, ",\"tiles\":[");
    for (int r = 0; r < info->height; r++) {
        const char *row = info->tiles[r];
        bool ok = strnlen(row, sizeof info->tiles[r]) == (size_t)info->width;
        for (int c = 0; ok && c < info->width; c++)
            ok = proto_tile_valid(row[c]);
        if (!ok) {
            w->bad = true;
            return;
        }
        if (r > 0)
            WRITE_LIT(w, ",");
        WRITE_LIT(w, "\"");
        write_raw(w, row, (size_t)info->width);
        WRITE_LIT(w, "\"");
    }
    WRITE_LIT(w, "]");
}

static const proto_hook_t proto_tiles_hook = {proto_tiles_decode, proto_tiles_encode};

/* A preview is sent when it has a width. */
static bool proto_world_has_preview(const char *base)
{
    return ((const proto_world_info_t *)base)->width > 0;
}

/* "color": [red, green, blue], three bytes. */
static int proto_rgb_decode(reader_t *r, const cJSON *o, const proto_field_t *f, char *base)
{
    uint8_t *rgb = (uint8_t *)(base + f->off);
    const cJSON *color, *c;
    int n, k = 0;
    int rc =
        read_list(r, cJSON_GetObjectItemCaseSensitive(o, f->name), f->name, true, 3, &color, &n);
    if (rc != PROTO_OK)
        return rc;
    if (n != 3)
        return read_fail(r, PROTO_ERR_RANGE, f->name, "must be [red, green, blue]");
    cJSON_ArrayForEach(c, color)
    {
        double x = read_is(c, cJSON_Number) ? c->valuedouble : -1;
        if (!isfinite(x) || x != floor(x) || x < 0 || x > 255)
            return read_fail(r, PROTO_ERR_RANGE, f->name,
                             "must be three integers between 0 and 255");
        rgb[k++] = (uint8_t)x;
    }
    return PROTO_OK;
}

static void proto_rgb_encode(writer_t *w, const proto_field_t *f, const char *base)
{
    const uint8_t *rgb = (const uint8_t *)(base + f->off);
    write_key(w, f->key, f->keylen);
    WRITE_LIT(w, "[");
    write_uint(w, rgb[0]);
    WRITE_LIT(w, ",");
    write_uint(w, rgb[1]);
    WRITE_LIT(w, ",");
    write_uint(w, rgb[2]);
    WRITE_LIT(w, "]");
}

static const proto_hook_t proto_rgb_hook = {proto_rgb_decode, proto_rgb_encode};

/* A refusal always says why; an acceptance only when it has something to say. */
static bool proto_login_update_has_message(const char *base)
{
    const msg_login_update_t *u = &((const msg_t *)base)->u.login_update;
    return !u->accepted || u->message[0];
}

/* ---------------------------------------------------------------------------------------
 * Nested objects and list entries.
 */

static const proto_field_t world_preview_fields[] = {
    {F_STR(proto_world_info_t, name, "name", PROTO_NO_LIMIT), REQ},
    {F_STR(proto_world_info_t, description, "description", PROTO_NO_LIMIT)},
    {F_WHOLE("tiles", proto_tiles_hook), WHEN(proto_world_has_preview)},
};
static const proto_schema_t world_preview = SCHEMA(world_preview_fields);

static const proto_field_t world_map_fields[] = {
    {F_STR(proto_world_info_t, name, "name", PROTO_NO_LIMIT), REQ},
    {F_STR(proto_world_info_t, description, "description", PROTO_NO_LIMIT), .when = PW_NONZERO},
    {F_WHOLE("tiles", proto_tiles_hook), REQ},
};
static const proto_schema_t world_map = SCHEMA(world_map_fields);

typedef __typeof__(((msg_t *)0)->u.game_start.players[0]) start_player_t;
static const proto_field_t start_player_fields[] = {
    {F_STR(start_player_t, username, "username", PROTO_MAX_USERNAME), REQ},
    {F_HOOK(start_player_t, color, "color", proto_rgb_hook), REQ},
};
static const proto_schema_t start_player = SCHEMA(start_player_fields);

static const proto_field_t state_player_fields[] = {
    {F_STR(proto_player_state_t, username, "username", PROTO_MAX_USERNAME), REQ},
    {F_MILLI(proto_player_state_t, x, "x", 0, WORLD_MAX_SIZE *SIM_ONE), REQ},
    {F_MILLI(proto_player_state_t, y, "y", 0, WORLD_MAX_SIZE *SIM_ONE), REQ},
    {F_INT(proto_player_state_t, score, "score", INT32_MIN, INT32_MAX), REQ},
    {F_BOOL(proto_player_state_t, dash, "dash"), REQ},
    {F_BOOL(proto_player_state_t, stun, "stun"), REQ},
    {F_INT(proto_player_state_t, ack, "ack", 0, UINT32_MAX), REQ},
    {F_INT(proto_player_state_t, dash_ticks, "dash_ticks", 0, UINT16_MAX)},
    {F_INT(proto_player_state_t, cooldown_ticks, "cooldown_ticks", 0, UINT16_MAX)},
    {F_INT(proto_player_state_t, stun_ticks, "stun_ticks", 0, UINT16_MAX)},
};
static const proto_schema_t state_player = SCHEMA(state_player_fields);

static const proto_field_t coin_fields[] = {
    {F_INT(world_point_t, x, "x", 0, WORLD_MAX_SIZE - 1), REQ},
    {F_INT(world_point_t, y, "y", 0, WORLD_MAX_SIZE - 1), REQ},
};
static const proto_schema_t coin = SCHEMA(coin_fields);

static const proto_field_t result_fields[] = {
    {F_STR(proto_result_t, username, "username", PROTO_MAX_USERNAME), REQ},
    {F_INT(proto_result_t, score, "score", INT32_MIN, INT32_MAX), REQ},
    {F_INT(proto_result_t, rank, "rank", 1, PROTO_MAX_PLAYERS), REQ},
};
static const proto_schema_t result = SCHEMA(result_fields);

static const proto_field_t evening_row_fields[] = {
    {F_STR(proto_evening_row_t, username, "username", PROTO_MAX_USERNAME), REQ},
    {F_INT(proto_evening_row_t, played, "played", 0, PROTO_MAX_ROUNDS), REQ},
    {F_INT(proto_evening_row_t, won, "won", 0, PROTO_MAX_ROUNDS), REQ},
    {F_INT(proto_evening_row_t, points, "points", INT32_MIN, INT32_MAX), REQ},
};
static const proto_schema_t evening_row = SCHEMA(evening_row_fields);

typedef __typeof__(((msg_t *)0)->u.group.players[0]) group_player_t;
static const proto_field_t group_player_fields[] = {
    {F_STR(group_player_t, username, "username", PROTO_MAX_USERNAME), REQ},
    {F_BOOL(group_player_t, voted, "voted"), REQ},
    {F_BOOL(group_player_t, left, "left"), .when = PW_NONZERO},
};
static const proto_schema_t group_player = SCHEMA(group_player_fields);

static const proto_field_t group_info_fields[] = {
    {F_LIST(proto_group_info_t, players, nplayers, "players", 1, PROTO_MAX_PLAYERS, PE_NAME), REQ,
     .max_chars = PROTO_MAX_USERNAME},
    {F_NAMES(PK_ENUM, proto_group_info_t, phase, "phase", proto_phase_names), REQ},
    {F_STR(proto_group_info_t, world, "world", PROTO_NO_LIMIT), .when = PW_NONZERO},
    {F_MILLI(proto_group_info_t, time_left_ms, "time_left", 0, MILLI(PROTO_MAX_DURATION)), REQ},
    {F_INT(proto_group_info_t, id, "id", 1, PROTO_MAX_GROUP_ID), .when = PW_NONZERO,
     .feature = PROTO_FEATURE_WATCH},
    {F_INT(proto_group_info_t, watching, "watching", 0, PROTO_MAX_WATCHERS), .when = PW_NONZERO,
     .feature = PROTO_FEATURE_WATCH},
};
static const proto_schema_t group_info = SCHEMA(group_info_fields);

/* The server view of "lobby update", for party logins: all there when "games" is. */
static const proto_field_t lobby_party_fields[] = {
    {F_INT(msg_t, MSG(lobby_update.games), "games", 0, INT_MAX), REQ},
    {F_STR(msg_t, MSG(lobby_update.host), "host", PROTO_MAX_USERNAME), .when = PW_NONZERO},
    {F_LIST(msg_t, MSG(lobby_update.ready), MSG(lobby_update.nready), "ready", 0, PROTO_MAX_PLAYERS,
            PE_NAME),
     .max_chars = PROTO_MAX_USERNAME},
    {F_MILLI(msg_t, MSG(lobby_update.wait_ms), "wait", 0, MILLI(PROTO_MAX_WAIT)),
     FLAG(msg_t, MSG(lobby_update.has_wait))},
    {F_LIST(msg_t, MSG(lobby_update.groups), MSG(lobby_update.ngroups), "groups", 0,
            PROTO_MAX_LOBBY_GROUPS, PE_OBJECT),
     .sub = &group_info},
};
static const proto_schema_t lobby_party = SCHEMA(lobby_party_fields);

/* ---------------------------------------------------------------------------------------
 * The messages, in the order docs/PROTOCOL.md lists their fields (and the encoder writes them).
 */

static const proto_field_t login_fields[] = {
    /* Only bounded here: the server applies the username rules and answers with a refusal. */
    {F_STR(msg_t, MSG(login.username), "username", PROTO_NO_LIMIT), REQ},
    {F_INT(msg_t, MSG(login.version), "version", 0, INT_MAX), .def = 1},
    {F_NAMES(PK_BITS, msg_t, MSG(login.features), "features", proto_feature_names),
     .size = PROTO_MAX_FEATURE + 1, .max = PROTO_MAX_FEATURES},
    {F_STR(msg_t, MSG(login.admin), "admin", PROTO_NO_LIMIT), .when = PW_NONZERO,
     .feature = PROTO_FEATURE_PARTY},
    {F_INT(msg_t, MSG(login.color), "color", 0, PALETTE_COUNT - 1),
     FLAG(msg_t, MSG(login.has_color)), .feature = PROTO_FEATURE_SOCIAL},
    {F_STR(msg_t, MSG(login.resume), "resume", PROTO_NO_LIMIT),
     FLAG(msg_t, MSG(login.resume_sent))},
};

static const proto_field_t login_update_fields[] = {
    {F_NAMES(PK_KEYWORD, msg_t, MSG(login_update.accepted), "state", proto_state_names), REQ},
    {F_STR(msg_t, MSG(login_update.message), "message", PROTO_MAX_TEXT),
     WHEN(proto_login_update_has_message)},
    {F_INT(msg_t, MSG(login_update.version), "version", 0, INT_MAX), .when = PW_NONZERO},
    {F_STR(msg_t, MSG(login_update.resume), "resume", PROTO_NO_LIMIT), .when = PW_NONZERO},
};

static const proto_field_t lobby_fields[] = {
    {F_STR(msg_t, MSG(lobby.message), "message", PROTO_MAX_TEXT)},
};

static const proto_field_t lobby_update_fields[] = {
    {F_LIST(msg_t, MSG(lobby_update.players), MSG(lobby_update.nplayers), "players", 0,
            PROTO_MAX_PLAYERS, PE_NAME),
     REQ, .max_chars = PROTO_MAX_USERNAME},
    {F_INT(msg_t, MSG(lobby_update.group_size), "group_size", PROTO_MIN_GROUP, PROTO_MAX_GROUP),
     REQ},
    {KEY("games"), .kind = PK_INLINE, .sub = &lobby_party, FLAG(msg_t, MSG(lobby_update.party)),
     .feature = PROTO_FEATURE_PARTY},
};

static const proto_field_t select_world_fields[] = {
    {F_LIST(msg_t, MSG(select_world.worlds), MSG(select_world.nworlds), "worlds", 0,
            PROTO_MAX_WORLDS, PE_OBJECT),
     REQ, .sub = &world_preview},
    {F_INT(msg_t, MSG(select_world.timeout), "timeout", 0, PROTO_MAX_TIMEOUT)},
};

static const proto_field_t vote_fields[] = {
    /* Any integer: an index outside the offered worlds is the server's "ignored", not an error. */
    {F_INT(msg_t, MSG(vote.index), "index", INT_MIN, INT_MAX), REQ},
};

static const proto_field_t vote_reply_fields[] = {
    {F_NAMES(PK_KEYWORD, msg_t, MSG(vote_reply.considered), "input", proto_input_names), REQ},
};

static const proto_field_t votes_fields[] = {
    {F_LIST(msg_t, MSG(votes.counts), MSG(votes.ncounts), "counts", 0, PROTO_MAX_WORLDS, PE_INT),
     REQ, .elem_min = 0, .elem_max = PROTO_MAX_PLAYERS},
};

static const proto_field_t game_start_fields[] = {
    {F_OBJECT(msg_t, MSG(game_start.world), "world", world_map), REQ},
    {F_LIST(msg_t, MSG(game_start.players), MSG(game_start.nplayers), "players", 1,
            PROTO_MAX_PLAYERS, PE_OBJECT),
     REQ, .sub = &start_player},
    {F_STR(msg_t, MSG(game_start.you), "you", PROTO_MAX_USERNAME), REQ},
    {F_INT(msg_t, MSG(game_start.tick_rate), "tick_rate", 1, PROTO_MAX_TICK_RATE), REQ},
    {F_INT(msg_t, MSG(game_start.duration), "duration", 1, PROTO_MAX_DURATION), REQ},
    {F_INT(msg_t, MSG(game_start.seed), "seed", 0, (int64_t)PROTO_MAX_SAFE_INTEGER), REQ},
    {F_INT(msg_t, MSG(game_start.countdown_ms), "countdown_ms", 0, PROTO_MAX_COUNTDOWN_MS),
     .when = PW_NONZERO, .feature = PROTO_FEATURE_COUNTDOWN},
};

static const proto_field_t input_fields[] = {
    {F_INT(msg_t, MSG(input.seq), "seq", 0, PROTO_MAX_SEQ), REQ},
    /* Out-of-range directions are refused rather than clamped: the input is ignored whole. */
    {F_INT(msg_t, MSG(input.dx), "dx", -1, 1), REQ},
    {F_INT(msg_t, MSG(input.dy), "dy", -1, 1), REQ},
    {F_BOOL(msg_t, MSG(input.dash), "dash")},
};

static const proto_field_t state_fields[] = {
    {F_INT(msg_t, MSG(state.tick), "tick", 0, UINT32_MAX), REQ},
    {F_MILLI(msg_t, MSG(state.time_left_ms), "time_left", 0, MILLI(PROTO_MAX_DURATION)), REQ},
    {F_LIST(msg_t, MSG(state.players), MSG(state.nplayers), "players", 0, PROTO_MAX_PLAYERS,
            PE_OBJECT),
     REQ, .sub = &state_player},
    {F_LIST(msg_t, MSG(state.coins), MSG(state.ncoins), "coins", 0, PROTO_MAX_COINS, PE_OBJECT),
     REQ, .sub = &coin},
};

static const proto_field_t fin_fields[] = {
    {F_STR(msg_t, MSG(fin.world), "world", PROTO_NO_LIMIT), REQ},
    {F_LIST(msg_t, MSG(fin.results), MSG(fin.nresults), "results", 0, PROTO_MAX_PLAYERS, PE_OBJECT),
     REQ, .sub = &result},
    {F_INT(msg_t, MSG(fin.continue_ms), "continue_ms", 0, PROTO_MAX_CONTINUE_MS),
     .when = PW_NONZERO},
};

static const proto_field_t chat_send_fields[] = {
    {F_STR(msg_t, MSG(chat_send.text), "text", PROTO_MAX_CHAT), REQ},
};

static const proto_field_t chat_fields[] = {
    {F_STR(msg_t, MSG(chat.from), "from", PROTO_MAX_USERNAME), REQ},
    {F_STR(msg_t, MSG(chat.text), "text", PROTO_MAX_CHAT), REQ},
};

static const proto_field_t error_fields[] = {
    {F_STR(msg_t, MSG(error.message), "message", PROTO_MAX_TEXT), REQ},
};

static const proto_field_t status_fields[] = {
    {F_INT(msg_t, MSG(status.version), "version", 0, INT_MAX), REQ},
    {F_INT(msg_t, MSG(status.players), "players", 0, INT_MAX), REQ},
    {F_INT(msg_t, MSG(status.lobby), "lobby", 0, INT_MAX), REQ},
    {F_INT(msg_t, MSG(status.games), "games", 0, INT_MAX), REQ},
    {F_INT(msg_t, MSG(status.group_size), "group_size", 0, INT_MAX), REQ},
    {F_INT(msg_t, MSG(status.uptime), "uptime", 0, (int64_t)PROTO_MAX_SAFE_INTEGER), REQ},
    {F_INT(msg_t, MSG(status.away), "away", 0, INT_MAX)},
};

static const proto_field_t discover_fields[] = {
    {F_INT(msg_t, MSG(discover.version), "version", 0, INT_MAX), REQ},
    {F_STR(msg_t, MSG(discover.token), "token", PROTO_NO_LIMIT), REQ},
};

static const proto_field_t server_info_fields[] = {
    {F_STR(msg_t, MSG(server_info.token), "token", PROTO_NO_LIMIT), REQ},
    {F_STR(msg_t, MSG(server_info.name), "name", PROTO_NO_LIMIT), REQ},
    {F_INT(msg_t, MSG(server_info.port), "port", 1, 65535), REQ},
    {F_INT(msg_t, MSG(server_info.version), "version", 0, INT_MAX), REQ},
    {F_STR(msg_t, MSG(server_info.id), "id", PROTO_NO_LIMIT), REQ},
    {F_INT(msg_t, MSG(server_info.players), "players", 0, INT_MAX), REQ},
    {F_INT(msg_t, MSG(server_info.lobby), "lobby", 0, INT_MAX), REQ},
    {F_INT(msg_t, MSG(server_info.group_size), "group_size", 0, INT_MAX), REQ},
    {F_INT(msg_t, MSG(server_info.worlds), "worlds", 0, INT_MAX), REQ},
};

static const proto_field_t notice_fields[] = {
    {F_STR(msg_t, MSG(notice.text), "text", PROTO_MAX_TEXT), REQ},
};

static const proto_field_t evening_fields[] = {
    {F_LIST(msg_t, MSG(evening.rows), MSG(evening.nrows), "players", 0, PROTO_MAX_EVENING,
            PE_OBJECT),
     REQ, .sub = &evening_row},
};

static const proto_field_t group_fields[] = {
    {F_LIST(msg_t, MSG(group.players), MSG(group.nplayers), "players", 0, PROTO_MAX_PLAYERS,
            PE_OBJECT),
     REQ, .sub = &group_player},
};

static const proto_field_t start_fields[] = {
    {F_BOOL(msg_t, MSG(start.ready), "ready"), .def = true},
};

static const proto_field_t kick_fields[] = {
    {F_STR(msg_t, MSG(kick.username), "username", PROTO_MAX_USERNAME), REQ},
    {F_STR(msg_t, MSG(kick.reason), "reason", PROTO_MAX_TEXT), .when = PW_NONZERO},
};

static const proto_field_t closing_fields[] = {
    {F_STR(msg_t, MSG(closing.message), "message", PROTO_MAX_TEXT), REQ},
};

/* Only bounded here: the server compares it with its secret, and a wrong one counts. */
static const proto_field_t stop_fields[] = {
    {F_STR(msg_t, MSG(stop.admin), "admin", PROTO_NO_LIMIT), REQ},
    {F_STR(msg_t, MSG(stop.if_alone), "if_alone", PROTO_NO_LIMIT), .when = PW_NONZERO},
};

static const proto_field_t bye_fields[] = {
    {F_STR(msg_t, MSG(bye.reason), "reason", PROTO_NO_LIMIT), REQ},
    {F_STR(msg_t, MSG(bye.message), "message", PROTO_MAX_TEXT), REQ},
};

/* Watching a running group (the "watch" feature, server/watch.c). */
static const proto_field_t watch_fields[] = {
    {F_INT(msg_t, MSG(watch.group), "group", 1, PROTO_MAX_GROUP_ID), REQ},
};

static bool proto_watch_reply_has_message(const char *base)
{
    const __typeof__(((msg_t *)0)->u.watch_reply) *r = &((const msg_t *)base)->u.watch_reply;
    return !r->accepted || r->message[0];
}

static const proto_field_t watch_reply_fields[] = {
    {F_INT(msg_t, MSG(watch_reply.group), "group", 0, PROTO_MAX_GROUP_ID), REQ},
    {F_NAMES(PK_KEYWORD, msg_t, MSG(watch_reply.accepted), "state", proto_state_names), REQ},
    {F_STR(msg_t, MSG(watch_reply.message), "message", PROTO_MAX_TEXT),
     WHEN(proto_watch_reply_has_message)},
};

static const proto_field_t watch_end_fields[] = {
    {F_STR(msg_t, MSG(watch_end.message), "message", PROTO_MAX_TEXT), REQ},
};

static const proto_field_t watchers_fields[] = {
    {F_INT(msg_t, MSG(watchers.count), "count", 0, PROTO_MAX_WATCHERS), REQ},
};

static const proto_field_t replay_fields[] = {
    {F_INT(msg_t, MSG(replay.part), "part", 1, PROTO_MAX_REPLAY_PARTS), REQ},
    {F_INT(msg_t, MSG(replay.parts), "parts", 1, PROTO_MAX_REPLAY_PARTS), REQ},
    {F_INT(msg_t, MSG(replay.bytes), "bytes", 1, PROTO_MAX_REPLAY_BYTES), REQ},
    {F_STR(msg_t, MSG(replay.data), "data", PROTO_REPLAY_CHUNK), REQ},
};

/* ---------------------------------------------------------------------------------------
 * The table of message types: the one place that maps names and directions to fields.
 */

#define U_SIZE(member) sizeof(((msg_t *)0)->u.member)
#define HEAD(name)     "{\"type\":\"" name "\""
#define NONE(name, dir)                                                                            \
    {                                                                                              \
        name, dir, HEAD(name), sizeof(HEAD(name)) - 1, {NULL, 0}, 0                                \
    }
#define TYPE(name, dir, m)                                                                         \
    {                                                                                              \
        name, dir, HEAD(name), sizeof(HEAD(name)) - 1, SCHEMA(m##_fields), U_SIZE(m)               \
    }

const proto_type_t proto_types[MSG_COUNT] = {
    [MSG_LOGIN_PROMPT] = NONE("log in", PROTO_TO_CLIENT),
    [MSG_LOGIN] = TYPE("log in", PROTO_TO_SERVER, login),
    [MSG_LOGIN_UPDATE] = TYPE("log in update", PROTO_TO_CLIENT, login_update),
    [MSG_LOBBY] = TYPE("lobby", PROTO_TO_CLIENT, lobby),
    [MSG_LOBBY_UPDATE] = TYPE("lobby update", PROTO_TO_CLIENT, lobby_update),
    [MSG_SELECT_WORLD] = TYPE("select world", PROTO_TO_CLIENT, select_world),
    [MSG_VOTE] = TYPE("vote", PROTO_TO_SERVER, vote),
    [MSG_VOTE_REPLY] = TYPE("vote", PROTO_TO_CLIENT, vote_reply),
    [MSG_VOTES] = TYPE("votes", PROTO_TO_CLIENT, votes),
    [MSG_GAME_START] = TYPE("game start", PROTO_TO_CLIENT, game_start),
    [MSG_INPUT] = TYPE("input", PROTO_TO_SERVER, input),
    [MSG_STATE] = TYPE("state", PROTO_TO_CLIENT, state),
    [MSG_FINISH] = TYPE("fin", PROTO_TO_CLIENT, fin),
    [MSG_CONTINUE] = NONE("continue", PROTO_TO_SERVER),
    [MSG_CHAT_SEND] = TYPE("chat", PROTO_TO_SERVER, chat_send),
    [MSG_CHAT] = TYPE("chat", PROTO_TO_CLIENT, chat),
    [MSG_PING] = NONE("ping", PROTO_EITHER),
    [MSG_PONG] = NONE("pong", PROTO_EITHER),
    [MSG_QUIT] = NONE("quit", PROTO_TO_SERVER),
    [MSG_ERROR] = TYPE("error", PROTO_EITHER, error),
    [MSG_STATUS_QUERY] = NONE("status", PROTO_TO_SERVER),
    [MSG_STATUS] = TYPE("status", PROTO_TO_CLIENT, status),
    [MSG_DISCOVER] = TYPE("discover", PROTO_TO_SERVER, discover),
    [MSG_SERVER_INFO] = TYPE("server", PROTO_TO_CLIENT, server_info),
    [MSG_NOTICE] = TYPE("notice", PROTO_TO_CLIENT, notice),
    [MSG_EVENING] = TYPE("evening", PROTO_TO_CLIENT, evening),
    [MSG_GROUP] = TYPE("group", PROTO_TO_CLIENT, group),
    [MSG_START] = TYPE("start", PROTO_TO_SERVER, start),
    [MSG_KICK] = TYPE("kick", PROTO_TO_SERVER, kick),
    [MSG_CLOSING] = TYPE("closing", PROTO_TO_CLIENT, closing),
    [MSG_BYE] = TYPE("bye", PROTO_TO_CLIENT, bye),
    [MSG_WATCH] = TYPE("watch", PROTO_TO_SERVER, watch),
    [MSG_WATCH_REPLY] = TYPE("watch", PROTO_TO_CLIENT, watch_reply),
    [MSG_UNWATCH] = NONE("unwatch", PROTO_TO_SERVER),
    [MSG_WATCH_END] = TYPE("watch end", PROTO_TO_CLIENT, watch_end),
    [MSG_WATCHERS] = TYPE("watchers", PROTO_TO_CLIENT, watchers),
    [MSG_REPLAY] = TYPE("replay", PROTO_TO_CLIENT, replay),
    [MSG_STOP] = TYPE("stop", PROTO_TO_SERVER, stop),
};
