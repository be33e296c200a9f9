/* world.h -- tile maps: parse and validate world files and the tiles sent in "game start" */
#ifndef NINE43_WORLD_H
#define NINE43_WORLD_H

#include <stdbool.h>
#include <stddef.h>

/* Tiles: '#' wall, '.' floor, 'S' spawn point (floor), 'c' coin spot (floor). */
#define WORLD_WALL  '#'
#define WORLD_FLOOR '.'
#define WORLD_SPAWN 'S'
#define WORLD_COIN  'c'

#define WORLD_MIN_SIZE        8  /* tiles each way, inclusive */
#define WORLD_MAX_SIZE        64 /* tiles each way, inclusive */
#define WORLD_MIN_SPAWNS      2
#define WORLD_MAX_SPAWNS      64
#define WORLD_MIN_COINS       1
#define WORLD_MAX_COINS       64           /* coin spots per world */
#define WORLD_MAX_NAME        32           /* bytes of UTF-8, without the NUL */
#define WORLD_MAX_DESCRIPTION 128          /* bytes of UTF-8, without the NUL */
#define WORLD_MIN_DURATION    5            /* seconds */
#define WORLD_MAX_DURATION    3600         /* seconds */
#define WORLD_MAX_FILE        (256 * 1024) /* bytes; a larger world file is refused */
#define WORLD_MAX_FILES       16 /* worlds loaded from a folder; more are skipped with a warning */

typedef struct world_point {
    int x, y; /* tile column and row */
} world_point_t;

typedef struct world {
    char name[WORLD_MAX_NAME + 1];
    char description[WORLD_MAX_DESCRIPTION + 1];
    int duration; /* seconds */
    int width, height;
    char tiles[WORLD_MAX_SIZE][WORLD_MAX_SIZE + 1]; /* rows, each NUL-terminated */
    int nspawns;
    world_point_t spawns[WORLD_MAX_SPAWNS]; /* in reading order: row by row, left to right */
    int ncoins;
    world_point_t coins[WORLD_MAX_COINS]; /* in reading order */
} world_t;

/* Builds and validates a world from its rows. On error returns -1 and writes a message that
 * names the row and column where they apply ("row 3, column 7: unknown tile 'x'"); the
 * caller prefixes the file name. */
int world_from_rows(world_t *w, const char *name, const char *description, int duration,
                    const char *const *rows, int nrows, char *err, size_t errlen);

/* Parses a world file's JSON text ({"name", "description", "duration", "tiles"}). Errors
 * are as above, without the file name. */
int world_parse(world_t *w, const char *json, size_t len, char *err, size_t errlen);

/* Reads and parses one file; errors start with the file's path:
 * "assets/worlds/bad.json: row 2, column 5: unknown tile 'x'". */
int world_load_file(world_t *w, const char *path, char *err, size_t errlen);

/* Loads every *.json in dir, sorted by file name, into worlds[0..max). Bad files are
 * skipped; for each, warn(ud, message) is called (if warn is not NULL). Returns how many
 * loaded, or -1 when dir cannot be read (message through warn). */
typedef void (*world_warn_fn)(void *ud, const char *message);
int world_load_dir(world_t *worlds, int max, const char *dir, world_warn_fn warn, void *ud);

/* True for a wall tile, and for anything outside the map. */
bool world_is_wall(const world_t *w, int x, int y);

#endif
