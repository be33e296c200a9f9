/* scene_end.h -- state of the scene(s) for the end screen (placeholder until written) */
#ifndef NINE43_SCENE_END_H
#define NINE43_SCENE_END_H

typedef struct end { int placeholder; } end_t;

#endif
