/* assets.c -- finds the assets/ folder at run time; uses stat and the seam (the program's folder)
 */
#include "assets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sys_os.h"

#ifndef NINE43_INSTALL_ASSETS
#define NINE43_INSTALL_ASSETS "/usr/local/share/nine43/assets"
#endif

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int assets_find(char *out, size_t cap)
{
    const char *env = getenv("NINE43_ASSETS");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        if (is_dir(out))
            return 0;
    }

    char exe[4096];
    if (sys_proc_self_dir(exe, sizeof exe) == 0) {
        snprintf(out, cap, "%s/assets", exe);
        if (is_dir(out))
            return 0;
        snprintf(out, cap, "%s/../share/nine43/assets", exe);
        if (is_dir(out))
            return 0;
    }

    snprintf(out, cap, "%s", NINE43_INSTALL_ASSETS);
    return is_dir(out) ? 0 : -1;
}
