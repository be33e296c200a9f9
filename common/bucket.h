/* bucket.h -- a token bucket (a rate with a burst) counted in thousandths of a token and refilled
 * by elapsed milliseconds, for the server's message and chat limits and its LAN answers; depends
 * on libc only */
#ifndef NINE43_BUCKET_H
#define NINE43_BUCKET_H

#include <stdbool.h>
#include <stdint.h>

/* Thousandths of a token make one: refilling by elapsed milliseconds times a rate per second
 * then stays exact in integers. */
#define BUCKET_UNIT 1000

typedef struct bucket {
    int64_t milli;   /* thousandths of a token available */
    int64_t last_ms; /* when it was last refilled */
} bucket_t;

/* A full bucket (burst tokens) whose clock starts at now_ms. */
void bucket_start_full(bucket_t *b, int64_t now_ms, int burst);
/* Adds rate tokens per second elapsed since the last refill, up to burst. A clock that went
 * back adds nothing. */
void bucket_fill(bucket_t *b, int64_t now_ms, int rate, int burst);
/* At least one whole token is there. */
bool bucket_ready(const bucket_t *b);
/* Spends one token; the caller checked bucket_ready. */
void bucket_spend(bucket_t *b);
/* Refills, then spends one token if there is one: false when the bucket is empty. */
bool bucket_take(bucket_t *b, int64_t now_ms, int rate, int burst);

#endif
