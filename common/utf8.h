/* utf8.h -- UTF-8 validation and counting for usernames, chat and world text; depends on nothing */
#ifndef NINE43_UTF8_H
#define NINE43_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no truncated sequence. */
bool utf8_valid(const char *s, size_t len);

/* Offset of the first byte of s[0..len) that does not start a well-formed sequence, or len
 * when all of it is well-formed (utf8_valid is utf8_check(s, len) == len). */
size_t utf8_check(const char *s, size_t len);

/* Number of code points in well-formed UTF-8 s[0..len). */
size_t utf8_count(const char *s, size_t len);

/* True when s[0..len) (well-formed) contains a C0/C1 control character or DEL. */
bool utf8_has_control(const char *s, size_t len);

/* Copies well-formed src[0..len) to dst (capacity cap, NUL-terminated), dropping control
 * characters and keeping at most max_chars code points. Returns the bytes written. */
size_t utf8_sanitize(char *dst, size_t cap, const char *src, size_t len, size_t max_chars);

/* Byte length of the first n code points of well-formed s (or len if it has fewer). */
size_t utf8_prefix_bytes(const char *s, size_t len, size_t n);

#endif
