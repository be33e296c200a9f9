/* assets.h -- finds assets/ at run time: next to the executable, then the install prefix */
#ifndef NINE43_ASSETS_H
#define NINE43_ASSETS_H

#include <stddef.h>

/* Writes the path of the assets folder (without a trailing slash) into out. Looks at
 * $NINE43_ASSETS, then <dir of the running executable>/assets, then
 * <dir of the executable>/../share/nine43/assets, then the compiled-in install path.
 * Returns 0, or -1 when none exists (out then holds the last path tried). */
int assets_find(char *out, size_t cap);

#endif
