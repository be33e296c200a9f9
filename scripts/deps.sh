#!/bin/sh
# deps.sh -- installs the Debian packages nine43 needs to build, test and play (apt-get, as root)
# Usage: scripts/deps.sh [build|test]   ("test" adds what only the test suite needs)
set -eu

what=${1:-build}
pkgs="build-essential cmake pkg-config libsdl2-dev libsdl2-net-dev libsdl2-ttf-dev libcjson-dev"
if [ "$what" = test ]; then
    # cmocka: unit tests; clang: the libFuzzer target; valgrind: the leak check;
    # iproute2: the LAN test's network namespaces.
    pkgs="$pkgs libcmocka-dev clang valgrind iproute2"
fi

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
