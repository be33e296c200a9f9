#!/bin/sh
# fresh-debian.sh -- proves the README on a fresh Debian 12: `make play` in one pristine
# debootstrapped root, `make windows` then `make test` in a second (so the Windows programs'
# test under Wine runs there too), the built .deb installed and played in a third;
# uses debootstrap, unshare and chroot (as root); every mount lives in a private mount namespace.
# The second root is then entered once more as a plain chroot (its / not a mount point), where
# the namespace tests must skip with their reason.
# Usage: scripts/fresh-debian.sh [play|test|deb ...]   (no argument: all three, in that order)
# Environment: NINE43_FRESH_CACHE (default /var/cache/nine43-fresh: the base root as a tarball
# and the downloaded .debs, kept between runs), NINE43_FRESH_MIRROR (Debian mirror URL),
# NINE43_FRESH_DEB (the .deb for the deb step when the play step does not run),
# NINE43_FRESH_LOGS (default /var/tmp/nine43-fresh-logs: each root's logs, kept after the run).
set -eu

SUITE=bookworm
MIRROR=${NINE43_FRESH_MIRROR:-http://deb.debian.org/debian}
CACHE=${NINE43_FRESH_CACHE:-/var/cache/nine43-fresh}
PREREQS="make git"        # what the README says a fresh machine must have
PLAY_BUILD_TIMEOUT=1200   # seconds for `make play` to install and build before the game runs
PLAY_RUN_SECONDS=20       # the game must still be running this long after it started
STEP_TIMEOUT=2400         # seconds for one root's whole script
BOT_TIMEOUT=120           # seconds for the packaged bots' round

LOGS=${NINE43_FRESH_LOGS:-/var/tmp/nine43-fresh-logs}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=
STARTED=$(date +%s)

say() {
    echo "fresh-debian [$(($(date +%s) - STARTED)) s]: $*"
}

die() {
    say "FAIL: $*"
    exit 1
}

# Mounts are made inside `unshare --mount`, so they vanish with it; this is the safety net that
# unmounts anything still under the work folder (deepest first) before anything is removed.
cleanup() {
    rc=$?
    if [ -n "$WORK" ] && [ -d "$WORK" ]; then
        for m in $(findmnt -rn -o TARGET | grep "^$WORK/" | sort -r); do
            umount -l "$m" 2>/dev/null || true
        done
        if findmnt -rn -o TARGET | grep -q "^$WORK/"; then
            echo "fresh-debian: mounts remain under $WORK; not removing it" >&2
            rc=1
        else
            rm -rf "$WORK"
        fi
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts)"
"$REPO/scripts/deps.sh" fresh >/dev/null
git -C "$REPO" rev-parse --verify HEAD >/dev/null || die "$REPO is not a git checkout"
if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]; then
    say "note: uncommitted changes in $REPO are not part of the check (it clones HEAD)"
fi

mkdir -p "$CACHE/debs"
WORK=$(mktemp -d /var/tmp/nine43-fresh-XXXXXX)
BASE="$CACHE/$SUITE-minbase.tar"

# One minimal Debian 12, made once per machine and kept as a tarball.
if [ ! -s "$BASE" ]; then
    say "debootstrap --variant=minbase $SUITE (once; cached in $BASE)"
    debootstrap --variant=minbase "$SUITE" "$WORK/base" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
        { tail -n 20 "$WORK/debootstrap.log"; die "debootstrap failed"; }
    # Its downloads go to the .deb cache, not into every root.
    find "$WORK/base/var/cache/apt/archives" -maxdepth 1 -name '*.deb' \
        -exec mv -n {} "$CACHE/debs/" \;
    rm -f "$WORK"/base/var/cache/apt/archives/*.deb
    tar -C "$WORK/base" --numeric-owner -cf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE"
    rm -rf "$WORK/base"
fi

# The project as a bare repository of HEAD: each root clones it with its own git.
git clone -q --bare --no-local "$REPO" "$WORK/src.git"

# new_root NAME: a pristine root from the base, with the security and update suites a real
# install has, DNS, the cached .debs (downloads only), and no service started by a package.
new_root() {
    r="$WORK/$1"
    mkdir -p "$r"
    tar -C "$r" --numeric-owner -xpf "$BASE"
    cat >"$r/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
EOF
    cp /etc/resolv.conf "$r/etc/resolv.conf"
    printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
    chmod 755 "$r/usr/sbin/policy-rc.d"
    find "$CACHE/debs" -name '*.deb' -exec cp -ln {} "$r/var/cache/apt/archives/" \; 2>/dev/null ||
        find "$CACHE/debs" -name '*.deb' -exec cp -n {} "$r/var/cache/apt/archives/" \;
    cp -a "$WORK/src.git" "$r/root/src.git"
}

# keep_debs NAME: what the root downloaded, for the next roots and the next run; and its logs.
keep_debs() {
    mkdir -p "$LOGS/$1"
    find "$WORK/$1/root" "$WORK/$1/root/nine43" -maxdepth 1 -name '*.log' -exec cp {} "$LOGS/$1/" \; \
        2>/dev/null || true
    find "$WORK/$1/root/nine43" -maxdepth 2 -name 'ctest.log' -path '*build*' 2>/dev/null |
        while read -r f; do cp "$f" "$LOGS/$1/$(basename "$(dirname "$f")")-ctest.log"; done
    find "$WORK/$1/var/cache/apt/archives" -maxdepth 1 -name '*.deb' \
        -exec cp -n {} "$CACHE/debs/" \;
}

# in_root NAME SCRIPT [unbound]: runs SCRIPT with bash inside the root, in a private mount
# namespace that holds /proc, /sys, /dev and /dev/pts for it and disappears when it ends. The
# root is bind-mounted on itself so that its / is a mount point, as on a real machine (`ip netns`
# remounts / when it enters a namespace); with "unbound" it is not, as in a plain chroot, where
# the namespace tests must skip with their reason rather than fail.
in_root() {
    r="$WORK/$1"
    printf '%s\n' "set -eu" "export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8" "cd /root" \
        "$2" >"$r/root/step.sh"
    timeout --kill-after=30 "$STEP_TIMEOUT" unshare --mount --propagation private sh -c '
        r=$1
        { [ "$2" = unbound ] || mount --bind "$r" "$r"; } &&
            mount -t proc proc "$r/proc" &&
            mount -t sysfs sysfs "$r/sys" &&
            mount --rbind /dev "$r/dev" &&
            mount --make-rprivate "$r/dev" || exit 1
        chroot "$r" /bin/bash /root/step.sh
        rc=$?
        umount -l "$r/proc" "$r/sys" 2>/dev/null
        umount -R -l "$r/dev" 2>/dev/null
        [ "$2" = unbound ] || umount -R -l "$r"
        exit $rc' sh "$r" "${3:-}"
}

# The README's prerequisites, then the README's command, exactly as a new user types them.
INSTALL_PREREQS="apt-get update -qq && apt-get install -y -qq --no-install-recommends $PREREQS >/dev/null
git clone -q /root/src.git nine43
cd nine43"

step_play() {
    say "root 1: $PREREQS, then make play (SDL_VIDEODRIVER=dummy), then make package"
    new_root play
    in_root play "$INSTALL_PREREQS
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
setsid make play >/root/play.log 2>&1 </dev/null &
make=\$!
game=
waited=0
while [ -z \"\$game\" ]; do
    kill -0 \$make 2>/dev/null || { tail -n 40 /root/play.log; echo 'make play ended before the game ran'; exit 1; }
    [ \$waited -lt $PLAY_BUILD_TIMEOUT ] || { tail -n 40 /root/play.log; echo 'make play took too long'; exit 1; }
    for stat in /proc/[0-9]*/stat; do
        read -r pid comm state ppid rest 2>/dev/null <\$stat || continue
        [ \"\$comm\" = '(nine43)' ] && [ \"\$ppid\" = \$make ] && game=\$pid
    done
    sleep 1
    waited=\$((waited + 1))
done
echo \"the game started after \$waited s (pid \$game)\"
sleep $PLAY_RUN_SECONDS
kill -0 \$game 2>/dev/null || { tail -n 40 /root/play.log; echo 'the game did not keep running'; exit 1; }
echo \"the game is still running after $PLAY_RUN_SECONDS s\"
kill -TERM -\$make 2>/dev/null || true
wait \$make 2>/dev/null || true
grep -q 'tests not configured' /root/play.log || { echo 'make play configured the tests: it installs more than playing needs'; exit 1; }
echo 'the tests were left out of the play build, saying so'
make package >/root/package.log 2>&1 || { tail -n 40 /root/package.log; exit 1; }
ls build-package/nine43_*_amd64.deb" || { keep_debs play; die "make play (or make package) failed in a fresh root"; }
    keep_debs play
    cp "$WORK"/play/root/nine43/build-package/nine43_*_amd64.deb "$WORK/" ||
        die "make package left no .deb"
    say "make play ran the game; the .deb is $(basename "$WORK"/nine43_*_amd64.deb)"
    # The validators run here, on the host: they are not what a player's machine needs.
    "$REPO/scripts/deps.sh" check-package >/dev/null
    "$REPO/scripts/check-package.sh" "$WORK"/nine43_*_amd64.deb >"$LOGS/play/check-package.log" 2>&1 ||
        { cat "$LOGS/play/check-package.log"; die "the .deb does not validate"; }
    say "the .deb validates (desktop entry, metainfo, lintian: $LOGS/play/check-package.log)"
}

step_test() {
    say "root 2: $PREREQS, then make windows (its libraries built from Debian's sources), then make test"
    new_root test
    in_root test "$INSTALL_PREREQS
make windows >/root/windows.log 2>&1 || { tail -n 60 /root/windows.log; exit 1; }
ls -l build-win/nine43-*-windows-x64.zip
make test >/root/test.log 2>&1 || { tail -n 60 /root/test.log; exit 1; }
grep -E 'test_windows_wine .*(Passed|Skipped)' /root/test.log
tail -n 1 /root/test.log" || { keep_debs test; die "make windows or make test failed in a fresh root (logs in $LOGS/test)"; }
    keep_debs test
    say "make windows built the zip and make test passed"
    # The same root as a plain chroot, its / not a mount point: the namespace tests skip, saying
    # why, instead of failing half-way (the build is already there: a few seconds).
    in_root test "cd nine43/build
ctest -V -R 'test_lan_netns|test_net_netem' >/root/unbound.log 2>&1 ||
    { cat /root/unbound.log; exit 1; }
grep -q 'network namespaces cannot be used here' /root/unbound.log ||
    { cat /root/unbound.log; echo 'the namespace tests did not say why they skipped'; exit 1; }
grep -c 'Skipped' /root/unbound.log" unbound || die "a namespace test failed in a plain chroot"
    say "in a plain chroot (/ not a mount point) the namespace tests skip with their reason"
}

step_deb() {
    deb=${NINE43_FRESH_DEB:-$(ls "$WORK"/nine43_*_amd64.deb 2>/dev/null | head -n 1)}
    [ -f "$deb" ] || die "no .deb: run the play step first, or name one in NINE43_FRESH_DEB"
    say "root 3: apt-get install ./$(basename "$deb"), then a server and two packaged bots play a round"
    new_root deb
    cp "$deb" "$WORK/deb/root/"
    in_root deb "apt-get update -qq
apt-get install -y -qq --no-install-recommends ./$(basename "$deb") >/dev/null
export PATH=\$PATH:/usr/games
command -v nine43 nine43-server nine43-bot
nine43-server --version
nine43-server --port 0 --port-file /root/port --round-seconds 3 >/root/server.log 2>&1 &
server=\$!
for i in \$(seq 50); do [ -s /root/port ] && break; sleep 0.1; done
[ -s /root/port ] || { cat /root/server.log; exit 1; }
nine43-bot --host 127.0.0.1 --port \$(cat /root/port) --count 2 --rounds 1 --timeout $BOT_TIMEOUT ||
    { cat /root/server.log; exit 1; }
kill \$server
wait \$server || true
test -f /usr/share/applications/nine43.desktop
test -f /usr/lib/systemd/system/nine43-server.service" || { keep_debs deb; die "the installed package did not play"; }
    keep_debs deb
    say "the packaged server and bots played a round"
}

steps=${*:-play test deb}
for s in $steps; do
    case $s in
    play | test | deb) "step_$s" ;;
    *) die "unknown step $s (play, test or deb)" ;;
    esac
done
say "all steps passed: $steps"
