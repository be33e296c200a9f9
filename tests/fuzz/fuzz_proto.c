/* fuzz_proto.c -- libFuzzer target: random bytes through linebuf, then proto_decode both ways,
 * then proto_encode of whatever decoded, which must decode again to the same message; a line
 * "stop" stops both readers */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"
#include "proto.h"

#define FUZZ_ENCODE_CAP (1 << 20) /* matches PROTO_ENCODE_MAX of this build */

typedef struct lines_seen {
    int count;
    uint64_t hash; /* FNV-1a over every line and its length */
} lines_seen_t;

static msg_t decoded, again;
static char encoded[FUZZ_ENCODE_CAP];

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static void check_line(const char *line, size_t len, proto_dir_t dir)
{
    char err[256];
    memset(&decoded, 0, sizeof decoded);
    int rc = proto_decode(line, len, dir, &decoded, err, sizeof err);
    if (rc != PROTO_OK) {
        if (rc > 0 || rc < PROTO_ERR_TOO_LONG || err[0] == '\0')
            abort(); /* every failure has its code and a message */
        return;
    }
    int n = proto_encode(&decoded, encoded, sizeof encoded);
    if (n <= 0) {
        fprintf(stderr, "decoded %s but could not encode it\n", proto_type_name(decoded.type));
        abort();
    }
    if (n > PROTO_MAX_LINE)
        return; /* longer than a line once re-encoded (escapes, default fields): fine */
    memset(&again, 0, sizeof again);
    rc = proto_decode(encoded, (size_t)n - 1, dir, &again, err, sizeof err);
    if (rc != PROTO_OK) {
        fprintf(stderr, "re-encoded line does not decode: %s\n%.*s", err, n, encoded);
        abort();
    }
    if (memcmp(&decoded, &again, sizeof decoded) != 0) {
        fprintf(stderr, "round trip changed the message:\n%.*s", n, encoded);
        abort();
    }
}

/* A line "stop" makes both readers stop there (LINEBUF_STOPPED), as a closing connection does. */
static int stop_here(const char *line, size_t len)
{
    return len == 4 && memcmp(line, "stop", 4) == 0;
}

static int on_line_decode(void *ud, char *line, size_t len)
{
    lines_seen_t *seen = ud;
    if (len >= PROTO_MAX_LINE || line[len] != '\0')
        abort();
    seen->count++;
    seen->hash = fnv(fnv(seen->hash, &len, sizeof len), line, len);
    check_line(line, len, PROTO_TO_SERVER);
    check_line(line, len, PROTO_TO_CLIENT);
    return stop_here(line, len);
}

static int on_line_count(void *ud, char *line, size_t len)
{
    lines_seen_t *seen = ud;
    seen->count++;
    seen->hash = fnv(fnv(seen->hash, &len, sizeof len), line, len);
    return stop_here(line, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;

    /* Once as a single chunk, decoding each line. */
    linebuf_t lb;
    lines_seen_t whole = {0, 14695981039346656037ull};
    memcpy(copy, data, size);
    linebuf_init(&lb, PROTO_MAX_LINE);
    int rc_whole = linebuf_feed(&lb, copy, size, on_line_decode, &whole);
    size_t pending_whole = linebuf_pending(&lb);
    linebuf_free(&lb);

    /* Again in chunks of pseudo-random sizes: the same lines must come out. */
    lines_seen_t split = {0, 14695981039346656037ull};
    uint32_t rng = size ? data[0] * 2654435761u + 1 : 1;
    int rc_split = LINEBUF_OK;
    memcpy(copy, data, size);
    linebuf_init(&lb, PROTO_MAX_LINE);
    for (size_t off = 0; off < size && rc_split == LINEBUF_OK;) {
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        size_t n = 1 + rng % 97;
        if (n > size - off)
            n = size - off;
        rc_split = linebuf_feed(&lb, copy + off, n, on_line_count, &split);
        off += n;
        if (lb.cap > PROTO_MAX_LINE || linebuf_pending(&lb) >= PROTO_MAX_LINE)
            abort();
    }
    size_t pending_split = linebuf_pending(&lb);
    linebuf_free(&lb);

    if (rc_whole != rc_split || whole.count != split.count || whole.hash != split.hash ||
        pending_whole != pending_split)
        abort();
    free(copy);
    return 0;
}
