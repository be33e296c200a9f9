/* settings.c -- settings.json: validated load, atomic save; cJSON, stdio and the seam's
 * sys_write_file, no SDL */
#include "settings.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys_os.h"
#include "utf8.h"

#define SETTINGS_MIN_PORT          1
#define SETTINGS_MAX_PORT          65535
#define SETTINGS_MAX_ROUND_SECONDS 600

void settings_defaults(settings_t *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->last_host, sizeof s->last_host, "localhost");
    s->last_port = SETTINGS_DEFAULT_PORT;
    s->fullscreen = false;
    s->host_group_size = PROTO_MIN_GROUP;
    s->host_round_seconds = 0;
    s->host_port = SETTINGS_DEFAULT_PORT;
    s->color = -1;
    s->volume = SETTINGS_DEFAULT_VOLUME;
    s->muted = false;
}

static void seterr(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, a, b);
}

/* A string value that is valid UTF-8 without control characters and fits; else unchanged. */
static void load_string(const cJSON *root, const char *key, char *dst, size_t cap, size_t max_chars)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!cJSON_IsString(v) || !v->valuestring)
        return;
    size_t len = strlen(v->valuestring);
    if (len >= cap || !utf8_valid(v->valuestring, len) || utf8_has_control(v->valuestring, len) ||
        utf8_count(v->valuestring, len) > max_chars)
        return;
    memcpy(dst, v->valuestring, len + 1);
}

static void load_int(const cJSON *root, const char *key, int *dst, int lo, int hi)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!cJSON_IsNumber(v))
        return;
    double d = v->valuedouble;
    /* The range first: converting a double beyond int's range (1e300) is undefined. */
    if (d < lo || d > hi || d != (double)(int)d)
        return;
    *dst = (int)d;
}

int settings_load(settings_t *s, const char *path, char *err, size_t errlen)
{
    settings_defaults(s);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0; /* first run */
        seterr(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(SETTINGS_MAX_FILE + 1);
    if (!buf) {
        fclose(f);
        seterr(err, errlen, "cannot read %s: %s", path, "out of memory");
        return -1;
    }
    size_t n = fread(buf, 1, SETTINGS_MAX_FILE + 1, f);
    fclose(f);
    if (n > SETTINGS_MAX_FILE) {
        free(buf);
        seterr(err, errlen, "%s is larger than 64 KiB; using defaults%s", path, "");
        return -1;
    }
    buf[n] = '\0';
    cJSON *root = cJSON_ParseWithLength(buf, n);
    free(buf);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        seterr(err, errlen, "%s is not a JSON object; using defaults%s", path, "");
        return -1;
    }
    load_string(root, "username", s->username, sizeof s->username, PROTO_MAX_USERNAME);
    load_string(root, "last_host", s->last_host, sizeof s->last_host, SETTINGS_HOST_SIZE - 1);
    if (s->last_host[0] == '\0')
        snprintf(s->last_host, sizeof s->last_host, "localhost");
    load_int(root, "last_port", &s->last_port, SETTINGS_MIN_PORT, SETTINGS_MAX_PORT);
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(root, "fullscreen");
    if (cJSON_IsBool(fs))
        s->fullscreen = cJSON_IsTrue(fs);
    load_int(root, "host_group_size", &s->host_group_size, PROTO_MIN_GROUP, PROTO_MAX_GROUP);
    load_int(root, "host_round_seconds", &s->host_round_seconds, 0, SETTINGS_MAX_ROUND_SECONDS);
    load_int(root, "host_port", &s->host_port, SETTINGS_MIN_PORT, SETTINGS_MAX_PORT);
    load_int(root, "color", &s->color, -1, PALETTE_COUNT - 1);
    load_int(root, "volume", &s->volume, 0, SETTINGS_MAX_VOLUME);
    const cJSON *mu = cJSON_GetObjectItemCaseSensitive(root, "muted");
    if (cJSON_IsBool(mu))
        s->muted = cJSON_IsTrue(mu);
    cJSON_Delete(root);
    return 0;
}

int settings_save(const settings_t *s, const char *path, char *err, size_t errlen)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) {
        seterr(err, errlen, "cannot save %s: %s", path, "out of memory");
        return -1;
    }
    cJSON_AddStringToObject(root, "username", s->username);
    cJSON_AddStringToObject(root, "last_host", s->last_host);
    cJSON_AddNumberToObject(root, "last_port", s->last_port);
    cJSON_AddBoolToObject(root, "fullscreen", s->fullscreen);
    cJSON_AddNumberToObject(root, "host_group_size", s->host_group_size);
    cJSON_AddNumberToObject(root, "host_round_seconds", s->host_round_seconds);
    cJSON_AddNumberToObject(root, "host_port", s->host_port);
    cJSON_AddNumberToObject(root, "color", s->color);
    cJSON_AddNumberToObject(root, "volume", s->volume);
    cJSON_AddBoolToObject(root, "muted", s->muted);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        seterr(err, errlen, "cannot save %s: %s", path, "out of memory");
        return -1;
    }
    /* Through the seam: a crash never leaves half a file, and the new file replaces the old
     * on Windows too, where rename() refuses to ("File exists"). */
    size_t len = strlen(text);
    text[len] = '\n'; /* cJSON_Print's NUL becomes the last line's end; len + 1 bytes written */
    char why[512];
    int rc = sys_write_file(path, text, len + 1, why, sizeof why);
    free(text);
    if (rc != 0) {
        seterr(err, errlen, "cannot save %s", why, "");
        return -1;
    }
    return 0;
}
