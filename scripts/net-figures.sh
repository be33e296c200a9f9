#!/bin/sh
# net-figures.sh -- the README's smoothness figures: an autoplay client (SDL's dummy video driver, no window)
# plays one round against a bot through a delaying proxy (tests/lag_proxy.c: delay with jitter
# each way, 1 % loss turned into late bursts, a 300 ms stall every 10 s) and reports its own
# prediction corrections and the others' freezes (--net-stats).
# Usage: scripts/net-figures.sh [BUILD] [ROUND_SECONDS]   (loopback only; about 3 rounds long)
set -eu
BUILD=${1:-build}
ROUND=${2:-30}
TMP=$(mktemp -d /tmp/nine43-figures-XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

wait_file() { # a port file written by a child
    i=0
    while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    cat "$1"
}

run() { # label, delay ms, jitter ms, loss per mille, stall every ms, stall ms
    "$BUILD/nine43-server" --port 0 --bind 127.0.0.1 --port-file "$TMP/sport" --no-discovery \
        --round-seconds "$ROUND" --vote-timeout 1 >"$TMP/server.log" 2>&1 &
    spid=$!
    sport=$(wait_file "$TMP/sport")
    "$BUILD/lag_proxy" "$TMP/pport" "$sport" "$2" "$3" "$4" "$5" "$6" &
    ppid=$!
    pids="$spid $ppid"
    pport=$(wait_file "$TMP/pport")
    SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$BUILD/nine43" --connect "127.0.0.1:$pport" \
        --username player --autoplay --quit-after-rounds 1 --windowed 960x640 \
        --net-stats "$TMP/stats.json" >"$TMP/client.log" 2>&1 &
    cpid=$!
    "$BUILD/nine43-bot" --port "$sport" --count 1 --rounds 1 --quiet --timeout $((ROUND + 60)) &
    bpid=$!
    pids="$spid $ppid $cpid $bpid"
    wait "$cpid" || { echo "$1: the client failed:"; cat "$TMP/client.log"; }
    wait "$bpid" || true
    kill "$ppid" "$spid" 2>/dev/null || true
    wait "$ppid" "$spid" 2>/dev/null || true
    rm -f "$TMP/sport" "$TMP/pport"
    printf '%s %s\n' "$1" "$(cat "$TMP/stats.json" 2>/dev/null || echo '{}')"
}

run "0ms" 0 0 0 0 0
run "60+-20ms" 60 20 10 10000 300
run "150+-40ms" 150 40 10 10000 300
