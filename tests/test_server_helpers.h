/* test_server_helpers.h -- shared steps of the server's integration tests (test_server_*.c) */
#ifndef NINE43_TEST_SERVER_HELPERS_H
#define NINE43_TEST_SERVER_HELPERS_H

#include <stdbool.h>

#include "testutil.h"

#define TS_WAIT 5000 /* ms: generous, for a loaded 2-core machine under sanitizers */

/* One big message to decode into (msg_t is large); tests are single-threaded. */
extern msg_t ts_msg;

/* Starts the server with extra args (NULL-terminated list); fails the test on error. */
void ts_start(tu_proc_t *p, const char *const *args);
/* Connects and logs in; fails the test otherwise. */
void ts_login(tu_client_t *c, int port, const char *name);
/* Sends a raw line / a message; fails the test on a send error. */
void ts_send(tu_client_t *c, const char *line);
/* Waits for a message of this type (others skipped) into ts_msg; fails the test otherwise. */
msg_t *ts_expect(tu_client_t *c, msg_type_t type);
/* Next message, whatever it is, into ts_msg; fails the test on time-out. */
msg_t *ts_next(tu_client_t *c);
/* Expects an "error" whose message contains needle (NULL: any). */
void ts_expect_error(tu_client_t *c, const char *needle);
/* Tries to log in as name on a fresh connection, retrying a refusal for up to TS_WAIT ms (the
 * server frees a departed player's name as soon as it sees the connection close), and
 * reconnecting while the server is full. */
void ts_login_eventually(tu_client_t *c, int port, const char *name);
/* The two players log in, a group forms, both get "select world". */
void ts_pair_to_vote(tu_client_t *a, tu_client_t *b, int port, const char *an, const char *bn);
/* Both vote for world 0 and get "game start". */
void ts_vote_to_game(tu_client_t *a, tu_client_t *b);
/* Sends an input line. */
void ts_input(tu_client_t *c, unsigned seq, int dx, int dy, bool dash);
/* The player's entry in a state message, or NULL. */
const proto_player_state_t *ts_find(const msg_state_t *st, const char *name);
/* VmRSS of a process in KiB (0 when unknown). */
long ts_rss_kib(pid_t pid);
long long ts_now_ms(void);

#endif
