/* app.c -- the game client as a whole: the table of its scenes, in scene_id_t order, given to the
 * runner; the one file that knows every scene, so that no scene needs to know another; no SDL */
#include "app.h"

#include "scene_connect.h"
#include "scene_end.h"
#include "scene_game.h"
#include "scene_host.h"
#include "scene_join.h"
#include "scene_lobby.h"
#include "scene_menu.h"
#include "scene_playback.h"
#include "scene_replays.h"
#include "scene_settings.h"
#include "scene_username.h"
#include "scene_vote.h"

static const scene_t *const app_scenes[SCENE_COUNT] = {
    [SCENE_MENU] = &scene_menu,       [SCENE_SETTINGS] = &scene_settings,
    [SCENE_JOIN] = &scene_join,       [SCENE_HOST] = &scene_host,
    [SCENE_CONNECT] = &scene_connect, [SCENE_USERNAME] = &scene_username,
    [SCENE_LOBBY] = &scene_lobby,     [SCENE_VOTE] = &scene_vote,
    [SCENE_GAME] = &scene_game,       [SCENE_END] = &scene_end,
    [SCENE_REPLAYS] = &scene_replays, [SCENE_PLAYBACK] = &scene_playback,
};

void app_init(client_t *c, const client_net_ops_t *net, const client_host_ops_t *host)
{
    client_init(c, app_scenes, net, host);
}
