# toolchain-mingw64.cmake -- cross-compiles for 64-bit Windows with Debian's mingw-w64, finding
# libraries only in mingw's own root and in NINE43_WIN_PREFIX (the cache scripts/windows-deps.sh fills)
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(NINE43_WIN_TRIPLET x86_64-w64-mingw32)

# The win32 thread model: the game's own threads are SDL's, so nothing needs winpthreads.
set(CMAKE_C_COMPILER ${NINE43_WIN_TRIPLET}-gcc-win32)
set(CMAKE_CXX_COMPILER ${NINE43_WIN_TRIPLET}-g++-win32)
set(CMAKE_RC_COMPILER ${NINE43_WIN_TRIPLET}-windres)
set(CMAKE_AR ${NINE43_WIN_TRIPLET}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${NINE43_WIN_TRIPLET}-ranlib CACHE FILEPATH "")

set(NINE43_WIN_PREFIX "" CACHE PATH "Where scripts/windows-deps.sh installed the Windows libraries")
# Try-compiles (CMake's feature checks) must see the prefix too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES NINE43_WIN_PREFIX)

set(CMAKE_FIND_ROOT_PATH /usr/${NINE43_WIN_TRIPLET})
if(NINE43_WIN_PREFIX)
  list(APPEND CMAKE_FIND_ROOT_PATH ${NINE43_WIN_PREFIX})
  # pkg-config reads the prefix's .pc files and never the build machine's.
  set(ENV{PKG_CONFIG_LIBDIR} "${NINE43_WIN_PREFIX}/lib/pkgconfig")
  set(ENV{PKG_CONFIG_PATH} "")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# No DLL of GCC's runtime to ship: libgcc is linked into each program and library.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")
