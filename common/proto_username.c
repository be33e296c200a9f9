/* proto_username.c -- the username rules of docs/PROTOCOL.md and the key under which names are
 * unique; depends on utf8 */
#include <string.h>

#include "proto.h"
#include "proto_read.h"
#include "utf8.h"

int proto_check_username(const char *name, char *err, size_t errlen)
{
    if (!name || !name[0])
        return read_set_error(err, errlen, -1, "username is empty");
    size_t len = strlen(name);
    if (!utf8_valid(name, len))
        return read_set_error(err, errlen, -1, "username is not valid UTF-8");
    if (utf8_count(name, len) > PROTO_MAX_USERNAME)
        return read_set_error(err, errlen, -1, "username is longer than %d characters",
                              PROTO_MAX_USERNAME);
    if (utf8_has_control(name, len))
        return read_set_error(err, errlen, -1, "username contains control characters");
    if (name[0] == ' ' || name[len - 1] == ' ')
        return read_set_error(err, errlen, -1, "username starts or ends with a space");
    if (err && errlen > 0)
        err[0] = '\0';
    return 0;
}

void proto_username_key(const char *name, char *key, size_t cap)
{
    size_t i = 0;
    if (cap == 0)
        return;
    for (; name[i] && i + 1 < cap; i++) {
        char c = name[i];
        key[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    key[i] = '\0';
}
