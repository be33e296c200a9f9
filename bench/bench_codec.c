/* bench_codec.c -- decode and encode throughput of the wire protocol on a realistic mix of lines
 * and on a 4-player state alone; prints plain lines.
 * Usage: bench_codec [--tiny | SECONDS] [--dump DIR]: --dump also writes the lines it decodes to
 * DIR/mix.jsonl and DIR/state.jsonl, for bench/codec_python.py to decode the same ones. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto.h"

#define BENCH_SECONDS     0.5 /* per measurement by default */
#define BENCH_TINY_ROUNDS 50  /* --tiny: a fixed small count for the CTest smoke run */
#define BENCH_MAX_MIX     32

typedef struct bench_line {
    char text[PROTO_MAX_LINE];
    size_t len; /* without the '\n' */
    proto_dir_t dir;
    msg_t *msg;
} bench_line_t;

static bench_line_t mix[BENCH_MAX_MIX];
static int nmix;
static msg_t scratch;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add(const msg_t *m, int copies)
{
    for (int i = 0; i < copies; i++) {
        bench_line_t *l = &mix[nmix++];
        int n = proto_encode(m, l->text, sizeof l->text);
        if (n < 0) {
            fprintf(stderr, "bench_codec: cannot encode %s\n", proto_type_name(m->type));
            exit(1);
        }
        l->len = (size_t)n - 1;
        l->dir = proto_type_dir(m->type) == PROTO_TO_CLIENT ? PROTO_TO_CLIENT : PROTO_TO_SERVER;
        l->msg = malloc(sizeof *l->msg);
        memcpy(l->msg, m, sizeof *m);
    }
}

static void make_state(msg_t *m, int nplayers)
{
    static const char *const names[] = {"alice", "bob",   "carol", "dave",
                                        "erin",  "frank", "grace", "heidi"};
    proto_init(m, MSG_STATE);
    m->u.state.tick = 1234;
    m->u.state.time_left_ms = 18867;
    m->u.state.nplayers = nplayers;
    for (int i = 0; i < nplayers; i++) {
        proto_player_state_t *p = &m->u.state.players[i];
        strcpy(p->username, names[i]);
        p->x = 3517 + i * 4133;
        p->y = 12250 - i * 1711;
        p->score = i * 2;
        p->dash = i == 1;
        p->ack = 1200u + (uint32_t)i;
        p->dash_ticks = (uint16_t)(i == 1 ? 3 : 0);
        p->cooldown_ticks = (uint16_t)(i * 11);
    }
    m->u.state.ncoins = 6;
    for (int i = 0; i < 6; i++) {
        m->u.state.coins[i].x = 2 + i * 3;
        m->u.state.coins[i].y = 1 + i;
    }
}

/* What a server sees and sends during a busy evening: mostly inputs and states. */
static void build_mix(void)
{
    msg_t *m = calloc(1, sizeof *m);
    proto_init(m, MSG_INPUT);
    m->u.input.seq = 4711;
    m->u.input.dx = 1;
    m->u.input.dy = -1;
    add(m, 8);
    make_state(m, 4);
    add(m, 8);
    proto_init(m, MSG_LOGIN);
    strcpy(m->u.login.username, "alice");
    m->u.login.version = 1;
    add(m, 1);
    proto_init(m, MSG_LOGIN_UPDATE);
    m->u.login_update.accepted = true;
    add(m, 1);
    proto_init(m, MSG_CHAT_SEND);
    strcpy(m->u.chat_send.text, "gg! that last steal was brutal \xf0\x9f\x98\x80");
    add(m, 1);
    proto_init(m, MSG_CHAT);
    strcpy(m->u.chat.from, "bob");
    strcpy(m->u.chat.text, "rematch? same world, \"arena\" again");
    add(m, 2);
    proto_init(m, MSG_LOBBY_UPDATE);
    m->u.lobby_update.nplayers = 3;
    strcpy(m->u.lobby_update.players[0], "alice");
    strcpy(m->u.lobby_update.players[1], "bob");
    strcpy(m->u.lobby_update.players[2], "carol");
    m->u.lobby_update.group_size = 4;
    add(m, 1);
    proto_init(m, MSG_VOTES);
    m->u.votes.ncounts = 3;
    m->u.votes.counts[0] = 2;
    m->u.votes.counts[2] = 1;
    add(m, 1);
    proto_init(m, MSG_PING);
    add(m, 1);
    proto_init(m, MSG_PONG);
    add(m, 1);
    free(m);
}

/* Runs fn over lines[0..n) repeatedly: rounds times, or until seconds have passed. */
typedef size_t (*bench_fn)(const bench_line_t *lines, int n);

static size_t decode_all(const bench_line_t *lines, int n)
{
    size_t bytes = 0;
    char err[128];
    for (int i = 0; i < n; i++) {
        if (proto_decode(lines[i].text, lines[i].len, lines[i].dir, &scratch, err, sizeof err) !=
            PROTO_OK) {
            fprintf(stderr, "bench_codec: decoding failed: %s\n", err);
            exit(1);
        }
        bytes += lines[i].len + 1;
    }
    return bytes;
}

static size_t encode_all(const bench_line_t *lines, int n)
{
    static char out[PROTO_MAX_LINE];
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        int len = proto_encode(lines[i].msg, out, sizeof out);
        if (len != (int)lines[i].len + 1 || memcmp(out, lines[i].text, (size_t)len) != 0) {
            fprintf(stderr, "bench_codec: encoding differs\n");
            exit(1);
        }
        bytes += (size_t)len;
    }
    return bytes;
}

/* The alternative the encoder did not take: build a cJSON tree, print it preallocated. */
static size_t encode_state_cjson(const bench_line_t *lines, int n)
{
    static char out[PROTO_MAX_LINE];
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        const msg_state_t *s = &lines[i].msg->u.state;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "type", "state");
        cJSON_AddNumberToObject(o, "tick", s->tick);
        cJSON_AddNumberToObject(o, "time_left", s->time_left_ms / 1000.0);
        cJSON *players = cJSON_AddArrayToObject(o, "players");
        for (int k = 0; k < s->nplayers; k++) {
            const proto_player_state_t *p = &s->players[k];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "username", p->username);
            cJSON_AddNumberToObject(e, "x", p->x / 1000.0);
            cJSON_AddNumberToObject(e, "y", p->y / 1000.0);
            cJSON_AddNumberToObject(e, "score", p->score);
            cJSON_AddBoolToObject(e, "dash", p->dash);
            cJSON_AddBoolToObject(e, "stun", p->stun);
            cJSON_AddNumberToObject(e, "ack", p->ack);
            cJSON_AddNumberToObject(e, "dash_ticks", p->dash_ticks);
            cJSON_AddNumberToObject(e, "cooldown_ticks", p->cooldown_ticks);
            cJSON_AddNumberToObject(e, "stun_ticks", p->stun_ticks);
            cJSON_AddItemToArray(players, e);
        }
        cJSON *coins = cJSON_AddArrayToObject(o, "coins");
        for (int k = 0; k < s->ncoins; k++) {
            cJSON *c = cJSON_CreateObject();
            cJSON_AddNumberToObject(c, "x", s->coins[k].x);
            cJSON_AddNumberToObject(c, "y", s->coins[k].y);
            cJSON_AddItemToArray(coins, c);
        }
        if (!cJSON_PrintPreallocated(o, out, (int)sizeof out - 1, 0)) {
            fprintf(stderr, "bench_codec: cJSON print failed\n");
            exit(1);
        }
        bytes += strlen(out) + 1;
        cJSON_Delete(o);
    }
    return bytes;
}

/* Writes lines[0..n) to dir/name, one per line. */
static void dump(const char *dir, const char *name, const bench_line_t *lines, int n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    for (int i = 0; i < n; i++)
        fprintf(f, "%.*s\n", (int)lines[i].len, lines[i].text);
    if (fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void measure(const char *what, bench_fn fn, const bench_line_t *lines, int n, double seconds,
                    int rounds)
{
    size_t bytes = 0, count = 0;
    double start = now(), elapsed;
    for (;;) {
        bytes += fn(lines, n);
        count += (size_t)n;
        elapsed = now() - start;
        if (rounds > 0 ? (int)(count / (size_t)n) >= rounds : elapsed >= seconds)
            break;
    }
    if (elapsed <= 0)
        elapsed = 1e-9;
    printf("%-40s %10.0f lines/s %8.1f MB/s  (%zu lines, %.0f bytes/line)\n", what,
           (double)count / elapsed, (double)bytes / elapsed / 1e6, count,
           (double)bytes / (double)count);
}

int main(int argc, char **argv)
{
    double seconds = BENCH_SECONDS;
    int rounds = 0;
    const char *dump_dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tiny") == 0) {
            rounds = BENCH_TINY_ROUNDS;
        } else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
            dump_dir = argv[++i];
        } else if ((seconds = atof(argv[i])) <= 0) {
            fprintf(stderr, "usage: bench_codec [--tiny | SECONDS] [--dump DIR]\n");
            return 2;
        }
    }
    build_mix();
    bench_line_t *state = &mix[8]; /* the eight 4-player states follow the eight inputs */
    if (dump_dir) {
        dump(dump_dir, "mix.jsonl", mix, nmix);
        dump(dump_dir, "state.jsonl", state, 8);
    }

    printf("bench_codec: %d-line mix (inputs, 4-player states, login, chat, lobby update, votes, "
           "ping/pong); state line %zu bytes\n",
           nmix, state->len + 1);
    measure("decode mix", decode_all, mix, nmix, seconds, rounds);
    measure("encode mix", encode_all, mix, nmix, seconds, rounds);
    measure("decode 4-player state", decode_all, state, 8, seconds, rounds);
    measure("encode 4-player state", encode_all, state, 8, seconds, rounds);
    measure("encode 4-player state via cJSON tree", encode_state_cjson, state, 8, seconds, rounds);
    for (int i = 0; i < nmix; i++)
        free(mix[i].msg);
    return 0;
}
