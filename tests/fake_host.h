/* fake_host.h -- the one fake of client_host_ops_t: records start and stop, answers poll as told;
 * no processes; on client.h */
#ifndef NINE43_FAKE_HOST_H
#define NINE43_FAKE_HOST_H

#include "client.h"

typedef struct fake_host {
    int nstart, nstop;
    int start_port, start_group, start_round;
    int start_result;      /* what start returns */
    char start_error[128]; /* and its message when it fails */
    int poll_result;       /* 1 ready, 0 starting, -1 failed */
    int poll_port;
    char poll_error[128];
    bool running;
    int ndetach;
    int nstop_if_alone; /* of nstop, the stops "if nobody else is on the server" */
} fake_host_t;

extern const client_host_ops_t fake_host_ops;

/* The fake a client's host_data points at (set it after client_init, which zeroes c). */
fake_host_t *fake_host_new(void);
void fake_host_free(fake_host_t *h);
fake_host_t *fake_host(client_t *c);

#endif
