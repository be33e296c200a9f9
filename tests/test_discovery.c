/* test_discovery.c -- LAN discovery units over real UDP sockets on 127.0.0.0/8 only: the server
 * module's answers, refusals and rate limits, and the client browser's list; depends on
 * server/discovery and play/lan */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "discovery.h"
#include "lan_udp.h"
#include "proto.h"

#define WAIT_MS  2000 /* generous: loopback delivery is immediate, the machine is shared */
#define QUIET_MS 100  /* how long "no answer" is waited for, after the server has read */

static const discovery_info_t INFO = {
    .name = "Test Game", .players = 3, .lobby = 1, .group_size = 2, .worlds = 4};

/* What the server says about itself in pump(); a test may point it elsewhere. */
static const discovery_info_t *pump_info = &INFO;

static msg_t *scratch(void)
{
    static msg_t *m;
    if (!m)
        m = calloc(1, sizeof *m);
    return m;
}

/* A UDP socket bound to ip:0 (127.x.y.z), broadcast allowed. */
static int udp_socket(const char *ip)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, ip, &sa.sin_addr), 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

static int bound_port(int fd)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    return ntohs(sa.sin_port);
}

static void send_raw(int fd, const char *ip, int port, const void *data, size_t len)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    assert_int_equal(inet_pton(AF_INET, ip, &sa.sin_addr), 1);
    assert_int_equal(sendto(fd, data, len, 0, (struct sockaddr *)&sa, sizeof sa), (ssize_t)len);
}

/* Sends data padded with spaces to PROTO_DISCOVER_MIN_SIZE, as every client pads its probes
 * (an empty datagram stays empty). */
static void send_to(int fd, const char *ip, int port, const void *data, size_t len)
{
    char padded[PROTO_DISCOVER_MIN_SIZE];
    if (len == 0 || len >= sizeof padded) {
        send_raw(fd, ip, port, data, len);
        return;
    }
    memcpy(padded, data, len);
    memset(padded + len, ' ', sizeof padded - len);
    send_raw(fd, ip, port, padded, sizeof padded);
}

static void send_text(int fd, const char *ip, int port, const char *text)
{
    send_to(fd, ip, port, text, strlen(text));
}

static void send_probe(int fd, const char *ip, int port, const char *token)
{
    char line[256];
    snprintf(line, sizeof line, "{\"type\":\"discover\",\"version\":1,\"token\":\"%s\"}", token);
    send_text(fd, ip, port, line);
}

/* Lets the server read until it has received `expect` datagrams in all. Returns the answers
 * sent by these reads. */
static int pump(discovery_t *d, int64_t now_ms, uint64_t expect)
{
    int answered = 0;
    for (int waited = 0; discovery_stats(d)->received < expect && waited < WAIT_MS; waited += 10) {
        struct pollfd p = {.fd = discovery_fd(d), .events = POLLIN};
        if (poll(&p, 1, 10) > 0)
            answered += discovery_on_readable(d, now_ms, pump_info);
    }
    assert_int_equal(discovery_stats(d)->received, expect);
    return answered;
}

/* The next datagram on fd within timeout_ms, decoded as server->client into scratch(); returns
 * 0, -1 on time-out, -2 when it does not decode. from (optional) gets the sender. */
static int recv_answer(int fd, int timeout_ms, struct sockaddr_in *from)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) <= 0)
        return -1;
    char buf[4096];
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&sa, &salen);
    if (n < 0)
        return -1;
    if (from)
        *from = sa;
    char err[128];
    if (proto_decode(buf, (size_t)n, PROTO_TO_CLIENT, scratch(), err, sizeof err) != 0) {
        fprintf(stderr, "answer does not decode: %s\n", err);
        return -2;
    }
    return 0;
}

/* Answers already waiting on fd, without waiting. */
static int drain(int fd)
{
    int n = 0;
    while (recv_answer(fd, 0, NULL) == 0)
        n++;
    return n;
}

/* Waits (generously) until the sockets have received `expect` answers together, then checks
 * that no more follow. */
static void expect_answers_on(const int *fds, int nfds, int expect)
{
    int got = 0;
    for (int waited = 0; got < expect && waited < WAIT_MS; waited += 10) {
        for (int i = 0; i < nfds; i++)
            got += drain(fds[i]);
        if (got < expect)
            poll(NULL, 0, 10);
    }
    poll(NULL, 0, QUIET_MS);
    for (int i = 0; i < nfds; i++)
        got += drain(fds[i]);
    assert_int_equal(got, expect);
}

static void expect_answers(int fd, int expect)
{
    expect_answers_on(&fd, 1, expect);
}

static discovery_t *open_any(void)
{
    char err[256];
    discovery_t *d = discovery_open(NULL, 0, err, sizeof err);
    if (!d)
        fail_msg("discovery_open: %s", err);
    return d;
}

/* ---- the server module ---- */

static void test_a_probe_is_answered_with_the_servers_details(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int c = udp_socket("127.0.0.1");
    send_probe(c, "127.0.0.1", discovery_port(d), "tok-1");
    assert_int_equal(pump(d, 1000, 1), 1);

    struct sockaddr_in from;
    assert_int_equal(recv_answer(c, WAIT_MS, &from), 0);
    const msg_t *m = scratch();
    assert_int_equal(m->type, MSG_SERVER_INFO);
    const msg_server_info_t *s = &m->u.server_info;
    assert_string_equal(s->token, "tok-1");
    assert_string_equal(s->name, "Test Game");
    assert_int_equal(s->port, discovery_port(d));
    assert_int_equal(s->version, PROTO_VERSION);
    assert_string_equal(s->id, discovery_id(d));
    assert_int_equal(strlen(s->id), 2 * DISCOVERY_ID_BYTES);
    assert_int_equal(s->players, 3);
    assert_int_equal(s->lobby, 1);
    assert_int_equal(s->group_size, 2);
    assert_int_equal(s->worlds, 4);
    /* The answer comes from the port probed, by unicast. */
    assert_int_equal(ntohs(from.sin_port), discovery_port(d));
    assert_int_equal(discovery_stats(d)->answered, 1);
    close(c);
    discovery_close(d);
}

static void test_two_runs_have_different_ids(void **state)
{
    (void)state;
    discovery_t *a = open_any(), *b = open_any();
    assert_string_not_equal(discovery_id(a), discovery_id(b));
    discovery_close(a);
    discovery_close(b);
}

static void test_the_token_is_echoed_exactly(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int c = udp_socket("127.0.0.1");
    /* Quotes, a backslash and a non-ASCII character survive the round trip. */
    send_text(c, "127.0.0.1", discovery_port(d),
              "{\"type\":\"discover\",\"version\":1,\"token\":\"a\\\"b\\\\c \xc3\xa9\"}\n");
    assert_int_equal(pump(d, 0, 1), 1);
    assert_int_equal(recv_answer(c, WAIT_MS, NULL), 0);
    assert_string_equal(scratch()->u.server_info.token, "a\"b\\c \xc3\xa9");
    close(c);
    discovery_close(d);
}

static void test_a_loopback_broadcast_is_answered_even_when_bound_to_one_address(void **state)
{
    (void)state;
    char err[256];
    discovery_t *d = discovery_open("127.0.0.1", 0, err, sizeof err);
    if (!d)
        fail_msg("discovery_open: %s", err);
    int c = udp_socket("127.0.0.1");
    send_probe(c, "127.255.255.255", discovery_port(d), "bcast");
    assert_int_equal(pump(d, 0, 1), 1);
    struct sockaddr_in from;
    assert_int_equal(recv_answer(c, WAIT_MS, &from), 0);
    assert_string_equal(scratch()->u.server_info.token, "bcast");
    /* From the bound address, the one a client can connect to. */
    assert_int_equal(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK);
    discovery_close(d);

    /* Any address of the loopback network works, though only 127.0.0.1 is listed on lo. */
    d = discovery_open("127.0.0.2", 0, err, sizeof err);
    if (!d)
        fail_msg("discovery_open 127.0.0.2: %s", err);
    send_probe(c, "127.255.255.255", discovery_port(d), "second");
    assert_int_equal(pump(d, 0, 1), 1);
    assert_int_equal(recv_answer(c, WAIT_MS, &from), 0);
    assert_string_equal(scratch()->u.server_info.token, "second");
    assert_int_equal(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK + 1);
    close(c);
    discovery_close(d);
}

static void test_a_bind_address_that_cannot_be_served_is_refused(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(discovery_open("::1", 0, err, sizeof err));
    assert_non_null(strstr(err, "IPv4"));
    assert_null(discovery_open("not an address", 0, err, sizeof err));
    /* TEST-NET-1: no interface here holds it (nothing is sent). */
    assert_null(discovery_open("192.0.2.222", 0, err, sizeof err));
    assert_non_null(strstr(err, "no network interface"));
    assert_null(discovery_open(NULL, 70000, err, sizeof err));
}

static void test_invalid_datagrams_get_no_answer(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "hello",
        "[]",
        "{}",
        "\"discover\"",
        "{\"type\":\"discover\"}",
        "{\"type\":\"discover\",\"version\":1}",
        "{\"type\":\"discover\",\"token\":\"t\"}",
        "{\"type\":\"discover\",\"version\":0,\"token\":\"t\"}",
        "{\"type\":\"discover\",\"version\":-1,\"token\":\"t\"}",
        "{\"type\":\"discover\",\"version\":\"1\",\"token\":\"t\"}",
        "{\"type\":\"discover\",\"version\":1,\"token\":\"\"}",
        "{\"type\":\"discover\",\"version\":1,\"token\":5}",
        /* 65 bytes of token: one over PROTO_MAX_TOKEN. */
        "{\"type\":\"discover\",\"version\":1,\"token\":"
        "\"0123456789012345678901234567890123456789012345678901234567890123x\"}",
        /* Another server's answer must not be answered (two servers would ping-pong). */
        "{\"type\":\"server\",\"token\":\"t\",\"name\":\"n\",\"port\":1,\"version\":1,"
        "\"id\":\"i\",\"players\":0,\"lobby\":0,\"group_size\":2,\"worlds\":1}",
        "{\"type\":\"status\"}",
        "{\"type\":\"discover\",\"version\":1,\"token\":\"\xff\xfe\"}",
    };
    discovery_t *d = open_any();
    int c = udp_socket("127.0.0.1");
    int port = discovery_port(d);
    uint64_t sent = 0;
    int64_t now = 0; /* a second apart: these are about validity, not about the limits */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        send_text(c, "127.0.0.1", port, bad[i]);
        assert_int_equal(pump(d, now += 1000, ++sent), 0);
    }
    /* A NUL inside, and an empty datagram. */
    send_to(c, "127.0.0.1", port, "{\"type\":\"discover\",\"version\":1,\"token\":\"a\0b\"}", 45);
    assert_int_equal(pump(d, now += 1000, ++sent), 0);
    send_to(c, "127.0.0.1", port, "", 0);
    assert_int_equal(pump(d, now += 1000, ++sent), 0);
    /* A valid probe padded past DISCOVERY_MAX_DATAGRAM is dropped, not cut. */
    char big[DISCOVERY_MAX_DATAGRAM + 64];
    int n = snprintf(big, sizeof big, "{\"type\":\"discover\",\"version\":1,\"token\":\"big\"}");
    memset(big + n, ' ', sizeof big - (size_t)n);
    send_to(c, "127.0.0.1", port, big, sizeof big);
    assert_int_equal(pump(d, now += 1000, ++sent), 0);

    expect_answers(c, 0);
    assert_int_equal(discovery_stats(d)->invalid, sent);
    assert_int_equal(discovery_stats(d)->limited_sender, 0);
    assert_int_equal(discovery_stats(d)->answered, 0);
    /* Nothing above disturbed it: the next valid probe is answered. */
    send_probe(c, "127.0.0.1", port, "after");
    assert_int_equal(pump(d, now += 1000, ++sent), 1);
    assert_int_equal(recv_answer(c, WAIT_MS, NULL), 0);
    assert_string_equal(scratch()->u.server_info.token, "after");

    /* A burst of rubbish counts against the sender like probes do: past its burst it is
     * dropped unread, and so is a valid probe right after it. */
    now += 10000;
    for (int i = 0; i < 2 * DISCOVERY_SENDER_BURST; i++)
        send_text(c, "127.0.0.1", port, "rubbish");
    send_probe(c, "127.0.0.1", port, "too soon");
    sent += 2 * DISCOVERY_SENDER_BURST + 1;
    uint64_t invalid_before = discovery_stats(d)->invalid;
    assert_int_equal(pump(d, now, sent), 0);
    assert_int_equal(discovery_stats(d)->invalid - invalid_before, DISCOVERY_SENDER_BURST);
    assert_int_equal(discovery_stats(d)->limited_sender, DISCOVERY_SENDER_BURST + 1);
    expect_answers(c, 0);
    close(c);
    discovery_close(d);
}

static void test_a_long_name_is_cut_at_a_character_boundary(void **state)
{
    (void)state;
    /* 40 two-byte characters (80 bytes) with a control character inside. */
    char name[128] = "";
    for (int i = 0; i < 40; i++)
        strcat(name, i == 3 ? "\t\xc3\xa9" : "\xc3\xa9");
    discovery_info_t info = INFO;
    info.name = name;
    pump_info = &info;
    discovery_t *d = open_any();
    int c = udp_socket("127.0.0.1");
    send_probe(c, "127.0.0.1", discovery_port(d), "long");
    assert_int_equal(pump(d, 0, 1), 1);
    pump_info = &INFO;
    assert_int_equal(recv_answer(c, WAIT_MS, NULL), 0);
    const char *got = scratch()->u.server_info.name;
    assert_int_equal(strlen(got), PROTO_MAX_SERVER_NAME); /* 32 whole characters */
    assert_int_equal(strncmp(got, name + 0, 6), 0);
    assert_null(strchr(got, '\t'));
    close(c);
    discovery_close(d);
}

static void test_another_version_is_answered_with_ours(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int c = udp_socket("127.0.0.1");
    send_text(c, "127.0.0.1", discovery_port(d),
              "{\"type\":\"discover\",\"version\":2,\"token\":\"future\",\"extra\":[1,2]}");
    assert_int_equal(pump(d, 0, 1), 1);
    assert_int_equal(recv_answer(c, WAIT_MS, NULL), 0);
    assert_string_equal(scratch()->u.server_info.token, "future");
    assert_int_equal(scratch()->u.server_info.version, PROTO_VERSION);
    close(c);
    discovery_close(d);
}

static void test_one_sender_is_limited_to_its_rate(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int port = discovery_port(d);
    int c = udp_socket("127.0.0.1");
    int other = udp_socket("127.0.0.2");
    /* A burst of 25 at one instant: DISCOVERY_SENDER_BURST answered, the rest not. */
    for (int i = 0; i < 25; i++)
        send_probe(c, "127.0.0.1", port, "flood");
    assert_int_equal(pump(d, 5000, 25), DISCOVERY_SENDER_BURST);
    assert_int_equal(discovery_stats(d)->limited_sender, 25 - DISCOVERY_SENDER_BURST);
    expect_answers(c, DISCOVERY_SENDER_BURST);

    /* Another sender is not affected. */
    send_probe(other, "127.0.0.1", port, "other");
    assert_int_equal(pump(d, 5000, 26), 1);
    expect_answers(other, 1);

    /* One second later the flooder has earned DISCOVERY_SENDER_RATE more answers. */
    for (int i = 0; i < 10; i++)
        send_probe(c, "127.0.0.1", port, "later");
    assert_int_equal(pump(d, 6000, 36), DISCOVERY_SENDER_RATE);
    expect_answers(c, DISCOVERY_SENDER_RATE);
    close(c);
    close(other);
    discovery_close(d);
}

static void test_all_senders_together_are_limited(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int port = discovery_port(d);
    /* 30 senders at 127.0.1.x, each within its own burst: 300 probes at one instant, sent in
     * batches so that the socket's receive buffer never overflows. */
    enum { SENDERS = 30, EACH = DISCOVERY_SENDER_BURST };
    int fds[SENDERS];
    uint64_t sent = 0;
    int answered = 0;
    for (int i = 0; i < SENDERS; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "127.0.1.%d", i + 1);
        fds[i] = udp_socket(ip);
        for (int k = 0; k < EACH; k++)
            send_probe(fds[i], "127.0.0.1", port, "many");
        sent += EACH;
        answered += pump(d, 9000, sent);
    }
    assert_int_equal(answered, DISCOVERY_TOTAL_BURST);
    assert_int_equal(discovery_stats(d)->limited_total, SENDERS * EACH - DISCOVERY_TOTAL_BURST);
    assert_int_equal(discovery_stats(d)->limited_sender, 0);
    expect_answers_on(fds, SENDERS, DISCOVERY_TOTAL_BURST);

    /* A second later there is room again. */
    send_probe(fds[SENDERS - 1], "127.0.0.1", port, "again");
    assert_int_equal(pump(d, 10000, sent + 1), 1);
    expect_answers(fds[SENDERS - 1], 1);
    for (int i = 0; i < SENDERS; i++)
        close(fds[i]);
    discovery_close(d);
}

static void test_the_sender_table_stays_bounded(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int port = discovery_port(d);
    enum { SENDERS = DISCOVERY_MAX_SENDERS + 44 };
    int64_t now = 0;
    int answered = 0;
    for (int i = 0; i < SENDERS; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "127.0.%d.%d", 2 + i / 200, 1 + i % 200);
        int fd = udp_socket(ip);
        send_probe(fd, "127.0.0.1", port, "new");
        now += 10; /* slow enough for the overall limit */
        answered += pump(d, now, (uint64_t)i + 1);
        assert_true(discovery_sender_count(d) <= DISCOVERY_MAX_SENDERS);
        assert_int_equal(recv_answer(fd, WAIT_MS, NULL), 0);
        close(fd);
    }
    assert_int_equal(answered, SENDERS);
    assert_int_equal(discovery_sender_count(d), DISCOVERY_MAX_SENDERS);
    discovery_close(d);
}

static void test_names(void **state)
{
    (void)state;
    char name[DISCOVERY_NAME_SIZE], err[128];
    discovery_default_name(name, sizeof name);
    size_t len = strlen(name);
    assert_true(len > 0 && len <= PROTO_MAX_SERVER_NAME);
    assert_int_equal(discovery_check_name(name, err, sizeof err), 0);
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) == 0 && host[0] && strlen(host) < 40) {
        char *dot = strchr(host, '.');
        if (dot)
            *dot = '\0';
        char expect[300];
        snprintf(expect, sizeof expect, "%s's game", host);
        assert_string_equal(name, expect);
    }
    char tiny[8];
    discovery_default_name(tiny, sizeof tiny);
    assert_true(strlen(tiny) < sizeof tiny);

    assert_int_equal(discovery_check_name("Test Game", err, sizeof err), 0);
    assert_int_equal(discovery_check_name("Caf\xc3\xa9 \xe2\x98\x95", err, sizeof err), 0);
    assert_int_equal(discovery_check_name("", err, sizeof err), -1);
    assert_int_equal(discovery_check_name("tab\there", err, sizeof err), -1);
    assert_int_equal(discovery_check_name("bad \xff", err, sizeof err), -1);
    char longname[PROTO_MAX_SERVER_NAME + 2];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(discovery_check_name(longname, err, sizeof err), -1);
    assert_non_null(strstr(err, "longer"));
}

/* ---- the client browser, against the module and against a scripted fake server ---- */

static lan_browser_t *browser(const char *addr, int port)
{
    char err[256];
    lan_browser_t *b = lan_browser_new(&lan_udp_ops, addr, port, err, sizeof err);
    if (!b)
        fail_msg("lan_browser_new: %s", err);
    return b;
}

static void test_the_browser_finds_a_server_through_the_loopback_broadcast(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int port = discovery_port(d);
    lan_browser_t *b = browser("127.255.255.255", port);
    lan_browser_update(b, 100000); /* probes */
    assert_int_equal(lan_browser_rounds(b), 1);
    assert_int_equal(lan_browser_count(b), 0);
    assert_non_null(strstr(lan_browser_status(b), "Searching 127.255.255.255"));
    assert_int_equal(pump(d, 0, 1), 1);
    struct pollfd p = {.fd = lan_udp_fd(b), .events = POLLIN};
    assert_int_equal(poll(&p, 1, WAIT_MS), 1);
    lan_browser_update(b, 100007);
    assert_int_equal(lan_browser_count(b), 1);
    const lan_server_t *s = lan_browser_server(b, 0);
    assert_string_equal(s->name, "Test Game");
    assert_string_equal(s->host, "127.0.0.1");
    assert_int_equal(s->port, port);
    char address[LAN_ADDRESS_SIZE];
    snprintf(address, sizeof address, "127.0.0.1:%d", port);
    assert_string_equal(s->address, address);
    assert_string_equal(s->id, discovery_id(d));
    assert_int_equal(s->players, 3);
    assert_int_equal(s->lobby, 1);
    assert_int_equal(s->group_size, 2);
    assert_int_equal(s->worlds, 4);
    assert_true(s->ping_ms >= 0 && s->ping_ms < WAIT_MS); /* measured on the real clock */
    assert_true(s->compatible);
    assert_string_equal(lan_browser_status(b), "");
    assert_null(lan_browser_server(b, 1));
    lan_browser_free(b);
    discovery_close(d);
}

/* The fake server's view of the browser's latest probe. */
static void read_probe(int fake, char *token, size_t cap)
{
    struct pollfd p = {.fd = fake, .events = POLLIN};
    assert_int_equal(poll(&p, 1, WAIT_MS), 1);
    char buf[512];
    ssize_t n = recv(fake, buf, sizeof buf, 0);
    assert_true(n > 0);
    char err[128];
    assert_int_equal(proto_decode(buf, (size_t)n, PROTO_TO_SERVER, scratch(), err, sizeof err), 0);
    assert_int_equal(scratch()->type, MSG_DISCOVER);
    assert_int_equal(scratch()->u.discover.version, PROTO_VERSION);
    assert_true(strlen(scratch()->u.discover.token) >= 16);
    snprintf(token, cap, "%s", scratch()->u.discover.token);
}

static void fake_answer(int fd, int port, const char *token, const char *id, const char *name,
                        int version, int players)
{
    char line[512];
    snprintf(line, sizeof line,
             "{\"type\":\"server\",\"token\":\"%s\",\"name\":\"%s\",\"port\":%d,\"version\":%d,"
             "\"id\":\"%s\",\"players\":%d,\"lobby\":0,\"group_size\":4,\"worlds\":2}",
             token, name, 7000, version, id, players);
    send_text(fd, "127.0.0.1", port, line);
}

static void settle(lan_browser_t *b, int64_t now)
{
    struct pollfd p = {.fd = lan_udp_fd(b), .events = POLLIN};
    while (poll(&p, 1, QUIET_MS) > 0)
        lan_browser_update(b, now);
    lan_browser_update(b, now);
}

static void test_the_browser_merges_by_id_flags_versions_and_forgets(void **state)
{
    (void)state;
    int fake = udp_socket("0.0.0.0"); /* receives the loopback broadcast */
    int port = bound_port(fake);
    int via2 = udp_socket("127.0.0.2"); /* the same server seen through another address */
    int via3 = udp_socket("127.0.0.3");
    lan_browser_t *b = browser("127.255.255.255", port);
    lan_browser_update(b, 0);
    char token[PROTO_MAX_TOKEN + 1];
    read_probe(fake, token, sizeof token);
    int bport = 0;
    {
        struct sockaddr_in sa;
        socklen_t len = sizeof sa;
        assert_int_equal(getsockname(lan_udp_fd(b), (struct sockaddr *)&sa, &len), 0);
        bport = ntohs(sa.sin_port);
    }
    fake_answer(via2, bport, token, "same-id", "Bravo", PROTO_VERSION, 1);
    fake_answer(via3, bport, token, "same-id", "Bravo", PROTO_VERSION, 2);
    fake_answer(via2, bport, token, "newer", "alpha", PROTO_VERSION + 1, 0);
    fake_answer(via2, bport, "not-our-token", "stranger", "Stranger", PROTO_VERSION, 0);
    send_text(via2, "127.0.0.1", bport, "{\"type\":\"server\"}");
    send_text(via2, "127.0.0.1", bport, "not json at all");
    settle(b, 30);

    assert_int_equal(lan_browser_count(b), 2);
    /* Sorted by name, ignoring case. */
    const lan_server_t *a = lan_browser_server(b, 0), *s = lan_browser_server(b, 1);
    assert_string_equal(a->name, "alpha");
    assert_false(a->compatible);
    assert_int_equal(a->version, PROTO_VERSION + 1);
    assert_non_null(strstr(a->why, "version 2"));
    assert_non_null(strstr(a->why, "this game: 1"));
    assert_string_equal(s->name, "Bravo");
    assert_true(s->compatible);
    assert_string_equal(s->why, "");
    assert_string_equal(s->host, "127.0.0.2"); /* the first address is kept */
    assert_int_equal(s->port, 7000);
    assert_string_equal(s->address, "127.0.0.2:7000");
    assert_int_equal(s->players, 2); /* the latest answer's counts */
    assert_int_equal(s->group_size, 4);
    assert_true(s->ping_ms >= 0 && s->ping_ms < WAIT_MS);

    /* A second round later only Bravo answers; past LAN_FORGET_MS alpha is gone. */
    lan_browser_update(b, LAN_PROBE_INTERVAL_MS);
    assert_int_equal(lan_browser_rounds(b), 2);
    read_probe(fake, token, sizeof token);
    fake_answer(via3, bport, token, "same-id", "Bravo", PROTO_VERSION, 2);
    settle(b, LAN_PROBE_INTERVAL_MS + 5);
    assert_int_equal(lan_browser_count(b), 2);
    lan_browser_update(b, LAN_FORGET_MS + 31);
    read_probe(fake, token, sizeof token);
    assert_int_equal(lan_browser_count(b), 1);
    assert_string_equal(lan_browser_server(b, 0)->name, "Bravo");
    /* Nobody answers any more: the list empties and says what was searched. */
    lan_browser_update(b, 3 * LAN_FORGET_MS);
    assert_int_equal(lan_browser_count(b), 0);
    char expect[128];
    snprintf(expect, sizeof expect, "No games found on 127.255.255.255, port %d", port);
    assert_string_equal(lan_browser_status(b), expect);
    snprintf(expect, sizeof expect, "127.255.255.255, port %d", port);
    assert_string_equal(lan_browser_searched(b), expect);

    lan_browser_free(b);
    close(fake);
    close(via2);
    close(via3);
}

static void test_an_answer_to_an_old_probe_is_ignored(void **state)
{
    (void)state;
    int fake = udp_socket("0.0.0.0");
    int port = bound_port(fake);
    lan_browser_t *b = browser("127.255.255.255", port);
    char first[PROTO_MAX_TOKEN + 1], token[PROTO_MAX_TOKEN + 1];
    lan_browser_update(b, 0);
    read_probe(fake, first, sizeof first);
    for (int i = 1; i <= LAN_RECENT_PROBES; i++) {
        lan_browser_update(b, (int64_t)i * LAN_PROBE_INTERVAL_MS);
        read_probe(fake, token, sizeof token);
        assert_string_not_equal(token, first);
    }
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(lan_udp_fd(b), (struct sockaddr *)&sa, &len), 0);
    fake_answer(fake, ntohs(sa.sin_port), first, "late", "Late", PROTO_VERSION, 0);
    settle(b, (int64_t)LAN_RECENT_PROBES * LAN_PROBE_INTERVAL_MS + 1);
    assert_int_equal(lan_browser_count(b), 0);
    lan_browser_free(b);
    close(fake);
}

static void test_a_bad_discovery_address_is_refused(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(lan_browser_new(&lan_udp_ops, "not-an-address", 9999, err, sizeof err));
    assert_non_null(strstr(err, "not-an-address"));
    assert_null(lan_browser_new(&lan_udp_ops, "127.255.255.255", 70000, err, sizeof err));
    lan_browser_t *b = browser("127.255.255.255", 0);
    assert_string_equal(lan_browser_searched(b), "127.255.255.255, port 9999");
    lan_browser_free(b);
}

/* ---- answer sizes: a probe is never answered with more bytes than it had ---- */

/* A probe shorter than PROTO_DISCOVER_MIN_SIZE (the 43 bytes of an unpadded one) gets nothing:
 * answering it would reflect more bytes at a spoofed address than the spoofer sent. */
static void test_a_short_probe_gets_no_answer(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int c = udp_socket("127.0.0.1");
    int port = discovery_port(d);
    const char *probe = "{\"type\":\"discover\",\"version\":1,\"token\":\"short\"}";
    send_raw(c, "127.0.0.1", port, probe, strlen(probe));
    assert_int_equal(pump(d, 0, 1), 0);
    expect_answers(c, 0);
    assert_int_equal(discovery_stats(d)->too_small, 1);
    /* One byte short of the minimum: still nothing. */
    char line[PROTO_DISCOVER_MIN_SIZE];
    int n = snprintf(line, sizeof line, "%s", probe);
    memset(line + n, ' ', sizeof line - (size_t)n);
    send_raw(c, "127.0.0.1", port, line, sizeof line - 1);
    assert_int_equal(pump(d, 1000, 2), 0);
    expect_answers(c, 0);
    /* Padded to the minimum: answered. */
    send_raw(c, "127.0.0.1", port, line, sizeof line);
    assert_int_equal(pump(d, 2000, 3), 1);
    assert_int_equal(recv_answer(c, WAIT_MS, NULL), 0);
    assert_string_equal(scratch()->u.server_info.token, "short");
    close(c);
    discovery_close(d);
}

/* The largest answer a client's probe can get: a 64-byte token, a 64-byte name made of
 * characters JSON escapes, counts in the millions. It fits in PROTO_DISCOVER_MIN_SIZE. */
static void test_the_largest_answer_fits_in_a_minimal_probe(void **state)
{
    (void)state;
    char name[PROTO_MAX_SERVER_NAME + 1];
    memset(name, '"', PROTO_MAX_SERVER_NAME);
    name[PROTO_MAX_SERVER_NAME] = '\0';
    const discovery_info_t big = {.name = name,
                                  .players = 1000000,
                                  .lobby = 1000000,
                                  .group_size = PROTO_MAX_GROUP,
                                  .worlds = PROTO_MAX_WORLDS};
    pump_info = &big;
    discovery_t *d = open_any();
    int c = udp_socket("127.0.0.1");
    char token[PROTO_MAX_TOKEN + 1];
    memset(token, 'f', PROTO_MAX_TOKEN);
    token[PROTO_MAX_TOKEN] = '\0';
    char line[PROTO_DISCOVER_MIN_SIZE];
    int n = snprintf(line, sizeof line, "{\"type\":\"discover\",\"version\":1,\"token\":\"%s\"}",
                     token);
    memset(line + n, ' ', sizeof line - (size_t)n);
    send_raw(c, "127.0.0.1", discovery_port(d), line, sizeof line);
    assert_int_equal(pump(d, 0, 1), 1);
    pump_info = &INFO;
    struct pollfd p = {.fd = c, .events = POLLIN};
    assert_int_equal(poll(&p, 1, WAIT_MS), 1);
    char buf[4096];
    ssize_t got = recv(c, buf, sizeof buf, 0);
    print_message("largest answer: %zd bytes, probe %d bytes\n", got, PROTO_DISCOVER_MIN_SIZE);
    assert_true(got > 0 && got <= PROTO_DISCOVER_MIN_SIZE);
    char err[128];
    assert_int_equal(proto_decode(buf, (size_t)got, PROTO_TO_CLIENT, scratch(), err, sizeof err),
                     0);
    assert_string_equal(scratch()->u.server_info.name, name);
    close(c);
    discovery_close(d);
}

/* A token full of escaped control characters inflates six-fold on the way back: such an
 * answer would outgrow its probe, so it is not sent. */
static void test_an_answer_larger_than_its_probe_is_not_sent(void **state)
{
    (void)state;
    discovery_t *d = open_any();
    int c = udp_socket("127.0.0.1");
    char line[PROTO_DISCOVER_MIN_SIZE + 1];
    int n = snprintf(line, sizeof line, "{\"type\":\"discover\",\"version\":1,\"token\":\"");
    for (int i = 0; i < PROTO_MAX_TOKEN; i++)
        line[n++] = '\x01'; /* a raw control byte: the answer escapes it as \u0001 */
    n += snprintf(line + n, sizeof line - (size_t)n, "\"}");
    memset(line + n, ' ', PROTO_DISCOVER_MIN_SIZE - (size_t)n);
    send_raw(c, "127.0.0.1", discovery_port(d), line, PROTO_DISCOVER_MIN_SIZE);
    pump(d, 0, 1);
    expect_answers(c, 0);
    assert_int_equal(discovery_stats(d)->answered, 0);
    close(c);
    discovery_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_probe_is_answered_with_the_servers_details),
        cmocka_unit_test(test_two_runs_have_different_ids),
        cmocka_unit_test(test_the_token_is_echoed_exactly),
        cmocka_unit_test(test_a_loopback_broadcast_is_answered_even_when_bound_to_one_address),
        cmocka_unit_test(test_a_bind_address_that_cannot_be_served_is_refused),
        cmocka_unit_test(test_invalid_datagrams_get_no_answer),
        cmocka_unit_test(test_a_long_name_is_cut_at_a_character_boundary),
        cmocka_unit_test(test_another_version_is_answered_with_ours),
        cmocka_unit_test(test_one_sender_is_limited_to_its_rate),
        cmocka_unit_test(test_all_senders_together_are_limited),
        cmocka_unit_test(test_the_sender_table_stays_bounded),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_the_browser_finds_a_server_through_the_loopback_broadcast),
        cmocka_unit_test(test_the_browser_merges_by_id_flags_versions_and_forgets),
        cmocka_unit_test(test_an_answer_to_an_old_probe_is_ignored),
        cmocka_unit_test(test_a_bad_discovery_address_is_refused),
        cmocka_unit_test(test_a_short_probe_gets_no_answer),
        cmocka_unit_test(test_the_largest_answer_fits_in_a_minimal_probe),
        cmocka_unit_test(test_an_answer_larger_than_its_probe_is_not_sent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
