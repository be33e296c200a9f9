/* sys_os_random.h -- the seam's private hook for random bytes, for sys_os.c and
 * sys_os_<platform>.c only: the platform's file fills, sys_os.c checks the length and makes hex.
 * Nothing outside the seam includes it. */
#ifndef NINE43_SYS_OS_RANDOM_H
#define NINE43_SYS_OS_RANDOM_H

#include <stddef.h>

/* len (<= SYS_RANDOM_LIMIT, checked by the caller) bytes from the operating system's random
 * source, never blocking and never from anything guessable. Returns 0, or -1 with the reason in
 * err (err may be NULL). In sys_os_<platform>.c. */
int sys_random_fill(void *buf, size_t len, char *err, size_t errlen);

#endif
