/* test_world.c -- world files: every validation rule with its row and column, loading folders,
 * shipped worlds */
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

#include "world.h"

static const char *const good_rows[] = {
    "##########", "#S..c...S#", "#..####..#", "#S..c...S#",
    "#........#", "#..c.....#", "#........#", "##########",
};
#define GOOD_NROWS 8

static char err[512];

/* Asserts that building from rows fails with a message containing every given piece. */
static void expect_rows_error(const char *const *rows, int nrows, const char *piece1,
                              const char *piece2)
{
    world_t w;
    err[0] = '\0';
    assert_int_equal(world_from_rows(&w, "t", "d", 60, rows, nrows, err, sizeof err), -1);
    if (!strstr(err, piece1) || (piece2 && !strstr(err, piece2)))
        fail_msg("message \"%s\" lacks \"%s\"%s%s", err, piece1, piece2 ? " or " : "",
                 piece2 ? piece2 : "");
}

static void expect_json_error(const char *json, const char *piece)
{
    world_t w;
    err[0] = '\0';
    assert_int_equal(world_parse(&w, json, strlen(json), err, sizeof err), -1);
    if (!strstr(err, piece))
        fail_msg("message \"%s\" lacks \"%s\"", err, piece);
}

static void test_good_world(void **state)
{
    (void)state;
    world_t w;
    assert_int_equal(world_from_rows(&w, "default", "don't worry. be happy.", 60, good_rows,
                                     GOOD_NROWS, err, sizeof err),
                     0);
    assert_string_equal(w.name, "default");
    assert_string_equal(w.description, "don't worry. be happy.");
    assert_int_equal(w.duration, 60);
    assert_int_equal(w.width, 10);
    assert_int_equal(w.height, 8);
    assert_string_equal(w.tiles[2], "#..####..#");
    /* Spawns and coins in reading order: row by row, left to right. */
    assert_int_equal(w.nspawns, 4);
    world_point_t spawns[] = {{1, 1}, {8, 1}, {1, 3}, {8, 3}};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(w.spawns[i].x, spawns[i].x);
        assert_int_equal(w.spawns[i].y, spawns[i].y);
    }
    assert_int_equal(w.ncoins, 3);
    assert_int_equal(w.coins[2].x, 3);
    assert_int_equal(w.coins[2].y, 5);
    /* Walls, and everything outside the map counts as wall. */
    assert_true(world_is_wall(&w, 0, 0));
    assert_false(world_is_wall(&w, 1, 1));
    assert_false(world_is_wall(&w, 4, 1));
    assert_true(world_is_wall(&w, -1, 3));
    assert_true(world_is_wall(&w, 3, -1));
    assert_true(world_is_wall(&w, 10, 3));
    assert_true(world_is_wall(&w, 3, 8));
}

static void test_unequal_rows(void **state)
{
    (void)state;
    const char *longer[GOOD_NROWS], *shorter[GOOD_NROWS];
    memcpy(longer, good_rows, sizeof longer);
    memcpy(shorter, good_rows, sizeof shorter);
    longer[2] = "#..####..##";
    shorter[4] = "#......#";
    expect_rows_error(longer, GOOD_NROWS, "row 3, column 11", "equal length");
    expect_rows_error(shorter, GOOD_NROWS, "row 5, column 9", "equal length");
}

static void test_size_limits(void **state)
{
    (void)state;
    /* Too few rows. */
    expect_rows_error(good_rows, 7, "7 rows", "8 to 64");
    /* Too narrow: the first row ends after 7 tiles. */
    static const char *const narrow[] = {"#######", "#S.c.S#", "#.....#", "#.....#",
                                         "#.....#", "#.....#", "#.....#", "#######"};
    expect_rows_error(narrow, 8, "row 1, column 8", "8 to 64");
    /* Too wide and too high. */
    static char wide_row[WORLD_MAX_SIZE + 2];
    memset(wide_row, '.', WORLD_MAX_SIZE + 1);
    const char *wide[GOOD_NROWS];
    memcpy(wide, good_rows, sizeof wide);
    wide[0] = wide_row;
    expect_rows_error(wide, GOOD_NROWS, "row 1, column 65", "8 to 64");
    const char *high[WORLD_MAX_SIZE + 1];
    for (int r = 0; r <= WORLD_MAX_SIZE; r++)
        high[r] = good_rows[r % GOOD_NROWS];
    expect_rows_error(high, WORLD_MAX_SIZE + 1, "row 65", "8 to 64");
    /* Exactly 8 and exactly 64 are fine. */
    static char rows64[WORLD_MAX_SIZE][WORLD_MAX_SIZE + 1];
    const char *big[WORLD_MAX_SIZE];
    for (int r = 0; r < WORLD_MAX_SIZE; r++) {
        memset(rows64[r], '.', WORLD_MAX_SIZE);
        big[r] = rows64[r];
    }
    rows64[0][0] = 'S';
    rows64[63][63] = 'S';
    rows64[30][30] = 'c';
    world_t w;
    assert_int_equal(world_from_rows(&w, "big", "", 5, big, 64, err, sizeof err), 0);
    assert_int_equal(w.width, 64);
    assert_int_equal(w.height, 64);
    assert_int_equal(world_from_rows(&w, "small", "", 5, good_rows, 8, err, sizeof err), 0);
}

static void test_unknown_tile(void **state)
{
    (void)state;
    const char *rows[GOOD_NROWS];
    memcpy(rows, good_rows, sizeof rows);
    rows[1] = "#S..x...S#";
    expect_rows_error(rows, GOOD_NROWS, "row 2, column 5", "unknown tile 'x'");
    rows[1] = "#S..c...S\t";
    expect_rows_error(rows, GOOD_NROWS, "row 2, column 10", "'\\x09'");
    rows[1] = "#S..c...S#";
    rows[6] = "#.....C..#"; /* tiles are case-sensitive */
    expect_rows_error(rows, GOOD_NROWS, "row 7, column 7", "'C'");
}

static void test_spawn_and_coin_counts(void **state)
{
    (void)state;
    const char *rows[GOOD_NROWS];
    memcpy(rows, good_rows, sizeof rows);
    rows[1] = "#...c....#";
    rows[3] = "#S..c....#";
    expect_rows_error(rows, GOOD_NROWS, "1 spawn point", "at least 2");
    memcpy(rows, good_rows, sizeof rows);
    rows[1] = "#S......S#";
    rows[3] = "#S......S#";
    rows[5] = "#........#";
    expect_rows_error(rows, GOOD_NROWS, "no coin spot", NULL);

    /* 65 spawn points: the 65th (row 2, column 1) is one too many. */
    static char srow[2][WORLD_MAX_SIZE + 1];
    memset(srow[0], 'S', WORLD_MAX_SIZE);
    memset(srow[1], '.', WORLD_MAX_SIZE);
    srow[1][0] = 'S';
    srow[1][1] = 'c';
    const char *many[8] = {srow[0], srow[1], srow[1], srow[1], srow[1], srow[1], srow[1], srow[1]};
    expect_rows_error(many, 8, "row 2, column 1", "more than 64 spawn points");
    /* 65 coin spots: the 65th (row 3, column 2). */
    static char crow[3][WORLD_MAX_SIZE + 1];
    memset(crow[0], 'c', WORLD_MAX_SIZE);
    memset(crow[1], '.', WORLD_MAX_SIZE);
    memset(crow[2], '.', WORLD_MAX_SIZE);
    crow[1][0] = 'S';
    crow[1][1] = 'S';
    crow[2][1] = 'c';
    const char *coins[8] = {crow[0], crow[1], crow[2], crow[1], crow[1], crow[1], crow[1], crow[1]};
    expect_rows_error(coins, 8, "row 3, column 2", "more than 64 coin spots");
}

static void test_text_rules(void **state)
{
    (void)state;
    world_t w;
    assert_int_equal(world_from_rows(&w, NULL, "d", 60, good_rows, GOOD_NROWS, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "name missing"));
    assert_int_equal(world_from_rows(&w, "", "d", 60, good_rows, GOOD_NROWS, err, sizeof err), -1);
    assert_non_null(strstr(err, "name is empty"));
    char longname[WORLD_MAX_NAME + 2];
    memset(longname, 'n', WORLD_MAX_NAME + 1);
    longname[WORLD_MAX_NAME + 1] = '\0';
    assert_int_equal(world_from_rows(&w, longname, "d", 60, good_rows, GOOD_NROWS, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "name too long"));
    longname[WORLD_MAX_NAME] = '\0'; /* exactly the limit */
    assert_int_equal(world_from_rows(&w, longname, "d", 60, good_rows, GOOD_NROWS, err, sizeof err),
                     0);
    assert_int_equal(
        world_from_rows(&w, "caf\xc3", "d", 60, good_rows, GOOD_NROWS, err, sizeof err), -1);
    assert_non_null(strstr(err, "name is not valid UTF-8"));
    assert_int_equal(
        world_from_rows(&w, "caf\xc3\xa9", "d", 60, good_rows, GOOD_NROWS, err, sizeof err), 0);
    assert_string_equal(w.name, "caf\xc3\xa9");

    assert_int_equal(world_from_rows(&w, "n", NULL, 60, good_rows, GOOD_NROWS, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "description missing"));
    char longdesc[WORLD_MAX_DESCRIPTION + 2];
    memset(longdesc, 'd', WORLD_MAX_DESCRIPTION + 1);
    longdesc[WORLD_MAX_DESCRIPTION + 1] = '\0';
    assert_int_equal(world_from_rows(&w, "n", longdesc, 60, good_rows, GOOD_NROWS, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "description too long"));
    assert_int_equal(
        world_from_rows(&w, "n", "\xed\xa0\x80", 60, good_rows, GOOD_NROWS, err, sizeof err),
        -1); /* a surrogate */
    assert_non_null(strstr(err, "description is not valid UTF-8"));
    assert_int_equal(world_from_rows(&w, "n", "bell\a", 60, good_rows, GOOD_NROWS, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "control character"));
}

static void test_duration_rule(void **state)
{
    (void)state;
    world_t w;
    assert_int_equal(world_from_rows(&w, "n", "d", WORLD_MIN_DURATION - 1, good_rows, GOOD_NROWS,
                                     err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "duration 4 seconds is outside 5..3600"));
    assert_int_equal(world_from_rows(&w, "n", "d", WORLD_MAX_DURATION + 1, good_rows, GOOD_NROWS,
                                     err, sizeof err),
                     -1);
    assert_int_equal(
        world_from_rows(&w, "n", "d", WORLD_MAX_DURATION, good_rows, GOOD_NROWS, err, sizeof err),
        0);
    const char *rows = "\"tiles\": [\"##########\", \"#S..c...S#\", \"#........#\", "
                       "\"#........#\", \"#........#\", \"#........#\", \"#........#\", "
                       "\"##########\"]}";
    char json[1024];
    snprintf(json, sizeof json, "{\"name\": \"n\", \"description\": \"d\", \"duration\": 2.5, %s",
             rows);
    expect_json_error(json, "duration 2.5 is not a whole number");
    snprintf(json, sizeof json, "{\"name\": \"n\", \"description\": \"d\", \"duration\": 1e300, %s",
             rows);
    expect_json_error(json, "5..3600");
    snprintf(json, sizeof json,
             "{\"name\": \"n\", \"description\": \"d\", \"duration\": \"60\", %s", rows);
    expect_json_error(json, "\"duration\" missing or not a number");
    snprintf(json, sizeof json, "{\"name\": \"n\", \"description\": \"d\", %s", rows);
    expect_json_error(json, "\"duration\" missing");
    snprintf(json, sizeof json, "{\"name\": \"n\", \"description\": \"d\", \"duration\": 45, %s",
             rows);
    world_t ok;
    assert_int_equal(world_parse(&ok, json, strlen(json), err, sizeof err), 0);
    assert_int_equal(ok.duration, 45);
}

static void test_json_shape(void **state)
{
    (void)state;
    expect_json_error("", "not JSON");
    expect_json_error("{\"name\": ", "not JSON");
    expect_json_error("[1, 2]", "not a JSON object");
    expect_json_error("{} {}", "not JSON: text after the object at byte 4");
    expect_json_error("{\"description\": \"d\", \"duration\": 60, \"tiles\": []}",
                      "\"name\" missing");
    expect_json_error("{\"name\": 5, \"description\": \"d\", \"duration\": 60, \"tiles\": []}",
                      "\"name\" missing or not a string");
    expect_json_error("{\"name\": \"n\", \"duration\": 60, \"tiles\": []}",
                      "\"description\" missing");
    expect_json_error("{\"name\": \"n\", \"description\": \"d\", \"duration\": 60}",
                      "\"tiles\" missing");
    expect_json_error(
        "{\"name\": \"n\", \"description\": \"d\", \"duration\": 60, \"tiles\": \"###\"}",
        "\"tiles\" missing or not an array");
    expect_json_error("{\"name\": \"n\", \"description\": \"d\", \"duration\": 60, \"tiles\": "
                      "[\"##########\", 7]}",
                      "row 2: not a string");
    /* Row and column come through from the tile rules. */
    expect_json_error("{\"name\": \"n\", \"description\": \"d\", \"duration\": 60, \"tiles\": "
                      "[\"##########\", \"#S..c...S#\", \"#...?....#\", \"#........#\", "
                      "\"#........#\", \"#........#\", \"#........#\", \"##########\"]}",
                      "row 3, column 5: unknown tile '?'");
    /* Invalid UTF-8 in the raw file, not just through escapes. */
    expect_json_error("{\"name\": \"\xff\", \"description\": \"d\", \"duration\": 60, \"tiles\": "
                      "[\"##########\", \"#S..c...S#\", \"#........#\", \"#........#\", "
                      "\"#........#\", \"#........#\", \"#........#\", \"##########\"]}",
                      "name is not valid UTF-8");
    /* Text longer than WORLD_MAX_FILE is refused before parsing. */
    world_t w;
    assert_int_equal(world_parse(&w, "{}", WORLD_MAX_FILE + 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "too big"));
}

/* A private temporary folder with files written by the test. */
static char tmpdir[256];

static void write_file(const char *name, const char *text, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void remove_tmpdir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
}

static const char small_world[] =
    "{\"name\": \"%s\", \"description\": \"d\", \"duration\": 60, \"tiles\": "
    "[\"##########\", \"#S..c...S#\", \"#........#\", \"#........#\", "
    "\"#........#\", \"#........#\", \"#........#\", \"##########\"]}";

static void write_world(const char *file, const char *name)
{
    char text[1024];
    int n = snprintf(text, sizeof text, small_world, name);
    write_file(file, text, (size_t)n);
}

struct warnings {
    int count;
    char text[8][512];
};

static void collect_warning(void *ud, const char *message)
{
    struct warnings *w = ud;
    if (w->count < 8)
        snprintf(w->text[w->count], sizeof w->text[0], "%s", message);
    w->count++;
}

static void test_load_file_errors(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/nine43-test-world-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    world_t w;
    char path[512];
    /* Unreadable: missing, a folder. */
    snprintf(path, sizeof path, "%s/missing.json", tmpdir);
    assert_int_equal(world_load_file(&w, path, err, sizeof err), -1);
    assert_true(strncmp(err, path, strlen(path)) == 0);
    assert_non_null(strstr(err, "cannot open"));
    assert_int_equal(world_load_file(&w, tmpdir, err, sizeof err), -1);
    assert_true(strncmp(err, tmpdir, strlen(tmpdir)) == 0);
    /* Too big: one byte over the limit, even though it starts as a fine world. */
    char *big = malloc(WORLD_MAX_FILE + 1);
    assert_non_null(big);
    int n = snprintf(big, WORLD_MAX_FILE, small_world, "big");
    memset(big + n, ' ', (size_t)(WORLD_MAX_FILE + 1 - n));
    write_file("big.json", big, WORLD_MAX_FILE + 1);
    snprintf(path, sizeof path, "%s/big.json", tmpdir);
    assert_int_equal(world_load_file(&w, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "file too big"));
    /* Exactly at the limit loads. */
    write_file("edge.json", big, WORLD_MAX_FILE);
    snprintf(path, sizeof path, "%s/edge.json", tmpdir);
    assert_int_equal(world_load_file(&w, path, err, sizeof err), 0);
    free(big);
    /* A bad file's message: path, then row and column. */
    write_file("bad.json",
               "{\"name\": \"n\", \"description\": \"d\", \"duration\": 60, \"tiles\": "
               "[\"##########\", \"#S..c...S#\", \"#........#\", \"#........#\", "
               "\"#.......x#\", \"#........#\", \"#........#\", \"##########\"]}",
               strlen("{\"name\": \"n\", \"description\": \"d\", \"duration\": 60, \"tiles\": "
                      "[\"##########\", \"#S..c...S#\", \"#........#\", \"#........#\", "
                      "\"#.......x#\", \"#........#\", \"#........#\", \"##########\"]}"));
    snprintf(path, sizeof path, "%s/bad.json", tmpdir);
    assert_int_equal(world_load_file(&w, path, err, sizeof err), -1);
    char want[600];
    snprintf(want, sizeof want, "%s: row 5, column 9: unknown tile 'x'", path);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    remove_tmpdir();
}

static void test_load_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/nine43-test-world-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    write_world("c.json", "gamma");
    write_world("a.json", "alpha");
    write_file("b.json", "not json", 8);
    write_world("d.txt", "not a json file name");
    write_world("e.json", "alpha"); /* the same world name again */
    static world_t worlds[WORLD_MAX_FILES];
    struct warnings warn = {0};
    assert_int_equal(world_load_dir(worlds, WORLD_MAX_FILES, tmpdir, collect_warning, &warn), 2);
    assert_string_equal(worlds[0].name, "alpha"); /* sorted by file name */
    assert_string_equal(worlds[1].name, "gamma");
    assert_int_equal(warn.count, 2);
    assert_non_null(strstr(warn.text[0], "b.json: not JSON"));
    assert_non_null(strstr(warn.text[0], "skipped"));
    assert_non_null(strstr(warn.text[1], "e.json"));
    assert_non_null(strstr(warn.text[1], "already taken"));
    /* No more than max. */
    memset(&warn, 0, sizeof warn);
    assert_int_equal(world_load_dir(worlds, 1, tmpdir, collect_warning, &warn), 1);
    assert_string_equal(worlds[0].name, "alpha");
    /* More than WORLD_MAX_FILES good files: the rest are skipped with a warning. */
    for (int i = 0; i < WORLD_MAX_FILES; i++) {
        char file[32], name[32];
        snprintf(file, sizeof file, "w%02d.json", i);
        snprintf(name, sizeof name, "world %02d", i);
        write_world(file, name);
    }
    memset(&warn, 0, sizeof warn);
    assert_int_equal(world_load_dir(worlds, WORLD_MAX_FILES, tmpdir, collect_warning, &warn),
                     WORLD_MAX_FILES);
    bool said = false;
    for (int i = 0; i < warn.count && i < 8; i++)
        said = said || strstr(warn.text[i], "at most 16 worlds");
    assert_true(said);
    remove_tmpdir();
    /* A folder that cannot be read. */
    memset(&warn, 0, sizeof warn);
    assert_int_equal(world_load_dir(worlds, WORLD_MAX_FILES, "/nonexistent/nine43-worlds",
                                    collect_warning, &warn),
                     -1);
    assert_int_equal(warn.count, 1);
    assert_non_null(strstr(warn.text[0], "/nonexistent/nine43-worlds"));
    /* No warning function: still works. */
    assert_int_equal(world_load_dir(worlds, WORLD_MAX_FILES, "/nonexistent", NULL, NULL), -1);
}

/* Every floor tile reachable from the first spawn, moving between side-by-side tiles (a
 * player is 0.7 tiles wide, so a one-tile corridor fits but a diagonal gap does not). */
static void assert_connected(const world_t *w)
{
    static bool seen[WORLD_MAX_SIZE][WORLD_MAX_SIZE];
    static world_point_t stack[WORLD_MAX_SIZE * WORLD_MAX_SIZE];
    memset(seen, 0, sizeof seen);
    int top = 0;
    stack[top++] = w->spawns[0];
    seen[w->spawns[0].y][w->spawns[0].x] = true;
    while (top > 0) {
        world_point_t p = stack[--top];
        static const int dirs[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int d = 0; d < 4; d++) {
            int x = p.x + dirs[d][0], y = p.y + dirs[d][1];
            if (!world_is_wall(w, x, y) && !seen[y][x]) {
                seen[y][x] = true;
                stack[top++] = (world_point_t){x, y};
            }
        }
    }
    for (int y = 0; y < w->height; y++)
        for (int x = 0; x < w->width; x++)
            if (!world_is_wall(w, x, y) && !seen[y][x])
                fail_msg("world %s: tile (column %d, row %d) cannot be reached", w->name, x + 1,
                         y + 1);
}

static void test_shipped_worlds(void **state)
{
    (void)state;
    const char *src = getenv("NINE43_SOURCE");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/assets/worlds", src ? src : "..");
    static world_t worlds[WORLD_MAX_FILES];
    struct warnings warn = {0};
    int n = world_load_dir(worlds, WORLD_MAX_FILES, dir, collect_warning, &warn);
    if (warn.count > 0)
        fail_msg("shipped world refused: %s", warn.text[0]);
    assert_true(n >= 3);
    bool has_default = false;
    for (int i = 0; i < n; i++) {
        const world_t *w = &worlds[i];
        if (strcmp(w->name, "default") == 0) {
            has_default = true;
            assert_string_equal(w->description, "don't worry. be happy.");
        }
        assert_true(w->description[0] != '\0');
        assert_true(w->nspawns >= 8); /* room for a full game of 8 */
        assert_true(w->ncoins >= 4);
        assert_connected(w);
    }
    assert_true(has_default);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_world),
        cmocka_unit_test(test_unequal_rows),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_unknown_tile),
        cmocka_unit_test(test_spawn_and_coin_counts),
        cmocka_unit_test(test_text_rules),
        cmocka_unit_test(test_duration_rule),
        cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_load_file_errors),
        cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_shipped_worlds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
