/* sys_os.c -- the part of sys_os.h that is the same on every platform: sleeping a number of
 * milliseconds on the monotonic clock, the limit on one call for random bytes, and random bytes
 * as a hex secret. Calls the OS only through sys_os.h and the platform's random source
 * (sys_os_random.h, in sys_os_<platform>.c). */
#include "sys_os.h"

#include <stdio.h>

#include "sys_os_random.h"

void sys_sleep_ms(int ms)
{
    if (ms > 0)
        sys_sleep_until_ns(sys_clock_ns() + (int64_t)ms * SYS_NS_PER_MS);
}

int sys_random_bytes(void *buf, size_t len, char *err, size_t errlen)
{
    if (len > SYS_RANDOM_LIMIT) {
        if (err && errlen)
            snprintf(err, errlen, "%zu random bytes asked at once (at most %d)", len,
                     SYS_RANDOM_LIMIT);
        return -1;
    }
    return sys_random_fill(buf, len, err, errlen);
}

int sys_random_hex(char *out, size_t cap, size_t bytes, char *err, size_t errlen)
{
    unsigned char raw[SYS_RANDOM_LIMIT];
    if (cap > 0)
        out[0] = '\0';
    if (cap < bytes * 2 + 1 || bytes > sizeof raw) {
        if (err && errlen)
            snprintf(err, errlen, "no room for a %zu-byte secret", bytes);
        return -1;
    }
    if (sys_random_bytes(raw, bytes, err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}
