/* bucket.c -- token buckets in thousandths of a token; uses bucket.h only */
#include "bucket.h"

void bucket_start_full(bucket_t *b, int64_t now_ms, int burst)
{
    b->milli = (int64_t)burst * BUCKET_UNIT;
    b->last_ms = now_ms;
}

void bucket_fill(bucket_t *b, int64_t now_ms, int rate, int burst)
{
    int64_t cap = (int64_t)burst * BUCKET_UNIT;
    if (now_ms > b->last_ms) {
        int64_t elapsed = now_ms - b->last_ms;
        /* Clamp before multiplying: a bucket idle for days must not overflow (a rate is at
         * least 1 a second, so cap milliseconds refill any bucket). */
        if (elapsed > cap)
            elapsed = cap;
        b->milli += elapsed * rate;
        if (b->milli > cap)
            b->milli = cap;
    }
    b->last_ms = now_ms;
}

bool bucket_ready(const bucket_t *b)
{
    return b->milli >= BUCKET_UNIT;
}

void bucket_spend(bucket_t *b)
{
    b->milli -= BUCKET_UNIT;
}

bool bucket_take(bucket_t *b, int64_t now_ms, int rate, int burst)
{
    bucket_fill(b, now_ms, rate, burst);
    if (!bucket_ready(b))
        return false;
    bucket_spend(b);
    return true;
}
