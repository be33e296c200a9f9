#!/bin/sh
# test_net_netem.sh -- play over a bad network made with tc netem: two namespaces joined by a
# veth pair, each end delaying what it sends by 60 ms +- 20 ms with 1 % loss, and a 300 ms stall
# (100 % loss) every 10 s; the server runs in one, an autoplay client (SDL's dummy video driver, no window) and
# a bot in the other. The client records its own prediction corrections and the others' freezes
# (--net-stats); the test fails when the p99 correction reaches a quarter of a tile (250
# milli-tiles). Needs root, ip netns and the kernel's netem qdisc; exits 77 (CTest: skipped)
# with the reason where any is missing. Every packet stays inside the namespaces made here,
# and both are removed on exit.
# Usage: test_net_netem.sh [BUILD_DIR] [ROUND_SECONDS]
set -u

BUILD=${1:-${NINE43_BUILD:-.}}
ROUND=${2:-20}
TAG=$$
NS_S=n43ns-$TAG
NS_C=n43nc-$TAG
SERVER_IP=10.43.1.1
CLIENT_IP=10.43.1.2
PORT=9999
NETEM="delay 60ms 20ms distribution normal loss 1%"
STALL_EVERY=10 # seconds between stalls
STALL_MS=300
MAX_P99=250 # milli-tiles: a quarter of a tile
. "$(dirname "$0")/netns_lib.sh"

[ "$(id -u)" = 0 ] || skip "network namespaces and tc need root (run as root, as CI does)"
command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
command -v tc >/dev/null 2>&1 || skip "no tc command (iproute2)"
for exe in nine43-server nine43-bot nine43; do
    [ -x "$BUILD/$exe" ] || skip "$BUILD/$exe is not built"
done
TMP=$(mktemp -d /tmp/nine43-netem-XXXXXX) || fail "mktemp"

netns_add "$NS_S" "$NS_C"
ip -n "$NS_S" link add eth0 type veth peer name eth0 netns "$NS_C" || fail "veth pair"
ip -n "$NS_S" addr add "$SERVER_IP/24" dev eth0 || fail "server address"
ip -n "$NS_C" addr add "$CLIENT_IP/24" dev eth0 || fail "client address"
for ns in "$NS_S" "$NS_C"; do
    ip -n "$ns" link set lo up || fail "lo up in $ns"
    ip -n "$ns" link set eth0 up || fail "eth0 up in $ns"
    # shellcheck disable=SC2086 # NETEM is a list of words on purpose
    ip netns exec "$ns" tc qdisc add dev eth0 root netem $NETEM 2>"$TMP/tc.log" ||
        skip "tc netem is not available in this kernel: $(cat "$TMP/tc.log")"
done

ip netns exec "$NS_S" "$BUILD/nine43-server" --bind "$SERVER_IP" --port "$PORT" --no-discovery \
    --round-seconds "$ROUND" --vote-timeout 1 >"$TMP/server.log" 2>&1 &
PIDS="$!"
sleep 1
ip netns exec "$NS_C" env SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$BUILD/nine43" \
    --connect "$SERVER_IP:$PORT" --username player --autoplay --quit-after-rounds 1 \
    --windowed 960x640 --net-stats "$TMP/stats.json" >"$TMP/client.log" 2>&1 &
CLIENT=$!
ip netns exec "$NS_C" "$BUILD/nine43-bot" --host "$SERVER_IP" --port "$PORT" --count 1 \
    --rounds 1 --quiet --timeout $((ROUND + 60)) >"$TMP/bot.log" 2>&1 &
BOT=$!
PIDS="$PIDS $CLIENT $BOT"

# A stall now and then: everything lost for STALL_MS (TCP sends it again afterwards).
(
    while kill -0 "$CLIENT" 2>/dev/null; do
        sleep "$STALL_EVERY"
        for ns in "$NS_S" "$NS_C"; do
            ip netns exec "$ns" tc qdisc change dev eth0 root netem delay 60ms 20ms loss 100%
        done
        sleep "$(awk "BEGIN { print $STALL_MS / 1000 }")"
        for ns in "$NS_S" "$NS_C"; do
            # shellcheck disable=SC2086
            ip netns exec "$ns" tc qdisc change dev eth0 root netem $NETEM
        done
    done
) >/dev/null 2>&1 &
PIDS="$PIDS $!"

wait "$CLIENT" || fail "the client did not finish its round"
wait "$BOT" || fail "the bot did not finish its round"
[ -s "$TMP/stats.json" ] || fail "no --net-stats written"
STATS=$(cat "$TMP/stats.json")
echo "netem $NETEM, a ${STALL_MS} ms stall every ${STALL_EVERY} s: $STATS"
P99=$(echo "$STATS" | sed 's/.*"p99":\([0-9]*\).*/\1/')
[ "$P99" -lt "$MAX_P99" ] || fail "p99 correction $P99 milli-tiles, not under $MAX_P99"
echo "PASS"
