#!/bin/sh
# deps.sh -- installs the Debian packages nine43 needs to build, test, package and check it
# (apt-get, as root); the one list of every package the project uses
# Usage: scripts/deps.sh [build|test|bench|package|windows|check-package|fresh]
#   build          what `make play` needs: a compiler, CMake and the libraries
#   test           build + what `make test` needs (cmocka, the fuzzer's clang and runtime, ...)
#   bench          build + what bench/'s scripts run (python3, sox)
#   package        build + what `make package` needs (dpkg-shlibdeps)
#   windows        what `make windows` needs (mingw-w64, the sources' tools, zip) and wine to try it
#   check-package  what scripts/check-package.sh runs (lintian, desktop-file-validate, appstreamcli)
#   fresh          what scripts/fresh-debian.sh runs on the host (debootstrap)
set -eu

# fonts-dejavu-core, fonts-symbola: the client draws other scripts and emoji with them when its
# own font lacks a character (client/ui.c). libicu-dev: the build generates the name rules'
# Unicode tables (common/gen/name_tables_gen.c) from ICU's data; the programs do not link it.
build="build-essential cmake pkg-config libsdl2-dev libsdl2-net-dev libsdl2-ttf-dev libcjson-dev
    libicu-dev fonts-dejavu-core fonts-symbola"
case "${1:-build}" in
build) pkgs=$build ;;
# libcmocka-dev: unit tests. clang + libclang-rt-dev: the libFuzzer target (the runtime is only
# a Recommends of clang, so an install without recommends leaves it out). valgrind: the leak
# check. iproute2: the LAN test's network namespaces. python3: the layer checks
# (scripts/circles.py, scripts/long-functions.py in tests/layers.cmake). xvfb + xdotool: the
# host's kick from inside its round, keys typed into a real window (tests/test_client_round_kick.sh).
test) pkgs="$build libcmocka-dev clang libclang-rt-dev valgrind iproute2 python3 xvfb xdotool" ;;
# python3: bench/codec_python.py (bench/run.sh) and bench/sfx_onsets.py; sox: bench/record_round.sh.
bench) pkgs="$build python3 sox" ;;
# dpkg-dev: dpkg-shlibdeps computes the package's Depends; file: CPack's check of the binaries.
package) pkgs="$build dpkg-dev file" ;;
# mingw-w64 + binutils-mingw-w64: the cross compiler; dpkg-dev: apt-get source unpacks and
# patches with dpkg-source (scripts/windows-deps.sh); imagemagick: the .exe icon from the PNGs;
# zip, unzip: the zip and its check; wine + wine64: the Windows programs' tests under Wine, and
# xvfb the display nine43.exe's window gets there (closing it is how a player quits); gcc and
# libicu-dev: the name rules' table generator, which runs on this machine; libsdl2-net-2.0-0: its
# Debian copyright file, which windows-deps.sh ships when a mirror lacks the source's packaging.
windows) pkgs="cmake make pkg-config gcc libicu-dev libsdl2-net-2.0-0 mingw-w64 binutils-mingw-w64 dpkg-dev imagemagick zip unzip
    wine wine64 xvfb" ;;
check-package) pkgs="lintian desktop-file-utils appstream" ;;
fresh) pkgs="debootstrap git" ;;
*)
    echo "usage: scripts/deps.sh [build|test|bench|package|windows|check-package|fresh]" >&2
    exit 2
    ;;
esac

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "nine43 needs these Debian packages:$missing" >&2
    echo "Install them with:  sudo apt-get install$missing" >&2
    exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; update once, then install.
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
