#!/bin/sh
# windows-deps.sh -- cross-compiles the libraries the Windows build links (SDL2, SDL2_net, SDL2_ttf,
# FreeType, cJSON) with mingw-w64 from Debian bookworm's own source packages, once, into a cache
# that later builds reuse
#
# Usage: scripts/windows-deps.sh        prints the prefix (bin/ include/ lib/ licenses/) on stdout
#
# `apt-get source` fetches each package from the Debian archive configured in /etc/apt and applies
# Debian's patches (security fixes among them); nothing comes from anywhere else. The deb-src lines
# it needs are added once, next to the deb lines, as /etc/apt/sources.list.d/nine43-deb-src.sources.
#
# The cache: $NINE43_WIN_CACHE, else /var/cache/nine43-windows when writable (root), else
# ${XDG_CACHE_HOME:-~/.cache}/nine43-windows. Each build lives in a folder named after a hash of
# this script, the toolchain file, the compiler's version and the source packages' versions, so a
# Debian security update or a change here builds a new one. A folder without its .complete stamp
# is a build that was cut short and is built again.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
toolchain="$here/../cmake/toolchain-mingw64.cmake"
srcpkgs="libsdl2 libsdl2-net libsdl2-ttf freetype cjson"
jobs=${JOBS:-2} # the machine is shared: the first build is the heavy part
triplet=x86_64-w64-mingw32

say() { echo "windows-deps: $*" >&2; }
die() {
    say "$*"
    exit 1
}

command -v $triplet-gcc >/dev/null || die "no $triplet-gcc: run scripts/deps.sh windows"
command -v dpkg-source >/dev/null || die "no dpkg-source: run scripts/deps.sh windows"

# The deb-src twin of every bookworm deb source from the Debian archive (deb822 and one-line
# files alike), so that the sources come from the same mirror as the system's packages.
debsrc_lines() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN { RS = ""; ORS = "\n\n" }
             /Types:[^\n]*deb([ \n]|$)/ && /Suites:[^\n]*bookworm/ && /URIs:[^\n]*debian/ &&
             !/Types:[^\n]*deb-src/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" && $0 ~ /debian/ && $0 ~ / bookworm/ {
                 sub(/^deb /, ""); print "Types: deb-src\nURIs: " $1 "\nSuites: " $2 "\nComponents: main\n" }' "$f"
    done
}

ensure_debsrc() {
    apt-get source --print-uris cjson >/dev/null 2>&1 && return 0
    [ "$(id -u)" -eq 0 ] || die "apt has no deb-src lines for bookworm; run this once as root to add them"
    out=/etc/apt/sources.list.d/nine43-deb-src.sources
    debsrc_lines >"$out.tmp"
    [ -s "$out.tmp" ] || {
        rm -f "$out.tmp"
        die "found no bookworm deb line from the Debian archive to pair a deb-src line with"
    }
    mv "$out.tmp" "$out"
    say "added $out; updating the package lists"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
}

ensure_debsrc
# The .dsc names carry the versions that apt would fetch now: they and the recipe make the key.
dscs=$(for p in $srcpkgs; do
    (cd / && apt-get source --print-uris "$p" 2>/dev/null) | awk '$2 ~ /\.dsc$/ { print $2 }'
done)
[ "$(echo "$dscs" | wc -l)" -eq 5 ] || die "apt-get source could not name all of: $srcpkgs"
key=$({
    cat "$0" "$toolchain"
    $triplet-gcc --version | head -n 1
    echo "$dscs"
} | sha256sum | cut -c1-16)

if [ -n "${NINE43_WIN_CACHE:-}" ]; then
    cache=$NINE43_WIN_CACHE
elif mkdir -p /var/cache/nine43-windows 2>/dev/null && [ -w /var/cache/nine43-windows ]; then
    cache=/var/cache/nine43-windows
else
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/nine43-windows
fi
prefix=$cache/$key
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # two builds at once wait for one another instead of building the same thing twice
if [ -f "$prefix/.complete" ]; then
    echo "$prefix"
    exit 0
fi

say "building into $prefix (takes minutes once; later builds reuse it):"
say "$(echo $dscs)"
rm -rf "$prefix"
work=$(mktemp -d /var/tmp/nine43-windows-deps.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # apt's unprivileged _apt user downloads into it
started=$(date +%s)

# Source packages whose Debian revision carries no patch, with the binary package whose
# copyright file is Debian's: on a mirror that lacks their .debian.tar.xz (it happens) the
# checked upstream tarball alone is the same source. libsdl2-net 2.2.0+dfsg-1 dropped all of
# its patches (applied upstream) and -2 changed only debian/watch (its changelog says so).
patchless="libsdl2-net:libsdl2-net-2.0-0"

# fetch_orig_only NAME: the fallback above, every file checked against the signed Sources index
fetch_orig_only() {
    bin=$(echo "$patchless" | tr ' ' '\n' | awk -F: -v p="$1" '$1 == p { print $2 }')
    [ -n "$bin" ] && [ -f "/usr/share/doc/$bin/copyright" ] || return 1
    # (from a folder of its own: apt lists no file that the current folder already holds)
    mkdir -p "$work/uris"
    (cd "$work/uris" && apt-get source --print-uris "$1" 2>/dev/null) | awk '$2 ~ /\.orig\.tar\./ { print $1, $2, $4 }' |
        tr -d "'" >"$work/orig-$1.txt"
    [ -s "$work/orig-$1.txt" ] || return 1
    read -r uri file hash <"$work/orig-$1.txt"
    /usr/lib/apt/apt-helper download-file "$uri" "$work/$file" "$hash" >/dev/null || return 1
    mkdir "$work/$1-orig"
    tar -xf "$work/$file" -C "$work/$1-orig" --strip-components=1 || return 1
    ver=$(echo "$file" | sed 's/^[^_]*_//; s/\.orig\.tar\..*//')
    mv "$work/$1-orig" "$work/$1-$ver"
    mkdir "$work/$1-$ver/debian"
    cp "/usr/share/doc/$bin/copyright" "$work/$1-$ver/debian/copyright"
    say "warning: the mirror lacks $1's Debian packaging; built from its checked upstream tarball (Debian applies no patch to it)"
}

cd "$work"
for p in $srcpkgs; do
    apt-get source -qq "$p" >"$work/source-$p.log" 2>&1 || fetch_orig_only "$p" || {
        cat "$work/source-$p.log" >&2
        die "apt-get source $p failed"
    }
done

# srcdir NAME: the unpacked source folder of a source package (NAME-VERSION/)
srcdir() { find "$work" -maxdepth 1 -type d -name "$1-[0-9]*" | head -n 1; }

# build NAME CMAKE-ARGS...: configure, build and install one package into the prefix
build() {
    name=$1
    shift
    src=$(srcdir "$name")
    [ -n "$src" ] || die "no unpacked source for $name"
    t0=$(date +%s)
    cmake -S "$src" -B "$work/build-$name" -G "Unix Makefiles" \
        -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DNINE43_WIN_PREFIX="$prefix" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=ON \
        "$@" >"$work/$name.log" 2>&1 &&
        cmake --build "$work/build-$name" -j "$jobs" >>"$work/$name.log" 2>&1 &&
        cmake --install "$work/build-$name" >>"$work/$name.log" 2>&1 || {
        tail -n 40 "$work/$name.log" >&2
        die "building $name failed"
    }
    say "$name: $(($(date +%s) - t0)) s"
    # Every library shipped brings its licence: upstream's and Debian's copyright file.
    mkdir -p "$prefix/licenses/$name"
    cp "$src/debian/copyright" "$prefix/licenses/$name/copyright"
    for l in LICENSE.txt LICENSE COPYING.txt docs/FTL.TXT docs/LICENSE.TXT LICENSE.TXT; do
        [ -f "$src/$l" ] && cp "$src/$l" "$prefix/licenses/$name/"
    done
    return 0
}

# FreeType for SDL2_ttf, without HarfBuzz (no complex shaping in the game) and without the
# PNG, bzip2, Brotli and system zlib readers (its own gzip code remains).
build freetype -DFT_DISABLE_HARFBUZZ=ON -DFT_DISABLE_PNG=ON -DFT_DISABLE_BZIP2=ON \
    -DFT_DISABLE_BROTLI=ON -DFT_DISABLE_ZLIB=ON
build cjson -DENABLE_CJSON_TEST=OFF -DENABLE_CJSON_UTILS=OFF -DENABLE_CUSTOM_COMPILER_FLAGS=OFF
# SDL2 with what a game uses (video, render, audio, events, joystick + game controller,
# threads, timers, files, pref path); no haptics, sensors, power, locale or test library.
build libsdl2 -DSDL_SHARED=ON -DSDL_STATIC=OFF -DSDL_TEST=OFF -DSDL_HAPTIC=OFF -DSDL_SENSOR=OFF \
    -DSDL_POWER=OFF -DSDL_LOCALE=OFF -DSDL_MISC=OFF
build libsdl2-net -DSDL2NET_SAMPLES=OFF
build libsdl2-ttf -DSDL2TTF_SAMPLES=OFF -DSDL2TTF_HARFBUZZ=OFF -DSDL2TTF_VENDORED=OFF
echo "$dscs" >"$prefix/sources.txt"
touch "$prefix/.complete"
say "done in $(($(date +%s) - started)) s"
echo "$prefix"
