/* widgets.c -- widget logic without drawing: focus lists and UTF-8 text fields; no SDL */
#include "widgets.h"

#include <string.h>

#include "name.h"
#include "utf8.h"

bool widget_hit(int x, int y, int rx, int ry, int rw, int rh)
{
    return x >= rx && x < rx + rw && y >= ry && y < ry + rh;
}

void widget_list_row(const widget_list_t *l, int i, int *x, int *y)
{
    *x = l->x;
    *y = l->y + i * (l->row_h + l->gap);
}

int widget_list_hit(const widget_list_t *l, int x, int y)
{
    for (int i = 0; i < l->count; i++) {
        int rx, ry;
        widget_list_row(l, i, &rx, &ry);
        if (widget_hit(x, y, rx, ry, l->w, l->row_h))
            return i;
    }
    return -1;
}

int widget_list_input(widget_list_t *l, const input_event_t *ev)
{
    if (l->count <= 0)
        return -1;
    if (l->focus < 0 || l->focus >= l->count)
        l->focus = 0;
    switch (ev->kind) {
    case IN_UP:
        l->focus = (l->focus + l->count - 1) % l->count;
        return -1;
    case IN_DOWN:
    case IN_TAB:
        l->focus = (l->focus + 1) % l->count;
        return -1;
    case IN_CONFIRM:
        return l->focus;
    case IN_POINT: {
        int i = widget_list_hit(l, ev->x, ev->y);
        if (i >= 0)
            l->focus = i;
        return -1;
    }
    case IN_CLICK: {
        int i = widget_list_hit(l, ev->x, ev->y);
        if (i >= 0)
            l->focus = i;
        return i;
    }
    default:
        return -1;
    }
}

bool widget_text_input(char *text, size_t cap, size_t max_chars, const input_event_t *ev)
{
    size_t len = strnlen(text, cap);
    if (ev->kind == IN_BACKSPACE) {
        if (len == 0)
            return false;
        /* Back over continuation bytes to the start of the last code point. */
        size_t i = len - 1;
        while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80)
            i--;
        text[i] = '\0';
        return true;
    }
    if (ev->kind != IN_TEXT)
        return false;
    size_t in_len = strnlen(ev->text, sizeof ev->text);
    if (in_len == 0 || !utf8_valid(ev->text, in_len) || !utf8_valid(text, len))
        return false;
    size_t have = utf8_count(text, len);
    if (have >= max_chars || len + 1 >= cap)
        return false;
    char clean[sizeof ev->text];
    size_t n = utf8_sanitize(clean, sizeof clean, ev->text, in_len, max_chars - have);
    /* Never split a code point at the buffer's end: keep whole ones that fit. */
    while (n > 0 && len + n + 1 > cap) {
        size_t i = n - 1;
        while (i > 0 && ((unsigned char)clean[i] & 0xC0) == 0x80)
            i--;
        n = i;
    }
    if (n == 0)
        return false;
    memcpy(text + len, clean, n);
    text[len + n] = '\0';
    return true;
}

void widget_field_set(widget_field_t *f, const char *text, size_t max_chars)
{
    f->max_chars = max_chars;
    f->text[0] = '\0';
    if (!text)
        return;
    size_t len = strlen(text);
    if (!utf8_valid(text, len))
        return;
    utf8_sanitize(f->text, sizeof f->text, text, len, max_chars);
}

bool widget_field_input(widget_field_t *f, const input_event_t *ev)
{
    return widget_text_input(f->text, sizeof f->text, f->max_chars, ev);
}

void widget_trim(char *text)
{
    name_trim(text);
}
