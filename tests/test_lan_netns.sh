#!/bin/sh
# test_lan_netns.sh -- LAN play over a real network made of namespaces: a bridge in its own
# namespace joins three others (10.43.0.1-3/24); the server runs in one, is discovered by
# broadcast from another, and bots in the other two play a full round against it.
# Needs root and `ip netns`; exits 77 (CTest: skipped) where namespaces cannot be made.
# Every packet stays inside the namespaces made here, and all of them are removed on exit.
# Usage: test_lan_netns.sh [BUILD_DIR]
set -u

BUILD=${1:-${NINE43_BUILD:-.}}
TAG=$$
NS_BRIDGE=n43br-$TAG
NS_SERVER=n43s-$TAG
NS_A=n43a-$TAG
NS_B=n43b-$TAG
SERVER_IP=10.43.0.1
BROADCAST=10.43.0.255
PORT=9999                # the default port: these namespaces are fresh, nothing else holds it
DISCOVER_MS=2500
BOT_TIMEOUT=60           # seconds for a bot to play its round (generous: the machine is shared)
. "$(dirname "$0")/netns_lib.sh"

[ "$(id -u)" = 0 ] || skip "network namespaces need root (run as root, as CI does)"
command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
for exe in nine43-server nine43-bot lan_tool; do
    [ -x "$BUILD/$exe" ] || fail "$BUILD/$exe is not built"
done

TMP=$(mktemp -d /tmp/nine43-netns-XXXXXX) || fail "mktemp"

netns_add "$NS_BRIDGE" "$NS_SERVER" "$NS_A" "$NS_B"

# The bridge lives in its own namespace; each veth pair is made there with its peer created
# straight inside the player's namespace, so nothing touches the root namespace.
ip -n "$NS_BRIDGE" link add br0 type bridge 2>"$TMP/bridge.log" ||
    skip "cannot create a bridge: $(cat "$TMP/bridge.log")"
ip -n "$NS_BRIDGE" link set br0 up || fail "bridge up"
n=1
for ns in "$NS_SERVER" "$NS_A" "$NS_B"; do
    ip -n "$NS_BRIDGE" link add "v$n" type veth peer name eth0 netns "$ns" ||
        fail "veth for $ns"
    ip -n "$NS_BRIDGE" link set "v$n" master br0 up || fail "v$n on the bridge"
    ip -n "$ns" link set lo up || fail "lo up in $ns"
    ip -n "$ns" addr add "10.43.0.$n/24" brd + dev eth0 || fail "address in $ns"
    ip -n "$ns" link set eth0 up || fail "eth0 up in $ns"
    n=$((n + 1))
done

# The server in its namespace.
ip netns exec "$NS_SERVER" "$BUILD/nine43-server" --port "$PORT" --port-file "$TMP/port" \
    --name "LAN Test" --group-size 2 --round-seconds 3 --vote-timeout 2 \
    >"$TMP/server.log" 2>&1 &
PIDS="$PIDS $!"
i=0
while [ ! -s "$TMP/port" ]; do
    i=$((i + 1))
    [ $i -gt 100 ] && fail "the server did not start within 10 s"
    sleep 0.1
done

# Discovery by broadcast from namespace A: forced to the LAN's broadcast address, then from the
# interfaces themselves (inside the namespace only eth0 and lo exist).
expect_found() { # $1 = output file, $2 = what probed
    lines=$(grep -c '"name":"LAN Test"' "$1")
    [ "$lines" = 1 ] || fail "$2: expected the server once, got $lines line(s): $(cat "$1")"
    grep -q "\"address\":\"$SERVER_IP\",\"port\":$PORT" "$1" ||
        fail "$2: wrong address: $(cat "$1")"
    grep -q '"group_size":2' "$1" || fail "$2: wrong group size: $(cat "$1")"
    echo "found by $2: $(cat "$1")"
}
ip netns exec "$NS_A" env -u NINE43_DISCOVERY_ADDR "$BUILD/nine43-bot" --discover \
    --discovery-addr "$BROADCAST" --port "$PORT" \
    >"$TMP/found-bot.json" 2>"$TMP/discover-bot.log" ||
    fail "nine43-bot --discover found nothing"
expect_found "$TMP/found-bot.json" "nine43-bot --discover --discovery-addr $BROADCAST"
ip netns exec "$NS_A" env -u NINE43_DISCOVERY_ADDR "$BUILD/lan_tool" discover "$BROADCAST" \
    "$PORT" "$DISCOVER_MS" >"$TMP/found-forced.json" 2>"$TMP/discover-forced.log" ||
    fail "discovery at $BROADCAST found nothing"
expect_found "$TMP/found-forced.json" "the browser at $BROADCAST"
ip netns exec "$NS_B" env -u NINE43_DISCOVERY_ADDR "$BUILD/lan_tool" discover - "$PORT" \
    "$DISCOVER_MS" >"$TMP/found-ifaces.json" 2>"$TMP/discover-ifaces.log" ||
    fail "discovery on the interfaces found nothing"
expect_found "$TMP/found-ifaces.json" "the browser on the interfaces"
grep -q "10.43.0.0/24" "$TMP/discover-ifaces.log" ||
    fail "the browser did not say it searched 10.43.0.0/24: $(cat "$TMP/discover-ifaces.log")"

# Two bots, one in each of the other namespaces, play one full round against it.
ip netns exec "$NS_A" timeout "$BOT_TIMEOUT" "$BUILD/nine43-bot" --host "$SERVER_IP" \
    --port "$PORT" --count 1 --rounds 1 --username-prefix alpha >"$TMP/bot-a.log" 2>&1 &
BOT_A=$!
PIDS="$PIDS $BOT_A"
ip netns exec "$NS_B" timeout "$BOT_TIMEOUT" "$BUILD/nine43-bot" --host "$SERVER_IP" \
    --port "$PORT" --count 1 --rounds 1 --username-prefix bravo >"$TMP/bot-b.log" 2>&1 &
BOT_B=$!
PIDS="$PIDS $BOT_B"
wait "$BOT_A"
RC_A=$?
wait "$BOT_B"
RC_B=$?
[ "$RC_A" = 0 ] || fail "the bot in $NS_A exited $RC_A"
[ "$RC_B" = 0 ] || fail "the bot in $NS_B exited $RC_B"
echo "both bots played a full round against $SERVER_IP:$PORT"
echo "PASS"
exit 0
