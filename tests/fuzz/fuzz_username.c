/* fuzz_username.c -- libFuzzer target: random bytes as a username, through proto_check_username,
 * proto_username_key, a "log in" line, and the Unicode rules (name_check, name_skeleton,
 * name_strip_hidden); the rules must agree with one another; uses common/proto and common/name */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"
#include "proto.h"
#include "utf8.h"

#define FUZZ_NAME_MAX 256 /* bytes of a name tried: well past the wire's 64 */

static msg_t decoded;

static void fuzz_check_key(const char *name, size_t len, int valid, uint8_t cut)
{
    char key[FUZZ_NAME_MAX + 1], again[FUZZ_NAME_MAX + 1], upper[FUZZ_NAME_MAX + 1];
    proto_username_key(name, key, sizeof key);
    if (strlen(key) != len)
        abort(); /* folding keeps every byte */
    proto_username_key(key, again, sizeof again);
    if (strcmp(key, again) != 0)
        abort(); /* a key is its own key */
    for (size_t i = 0; i <= len; i++)
        upper[i] = (name[i] >= 'a' && name[i] <= 'z') ? (char)(name[i] - 'a' + 'A') : name[i];
    proto_username_key(upper, again, sizeof again);
    if (strcmp(key, again) != 0)
        abort(); /* "ALICE" and "alice" are one player */
    char err[256];
    if ((proto_check_username(key, err, sizeof err) == 0) != valid)
        abort(); /* folding neither makes nor breaks a name */
    /* A short buffer: cut, always terminated, a prefix of the whole key. */
    size_t cap = (size_t)cut % (len + 2) + 1;
    char small[FUZZ_NAME_MAX + 2];
    memset(small, 'z', sizeof small);
    proto_username_key(name, small, cap);
    size_t want = cap - 1 < len ? cap - 1 : len;
    if (strlen(small) != want || strncmp(small, key, want) != 0)
        abort();
}

/* The name as a JSON string in a "log in" line: bytes as they are, but for what JSON escapes. */
static void fuzz_check_login_line(const char *name, size_t len, int valid)
{
    char line[FUZZ_NAME_MAX * 6 + 64];
    size_t n = (size_t)snprintf(line, sizeof line, "{\"type\":\"log in\",\"username\":\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)name[i];
        if (b == '"' || b == '\\')
            n += (size_t)snprintf(line + n, sizeof line - n, "\\%c", b);
        else if (b < 0x20)
            n += (size_t)snprintf(line + n, sizeof line - n, "\\u%04x", b);
        else
            line[n++] = (char)b;
    }
    n += (size_t)snprintf(line + n, sizeof line - n, "\"}");
    char err[256];
    int rc = proto_decode(line, n, PROTO_TO_SERVER, &decoded, err, sizeof err);
    if (rc == PROTO_OK) {
        if (decoded.type != MSG_LOGIN || strcmp(decoded.u.login.username, name) != 0)
            abort(); /* what decodes is exactly the name sent */
    } else if (valid && utf8_valid(name, len)) {
        abort(); /* a valid name always crosses the wire */
    }
}

/* The Unicode rules: stricter than the basic ones, blind to ASCII case, a skeleton that is its
 * own skeleton, and chat with nothing hidden left. */
static void fuzz_check_unicode(const char *name, size_t len, int valid)
{
    char err[256], key[FUZZ_NAME_MAX + 1];
    err[0] = 'x';
    int rc = name_check(name, err, sizeof err);
    if ((rc != 0 && rc != -1) || (rc == 0) != (err[0] == '\0'))
        abort(); /* a refusal always says why */
    if (rc == 0 && !valid)
        abort(); /* never looser than proto_check_username */
    proto_username_key(name, key, sizeof key);
    if ((name_check(key, err, sizeof err) == 0) != (rc == 0))
        abort();
    static char sk[NAME_SKELETON_SIZE], again[NAME_SKELETON_SIZE];
    name_skeleton(name, sk, sizeof sk);
    if (strlen(sk) >= sizeof sk)
        abort();
    if (utf8_valid(name, len)) {
        name_skeleton(sk, again, sizeof again);
        if (strcmp(sk, again) != 0)
            abort(); /* a skeleton is its own skeleton */
        name_skeleton(key, again, sizeof again);
        if (strcmp(sk, again) != 0)
            abort(); /* "ALICE" and "alice" look alike */
        char chat[FUZZ_NAME_MAX + 1];
        memcpy(chat, name, len + 1);
        size_t n = name_strip_hidden(chat);
        if (n != strlen(chat) || n > len || !utf8_valid(chat, n))
            abort();
        for (size_t i = 0; i < n;) {
            size_t step = utf8_prefix_bytes(chat + i, n - i, 1);
            char one[8] = "";
            memcpy(one, chat + i, step);
            if (name_strip_hidden(one) != step)
                abort(); /* nothing hidden is left */
            i += step;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t cut = data[0];
    char name[FUZZ_NAME_MAX + 1];
    size_t len = size - 1 < FUZZ_NAME_MAX ? size - 1 : FUZZ_NAME_MAX;
    memcpy(name, data + 1, len);
    name[len] = '\0';
    len = strlen(name); /* a C string ends at its first NUL, as the server's copy does */

    char err[256];
    err[0] = 'x';
    int rc = proto_check_username(name, err, sizeof err);
    if (rc != 0 && rc != -1)
        abort();
    int valid = rc == 0;
    if (valid != (err[0] == '\0'))
        abort(); /* a refusal always says why, an acceptance never does */
    if (valid && (len == 0 || len >= PROTO_USERNAME_SIZE ||
                  utf8_count(name, len) > PROTO_MAX_USERNAME || !utf8_valid(name, len)))
        abort();
    fuzz_check_key(name, len, valid, cut);
    fuzz_check_login_line(name, len, valid);
    fuzz_check_unicode(name, len, valid);
    return 0;
}
