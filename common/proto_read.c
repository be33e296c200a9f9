/* proto_read.c -- the typed cJSON reader behind proto_decode: one function per JSON kind, each
 * checking type and range and naming the member in its error; depends on cJSON and utf8 */
#include "proto_read.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "utf8.h"

int read_set_error(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

int read_fail(reader_t *r, int code, const char *name, const char *fmt, ...)
{
    if (r->err && r->errlen > 0) {
        char where[48] = "";
        if (r->list && r->index >= 0)
            snprintf(where, sizeof where, "%s[%d].", r->list, r->index);
        else if (r->list)
            snprintf(where, sizeof where, "%s.", r->list);
        int n = snprintf(r->err, r->errlen, "\"%s\": field \"%s%s\" ", r->type, where, name);
        if (n >= 0 && (size_t)n < r->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

const char *read_kind(const cJSON *v)
{
    if (read_is(v, cJSON_String))
        return "a string";
    if (read_is(v, cJSON_Number))
        return "a number";
    if (read_is_bool(v))
        return "a boolean";
    if (read_is(v, cJSON_NULL))
        return "null";
    if (read_is(v, cJSON_Array))
        return "a list";
    if (read_is(v, cJSON_Object))
        return "an object";
    return "something else";
}

int read_int(reader_t *r, const cJSON *v, const char *name, bool required, int64_t min, int64_t max,
             int64_t def, int64_t *out)
{
    if (!v) {
        if (required)
            return read_fail(r, PROTO_ERR_FIELD, name, "is missing");
        *out = def;
        return PROTO_OK;
    }
    if (!read_is(v, cJSON_Number))
        return read_fail(r, PROTO_ERR_FIELD, name, "must be an integer, not %s", read_kind(v));
    double x = v->valuedouble;
    if (!isfinite(x) || x != floor(x))
        return read_fail(r, PROTO_ERR_RANGE, name, "must be an integer");
    if (x < (double)min || x > (double)max)
        return read_fail(r, PROTO_ERR_RANGE, name, "must be between %lld and %lld", (long long)min,
                         (long long)max);
    *out = (int64_t)x;
    return PROTO_OK;
}

int read_milli(reader_t *r, const cJSON *v, const char *name, int64_t min, int64_t max,
               int32_t *out)
{
    if (!v)
        return read_fail(r, PROTO_ERR_FIELD, name, "is missing");
    if (!read_is(v, cJSON_Number))
        return read_fail(r, PROTO_ERR_FIELD, name, "must be a number, not %s", read_kind(v));
    double x = v->valuedouble * PROTO_MILLI;
    if (!isfinite(x) || x < (double)min - 0.5 || x > (double)max + 0.5)
        return read_fail(r, PROTO_ERR_RANGE, name, "must be between %lld and %lld",
                         (long long)(min / PROTO_MILLI), (long long)(max / PROTO_MILLI));
    long long m = llround(x);
    if (m < min)
        m = min;
    if (m > max)
        m = max;
    *out = (int32_t)m;
    return PROTO_OK;
}

int read_bool(reader_t *r, const cJSON *v, const char *name, bool required, bool def, bool *out)
{
    if (!v) {
        if (required)
            return read_fail(r, PROTO_ERR_FIELD, name, "is missing");
        *out = def;
        return PROTO_OK;
    }
    if (!read_is_bool(v))
        return read_fail(r, PROTO_ERR_FIELD, name, "must be true or false, not %s", read_kind(v));
    *out = read_is(v, cJSON_True);
    return PROTO_OK;
}

const char *read_entry_name(char *buf, size_t cap, const char *list, int i)
{
    snprintf(buf, cap, "%s[%d]", list, i);
    return buf;
}

/* Fails when s does not fit a buffer of size bytes and max_chars code points. The line was
 * checked for UTF-8 and escaped NULs already, so the string is well-formed. */
static int read_check_str(reader_t *r, const char *name, const char *s, size_t size,
                          size_t max_chars)
{
    size_t n = strlen(s);
    if (max_chars != PROTO_NO_LIMIT && utf8_count(s, n) > max_chars)
        return read_fail(r, PROTO_ERR_RANGE, name, "is longer than %zu characters", max_chars);
    if (n > size - 1)
        return read_fail(r, PROTO_ERR_RANGE, name, "is longer than %zu bytes", size - 1);
    return PROTO_OK;
}

int read_str_entry(reader_t *r, const char *list, int i, const char *s, size_t size,
                   size_t max_chars)
{
    size_t n = strlen(s);
    if ((max_chars == PROTO_NO_LIMIT || utf8_count(s, n) <= max_chars) && n <= size - 1)
        return PROTO_OK; /* the usual case, without formatting the entry's name */
    char name[24];
    return read_check_str(r, read_entry_name(name, sizeof name, list, i), s, size, max_chars);
}

int read_str(reader_t *r, const cJSON *v, const char *name, bool required, char *dst, size_t size,
             size_t max_chars)
{
    if (!v) {
        if (required)
            return read_fail(r, PROTO_ERR_FIELD, name, "is missing");
        dst[0] = '\0';
        return PROTO_OK;
    }
    if (!read_is(v, cJSON_String))
        return read_fail(r, PROTO_ERR_FIELD, name, "must be a string, not %s", read_kind(v));
    int rc = read_check_str(r, name, v->valuestring, size, max_chars);
    if (rc != PROTO_OK)
        return rc;
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return PROTO_OK;
}

/* "must be \"a\", \"b\" or \"c\"" for names. */
static int read_enum_fail(reader_t *r, const char *name, const char *const *names, int n)
{
    char list[128];
    size_t len = 0;
    for (int k = 0; k < n && len < sizeof list; k++) {
        const char *sep = k == 0 ? "" : k == n - 1 ? " or " : ", ";
        len += (size_t)snprintf(list + len, sizeof list - len, "%s\"%s\"", sep, names[k]);
    }
    return read_fail(r, PROTO_ERR_RANGE, name, "must be %s", list);
}

int read_enum(reader_t *r, const cJSON *v, const char *name, const char *const *names, int n,
              int *index)
{
    if (!v)
        return read_fail(r, PROTO_ERR_FIELD, name, "is missing");
    if (!read_is(v, cJSON_String))
        return read_fail(r, PROTO_ERR_FIELD, name, "must be a string, not %s", read_kind(v));
    for (int k = 0; k < n; k++) {
        if (strcmp(v->valuestring, names[k]) == 0) {
            *index = k;
            return PROTO_OK;
        }
    }
    return read_enum_fail(r, name, names, n);
}

int read_list(reader_t *r, const cJSON *v, const char *name, bool required, int max,
              const cJSON **list, int *n)
{
    *list = NULL;
    *n = 0;
    if (!v) {
        if (required)
            return read_fail(r, PROTO_ERR_FIELD, name, "is missing");
        return PROTO_OK;
    }
    if (!read_is(v, cJSON_Array))
        return read_fail(r, PROTO_ERR_FIELD, name, "must be a list, not %s", read_kind(v));
    int count = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (++count > max)
            return read_fail(r, PROTO_ERR_RANGE, name, "has more than %d entries", max);
    }
    *list = v;
    *n = count;
    return PROTO_OK;
}

int read_entry_object(reader_t *r, const char *list, int i, const cJSON *e)
{
    if (read_is(e, cJSON_Object))
        return PROTO_OK;
    char name[40];
    snprintf(name, sizeof name, "%s[%d]", list, i);
    read_where(r, NULL, 0); /* the entry itself is at the top level, not inside the one before */
    return read_fail(r, PROTO_ERR_FIELD, name, "must be an object, not %s", read_kind(e));
}

void read_members(const cJSON *obj, const char *const *first, size_t stride, int n,
                  const cJSON **slot)
{
    const char *base = (const char *)first;
#define NAME(i) (*(const char *const *)(base + (size_t)(i)*stride))
    int next = 0;
    for (int i = 0; i < n; i++)
        slot[i] = NULL;
    for (const cJSON *c = obj->child; c && c->string; c = c->next) {
        int i = next;
        if (i >= n || !read_key_is(c->string, NAME(i))) {
            for (i = 0; i < n && !read_key_is(c->string, NAME(i)); i++)
                ;
            if (i == n)
                continue; /* a member this message does not have */
        }
        if (!slot[i])
            slot[i] = c;
        next = i + 1;
    }
#undef NAME
}
