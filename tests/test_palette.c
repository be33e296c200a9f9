/* test_palette.c -- the players' palette: its colours stay apart from one another and from the
 * map in normal vision and simulated protanopia, deuteranopia and tritanopia; the nearest free
 * colour, a distinct one for a player who chose none; a stable colour per name */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "palette.h"

/* CIE76 distances (about 2.3 is the smallest difference one notices side by side; these are
 * clear differences). The floor, walls and coins of client/draw_map.c. */
#define PALETTE_TEST_MIN_PAIR 12.0
#define PALETTE_TEST_MIN_MAP  13.0
#define PALETTE_TEST_MIN_L    52.0 /* lightness: readable on the dark floor */
#define PALETTE_TEST_MIN_COIN 20.0 /* from the coins' gold: a player is never taken for a coin */

static const uint8_t MAP_COLOURS[][3] = {
    {30, 36, 52}, {37, 44, 63}, {78, 92, 128}, {122, 138, 180}, {250, 204, 64},
};
#define COIN_GOLD 4 /* MAP_COLOURS[4]: a coin's face */

/* Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB. */
static const double CVD[3][3][3] = {
    {{0.152286, 1.052583, -0.204868},
     {0.114503, 0.786281, 0.099216},
     {-0.003882, -0.048116, 1.051998}}, /* protanopia */
    {{0.367322, 0.860646, -0.227968},
     {0.280085, 0.672501, 0.047413},
     {-0.011820, 0.042940, 0.968881}}, /* deuteranopia */
    {{1.255528, -0.076749, -0.178779},
     {-0.078411, 0.930809, 0.147602},
     {0.004733, 0.691367, 0.303900}}, /* tritanopia */
};

static double to_linear(double c)
{
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lab_f(double t)
{
    return t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116.0;
}

/* vision 0 = normal, 1..3 = the CVD matrices; out = L*a*b*. */
static void to_lab(const uint8_t rgb[3], int vision, double out[3])
{
    double l[3] = {to_linear(rgb[0]), to_linear(rgb[1]), to_linear(rgb[2])};
    if (vision > 0) {
        double s[3];
        for (int i = 0; i < 3; i++) {
            s[i] = 0;
            for (int j = 0; j < 3; j++)
                s[i] += CVD[vision - 1][i][j] * l[j];
            s[i] = s[i] < 0 ? 0 : s[i] > 1 ? 1 : s[i];
        }
        memcpy(l, s, sizeof l);
    }
    double x = (0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2]) / 0.95047;
    double y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    double z = (0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2]) / 1.08883;
    out[0] = 116 * lab_f(y) - 16;
    out[1] = 500 * (lab_f(x) - lab_f(y));
    out[2] = 200 * (lab_f(y) - lab_f(z));
}

static double distance(const uint8_t a[3], const uint8_t b[3], int vision)
{
    double la[3], lb[3];
    to_lab(a, vision, la);
    to_lab(b, vision, lb);
    return sqrt((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1]) +
                (la[2] - lb[2]) * (la[2] - lb[2]));
}

static void test_colours_stay_apart(void **state)
{
    (void)state;
    assert_true(PALETTE_COUNT >= 10);
    static const char *const visions[] = {"normal", "protanopia", "deuteranopia", "tritanopia"};
    for (int v = 0; v < 4; v++) {
        for (int a = 0; a < PALETTE_COUNT; a++) {
            for (int b = a + 1; b < PALETTE_COUNT; b++) {
                double d = distance(PALETTE[a].rgb, PALETTE[b].rgb, v);
                if (d < PALETTE_TEST_MIN_PAIR)
                    fail_msg("%s and %s are %.1f apart in %s vision", PALETTE[a].name,
                             PALETTE[b].name, d, visions[v]);
            }
            for (size_t m = 0; m < sizeof MAP_COLOURS / sizeof MAP_COLOURS[0]; m++) {
                double d = distance(PALETTE[a].rgb, MAP_COLOURS[m], v);
                bool coin = m == COIN_GOLD;
                if (d < (coin ? PALETTE_TEST_MIN_COIN : PALETTE_TEST_MIN_MAP))
                    fail_msg("%s is %.1f from map colour %zu in %s vision", PALETTE[a].name, d, m,
                             visions[v]);
            }
        }
    }
    for (int a = 0; a < PALETTE_COUNT; a++) {
        double lab[3];
        to_lab(PALETTE[a].rgb, 0, lab);
        if (lab[0] < PALETTE_TEST_MIN_L)
            fail_msg("%s is too dark for the floor (L* %.0f)", PALETTE[a].name, lab[0]);
        for (int b = a + 1; b < PALETTE_COUNT; b++)
            assert_string_not_equal(PALETTE[a].name, PALETTE[b].name);
    }
}

static void test_nearest_free(void **state)
{
    (void)state;
    bool used[PALETTE_COUNT] = {false};
    assert_int_equal(palette_nearest_free(0, used), 0);
    used[0] = true; /* red taken: the nearest is a warm one, never a cool one */
    int got = palette_nearest_free(0, used);
    assert_true(got > 0);
    assert_true(strcmp(PALETTE[got].name, "pink") == 0 ||
                strcmp(PALETTE[got].name, "apricot") == 0);
    for (int i = 0; i < PALETTE_COUNT; i++)
        used[i] = true;
    assert_int_equal(palette_nearest_free(3, used), -1);
    /* Without a choice: a colour too like one in use gives way to one unlike all of them. */
    bool some[PALETTE_COUNT] = {false};
    int pink = -1, magenta = -1;
    for (int i = 0; i < PALETTE_COUNT; i++) {
        pink = strcmp(PALETTE[i].name, "pink") == 0 ? i : pink;
        magenta = strcmp(PALETTE[i].name, "magenta") == 0 ? i : magenta;
    }
    assert_int_equal(palette_distinct_free(pink, some), pink); /* nothing in use yet */
    some[magenta] = true;
    int other = palette_distinct_free(pink, some);
    assert_int_not_equal(other, pink);
    assert_int_not_equal(other, magenta);
    for (int i = 0; i < PALETTE_COUNT; i++)
        some[i] = true;
    assert_int_equal(palette_distinct_free(0, some), -1);
    assert_int_equal(palette_find(PALETTE[7].rgb), 7);
    assert_int_equal(palette_find((const uint8_t[3]){1, 2, 3}), -1);
    assert_int_equal(palette_for_name("alice"), palette_for_name("alice"));
    assert_in_range(palette_for_name(""), 0, PALETTE_COUNT - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colours_stay_apart),
        cmocka_unit_test(test_nearest_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
