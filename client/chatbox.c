/* chatbox.c -- chat over the vote, the round and the end screen: the box's keys and sending (no
 * SDL), and its drawing on ui.h; reads the chat log from the session */
#include "chatbox.h"

#include <string.h>

#include "utf8.h"
#include "widgets.h"

static const ui_color_t CHATBOX_BACK = {8, 10, 16, 170};
static const ui_color_t CHATBOX_SYSTEM = {150, 210, 160, 255};

/* The typed line belongs to one connection: a new one starts empty. */
static chatbox_t *chatbox_state(client_t *c)
{
    chatbox_t *b = &c->chatbox;
    if (b->serial != c->session.serial) {
        b->serial = c->session.serial;
        b->input[0] = '\0';
        b->open = false;
    }
    return b;
}

bool chatbox_is_open(const client_t *c)
{
    return chatbox_state_open(&c->chatbox, c->session.serial);
}

int chatbox_chars_left(const client_t *c)
{
    const char *s = c->chatbox.serial == c->session.serial ? c->chatbox.input : "";
    return PROTO_MAX_CHAT - (int)utf8_count(s, strlen(s));
}

static void chatbox_send(client_t *c, chatbox_t *b)
{
    const char *s = b->input;
    while (*s == ' ')
        s++;
    if (*s) {
        msg_t m;
        proto_init(&m, MSG_CHAT_SEND);
        utf8_sanitize(m.u.chat_send.text, sizeof m.u.chat_send.text, s, strlen(s), PROTO_MAX_CHAT);
        client_send(c, &m);
    }
    b->input[0] = '\0';
    b->open = false;
}

bool chatbox_input(client_t *c, const input_event_t *ev, chatbox_opener_t opener)
{
    chatbox_t *b = chatbox_state(c);
    if (!b->open) {
        if (ev->kind != IN_TEXT)
            return false;
        if (opener == CHATBOX_OPEN_ON_KEY) {
            if ((ev->text[0] | 0x20) != CHATBOX_OPEN_KEY || ev->text[1] != '\0')
                return false;
            b->open = true; /* the key opens the box and is not typed */
            return true;
        }
        b->open = true;
        widget_text_input(b->input, sizeof b->input, PROTO_MAX_CHAT, ev);
        return true;
    }
    switch (ev->kind) {
    case IN_TEXT:
    case IN_BACKSPACE:
        /* At the limit the text stops growing and the box says so (chatbox_draw). */
        widget_text_input(b->input, sizeof b->input, PROTO_MAX_CHAT, ev);
        return true;
    case IN_CONFIRM:
        chatbox_send(c, b);
        return true;
    case IN_BACK:
        b->input[0] = '\0';
        b->open = false;
        return true;
    case IN_CLICK:
    case IN_POINT:
        return false;
    default:
        return true; /* arrows and Tab do not steer the scene while typing */
    }
}

int chatbox_line_alpha(const client_t *c, uint32_t at_ms, bool fade)
{
    if (!fade || chatbox_is_open(c))
        return 255;
    int32_t age = (int32_t)(c->now_ms - at_ms);
    if (age < CHATBOX_SHOW_MS)
        return 255;
    if (age >= CHATBOX_SHOW_MS + CHATBOX_FADE_MS)
        return 0;
    return 255 - (int)((int64_t)(age - CHATBOX_SHOW_MS) * 255 / CHATBOX_FADE_MS);
}

static ui_color_t chatbox_alpha(ui_color_t col, int alpha)
{
    col.a = (uint8_t)(col.a * alpha / 255);
    return col;
}

/* The line being typed, its caret, and what is left of the limit. Returns its height. */
static int chatbox_draw_box(client_t *c, ui_t *ui, int x, int bottom, int w)
{
    const chatbox_t *b = &c->chatbox;
    int lh = ui_line_height(ui, UI_FONT_NORMAL);
    int h = lh + 2 * CHATBOX_LINE_PAD;
    int y = bottom - h;
    ui_fill_rect(ui, x, y, w, h, CHATBOX_BACK);
    ui_frame_rect(ui, x, y, w, h, 2, UI_ACCENT);
    int left = chatbox_chars_left(c);
    char count[48] = "";
    if (left <= 0)
        client_fmt(count, sizeof count, "full: %d characters", PROTO_MAX_CHAT);
    else if (left <= CHATBOX_WARN_CHARS)
        client_fmt(count, sizeof count, "%d left", left);
    int cw = count[0] ? ui_text(ui, UI_FONT_SMALL, x + w - CHATBOX_LINE_PAD,
                                y + (h - ui_line_height(ui, UI_FONT_SMALL)) / 2, UI_RIGHT,
                                left <= 0 ? UI_BAD : UI_DIM, count) +
                            CHATBOX_LINE_PAD
                      : 0;
    int lw = ui_text(ui, UI_FONT_NORMAL, x + CHATBOX_LINE_PAD, y + CHATBOX_LINE_PAD, UI_LEFT,
                     UI_DIM, "Say:");
    int tx = x + CHATBOX_LINE_PAD + lw + 8, tw = w - (tx - x) - cw - CHATBOX_LINE_PAD - 10;
    /* A line wider than the box shows its end, where the typing is. */
    const char *shown = b->input;
    while (*shown && ui_text_width(ui, UI_FONT_NORMAL, shown) > tw) {
        shown++;
        while ((*shown & 0xc0) == 0x80)
            shown++;
    }
    int iw = ui_text(ui, UI_FONT_NORMAL, tx, y + CHATBOX_LINE_PAD, UI_LEFT, UI_TEXT, shown);
    if ((c->now_ms / 500) % 2 == 0)
        ui_fill_rect(ui, tx + iw + 1, y + CHATBOX_LINE_PAD + 2, 2, lh - 4, UI_ACCENT);
    return h;
}

int chatbox_draw(client_t *c, ui_t *ui, int x, int bottom, int w, int max_lines, bool fade,
                 const char *hint)
{
    chatbox_state(c);
    const session_t *s = &c->session;
    int y = bottom;
    if (chatbox_is_open(c)) {
        y -= chatbox_draw_box(c, ui, x, y, w) + 4;
    } else if (hint) {
        y -= ui_line_height(ui, UI_FONT_SMALL);
        ui_text(ui, UI_FONT_SMALL, x, y, UI_LEFT, UI_DIM, hint);
        y -= 4;
    }
    char line[PROTO_USERNAME_SIZE + PROTO_CHAT_SIZE + 8];
    for (int k = s->nchat - 1, shown = 0; k >= 0 && shown < max_lines; k--, shown++) {
        const session_line_t *ln = session_chat_line(s, k);
        int alpha = chatbox_line_alpha(c, ln->at_ms, fade);
        if (alpha <= 0)
            break; /* the older lines faded before it */
        bool server = !ln->from[0];
        bool mine = !server && s->username[0] && !strcmp(ln->from, s->username);
        if (server)
            client_fmt(line, sizeof line, "* %s", ln->text);
        else
            client_fmt(line, sizeof line, "%s: %s", ln->from, ln->text);
        int tw = w - 2 * CHATBOX_LINE_PAD;
        int th = ui_text_wrapped(ui, UI_FONT_NORMAL, 0, 0, tw, UI_LEFT, UI_TEXT, line, false);
        y -= th + CHATBOX_LINE_PAD;
        ui_fill_rect(ui, x, y - CHATBOX_LINE_PAD / 2, w, th + CHATBOX_LINE_PAD,
                     chatbox_alpha(CHATBOX_BACK, alpha));
        ui_set_text_alpha(ui, (uint8_t)alpha);
        ui_text_wrapped(ui, UI_FONT_NORMAL, x + CHATBOX_LINE_PAD, y, tw, UI_LEFT,
                        server ? CHATBOX_SYSTEM
                        : mine ? UI_ACCENT
                               : UI_TEXT,
                        line, true);
        ui_set_text_alpha(ui, 255);
    }
    return bottom - y;
}
