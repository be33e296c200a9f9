/* fake_net.h -- the one fake of client_net_ops_t: records connects, closes and every message sent;
 * no SDL, no sockets; on client.h */
#ifndef NINE43_FAKE_NET_H
#define NINE43_FAKE_NET_H

#include "client.h"

#define FAKE_NET_MAX_SENT 4096 /* messages summarised in sent[]; more are counted but not kept */

/* What a test checks of a sent message, small enough to keep thousands of inputs. */
typedef struct fake_sent {
    msg_type_t type;
    int vote_index;
    uint32_t seq;
    int8_t dx, dy;
    bool dash;
} fake_sent_t;

typedef struct fake_net {
    int nconnect;
    char connect_host[256];
    int connect_port;
    int nclose;
    int nsent; /* all messages sent since the last clear, kept or not */
    fake_sent_t sent[FAKE_NET_MAX_SENT];
    msg_t *last[MSG_COUNT]; /* the last message of each type, whole (heap); NULL: none */
} fake_net_t;

extern const client_net_ops_t fake_net_ops;

/* The recorder a client's net_data points at (set it after client_init, which zeroes c). */
fake_net_t *fake_net_new(void);
void fake_net_free(fake_net_t *n);
fake_net_t *fake_net(client_t *c);

/* How many messages of type were sent (among the kept ones), and the last of them (NULL: none),
 * as a summary or whole. */
int fake_net_count(client_t *c, msg_type_t type);
const fake_sent_t *fake_net_last(client_t *c, msg_type_t type);
const msg_t *fake_net_last_msg(client_t *c, msg_type_t type);
/* Forgets the messages sent so far (connects and closes stay counted). */
void fake_net_clear(client_t *c);

#endif
