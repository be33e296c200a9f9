/* no_random.c -- a system without random bytes, for test_secrets: getrandom and getentropy fail
 * with ENOSYS. Linked into the test itself, and preloaded (LD_PRELOAD) into the servers it runs,
 * so that what makes secrets through the seam meets the failure */
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

ssize_t getrandom(void *buf, size_t len, unsigned int flags);
int getentropy(void *buf, size_t len);

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
    (void)buf;
    (void)len;
    (void)flags;
    errno = ENOSYS;
    return -1;
}

int getentropy(void *buf, size_t len)
{
    (void)buf;
    (void)len;
    errno = ENOSYS;
    return -1;
}
