/* sys_net.c -- the part of sys_net.h that is the same on every platform: resolving names with
 * getaddrinfo, building, reading and formatting IPv4/IPv6 addresses (inet_ntop, inet_pton), and
 * IPv4 byte order. Sees the OS's address types through sys_net_addr.h only; what differs per
 * platform (starting the socket library, the text of a resolver error) comes from
 * sys_net_<platform>.c. */
#include "sys_net_addr.h"

#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(((sys_addr_t *)0)->u.raw) >= sizeof(struct sockaddr_storage),
               "sys_addr_t holds any address");

void sys_addr_from(sys_addr_t *a, const struct sockaddr *sa, long len)
{
    memset(a, 0, sizeof *a);
    if (len < 0)
        len = 0;
    if ((unsigned long)len > sizeof a->u.raw)
        len = (long)sizeof a->u.raw;
    memcpy(a->u.raw, sa, (size_t)len);
    a->len = (unsigned)len;
}

int sys_addr_resolve(const char *host, int port, bool passive, sys_addr_t *out, int max, char *err,
                     size_t errlen)
{
    if (sys_net_start(err, errlen) < 0)
        return -1;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    int rc = getaddrinfo(host && host[0] ? host : NULL, service, &hints, &res);
    if (rc != 0) {
        sys_net_fmt_resolve(err, errlen, host ? host : "*", rc);
        return -1;
    }
    int n = 0;
    for (struct addrinfo *ai = res; ai && n < max; ai = ai->ai_next)
        if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
            sys_addr_from(&out[n++], ai->ai_addr, (long)ai->ai_addrlen);
    freeaddrinfo(res);
    if (n == 0 && err && errlen)
        snprintf(err, errlen, "cannot resolve %s: no IPv4 or IPv6 address", host ? host : "*");
    return n > 0 ? n : -1;
}

void sys_addr_any(sys_addr_t *a, bool ipv6, int port)
{
    memset(a, 0, sizeof *a);
    if (ipv6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)a->u.raw;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_any;
        in6->sin6_port = htons((uint16_t)port);
        a->len = sizeof *in6;
    } else {
        sys_addr_ipv4(a, htonl(INADDR_ANY), port);
    }
}

void sys_addr_ipv4(sys_addr_t *a, uint32_t ip_be, int port)
{
    memset(a, 0, sizeof *a);
    struct sockaddr_in *in = (struct sockaddr_in *)(void *)a->u.raw;
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = ip_be;
    in->sin_port = htons((uint16_t)port);
    a->len = sizeof *in;
}

bool sys_addr_get_ipv4(const sys_addr_t *a, uint32_t *ip_be, int *port)
{
    if (a->len < sizeof(struct sockaddr_in) || sys_addr_sa(a)->sa_family != AF_INET)
        return false;
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)a->u.raw;
    if (ip_be)
        *ip_be = in->sin_addr.s_addr;
    if (port)
        *port = ntohs(in->sin_port);
    return true;
}

bool sys_addr_is_ipv6(const sys_addr_t *a)
{
    return a->len > 0 && sys_addr_sa(a)->sa_family == AF_INET6;
}

int sys_addr_port(const sys_addr_t *a)
{
    if (sys_addr_is_ipv6(a))
        return ntohs(((const struct sockaddr_in6 *)(const void *)a->u.raw)->sin6_port);
    int port = 0;
    return sys_addr_get_ipv4(a, NULL, &port) ? port : 0;
}

void sys_addr_set_port(sys_addr_t *a, int port)
{
    if (sys_addr_is_ipv6(a))
        ((struct sockaddr_in6 *)(void *)a->u.raw)->sin6_port = htons((uint16_t)port);
    else if (a->len > 0 && sys_addr_sa(a)->sa_family == AF_INET)
        ((struct sockaddr_in *)(void *)a->u.raw)->sin_port = htons((uint16_t)port);
}

void sys_addr_format(const sys_addr_t *a, bool with_port, char *out, size_t cap)
{
    char host[INET6_ADDRSTRLEN] = "?";
    uint32_t ip;
    int port = sys_addr_port(a);
    sys_net_start(NULL, 0); /* inet_ntop is the socket library's on Windows */
    if (sys_addr_get_ipv4(a, &ip, NULL)) {
        inet_ntop(AF_INET, &ip, host, sizeof host);
        if (with_port)
            snprintf(out, cap, "%s:%d", host, port);
        else
            snprintf(out, cap, "%s", host);
    } else if (sys_addr_is_ipv6(a)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)a->u.raw;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        if (with_port)
            snprintf(out, cap, "[%s]:%d", host, port);
        else
            snprintf(out, cap, "%s", host);
    } else {
        snprintf(out, cap, "?");
    }
}

int sys_ipv4_parse(const char *text, uint32_t *ip_be)
{
    struct in_addr in;
    sys_net_start(NULL, 0);
    if (!text || inet_pton(AF_INET, text, &in) != 1)
        return -1;
    *ip_be = in.s_addr;
    return 0;
}

uint32_t sys_ipv4_be(uint32_t ip_host)
{
    return htonl(ip_host);
}

uint32_t sys_ipv4_host(uint32_t ip_be)
{
    return ntohl(ip_be);
}

void sys_ipv4_format(uint32_t ip_be, char *out, size_t cap)
{
    struct in_addr in;
    in.s_addr = ip_be; /* a macro on Windows: no designated initializer */
    char buf[INET_ADDRSTRLEN];
    sys_net_start(NULL, 0);
    snprintf(out, cap, "%s", inet_ntop(AF_INET, &in, buf, sizeof buf) ? buf : "?");
}
