/* scene_vote.h -- state of the scene(s) for the world vote (placeholder until written) */
#ifndef NINE43_SCENE_VOTE_H
#define NINE43_SCENE_VOTE_H

typedef struct vote { int placeholder; } vote_t;

#endif
