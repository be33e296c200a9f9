/* proto.h -- nine43 wire protocol v1: the message table, typed messages, decode and encode */
#ifndef NINE43_PROTO_H
#define NINE43_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "palette.h"
#include "sim.h"
#include "world.h"

/* Limits; docs/PROTOCOL.md lists each of them. */
#define PROTO_VERSION          1
#define PROTO_MAX_LINE         16384 /* bytes per line, counting the '\n' (and a '\r' before it) */
#define PROTO_MAX_USERNAME     16    /* code points */
#define PROTO_USERNAME_SIZE    (PROTO_MAX_USERNAME * 4 + 1)
#define PROTO_MAX_CHAT         200 /* code points of chat text */
#define PROTO_CHAT_SIZE        (PROTO_MAX_CHAT * 4 + 1)
#define PROTO_MAX_TEXT         200 /* code points of an error, refusal or lobby message */
#define PROTO_TEXT_SIZE        (PROTO_MAX_TEXT * 4 + 1)
#define PROTO_MAX_PLAYERS      SIM_MAX_PLAYERS /* players in a lobby list, a game, a result list */
#define PROTO_MIN_GROUP        2
#define PROTO_MAX_GROUP        SIM_MAX_PLAYERS
#define PROTO_MAX_WORLDS       WORLD_MAX_FILES /* worlds offered in one vote */
#define PROTO_MAX_COINS        WORLD_MAX_COINS
#define PROTO_MAX_TOKEN        64          /* bytes of a discovery token or server id */
#define PROTO_MAX_SERVER_NAME  64          /* bytes of a server's name in discovery answers */
#define PROTO_MAX_SEQ          4294967295u /* input seq is an unsigned 32-bit integer */
#define PROTO_MAX_TIMEOUT      3600        /* seconds, vote countdown */
#define PROTO_MAX_DURATION     86400       /* seconds: "game start" duration, "state" time_left */
#define PROTO_MAX_TICK_RATE    1000        /* "game start" tick_rate */
#define PROTO_MAX_SAFE_INTEGER 9007199254740991ull /* 2^53-1: seed, uptime survive JSON numbers */
#define PROTO_MAX_EVENING      16                  /* rows of the evening's board ("evening") */
#define PROTO_MAX_ROUNDS       1000000 /* rounds played or won counted on the evening's board */
#define PROTO_MAX_FEATURES     8       /* entries of "log in" features */
#define PROTO_MAX_FEATURE      32      /* bytes of one feature name */
#define PROTO_MAX_COUNTDOWN_MS 60000   /* "game start" countdown_ms */
#define PROTO_MAX_CONTINUE_MS                                                                      \
    3600000 /* "fin" continue_ms: the longest end screen (--end-timeout) */
/* Bytes of a UDP "discover" datagram at least: padded with spaces after the object, so that no
 * answer ("server": 340 bytes at most for a hex token) is larger than the probe that asked. */
#define PROTO_DISCOVER_MIN_SIZE 512
#define PROTO_MAX_LOBBY_GROUPS  12        /* running groups listed in one "lobby update" */
#define PROTO_MAX_GROUP_ID      INT32_MAX /* "watch" group, a group's "id" */
#define PROTO_MAX_WATCHERS      1000 /* "watchers" count, a group's "watching" (any server cap) */
#define PROTO_MAX_WAIT          3600 /* seconds: "lobby update" wait */
#define PROTO_DISCOVERY_PORT    9999 /* UDP: every server also answers here, shared (SO_REUSEADDR) */
/* "replay": a round's replay file in base64, cut into parts of one line each. A part carries
 * PROTO_REPLAY_CHUNK characters at most (a multiple of 4, so each part decodes alone: 9 KiB of
 * the file; the line stays well under PROTO_MAX_LINE); a file is PROTO_MAX_REPLAY_BYTES at most,
 * so PROTO_MAX_REPLAY_PARTS parts. A 90 s round of 4 players is about 11 KB: 2 parts. */
#define PROTO_REPLAY_CHUNK      12288 /* characters of base64 in one part */
#define PROTO_MAX_REPLAY_BYTES  (512 * 1024)
#define PROTO_REPLAY_PART_BYTES (PROTO_REPLAY_CHUNK / 4 * 3) /* file bytes in one full part */
#define PROTO_MAX_REPLAY_PARTS                                                                     \
    ((PROTO_MAX_REPLAY_BYTES + PROTO_REPLAY_PART_BYTES - 1) / PROTO_REPLAY_PART_BYTES)

/* The "log in" features a client may name, one bit each: the server sends an optional addition
 * only to a login that named it. A name this side does not know is ignored, so a newer client
 * still logs in. A new feature takes the next bit and a name in proto_feature_names
 * (proto_schema.c). */
typedef enum proto_feature {
    PROTO_FEATURE_PARTY = 1u << 0, /* "party": the lobby's server view, start, kick, bye, closing */
    PROTO_FEATURE_SOCIAL = 1u << 1,    /* "social": notices, the evening's board, group, colours */
    PROTO_FEATURE_COUNTDOWN = 1u << 2, /* "countdown": "game start" carries countdown_ms */
    PROTO_FEATURE_WATCH = 1u << 3,     /* "watch": watch a running group from the lobby (watch.c) */
    PROTO_FEATURE_REPLAY = 1u << 4,    /* "replay": the round's replay ("replay") after it */
} proto_feature_t;
#define PROTO_FEATURE_COUNT 5 /* names in proto_feature_names (proto_schema.c), indexed by bit */

/* Who sends a message. The same "type" name may mean different messages each way
 * ("log in", "vote", "chat", "status"), so decoding takes the direction. */
typedef enum proto_dir {
    PROTO_TO_SERVER = 1, /* client -> server */
    PROTO_TO_CLIENT = 2, /* server -> client */
    PROTO_EITHER = 3,    /* ping, pong, error: the table's direction for messages sent both ways */
} proto_dir_t;

/* Every message, one entry per (type name, direction). The table in proto_schema.c maps each
 * to its name, direction and fields, which proto_decode and proto_encode walk. */
typedef enum msg_type {
    MSG_NONE = 0,
    MSG_LOGIN_PROMPT, /* S->C "log in": exactly {"type":"log in"} */
    MSG_LOGIN,        /* C->S "log in": username, version */
    MSG_LOGIN_UPDATE, /* S->C "log in update": accepted or refused with a message */
    MSG_LOBBY,        /* S->C "lobby": message ("welcome") */
    MSG_LOBBY_UPDATE, /* S->C "lobby update": players, group_size */
    MSG_SELECT_WORLD, /* S->C "select world": worlds, timeout */
    MSG_VOTE,         /* C->S "vote": index */
    MSG_VOTE_REPLY,   /* S->C "vote": input "considered" | "ignored" */
    MSG_VOTES,        /* S->C "votes": counts */
    MSG_GAME_START,   /* S->C "game start" */
    MSG_INPUT,        /* C->S "input" */
    MSG_STATE,        /* S->C "state" */
    MSG_FINISH,       /* S->C "fin" (MSG_FIN would clash with <sys/socket.h>) */
    MSG_CONTINUE,     /* C->S "continue" */
    MSG_CHAT_SEND,    /* C->S "chat": text */
    MSG_CHAT,         /* S->C "chat": from, text */
    MSG_PING,         /* either way */
    MSG_PONG,         /* either way */
    MSG_QUIT,         /* C->S */
    MSG_ERROR,        /* S->C (a client may send one too; the server ignores it) */
    MSG_STATUS_QUERY, /* C->S "status" before login */
    MSG_STATUS,       /* S->C "status" reply */
    MSG_DISCOVER,     /* UDP C->S "discover": version, token */
    MSG_SERVER_INFO,  /* UDP S->C "server": the discovery answer */
    MSG_NOTICE,       /* S->C "notice": a system line for the chat log (joined, left, results,
                         kicked, ...); social or party logins only */
    MSG_EVENING,      /* S->C "evening": the evening's board, social logins only */
    MSG_GROUP,        /* S->C "group": the group's players, who voted, who left; social only */
    MSG_START,        /* C->S "start": Start now (ready), or take it back */
    MSG_KICK,         /* C->S "kick": username, reason (the host only) */
    MSG_CLOSING,      /* S->C "closing": the server closes after this round (a banner) */
    MSG_BYE,          /* S->C "bye": why the server is about to close this connection */
    MSG_WATCH,        /* C->S "watch": group (watch feature) */
    MSG_WATCH_REPLY,  /* S->C "watch": group, accepted or refused with a message */
    MSG_UNWATCH,      /* C->S "unwatch": back to the lobby (Esc) */
    MSG_WATCH_END,    /* S->C "watch end": watching is over before "fin" (message says why) */
    MSG_WATCHERS,     /* S->C "watchers": how many watch the player's group */
    MSG_REPLAY,       /* S->C "replay": one part of the round's replay file; replay logins only */
    MSG_STOP,         /* C->S "stop": admin; before login, the host stops the server gently */
    MSG_COUNT
} msg_type_t;

/* Decoding results: 0 is success; each failure has its own code and a readable message. */
typedef enum proto_err {
    PROTO_OK = 0,
    PROTO_ERR_UTF8 = -1,         /* the line is not valid UTF-8 (or holds a NUL byte) */
    PROTO_ERR_JSON = -2,         /* not JSON */
    PROTO_ERR_NOT_OBJECT = -3,   /* JSON, but not an object */
    PROTO_ERR_NO_TYPE = -4,      /* no "type", or "type" is not a string */
    PROTO_ERR_UNKNOWN_TYPE = -5, /* a type this side does not receive */
    PROTO_ERR_FIELD = -6,        /* a required field is missing or has the wrong JSON type */
    PROTO_ERR_RANGE = -7,        /* a number out of range, a string or list too long */
    PROTO_ERR_TOO_LONG = -8,     /* the line (or an encoded message) exceeds PROTO_MAX_LINE */
} proto_err_t;

typedef struct proto_world_info {
    char name[WORLD_MAX_NAME + 1];
    char description[WORLD_MAX_DESCRIPTION + 1];
    /* Optional preview (absent: width == 0). The server leaves previews out when they would
     * not fit in one line. */
    int width, height;
    char tiles[WORLD_MAX_SIZE][WORLD_MAX_SIZE + 1];
} proto_world_info_t;

typedef struct proto_player_state {
    char username[PROTO_USERNAME_SIZE];
    int32_t x, y; /* milli-tiles (the wire carries tiles with three decimals) */
    int32_t score;
    bool dash, stun;
    uint32_t ack;
    /* Timers, so a client can replay its own inputs from this snapshot exactly. */
    uint16_t dash_ticks, cooldown_ticks, stun_ticks;
} proto_player_state_t;

typedef struct proto_result {
    char username[PROTO_USERNAME_SIZE];
    int32_t score;
    int rank;
} proto_result_t;

/* One name's evening: rounds played and won, points, since the name first finished a round. */
typedef struct proto_evening_row {
    char username[PROTO_USERNAME_SIZE];
    int played, won;
    int32_t points;
} proto_evening_row_t;

typedef struct msg_evening {
    int nrows;
    proto_evening_row_t rows[PROTO_MAX_EVENING]; /* most wins first, then most points */
} msg_evening_t;

/* The players of one group, in the group's order: during its vote, and on its end screen (who
 * is still on the server). */
typedef struct msg_group {
    int nplayers;
    struct {
        char username[PROTO_USERNAME_SIZE];
        bool voted; /* has a counted vote (for which world stays secret until the vote closes) */
        bool left;  /* left the group (the vote), left the server (the end screen) */
    } players[PROTO_MAX_PLAYERS];
} msg_group_t;

typedef struct msg_stop {
    char admin[PROTO_MAX_TOKEN + 1];    /* the host's secret */
    char if_alone[PROTO_USERNAME_SIZE]; /* stop only if no one but this player is on; "" = absent */
} msg_stop_t;

typedef struct msg_login {
    char username[PROTO_USERNAME_SIZE]; /* as sent, validated only as a string of bounded length */
    int version;                        /* absent = 1 */
    unsigned features;                  /* PROTO_FEATURE_* named in "features"; 0 = absent */
    char admin[PROTO_MAX_TOKEN + 1];    /* the host's secret ("" = absent) */
    bool has_color;                     /* "color" was sent: the player's chosen colour */
    int color;                          /* an index of PALETTE, 0 .. PALETTE_COUNT - 1 */
    bool resume_sent;                   /* "resume" present: the client can resume after a drop */
    char resume[PROTO_MAX_TOKEN + 1];   /* a token from an earlier login, or "" (first login) */
} msg_login_t;

typedef struct msg_login_update {
    bool accepted;
    char message[PROTO_TEXT_SIZE];    /* the refusal's reason ("" when accepted) */
    int version;                      /* the server's protocol version (0 = absent) */
    char resume[PROTO_MAX_TOKEN + 1]; /* the secret that resumes this player ("" = absent) */
} msg_login_update_t;

/* A running group as the lobby sees it ("lobby update" groups). */
typedef enum proto_phase {
    PROTO_PHASE_VOTE = 0,
    PROTO_PHASE_GAME,
    PROTO_PHASE_END,
} proto_phase_t;

typedef struct proto_group_info {
    int nplayers;
    char players[PROTO_MAX_PLAYERS][PROTO_USERNAME_SIZE];
    proto_phase_t phase;
    char world[WORLD_MAX_NAME + 1]; /* "" while voting */
    int32_t time_left_ms;           /* of the vote, the round or the end screen */
    int32_t id;                     /* the group's number, for "watch" (watch feature); 0 = none */
    int32_t watching;               /* how many watch it (watch feature) */
} proto_group_info_t;

typedef struct msg_lobby_update {
    int nplayers;
    char players[PROTO_MAX_PLAYERS][PROTO_USERNAME_SIZE];
    int group_size;
    /* The server view, for clients that logged in with the "party" feature: encoded only when
     * party is set; decoded party = "games" was present. */
    bool party;
    char host[PROTO_USERNAME_SIZE]; /* the host's name when logged in, "" = absent */
    int nready;                     /* lobby players who pressed Start now */
    char ready[PROTO_MAX_PLAYERS][PROTO_USERNAME_SIZE];
    bool has_wait;   /* a countdown runs: */
    int32_t wait_ms; /* until the round starts with those present */
    int games;       /* running groups in all (groups lists the first PROTO_MAX_LOBBY_GROUPS) */
    int ngroups;
    proto_group_info_t groups[PROTO_MAX_LOBBY_GROUPS];
} msg_lobby_update_t;

typedef struct msg_select_world {
    int nworlds;
    proto_world_info_t worlds[PROTO_MAX_WORLDS];
    int timeout; /* seconds until the vote closes */
} msg_select_world_t;

typedef struct msg_votes {
    int ncounts;
    int counts[PROTO_MAX_WORLDS];
} msg_votes_t;

typedef struct msg_game_start {
    proto_world_info_t world; /* width, height and tiles always present */
    int nplayers;
    struct {
        char username[PROTO_USERNAME_SIZE];
        uint8_t color[3];
    } players[PROTO_MAX_PLAYERS]; /* in the simulation's player order */
    char you[PROTO_USERNAME_SIZE];
    int tick_rate;
    int duration;     /* seconds */
    uint64_t seed;    /* 0 .. 2^53-1, so that it survives JSON numbers */
    int countdown_ms; /* ms from this message to GO, the round's tick 0; 0 = absent: at once */
} msg_game_start_t;

typedef struct msg_state {
    uint32_t tick;
    int32_t time_left_ms; /* the wire carries seconds with three decimals */
    int nplayers;
    proto_player_state_t players[PROTO_MAX_PLAYERS];
    int ncoins;
    world_point_t coins[PROTO_MAX_COINS]; /* tiles of the coins present now */
} msg_state_t;

typedef struct msg_fin {
    char world[WORLD_MAX_NAME + 1];
    int nresults;
    proto_result_t results[PROTO_MAX_PLAYERS];
    int continue_ms; /* until the server sends the player back to the lobby; 0 = not said */
} msg_fin_t;

typedef struct msg_status {
    int version;
    int players, lobby, games, group_size;
    int64_t uptime; /* seconds */
    int away;       /* optional: dropped players whose place is kept; 0 when not said */
} msg_status_t;

typedef struct msg_discover {
    int version;
    char token[PROTO_MAX_TOKEN + 1];
} msg_discover_t;

typedef struct msg_server_info {
    char token[PROTO_MAX_TOKEN + 1];
    char name[PROTO_MAX_SERVER_NAME + 1];
    int port;
    int version;
    char id[PROTO_MAX_TOKEN + 1];
    int players, lobby, group_size, worlds;
} msg_server_info_t;

/* "replay": part `part` (1..parts) of a file of `bytes` bytes; data is its base64 (RFC 4648,
 * with padding only in the last part), decoded and checked by the receiver. */
typedef struct msg_replay {
    int32_t part, parts;
    int32_t bytes;
    char data[PROTO_REPLAY_CHUNK + 1];
} msg_replay_t;

/* One decoded message. It is large (the world previews): keep one per loop, not one per
 * connection, and do not put many on the stack. */
typedef struct msg {
    msg_type_t type;
    union {
        msg_login_t login;
        msg_login_update_t login_update;
        struct {
            char message[PROTO_TEXT_SIZE];
        } lobby;
        msg_lobby_update_t lobby_update;
        msg_select_world_t select_world;
        struct {
            int index;
        } vote;
        struct {
            bool considered;
        } vote_reply;
        msg_votes_t votes;
        msg_game_start_t game_start;
        struct {
            uint32_t seq;
            int8_t dx, dy;
            bool dash;
        } input;
        msg_state_t state;
        msg_fin_t fin;
        struct {
            char text[PROTO_CHAT_SIZE];
        } chat_send;
        struct {
            char from[PROTO_USERNAME_SIZE];
            char text[PROTO_CHAT_SIZE];
        } chat;
        struct {
            char message[PROTO_TEXT_SIZE];
        } error;
        msg_status_t status;
        msg_discover_t discover;
        msg_server_info_t server_info;
        struct {
            char text[PROTO_TEXT_SIZE];
        } notice;
        msg_evening_t evening;
        msg_group_t group;
        struct {
            bool ready;
        } start;
        struct {
            char username[PROTO_USERNAME_SIZE];
            char reason[PROTO_TEXT_SIZE];
        } kick;
        struct {
            char message[PROTO_TEXT_SIZE];
        } closing;
        struct {
            char reason[PROTO_MAX_FEATURE + 1]; /* "kicked", "shutdown", ... */
            char message[PROTO_TEXT_SIZE];
        } bye;
        struct {
            int32_t group;
        } watch;
        struct {
            int32_t group;
            bool accepted;
            char message[PROTO_TEXT_SIZE]; /* why it was refused */
        } watch_reply;
        struct {
            char message[PROTO_TEXT_SIZE];
        } watch_end;
        struct {
            int32_t count;
        } watchers;
        msg_replay_t replay;
        msg_stop_t stop;
    } u;
} msg_t;

/* The type's wire name ("log in update") and direction, from the table. */
const char *proto_type_name(msg_type_t type);
proto_dir_t proto_type_dir(msg_type_t type);

/* Decodes one line (without its newline) sent in direction dir. On failure returns a
 * proto_err_t and writes a readable message to err, e.g.
 *   not JSON: unexpected character at byte 7
 *   "vote": field "index" must be an integer
 *   "input": field "dx" must be -1, 0 or 1
 * Unknown fields are ignored. Nothing is allocated once it returns.
 * When the type was recognised but a field is wrong (PROTO_ERR_FIELD, PROTO_ERR_RANGE),
 * out->type still names it, so that the receiver can answer in kind (a bad "vote" gets
 * {"type":"vote","input":"ignored"}, a bad "log in" a refusal); otherwise out->type is
 * MSG_NONE. Error messages are plain ASCII, so truncating them is safe. */
int proto_decode(const char *line, size_t len, proto_dir_t dir, msg_t *out, char *err,
                 size_t errlen);

/* Encodes m as one line ending in '\n' into buf (cap bytes). Returns the length, or -1 when
 * it does not fit in cap or in PROTO_MAX_LINE. Output is compact JSON with fields in the
 * order PROTO.md shows. Also -1 when m holds what proto_decode would refuse (a count or a
 * number out of range, a string that is not UTF-8 or too long), so a peer never gets a line
 * it must reject. buf is NUL-terminated after the '\n' when there is room for it. */
int proto_encode(const msg_t *m, char *buf, size_t cap);

/* Convenience: zeroes *m and sets its type. */
void proto_init(msg_t *m, msg_type_t type);

/* Username rules of docs/PROTOCOL.md: 1..PROTO_MAX_USERNAME code points of valid UTF-8, no
 * control characters, no leading or trailing space. Returns 0, or -1 with a message fit to
 * show the player ("username is longer than 16 characters"). */
int proto_check_username(const char *name, char *err, size_t errlen);

/* Key under which names are unique: ASCII letters folded to lower case ("Alice" = "alice"). */
void proto_username_key(const char *name, char *key, size_t cap);

/* Fills a state message from a game and the usernames of its players (in player order).
 * Only active players are listed (one who left is not drawn): match them by username. */
void proto_state_from_sim(msg_state_t *st, const sim_game_t *g,
                          const char (*usernames)[PROTO_USERNAME_SIZE]);

/* Copies a snapshot's player (position, score, ack, timers) back into a simulation player,
 * for the client's reconciliation. */
void proto_player_to_sim(const proto_player_state_t *ps, sim_player_t *p);

/* Describes world W on the wire: name, description and the full preview. */
void proto_world_info_from_world(proto_world_info_t *info, const world_t *w);

/* Loads a world received from a server, checked like a world file, so an unplayable map gets a
 * readable error instead of a crash. DURATION out of the world range is replaced by the
 * shortest (the round's clock belongs to the server). Returns 0, or -1 with the reason. */
int proto_world_info_to_world(world_t *w, const proto_world_info_t *info, int duration, char *err,
                              size_t errlen);

#endif
