/* proto_read.h -- the typed cJSON reader behind proto_decode: each read checks one member's JSON
 * type and range, and on failure names it in the error; internal to common/proto*.c, uses cJSON */
#ifndef NINE43_PROTO_READ_H
#define NINE43_PROTO_READ_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_NO_LIMIT ((size_t)-1)
#define PROTO_MILLI    1000 /* milli-tiles per tile, milliseconds per second: three decimals */

typedef struct reader {
    const char *type; /* the message's wire name, for messages */
    /* Where the reader is, written into an error only if one comes ("players[2].", "world."):
     * formatting it for every entry of a list would cost more than decoding the entry. */
    const char *list; /* NULL at the top level */
    int index;        /* the entry of list, or -1 inside an object named list */
    char *err;
    size_t errlen;
} reader_t;

/* Writes the formatted message to err (when there is one) and returns code. */
int read_set_error(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes "\"vote\": field \"index\" " followed by the formatted reason; returns code. */
int read_fail(reader_t *r, int code, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fields from here on are inside list[index] (list NULL: at the top level again). */
static inline void read_where(reader_t *r, const char *list, int index)
{
    r->list = list;
    r->index = index;
}

/* cJSON's type tests (cJSON_IsNumber, ...), inline: the decoder makes one or two for every
 * field, and cJSON's own are calls into its shared library. The same tests as cJSON 1.7's. */
static inline bool read_is(const cJSON *v, int type)
{
    return v && (v->type & 0xFF) == type;
}

static inline bool read_is_bool(const cJSON *v)
{
    return v && (v->type & (cJSON_True | cJSON_False)) != 0;
}

/* "a string", "a number", ...: what v is, for errors. */
const char *read_kind(const cJSON *v);

/* Exact comparison of a member's key with a field name (a few bytes: quicker than strcmp). */
static inline bool read_key_is(const char *key, const char *name)
{
    while (*key && *key == *name)
        key++, name++;
    return *key == *name;
}

/* Each read_X(r, v, name, ...) reads member v (NULL when absent) named name. */

/* An integer in [min, max]. Absent: *out = def when optional, an error when required. */
int read_int(reader_t *r, const cJSON *v, const char *name, bool required, int64_t min, int64_t max,
             int64_t def, int64_t *out);

/* A number with up to three decimals, in [min, max] thousandths, rounded to thousandths. Always
 * required (an optional one is looked for by its caller). */
int read_milli(reader_t *r, const cJSON *v, const char *name, int64_t min, int64_t max,
               int32_t *out);

int read_bool(reader_t *r, const cJSON *v, const char *name, bool required, bool def, bool *out);

/* A string into dst (size bytes) of at most max_chars code points (PROTO_NO_LIMIT: any).
 * Absent and optional: "". */
int read_str(reader_t *r, const cJSON *v, const char *name, bool required, char *dst, size_t size,
             size_t max_chars);

/* The entry list[i] of a list of strings, checked as read_str checks (v is a string). */
int read_str_entry(reader_t *r, const char *list, int i, const char *s, size_t size,
                   size_t max_chars);

/* A required string that is one of names[0 .. n-1]: *index tells which. */
int read_enum(reader_t *r, const cJSON *v, const char *name, const char *const *names, int n,
              int *index);

/* A list of at most max entries: sets *list (its first entry is (*list)->child) and *n. */
int read_list(reader_t *r, const cJSON *v, const char *name, bool required, int max,
              const cJSON **list, int *n);

/* The i-th entry of a list must be an object. */
int read_entry_object(reader_t *r, const char *list, int i, const cJSON *e);

/* "list[i]" in buf: the name of an entry of a list of plain values, made only for its error. */
const char *read_entry_name(char *buf, size_t cap, const char *list, int i);

/* Finds the members of obj named names(i) for i < n in one walk over its children: slot[i] is
 * the first member so named, as cJSON_GetObjectItemCaseSensitive finds it, or NULL. The
 * names are read at stride bytes apart from first (a table's rows). The encoder writes the
 * members in table order, so each child is usually matched by its first comparison. */
void read_members(const cJSON *obj, const char *const *first, size_t stride, int n,
                  const cJSON **slot);

#endif
