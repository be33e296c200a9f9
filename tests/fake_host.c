/* fake_host.c -- the one fake of client_host_ops_t: records start and stop, answers poll as told;
 * no processes */
#include "fake_host.h"

#include <stdio.h>
#include <stdlib.h>

static int fake_host_start(client_t *c, int port, int group_size, int round_seconds, char *err,
                           size_t errlen)
{
    fake_host_t *h = fake_host(c);
    h->nstart++;
    h->start_port = port;
    h->start_group = group_size;
    h->start_round = round_seconds;
    if (h->start_result != 0) {
        snprintf(err, errlen, "%s", h->start_error);
        return -1;
    }
    h->running = true;
    return 0;
}

static void fake_host_stop(client_t *c, const char *if_alone)
{
    fake_host(c)->nstop++;
    fake_host(c)->nstop_if_alone += if_alone != NULL;
    fake_host(c)->running = false;
}

static bool fake_host_running(client_t *c)
{
    return fake_host(c)->running;
}

static int fake_host_poll(client_t *c, int *port, char *err, size_t errlen)
{
    fake_host_t *h = fake_host(c);
    if (h->poll_result == 1)
        *port = h->poll_port;
    if (h->poll_result < 0)
        snprintf(err, errlen, "%s", h->poll_error);
    return h->poll_result;
}

static void fake_host_detach(client_t *c)
{
    fake_host(c)->ndetach++;
    fake_host(c)->running = false;
}

/* No tick: a fake stop is over at once. */
const client_host_ops_t fake_host_ops = {fake_host_start, fake_host_stop,   fake_host_running,
                                         fake_host_poll,  fake_host_detach, NULL};

fake_host_t *fake_host_new(void)
{
    fake_host_t *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    return h;
}

void fake_host_free(fake_host_t *h)
{
    free(h);
}

fake_host_t *fake_host(client_t *c)
{
    return c->host_data;
}
