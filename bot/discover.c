/* discover.c -- nine43-bot --discover: runs the client's LAN browser for a while and prints what
 * answered as JSON lines; depends on play/lan, the seam (clock, poll) and cJSON */
#include "discover.h"

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "lan_udp.h"
#include "sys_net.h"
#include "sys_os.h"

static int64_t monotonic_ms(void)
{
    return sys_clock_ns() / SYS_NS_PER_MS;
}

static void print_server(const lan_server_t *s, FILE *out)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "address", s->host);
    cJSON_AddNumberToObject(o, "port", s->port);
    cJSON_AddNumberToObject(o, "players", s->players);
    cJSON_AddNumberToObject(o, "lobby", s->lobby);
    cJSON_AddNumberToObject(o, "group_size", s->group_size);
    cJSON_AddNumberToObject(o, "worlds", s->worlds);
    cJSON_AddNumberToObject(o, "version", s->version);
    cJSON_AddBoolToObject(o, "compatible", s->compatible);
    if (!s->compatible)
        cJSON_AddStringToObject(o, "why", s->why);
    cJSON_AddStringToObject(o, "id", s->id);
    cJSON_AddNumberToObject(o, "ping_ms", s->ping_ms);
    char *text = cJSON_PrintUnformatted(o);
    if (text) {
        fprintf(out, "%s\n", text);
        cJSON_free(text);
    }
    cJSON_Delete(o);
}

int discover_run(const char *addr, int port, int wait_ms, FILE *out)
{
    if (wait_ms <= 0)
        wait_ms = DISCOVER_WAIT_MS;
    char err[256];
    lan_browser_t *b = lan_browser_new(&lan_udp_ops, addr, port, err, sizeof err);
    if (!b) {
        fprintf(stderr, "nine43-bot: --discover: %s\n", err);
        return 2;
    }
    int64_t start = monotonic_ms(), now = start;
    lan_browser_update(b, now); /* the first round goes out at once */
    fprintf(stderr, "nine43-bot: probing %s for %d ms\n", lan_browser_searched(b), wait_ms);
    while (now - start < wait_ms) {
        int timeout = (int)(wait_ms - (now - start));
        int next = lan_browser_timeout_ms(b, now);
        if (next < timeout)
            timeout = next;
        sys_pollfd_t pfd = {.fd = lan_udp_fd(b), .events = SYS_POLL_IN};
        if (sys_poll(&pfd, 1, timeout) < 0)
            break;
        now = monotonic_ms();
        lan_browser_update(b, now);
    }
    int n = lan_browser_count(b);
    for (int i = 0; i < n; i++)
        print_server(lan_browser_server(b, i), out);
    fflush(out);
    if (n == 0)
        fprintf(stderr, "nine43-bot: no games found on %s\n", lan_browser_searched(b));
    lan_browser_free(b);
    return n > 0 ? 0 : 1;
}
