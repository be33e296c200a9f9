/* fuzz_replay.c -- libFuzzer target: random bytes as a replay file through replay_parse, and
 * whatever parses re-simulated to its end with replay_verify; a refusal must say why, and a
 * file cut by a byte must never parse; uses common/replay */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

static replay_t parsed, again;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256] = "";
    if (replay_parse(&parsed, data, size, err, sizeof err) != 0) {
        if (err[0] == '\0')
            abort(); /* every refusal says why */
        return 0;
    }
    replay_verdict_t v;
    replay_verify(&parsed, &v);
    if (v.same != (v.first_diff == 0) || v.first_diff > parsed.ticks)
        abort();
    /* A whole file has no spare byte at its end: one byte less is always refused. */
    if (replay_parse(&again, data, size - 1, err, sizeof err) == 0)
        abort();
    replay_free(&parsed);
    return 0;
}
