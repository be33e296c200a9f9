/* scene_connect.c -- "Connecting to host:port...", then on failure the reason, Retry, Back; reads
 * the session's link */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scene_connect.h"
#include "scene_common.h"
#include "widgets.h"

#define CONNECT_BUTTON_W   200
#define CONNECT_BUTTONS_Y  370
#define CONNECT_BUTTON_GAP 20

static void button_rect(const client_t *c, int i, int *x, int *y)
{
    int total = 2 * CONNECT_BUTTON_W + CONNECT_BUTTON_GAP;
    *x = c->view_w / 2 - total / 2 + i * (CONNECT_BUTTON_W + CONNECT_BUTTON_GAP);
    *y = CONNECT_BUTTONS_Y;
    if (c->session.link != SESSION_LINK_FAILED) /* Back alone, centred */
        *x = c->view_w / 2 - CONNECT_BUTTON_W / 2;
}

static void connect_enter(client_t *c)
{
    connect_t *k = &c->connect;
    int retries = k->autoplay_retries;
    memset(k, 0, sizeof *k);
    k->autoplay_retries = retries; /* counted across Retry */
    k->focus = 0; /* Retry, once there is one: Back stands alone until the link fails */
}

static void connect_retry(client_t *c)
{
    char host[sizeof c->session.server_host];
    client_fmt(host, sizeof host, "%s", c->session.server_host);
    client_connect(c, host, c->session.server_port); /* re-enters this scene */
}

static void connect_back(client_t *c)
{
    if (c->net && c->net->close)
        c->net->close(c);
    session_close(&c->session);
    c->connect.autoplay_retries = 0;
    if (c->session.hosting) {
        /* Our own server did not take us: stop it, and say so on the Host screen. */
        client_stop_hosting(c, NULL);
        if (c->session.link == SESSION_LINK_FAILED)
            session_hosting_failed(&c->session, c->session.link_text);
        client_goto(c, SCENE_HOST);
        return;
    }
    client_goto(c, c->connect_back);
}

static int button_at(const client_t *c, int x, int y)
{
    for (int i = c->session.link == SESSION_LINK_FAILED ? 0 : 1; i < 2; i++) {
        int bx, by;
        button_rect(c, i, &bx, &by);
        if (widget_hit(x, y, bx, by, CONNECT_BUTTON_W, SCENE_BUTTON_H))
            return i;
    }
    return -1;
}

static void press(client_t *c, int button)
{
    if (button == 0 && c->session.link == SESSION_LINK_FAILED)
        connect_retry(c);
    else if (button == 1)
        connect_back(c);
}

static void connect_input(client_t *c, const input_event_t *ev)
{
    connect_t *k = &c->connect;
    bool failed = c->session.link == SESSION_LINK_FAILED;
    switch (ev->kind) {
    case IN_BACK:
        connect_back(c);
        return;
    case IN_LEFT:
    case IN_RIGHT:
    case IN_TAB:
    case IN_UP:
    case IN_DOWN:
        if (failed)
            k->focus = 1 - k->focus;
        return;
    case IN_CONFIRM:
        press(c, failed ? k->focus : 1);
        return;
    case IN_POINT: {
        int b = button_at(c, ev->x, ev->y);
        if (b >= 0 && failed)
            k->focus = b;
        return;
    }
    case IN_CLICK: {
        int b = button_at(c, ev->x, ev->y);
        if (b >= 0 && (failed || b == 1))
            press(c, b);
        return;
    }
    default:
        return;
    }
}

static void connect_update(client_t *c)
{
    connect_t *k = &c->connect;
    if (c->session.link == SESSION_LINK_CONNECTED &&
        c->now_ms - c->session.up_ms >= CONNECT_GREETING_TIMEOUT_MS) {
        if (c->net && c->net->close)
            c->net->close(c);
        char why[128];
        client_fmt(why, sizeof why,
                   "it took the connection but said nothing for %d s (is it a nine43 server?)",
                   CONNECT_GREETING_TIMEOUT_MS / 1000);
        session_link_failed(&c->session, why, c->now_ms);
    }
    if (c->session.link != SESSION_LINK_FAILED || !c->autoplay)
        return;
    /* Nobody to press Retry: try a few more times (the server may still be starting). */
    if (k->autoplay_retries >= CONNECT_AUTOPLAY_RETRIES) {
        if (c->quit_after_rounds > 0) {
            fprintf(stderr, "nine43: %s\n", c->session.link_text);
            c->quit = true;
            c->exit_code = 1;
        }
        return;
    }
    if (c->now_ms - c->session.failed_ms >= CONNECT_AUTOPLAY_RETRY_MS) {
        k->autoplay_retries++;
        connect_retry(c);
    }
}

static void connect_draw(client_t *c, ui_t *ui)
{
    connect_t *k = &c->connect;
    char line[400];
    int vw = c->view_w;
    if (c->session.link == SESSION_LINK_FAILED) {
        scene_draw_heading(c, ui, "Could not connect", NULL);
        scene_draw_message(ui, vw / 2, 200, 720, c->session.link_text, UI_BAD);
    } else {
        scene_draw_heading(c, ui, "Connecting", NULL);
        static const char *const dots[] = {".  ", ".. ",
                                           "..."}; /* one width: the line stays still */
        if (c->session.link == SESSION_LINK_CONNECTED)
            client_fmt(line, sizeof line, "Connected to %s:%d, waiting for the server%s",
                       c->session.server_host, c->session.server_port, dots[(c->now_ms / 400) % 3]);
        else
            client_fmt(line, sizeof line, "Connecting to %s:%d%s", c->session.server_host,
                       c->session.server_port, dots[(c->now_ms / 400) % 3]);
        ui_text_wrapped(ui, UI_FONT_NORMAL, vw / 2, 220, 760, UI_CENTER, UI_TEXT, line, true);
        /* A turning arc: the window is alive while the connect runs in the background. */
        float a0 = (float)(c->now_ms % 1200) / 1200.0f * 6.2831853f;
        for (int i = 0; i < 8; i++) {
            float a = a0 + (float)i * 0.785398f;
            ui_color_t col = UI_ACCENT;
            col.a = (uint8_t)(60 + i * 24);
            ui_fill_circle(ui, vw / 2 + 30 * cosf(a), 300 + 30 * sinf(a), 5, col);
        }
    }
    for (int i = 0; i < 2; i++) {
        if (i == 0 && c->session.link != SESSION_LINK_FAILED)
            continue;
        int x, y;
        button_rect(c, i, &x, &y);
        ui_button(ui, x, y, CONNECT_BUTTON_W, SCENE_BUTTON_H, i == 0 ? "Retry" : "Back",
                  c->session.link != SESSION_LINK_FAILED || k->focus == i, true);
    }
    scene_draw_hint(
        c, ui, c->session.link == SESSION_LINK_FAILED ? "Enter choose  ·  Esc back" : "Esc cancel");
}

const scene_t scene_connect = {
    .name = "connect",
    .enter = connect_enter,
    .input = connect_input,
    .update = connect_update,
    .draw = connect_draw,
};
