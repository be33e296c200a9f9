/* sfx_events.h -- which sounds the game's messages trigger: pure functions from two consecutive
 * "state" snapshots (or a countdown, a dash press, a "fin") to sounds with a volume and a pan;
 * SDL-free, depends on common/proto.h and sfx.h */
#ifndef NINE43_SFX_EVENTS_H
#define NINE43_SFX_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"
#include "sfx.h"

/* At most this many events from one call: per player a coin, a steal, a stun and a dash, plus
 * a clock tick and the round's end. */
#define SFX_EVENTS_MAX          (PROTO_MAX_PLAYERS * 4 + 2)
#define SFX_EVENTS_LAST_SECONDS 10 /* each of the round's last seconds ticks */
#define SFX_EVENTS_COUNTDOWN    3  /* 3, 2, 1, then GO */
/* A coin that vanished counts as taken by the nearest player within pickup reach plus this
 * (milli-tiles): a player moves up to a dash step (3 x 133) between two snapshots. */
#define SFX_EVENTS_COIN_SLACK (SIM_SPEED * SIM_DASH_FACTOR)
/* Volumes (0..1): what you do and what happens to you is loudest; the same event for another
 * player is softer, so your own stay readable in an eight-player scramble. */
#define SFX_EVENTS_VOL_YOURS       1.0f
#define SFX_EVENTS_VOL_COIN_OTHER  0.4f
#define SFX_EVENTS_VOL_DASH_OTHER  0.3f
#define SFX_EVENTS_VOL_STEAL_OTHER 0.45f
#define SFX_EVENTS_VOL_STUN_OTHER  0.45f
#define SFX_EVENTS_VOL_TICK_FIRST  0.6f /* the clock at 10 s left, rising to 1.0 at 1 s */
#define SFX_EVENTS_VOL_UI          0.7f /* menus and chat lines (played by the scenes) */
#define SFX_EVENTS_VOL_NOT_READY   0.6f /* a player mashing Space hears it often: soft */
/* Pan by the map: its left edge is -SFX_EVENTS_PAN_WIDTH, its right edge +: never a hard
 * left or right, which sounds like one ear is broken. */
#define SFX_EVENTS_PAN_WIDTH 0.8f

typedef struct sfx_event {
    sfx_sound_t sound;
    float volume; /* 0..1 */
    float pan;    /* -1 left .. 1 right */
} sfx_event_t;

/* The pan of x (milli-tiles) on a map world_width tiles wide (0 at the centre; 0 for a bad
 * width). */
float sfx_events_pan(int32_t x, int world_width);

/* The sounds between two consecutive snapshots, heard by the player named you (another name,
 * or NULL, hears every event as someone else's). Players are matched by name, so a player who
 * left or joined is skipped. prev NULL (the round's first snapshot) gives nothing. Writes at
 * most cap events (SFX_EVENTS_MAX is always enough) and returns how many:
 *  - coins: a player's score went up and a coin vanished near it: SFX_COIN_YOU for you,
 *    SFX_COIN_OTHER (softer) for others, one event per player however many coins;
 *  - steals: a dashing player gained while another lost: SFX_STEAL_THIEF when you stole,
 *    SFX_STEAL_ROBBED when you were robbed, SFX_STEAL_THIEF softer at the thief for a steal
 *    between others;
 *  - SFX_STUN: a stun started without a point lost (a hit on a player with 0 points);
 *  - SFX_DASH: a dash started;
 *  - SFX_LAST_TICK: time_left_ms reached 10000, 9000, ... 1000 (once per call, however many it
 *    passed, with the volume rising towards the end);
 *  - SFX_ROUND_END: time_left_ms reached 0. */
int sfx_events_diff(const msg_state_t *prev, const msg_state_t *cur, const char *you,
                    int world_width, sfx_event_t *out, int cap);

/* The countdown before a round: ms until the round starts was prev_ms on the previous frame
 * and is now_ms now (pass INT32_MAX as prev_ms on the first frame). SFX_COUNTDOWN_TICK when it
 * reaches 3000, 2000 or 1000, SFX_COUNTDOWN_GO when it reaches 0; one event at most (the
 * latest, after a long frame). Returns the events written (0 or 1). */
int sfx_events_countdown(int32_t prev_ms, int32_t now_ms, sfx_event_t *out, int cap);

/* True when a new press of dash is lost by the rules (sim.c), judged on your predicted player
 * before the tick that applies the press: still dashing, stunned, or more than one tick of
 * cooldown left (the step counts the cooldown down before it looks). */
bool sfx_events_dash_refused(const sim_player_t *self);

/* SFX_NOT_READY for a new dash press that sfx_events_dash_refused refuses. Returns 0 or 1. */
int sfx_events_dash_press(const sim_player_t *self, sfx_event_t *out, int cap);

/* The jingle for the results: SFX_WIN when you rank first (a shared first place too),
 * SFX_LOSE otherwise; nothing when you are not in the list. Returns 0 or 1. */
int sfx_events_finish(const msg_fin_t *fin, const char *you, sfx_event_t *out, int cap);

#endif
