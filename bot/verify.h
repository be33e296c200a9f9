/* verify.h -- nine43-bot --verify-replay: re-simulates a replay file without a window and says
 * whether it ends as recorded; depends on common/replay */
#ifndef NINE43_VERIFY_H
#define NINE43_VERIFY_H

#include <stdio.h>

#define VERIFY_SAME    0 /* every tick, the final scores and the final state hash match */
#define VERIFY_DIFFERS 1 /* a tick differs: the first one is printed */
#define VERIFY_INVALID 2 /* unreadable, truncated, another format or other rules */

/* Verifies the file at path: the verdict on out, a refusal on err. Returns a VERIFY_* status. */
int verify_replay_file(const char *path, FILE *out, FILE *err);

#endif
