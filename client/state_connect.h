/* state_connect.h -- the connect scene's state: the focused button and the autoplay retries
 * (the link itself is the session's); no SDL */
#ifndef NINE43_STATE_CONNECT_H
#define NINE43_STATE_CONNECT_H

#define CONNECT_AUTOPLAY_RETRIES  5 /* --autoplay retries a failed connect this often */
#define CONNECT_AUTOPLAY_RETRY_MS 1000
/* A server greets at once; a peer that took the connection and said nothing by then is not a
 * nine43 server (a web server on that port, say), or is stuck: the link fails, with Retry. */
#define CONNECT_GREETING_TIMEOUT_MS 10000

typedef struct connect {
    int focus; /* 0 = Retry, 1 = Back (when failed); Back alone before */
    int autoplay_retries;
} connect_t;

#endif
