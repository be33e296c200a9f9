/* test_replay_e2e.c -- rounds recorded by the real server (--replay-dir) on loopback and verified
 * by the real nine43-bot (--verify-replay): bots, drops and resumes, a client whose inputs come
 * late and in bursts, a player who leaves; then the same files changed, cut or from other rules;
 * depends on test_server_helpers (testutil) and common/replay */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "replay.h"
#include "test_server_helpers.h"

#define E2E_WAIT_MS   60000 /* a bot's rounds: generous, the machine is shared */
#define E2E_VERIFY_MS 20000
#define E2E_MAX_FILES 8
#define E2E_PATH_SIZE 512

typedef struct e2e_dir {
    char path[256];
    int nfiles;
    char files[E2E_MAX_FILES][E2E_PATH_SIZE];
} e2e_dir_t;

static void e2e_make_dir(e2e_dir_t *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->path, sizeof d->path, "/tmp/nine43-replays-XXXXXX");
    assert_non_null(mkdtemp(d->path));
}

static int e2e_by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The replay files in the folder, by name (so by the round's start), and no temporary one. */
static void e2e_list(e2e_dir_t *d)
{
    char folder[sizeof d->path];
    snprintf(folder, sizeof folder, "%s", d->path);
    DIR *dir = opendir(folder);
    assert_non_null(dir);
    d->nfiles = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' && n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0)
            fail_msg("a temporary file was left: %s", e->d_name);
        if (n > 10 && strcmp(e->d_name + n - 10, ".n43replay") == 0 && d->nfiles < E2E_MAX_FILES)
            snprintf(d->files[d->nfiles++], E2E_PATH_SIZE, "%s/%s", folder, e->d_name);
    }
    closedir(dir);
    qsort(d->files, (size_t)d->nfiles, E2E_PATH_SIZE, e2e_by_name);
}

static void e2e_remove_dir(e2e_dir_t *d)
{
    DIR *dir = opendir(d->path);
    if (dir) {
        for (struct dirent *e; (e = readdir(dir));) {
            char p[E2E_PATH_SIZE];
            snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                unlink(p);
        }
        closedir(dir);
    }
    rmdir(d->path);
}

/* Runs nine43-bot --verify-replay on path; returns its exit status, its output in *out. */
static int e2e_verify(const char *path, tu_proc_t *out)
{
    memset(out, 0, sizeof *out);
    assert_int_equal(
        tu_spawn(out, "nine43-bot", (const char *const[]){"--verify-replay", path, NULL}), 0);
    int status = tu_wait(out, E2E_VERIFY_MS);
    assert_int_not_equal(status, -1);
    return status;
}

static void e2e_expect_verdict(const char *path, int status, const char *needle)
{
    tu_proc_t v;
    int got = e2e_verify(path, &v);
    if (got != status || !tu_log_contains(&v, needle)) {
        tu_print_log(&v);
        fail_msg("%s: expected status %d and \"%s\", got %d", path, status, needle, got);
    }
    tu_proc_cleanup(&v);
}

static uint8_t *e2e_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = malloc(REPLAY_MAX_FILE);
    assert_non_null(buf);
    *len = fread(buf, 1, REPLAY_MAX_FILE, f);
    fclose(f);
    return buf;
}

static void e2e_write(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* How many events of each kind (MOVE, SIT_OUT, LEAVE, INPUT) the file holds; the first
 * input's offset in the file and tick. */
typedef struct e2e_census {
    int kinds[4];
    size_t first_input;
    uint32_t first_input_tick;
} e2e_census_t;

static void e2e_count(const char *path, e2e_census_t *c)
{
    static replay_t r;
    char err[256];
    memset(c, 0, sizeof *c);
    if (replay_load_file(&r, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    size_t pos = 0;
    for (uint32_t t = 1; t <= r.ticks; t++) {
        size_t n = r.events[pos++];
        for (size_t i = 0; i < n; i++) {
            int b = r.events[pos + i];
            int kind = b >= REPLAY_EV_INPUT_BASE ? 3 : b >> 3;
            if (kind == 3 && c->kinds[3] == 0) {
                c->first_input = (size_t)(r.events - r.data) + pos + i;
                c->first_input_tick = t;
            }
            c->kinds[kind]++;
        }
        pos += n + 2;
    }
    replay_free(&r);
}

/* Four bots, two rounds, each dropping its connection every second and resuming: every round is
 * a file, and each ends as recorded. Then one of them changed, from other rules, and cut. */
static void test_bot_rounds_are_verified_bit_for_bit(void **state)
{
    (void)state;
    e2e_dir_t d;
    e2e_make_dir(&d);
    tu_proc_t srv, bot;
    ts_start(&srv, (const char *const[]){"--group-size", "4", "--round-seconds", "3", "--countdown",
                                         "1", "--vote-timeout", "1", "--end-timeout", "1",
                                         "--replay-dir", d.path, NULL});
    char port[16];
    snprintf(port, sizeof port, "%d", srv.port);
    memset(&bot, 0, sizeof bot);
    assert_int_equal(tu_spawn(&bot, "nine43-bot",
                              (const char *const[]){"--port", port, "--count", "4", "--rounds", "2",
                                                    "--drop-every", "1", "--timeout", "60", NULL}),
                     0);
    if (tu_wait(&bot, E2E_WAIT_MS) != 0) {
        tu_print_log(&bot);
        tu_print_log(&srv);
        fail_msg("the bots did not finish");
    }
    e2e_list(&d);
    assert_int_equal(d.nfiles, 2);
    assert_true(tu_log_contains(&srv, "replay: group 1: replay "));
    for (int i = 0; i < d.nfiles; i++)
        e2e_expect_verdict(d.files[i], 0, "the same bit for bit: 90 ticks");

    size_t len;
    uint8_t *data = e2e_read(d.files[0], &len);
    char path[E2E_PATH_SIZE + 16];
    /* One input's controls changed: it differs at that input's tick. */
    e2e_census_t c;
    e2e_count(d.files[0], &c);
    assert_true(c.kinds[3] > 0);
    int code = (data[c.first_input] - REPLAY_EV_INPUT_BASE) % REPLAY_CONTROLS;
    data[c.first_input] = (uint8_t)(data[c.first_input] - code + (code + 1) % REPLAY_CONTROLS);
    snprintf(path, sizeof path, "%s/changed.bin", d.path);
    e2e_write(path, data, len);
    char needle[64];
    snprintf(needle, sizeof needle, "differs from its recording at tick %u (of 90)",
             c.first_input_tick);
    e2e_expect_verdict(path, 1, needle);
    data[c.first_input] = (uint8_t)(data[c.first_input] - (code + 1) % REPLAY_CONTROLS + code);

    /* Another rules id (bytes 10..13): refused, saying so. */
    data[12] ^= 0x5A;
    snprintf(path, sizeof path, "%s/rules.bin", d.path);
    e2e_write(path, data, len);
    e2e_expect_verdict(path, 2, "made under other rules");
    data[12] ^= 0x5A;

    /* Cut short anywhere: refused with a reason. */
    const size_t cuts[] = {0, 5, 20, len / 2, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        snprintf(path, sizeof path, "%s/cut%zu.bin", d.path, i);
        e2e_write(path, data, cuts[i]);
        e2e_expect_verdict(path, 2, cuts[i] < 8 ? "not a nine43 replay" : "truncated");
    }
    e2e_expect_verdict("/nonexistent/none.n43replay", 2,
                       "cannot verify the replay: /nonexistent/none.n43replay: No such file");
    free(data);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&bot);
    tu_proc_cleanup(&srv);
    e2e_remove_dir(&d);
}

/* Alice sends her held input every tick, some held back two or three ticks and then sent
 * together: the server has her sit steps out and make them up two a tick. Bob leaves halfway.
 * The file holds those steps exactly as they were applied, and verifies. */
static void test_late_inputs_and_a_departure_are_verified(void **state)
{
    (void)state;
    e2e_dir_t d;
    e2e_make_dir(&d);
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "3", "--end-timeout", "5",
                                         "--replay-dir", d.path, NULL});
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    char lines[8 * 96] = "";
    size_t len = 0;
    unsigned seq = 0;
    for (int i = 1;; i++) {
        msg_t *m = ts_next(&a);
        if (m->type == MSG_FINISH)
            break;
        if (m->type != MSG_STATE)
            continue;
        bool late = i >= 8 && (i % 12 >= 9 || i % 12 == 4);
        int dx = (i / 20) % 2 ? -1 : 1;
        len += (size_t)snprintf(lines + len, sizeof lines - len,
                                "%s{\"type\":\"input\",\"seq\":%u,\"dx\":%d,\"dy\":%d,"
                                "\"dash\":%s}",
                                len ? "\n" : "", ++seq, dx, i % 30 < 15 ? 1 : 0,
                                i % 25 == 0 ? "true" : "false");
        if (!late) {
            ts_send(&a, lines);
            len = 0;
            lines[0] = '\0';
        }
        if (i == 40)
            tu_client_close(&b);
    }
    tu_client_close(&a);
    e2e_list(&d);
    assert_int_equal(d.nfiles, 1);
    e2e_expect_verdict(d.files[0], 0, "the same bit for bit");
    /* And the round did go through those paths of the server. */
    e2e_census_t c;
    e2e_count(d.files[0], &c);
    if (c.kinds[REPLAY_EV_MOVE] == 0 || c.kinds[REPLAY_EV_SIT_OUT] == 0 ||
        c.kinds[REPLAY_EV_LEAVE] != 1)
        fail_msg("moves %d, sit-outs %d, departures %d", c.kinds[0], c.kinds[1], c.kinds[2]);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
    e2e_remove_dir(&d);
}

/* The folder goes away during a round: the write fails, is logged, and the round ends as usual. */
static void test_a_failed_write_is_not_fatal(void **state)
{
    (void)state;
    e2e_dir_t d;
    e2e_make_dir(&d);
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "1", "--replay-dir", d.path, NULL});
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    assert_int_equal(rmdir(d.path), 0);
    ts_expect(&a, MSG_FINISH);
    ts_expect(&b, MSG_FINISH);
    for (int i = 0; i < 50 && !tu_log_contains(&srv, "cannot write the replay"); i++)
        usleep(20000);
    assert_true(tu_log_contains(&srv, "cannot write the replay"));
    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
}

/* A folder already at SERVER_REPLAY_KEEP (1000) replays: the new round's file replaces the
 * oldest, and a file that is not a replay stays. */
static void test_the_folder_keeps_the_newest_1000(void **state)
{
    (void)state;
    e2e_dir_t d;
    e2e_make_dir(&d);
    char p[E2E_PATH_SIZE];
    for (int i = 0; i < 1000; i++) {
        snprintf(p, sizeof p, "%s/round-20000101-0000%04d-1-g1.n43replay", d.path, i);
        e2e_write(p, (const uint8_t *)"old", 3);
    }
    snprintf(p, sizeof p, "%s/notes.txt", d.path);
    e2e_write(p, (const uint8_t *)"mine", 4);
    tu_proc_t srv;
    ts_start(&srv, (const char *const[]){"--round-seconds", "1", "--replay-dir", d.path, NULL});
    tu_client_t a, b;
    ts_pair_to_vote(&a, &b, srv.port, "alice", "bob");
    ts_vote_to_game(&a, &b);
    ts_expect(&a, MSG_FINISH);
    int count = 0;
    bool oldest = false, newest = false, notes = false;
    DIR *dir = opendir(d.path);
    assert_non_null(dir);
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        bool replay = n > 10 && strcmp(e->d_name + n - 10, ".n43replay") == 0;
        count += replay;
        oldest = oldest || strcmp(e->d_name, "round-20000101-00000000-1-g1.n43replay") == 0;
        newest = newest || (replay && strncmp(e->d_name, "round-2000", 10) != 0);
        notes = notes || strcmp(e->d_name, "notes.txt") == 0;
    }
    closedir(dir);
    assert_int_equal(count, 1000);
    assert_false(oldest);
    assert_true(newest);
    assert_true(notes);
    tu_client_close(&a);
    tu_client_close(&b);
    assert_int_equal(tu_stop(&srv), 0);
    tu_proc_cleanup(&srv);
    e2e_remove_dir(&d);
}

/* A --replay-dir that is a file is refused at the start, with the reason. */
static void test_a_bad_folder_is_refused_at_the_start(void **state)
{
    (void)state;
    tu_proc_t srv;
    memset(&srv, 0, sizeof srv);
    assert_int_equal(
        tu_spawn(&srv, "nine43-server",
                 (const char *const[]){"--port", "0", "--replay-dir", "/dev/null", NULL}),
        0);
    assert_int_equal(tu_wait(&srv, 10000), 2);
    assert_true(tu_log_contains(&srv, "/dev/null is not a folder this server can write to"));
    tu_proc_cleanup(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bot_rounds_are_verified_bit_for_bit),
        cmocka_unit_test(test_late_inputs_and_a_departure_are_verified),
        cmocka_unit_test(test_a_failed_write_is_not_fatal),
        cmocka_unit_test(test_the_folder_keeps_the_newest_1000),
        cmocka_unit_test(test_a_bad_folder_is_refused_at_the_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
