/* replays.h -- the replays this client keeps: the "replay" parts a server sends put back together
 * and checked, each file written atomically to the replay folder beside settings.json, the
 * oldest past CLIENT_REPLAYS_KEPT deleted, and the folder listed for the Replays screen; no SDL,
 * on common/replay and proto.h */
#ifndef NINE43_REPLAYS_H
#define NINE43_REPLAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "replay.h"

/* Replays kept in the folder: past it, the oldest (by name: the round's start) is deleted after
 * each new one. Files in the folder that are not ours are never touched. */
#define CLIENT_REPLAYS_KEPT   30
#define CLIENT_REPLAYS_DIR    "replays" /* beside settings.json, in SDL's preference folder */
#define CLIENT_REPLAY_PREFIX  REPLAY_FILE_PREFIX
#define CLIENT_REPLAY_SUFFIX  REPLAY_FILE_SUFFIX
#define CLIENT_REPLAYS_LISTED 64 /* files the Replays screen lists at most (newest first) */
#define CLIENT_REPLAY_PATH    512

/* One "replay" message after another, until a whole file is there. */
typedef struct replays_rx {
    uint8_t *buf; /* the file so far, `bytes` long once whole; NULL between files */
    int32_t bytes;
    int parts, next; /* parts announced; the part expected next (1-based) */
    size_t len;      /* bytes decoded so far */
} replays_rx_t;

/* Takes one part. Returns 1 when the file is whole (*data, *len: owned by rx until the next
 * call or replays_rx_free), 0 while parts are missing, -1 on a bad part (err says why; the file
 * so far is dropped, and a part 1 starts a new one). */
int replays_rx_part(replays_rx_t *rx, const msg_replay_t *m, const uint8_t **data, size_t *len,
                    char *err, size_t errlen);
void replays_rx_free(replays_rx_t *rx);

/* The folder beside a settings file ("/x/settings.json" -> "/x/replays"); "" when the settings
 * are not saved (tests, --autoplay without NINE43_SETTINGS). */
void replays_dir_for(const char *settings_path, char *out, size_t cap);

/* Checks a file (replay_parse), writes it to dir as round-<start>-<hash>.n43replay through a
 * temporary file renamed into place (the folder is made if missing), then deletes the oldest
 * past CLIENT_REPLAYS_KEPT. Returns 0 with the path in path_out, or -1 (err). */
int replays_save(const char *dir, const uint8_t *data, size_t len, char *path_out, size_t cap,
                 char *err, size_t errlen);

/* One row of the Replays screen. */
typedef struct replays_entry {
    char path[CLIENT_REPLAY_PATH];
    bool ok;         /* readable; otherwise error says why */
    char error[200]; /* e.g. "made under other rules" */
    int64_t started; /* Unix seconds */
    char world[WORLD_MAX_NAME + 1];
    int nplayers;
    char players[160]; /* "ann, bob, cy" (cut short) */
    char winner[REPLAY_MAX_NAME + 1];
    int32_t winner_score;
    uint32_t seconds; /* the round's length */
} replays_entry_t;

/* Lists dir's replay files, newest first, at most max. Returns how many (0 for a missing
 * folder). */
int replays_list(const char *dir, replays_entry_t *out, int max);
/* Fills e from a parsed replay (the Replays row, the playback's title). */
void replays_describe(const replay_t *r, replays_entry_t *e);

#endif
