/* proto_schema.h -- each message's fields written once, as a table of rows (name, kind, where in
 * the message struct, limits, required or optional, the login feature) that proto_decode and
 * proto_encode both walk, as ioquake3's msg.c walks its netField_t tables; internal to
 * common/proto*.c. docs/PROTOCOL.md "Adding a message" shows a row. */
#ifndef NINE43_PROTO_SCHEMA_H
#define NINE43_PROTO_SCHEMA_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "proto_read.h"
#include "proto_write.h"

typedef enum proto_kind {
    PK_INT,     /* integer in [min, max], stored as .store says */
    PK_MILLI,   /* number with three decimals on the wire, int32_t thousandths in [min, max] */
    PK_BOOL,    /* true or false; .def is an absent optional one */
    PK_STR,     /* char[.size] of at most .max_chars code points */
    PK_ENUM,    /* one of .names, stored as an int index */
    PK_KEYWORD, /* one of two .names, stored as a bool: true = .names[0] */
    PK_BITS,    /* a list of .names, stored as unsigned bits (names it does not know: ignored) */
    PK_OBJECT,  /* a nested object of .sub's fields */
    PK_INLINE,  /* .sub's fields in this same object, all there when the member .name is */
    PK_LIST,    /* a list of .min .. .max entries of .elem, .size bytes apart, count at .count */
    PK_HOOK,    /* an odd one: .hook decodes and encodes it */
} proto_kind_t;

/* What a list holds. */
typedef enum proto_elem {
    PE_OBJECT, /* objects of .sub's fields */
    PE_NAME,   /* usernames: char[PROTO_USERNAME_SIZE] */
    PE_INT,    /* ints in [.elem_min, .elem_max] */
} proto_elem_t;

/* How a PK_INT is stored in the message struct. */
typedef enum proto_store {
    PS_I8,
    PS_U16,
    PS_I32, /* int and int32_t */
    PS_U32,
    PS_I64,
    PS_U64,
} proto_store_t;

/* When an optional field is written (a required one always is). */
typedef enum proto_when {
    PW_ALWAYS,  /* always, absent on decoding means the default */
    PW_NONZERO, /* when not 0, "" or false */
    PW_FLAG,    /* when the bool at .flag is set; decoding sets it when the member is present */
    PW_HOOK,    /* when .when(base) says so */
} proto_when_t;

typedef struct proto_field proto_field_t;

/* A table of fields: one message, one nested object, or one list entry. */
typedef struct proto_schema {
    const proto_field_t *fields;
    int n;
} proto_schema_t;

#define PROTO_SCHEMA_MAX 16 /* fields in one table: the decoder's member slots */

/* The decode and encode of a field that fits no kind; base is the struct the table describes. */
typedef struct proto_hook {
    int (*decode)(reader_t *r, const cJSON *obj, const proto_field_t *f, char *base);
    void (*encode)(writer_t *w, const proto_field_t *f, const char *base);
} proto_hook_t;

struct proto_field {
    const char *name; /* the member's name on the wire (first: read_members reads it) */
    /* ",\"name\":", what the encoder writes before the value; room for write_key's copy */
    char key[WRITE_KEY_COPY + 8];
    uint8_t keylen;
    uint8_t kind;              /* proto_kind_t */
    uint8_t store;             /* proto_store_t of a PK_INT */
    uint8_t when;              /* proto_when_t of an optional field */
    bool required;             /* absent: "is missing" */
    unsigned feature;          /* PROTO_FEATURE_* under which the server adds it, 0 = every login */
    size_t off;                /* of the value (a list's first entry) in the described struct */
    size_t size;               /* PK_STR: bytes of the buffer; PK_LIST: bytes between entries */
    size_t max_chars;          /* PK_STR, PE_NAME: code points, PROTO_NO_LIMIT = bytes only */
    int64_t min, max;          /* PK_INT, PK_MILLI: the range; PK_LIST: entries */
    int64_t def;               /* an absent optional PK_INT or PK_BOOL */
    size_t flag;               /* PW_FLAG: offset of its bool */
    size_t count;              /* PK_LIST: offset of its int count */
    uint8_t elem;              /* PK_LIST: proto_elem_t */
    int elem_min, elem_max;    /* PE_INT entries */
    const proto_schema_t *sub; /* PK_OBJECT, PK_INLINE, PE_OBJECT */
    const char *const *names;  /* PK_ENUM, PK_KEYWORD, PK_BITS */
    int nnames;
    const proto_hook_t *hook;          /* PK_HOOK */
    bool (*when_fn)(const char *base); /* PW_HOOK */
};

/* One message: its wire name, direction and fields. */
typedef struct proto_type {
    const char *name;
    proto_dir_t dir;
    /* "{\"type\":\"name\"", what the encoder writes first; room for write_key's copy */
    char head[WRITE_KEY_COPY + 8];
    uint8_t headlen;
    proto_schema_t schema; /* fields of msg_t (offsets from the msg_t) */
    size_t size;           /* bytes of msg_t.u this message uses, zeroed before decoding */
} proto_type_t;

extern const proto_type_t proto_types[MSG_COUNT];

/* "log in" feature names, indexed by bit: PROTO_FEATURE_PARTY is 1u << 0, and so on. */
extern const char *const proto_feature_names[PROTO_FEATURE_COUNT];

#endif
