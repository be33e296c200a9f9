#!/bin/sh
# windows-package.sh -- packs the Windows zip: the programs, the DLLs they import from the
# library cache and no others, the assets, the licence of everything shipped and README-windows.txt
# Usage: scripts/windows-package.sh ZIP PREFIX EXE... (run by `make windows`, the windows-zip target)
#   ZIP     the zip to write (build-win/nine43-VERSION-windows-x64.zip); it unpacks to one folder
#   PREFIX  the library cache scripts/windows-deps.sh printed
#   EXE     the programs (nine43.exe, nine43-server.exe, nine43-bot.exe)
set -eu

[ $# -ge 3 ] || {
    echo "usage: $0 ZIP PREFIX EXE..." >&2
    exit 2
}
zip=$1
prefix=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
triplet=x86_64-w64-mingw32
name=$(basename "$zip" .zip)
stage=$(dirname "$zip")/zip-stage
top=$stage/$name

rm -rf "$stage" "$zip"
zip_abs=$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")
mkdir -p "$top/licenses"
# Debug information stays in the build folder; players get the stripped programs.
for exe in "$@"; do
    $triplet-strip -o "$top/$(basename "$exe")" "$exe"
done

# dll_imports FILE: the DLLs FILE imports, one name a line
dll_imports() { $triplet-objdump -p "$1" | sed -n 's/^[[:space:]]*DLL Name: //p'; }

# Every DLL of the cache that something shipped imports, and what those import in turn.
todo=$(ls "$top"/*.exe)
while [ -n "$todo" ]; do
    next=""
    for f in $todo; do
        for dll in $(dll_imports "$f"); do
            [ -f "$top/$dll" ] && continue
            if [ -f "$prefix/bin/$dll" ]; then
                $triplet-strip -o "$top/$dll" "$prefix/bin/$dll"
                next="$next $top/$dll"
            fi
        done
    done
    todo=$next
done

cp -R "$here/assets" "$top/assets"
cp "$here/LICENSE" "$top/licenses/nine43.txt"
# The licence of each library shipped, from its Debian source package (upstream's and
# debian/copyright).
for d in "$prefix"/licenses/*/; do
    lib=$(basename "$d")
    case $lib in
    libsdl2) dll=SDL2.dll ;;
    libsdl2-net) dll=SDL2_net.dll ;;
    libsdl2-ttf) dll=SDL2_ttf.dll ;;
    freetype) dll=libfreetype.dll ;;
    cjson) dll=libcjson.dll ;;
    *) dll=unknown ;;
    esac
    [ -f "$top/$dll" ] || continue
    for f in "$d"*; do
        cp "$f" "$top/licenses/$lib-$(basename "$f")"
    done
done
# Linked into every program: mingw-w64's start-up code and GCC's runtime (libgcc, static).
cp /usr/share/doc/mingw-w64-x86-64-dev/copyright "$top/licenses/mingw-w64-copyright"
cp /usr/share/doc/gcc-mingw-w64-base/copyright "$top/licenses/gcc-runtime-copyright"
# Text a player opens in Notepad gets Windows line ends.
sed 's/$/\r/' "$here/packaging/windows/README-windows.txt" >"$top/README-windows.txt"

# A fixed time on every file, so the same build gives the same zip.
find "$top" -exec touch -d "@${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || echo 0)}" {} +
(cd "$stage" && find "$name" | LC_ALL=C sort | zip -q -X -9 "$zip_abs" -@)
echo "windows-package: $zip ($(du -k "$zip" | cut -f1) KiB)"
