/* room.c -- what every room of logged-in players answers alike: a chat line, heard by everyone
 * in the speaker's room (the lobby, or its group) and by the social clients of the other rooms
 * (the lobby hears every group, and every group the lobby: the party's hall), and the host's
 * kick; uses room.h, player.h and kick.h (it names no stage) */
#include "room.h"

#include "kick.h"

/* The lobby is the room of a logged-in player in no group. */
static bool room_hears(const player_t *r, const void *ctx)
{
    const player_t *speaker = ctx;
    if (r->group == speaker->group)
        return true;
    return (r->features & PROTO_FEATURE_SOCIAL) && (!r->group || !speaker->group);
}

bool room_on_msg(server_t *s, player_t *p, const msg_t *m)
{
    switch (m->type) {
    case MSG_CHAT_SEND: {
        char line[SERVER_LINE_SIZE];
        int n = player_encode_chat(s, p, m->u.chat_send.text, line);
        if (n >= 0)
            player_send_line_if(s, line, (size_t)n, room_hears, p);
        return true;
    }
    case MSG_KICK:
        kick_on_msg(s, p, m);
        return true;
    default:
        return false;
    }
}
