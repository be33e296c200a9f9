/* test_utf8.c -- UTF-8 validation, counting, control characters, sanitising and prefixes */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void test_valid_text(void **state)
{
    (void)state;
    assert_true(utf8_valid(S("")));
    assert_true(utf8_valid(S("alice")));
    assert_true(utf8_valid(S("caf\xc3\xa9")));      /* é */
    assert_true(utf8_valid(S("\xe2\x82\xac")));     /* € */
    assert_true(utf8_valid(S("\xf0\x9f\x98\x80"))); /* an emoji, 4 bytes */
    assert_true(utf8_valid(S("\xf4\x8f\xbf\xbf"))); /* U+10FFFF, the last code point */
    assert_true(utf8_valid(S("\xed\x9f\xbf")));     /* U+D7FF, just below surrogates */
    assert_true(utf8_valid(S("\xee\x80\x80")));     /* U+E000, just above them */
}

static void test_invalid_text(void **state)
{
    (void)state;
    assert_false(utf8_valid(S("\x80")));             /* a lone continuation byte */
    assert_false(utf8_valid(S("\xc0\x80")));         /* overlong NUL */
    assert_false(utf8_valid(S("\xc1\xbf")));         /* overlong */
    assert_false(utf8_valid(S("\xe0\x80\x80")));     /* overlong 3-byte */
    assert_false(utf8_valid(S("\xe0\x9f\xbf")));     /* overlong 3-byte, the highest */
    assert_false(utf8_valid(S("\xed\xa0\x80")));     /* surrogate U+D800 */
    assert_false(utf8_valid(S("\xed\xbf\xbf")));     /* surrogate U+DFFF */
    assert_false(utf8_valid(S("\xf0\x80\x80\x80"))); /* overlong 4-byte */
    assert_false(utf8_valid(S("\xf4\x90\x80\x80"))); /* above U+10FFFF */
    assert_false(utf8_valid(S("\xf5\x80\x80\x80"))); /* F5 never appears */
    assert_false(utf8_valid(S("\xff")));
    assert_false(utf8_valid(S("caf\xc3")));      /* truncated at the end */
    assert_false(utf8_valid(S("\xe2\x82")));     /* truncated 3-byte */
    assert_false(utf8_valid(S("\xe2\x28\xa1"))); /* bad second byte */
    /* The length bounds the check: a sequence cut by len is invalid even if bytes follow. */
    assert_false(utf8_valid("\xc3\xa9", 1));
}

static void test_check_offset(void **state)
{
    (void)state;
    assert_int_equal(utf8_check(S("abc")), 3);
    assert_int_equal(utf8_check(S("ab\xffz")), 2);
    assert_int_equal(utf8_check(S("\xc3\xa9\xc3")), 2);
}

/* Lines are checked eight ASCII bytes at a time: a bad byte is found at its offset wherever it
 * falls in or after such a run, and a run cut by len stops there. */
static void test_check_offset_long(void **state)
{
    (void)state;
    char buf[64];
    for (size_t at = 0; at < 40; at++) {
        memset(buf, 'a', sizeof buf);
        buf[at] = (char)0xff;
        assert_int_equal(utf8_check(buf, sizeof buf), at);
        assert_int_equal(utf8_check(buf, at), at); /* all ASCII up to len */
        memcpy(buf + at, "\xc3\xa9", 2);           /* an é there instead: valid */
        assert_int_equal(utf8_check(buf, sizeof buf), sizeof buf);
        assert_int_equal(utf8_check(buf, at + 1), at); /* é cut by len */
    }
    assert_int_equal(utf8_check(S("0123456789abcdef\xe2\x82\xac"
                                  "0123456789\x80")),
                     29);
}

static void test_count(void **state)
{
    (void)state;
    assert_int_equal(utf8_count(S("")), 0);
    assert_int_equal(utf8_count(S("alice")), 5);
    assert_int_equal(utf8_count(S("caf\xc3\xa9")), 4);
    assert_int_equal(utf8_count(S("\xf0\x9f\x98\x80!")), 2);
}

static void test_control(void **state)
{
    (void)state;
    assert_false(utf8_has_control(S("alice and bob")));
    assert_false(utf8_has_control(S("caf\xc3\xa9 \xc2\xa0"))); /* U+00A0 is not a control */
    assert_true(utf8_has_control(S("a\tb")));
    assert_true(utf8_has_control(S("a\nb")));
    assert_true(utf8_has_control(S("\x1b[31m")));
    assert_true(utf8_has_control(S("a\x7f")));     /* DEL */
    assert_true(utf8_has_control(S("a\xc2\x85"))); /* U+0085, a C1 control */
    assert_true(utf8_has_control(S("\xc2\x9f")));  /* U+009F */
}

static void test_sanitize(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(utf8_sanitize(out, sizeof out, S("he\x1bllo\n"), 100), 5);
    assert_string_equal(out, "hello");
    /* At most max_chars code points kept. */
    assert_int_equal(utf8_sanitize(out, sizeof out, S("caf\xc3\xa9 au lait"), 4), 5);
    assert_string_equal(out, "caf\xc3\xa9");
    /* A code point that does not fit whole is left out, never cut in half. */
    char small[5];
    assert_int_equal(utf8_sanitize(small, sizeof small, S("abc\xe2\x82\xac"), 100), 3);
    assert_string_equal(small, "abc");
    /* C1 controls are dropped too. */
    assert_int_equal(utf8_sanitize(out, sizeof out, S("a\xc2\x85z"), 100), 2);
    assert_string_equal(out, "az");
}

static void test_prefix_bytes(void **state)
{
    (void)state;
    assert_int_equal(utf8_prefix_bytes(S("caf\xc3\xa9!"), 4), 5);
    assert_int_equal(utf8_prefix_bytes(S("caf\xc3\xa9!"), 3), 3);
    assert_int_equal(utf8_prefix_bytes(S("ab"), 10), 2);
    assert_int_equal(utf8_prefix_bytes(S("ab"), 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_text),   cmocka_unit_test(test_invalid_text),
        cmocka_unit_test(test_check_offset), cmocka_unit_test(test_check_offset_long),
        cmocka_unit_test(test_count),        cmocka_unit_test(test_control),
        cmocka_unit_test(test_sanitize),     cmocka_unit_test(test_prefix_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
