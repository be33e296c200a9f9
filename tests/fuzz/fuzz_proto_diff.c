/* fuzz_proto_diff.c -- libFuzzer target: the codec of another git revision (old_proto_decode,
 * old_proto_encode: scripts/fuzz-diff.sh builds and renames it) against this tree's. Every line
 * of the input, both ways: the same return code, error text, message type and decoded struct;
 * for what decodes, the same encoded bytes, also after a few bytes of the message are changed
 * (so the encoders' refusals are compared too) and with a buffer one byte short */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "proto_schema.h"

#define DIFF_ENCODE_CAP (1 << 20) /* matches PROTO_ENCODE_MAX of both builds */
#define DIFF_CHANGES    8         /* changed copies encoded per decoded message */

int old_proto_decode(const char *line, size_t len, proto_dir_t dir, msg_t *out, char *err,
                     size_t errlen);
int old_proto_encode(const msg_t *m, char *buf, size_t cap);

static msg_t old_msg, new_msg, changed;
static char old_buf[DIFF_ENCODE_CAP], new_buf[DIFF_ENCODE_CAP];

static void diff_fail(const char *what, const char *line, size_t len)
{
    fprintf(stderr, "old and new differ: %s\nline: %.*s\n", what, (int)len, line);
    abort();
}

static void diff_encode(const msg_t *m, size_t cap, const char *line, size_t len)
{
    int a = old_proto_encode(m, old_buf, cap);
    int b = proto_encode(m, new_buf, cap);
    if (a != b) {
        fprintf(stderr, "encode: old %d, new %d\n", a, b);
        diff_fail("encoded length", line, len);
    }
    if (a > 0 && memcmp(old_buf, new_buf, (size_t)a) != 0) {
        fprintf(stderr, "old: %.*snew: %.*s", a, old_buf, b, new_buf);
        diff_fail("encoded bytes", line, len);
    }
}

/* A bool holding anything but 0 or 1 is undefined behaviour, which the two builds may read
 * differently: after a byte is changed, the bools the tables name are made 0 or 1 again. */
static void diff_bools(const proto_schema_t *s, unsigned char *base)
{
    for (int i = 0; i < s->n; i++) {
        const proto_field_t *f = &s->fields[i];
        if (f->when == PW_FLAG)
            base[f->flag] = base[f->flag] != 0;
        if (f->kind == PK_BOOL || f->kind == PK_KEYWORD)
            base[f->off] = base[f->off] != 0;
        else if (f->kind == PK_OBJECT)
            diff_bools(f->sub, base + f->off);
        else if (f->kind == PK_INLINE)
            diff_bools(f->sub, base);
        else if (f->kind == PK_LIST && f->elem == PE_OBJECT)
            for (int k = 0; k < f->max; k++)
                diff_bools(f->sub, base + f->off + (size_t)k * f->size);
    }
}

/* Copies of the message with one byte of its member of msg_t.u changed, chosen from seed. */
static void diff_changed(const msg_t *m, uint64_t seed, const char *line, size_t len)
{
    size_t size = proto_types[m->type].size;
    if (size == 0)
        return;
    for (int k = 0; k < DIFF_CHANGES; k++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        memcpy(&changed, m, sizeof changed);
        unsigned char *u = (unsigned char *)&changed.u;
        size_t at = (size_t)(seed >> 33) % size;
        u[at] = (unsigned char)(seed >> 20);
        diff_bools(&proto_types[m->type].schema, (unsigned char *)&changed);
        diff_encode(&changed, sizeof old_buf, line, len);
    }
}

static void diff_line(const char *line, size_t len, proto_dir_t dir, uint64_t seed)
{
    char old_err[256], new_err[256];
    memset(&old_msg, 0, sizeof old_msg);
    memset(&new_msg, 0, sizeof new_msg);
    int a = old_proto_decode(line, len, dir, &old_msg, old_err, sizeof old_err);
    int b = proto_decode(line, len, dir, &new_msg, new_err, sizeof new_err);
    if (a != b || strcmp(old_err, new_err) != 0 || old_msg.type != new_msg.type) {
        fprintf(stderr, "decode: old %d \"%s\" (type %d), new %d \"%s\" (type %d)\n", a, old_err,
                old_msg.type, b, new_err, new_msg.type);
        diff_fail("decoding", line, len);
    }
    if (a != PROTO_OK)
        return;
    if (memcmp(&old_msg, &new_msg, sizeof old_msg) != 0)
        diff_fail("decoded message", line, len);
    diff_encode(&old_msg, sizeof old_buf, line, len);
    int n = proto_encode(&old_msg, new_buf, sizeof new_buf);
    if (n > 1)
        diff_encode(&old_msg, (size_t)n - 1, line, len); /* one byte short: both refuse */
    diff_changed(&old_msg, seed, line, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    uint64_t seed = 14695981039346656037ull;
    for (size_t i = 0; i < size; i++)
        seed = (seed ^ data[i]) * 1099511628211ull;
    size_t start = 0;
    while (start <= size) {
        const char *nl = memchr(copy + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - copy) : size;
        diff_line(copy + start, end - start, PROTO_TO_SERVER, seed);
        diff_line(copy + start, end - start, PROTO_TO_CLIENT, seed + 1);
        start = end + 1;
    }
    free(copy);
    return 0;
}
