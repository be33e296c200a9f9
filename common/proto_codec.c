/* proto_codec.c -- nine43 wire protocol v1, proto.h's encode and decode: one walk over a
 * message's field table that decodes (from a cJSON tree) and one that encodes, the line checks
 * around them, and the type lookup; the tables are in proto_schema.c; depends on cJSON,
 * json_arena, utf8 and the proto_* parts */
#include "proto.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_arena.h"
#include "proto_read.h"
#include "proto_schema.h"
#include "proto_write.h"
#include "utf8.h"

#define PROTO_TYPE_ECHO 32 /* characters of an unknown "type" quoted back in the error */
/* Longest line proto_encode writes. The fuzz target raises it to check that everything that
 * decodes also encodes, however long the re-encoded line would be. */
#ifndef PROTO_ENCODE_MAX
#define PROTO_ENCODE_MAX PROTO_MAX_LINE
#endif

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ != PROTO_OK)                                                                       \
            return rc_;                                                                            \
    } while (0)

/* One case per kind and store of a row (rows of other kinds than PK_INT have store 0, as
 * test_proto checks): the walks find what to do with a field in one jump. */
#define ROW_CASE(kind, store) ((kind) << 3 | (store))

static int64_t proto_load_int(const char *p, int store)
{
    switch (store) {
    case PS_I8:
        return *(const int8_t *)p;
    case PS_U16:
        return *(const uint16_t *)p;
    case PS_U32:
        return *(const uint32_t *)p;
    case PS_I64:
        return *(const int64_t *)p;
    case PS_U64:
        return (int64_t) * (const uint64_t *)p;
    default:
        return *(const int32_t *)p;
    }
}

static void proto_store_int(char *p, int store, int64_t v)
{
    switch (store) {
    case PS_I8:
        *(int8_t *)p = (int8_t)v;
        break;
    case PS_U16:
        *(uint16_t *)p = (uint16_t)v;
        break;
    case PS_U32:
        *(uint32_t *)p = (uint32_t)v;
        break;
    case PS_I64:
        *(int64_t *)p = v;
        break;
    case PS_U64:
        *(uint64_t *)p = (uint64_t)v;
        break;
    default:
        *(int32_t *)p = (int32_t)v;
        break;
    }
}

/* ---------------------------------------------------------------------------------------
 * Decoding: fields in table order, so that the first wrong one is the one named.
 */

static int proto_decode_fields(reader_t *r, const cJSON *obj, const proto_schema_t *s, char *base);

/* The list's entries that are plain values: usernames or small integers. */
static int proto_decode_entry(reader_t *r, const proto_field_t *f, int i, const cJSON *e, char *p)
{
    char name[24];
    if (f->elem == PE_NAME) {
        if (!read_is(e, cJSON_String))
            return read_fail(r, PROTO_ERR_FIELD, read_entry_name(name, sizeof name, f->name, i),
                             "must be a string, not %s", read_kind(e));
        TRY(read_str_entry(r, f->name, i, e->valuestring, f->size, f->max_chars));
        strcpy(p, e->valuestring);
        return PROTO_OK;
    }
    if (!read_is(e, cJSON_Number))
        return read_fail(r, PROTO_ERR_FIELD, read_entry_name(name, sizeof name, f->name, i),
                         "must be an integer, not %s", read_kind(e));
    double x = e->valuedouble;
    if (!isfinite(x) || x != floor(x) || x < f->elem_min || x > f->elem_max)
        return read_fail(r, PROTO_ERR_RANGE, read_entry_name(name, sizeof name, f->name, i),
                         "must be an integer between %d and %d", f->elem_min, f->elem_max);
    *(int *)p = (int)x;
    return PROTO_OK;
}

static int proto_decode_list(reader_t *r, const cJSON *v, const proto_field_t *f, char *base)
{
    const cJSON *list, *e;
    int n, i = 0;
    TRY(read_list(r, v, f->name, true, (int)f->max, &list, &n));
    *(int *)(base + f->count) = n;
    if (n < f->min)
        return f->elem == PE_OBJECT ? read_fail(r, PROTO_ERR_RANGE, f->name, "must not be empty")
                                    : read_fail(r, PROTO_ERR_RANGE, f->name,
                                                "has fewer than %d entries", (int)f->min);
    const char *where = r->list;
    int index = r->index;
    cJSON_ArrayForEach(e, list)
    {
        char *p = base + f->off + (size_t)i * f->size;
        if (f->elem != PE_OBJECT) {
            TRY(proto_decode_entry(r, f, i, e, p));
        } else {
            TRY(read_entry_object(r, f->name, i, e));
            read_where(r, f->name, i);
            TRY(proto_decode_fields(r, e, f->sub, p));
        }
        i++;
    }
    read_where(r, where, index);
    return PROTO_OK;
}

/* Names of .names in a list of strings, as bits; names this side does not know are ignored. */
static int proto_decode_bits(reader_t *r, const cJSON *v, const proto_field_t *f, unsigned *bits)
{
    const cJSON *list, *e;
    int n, i = 0;
    TRY(read_list(r, v, f->name, true, (int)f->max, &list, &n));
    cJSON_ArrayForEach(e, list)
    {
        char name[24];
        if (!read_is(e, cJSON_String))
            return read_fail(r, PROTO_ERR_FIELD, read_entry_name(name, sizeof name, f->name, i),
                             "must be a string, not %s", read_kind(e));
        TRY(read_str_entry(r, f->name, i, e->valuestring, f->size, PROTO_NO_LIMIT));
        i++;
        for (int k = 0; k < f->nnames; k++)
            if (strcmp(e->valuestring, f->names[k]) == 0)
                *bits |= 1u << k;
    }
    return PROTO_OK;
}

static int proto_decode_object(reader_t *r, const cJSON *v, const proto_field_t *f, char *p)
{
    if (!read_is(v, cJSON_Object))
        return read_fail(r, PROTO_ERR_FIELD, f->name, "must be an object, not %s", read_kind(v));
    const char *where = r->list;
    int index = r->index;
    read_where(r, f->name, -1);
    TRY(proto_decode_fields(r, v, f->sub, p));
    read_where(r, where, index);
    return PROTO_OK;
}

/* A number that is an integer in f's range, as read_int accepts it, without its call (most
 * fields of a state line are such integers). */
static inline bool proto_int_ok(const cJSON *v, const proto_field_t *f, int64_t *out)
{
    if (!read_is(v, cJSON_Number))
        return false;
    double x = v->valuedouble;
    if (!(x >= (double)f->min && x <= (double)f->max && fabs(x) < 0x1p63))
        return false; /* NaN fails the first test, an infinity the range */
    int64_t i = (int64_t)x;
    *out = i;
    return (double)i == x; /* no fraction: quicker than floor, a call or many instructions */
}

/* An integer member: read_int finds what is wrong with one proto_int_ok refuses, and names it. */
static inline int proto_read_int(reader_t *r, const cJSON *v, const proto_field_t *f, int64_t *x)
{
    return proto_int_ok(v, f, x) ? PROTO_OK : read_int(r, v, f->name, true, f->min, f->max, 0, x);
}

/* An absent field: an error when it is required, its default (or the zero) when not. */
static int proto_decode_absent(reader_t *r, const proto_field_t *f, char *p)
{
    if (f->required)
        return read_fail(r, PROTO_ERR_FIELD, f->name, "is missing");
    if (f->kind == PK_INT)
        proto_store_int(p, f->store, f->def);
    else if (f->kind == PK_BOOL)
        *(bool *)p = f->def != 0;
    return PROTO_OK;
}

/* Field f of obj, found as member v (NULL: absent), into the struct at base. A hook decodes
 * its field even when absent (it may look for other members). */
static int proto_decode_field(reader_t *r, const cJSON *obj, const cJSON *v, const proto_field_t *f,
                              char *base)
{
    char *p = base + f->off;
    int64_t x;
    int k;
    if (f->when == PW_FLAG)
        *(bool *)(base + f->flag) = v != NULL;
    if (!v && f->kind != PK_HOOK)
        return proto_decode_absent(r, f, p);
    switch (ROW_CASE(f->kind, f->store)) {
    case ROW_CASE(PK_INT, PS_I8):
        TRY(proto_read_int(r, v, f, &x));
        *(int8_t *)p = (int8_t)x;
        return PROTO_OK;
    case ROW_CASE(PK_INT, PS_U16):
        TRY(proto_read_int(r, v, f, &x));
        *(uint16_t *)p = (uint16_t)x;
        return PROTO_OK;
    case ROW_CASE(PK_INT, PS_I32):
        TRY(proto_read_int(r, v, f, &x));
        *(int32_t *)p = (int32_t)x;
        return PROTO_OK;
    case ROW_CASE(PK_INT, PS_U32):
    case ROW_CASE(PK_INT, PS_I64):
    case ROW_CASE(PK_INT, PS_U64):
        TRY(proto_read_int(r, v, f, &x));
        proto_store_int(p, f->store, x);
        return PROTO_OK;
    case ROW_CASE(PK_MILLI, 0):
        return read_milli(r, v, f->name, f->min, f->max, (int32_t *)p);
    case ROW_CASE(PK_BOOL, 0):
        if (!read_is_bool(v))
            return read_bool(r, v, f->name, true, false, (bool *)p);
        *(bool *)p = read_is(v, cJSON_True);
        return PROTO_OK;
    case ROW_CASE(PK_STR, 0):
        return read_str(r, v, f->name, true, p, f->size, f->max_chars);
    case ROW_CASE(PK_ENUM, 0):
        return read_enum(r, v, f->name, f->names, f->nnames, (int *)p);
    case ROW_CASE(PK_KEYWORD, 0):
        TRY(read_enum(r, v, f->name, f->names, f->nnames, &k));
        *(bool *)p = k == 0;
        return PROTO_OK;
    case ROW_CASE(PK_BITS, 0):
        return proto_decode_bits(r, v, f, (unsigned *)p);
    case ROW_CASE(PK_OBJECT, 0):
        return proto_decode_object(r, v, f, p);
    case ROW_CASE(PK_INLINE, 0):
        return proto_decode_fields(r, obj, f->sub, base);
    case ROW_CASE(PK_HOOK, 0):
        return f->hook->decode(r, obj, f, base);
    default:
        return proto_decode_list(r, v, f, base);
    }
}

/* The members of obj are found in one walk (read_members), then checked in table order. */
static int proto_decode_fields(reader_t *r, const cJSON *obj, const proto_schema_t *s, char *base)
{
    const cJSON *slot[PROTO_SCHEMA_MAX];
    if (s->n == 0)
        return PROTO_OK;
    read_members(obj, &s->fields[0].name, sizeof s->fields[0], s->n, slot);
    for (int i = 0; i < s->n; i++)
        TRY(proto_decode_field(r, obj, slot[i], &s->fields[i], base));
    return PROTO_OK;
}

/* ---------------------------------------------------------------------------------------
 * Encoding: the same tables, each field after its key; a check that fails makes the line bad.
 */

static void proto_encode_fields(writer_t *w, const proto_schema_t *s, const char *base, bool first);

/* Whether an optional field is written. */
static bool proto_field_present(const proto_field_t *f, const char *base)
{
    const char *p = base + f->off;
    switch (f->when) {
    case PW_FLAG:
        return *(const bool *)(base + f->flag);
    case PW_HOOK:
        return f->when_fn(base);
    case PW_NONZERO:
        if (f->kind == PK_STR)
            return p[0] != '\0';
        if (f->kind == PK_BOOL)
            return *(const bool *)p;
        return proto_load_int(p, f->store) != 0;
    default:
        return true;
    }
}

static void proto_encode_list(writer_t *w, const proto_field_t *f, const char *base)
{
    int n = *(const int *)(base + f->count);
    if (!write_count_ok(w, n, (int)f->min, (int)f->max))
        return;
    WRITE_LIT(w, "[");
    for (int i = 0; i < n; i++) {
        const char *p = base + f->off + (size_t)i * f->size;
        if (i > 0)
            WRITE_LIT(w, ",");
        if (f->elem == PE_OBJECT) {
            WRITE_LIT(w, "{");
            proto_encode_fields(w, f->sub, p, true);
            WRITE_LIT(w, "}");
        } else if (f->elem == PE_NAME) {
            write_str(w, p, f->size, f->max_chars);
        } else {
            write_int_in(w, *(const int *)p, f->elem_min, f->elem_max);
        }
    }
    WRITE_LIT(w, "]");
}

/* Names of the bits set, as a list; nothing at all when no bit is. */
static void proto_encode_bits(writer_t *w, const proto_field_t *f, unsigned bits, bool first)
{
    bool any = false;
    for (int k = 0; k < f->nnames; k++) {
        if (!(bits & (1u << k)))
            continue;
        if (!any) {
            write_key(w, f->key + first, f->keylen - first);
            WRITE_LIT(w, "[");
        } else {
            WRITE_LIT(w, ",");
        }
        write_str(w, f->names[k], strlen(f->names[k]) + 1, PROTO_NO_LIMIT);
        any = true;
    }
    if (any)
        WRITE_LIT(w, "]");
}

/* One of .names, quoted (they need no escape). */
static void proto_encode_name(writer_t *w, const proto_field_t *f, int k)
{
    if (k < 0 || k >= f->nnames) {
        w->bad = true;
        return;
    }
    WRITE_LIT(w, "\"");
    write_raw(w, f->names[k], strlen(f->names[k]));
    WRITE_LIT(w, "\"");
}

/* Field f of the struct at base, with its key (without the comma when it is the first). Hooks,
 * inline groups and bits write their keys themselves (or nothing). One switch: this is the
 * encoder's inner loop. */
static void proto_encode_field(writer_t *w, const proto_field_t *f, const char *base, bool first)
{
    const char *p = base + f->off;
#define KEY() write_key(w, f->key + first, f->keylen - first)
    switch (f->kind) {
    case PK_INT:
        KEY();
        write_int_in(w, f->store == PS_I32 ? *(const int32_t *)p : proto_load_int(p, f->store),
                     f->min, f->max);
        break;
    case PK_MILLI:
        KEY();
        write_milli(w, *(const int32_t *)p, f->min, f->max);
        break;
    case PK_BOOL:
        KEY();
        write_bool(w, *(const bool *)p);
        break;
    case PK_STR:
        KEY();
        write_str(w, p, f->size, f->max_chars);
        break;
    case PK_ENUM:
        KEY();
        proto_encode_name(w, f, *(const int *)p);
        break;
    case PK_KEYWORD:
        KEY();
        proto_encode_name(w, f, *(const bool *)p ? 0 : 1);
        break;
    case PK_OBJECT:
        KEY();
        WRITE_LIT(w, "{");
        proto_encode_fields(w, f->sub, p, true);
        WRITE_LIT(w, "}");
        break;
    case PK_LIST:
        KEY();
        proto_encode_list(w, f, base);
        break;
    case PK_HOOK:
        f->hook->encode(w, f, base);
        break;
    case PK_INLINE:
        proto_encode_fields(w, f->sub, base, first);
        break;
    default:
        proto_encode_bits(w, f, *(const unsigned *)p, first);
        break;
    }
#undef KEY
}

/* A field of a scalar kind or a string, with its key, written at a cursor when it has room
 * enough; NULL when not, or when f is of another kind or a string that needs write_str. Only
 * the range checks are left to do: the rows' kinds, stores and keys are checked by test_proto. */
static inline char *proto_encode_row(char *at, size_t room, const proto_field_t *f,
                                     const char *base, bool first, bool *bad)
{
    const char *p = base + f->off;
    char *k = at;
    int64_t v;
    if (room < WRITE_AT_ROOM)
        return NULL;
    at = write_at_key(at, f->key + first, (size_t)(f->keylen - first));
    switch (ROW_CASE(f->kind, f->store)) {
    case ROW_CASE(PK_INT, PS_I8):
        v = *(const int8_t *)p;
        break;
    case ROW_CASE(PK_INT, PS_U16):
        v = *(const uint16_t *)p;
        break;
    case ROW_CASE(PK_INT, PS_I32):
        v = *(const int32_t *)p;
        break;
    case ROW_CASE(PK_INT, PS_U32):
        v = *(const uint32_t *)p;
        break;
    case ROW_CASE(PK_INT, PS_I64):
    case ROW_CASE(PK_INT, PS_U64):
        v = *(const int64_t *)p;
        break;
    case ROW_CASE(PK_MILLI, 0):
        v = *(const int32_t *)p;
        *bad |= v < f->min || v > f->max;
        return write_at_milli(at, v);
    case ROW_CASE(PK_BOOL, 0):
        return write_at_bool(at, *(const unsigned char *)p != 0); /* as write_bool's if (b) */
    case ROW_CASE(PK_STR, 0):
        return room - (size_t)(at - k) >= WRITE_AT_ROOM + f->size + 2
                   ? write_at_str(at, p, f->size, f->max_chars)
                   : NULL;
    default:
        return NULL;
    }
    *bad |= v < f->min || v > f->max;
    return write_at_int(at, v);
}

/* first: the object has nothing written yet, so its first field goes without a comma. A bad
 * field does not stop the walk (the line is thrown away anyway): every read stays in bounds,
 * as a list's count is checked before its entries. The cursor stays in a local while rows
 * fit (nearly always: a line's room is PROTO_MAX_LINE), the writer is used for the rest. */
static void proto_encode_fields(writer_t *w, const proto_schema_t *s, const char *base, bool first)
{
    if (s->n == 0)
        return; /* "ping" and the others with no field: no table at all */
    char *at = w->at;
    size_t room = w->room;
    bool bad = false;
    const proto_field_t *end = s->fields + s->n;
    for (const proto_field_t *f = s->fields; f < end; f++) {
        if (f->when != PW_ALWAYS && !proto_field_present(f, base))
            continue;
        char *next = proto_encode_row(at, room, f, base, first, &bad);
        if (next) {
            room -= (size_t)(next - at);
            at = next;
        } else {
            w->at = at;
            w->room = room;
            proto_encode_field(w, f, base, first);
            at = w->at;
            room = w->room;
        }
        first = false;
    }
    w->at = at;
    w->room = room;
    w->bad |= bad;
}

/* ---------------------------------------------------------------------------------------
 * The message types.
 */

static bool proto_type_known(msg_type_t type)
{
    return type > MSG_NONE && type < MSG_COUNT;
}

const char *proto_type_name(msg_type_t type)
{
    return proto_type_known(type) ? proto_types[type].name : "?";
}

proto_dir_t proto_type_dir(msg_type_t type)
{
    return proto_type_known(type) ? proto_types[type].dir : 0;
}

static msg_type_t proto_find_type(const char *name, proto_dir_t dir)
{
    for (int t = MSG_NONE + 1; t < MSG_COUNT; t++) {
        if ((proto_types[t].dir & dir) && read_key_is(proto_types[t].name, name))
            return (msg_type_t)t;
    }
    return MSG_NONE;
}

/* ---------------------------------------------------------------------------------------
 * Decoding a line.
 */

/* cJSON turns the escape \u0000 into a NUL that would silently cut a string short: refuse
 * it, as a raw NUL byte is. Walks the strings of the line, honouring backslash escapes. */
static size_t proto_find_escaped_nul(const char *s, size_t len)
{
    if (!memchr(s, '\\', len))
        return len; /* no escape at all, as in nearly every line: memchr is much faster */
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (!in_string) {
            in_string = s[i] == '"';
        } else if (s[i] == '"') {
            in_string = false;
        } else if (s[i] == '\\' && i + 1 < len) {
            if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0)
                return i;
            i++; /* skip the escaped character */
        }
    }
    return len;
}

static bool proto_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies an unknown type name into a message as printable ASCII ('?' for anything else),
 * so errors stay ASCII and safe to show. */
static void proto_echo_type(char *dst, size_t cap, const char *s)
{
    size_t n = 0, i = 0;
    for (; s[i] && n < PROTO_TYPE_ECHO && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue; /* the rest of a multi-byte character: one '?' stands for it */
        dst[n++] = (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? (char)c : '?';
    }
    if (s[i] && n + 3 < cap) {
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
}

/* The checks of a line before it is parsed: length, NULs, UTF-8, not blank. */
static int proto_check_line(const char *line, size_t len, char *err, size_t errlen)
{
    if (len >= PROTO_MAX_LINE)
        return read_set_error(err, errlen, PROTO_ERR_TOO_LONG,
                              "line is longer than %d bytes with its newline", PROTO_MAX_LINE);
    const char *nul = memchr(line, '\0', len);
    if (nul)
        return read_set_error(err, errlen, PROTO_ERR_UTF8, "line holds a NUL byte at byte %zu",
                              (size_t)(nul - line));
    size_t bad = utf8_check(line, len);
    if (bad < len)
        return read_set_error(err, errlen, PROTO_ERR_UTF8, "line is not valid UTF-8 at byte %zu",
                              bad);
    bad = proto_find_escaped_nul(line, len);
    if (bad < len)
        return read_set_error(err, errlen, PROTO_ERR_UTF8,
                              "line holds an escaped NUL character (\\u0000) at byte %zu", bad);

    size_t start = 0;
    while (start < len && proto_is_space(line[start]))
        start++;
    if (start == len)
        return read_set_error(err, errlen, PROTO_ERR_JSON, "not JSON: empty line");
    return PROTO_OK;
}

int proto_decode(const char *line, size_t len, proto_dir_t dir, msg_t *out, char *err,
                 size_t errlen)
{
    out->type = MSG_NONE;
    if (err && errlen > 0)
        err[0] = '\0';
    int rc = proto_check_line(line, len, err, errlen);
    if (rc != PROTO_OK)
        return rc;

    const char *end = NULL;
    json_arena_begin();
    cJSON *root = cJSON_ParseWithLengthOpts(line, len, &end, false);
    if (!root) {
        json_arena_end(NULL);
        /* cJSON reports an early end of input as an error at the last byte. */
        size_t at = end && end >= line ? (size_t)(end - line) : len;
        if (at + 1 >= len)
            return read_set_error(
                err, errlen, PROTO_ERR_JSON,
                "not JSON: unexpected character at byte %zu, or the line ends too "
                "early",
                at < len ? at : len - 1);
        return read_set_error(err, errlen, PROTO_ERR_JSON,
                              "not JSON: unexpected character at byte %zu", at);
    }
    size_t at = (size_t)(end - line);
    while (at < len && proto_is_space(line[at]))
        at++;
    if (at < len) {
        rc = read_set_error(err, errlen, PROTO_ERR_JSON,
                            "not JSON: unexpected text after the value "
                            "at byte %zu",
                            at);
    } else if (!read_is(root, cJSON_Object)) {
        rc = read_set_error(err, errlen, PROTO_ERR_NOT_OBJECT, "not a JSON object but %s",
                            read_kind(root));
    } else {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "type");
        if (!type) {
            rc = read_set_error(err, errlen, PROTO_ERR_NO_TYPE, "no \"type\" field");
        } else if (!read_is(type, cJSON_String)) {
            rc = read_set_error(err, errlen, PROTO_ERR_NO_TYPE, "\"type\" must be a string, not %s",
                                read_kind(type));
        } else {
            msg_type_t t = proto_find_type(type->valuestring, dir);
            if (t == MSG_NONE) {
                char name[PROTO_TYPE_ECHO + 4];
                proto_echo_type(name, sizeof name, type->valuestring);
                rc = read_set_error(err, errlen, PROTO_ERR_UNKNOWN_TYPE,
                                    "unknown type \"%s\" for a message to %s", name,
                                    dir == PROTO_TO_SERVER ? "the server" : "a client");
            } else {
                const proto_type_t *pt = &proto_types[t];
                reader_t r = {.type = pt->name, .list = NULL, .err = err, .errlen = errlen};
                memset(&out->u, 0, pt->size);
                out->type = t;
                rc = proto_decode_fields(&r, root, &pt->schema, (char *)out);
            }
        }
    }
    json_arena_end(root);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Encoding.
 */

int proto_encode(const msg_t *m, char *buf, size_t cap)
{
    if (!proto_type_known(m->type) || buf == NULL)
        return -1;
    const proto_type_t *pt = &proto_types[m->type];
    writer_t w = {.at = buf, .room = cap < PROTO_ENCODE_MAX ? cap : PROTO_ENCODE_MAX};

    write_key(&w, pt->head, pt->headlen);
    proto_encode_fields(&w, &pt->schema, (const char *)m, false);
    WRITE_LIT(&w, "}\n");
    if (w.full || w.bad)
        return -1;
    size_t len = (size_t)(w.at - buf);
    if (len < cap)
        buf[len] = '\0';
    return (int)len;
}

void proto_init(msg_t *m, msg_type_t type)
{
    memset(m, 0, sizeof *m);
    m->type = type;
}
