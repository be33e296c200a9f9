/* scene_game.h -- state of the scene(s) for the game round (placeholder until written) */
#ifndef NINE43_SCENE_GAME_H
#define NINE43_SCENE_GAME_H

typedef struct game { int placeholder; } game_t;

#endif
