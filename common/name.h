/* name.h -- the Unicode rules for player names and chat: what a name may hold, the confusable
 * skeleton (Unicode TR39) that names are compared by, and the hidden characters taken out of
 * chat; depends on common/proto (the basic username rules) and the generated name_class tables */
#ifndef NINE43_NAME_H
#define NINE43_NAME_H

#include <stddef.h>

#include "name_class.h"
#include "proto.h"

/* Bytes of the longest skeleton of a name, with its NUL. */
#define NAME_SKELETON_SIZE (PROTO_MAX_USERNAME * NAME_MAP_MAX_LEN + 1)

/* proto_check_username's rules, then: no control, formatting, invisible, unassigned or
 * private-use character, no line or paragraph separator, no space of any kind at either end, no
 * space but the ordinary one inside, no combining mark first. Returns 0, or -1 with err saying
 * why and which character ("username contains an invisible formatting character (U+202E)"). */
int name_check(const char *name, char *err, size_t errlen);

/* The name's confusable skeleton: each character replaced by the prototype of the characters
 * that look like it (TR39's skeleton, folded to lower case), so that "alice", "ALICE" and
 * Cyrillic "аlice" give one skeleton. name is well-formed UTF-8 (a byte that is not is kept as
 * it is); out is always terminated, cut at a whole character when cap is too small. */
void name_skeleton(const char *name, char *out, size_t cap);

/* Takes the characters out of well-formed UTF-8 chat text that could reverse or hide what
 * follows: bidirectional controls, zero-width spaces and joiners of words, the byte order mark,
 * tags, line and paragraph separators (every formatting character but the zero-width joiner and
 * non-joiner, which emoji and some scripts need). Returns the new length. */
size_t name_strip_hidden(char *text);

/* Takes every kind of Unicode space (NAME_SPACE: U+0020, U+00A0, U+3000 ...) off both ends of
 * well-formed UTF-8 text, in place, so that what a player typed is the name the server checks.
 * Returns the new length. */
size_t name_trim(char *text);

/* The class of code point cp (enum name_class). */
int name_class_of(unsigned long cp);

#endif
