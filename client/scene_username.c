/* scene_username.c -- choosing a name: UTF-8 text entry, pre-filled; a refusal shows the server's
 * reason */
#include <stdio.h>
#include <string.h>

#include "scene_common.h"
#include "scene_username.h"
#include "utf8.h"
#include "widgets.h"

#define USERNAME_W                420
#define USERNAME_FIELD_Y          230
#define USERNAME_BUTTONS_Y        300
#define USERNAME_BUTTON_GAP       20
#define USERNAME_AUTOPLAY_DEFAULT "player"

static void field_rect(const client_t *c, int *x, int *y)
{
    *x = c->view_w / 2 - USERNAME_W / 2;
    *y = USERNAME_FIELD_Y;
}

/* 0 = Log in, 1 = Back, side by side under the field. */
static void button_rect(const client_t *c, int i, int *x, int *y, int *w)
{
    *w = (USERNAME_W - USERNAME_BUTTON_GAP) / 2;
    *x = c->view_w / 2 - USERNAME_W / 2 + i * (*w + USERNAME_BUTTON_GAP);
    *y = USERNAME_BUTTONS_Y;
}

static void submit(client_t *c)
{
    username_t *u = &c->uname;
    if (u->waiting || u->accepted)
        return;
    widget_trim(u->name); /* " Alice" is Alice: the server refuses spaces at either end */
    char err[PROTO_TEXT_SIZE];
    if (proto_check_username(u->name, err, sizeof err) != 0) {
        client_fmt(u->message, sizeof u->message, "%s", err);
        if (c->autoplay && u->autoplay_tries < USERNAME_AUTOPLAY_TRIES) {
            /* Playing by itself with a name the rules refuse: take a plain one. */
            u->autoplay_tries++;
            client_fmt(u->name, sizeof u->name, "%s%d", USERNAME_AUTOPLAY_DEFAULT,
                       u->autoplay_tries);
            submit(c);
        }
        return;
    }
    msg_t m;
    proto_init(&m, MSG_LOGIN);
    client_fmt(m.u.login.username, sizeof m.u.login.username, "%s", u->name);
    m.u.login.version = PROTO_VERSION;
    m.u.login.features = CLIENT_FEATURES; /* party, social, countdown */
    /* The secret goes to our own server only, never to one we merely join. */
    client_fmt(m.u.login.admin, sizeof m.u.login.admin, "%s", session_login_secret(&c->session));
    if (c->settings.color >= 0 && c->settings.color < PALETTE_COUNT) {
        m.u.login.has_color = true;
        m.u.login.color = c->settings.color;
    }
    m.u.login.resume_sent = true; /* "": this client can resume after a drop; a token, please */
    client_send(c, &m);
    u->waiting = true;
    u->message[0] = '\0';
}

static void username_enter(client_t *c)
{
    username_t *u = &c->uname;
    memset(u, 0, sizeof *u);
    const char *name = c->cli_username[0] ? c->cli_username : c->settings.username;
    if (!name[0] && c->autoplay)
        name = USERNAME_AUTOPLAY_DEFAULT;
    widget_field_t f;
    widget_field_set(&f, name, PROTO_MAX_USERNAME);
    client_fmt(u->name, sizeof u->name, "%s", f.text);
}

static void username_update(client_t *c)
{
    username_t *u = &c->uname;
    /* The name given on the command line, or the one saved when it was last accepted, is
     * used without asking again (Settings changes it); a refusal leaves it here to fix. */
    if (!u->auto_submitted && (c->cli_username[0] || c->autoplay || c->settings.username[0]) &&
        c->session.connected) {
        u->auto_submitted = true;
        submit(c);
    }
}

static void username_message(client_t *c, const msg_t *m)
{
    username_t *u = &c->uname;
    if (m->type != MSG_LOGIN_UPDATE)
        return;
    u->waiting = false;
    if (m->u.login_update.accepted) {
        u->accepted = true;
        session_login_accepted(&c->session, u->name);
        client_fmt(c->settings.username, sizeof c->settings.username, "%s", u->name);
        char err[256];
        if (client_save_settings(c, err, sizeof err) != 0)
            fprintf(stderr, "nine43: %s\n", err);
        return;
    }
    client_fmt(u->message, sizeof u->message, "%s",
               m->u.login_update.message[0] ? m->u.login_update.message : "the server refused it");
    if (c->autoplay && u->autoplay_tries < USERNAME_AUTOPLAY_TRIES) {
        /* Playing by itself: take the next free variant ("player" -> "player2"). */
        u->autoplay_tries++;
        char base[PROTO_USERNAME_SIZE];
        widget_field_t f;
        widget_field_set(&f, u->name, PROTO_MAX_USERNAME - 1);
        client_fmt(base, sizeof base, "%s", f.text);
        size_t len = strlen(base);
        if (len > 0 && base[len - 1] >= '1' && base[len - 1] <= '9')
            base[len - 1] = '\0';
        client_fmt(u->name, sizeof u->name, "%s%d", base, u->autoplay_tries + 1);
        submit(c);
    }
}

static int button_at(const client_t *c, int x, int y)
{
    for (int i = 0; i < 2; i++) {
        int bx, by, bw;
        button_rect(c, i, &bx, &by, &bw);
        if (widget_hit(x, y, bx, by, bw, SCENE_BUTTON_H))
            return i;
    }
    return -1;
}

static void username_input(client_t *c, const input_event_t *ev)
{
    username_t *u = &c->uname;
    switch (ev->kind) {
    case IN_BACK:
        client_leave_server(c);
        return;
    case IN_TAB:
    case IN_UP:
    case IN_DOWN:
        u->focus = 1 - u->focus;
        return;
    case IN_CONFIRM:
        if (u->focus == 1)
            client_leave_server(c);
        else
            submit(c);
        return;
    case IN_POINT: {
        int b = button_at(c, ev->x, ev->y);
        if (b >= 0)
            u->focus = b;
        return;
    }
    case IN_CLICK: {
        int b = button_at(c, ev->x, ev->y);
        int fx, fy;
        field_rect(c, &fx, &fy);
        if (widget_hit(ev->x, ev->y, fx, fy, USERNAME_W, SCENE_FIELD_H))
            u->focus = 0;
        else if (b == 0)
            submit(c);
        else if (b == 1)
            client_leave_server(c);
        return;
    }
    case IN_TEXT:
    case IN_BACKSPACE:
        if (u->waiting || u->accepted)
            return;
        if (widget_text_input(u->name, sizeof u->name, PROTO_MAX_USERNAME, ev))
            u->message[0] = '\0';
        u->focus = 0;
        return;
    default:
        return;
    }
}

static void username_draw(client_t *c, ui_t *ui)
{
    username_t *u = &c->uname;
    char sub[400];
    client_fmt(sub, sizeof sub, "Connected to %s:%d", c->session.server_host,
               c->session.server_port);
    scene_draw_heading(c, ui, "Choose your name", sub);
    int fx, fy;
    field_rect(c, &fx, &fy);
    /* The limit shows as it is reached: typing past it is refused, never cut. */
    char label[64];
    int count = (int)utf8_count(u->name, strlen(u->name));
    client_fmt(label, sizeof label, "Username (%d of %d characters%s)", count, PROTO_MAX_USERNAME,
               count >= PROTO_MAX_USERNAME ? ": full" : "");
    ui_text_field(ui, fx, fy, USERNAME_W, SCENE_FIELD_H, label, u->name,
                  u->focus == 0 && !u->waiting && !u->accepted, c->now_ms);
    for (int i = 0; i < 2; i++) {
        int bx, by, bw;
        button_rect(c, i, &bx, &by, &bw);
        const char *label = i == 1 ? "Back" : u->waiting ? "Logging in..." : "Log in";
        ui_button(ui, bx, by, bw, SCENE_BUTTON_H, label, u->focus == i,
                  i == 1 || (!u->waiting && !u->accepted));
    }
    int my = USERNAME_BUTTONS_Y + SCENE_BUTTON_H + 30;
    if (u->message[0]) {
        char line[PROTO_TEXT_SIZE + 32];
        client_fmt(line, sizeof line, "Not accepted: %s", u->message);
        scene_draw_message(ui, c->view_w / 2, my, 560, line, UI_BAD);
    } else if (u->accepted) {
        scene_draw_message(ui, c->view_w / 2, my, 560, "Welcome! Joining the lobby...", UI_GOOD);
    }
    scene_draw_hint(c, ui,
                    c->settings.username[0]
                        ? "Your saved name is used when you join: change it in Settings"
                        : "Type your name  ·  Enter log in  ·  Esc leave");
}

const scene_t scene_username = {
    .name = "username",
    .enter = username_enter,
    .input = username_input,
    .message = username_message,
    .update = username_update,
    .draw = username_draw,
};
