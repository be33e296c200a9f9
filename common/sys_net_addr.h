/* sys_net_addr.h -- the seam's private view of addresses, for sys_net.c and sys_net_<platform>.c
 * only: the OS's sockaddr types (the one place that chooses Winsock's headers or the BSD ones),
 * sys_addr_t's bytes as a sockaddr, and the two things each platform's file gives the
 * platform-free sys_net.c. Nothing outside the seam includes it. */
#ifndef NINE43_SYS_NET_ADDR_H
#define NINE43_SYS_NET_ADDR_H

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include "sys_net.h"

/* a's bytes as the OS's socket address. */
static inline const struct sockaddr *sys_addr_sa(const sys_addr_t *a)
{
    return (const struct sockaddr *)(const void *)a->u.raw;
}

/* Stores the len bytes of sa in a (cut to what a holds; a negative len stores none). In
 * sys_net.c. */
void sys_addr_from(sys_addr_t *a, const struct sockaddr *sa, long len);

/* From sys_net_<platform>.c: */

/* Readies the OS's socket library before its first use (Winsock's start, once per process;
 * nothing on POSIX). Returns 0, or -1 with the reason in err (err may be NULL). */
int sys_net_start(char *err, size_t errlen);

/* Writes "cannot resolve HOST: reason" for getaddrinfo's failure rc into err (err may be NULL):
 * on POSIX an EAI_* code with its own texts, on Windows a Winsock error. */
void sys_net_fmt_resolve(char *err, size_t errlen, const char *host, int rc);

#endif
