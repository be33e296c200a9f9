/* replays.c -- the replays this client keeps: "replay" parts decoded from base64 and put back
 * together, the whole file checked by common/replay before it is written (the seam's
 * sys_write_file: a temporary file renamed into place), the folder kept under
 * CLIENT_REPLAYS_KEPT (common/replay's replay_prune_dir, as the server's), and listed; no SDL */
#include "replays.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sys_os.h"

void replays_rx_free(replays_rx_t *rx)
{
    free(rx->buf);
    memset(rx, 0, sizeof *rx);
}

static int replays_b64_value(char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

/* Strict base64: groups of 4, '=' only at the very end. Returns the bytes written to out (at
 * most cap), or -1. */
static long replays_b64_decode(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s), o = 0;
    if (n % 4 != 0)
        return -1;
    for (size_t i = 0; i < n; i += 4) {
        int v[4], pad = 0;
        for (int k = 0; k < 4; k++) {
            if (s[i + k] == '=' && i + 4 == n && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            if (pad > 0)
                return -1; /* "=" then a letter */
            v[k] = replays_b64_value(s[i + k]);
            if (v[k] < 0)
                return -1;
        }
        uint32_t w =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        uint8_t b[3] = {(uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w};
        if (o + (size_t)(3 - pad) > cap)
            return -1;
        memcpy(out + o, b, (size_t)(3 - pad));
        o += (size_t)(3 - pad);
    }
    return (long)o;
}

static int replays_rx_fail(replays_rx_t *rx, char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "%s", why);
    replays_rx_free(rx);
    return -1;
}

int replays_rx_part(replays_rx_t *rx, const msg_replay_t *m, const uint8_t **data, size_t *len,
                    char *err, size_t errlen)
{
    if (m->part == 1) { /* a new file: whatever was unfinished is dropped */
        replays_rx_free(rx);
        if (m->bytes < 1 || m->bytes > PROTO_MAX_REPLAY_BYTES || m->parts < 1 ||
            m->parts > PROTO_MAX_REPLAY_PARTS ||
            (int64_t)m->parts * PROTO_REPLAY_PART_BYTES < m->bytes ||
            (int64_t)(m->parts - 1) * PROTO_REPLAY_PART_BYTES >= m->bytes)
            return replays_rx_fail(rx, err, errlen, "a replay whose size and parts disagree");
        rx->buf = malloc((size_t)m->bytes);
        if (!rx->buf)
            return replays_rx_fail(rx, err, errlen, "out of memory for a replay");
        rx->bytes = m->bytes;
        rx->parts = m->parts;
        rx->next = 1;
    }
    if (!rx->buf || m->part != rx->next || m->parts != rx->parts || m->bytes != rx->bytes)
        return replays_rx_fail(rx, err, errlen, "a replay part out of order");
    size_t want =
        m->part < m->parts ? PROTO_REPLAY_PART_BYTES : (size_t)rx->bytes - rx->len; /* the rest */
    long got = replays_b64_decode(m->data, rx->buf + rx->len, (size_t)rx->bytes - rx->len);
    if (got < 0 || (size_t)got != want)
        return replays_rx_fail(rx, err, errlen, "a replay part that is not its size of base64");
    rx->len += (size_t)got;
    rx->next++;
    if (m->part < m->parts)
        return 0;
    *data = rx->buf;
    *len = rx->len;
    rx->next = 0; /* whole: the next part must be a part 1 */
    return 1;
}

void replays_dir_for(const char *settings_path, char *out, size_t cap)
{
    out[0] = '\0';
    if (!settings_path || !settings_path[0])
        return;
    const char *slash = sys_path_last_sep(settings_path); /* SDL's pref path, on Windows too */
    if (!slash)
        snprintf(out, cap, "%s", CLIENT_REPLAYS_DIR);
    else
        snprintf(out, cap, "%.*s/%s", (int)(slash - settings_path), settings_path,
                 CLIENT_REPLAYS_DIR);
}

static int replays_cmp_desc(const void *a, const void *b)
{
    return strcmp(*(char *const *)b, *(char *const *)a);
}

/* Our files in dir, newest first (names start with the time); the caller frees names[i]. */
static int replays_names(const char *dir, char **names, int max)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!replay_is_file_name(e->d_name) || strlen(e->d_name) >= 256)
            continue;
        char *copy = strdup(e->d_name);
        if (!copy)
            break;
        if (n < max) {
            names[n++] = copy;
            continue;
        }
        /* Full: keep the newest max; the list is sorted, the last is the oldest. */
        qsort(names, (size_t)n, sizeof names[0], replays_cmp_desc);
        if (strcmp(copy, names[n - 1]) > 0) {
            free(names[n - 1]);
            names[n - 1] = copy;
        } else {
            free(copy);
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], replays_cmp_desc);
    return n;
}

int replays_save(const char *dir, const uint8_t *data, size_t len, char *path_out, size_t cap,
                 char *err, size_t errlen)
{
    replay_t r;
    char bad[200];
    if (replay_parse(&r, data, len, bad, sizeof bad) < 0) {
        snprintf(err, errlen, "the server sent a replay this client cannot read: %s", bad);
        return -1;
    }
    time_t started = (time_t)r.info.started;
    uint64_t hash = r.final_hash;
    replay_free(&r);
    char why[CLIENT_REPLAY_PATH + 200];
    if (sys_make_dir(dir, why, sizeof why) < 0) {
        snprintf(err, errlen, "cannot make the replay folder: %s", why);
        return -1;
    }
    struct tm tm;
    char when[32];
    gmtime_r(&started, &tm);
    strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
    snprintf(path_out, cap, "%s/" CLIENT_REPLAY_PREFIX "%s-%08x" CLIENT_REPLAY_SUFFIX, dir, when,
             (unsigned)(hash & 0xffffffffu));
    if (sys_write_file(path_out, data, len, why, sizeof why) < 0) {
        snprintf(err, errlen, "cannot write the replay: %s", why);
        return -1;
    }
    replay_prune_dir(dir, CLIENT_REPLAYS_KEPT, INT_MAX, why, sizeof why);
    return 0;
}

void replays_describe(const replay_t *r, replays_entry_t *e)
{
    e->ok = true;
    e->started = r->info.started;
    snprintf(e->world, sizeof e->world, "%s", r->world.name);
    e->nplayers = r->info.nplayers;
    e->seconds = r->ticks / SIM_TICK_RATE;
    e->players[0] = '\0';
    int best = -1;
    for (int i = 0; i < r->info.nplayers; i++) {
        size_t used = strlen(e->players);
        snprintf(e->players + used, sizeof e->players - used, "%s%s", i ? ", " : "",
                 r->info.players[i].name);
        if (r->active[i] && (best < 0 || r->scores[i] > r->scores[best]))
            best = i;
    }
    e->winner[0] = '\0';
    e->winner_score = 0;
    if (best >= 0) {
        snprintf(e->winner, sizeof e->winner, "%s", r->info.players[best].name);
        e->winner_score = r->scores[best];
    }
}

int replays_list(const char *dir, replays_entry_t *out, int max)
{
    char *names[CLIENT_REPLAYS_LISTED];
    if (max > CLIENT_REPLAYS_LISTED)
        max = CLIENT_REPLAYS_LISTED;
    int n = replays_names(dir, names, max);
    for (int i = 0; i < n; i++) {
        replays_entry_t *e = &out[i];
        memset(e, 0, sizeof *e);
        snprintf(e->path, sizeof e->path, "%s/%s", dir, names[i]);
        free(names[i]);
        replay_t r;
        if (replay_load_file(&r, e->path, e->error, sizeof e->error) < 0)
            continue;
        replays_describe(&r, e);
        replay_free(&r);
    }
    return n;
}
