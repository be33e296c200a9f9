/* world.c -- world files: parse, validate and load tile maps; depends on cJSON and utf8.h */
#include "world.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "utf8.h"

#define WORLD_MAX_PATH 4096 /* bytes of a path built from a folder and a file name */

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Shows a tile byte in a message: printable ASCII as itself, anything else as \xNN. */
static void describe_byte(char *out, size_t cap, unsigned char c)
{
    if (c >= 0x20 && c < 0x7f)
        snprintf(out, cap, "'%c'", c);
    else
        snprintf(out, cap, "'\\x%02x'", c);
}

static int check_text(const char *what, const char *s, size_t max, bool allow_empty, char *err,
                      size_t errlen)
{
    if (!s)
        return fail(err, errlen, "%s missing", what);
    size_t len = strlen(s);
    if (len == 0 && !allow_empty)
        return fail(err, errlen, "%s is empty", what);
    if (len > max)
        return fail(err, errlen, "%s too long (%zu bytes, at most %zu)", what, len, max);
    if (!utf8_valid(s, len))
        return fail(err, errlen, "%s is not valid UTF-8", what);
    if (utf8_has_control(s, len))
        return fail(err, errlen, "%s contains a control character", what);
    return 0;
}

/* What is checked before any tile is read: the texts, the duration and the number of rows. */
static int check_header(const char *name, const char *description, int duration,
                        const char *const *rows, int nrows, char *err, size_t errlen)
{
    if (check_text("name", name, WORLD_MAX_NAME, false, err, errlen) < 0)
        return -1;
    if (check_text("description", description, WORLD_MAX_DESCRIPTION, true, err, errlen) < 0)
        return -1;
    if (duration < WORLD_MIN_DURATION || duration > WORLD_MAX_DURATION)
        return fail(err, errlen, "duration %d seconds is outside %d..%d", duration,
                    WORLD_MIN_DURATION, WORLD_MAX_DURATION);
    if (!rows || nrows < WORLD_MIN_SIZE)
        return fail(err, errlen, "%d rows: a world is %d to %d rows high", rows ? nrows : 0,
                    WORLD_MIN_SIZE, WORLD_MAX_SIZE);
    if (nrows > WORLD_MAX_SIZE)
        return fail(err, errlen, "row %d: too many rows: a world is %d to %d rows high",
                    WORLD_MAX_SIZE + 1, WORLD_MIN_SIZE, WORLD_MAX_SIZE);
    return 0;
}

/* Row r (0-based) of length len: row 1 sets *width within the size limits, every other row
 * must match it. Returns 0 or -1 with the column where the rows part. */
static int check_row_length(int r, size_t len, size_t *width, char *err, size_t errlen)
{
    if (r == 0) {
        if (len < WORLD_MIN_SIZE)
            return fail(err, errlen,
                        "row 1, column %zu: row ends after %zu tiles: a world is %d to %d "
                        "tiles wide",
                        len + 1, len, WORLD_MIN_SIZE, WORLD_MAX_SIZE);
        if (len > WORLD_MAX_SIZE)
            return fail(err, errlen,
                        "row 1, column %d: row is too long: a world is %d to %d tiles wide",
                        WORLD_MAX_SIZE + 1, WORLD_MIN_SIZE, WORLD_MAX_SIZE);
        *width = len;
        return 0;
    }
    if (len == *width)
        return 0;
    size_t col = len < *width ? len + 1 : *width + 1;
    if (len > *width)
        return fail(err, errlen,
                    "row %d, column %zu: row is longer than row 1 (%zu tiles); rows "
                    "must be of equal length",
                    r + 1, col, *width);
    return fail(err, errlen,
                "row %d, column %zu: row ends after %zu tiles, row 1 has %zu; rows "
                "must be of equal length",
                r + 1, col, len, *width);
}

/* Copies row r's len tiles into w, noting its spawn points and coin spots in reading order. */
static int read_row(world_t *w, int r, const char *row, size_t len, char *err, size_t errlen)
{
    for (size_t c = 0; c < len; c++) {
        unsigned char t = (unsigned char)row[c];
        char shown[16];
        switch (t) {
        case WORLD_WALL:
        case WORLD_FLOOR:
            break;
        case WORLD_SPAWN:
            if (w->nspawns >= WORLD_MAX_SPAWNS)
                return fail(err, errlen, "row %d, column %zu: more than %d spawn points", r + 1,
                            c + 1, WORLD_MAX_SPAWNS);
            w->spawns[w->nspawns++] = (world_point_t){(int)c, r};
            break;
        case WORLD_COIN:
            if (w->ncoins >= WORLD_MAX_COINS)
                return fail(err, errlen, "row %d, column %zu: more than %d coin spots", r + 1,
                            c + 1, WORLD_MAX_COINS);
            w->coins[w->ncoins++] = (world_point_t){(int)c, r};
            break;
        default:
            describe_byte(shown, sizeof shown, t);
            return fail(err, errlen,
                        "row %d, column %zu: unknown tile %s (use '#' wall, '.' floor, "
                        "'S' spawn, 'c' coin)",
                        r + 1, c + 1, shown);
        }
        w->tiles[r][c] = (char)t;
    }
    return 0;
}

int world_from_rows(world_t *w, const char *name, const char *description, int duration,
                    const char *const *rows, int nrows, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    if (check_header(name, description, duration, rows, nrows, err, errlen) < 0)
        return -1;
    size_t width = 0;
    for (int r = 0; r < nrows; r++) {
        if (!rows[r])
            return fail(err, errlen, "row %d: missing", r + 1);
        size_t len = strnlen(rows[r], WORLD_MAX_SIZE + 1);
        if (check_row_length(r, len, &width, err, errlen) < 0 ||
            read_row(w, r, rows[r], len, err, errlen) < 0)
            return -1;
    }
    if (w->nspawns < WORLD_MIN_SPAWNS)
        return fail(err, errlen, "%d spawn point%s ('S'): a world needs at least %d", w->nspawns,
                    w->nspawns == 1 ? "" : "s", WORLD_MIN_SPAWNS);
    if (w->ncoins < WORLD_MIN_COINS)
        return fail(err, errlen, "no coin spot ('c'): a world needs at least %d", WORLD_MIN_COINS);

    /* strlen checked above: both fit with their NUL. */
    memcpy(w->name, name, strlen(name) + 1);
    memcpy(w->description, description, strlen(description) + 1);
    w->duration = duration;
    w->width = (int)width;
    w->height = nrows;
    return 0;
}

int world_parse(world_t *w, const char *json, size_t len, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    if (!json)
        return fail(err, errlen, "not JSON: no text");
    if (len > WORLD_MAX_FILE)
        return fail(err, errlen, "too big (%zu bytes, at most %d)", len, WORLD_MAX_FILE);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root)
        return fail(err, errlen, "not JSON (a world file is one JSON object)");
    int rc = -1;
    const char *rows[WORLD_MAX_SIZE];
    /* cJSON stops after the first value; anything but white space after it is an error. */
    for (const char *p = end; p && p < json + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            fail(err, errlen, "not JSON: text after the object at byte %zu",
                 (size_t)(p - json) + 1);
            goto out;
        }
    }
    if (!cJSON_IsObject(root)) {
        fail(err, errlen, "not a JSON object");
        goto out;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
    const cJSON *dur = cJSON_GetObjectItemCaseSensitive(root, "duration");
    const cJSON *tiles = cJSON_GetObjectItemCaseSensitive(root, "tiles");
    if (!cJSON_IsString(name)) {
        fail(err, errlen, "\"name\" missing or not a string");
        goto out;
    }
    if (!cJSON_IsString(desc)) {
        fail(err, errlen, "\"description\" missing or not a string");
        goto out;
    }
    if (!cJSON_IsNumber(dur)) {
        fail(err, errlen, "\"duration\" missing or not a number (seconds, %d..%d)",
             WORLD_MIN_DURATION, WORLD_MAX_DURATION);
        goto out;
    }
    double d = dur->valuedouble;
    if (!(d >= WORLD_MIN_DURATION && d <= WORLD_MAX_DURATION) || (double)(int)d != d) {
        fail(err, errlen, "duration %g is not a whole number of seconds in %d..%d", d,
             WORLD_MIN_DURATION, WORLD_MAX_DURATION);
        goto out;
    }
    if (!cJSON_IsArray(tiles)) {
        fail(err, errlen, "\"tiles\" missing or not an array of strings");
        goto out;
    }
    int nrows = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, tiles)
    {
        if (nrows >= WORLD_MAX_SIZE) {
            fail(err, errlen, "row %d: too many rows: a world is %d to %d rows high",
                 WORLD_MAX_SIZE + 1, WORLD_MIN_SIZE, WORLD_MAX_SIZE);
            goto out;
        }
        if (!cJSON_IsString(row)) {
            fail(err, errlen, "row %d: not a string", nrows + 1);
            goto out;
        }
        rows[nrows++] = row->valuestring;
    }
    rc = world_from_rows(w, name->valuestring, desc->valuestring, (int)d, rows, nrows, err, errlen);
out:
    cJSON_Delete(root);
    return rc;
}

int world_load_file(world_t *w, const char *path, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    /* One byte more than allowed tells a file at the limit from a larger one, even for
     * files whose size stat cannot tell (pipes, /proc). */
    char *buf = malloc(WORLD_MAX_FILE + 1);
    if (!buf) {
        fclose(f);
        return fail(err, errlen, "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, WORLD_MAX_FILE + 1, f);
    int read_error = ferror(f) ? errno : 0;
    fclose(f);
    int rc = -1;
    if (read_error) {
        fail(err, errlen, "%s: cannot read: %s", path, strerror(read_error));
    } else if (n > WORLD_MAX_FILE) {
        fail(err, errlen, "%s: file too big (more than %d bytes)", path, WORLD_MAX_FILE);
    } else {
        char msg[256];
        rc = world_parse(w, buf, n, msg, sizeof msg);
        if (rc < 0)
            fail(err, errlen, "%s: %s", path, msg);
    }
    free(buf);
    return rc;
}

static bool has_json_suffix(const char *name)
{
    size_t len = strlen(name);
    return len > 5 && strcmp(name + len - 5, ".json") == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void warnf(world_warn_fn warn, void *ud, const char *fmt, ...)
{
    if (!warn)
        return;
    char msg[WORLD_MAX_PATH + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warn(ud, msg);
}

int world_load_dir(world_t *worlds, int max, const char *dir, world_warn_fn warn, void *ud)
{
    DIR *d = opendir(dir);
    if (!d) {
        warnf(warn, ud, "%s: cannot read folder: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_json_suffix(e->d_name))
            continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **grown = realloc(names, ncap * sizeof *grown);
            if (!grown)
                break;
            names = grown;
            cap = ncap;
        }
        names[count] = strdup(e->d_name);
        if (names[count])
            count++;
    }
    closedir(d);
    if (count > 0)
        qsort(names, count, sizeof *names, compare_names);

    int limit = max < WORLD_MAX_FILES ? max : WORLD_MAX_FILES;
    int loaded = 0;
    for (size_t i = 0; i < count; i++) {
        char path[WORLD_MAX_PATH];
        char err[WORLD_MAX_PATH + 256];
        int plen = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (plen < 0 || (size_t)plen >= sizeof path) {
            warnf(warn, ud, "%s/%s: path too long; skipped", dir, names[i]);
            continue;
        }
        if (loaded >= limit) {
            warnf(warn, ud, "%s: skipped: at most %d worlds are loaded", path, limit);
            continue;
        }
        if (world_load_file(&worlds[loaded], path, err, sizeof err) < 0) {
            warnf(warn, ud, "%s; skipped", err);
            continue;
        }
        int dup = -1;
        for (int j = 0; j < loaded; j++)
            if (strcmp(worlds[j].name, worlds[loaded].name) == 0)
                dup = j;
        if (dup >= 0) {
            warnf(warn, ud, "%s: world name \"%s\" is already taken by an earlier file; skipped",
                  path, worlds[loaded].name);
            continue;
        }
        loaded++;
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return loaded;
}

bool world_is_wall(const world_t *w, int x, int y)
{
    if (x < 0 || y < 0 || x >= w->width || y >= w->height)
        return true;
    return w->tiles[y][x] == WORLD_WALL;
}
