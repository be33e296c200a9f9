/* scene_lobby.h -- state of the scene(s) for client core (connect, username, lobby) (placeholder until written) */
#ifndef NINE43_SCENE_LOBBY_H
#define NINE43_SCENE_LOBBY_H

typedef struct connect { int placeholder; } connect_t;
typedef struct username { int placeholder; } username_t;
typedef struct lobby { int placeholder; } lobby_t;

#endif
