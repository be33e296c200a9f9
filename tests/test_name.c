/* test_name.c -- the Unicode rules for names and chat (common/name): each impersonating name of
 * issue 24 refused with its reason, confusable skeletons, hidden characters out of chat */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "name.h"

/* The names a hostile client got accepted, each with the words its refusal must hold. */
static const struct {
    const char *name, *why;
} NAME_REFUSED[] = {
    {"\xe2\x80\xae"
     "ecila",
     "formatting character (U+202E)"},                         /* right-to-left override */
    {"\xef\xbb\xbf", "formatting character (U+FEFF)"},         /* byte order mark alone */
    {"\xe3\x80\x80", "starts or ends with a space (U+3000)"},  /* ideographic space alone */
    {"listener\xe2\x80\x8b", "formatting character (U+200B)"}, /* zero-width space */
    {"bob\xe2\x80\xa8"
     "x",
     "line or paragraph separator (U+2028)"},
    {"alice\xc2\xa0", "starts or ends with a space (U+00A0)"}, /* trailing no-break space */
    {"\xc2\xa0"
     "alice",
     "starts or ends with a space (U+00A0)"},
    {"a\xe3\x80\x80"
     "b",
     "unusual space"},                                /* ideographic space inside */
    {"\xe3\x85\xa4", "invisible character (U+3164)"}, /* Hangul filler */
    {"\xe2\xa0\x80"
     "x",
     "invisible character (U+2800)"}, /* braille blank */
    {"a\xe2\x81\xa0"
     "b",
     "formatting character (U+2060)"}, /* word joiner */
    {"\xee\x80\x80"
     "x",
     "unassigned or private-use character (U+E000)"},
    {"\xcc\x81"
     "abc",
     "starts with a combining mark (U+0301)"},
    {"a\xc2\x85"
     "b",
     "control"}, /* NEL, a C1 control (the basic rule) */
    {" alice", "starts or ends with a space"},
};

static void test_refused_with_reason(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof NAME_REFUSED / sizeof NAME_REFUSED[0]; i++) {
        char err[256] = "";
        if (name_check(NAME_REFUSED[i].name, err, sizeof err) != -1 ||
            !strstr(err, NAME_REFUSED[i].why))
            fail_msg("name %zu: got \"%s\", want \"%s\"", i, err, NAME_REFUSED[i].why);
    }
}

static void test_ordinary_names_pass(void **state)
{
    (void)state;
    const char *ok[] = {
        "alice",
        "Ana Mar\xc3\xad"
        "a",
        "\xd0\xb0\xd0\xbd\xd1\x8f", /* аня */
        "\xed\x95\x9c\xea\xb8\x80", /* 한글 */
        "\xe5\xa4\xaa\xe9\x83\x8e",
        "Zo\xc3\xab",
        "x_y-z.1",
        "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", /* an emoji with a joiner: refused */
    };
    for (size_t i = 0; i + 1 < sizeof ok / sizeof ok[0]; i++) {
        char err[256] = "x";
        if (name_check(ok[i], err, sizeof err) != 0 || err[0])
            fail_msg("\"%s\" refused: %s", ok[i], err);
    }
    char err[256];
    assert_int_equal(name_check(ok[7], err, sizeof err), -1); /* U+200D is Cf in a name */
}

static void skeleton(const char *name, char *out)
{
    name_skeleton(name, out, NAME_SKELETON_SIZE);
}

static void test_confusable_skeletons(void **state)
{
    (void)state;
    char a[NAME_SKELETON_SIZE], b[NAME_SKELETON_SIZE];
    const char *same[][2] = {
        {"alice", "\xd0\xb0lice"},                        /* Cyrillic а */
        {"alice", "ALICE"},                               /* letter case */
        {"alice", "\xd0\x90LICE"},                        /* Cyrillic А, upper case */
        {"paypal", "\xd1\x80\xd0\xb0y\xd1\x80\xd0\xb0l"}, /* р, а */
        {"1lona", "llona"},                               /* one, small l */
        {"rn", "m"},
        {"0scar", "Oscar"},
        {"caf\xc3\xa9", "cafe\xcc\x81"},                          /* é, precomposed and combined */
        {"\xed\x95\x9c", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"}, /* 한 and its letters */
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        skeleton(same[i][0], a);
        skeleton(same[i][1], b);
        if (strcmp(a, b) != 0)
            fail_msg("pair %zu: \"%s\" and \"%s\" differ", i, a, b);
    }
    const char *differ[][2] = {{"alice", "alicia"}, {"bob", "rob"}, {"anna", "anne"}};
    for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
        skeleton(differ[i][0], a);
        skeleton(differ[i][1], b);
        assert_string_not_equal(a, b);
    }
}

static void test_skeleton_cut(void **state)
{
    (void)state;
    char small[4];
    memset(small, 'z', sizeof small);
    name_skeleton("\xd0\xb0\xd0\xb0\xd0\xb0\xd0\xb0", small, sizeof small); /* аааа -> aaa */
    assert_string_equal(small, "aaa");
    name_skeleton("abc\xff", small, sizeof small); /* a byte that is not UTF-8 is kept */
    assert_string_equal(small, "abc");
}

static void test_chat_hidden_stripped(void **state)
{
    (void)state;
    char text[128];
    strcpy(text, "gg \xe2\x80\xae"
                 "dlrow"); /* RLO would reverse the rest */
    assert_int_equal(name_strip_hidden(text), strlen("gg dlrow"));
    assert_string_equal(text, "gg dlrow");
    strcpy(text, "a\xe2\x80\x8b"
                 "b\xe2\x81\xa0"
                 "c\xef\xbb\xbf"
                 "d\xe2\x80\xa8"
                 "e\xe2\x81\xa6"
                 "f");
    name_strip_hidden(text);
    assert_string_equal(text, "abcdef");
    /* Joiners stay: an emoji family and Persian spelling need them. */
    strcpy(text, "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9 \xd9\x85\xdb\x8c\xe2\x80\x8c");
    size_t len = strlen(text);
    assert_int_equal(name_strip_hidden(text), len);
}

/* What a player typed loses every kind of space at either end, and only there, before the server
 * sees it: the name it checks is the one on screen. */
static void test_trim_every_space(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"  alice  ", "alice"},
        {"alice\xc2\xa0", "alice"}, /* no-break space */
        {"\xe3\x80\x80"
         "alice\xe3\x80\x80",
         "alice"}, /* ideographic space */
        {"\xe2\x80\x83"
         "al ice\xe2\x80\xaf ",
         "al ice"},                         /* em space, narrow no-break space */
        {"al\xc2\xa0ice", "al\xc2\xa0ice"}, /* inside: left for name_check to refuse */
        {" \xc2\xa0 ", ""},
        {"", ""},
        {"\xe2\x80\x8b alice", "\xe2\x80\x8b alice"}, /* a zero-width space is no space */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        assert_int_equal(name_trim(buf), strlen(cases[i].out));
        assert_string_equal(buf, cases[i].out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_with_reason),  cmocka_unit_test(test_ordinary_names_pass),
        cmocka_unit_test(test_confusable_skeletons), cmocka_unit_test(test_skeleton_cut),
        cmocka_unit_test(test_chat_hidden_stripped), cmocka_unit_test(test_trim_every_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
