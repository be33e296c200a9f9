/* test_client_menu.c -- the main menu (keys, clicks, controller-style events), settings.json and
 * the settings screen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "client_core_fake.h"

/* The menu's rows are 320 wide, centred, from y = 220, 66 apart (see scene_menu.c). */
static void click_menu_row(client_t *c, int row)
{
    ccf_click(c, c->view_w / 2, 220 + row * 66 + 26);
}

static void test_menu_keys(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    assert_int_equal(c->menu.focus, MENU_JOIN);
    ccf_key(c, IN_DOWN);
    assert_int_equal(c->menu.focus, MENU_HOST);
    ccf_key(c, IN_UP);
    ccf_key(c, IN_UP); /* wraps to the bottom */
    assert_int_equal(c->menu.focus, MENU_QUIT);
    ccf_key(c, IN_DOWN); /* and back to the top */
    assert_int_equal(c->menu.focus, MENU_JOIN);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_JOIN);
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_HOST);
    ccf_key(c, IN_BACK);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_REPLAYS);
    ccf_key(c, IN_BACK);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_CONFIRM);
    assert_int_equal(c->scene, SCENE_SETTINGS);
    ccf_free(c);
}

/* Esc on the menu only moves to Quit; Enter then quits. */
static void test_menu_esc_then_quit(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    ccf_key(c, IN_BACK);
    assert_false(c->quit);
    assert_int_equal(c->menu.focus, MENU_QUIT);
    ccf_key(c, IN_CONFIRM);
    assert_true(c->quit);
    ccf_free(c);
}

static void test_menu_mouse(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    input_event_t hover = {.kind = IN_POINT, .x = c->view_w / 2, .y = 220 + 3 * 66 + 10};
    client_input(c, &hover);
    assert_int_equal(c->menu.focus, MENU_SETTINGS);
    ccf_click(c, 10, 10); /* nowhere */
    assert_int_equal(c->scene, SCENE_MENU);
    click_menu_row(c, MENU_HOST);
    assert_int_equal(c->scene, SCENE_HOST);
    client_goto(c, SCENE_MENU);
    click_menu_row(c, MENU_QUIT);
    assert_true(c->quit);
    ccf_free(c);
}

/* The menu follows a wider view (its rows stay centred). */
static void test_menu_wide_view(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    c->view_w = 1600;
    click_menu_row(c, MENU_JOIN);
    assert_int_equal(c->scene, SCENE_JOIN);
    ccf_free(c);
}

static char tmp_path[256];

static int make_tmp(void **state)
{
    (void)state;
    snprintf(tmp_path, sizeof tmp_path, "/tmp/nine43-settings-test-%d.json", (int)getpid());
    remove(tmp_path);
    return 0;
}

static int remove_tmp(void **state)
{
    (void)state;
    remove(tmp_path);
    return 0;
}

static void write_file(const char *text)
{
    FILE *f = fopen(tmp_path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_settings_round_trip(void **state)
{
    (void)state;
    settings_t s, t;
    settings_defaults(&s);
    snprintf(s.username, sizeof s.username, "Zoë");
    snprintf(s.last_host, sizeof s.last_host, "192.168.1.20");
    s.last_port = 12345;
    s.fullscreen = true;
    s.host_group_size = 4;
    s.host_round_seconds = 90;
    s.host_port = 10000;
    s.volume = 35;
    s.muted = true;
    char err[256];
    assert_int_equal(settings_save(&s, tmp_path, err, sizeof err), 0);
    assert_int_equal(settings_load(&t, tmp_path, err, sizeof err), 0);
    assert_string_equal(t.username, "Zoë");
    assert_string_equal(t.last_host, "192.168.1.20");
    assert_int_equal(t.last_port, 12345);
    assert_true(t.fullscreen);
    assert_int_equal(t.host_group_size, 4);
    assert_int_equal(t.host_round_seconds, 90);
    assert_int_equal(t.host_port, 10000);
    assert_int_equal(t.volume, 35);
    assert_true(t.muted);
}

static void test_settings_missing_file_is_defaults(void **state)
{
    (void)state;
    settings_t s;
    char err[256] = "";
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), 0);
    assert_string_equal(s.last_host, "localhost");
    assert_int_equal(s.last_port, SETTINGS_DEFAULT_PORT);
    assert_int_equal(s.host_group_size, 2);
    assert_string_equal(s.username, "");
    assert_int_equal(s.volume, SETTINGS_DEFAULT_VOLUME);
    assert_false(s.muted);
}

static void test_settings_not_json(void **state)
{
    (void)state;
    settings_t s;
    char err[256] = "";
    write_file("{\"username\": \"al");
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    assert_string_equal(s.last_host, "localhost");
    write_file("[1, 2, 3]");
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), -1);
}

/* Wrong types and out-of-range values fall back to defaults, one by one. */
static void test_settings_bad_values(void **state)
{
    (void)state;
    settings_t s;
    char err[256] = "";
    write_file("{\"username\": 42, \"last_host\": \"example.org\", \"last_port\": 70000,"
               " \"fullscreen\": \"yes\", \"host_group_size\": 9, \"host_round_seconds\": -5,"
               " \"host_port\": 8080.5, \"unknown\": {\"a\": 1}}");
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), 0);
    assert_string_equal(s.username, "");
    assert_string_equal(s.last_host, "example.org");
    assert_int_equal(s.last_port, SETTINGS_DEFAULT_PORT);
    assert_false(s.fullscreen);
    assert_int_equal(s.host_group_size, 2);
    assert_int_equal(s.host_round_seconds, 0);
    assert_int_equal(s.host_port, SETTINGS_DEFAULT_PORT);
    write_file("{\"volume\": 101, \"muted\": 1}");
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), 0);
    assert_int_equal(s.volume, SETTINGS_DEFAULT_VOLUME);
    assert_false(s.muted);
    /* A number far beyond an int is refused, not converted. */
    write_file("{\"last_port\": 1e300, \"host_port\": -1e300}");
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), 0);
    assert_int_equal(s.last_port, SETTINGS_DEFAULT_PORT);
    assert_int_equal(s.host_port, SETTINGS_DEFAULT_PORT);
    /* A name too long or with a control character is not taken. */
    write_file("{\"username\": \"abcdefghijklmnopq\"}");
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), 0);
    assert_string_equal(s.username, "");
    write_file("{\"username\": \"a\\u0007b\"}");
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), 0);
    assert_string_equal(s.username, "");
}

static void test_settings_too_large(void **state)
{
    (void)state;
    FILE *f = fopen(tmp_path, "wb");
    assert_non_null(f);
    fputs("{\"username\": \"bob\", \"pad\": \"", f);
    for (int i = 0; i < SETTINGS_MAX_FILE; i++)
        fputc('x', f);
    fputs("\"}", f);
    fclose(f);
    settings_t s;
    char err[256] = "";
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), -1);
    assert_string_equal(s.username, "");
}

static void test_settings_save_unwritable(void **state)
{
    (void)state;
    settings_t s;
    settings_defaults(&s);
    char err[256] = "";
    assert_int_equal(settings_save(&s, "/nonexistent-dir/settings.json", err, sizeof err), -1);
    assert_true(strlen(err) > 0);
}

/* A settings file that cannot be written does not trap the player on the settings screen:
 * Back still returns to the menu, which says why nothing was saved. */
static void test_settings_scene_unwritable(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    snprintf(c->settings_path, sizeof c->settings_path, "/nonexistent-dir/settings.json");
    client_goto(c, SCENE_SETTINGS);
    ccf_type(c, "bob");
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_string_equal(c->settings.username, "bob"); /* kept for this session */
    assert_non_null(strstr(c->notice, "not saved"));
    ccf_free(c);
}

/* The settings screen edits, validates and saves to the client's settings file. */
static void test_settings_scene(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    snprintf(c->settings_path, sizeof c->settings_path, "%s", tmp_path);
    client_goto(c, SCENE_SETTINGS);
    assert_int_equal(c->settings_scene.focus, SETROW_USERNAME);
    ccf_type(c, "  Amélie "); /* spaces at either end: trimmed on save */
    ccf_key(c, IN_DOWN);      /* your colour: none, then the palette in order, round again */
    assert_int_equal(c->settings.color, -1);
    ccf_key(c, IN_LEFT);
    assert_int_equal(c->settings.color, PALETTE_COUNT - 1);
    ccf_key(c, IN_RIGHT);
    ccf_key(c, IN_RIGHT);
    ccf_key(c, IN_RIGHT);
    assert_int_equal(c->settings.color, 1);
    ccf_key(c, IN_DOWN); /* fullscreen */
    ccf_key(c, IN_CONFIRM);
    assert_true(c->settings.fullscreen);
    ccf_key(c, IN_DOWN); /* group size */
    ccf_key(c, IN_RIGHT);
    ccf_key(c, IN_RIGHT);
    assert_int_equal(c->settings.host_group_size, 4);
    ccf_key(c, IN_DOWN); /* round length */
    ccf_key(c, IN_RIGHT);
    assert_int_equal(c->settings.host_round_seconds, 30);
    ccf_key(c, IN_DOWN); /* port: digits only */
    ccf_backspaces(c, 5);
    ccf_type(c, "80a81");
    assert_string_equal(c->settings_scene.port, "8081");
    ccf_key(c, IN_DOWN); /* sound volume: Left/Right by 10, within 0..100; Enter mutes */
    ccf_key(c, IN_LEFT);
    ccf_key(c, IN_LEFT);
    assert_int_equal(c->settings.volume, SETTINGS_DEFAULT_VOLUME - 20);
    for (int i = 0; i < 12; i++)
        ccf_key(c, IN_RIGHT);
    assert_int_equal(c->settings.volume, SETTINGS_MAX_VOLUME);
    ccf_key(c, IN_CONFIRM);
    assert_true(c->settings.muted);
    ccf_key(c, IN_DOWN);
    ccf_key(c, IN_CONFIRM); /* Save and go back */
    assert_int_equal(c->scene, SCENE_MENU);
    settings_t s;
    char err[256];
    assert_int_equal(settings_load(&s, tmp_path, err, sizeof err), 0);
    assert_string_equal(s.username, "Amélie");
    assert_int_equal(s.color, 1);
    assert_true(s.fullscreen);
    assert_int_equal(s.host_group_size, 4);
    assert_int_equal(s.host_round_seconds, 30);
    assert_int_equal(s.host_port, 8081);
    assert_int_equal(s.volume, SETTINGS_MAX_VOLUME);
    assert_true(s.muted);
    ccf_free(c);
}

/* A bad port stays on the screen with a message. */
static void test_settings_scene_bad_port(void **state)
{
    (void)state;
    client_t *c = ccf_client();
    client_goto(c, SCENE_SETTINGS);
    c->settings_scene.focus = SETROW_HOST_PORT;
    ccf_backspaces(c, 5);
    ccf_type(c, "99999");
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_SETTINGS);
    assert_non_null(strstr(c->settings_scene.message, "port"));
    ccf_backspaces(c, 5);
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_SETTINGS); /* empty is not a port either */
    ccf_type(c, "9000");
    ccf_key(c, IN_BACK);
    assert_int_equal(c->scene, SCENE_MENU);
    assert_int_equal(c->settings.host_port, 9000);
    ccf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_menu_keys),
        cmocka_unit_test(test_menu_esc_then_quit),
        cmocka_unit_test(test_menu_mouse),
        cmocka_unit_test(test_menu_wide_view),
        cmocka_unit_test_setup_teardown(test_settings_round_trip, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_settings_missing_file_is_defaults, make_tmp,
                                        remove_tmp),
        cmocka_unit_test_setup_teardown(test_settings_not_json, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_settings_bad_values, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_settings_too_large, make_tmp, remove_tmp),
        cmocka_unit_test(test_settings_save_unwritable),
        cmocka_unit_test(test_settings_scene_unwritable),
        cmocka_unit_test_setup_teardown(test_settings_scene, make_tmp, remove_tmp),
        cmocka_unit_test(test_settings_scene_bad_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
