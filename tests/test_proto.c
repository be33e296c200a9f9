/* test_proto.c -- wire messages: exact encodings, round trips of every type, each decoding error,
 * username rules and snapshots from the simulation */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"
#include "proto_schema.h"
#include "sim.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static char line[PROTO_MAX_LINE + 1];

static msg_t *msg_new(msg_type_t type)
{
    msg_t *m = calloc(1, sizeof *m);
    assert_non_null(m);
    proto_init(m, type);
    return m;
}

/* Encodes m, expecting exactly want. */
static void assert_encodes(const msg_t *m, const char *want)
{
    int n = proto_encode(m, line, sizeof line);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(line, want);
}

static void decode_ok(const char *text, size_t len, proto_dir_t dir, msg_t *out)
{
    char err[256];
    int rc = proto_decode(text, len, dir, out, err, sizeof err);
    if (rc != PROTO_OK)
        fail_msg("decoding %.*s: %s", (int)len, text, err);
}

/* Decoding text must fail with code, with a readable message holding each of the words. */
static msg_type_t expect_error(const char *text, size_t len, proto_dir_t dir, int code,
                               const char *word1, const char *word2)
{
    char err[256];
    msg_t *m = msg_new(MSG_NONE);
    memset(err, 'z', sizeof err);
    int rc = proto_decode(text, len, dir, m, err, sizeof err);
    if (rc != code)
        fail_msg("decoding %.*s: got %d (%s), wanted %d", (int)len, text, rc, err, code);
    assert_true(strlen(err) > 10);
    for (const char *p = err; *p; p++)
        assert_true(*p >= 0x20 && *p < 0x7f); /* plain printable ASCII */
    if (word1 && !strstr(err, word1))
        fail_msg("error \"%s\" does not mention %s", err, word1);
    if (word2 && !strstr(err, word2))
        fail_msg("error \"%s\" does not mention %s", err, word2);
    msg_type_t t = m->type;
    free(m);
    return t;
}

#define EXPECT_ERROR(lit, dir, code, w1, w2) expect_error(S(lit), dir, code, w1, w2)

/* encode -> decode -> the same message, and encoding it again gives the same bytes. */
static void assert_round_trip(const msg_t *m)
{
    static char first[PROTO_MAX_LINE + 1];
    int n = proto_encode(m, first, sizeof first);
    if (n < 0)
        fail_msg("type %s did not encode", proto_type_name(m->type));
    assert_int_equal(first[n - 1], '\n');
    assert_null(memchr(first, '\n', (size_t)n - 1));
    proto_dir_t dir =
        proto_type_dir(m->type) == PROTO_EITHER ? PROTO_TO_SERVER : proto_type_dir(m->type);
    msg_t *back = msg_new(MSG_NONE);
    decode_ok(first, (size_t)n - 1, dir, back);
    assert_int_equal(back->type, m->type);
    assert_memory_equal(back, m, sizeof *m);
    int n2 = proto_encode(back, line, sizeof line);
    assert_int_equal(n2, n);
    assert_memory_equal(line, first, (size_t)n);
    free(back);
}

/* --------------------------------------------------------------------------------------- */

static void test_original_spellings(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_LOGIN_PROMPT);
    assert_encodes(m, "{\"type\":\"log in\"}\n");

    proto_init(m, MSG_LOGIN_UPDATE);
    m->u.login_update.accepted = true;
    assert_encodes(m, "{\"type\":\"log in update\",\"state\":\"accepted\"}\n");

    proto_init(m, MSG_LOGIN_UPDATE);
    strcpy(m->u.login_update.message, "username taken");
    assert_encodes(m, "{\"type\":\"log in update\",\"state\":\"refused\",\"message\":\"username "
                      "taken\"}\n");

    proto_init(m, MSG_LOBBY);
    strcpy(m->u.lobby.message, "welcome");
    assert_encodes(m, "{\"type\":\"lobby\",\"message\":\"welcome\"}\n");

    proto_init(m, MSG_LOBBY_UPDATE);
    m->u.lobby_update.nplayers = 2;
    strcpy(m->u.lobby_update.players[0], "alice");
    strcpy(m->u.lobby_update.players[1], "bob");
    m->u.lobby_update.group_size = 2;
    assert_encodes(
        m, "{\"type\":\"lobby update\",\"players\":[\"alice\",\"bob\"],\"group_size\":2}\n");

    proto_init(m, MSG_SELECT_WORLD);
    m->u.select_world.nworlds = 1;
    strcpy(m->u.select_world.worlds[0].name, "default");
    strcpy(m->u.select_world.worlds[0].description, "don't worry. be happy.");
    m->u.select_world.timeout = 15;
    assert_encodes(m, "{\"type\":\"select world\",\"worlds\":[{\"name\":\"default\","
                      "\"description\":\"don't worry. be happy.\"}],\"timeout\":15}\n");

    proto_init(m, MSG_VOTE);
    assert_encodes(m, "{\"type\":\"vote\",\"index\":0}\n");
    proto_init(m, MSG_VOTE_REPLY);
    m->u.vote_reply.considered = true;
    assert_encodes(m, "{\"type\":\"vote\",\"input\":\"considered\"}\n");
    m->u.vote_reply.considered = false;
    assert_encodes(m, "{\"type\":\"vote\",\"input\":\"ignored\"}\n");

    proto_init(m, MSG_VOTES);
    m->u.votes.ncounts = 3;
    m->u.votes.counts[0] = 1;
    m->u.votes.counts[2] = 2;
    assert_encodes(m, "{\"type\":\"votes\",\"counts\":[1,0,2]}\n");

    proto_init(m, MSG_INPUT);
    m->u.input.seq = 7;
    m->u.input.dx = -1;
    m->u.input.dash = true;
    assert_encodes(m, "{\"type\":\"input\",\"seq\":7,\"dx\":-1,\"dy\":0,\"dash\":true}\n");

    proto_init(m, MSG_ERROR);
    strcpy(m->u.error.message, "say \"hi\"\n\\");
    assert_encodes(m, "{\"type\":\"error\",\"message\":\"say \\\"hi\\\"\\n\\\\\"}\n");

    proto_init(m, MSG_PING);
    assert_encodes(m, "{\"type\":\"ping\"}\n");
    proto_init(m, MSG_CONTINUE);
    assert_encodes(m, "{\"type\":\"continue\"}\n");
    free(m);
}

static void test_python_client_lines_decode(void **state)
{
    (void)state;
    /* What the original Python client sends: json.dumps spacing, no version. */
    msg_t *m = msg_new(MSG_NONE);
    decode_ok(S("{\"type\": \"log in\", \"username\": \"alice\"}"), PROTO_TO_SERVER, m);
    assert_int_equal(m->type, MSG_LOGIN);
    assert_string_equal(m->u.login.username, "alice");
    assert_int_equal(m->u.login.version, 1);
    decode_ok(S("{\"type\": \"vote\", \"index\": 0}"), PROTO_TO_SERVER, m);
    assert_int_equal(m->type, MSG_VOTE);
    assert_int_equal(m->u.vote.index, 0);
    /* And what it receives. */
    decode_ok(S("{\"type\": \"log in\"}"), PROTO_TO_CLIENT, m);
    assert_int_equal(m->type, MSG_LOGIN_PROMPT);
    decode_ok(S("{\"type\": \"log in update\", \"state\": \"refused\", \"message\": \"username "
                "taken\"}"),
              PROTO_TO_CLIENT, m);
    assert_int_equal(m->type, MSG_LOGIN_UPDATE);
    assert_false(m->u.login_update.accepted);
    assert_string_equal(m->u.login_update.message, "username taken");
    /* Python's ensure_ascii escapes, a surrogate pair among them. */
    decode_ok(S("{\"type\": \"chat\", \"text\": \"caf\\u00e9 \\ud83d\\ude00\"}"), PROTO_TO_SERVER,
              m);
    assert_string_equal(m->u.chat_send.text, "caf\xc3\xa9 \xf0\x9f\x98\x80");
    /* It never names features: the server then sends it none of the additions. */
    decode_ok(S("{\"type\": \"log in\", \"username\": \"alice\"}"), PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features, 0);
    free(m);
}

static void test_login_social(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_NONE);
    /* "social" is a feature name beside "party" and "countdown", in any order. */
    decode_ok(S("{\"type\":\"log in\",\"username\":\"bob\",\"features\":[\"social\"]}"),
              PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features, PROTO_FEATURE_SOCIAL);
    decode_ok(S("{\"type\":\"log in\",\"username\":\"bob\",\"features\":[\"social\",\"party\"]}"),
              PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features, PROTO_FEATURE_PARTY | PROTO_FEATURE_SOCIAL);
    decode_ok(S("{\"type\":\"log in\",\"username\":\"bob\","
                "\"features\":[\"countdown\",\"social\",\"party\"]}"),
              PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features,
                     PROTO_FEATURE_PARTY | PROTO_FEATURE_SOCIAL | PROTO_FEATURE_COUNTDOWN);
    /* The boolean of an earlier draft is no field any more: an unknown field, ignored. */
    decode_ok(S("{\"type\":\"log in\",\"username\":\"bob\",\"social\":true}"), PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features, 0);
    char err[256];
    /* A colour is an index of the palette; absent means none chosen. */
    decode_ok(S("{\"type\":\"log in\",\"username\":\"bob\",\"color\":11}"), PROTO_TO_SERVER, m);
    assert_true(m->u.login.has_color);
    assert_int_equal(m->u.login.color, 11);
    decode_ok(S("{\"type\":\"log in\",\"username\":\"bob\"}"), PROTO_TO_SERVER, m);
    assert_false(m->u.login.has_color);
    assert_int_equal(proto_decode(S("{\"type\":\"log in\",\"username\":\"bob\",\"color\":12}"),
                                  PROTO_TO_SERVER, m, err, sizeof err),
                     PROTO_ERR_RANGE);
    assert_non_null(strstr(err, "color"));
    /* Sent only when set: an encoder of the original client's lines is unchanged. */
    proto_init(m, MSG_LOGIN);
    strcpy(m->u.login.username, "bob");
    m->u.login.version = 1;
    assert_encodes(m, "{\"type\":\"log in\",\"username\":\"bob\",\"version\":1}\n");
    m->u.login.features = PROTO_FEATURE_SOCIAL;
    m->u.login.has_color = true;
    m->u.login.color = 3;
    assert_encodes(m, "{\"type\":\"log in\",\"username\":\"bob\",\"version\":1,"
                      "\"features\":[\"social\"],\"color\":3}\n");
    m->u.login.has_color = false;
    m->u.login.features = PROTO_FEATURE_PARTY | PROTO_FEATURE_SOCIAL;
    assert_encodes(m, "{\"type\":\"log in\",\"username\":\"bob\",\"version\":1,"
                      "\"features\":[\"party\",\"social\"]}\n");
    free(m);
}

static void test_direction_picks_the_message(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_NONE);
    decode_ok(S("{\"type\":\"status\"}"), PROTO_TO_SERVER, m);
    assert_int_equal(m->type, MSG_STATUS_QUERY);
    decode_ok(S("{\"type\":\"chat\",\"text\":\"hi\"}"), PROTO_TO_SERVER, m);
    assert_int_equal(m->type, MSG_CHAT_SEND);
    decode_ok(S("{\"type\":\"chat\",\"from\":\"bob\",\"text\":\"hi\"}"), PROTO_TO_CLIENT, m);
    assert_int_equal(m->type, MSG_CHAT);
    decode_ok(S("{\"type\":\"ping\"}"), PROTO_TO_CLIENT, m);
    assert_int_equal(m->type, MSG_PING);
    decode_ok(S("{\"type\":\"pong\"}"), PROTO_TO_SERVER, m);
    assert_int_equal(m->type, MSG_PONG);
    assert_string_equal(proto_type_name(MSG_LOGIN_UPDATE), "log in update");
    assert_int_equal(proto_type_dir(MSG_INPUT), PROTO_TO_SERVER);
    assert_int_equal(proto_type_dir(MSG_STATE), PROTO_TO_CLIENT);
    free(m);
}

static void test_unknown_fields_ignored(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_NONE);
    decode_ok(S("{\"x\":[1,{\"y\":null}],\"type\":\"input\",\"seq\":3,\"dx\":1,\"dy\":-1,"
                "\"colour\":\"red\"}"),
              PROTO_TO_SERVER, m);
    assert_int_equal(m->type, MSG_INPUT);
    assert_int_equal(m->u.input.seq, 3);
    assert_int_equal(m->u.input.dx, 1);
    assert_int_equal(m->u.input.dy, -1);
    assert_false(m->u.input.dash);
    free(m);
}

/* Decoding text must fail with code and exactly the message want. */
static void expect_message(const char *text, proto_dir_t dir, int code, const char *want)
{
    char err[256];
    msg_t *m = msg_new(MSG_NONE);
    int rc = proto_decode(text, strlen(text), dir, m, err, sizeof err);
    if (rc != code || strcmp(err, want) != 0)
        fail_msg("decoding %s: got %d \"%s\", wanted %d \"%s\"", text, rc, err, code, want);
    free(m);
}

/* "input" and "state" find their members in one walk: in any order, the first of two members
 * with one name wins, and errors name the same field as a lookup per field did. */
static void test_members_in_any_order(void **state)
{
    (void)state;
    const proto_dir_t S = PROTO_TO_SERVER, C = PROTO_TO_CLIENT;
    msg_t *m = msg_new(MSG_NONE);
    decode_ok(S("{\"dash\":true,\"dy\":0,\"dx\":-1,\"seq\":7,\"type\":\"input\",\"dx\":5}"), S, m);
    assert_int_equal(m->u.input.seq, 7);
    assert_int_equal(m->u.input.dx, -1);
    assert_true(m->u.input.dash);
    expect_message("{\"type\":\"input\",\"seq\":1,\"dx\":5,\"dy\":0,\"dx\":1}", S, PROTO_ERR_RANGE,
                   "\"input\": field \"dx\" must be between -1 and 1");
    expect_message("{\"type\":\"input\",\"dy\":\"up\",\"dx\":1}", S, PROTO_ERR_FIELD,
                   "\"input\": field \"seq\" is missing");

    decode_ok(S("{\"coins\":[{\"y\":4,\"x\":3}],\"players\":[{\"stun_ticks\":2,\"ack\":9,"
                "\"stun\":true,\"dash\":false,\"score\":-3,\"y\":2.5,\"x\":1.25,\"username\":"
                "\"ann\",\"x\":9}],\"time_left\":1.5,\"tick\":12,\"type\":\"state\"}"),
              C, m);
    assert_int_equal(m->u.state.tick, 12);
    assert_int_equal(m->u.state.time_left_ms, 1500);
    assert_int_equal(m->u.state.nplayers, 1);
    assert_string_equal(m->u.state.players[0].username, "ann");
    assert_int_equal(m->u.state.players[0].x, 1250);
    assert_int_equal(m->u.state.players[0].y, 2500);
    assert_int_equal(m->u.state.players[0].score, -3);
    assert_true(m->u.state.players[0].stun);
    assert_int_equal(m->u.state.players[0].ack, 9);
    assert_int_equal(m->u.state.players[0].stun_ticks, 2);
    assert_int_equal(m->u.state.ncoins, 1);
    assert_int_equal(m->u.state.coins[0].x, 3);
    assert_int_equal(m->u.state.coins[0].y, 4);

    const char *player = "{\"username\":\"a\",\"x\":1,\"y\":1,\"score\":0,\"dash\":false,"
                         "\"stun\":false,\"ack\":1}";
    char line[512];
    snprintf(line, sizeof line,
             "{\"type\":\"state\",\"players\":[%s,{\"ack\":\"1\"}],\"time_left\":1}", player);
    expect_message(line, C, PROTO_ERR_FIELD, "\"state\": field \"tick\" is missing");
    snprintf(line, sizeof line,
             "{\"type\":\"state\",\"tick\":1,\"time_left\":1,\"players\":[%s,{\"username\":"
             "\"b\",\"x\":1,\"y\":1,\"score\":0,\"dash\":false,\"stun\":false,\"ack\":\"1\"}],"
             "\"coins\":[]}",
             player);
    expect_message(line, C, PROTO_ERR_FIELD,
                   "\"state\": field \"players[1].ack\" must be an integer, not a string");
    snprintf(line, sizeof line,
             "{\"type\":\"state\",\"tick\":1,\"time_left\":1,\"players\":[%s],\"coins\":[{\"x\":1,"
             "\"y\":1},{\"x\":1,\"y\":1},{\"x\":2}]}",
             player);
    expect_message(line, C, PROTO_ERR_FIELD, "\"state\": field \"coins[2].y\" is missing");
    /* An entry that is not an object is named alone, not inside the entry before it. */
    snprintf(line, sizeof line,
             "{\"type\":\"state\",\"tick\":1,\"time_left\":1,\"players\":[%s,7],\"coins\":[]}",
             player);
    expect_message(line, C, PROTO_ERR_FIELD,
                   "\"state\": field \"players[1]\" must be an object, not a number");
    expect_message("{\"type\":\"fin\",\"world\":\"w\",\"results\":[{\"username\":\"a\","
                   "\"score\":1,\"rank\":1},[]]}",
                   C, PROTO_ERR_FIELD,
                   "\"fin\": field \"results[1]\" must be an object, not a list");
    free(m);
}

/* --------------------------------------------------------------------------------------- */

static void fill_world(proto_world_info_t *w, const char *name, int width, int height)
{
    snprintf(w->name, sizeof w->name, "%s", name);
    snprintf(w->description, sizeof w->description, "%s, %dx%d", name, width, height);
    w->width = width;
    w->height = height;
    for (int r = 0; r < height; r++) {
        for (int c = 0; c < width; c++) {
            char t = WORLD_FLOOR;
            if (r == 0 || c == 0 || r == height - 1 || c == width - 1)
                t = WORLD_WALL;
            else if ((r * 7 + c) % 13 == 0)
                t = WORLD_COIN;
            else if ((r * 3 + c) % 17 == 0)
                t = WORLD_SPAWN;
            w->tiles[r][c] = t;
        }
        w->tiles[r][width] = '\0';
    }
}

static void test_round_trip_every_type(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_NONE);
    bool covered[MSG_COUNT] = {false};

#define TRIP()                                                                                     \
    do {                                                                                           \
        assert_round_trip(m);                                                                      \
        covered[m->type] = true;                                                                   \
    } while (0)

    static const msg_type_t empty[] = {MSG_LOGIN_PROMPT, MSG_CONTINUE, MSG_PING,
                                       MSG_PONG,         MSG_QUIT,     MSG_STATUS_QUERY};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        proto_init(m, empty[i]);
        TRIP();
    }

    proto_init(m, MSG_LOGIN);
    strcpy(m->u.login.username, "Zo\xc3\xab \xe2\x98\x83");
    m->u.login.version = 1;
    TRIP();

    proto_init(m, MSG_LOGIN_UPDATE);
    m->u.login_update.accepted = true;
    m->u.login_update.version = 1;
    TRIP();
    proto_init(m, MSG_LOGIN_UPDATE);
    strcpy(m->u.login_update.message, "username is longer than 16 characters");
    TRIP();

    proto_init(m, MSG_LOBBY);
    strcpy(m->u.lobby.message, "welcome");
    TRIP();

    proto_init(m, MSG_LOBBY_UPDATE);
    m->u.lobby_update.nplayers = PROTO_MAX_PLAYERS;
    for (int i = 0; i < PROTO_MAX_PLAYERS; i++)
        snprintf(m->u.lobby_update.players[i], PROTO_USERNAME_SIZE, "player \"%d\"", i);
    m->u.lobby_update.group_size = PROTO_MAX_GROUP;
    TRIP();

    proto_init(m, MSG_SELECT_WORLD);
    m->u.select_world.nworlds = PROTO_MAX_WORLDS;
    for (int i = 0; i < PROTO_MAX_WORLDS; i++) {
        char name[16];
        snprintf(name, sizeof name, "world %d", i);
        if (i < 2)
            fill_world(&m->u.select_world.worlds[i], name, 12 + i, 8 + i); /* with previews */
        else
            snprintf(m->u.select_world.worlds[i].name, WORLD_MAX_NAME + 1, "%s", name);
    }
    m->u.select_world.timeout = 15;
    TRIP();

    proto_init(m, MSG_VOTE);
    m->u.vote.index = 3;
    TRIP();
    proto_init(m, MSG_VOTE_REPLY);
    m->u.vote_reply.considered = true;
    TRIP();
    proto_init(m, MSG_VOTES);
    m->u.votes.ncounts = 4;
    m->u.votes.counts[1] = 3;
    m->u.votes.counts[3] = 1;
    TRIP();

    /* A 64x64 game start for eight players. */
    proto_init(m, MSG_GAME_START);
    msg_game_start_t *g = &m->u.game_start;
    fill_world(&g->world, "big arena", WORLD_MAX_SIZE, WORLD_MAX_SIZE);
    g->nplayers = PROTO_MAX_PLAYERS;
    for (int i = 0; i < PROTO_MAX_PLAYERS; i++) {
        snprintf(g->players[i].username, PROTO_USERNAME_SIZE, "p%d", i);
        g->players[i].color[0] = (uint8_t)(i * 30);
        g->players[i].color[1] = 255;
        g->players[i].color[2] = (uint8_t)i;
    }
    strcpy(g->you, "p3");
    g->tick_rate = SIM_TICK_RATE;
    g->duration = 60;
    g->seed = PROTO_MAX_SAFE_INTEGER;
    TRIP();

    proto_init(m, MSG_INPUT);
    m->u.input.seq = PROTO_MAX_SEQ;
    m->u.input.dx = 1;
    m->u.input.dy = -1;
    m->u.input.dash = true;
    TRIP();

    /* A full state: eight players, every coin. */
    proto_init(m, MSG_STATE);
    msg_state_t *s = &m->u.state;
    s->tick = 1234567;
    s->time_left_ms = 59967;
    s->nplayers = PROTO_MAX_PLAYERS;
    for (int i = 0; i < PROTO_MAX_PLAYERS; i++) {
        proto_player_state_t *p = &s->players[i];
        snprintf(p->username, sizeof p->username, "\xc3\xa9quipe %d", i);
        p->x = 1000 + i * 7001 + 1;
        p->y = WORLD_MAX_SIZE * SIM_ONE - i * 10;
        p->score = i * 3 - 5;
        p->dash = i % 2;
        p->stun = i % 3 == 0;
        p->ack = 4000000000u + (uint32_t)i;
        p->dash_ticks = (uint16_t)(i % 2 ? 4 : 0);
        p->cooldown_ticks = (uint16_t)(i * 8);
        p->stun_ticks = (uint16_t)(i % 3 == 0 ? SIM_STUN_TICKS : 0);
    }
    s->ncoins = PROTO_MAX_COINS;
    for (int i = 0; i < PROTO_MAX_COINS; i++) {
        s->coins[i].x = i;
        s->coins[i].y = WORLD_MAX_SIZE - 1 - i;
    }
    TRIP();

    proto_init(m, MSG_FINISH);
    strcpy(m->u.fin.world, "default");
    m->u.fin.nresults = 3;
    const int scores[] = {5, 5, 2}, ranks[] = {1, 1, 3};
    for (int i = 0; i < 3; i++) {
        snprintf(m->u.fin.results[i].username, PROTO_USERNAME_SIZE, "r%d", i);
        m->u.fin.results[i].score = scores[i];
        m->u.fin.results[i].rank = ranks[i];
    }
    TRIP();
    m->u.fin.continue_ms = PROTO_MAX_CONTINUE_MS;
    TRIP();

    proto_init(m, MSG_CHAT_SEND);
    strcpy(m->u.chat_send.text, "gg \xe2\x9c\x8c tab\there");
    TRIP();
    proto_init(m, MSG_CHAT);
    strcpy(m->u.chat.from, "alice");
    strcpy(m->u.chat.text, "hi \\ there");
    TRIP();

    proto_init(m, MSG_ERROR);
    strcpy(m->u.error.message, "not JSON: unexpected character at byte 7");
    TRIP();

    proto_init(m, MSG_STATUS);
    m->u.status = (msg_status_t){.version = PROTO_VERSION,
                                 .players = 1000,
                                 .lobby = 1,
                                 .games = 499,
                                 .group_size = 2,
                                 .uptime = 86400 * 365,
                                 .away = 3};
    TRIP();

    proto_init(m, MSG_DISCOVER);
    m->u.discover.version = PROTO_VERSION;
    strcpy(m->u.discover.token, "9f3a0c77e1b24d6a");
    TRIP();

    proto_init(m, MSG_SERVER_INFO);
    msg_server_info_t *si = &m->u.server_info;
    strcpy(si->token, "9f3a0c77e1b24d6a");
    strcpy(si->name, "kim's game");
    si->port = 9999;
    si->version = PROTO_VERSION;
    strcpy(si->id, "5d1e2f");
    si->players = 3;
    si->lobby = 1;
    si->group_size = 2;
    si->worlds = 4;
    TRIP();

    proto_init(m, MSG_NOTICE);
    strcpy(m->u.notice.text, "\xc3\xa9lodie joined");
    TRIP();

    proto_init(m, MSG_EVENING);
    m->u.evening.nrows = PROTO_MAX_EVENING;
    for (int i = 0; i < PROTO_MAX_EVENING; i++) {
        proto_evening_row_t *r = &m->u.evening.rows[i];
        snprintf(r->username, sizeof r->username, "\xc3\xa9quipe %d", i);
        r->played = PROTO_MAX_ROUNDS - i;
        r->won = PROTO_MAX_EVENING - i;
        r->points = i * 1000 - 3;
    }
    TRIP();

    proto_init(m, MSG_GROUP);
    m->u.group.nplayers = PROTO_MAX_PLAYERS;
    for (int i = 0; i < PROTO_MAX_PLAYERS; i++) {
        snprintf(m->u.group.players[i].username, PROTO_USERNAME_SIZE, "p\xc3\xa9%d", i);
        m->u.group.players[i].voted = i % 2;
        m->u.group.players[i].left = i % 3 == 0;
    }
    TRIP();

    /* The party additions: a login with features and the admin secret, the server view. */
    proto_init(m, MSG_LOGIN);
    strcpy(m->u.login.username, "kim");
    m->u.login.version = 1;
    m->u.login.features = PROTO_FEATURE_PARTY | PROTO_FEATURE_SOCIAL;
    strcpy(m->u.login.admin, "0123456789abcdef0123456789abcdef");
    m->u.login.has_color = true;
    m->u.login.color = PALETTE_COUNT - 1;
    TRIP();
    proto_init(m, MSG_LOBBY_UPDATE);
    msg_lobby_update_t *lu = &m->u.lobby_update;
    lu->nplayers = 2;
    strcpy(lu->players[0], "kim");
    strcpy(lu->players[1], "lee");
    lu->group_size = 4;
    lu->party = true;
    strcpy(lu->host, "kim");
    lu->nready = 1;
    strcpy(lu->ready[0], "lee");
    lu->has_wait = true;
    lu->wait_ms = 29500;
    lu->games = PROTO_MAX_LOBBY_GROUPS + 3;
    lu->ngroups = PROTO_MAX_LOBBY_GROUPS;
    for (int i = 0; i < PROTO_MAX_LOBBY_GROUPS; i++) {
        proto_group_info_t *gi = &lu->groups[i];
        gi->nplayers = PROTO_MAX_PLAYERS;
        for (int k = 0; k < PROTO_MAX_PLAYERS; k++)
            snprintf(gi->players[k], PROTO_USERNAME_SIZE, "\xc3\xa9quipe %d.%d", i, k);
        gi->phase = (proto_phase_t)(i % 3);
        if (gi->phase != PROTO_PHASE_VOTE)
            snprintf(gi->world, sizeof gi->world, "world %d", i);
        gi->time_left_ms = 1000 * i + 7;
    }
    TRIP();
    proto_init(m, MSG_START);
    m->u.start.ready = true;
    TRIP();
    proto_init(m, MSG_KICK);
    strcpy(m->u.kick.username, "troll");
    strcpy(m->u.kick.reason, "idle \"all\" round");
    TRIP();
    proto_init(m, MSG_CLOSING);
    strcpy(m->u.closing.message, "The server closes after this round");
    TRIP();
    proto_init(m, MSG_BYE);
    strcpy(m->u.bye.reason, "kicked");
    strcpy(m->u.bye.message, "Kicked by the host: idle");
    TRIP();
    /* A replay part of the largest size: the line stays under PROTO_MAX_LINE. */
    proto_init(m, MSG_REPLAY);
    m->u.replay.part = PROTO_MAX_REPLAY_PARTS;
    m->u.replay.parts = PROTO_MAX_REPLAY_PARTS;
    m->u.replay.bytes = PROTO_MAX_REPLAY_BYTES;
    memset(m->u.replay.data, 'A', PROTO_REPLAY_CHUNK);
    m->u.replay.data[PROTO_REPLAY_CHUNK] = '\0';
    TRIP();

    /* The watch additions. */
    for (int i = 0; i < PROTO_MAX_LOBBY_GROUPS; i++) {
        lu->groups[i].id = i + 1;
        lu->groups[i].watching = i;
    }
    proto_init(m, MSG_WATCH);
    m->u.watch.group = PROTO_MAX_GROUP_ID;
    TRIP();
    proto_init(m, MSG_WATCH_REPLY);
    m->u.watch_reply.group = 3;
    m->u.watch_reply.accepted = true;
    TRIP();
    m->u.watch_reply.accepted = false;
    strcpy(m->u.watch_reply.message, "32 people watch that round already");
    TRIP();
    proto_init(m, MSG_UNWATCH);
    TRIP();
    proto_init(m, MSG_WATCH_END);
    strcpy(m->u.watch_end.message, "you were dropped from watching");
    TRIP();
    proto_init(m, MSG_WATCHERS);
    m->u.watchers.count = PROTO_MAX_WATCHERS;
    TRIP();
    proto_init(m, MSG_STOP);
    strcpy(m->u.stop.admin, "0123456789abcdef0123456789abcdef");
    TRIP();
    strcpy(m->u.stop.if_alone, "kim");
    TRIP();

    for (int t = MSG_NONE + 1; t < MSG_COUNT; t++) {
        if (!covered[t])
            fail_msg("no round trip for %s", proto_type_name((msg_type_t)t));
    }
    free(m);
}

/* The server view travels only when asked for: a lobby update without it is byte for byte the
 * original's, and a bad server view is refused like any bad field. */
static void test_lobby_update_party_fields(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_LOBBY_UPDATE);
    msg_lobby_update_t *u = &m->u.lobby_update;
    u->nplayers = 1;
    strcpy(u->players[0], "alice");
    u->group_size = 2;
    strcpy(u->host, "alice"); /* ignored without party */
    u->has_wait = true;
    assert_true(proto_encode(m, line, sizeof line) > 0);
    assert_string_equal(line,
                        "{\"type\":\"lobby update\",\"players\":[\"alice\"],\"group_size\":2}\n");
    u->party = true;
    u->wait_ms = 12000;
    assert_true(proto_encode(m, line, sizeof line) > 0);
    assert_string_equal(line,
                        "{\"type\":\"lobby update\",\"players\":[\"alice\"],\"group_size\":2,"
                        "\"games\":0,\"host\":\"alice\",\"ready\":[],\"wait\":12,\"groups\":[]}\n");
    static const char *const bad[] = {
        "{\"type\":\"lobby update\",\"players\":[],\"group_size\":2,\"games\":1,\"groups\":[{"
        "\"players\":[\"a\"],\"phase\":\"dance\",\"time_left\":3}]}",
        "{\"type\":\"lobby update\",\"players\":[],\"group_size\":2,\"games\":1,\"groups\":[{"
        "\"players\":[],\"phase\":\"game\",\"time_left\":3}]}",
        "{\"type\":\"lobby update\",\"players\":[],\"group_size\":2,\"games\":-1}",
        "{\"type\":\"lobby update\",\"players\":[],\"group_size\":2,\"games\":0,\"wait\":3601}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256];
        int rc = proto_decode(bad[i], strlen(bad[i]), PROTO_TO_CLIENT, m, err, sizeof err);
        if (rc != PROTO_ERR_RANGE)
            fail_msg("%s decoded with %d (%s)", bad[i], rc, err);
    }
    /* The largest view fits a line with room to spare: 12 groups of 8 names of 16 four-byte
     * characters, worlds of 32 quotes (each escaped), a full lobby and ready list. */
    char longname[PROTO_USERNAME_SIZE] = "";
    for (int k = 0; k < PROTO_MAX_USERNAME; k++)
        strcat(longname, "\xf0\x9f\x98\x80");
    proto_init(m, MSG_LOBBY_UPDATE);
    u->nplayers = u->nready = PROTO_MAX_PLAYERS;
    u->group_size = PROTO_MAX_GROUP;
    u->party = u->has_wait = true;
    u->wait_ms = PROTO_MAX_WAIT * 1000;
    memcpy(u->host, longname, sizeof u->host);
    u->games = u->ngroups = PROTO_MAX_LOBBY_GROUPS;
    for (int i = 0; i < PROTO_MAX_PLAYERS; i++) {
        memcpy(u->players[i], longname, sizeof longname);
        memcpy(u->ready[i], longname, sizeof longname);
    }
    for (int g = 0; g < PROTO_MAX_LOBBY_GROUPS; g++) {
        u->groups[g].nplayers = PROTO_MAX_PLAYERS;
        for (int i = 0; i < PROTO_MAX_PLAYERS; i++)
            memcpy(u->groups[g].players[i], longname, sizeof longname);
        u->groups[g].phase = PROTO_PHASE_GAME;
        memset(u->groups[g].world, '"', WORLD_MAX_NAME);
        u->groups[g].time_left_ms = PROTO_MAX_DURATION * 1000;
    }
    int n = proto_encode(m, line, sizeof line);
    assert_true(n > 0 && n < 10 * 1024);
    /* A feature this server does not know is ignored; a non-string one is refused. */
    const char *login =
        "{\"type\":\"log in\",\"username\":\"a\",\"features\":[\"teleport\",\"party\"]}";
    decode_ok(login, strlen(login), PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features, PROTO_FEATURE_PARTY);
    const char *bad_login = "{\"type\":\"log in\",\"username\":\"a\",\"features\":[1]}";
    assert_int_equal(proto_decode(bad_login, strlen(bad_login), PROTO_TO_SERVER, m, NULL, 0),
                     PROTO_ERR_FIELD);
    free(m);
}

static void test_numbers_on_the_wire(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_STATE);
    m->u.state.tick = 30;
    m->u.state.time_left_ms = 12500;
    m->u.state.nplayers = 1;
    strcpy(m->u.state.players[0].username, "a");
    m->u.state.players[0].x = 12345;
    m->u.state.players[0].y = 7000;
    m->u.state.players[0].score = 2;
    m->u.state.ncoins = 1;
    m->u.state.coins[0].x = 4;
    m->u.state.coins[0].y = 1;
    assert_encodes(m, "{\"type\":\"state\",\"tick\":30,\"time_left\":12.5,\"players\":[{"
                      "\"username\":\"a\",\"x\":12.345,\"y\":7,\"score\":2,\"dash\":false,"
                      "\"stun\":false,\"ack\":0,\"dash_ticks\":0,\"cooldown_ticks\":0,"
                      "\"stun_ticks\":0}],\"coins\":[{\"x\":4,\"y\":1}]}\n");

    /* Decoding rounds to thousandths; the timers are optional. */
    decode_ok(S("{\"type\":\"state\",\"tick\":1,\"time_left\":0.0334,\"players\":[{\"username\":"
                "\"a\",\"x\":1.0005,\"y\":63.9999,\"score\":0,\"dash\":true,\"stun\":false,"
                "\"ack\":9}],\"coins\":[]}"),
              PROTO_TO_CLIENT, m);
    assert_int_equal(m->u.state.time_left_ms, 33);
    assert_int_equal(m->u.state.players[0].x, 1001);
    assert_int_equal(m->u.state.players[0].y, 64000);
    assert_int_equal(m->u.state.players[0].dash_ticks, 0);
    assert_true(m->u.state.players[0].dash);
    assert_int_equal(m->u.state.ncoins, 0);
    free(m);
}

static void test_encode_refuses_what_cannot_be_sent(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_LOBBY_UPDATE);
    m->u.lobby_update.nplayers = PROTO_MAX_PLAYERS + 1;
    m->u.lobby_update.group_size = 2;
    assert_int_equal(proto_encode(m, line, sizeof line), -1);

    proto_init(m, MSG_INPUT);
    m->u.input.dx = 2;
    assert_int_equal(proto_encode(m, line, sizeof line), -1);

    proto_init(m, MSG_CHAT_SEND);
    strcpy(m->u.chat_send.text, "bad \xff byte");
    assert_int_equal(proto_encode(m, line, sizeof line), -1);
    memset(m->u.chat_send.text, 'a', PROTO_MAX_CHAT + 1); /* 201 characters */
    assert_int_equal(proto_encode(m, line, sizeof line), -1);
    m->u.chat_send.text[PROTO_MAX_CHAT] = '\0';
    assert_true(proto_encode(m, line, sizeof line) > PROTO_MAX_CHAT);

    proto_init(m, MSG_GAME_START);
    fill_world(&m->u.game_start.world, "w", 8, 8);
    m->u.game_start.nplayers = 1;
    m->u.game_start.tick_rate = 30;
    m->u.game_start.duration = 5;
    m->u.game_start.seed = PROTO_MAX_SAFE_INTEGER + 1;
    assert_int_equal(proto_encode(m, line, sizeof line), -1);
    m->u.game_start.seed = 1;
    m->u.game_start.world.tiles[3][2] = 'x';
    assert_int_equal(proto_encode(m, line, sizeof line), -1);

    /* Too small a buffer: -1, never a cut line. */
    proto_init(m, MSG_LOBBY);
    strcpy(m->u.lobby.message, "welcome");
    int n = proto_encode(m, line, sizeof line);
    assert_int_equal(proto_encode(m, line, (size_t)n - 1), -1);
    assert_int_equal(proto_encode(m, line, (size_t)n), n); /* fits exactly, no NUL needed */

    proto_init(m, MSG_NONE);
    assert_int_equal(proto_encode(m, line, sizeof line), -1);
    free(m);
}

/* The encoder writes a row at a cursor when the room left holds the row's worst case, and
 * through the checked writer when not: for every buffer size, either the whole line, the same
 * bytes, or -1. Numbers at their edges, and names that take write_str's way (an escape, a byte
 * over 0x7f) between plain ones. */
static void test_encode_every_buffer_size(void **state)
{
    (void)state;
    static const int32_t millis[] = {0, 1, 10, 100, 1000, 1010, 64000};
    msg_t *m = msg_new(MSG_STATE);
    m->u.state.tick = UINT32_MAX;
    m->u.state.time_left_ms = 9;
    m->u.state.nplayers = 7;
    for (int i = 0; i < 7; i++) {
        proto_player_state_t *p = &m->u.state.players[i];
        strcpy(p->username, i == 2 ? "a\"b" : i == 4 ? "\xc3\xa9t\xc3\xa9" : "plain");
        p->x = millis[i];
        p->y = millis[6 - i];
        p->score = i == 1 ? INT32_MIN : i == 3 ? INT32_MAX : -i;
        p->stun = i & 1;
        p->ack = i == 5 ? UINT32_MAX : (uint32_t)i * 99;
        p->stun_ticks = UINT16_MAX;
    }
    m->u.state.ncoins = 1;
    char *want = malloc(PROTO_MAX_LINE), *buf = malloc(PROTO_MAX_LINE);
    int n = proto_encode(m, want, PROTO_MAX_LINE);
    assert_true(n > 0);
    assert_non_null(strstr(want, "\"score\":-2147483648,"));
    assert_non_null(strstr(want, "\"x\":1.01,\"y\":0.001,"));
    assert_non_null(strstr(want, "\"username\":\"a\\\"b\""));
    for (size_t cap = 0; cap <= (size_t)n + 100; cap++) {
        memset(buf, '#', PROTO_MAX_LINE);
        int got = proto_encode(m, buf, cap);
        if (cap < (size_t)n) {
            assert_int_equal(got, -1);
        } else {
            assert_int_equal(got, n);
            assert_memory_equal(buf, want, (size_t)n);
        }
    }
    free(want);
    free(buf);
    free(m);
}

static void test_select_world_too_big_for_a_line(void **state)
{
    (void)state;
    /* 16 previews of 64x64 do not fit in 16 KiB: the encoder says so instead of cutting. */
    msg_t *m = msg_new(MSG_SELECT_WORLD);
    m->u.select_world.nworlds = PROTO_MAX_WORLDS;
    for (int i = 0; i < PROTO_MAX_WORLDS; i++)
        fill_world(&m->u.select_world.worlds[i], "w", WORLD_MAX_SIZE, WORLD_MAX_SIZE);
    static char big[PROTO_MAX_LINE * 8];
    assert_int_equal(proto_encode(m, big, sizeof big), -1);
    free(m);
}

/* --------------------------------------------------------------------------------------- */

static void test_malformed_lines(void **state)
{
    (void)state;
    const proto_dir_t S = PROTO_TO_SERVER, C = PROTO_TO_CLIENT;

    EXPECT_ERROR("{\"type\":\"ping\",\"x\":\"\xff\"}", S, PROTO_ERR_UTF8, "UTF-8", "byte 20");
    EXPECT_ERROR("{\"type\":\"ping\",\"x\":\"\xed\xa0\x80\"}", S, PROTO_ERR_UTF8, "UTF-8", NULL);
    EXPECT_ERROR("{\"type\":\"ping\"}\0", S, PROTO_ERR_UTF8, "NUL", NULL);
    EXPECT_ERROR("{\"type\":\"chat\",\"text\":\"a\\u0000b\"}", S, PROTO_ERR_UTF8, "NUL", NULL);

    EXPECT_ERROR("", S, PROTO_ERR_JSON, "not JSON", "empty");
    EXPECT_ERROR("  \t", S, PROTO_ERR_JSON, "not JSON", "empty");
    EXPECT_ERROR("hello", S, PROTO_ERR_JSON, "not JSON", "byte 0");
    EXPECT_ERROR("{\"type\":\"ping\"", S, PROTO_ERR_JSON, "not JSON", "ends too early");
    EXPECT_ERROR("{\"type\":'ping'}", S, PROTO_ERR_JSON, "not JSON", "byte 8");
    EXPECT_ERROR("{\"type\":\"ping\"} {}", S, PROTO_ERR_JSON, "not JSON", "after");
    EXPECT_ERROR("{\"type\":\"chat\",\"text\":\"\\ud800\"}", S, PROTO_ERR_JSON, "not JSON", NULL);

    EXPECT_ERROR("[{\"type\":\"ping\"}]", S, PROTO_ERR_NOT_OBJECT, "object", "list");
    EXPECT_ERROR("\"ping\"", S, PROTO_ERR_NOT_OBJECT, "object", "string");
    EXPECT_ERROR("42", S, PROTO_ERR_NOT_OBJECT, "object", "number");
    EXPECT_ERROR("null", S, PROTO_ERR_NOT_OBJECT, "object", "null");

    EXPECT_ERROR("{}", S, PROTO_ERR_NO_TYPE, "\"type\"", NULL);
    EXPECT_ERROR("{\"Type\":\"ping\"}", S, PROTO_ERR_NO_TYPE, "\"type\"", NULL);
    EXPECT_ERROR("{\"type\":7}", S, PROTO_ERR_NO_TYPE, "\"type\"", "number");

    EXPECT_ERROR("{\"type\":\"fly\"}", S, PROTO_ERR_UNKNOWN_TYPE, "unknown type \"fly\"", "server");
    EXPECT_ERROR("{\"type\":\"state\"}", S, PROTO_ERR_UNKNOWN_TYPE, "\"state\"", "server");
    EXPECT_ERROR("{\"type\":\"input\"}", C, PROTO_ERR_UNKNOWN_TYPE, "\"input\"", "client");
    EXPECT_ERROR("{\"type\":\"discover\"}", C, PROTO_ERR_UNKNOWN_TYPE, "\"discover\"", NULL);
    /* "replay": the server sends it, never receives it; its parts and sizes are bounded. */
    EXPECT_ERROR("{\"type\":\"replay\"}", S, PROTO_ERR_UNKNOWN_TYPE, "\"replay\"", "server");
    EXPECT_ERROR("{\"type\":\"replay\",\"part\":1,\"parts\":58,\"bytes\":9,\"data\":\"\"}", C,
                 PROTO_ERR_RANGE, "\"parts\"", NULL);
    EXPECT_ERROR("{\"type\":\"replay\",\"part\":0,\"parts\":1,\"bytes\":9,\"data\":\"\"}", C,
                 PROTO_ERR_RANGE, "\"part\"", NULL);
    EXPECT_ERROR("{\"type\":\"replay\",\"part\":1,\"parts\":1,\"bytes\":524289,\"data\":\"\"}", C,
                 PROTO_ERR_RANGE, "\"bytes\"", NULL);
    EXPECT_ERROR("{\"type\":\"replay\",\"part\":1,\"parts\":1,\"bytes\":3}", C, PROTO_ERR_FIELD,
                 "\"data\"", "missing");
    /* The unknown name is echoed as ASCII and cut short. */
    EXPECT_ERROR("{\"type\":\"\\u001b[2J\xc3\xa9xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
                 S, PROTO_ERR_UNKNOWN_TYPE, "\"?[2J?xxx", "...");

    /* Field errors keep the recognised type, so a server can answer in kind. */
    assert_int_equal(EXPECT_ERROR("{\"type\":\"vote\"}", S, PROTO_ERR_FIELD,
                                  "\"vote\": field \"index\"", "missing"),
                     MSG_VOTE);
    assert_int_equal(EXPECT_ERROR("{\"type\":\"vote\",\"index\":\"0\"}", S, PROTO_ERR_FIELD,
                                  "\"index\" must be an integer", "string"),
                     MSG_VOTE);
    assert_int_equal(EXPECT_ERROR("{\"type\":\"log in\",\"username\":null}", S, PROTO_ERR_FIELD,
                                  "\"username\"", "null"),
                     MSG_LOGIN);
    EXPECT_ERROR("{\"type\":\"input\",\"seq\":1,\"dx\":0,\"dy\":0,\"dash\":1}", S, PROTO_ERR_FIELD,
                 "\"dash\"", "true or false");
    EXPECT_ERROR("{\"type\":\"lobby update\",\"players\":\"alice\",\"group_size\":2}", C,
                 PROTO_ERR_FIELD, "\"players\"", "list");
    EXPECT_ERROR("{\"type\":\"state\",\"tick\":1,\"time_left\":1,\"players\":[1],\"coins\":[]}", C,
                 PROTO_ERR_FIELD, "\"players[0]\"", "object");
    EXPECT_ERROR("{\"type\":\"state\",\"tick\":1,\"time_left\":1,\"players\":[{\"username\":\"a\","
                 "\"x\":1,\"y\":1,\"score\":0,\"dash\":false,\"ack\":0}],\"coins\":[]}",
                 C, PROTO_ERR_FIELD, "\"players[0].stun\"", "missing");

    assert_int_equal(EXPECT_ERROR("{\"type\":\"vote\",\"index\":0.5}", S, PROTO_ERR_RANGE,
                                  "\"index\"", "integer"),
                     MSG_VOTE);
    EXPECT_ERROR("{\"type\":\"vote\",\"index\":1e300}", S, PROTO_ERR_RANGE, "\"index\"", "between");
    EXPECT_ERROR("{\"type\":\"vote\",\"index\":1e999}", S, PROTO_ERR_RANGE, "\"index\"", NULL);
    EXPECT_ERROR("{\"type\":\"input\",\"seq\":1,\"dx\":2,\"dy\":0}", S, PROTO_ERR_RANGE, "\"dx\"",
                 "between -1 and 1");
    EXPECT_ERROR("{\"type\":\"input\",\"seq\":-1,\"dx\":0,\"dy\":0}", S, PROTO_ERR_RANGE, "\"seq\"",
                 NULL);
    EXPECT_ERROR("{\"type\":\"input\",\"seq\":4294967296,\"dx\":0,\"dy\":0}", S, PROTO_ERR_RANGE,
                 "\"seq\"", "4294967295");
    EXPECT_ERROR("{\"type\":\"log in update\",\"state\":\"maybe\"}", C, PROTO_ERR_RANGE,
                 "\"state\"", "accepted");
    EXPECT_ERROR("{\"type\":\"vote\",\"input\":\"yes\"}", C, PROTO_ERR_RANGE, "\"input\"",
                 "considered");
    EXPECT_ERROR(
        "{\"type\":\"lobby update\",\"players\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\","
        "\"h\",\"i\"],\"group_size\":2}",
        C, PROTO_ERR_RANGE, "\"players\"", "more than 8");
    EXPECT_ERROR("{\"type\":\"lobby update\",\"players\":[],\"group_size\":1}", C, PROTO_ERR_RANGE,
                 "\"group_size\"", NULL);
    EXPECT_ERROR("{\"type\":\"chat\",\"from\":\"abcdefghijklmnopq\",\"text\":\"\"}", C,
                 PROTO_ERR_RANGE, "\"from\"", "16 characters");
    EXPECT_ERROR("{\"type\":\"state\",\"tick\":1,\"time_left\":1,\"players\":[{\"username\":\"a\","
                 "\"x\":64.001,\"y\":1,\"score\":0,\"dash\":false,\"stun\":false,\"ack\":0}],"
                 "\"coins\":[]}",
                 C, PROTO_ERR_RANGE, "\"players[0].x\"", "between 0 and 64");
    EXPECT_ERROR("{\"type\":\"game start\",\"world\":{\"name\":\"w\",\"width\":8,\"height\":8,"
                 "\"tiles\":[]},\"players\":[],\"you\":\"a\",\"tick_rate\":30,\"duration\":5,"
                 "\"seed\":1}",
                 C, PROTO_ERR_RANGE, "\"world.tiles\"", "8 rows");

    /* A long chat line: 201 characters is one too many. */
    char chat[512];
    int n = snprintf(chat, sizeof chat, "{\"type\":\"chat\",\"text\":\"%0201d\"}", 0);
    assert_int_equal(expect_error(chat, (size_t)n, S, PROTO_ERR_RANGE, "\"text\"", "200"),
                     MSG_CHAT_SEND);
    n = snprintf(chat, sizeof chat, "{\"type\":\"chat\",\"text\":\"%0200d\"}", 0);
    msg_t *m = msg_new(MSG_NONE);
    decode_ok(chat, (size_t)n, S, m);
    assert_int_equal(strlen(m->u.chat_send.text), PROTO_MAX_CHAT);

    /* A username beyond the buffer is a range error the server turns into a refusal. */
    n = snprintf(chat, sizeof chat, "{\"type\":\"log in\",\"username\":\"%065d\"}", 0);
    assert_int_equal(expect_error(chat, (size_t)n, S, PROTO_ERR_RANGE, "\"username\"", "64 bytes"),
                     MSG_LOGIN);

    /* A seed beyond 2^53-1 cannot be trusted to survive a JSON number. */
    EXPECT_ERROR("{\"type\":\"game start\",\"world\":{\"name\":\"w\",\"width\":8,\"height\":8,"
                 "\"tiles\":[\"########\",\"########\",\"########\",\"########\",\"########\","
                 "\"########\",\"########\",\"########\"]},\"players\":[{\"username\":\"a\","
                 "\"color\":[1,2,3]}],\"you\":\"a\",\"tick_rate\":30,\"duration\":5,"
                 "\"seed\":9007199254740992}",
                 C, PROTO_ERR_RANGE, "\"seed\"", NULL);
    free(m);
}

static void test_line_too_long(void **state)
{
    (void)state;
    static char big[PROTO_MAX_LINE + 16];
    int n = snprintf(big, sizeof big, "{\"type\":\"chat\",\"text\":\"");
    memset(big + n, 'a', sizeof big - (size_t)n);
    EXPECT_ERROR("", PROTO_TO_SERVER, PROTO_ERR_JSON, NULL, NULL); /* warm-up: helper sanity */
    assert_int_equal(
        expect_error(big, PROTO_MAX_LINE, PROTO_TO_SERVER, PROTO_ERR_TOO_LONG, "16384", NULL),
        MSG_NONE);
}

static void test_error_buffer_optional(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_NONE);
    char tiny[8];
    assert_int_equal(proto_decode(S("nope"), PROTO_TO_SERVER, m, NULL, 0), PROTO_ERR_JSON);
    assert_int_equal(proto_decode(S("{\"type\":\"vote\"}"), PROTO_TO_SERVER, m, tiny, sizeof tiny),
                     PROTO_ERR_FIELD);
    assert_int_equal(strlen(tiny), sizeof tiny - 1); /* truncated, still terminated */
    free(m);
}

/* --------------------------------------------------------------------------------------- */

static void test_username_rules(void **state)
{
    (void)state;
    char err[128];
    assert_int_equal(proto_check_username("alice", err, sizeof err), 0);
    assert_int_equal(proto_check_username("Ana Mar\xc3\xad"
                                          "a",
                                          err, sizeof err),
                     0);
    assert_int_equal(proto_check_username("sixteen_chars_16", err, sizeof err), 0);
    /* 16 two-byte characters are 16 characters, not 32. */
    assert_int_equal(proto_check_username("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
                                          "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
                                          "\xa9\xc3\xa9\xc3\xa9",
                                          err, sizeof err),
                     0);

    static const struct {
        const char *name, *why;
    } bad[] = {
        {"", "empty"},           {"seventeen_chars17", "longer than 16 characters"},
        {"al\xffice", "UTF-8"},  {"a\tb", "control"},
        {"bell\x07", "control"}, {"c1\xc2\x85", "control"},
        {" alice", "space"},     {"alice ", "space"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(proto_check_username(bad[i].name, err, sizeof err), -1);
        if (!strstr(err, bad[i].why))
            fail_msg("\"%s\": \"%s\" does not say %s", bad[i].name, err, bad[i].why);
        assert_non_null(strstr(err, "username"));
    }
}

static void test_username_key(void **state)
{
    (void)state;
    char a[PROTO_USERNAME_SIZE], b[PROTO_USERNAME_SIZE];
    proto_username_key("Alice", a, sizeof a);
    proto_username_key("aLICE", b, sizeof b);
    assert_string_equal(a, "alice");
    assert_string_equal(a, b);
    proto_username_key("\xc3\x89mile Z", a, sizeof a); /* non-ASCII left alone */
    assert_string_equal(a, "\xc3\x89mile z");
    char small[4];
    proto_username_key("ABCDEF", small, sizeof small);
    assert_string_equal(small, "abc");
}

/* --------------------------------------------------------------------------------------- */

static void test_state_from_sim(void **state)
{
    (void)state;
    static sim_game_t g;
    static const char names[SIM_MAX_PLAYERS][PROTO_USERNAME_SIZE] = {"alice", "bob", "carol"};
    memset(&g, 0, sizeof g);
    g.tick = 30;
    g.duration_ticks = 90; /* 60 ticks left: 2 s */
    g.nplayers = 3;
    for (int i = 0; i < 3; i++) {
        g.players[i].active = true;
        g.players[i].x = 1500 + i;
        g.players[i].y = 2500;
        g.players[i].score = i;
        g.players[i].ack = 10u + (uint32_t)i;
    }
    g.players[0].dash_ticks = 3;
    g.players[0].cooldown_ticks = 66;
    g.players[2].stun_ticks = 5;
    g.players[1].active = false; /* bob left */
    g.ncoins = 3;
    g.coins[0] = (sim_coin_t){.x = 4500, .y = 1500, .refill_ticks = 0};
    g.coins[1] = (sim_coin_t){.x = 5500, .y = 1500, .refill_ticks = 20}; /* taken */
    g.coins[2] = (sim_coin_t){.x = 2500, .y = 6500, .refill_ticks = 0};

    msg_t *m = msg_new(MSG_STATE);
    proto_state_from_sim(&m->u.state, &g, names);
    msg_state_t *s = &m->u.state;
    assert_int_equal(s->tick, 30);
    assert_int_equal(s->time_left_ms, 2000);
    assert_int_equal(s->nplayers, 2);
    assert_string_equal(s->players[0].username, "alice");
    assert_string_equal(s->players[1].username, "carol");
    assert_int_equal(s->players[0].x, 1500);
    assert_int_equal(s->players[1].x, 1502);
    assert_true(s->players[0].dash);
    assert_false(s->players[0].stun);
    assert_true(s->players[1].stun);
    assert_int_equal(s->players[0].cooldown_ticks, 66);
    assert_int_equal(s->players[1].ack, 12);
    assert_int_equal(s->ncoins, 2);
    assert_int_equal(s->coins[0].x, 4);
    assert_int_equal(s->coins[0].y, 1);
    assert_int_equal(s->coins[1].x, 2);
    assert_int_equal(s->coins[1].y, 6);
    assert_round_trip(m);

    /* One tick left is 33 ms on the wire; none once the round is over. */
    g.tick = 89;
    proto_state_from_sim(s, &g, names);
    assert_int_equal(s->time_left_ms, 33);
    g.tick = 95;
    proto_state_from_sim(s, &g, names);
    assert_int_equal(s->time_left_ms, 0);

    /* And back into a simulation player, as the client reconciles. */
    sim_player_t p;
    memset(&p, 0, sizeof p);
    p.active = true;
    proto_player_to_sim(&s->players[0], &p);
    assert_true(p.active);
    assert_int_equal(p.x, 1500);
    assert_int_equal(p.y, 2500);
    assert_int_equal(p.ack, 10);
    assert_int_equal(p.dash_ticks, 3);
    assert_int_equal(p.cooldown_ticks, 66);
    assert_int_equal(p.stun_ticks, 0);
    free(m);
}

/* Every example line of docs/PROTOCOL.md decodes in one direction and re-encodes: the
 * document and the code stay in step. */
static void test_protocol_doc_examples(void **state)
{
    (void)state;
    const char *src = getenv("NINE43_SOURCE");
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/PROTOCOL.md", src ? src : "..");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    static char text[PROTO_MAX_LINE];
    msg_t *m = msg_new(MSG_NONE);
    bool in_code = false, covered[MSG_COUNT] = {false};
    while (fgets(text, sizeof text, f)) {
        if (strncmp(text, "```", 3) == 0) {
            in_code = !in_code;
            continue;
        }
        if (!in_code || text[0] != '{')
            continue;
        char *end = strrchr(text, '}'); /* drop a trailing "(C->S)" remark */
        assert_non_null(end);
        size_t len = (size_t)(end - text) + 1;
        char err[2][256];
        bool decoded = false;
        static const proto_dir_t dirs[2] = {PROTO_TO_SERVER, PROTO_TO_CLIENT};
        for (int d = 0; d < 2; d++) {
            if (proto_decode(text, len, dirs[d], m, err[d], sizeof err[d]) != PROTO_OK)
                continue;
            assert_true(proto_encode(m, line, sizeof line) > 0);
            covered[m->type] = true;
            decoded = true;
        }
        if (!decoded)
            fail_msg("PROTOCOL.md example does not decode: %.*s\n  to server: %s\n  to client: %s",
                     (int)len, text, err[0], err[1]);
    }
    fclose(f);
    free(m);
    for (int t = MSG_NONE + 1; t < MSG_COUNT; t++) {
        if (!covered[t])
            fail_msg("PROTOCOL.md has no example of %s", proto_type_name((msg_type_t)t));
    }
}

/* The resume token: optional both ways; "resume":"" says a client can resume; absent stays
 * absent, so the original client's lines are unchanged. */
static void test_resume_fields(void **state)
{
    (void)state;
    msg_t *m = calloc(1, sizeof *m);
    char err[256], line[512];
    const char *first =
        "{\"type\":\"log in\",\"username\":\"alice\",\"version\":1,\"resume\":\"\"}";
    assert_int_equal(proto_decode(first, strlen(first), PROTO_TO_SERVER, m, err, sizeof err), 0);
    assert_true(m->u.login.resume_sent);
    assert_string_equal(m->u.login.resume, "");
    assert_int_equal(proto_encode(m, line, sizeof line), (int)strlen(first) + 1);
    assert_memory_equal(line, first, strlen(first));
    const char *py = "{\"type\": \"log in\", \"username\": \"alice\"}";
    assert_int_equal(proto_decode(py, strlen(py), PROTO_TO_SERVER, m, err, sizeof err), 0);
    assert_false(m->u.login.resume_sent);
    assert_int_equal(
        proto_encode(m, line, sizeof line),
        0 + (int)strlen("{\"type\":\"log in\",\"username\":\"alice\",\"version\":1}\n"));
    const char *big = "{\"type\":\"log in\",\"username\":\"a\",\"resume\":"
                      "\"0123456789012345678901234567890123456789012345678901234567890123x\"}";
    assert_int_equal(proto_decode(big, strlen(big), PROTO_TO_SERVER, m, err, sizeof err),
                     PROTO_ERR_RANGE);
    const char *up = "{\"type\":\"log in update\",\"state\":\"accepted\",\"version\":1,"
                     "\"resume\":\"00112233445566778899aabbccddeeff\"}";
    assert_int_equal(proto_decode(up, strlen(up), PROTO_TO_CLIENT, m, err, sizeof err), 0);
    assert_string_equal(m->u.login_update.resume, "00112233445566778899aabbccddeeff");
    assert_int_equal(proto_encode(m, line, sizeof line), (int)strlen(up) + 1);
    assert_memory_equal(line, up, strlen(up));
    free(m);
}

/* status's "away" is optional: a server from before it sends none (0), ours always says it. */
static void test_status_away(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_NONE);
    decode_ok(S("{\"type\":\"status\",\"version\":1,\"players\":3,\"lobby\":1,\"games\":1,"
                "\"group_size\":2,\"uptime\":3600}"),
              PROTO_TO_CLIENT, m);
    assert_int_equal(m->type, MSG_STATUS);
    assert_int_equal(m->u.status.players, 3);
    assert_int_equal(m->u.status.away, 0);
    m->u.status.away = 1;
    assert_encodes(m, "{\"type\":\"status\",\"version\":1,\"players\":3,\"lobby\":1,"
                      "\"games\":1,\"group_size\":2,\"uptime\":3600,\"away\":1}\n");
    EXPECT_ERROR("{\"type\":\"status\",\"version\":1,\"players\":3,\"lobby\":1,\"games\":1,"
                 "\"group_size\":2,\"uptime\":3600,\"away\":-1}",
                 PROTO_TO_CLIENT, PROTO_ERR_RANGE, "away", "");
    free(m);
}

/* The login's "features" (names this code does not know are skipped) and game start's
 * countdown_ms: both absent by default, so older peers see the same lines as before. */
/* The watch feature's wire forms: a group's id and watchers only when set, and the errors. */
static void test_watch_messages(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_WATCH);
    m->u.watch.group = 7;
    assert_encodes(m, "{\"type\":\"watch\",\"group\":7}\n");
    EXPECT_ERROR("{\"type\":\"watch\",\"group\":0}", PROTO_TO_SERVER, PROTO_ERR_RANGE, "group", "");
    EXPECT_ERROR("{\"type\":\"watch\"}", PROTO_TO_SERVER, PROTO_ERR_FIELD, "group", "");
    proto_init(m, MSG_WATCH_REPLY);
    m->u.watch_reply.group = 7;
    m->u.watch_reply.accepted = true;
    assert_encodes(m, "{\"type\":\"watch\",\"group\":7,\"state\":\"accepted\"}\n");
    m->u.watch_reply.accepted = false;
    strcpy(m->u.watch_reply.message, "that round is over");
    assert_encodes(m, "{\"type\":\"watch\",\"group\":7,\"state\":\"refused\",\"message\":"
                      "\"that round is over\"}\n");
    proto_init(m, MSG_WATCHERS);
    m->u.watchers.count = 2;
    assert_encodes(m, "{\"type\":\"watchers\",\"count\":2}\n");
    EXPECT_ERROR("{\"type\":\"watchers\",\"count\":-1}", PROTO_TO_CLIENT, PROTO_ERR_RANGE, "count",
                 "");
    /* A group without id or watchers is the party client's group, byte for byte. */
    proto_init(m, MSG_LOBBY_UPDATE);
    msg_lobby_update_t *lu = &m->u.lobby_update;
    lu->group_size = 2;
    lu->party = true;
    lu->games = 1;
    lu->ngroups = 1;
    lu->groups[0].nplayers = 1;
    strcpy(lu->groups[0].players[0], "ann");
    lu->groups[0].phase = PROTO_PHASE_GAME;
    strcpy(lu->groups[0].world, "arena");
    lu->groups[0].time_left_ms = 5000;
    static const char party[] =
        "{\"type\":\"lobby update\",\"players\":[],\"group_size\":2,\"games\":1,\"ready\":[],"
        "\"groups\":[{\"players\":[\"ann\"],\"phase\":\"game\",\"world\":\"arena\","
        "\"time_left\":5";
    char want[512];
    snprintf(want, sizeof want, "%s}]}\n", party);
    assert_encodes(m, want);
    lu->groups[0].id = 4;
    lu->groups[0].watching = 2;
    snprintf(want, sizeof want, "%s,\"id\":4,\"watching\":2}]}\n", party);
    assert_encodes(m, want);
    assert_round_trip(m);
    free(m);
}

static void test_features_and_countdown(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_LOGIN);
    strcpy(m->u.login.username, "ann");
    m->u.login.version = 1;
    assert_encodes(m, "{\"type\":\"log in\",\"username\":\"ann\",\"version\":1}\n");
    m->u.login.features = PROTO_FEATURE_COUNTDOWN;
    assert_encodes(
        m,
        "{\"type\":\"log in\",\"username\":\"ann\",\"version\":1,\"features\":[\"countdown\"]}\n");
    assert_round_trip(m);
    /* Every name in bit order, one list: what the nine43 client sends. */
    m->u.login.features = PROTO_FEATURE_SOCIAL | PROTO_FEATURE_COUNTDOWN | PROTO_FEATURE_PARTY;
    assert_encodes(m, "{\"type\":\"log in\",\"username\":\"ann\",\"version\":1,\"features\":["
                      "\"party\",\"social\",\"countdown\"]}\n");
    assert_round_trip(m);
    decode_ok(S("{\"type\":\"log in\",\"username\":\"ann\",\"features\":[\"fly\",\"countdown\"]}"),
              PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features, PROTO_FEATURE_COUNTDOWN);
    decode_ok(S("{\"type\":\"log in\",\"username\":\"ann\",\"features\":[\"social\",\"countdown\","
                "\"social\"]}"),
              PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features, PROTO_FEATURE_COUNTDOWN | PROTO_FEATURE_SOCIAL);
    decode_ok(S("{\"type\":\"log in\",\"username\":\"ann\",\"features\":[]}"), PROTO_TO_SERVER, m);
    assert_int_equal(m->u.login.features, 0);
    /* A bad list is a bad login (the server refuses it, saying why). */
    assert_int_equal(EXPECT_ERROR("{\"type\":\"log in\",\"username\":\"a\",\"features\":7}",
                                  PROTO_TO_SERVER, PROTO_ERR_FIELD, "features", "list"),
                     MSG_LOGIN);
    EXPECT_ERROR("{\"type\":\"log in\",\"username\":\"a\",\"features\":[true]}", PROTO_TO_SERVER,
                 PROTO_ERR_FIELD, "features[0]", "string");
    EXPECT_ERROR("{\"type\":\"log in\",\"username\":\"a\",\"features\":"
                 "[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]}",
                 PROTO_TO_SERVER, PROTO_ERR_RANGE, "features[0]", "32");
    EXPECT_ERROR("{\"type\":\"log in\",\"username\":\"a\",\"features\":"
                 "[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}",
                 PROTO_TO_SERVER, PROTO_ERR_RANGE, "features", "8");
    free(m);

    m = msg_new(MSG_GAME_START);
    fill_world(&m->u.game_start.world, "w", 8, 8);
    m->u.game_start.nplayers = 1;
    strcpy(m->u.game_start.players[0].username, "ann");
    strcpy(m->u.game_start.you, "ann");
    m->u.game_start.tick_rate = 30;
    m->u.game_start.duration = 60;
    assert_true(proto_encode(m, line, sizeof line) > 0);
    assert_null(strstr(line, "countdown"));
    m->u.game_start.countdown_ms = 2990;
    assert_true(proto_encode(m, line, sizeof line) > 0);
    assert_non_null(strstr(line, ",\"countdown_ms\":2990}"));
    assert_round_trip(m);
    m->u.game_start.countdown_ms = PROTO_MAX_COUNTDOWN_MS + 1;
    assert_int_equal(proto_encode(m, line, sizeof line), -1);
    free(m);
}

/* The rules the walks rely on, for every table reachable from proto_types: at most
 * PROTO_SCHEMA_MAX rows (the decoder's member slots); each key is ",\"name\":" and fits
 * write_key's copy (as each message's head "{\"type\":\"name\"" does); only PK_INT rows have a
 * store; a required field is always written; a field that belongs to a login feature is
 * optional (an older peer must still be understood); a nested table's first row is required
 * and writes its own key, as the encoder writes it without a comma. */
static void check_schema(const proto_schema_t *s, bool nested, int depth)
{
    assert_true(depth < 4);
    assert_true(s->n <= PROTO_SCHEMA_MAX);
    for (int i = 0; i < s->n; i++) {
        const proto_field_t *f = &s->fields[i];
        char key[64];
        snprintf(key, sizeof key, ",\"%s\":", f->name);
        assert_string_equal(f->key, key);
        assert_int_equal(f->keylen, strlen(key));
        assert_true(f->keylen < WRITE_KEY_COPY);
        if (f->kind != PK_INT)
            assert_int_equal(f->store, 0); /* proto_encode_row's one switch on kind and store */
        if (f->required)
            assert_int_equal(f->when, PW_ALWAYS);
        if (f->feature != 0)
            assert_false(f->required);
        if (f->when == PW_HOOK)
            assert_non_null(f->when_fn);
        if (nested && i == 0) {
            assert_true(f->required);
            assert_true(f->kind != PK_HOOK && f->kind != PK_INLINE && f->kind != PK_BITS);
        }
        if (f->kind == PK_OBJECT || (f->kind == PK_LIST && f->elem == PE_OBJECT))
            check_schema(f->sub, true, depth + 1);
        else if (f->kind == PK_INLINE)
            check_schema(f->sub, false, depth + 1);
    }
}

static void test_schema_tables(void **state)
{
    (void)state;
    for (int t = MSG_NONE + 1; t < MSG_COUNT; t++) {
        const proto_type_t *pt = &proto_types[t];
        char head[64];
        assert_non_null(pt->name);
        snprintf(head, sizeof head, "{\"type\":\"%s\"", pt->name);
        assert_string_equal(pt->head, head);
        assert_int_equal(pt->headlen, strlen(head));
        assert_true(pt->headlen < WRITE_KEY_COPY);
        check_schema(&proto_types[t].schema, false, 0);
    }
}

/* Bits with no name are not features: no "features" list at all, not an empty one. */
static void test_login_unknown_feature_bits(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_LOGIN);
    strcpy(m->u.login.username, "ann");
    m->u.login.version = 1;
    m->u.login.features = 1u << 7;
    assert_encodes(m, "{\"type\":\"log in\",\"username\":\"ann\",\"version\":1}\n");
    m->u.login.features = PROTO_FEATURE_COUNTDOWN | 1u << 7;
    assert_encodes(m, "{\"type\":\"log in\",\"username\":\"ann\",\"version\":1,"
                      "\"features\":[\"countdown\"]}\n");
    free(m);
}

/* The writer copies keys and numbers in blocks where there is room: a buffer of exactly the
 * line's length still takes it (without the NUL), one byte less does not, at every length. */
static void test_encode_exact_buffer(void **state)
{
    (void)state;
    msg_t *m = msg_new(MSG_STATE);
    m->u.state.tick = 4294967295u;
    m->u.state.time_left_ms = 86400000;
    m->u.state.nplayers = 1;
    strcpy(m->u.state.players[0].username, "cooldown");
    m->u.state.players[0].score = INT32_MIN;
    m->u.state.players[0].cooldown_ticks = 65535;
    int n = proto_encode(m, line, sizeof line);
    assert_true(n > 0);
    char want[PROTO_MAX_LINE];
    memcpy(want, line, (size_t)n);
    for (int cap = 0; cap <= n; cap++) {
        char *buf = malloc((size_t)(cap > 0 ? cap : 1)); /* ASan: no byte past cap is touched */
        assert_non_null(buf);
        int got = proto_encode(m, buf, (size_t)cap);
        if (cap < n) {
            assert_int_equal(got, -1);
        } else {
            assert_int_equal(got, n);
            assert_memory_equal(buf, want, (size_t)n);
        }
        free(buf);
    }
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_original_spellings),
        cmocka_unit_test(test_python_client_lines_decode),
        cmocka_unit_test(test_login_social),
        cmocka_unit_test(test_direction_picks_the_message),
        cmocka_unit_test(test_unknown_fields_ignored),
        cmocka_unit_test(test_members_in_any_order),
        cmocka_unit_test(test_round_trip_every_type),
        cmocka_unit_test(test_numbers_on_the_wire),
        cmocka_unit_test(test_lobby_update_party_fields),
        cmocka_unit_test(test_encode_refuses_what_cannot_be_sent),
        cmocka_unit_test(test_select_world_too_big_for_a_line),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_line_too_long),
        cmocka_unit_test(test_error_buffer_optional),
        cmocka_unit_test(test_username_rules),
        cmocka_unit_test(test_username_key),
        cmocka_unit_test(test_state_from_sim),
        cmocka_unit_test(test_protocol_doc_examples),
        cmocka_unit_test(test_resume_fields),
        cmocka_unit_test(test_status_away),
        cmocka_unit_test(test_features_and_countdown),
        cmocka_unit_test(test_watch_messages),
        cmocka_unit_test(test_schema_tables),
        cmocka_unit_test(test_encode_every_buffer_size),
        cmocka_unit_test(test_login_unknown_feature_bits),
        cmocka_unit_test(test_encode_exact_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
