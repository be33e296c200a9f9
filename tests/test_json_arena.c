/* test_json_arena.c -- the cJSON arena of proto_decode: any line fits in it, a fuller one falls
 * back to malloc, and cJSON outside a decode (other trees, other threads) keeps malloc */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "json_arena.h"
#include "proto.h"

_Static_assert(JSON_ARENA_MAX_LINE == PROTO_MAX_LINE,
               "the arena is sized for proto's longest line");

static msg_t msg;

/* Decodes line to the server and returns how many cJSON allocations missed the arena. */
static size_t spills_of(const char *line, size_t len)
{
    char err[128];
    proto_decode(line, len, PROTO_TO_SERVER, &msg, err, sizeof err);
    return json_arena_spilled();
}

/* A line of exactly len bytes: head, then item repeated, then tail (item cut to fit). */
static char *make_line(size_t len, const char *head, const char *item, const char *tail)
{
    char *s = malloc(len + 1);
    size_t h = strlen(head), t = strlen(tail), n = strlen(item), at = h;
    assert_non_null(s);
    memcpy(s, head, h);
    while (at + n + t <= len) {
        memcpy(s + at, item, n);
        at += n;
    }
    while (at + t < len)
        s[at++] = ' '; /* JSON whitespace: makes no node */
    memcpy(s + at, tail, t);
    s[len] = '\0';
    return s;
}

/* The densest lines cJSON can parse, at the longest a line can be, fit in the arena. */
static void test_longest_lines_fit(void **state)
{
    (void)state;
    const size_t len = PROTO_MAX_LINE - 1;
    const char *const shapes[][3] = {
        {"[", "0,", "0]"},                           /* a node per two bytes */
        {"{\"type\":\"ping\",\"l\":[", "0,", "0]}"}, /* the same inside a message */
        {"[", "\"\",", "\"\"]"},                     /* a node and a string per three */
        {"{", "\"\":0,", "\"\":0}"},                 /* a node and a name per five */
        {"[", "[],", "[]]"},                         /* empty lists */
        {"[", "-1e-7,", "0]"},                       /* numbers that strtod works on */
    };
    if (JSON_ARENA_REDZONE > 0)
        skip(); /* the sanitizer build's red zones make the arena too small on purpose */
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char *line = make_line(len, shapes[i][0], shapes[i][1], shapes[i][2]);
        assert_int_equal(spills_of(line, len), 0);
        free(line);
    }
    /* Nearly as deep as cJSON goes (1000 levels), then a list of numbers. */
    char *line = make_line(len, "", "0,", "0");
    memset(line, '[', 999);
    memset(line + len - 999, ']', 999);
    line[len - 1000] = '0';
    assert_int_equal(spills_of(line, len), 0);
    free(line);
}

/* Text longer than any line, parsed between begin and end: what does not fit is malloc'd and
 * freed by json_arena_end (the sanitizer build and valgrind would see a leak). */
static void test_full_arena_falls_back(void **state)
{
    (void)state;
    const size_t len = 4 * (size_t)JSON_ARENA_SIZE / JSON_ARENA_NODE;
    char *text = make_line(len, "[", "0,", "0]");
    json_arena_begin();
    cJSON *root = cJSON_ParseWithLength(text, len);
    assert_non_null(root);
    assert_true(cJSON_GetArraySize(root) > (int)(len / 2) - 2);
    assert_true(json_arena_spilled() > 0);
    json_arena_end(root);
    free(text);

    const char *ping = "{\"type\":\"ping\"}";
    assert_int_equal(spills_of(ping, strlen(ping)), 0); /* the next line has it all again */
    assert_int_equal(msg.type, MSG_PING);
}

/* A tree made outside proto_decode (the client's settings, the bot's JSON output) is malloc'd,
 * lives across decodes and is freed with cJSON_Delete as before. */
static void test_trees_outside_a_decode(void **state)
{
    (void)state;
    cJSON *kept = cJSON_Parse("{\"username\":\"alice\",\"volume\":7}");
    assert_non_null(kept);
    for (int i = 0; i < 100; i++) {
        char line[96];
        int n = snprintf(line, sizeof line, "{\"type\":\"input\",\"seq\":%d,\"dx\":1,\"dy\":0}", i);
        assert_int_equal(spills_of(line, (size_t)n), 0);
        assert_int_equal(msg.u.input.seq, i);
    }
    cJSON *made = cJSON_CreateObject();
    cJSON_AddStringToObject(made, "name", "bob");
    char *text = cJSON_PrintUnformatted(kept);
    assert_string_equal(text, "{\"username\":\"alice\",\"volume\":7}");
    cJSON_free(text);
    text = cJSON_PrintUnformatted(made);
    assert_string_equal(text, "{\"name\":\"bob\"}");
    cJSON_free(text);
    cJSON_Delete(made);
    cJSON_Delete(kept);
}

static void *decode_in_thread(void *arg)
{
    size_t *spills = arg;
    const char *line = "{\"type\":\"input\",\"seq\":9,\"dx\":0,\"dy\":1}";
    char err[128];
    msg_t m;
    int rc = proto_decode(line, strlen(line), PROTO_TO_SERVER, &m, err, sizeof err);
    *spills = rc == PROTO_OK && m.u.input.seq == 9 ? json_arena_spilled() : (size_t)-1;
    return NULL;
}

/* While one thread holds the arena, another decodes with malloc; then it has the arena. */
static void test_two_threads(void **state)
{
    (void)state;
    size_t spills = 0;
    pthread_t t;
    json_arena_begin();
    cJSON *root = cJSON_Parse("[1,2,3]");
    assert_int_equal(json_arena_spilled(), 0);
    assert_int_equal(pthread_create(&t, NULL, decode_in_thread, &spills), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_true(spills > 0 && spills != (size_t)-1); /* its nodes were malloc'd, and freed */
    assert_int_equal(cJSON_GetArrayItem(root, 2)->valueint, 3);
    json_arena_end(root);

    assert_int_equal(pthread_create(&t, NULL, decode_in_thread, &spills), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(spills, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_longest_lines_fit),
        cmocka_unit_test(test_full_arena_falls_back),
        cmocka_unit_test(test_trees_outside_a_decode),
        cmocka_unit_test(test_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
