/* verify.c -- nine43-bot --verify-replay: loads a replay (common/replay bounds every count),
 * re-simulates it and prints the verdict; uses verify.h and common/replay */
#include "verify.h"

#include <stdlib.h>

#include "proto.h"
#include "replay.h"

/* Bytes of the "state" lines a server sends its players for this round, one per tick: what the
 * replay is measured against (docs/REPLAY.md). 0 when out of memory. */
static unsigned long long verify_state_bytes(const replay_t *r)
{
    msg_t *m = malloc(sizeof *m);
    char *line = malloc(PROTO_MAX_LINE);
    replay_play_t *p = malloc(sizeof *p);
    char names[SIM_MAX_PLAYERS][PROTO_USERNAME_SIZE] = {{0}};
    unsigned long long total = 0;
    for (int i = 0; i < r->info.nplayers; i++)
        snprintf(names[i], sizeof names[i], "%s", r->info.players[i].name);
    if (m && line && p) {
        replay_play_start(p, r);
        while (replay_play_step(p)) {
            proto_init(m, MSG_STATE);
            proto_state_from_sim(&m->u.state, &p->game, (const char(*)[PROTO_USERNAME_SIZE])names);
            int n = proto_encode(m, line, PROTO_MAX_LINE);
            total += n > 0 ? (unsigned long long)n : 0;
        }
    }
    free(m);
    free(line);
    free(p);
    return total;
}

/* "1. alice 7, 2. bob 3": final scores of r's players, highest first. */
static void verify_print_scores(const replay_t *r, const bool *active, const int32_t *scores,
                                FILE *out)
{
    sim_game_t g = {.nplayers = r->info.nplayers};
    for (int i = 0; i < r->info.nplayers; i++) {
        g.players[i].active = active[i];
        g.players[i].score = scores[i];
    }
    sim_result_t res[SIM_MAX_PLAYERS];
    int n = sim_results(&g, res);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s%d. %s %d", i ? ", " : "", res[i].rank, r->info.players[res[i].player].name,
                (int)res[i].score);
    if (n == 0)
        fputs("nobody stayed to the end", out);
}

int verify_replay_file(const char *path, FILE *out, FILE *err)
{
    static replay_t r; /* a world_t is large */
    char why[512];
    if (replay_load_file(&r, path, why, sizeof why) < 0) {
        fprintf(err, "nine43-bot: cannot verify the replay: %s\n", why);
        return VERIFY_INVALID;
    }
    replay_verdict_t v;
    replay_verify(&r, &v);
    int status = VERIFY_SAME;
    if (v.same) {
        fprintf(out, "nine43-bot: %s: the same bit for bit: %u ticks on \"%s\", %d players: ", path,
                r.ticks, r.world.name, r.info.nplayers);
        verify_print_scores(&r, r.active, r.scores, out);
        unsigned long long states = verify_state_bytes(&r);
        fprintf(out, "; state hash %016llx\n", (unsigned long long)v.hash);
        fprintf(out, "nine43-bot: %zu bytes; its state lines were %llu bytes (%.0fx)\n", r.len,
                states, (double)states / (double)r.len);
    } else {
        fprintf(err,
                "nine43-bot: %s: differs from its recording at tick %u (of %u): the rules or "
                "the file changed\n",
                path, v.first_diff, r.ticks);
        fputs("nine43-bot: recorded ", err);
        verify_print_scores(&r, r.active, r.scores, err);
        fputs("; replayed ", err);
        verify_print_scores(&r, v.active, v.scores, err);
        fputc('\n', err);
        status = VERIFY_DIFFERS;
    }
    replay_free(&r);
    return status;
}
