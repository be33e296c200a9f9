#!/bin/sh
# test_client_round_kick.sh -- the host kicks from inside its own round, with the real programs:
# nine43 --host (an X display of its own: Xvfb, driven with xdotool) starts nine43-server and
# plays a round with one nine43-bot; in the round the host presses K, types a reason and Enter,
# and the bot is told "Kicked by the host: <reason>" by the server and let go; the host plays on.
# Exits 77 (CTest: skipped) with the reason when Xvfb or xdotool is missing or Xvfb cannot start.
# Everything stays on 127.0.0.1.
# Usage: test_client_round_kick.sh BUILD_DIR
set -u

BUILD=${1:?usage: $0 BUILD_DIR}
READY_S=30      # the hosted server's port, the vote, the round: each within this
KICKED_S=20     # the bot's goodbye after the host's Enter
ROUND_S=90      # the round's length (the host's saved setting): the kick comes long before
REASON="afk all round"

TMP=""
PIDS=""
CLIENT=""
skip() {
    echo "SKIP: $*"
    exit 77
}
fail() {
    echo "FAIL: $*"
    for f in client bot; do
        [ -f "$TMP/$f.log" ] && sed "s/^/  $f: /" "$TMP/$f.log" | tail -n 20
    done
    exit 1
}
cleanup() {
    # The server nine43 --host started ends gently on its first SIGTERM (the round would finish,
    # its host's place kept for the resume time): a second ends it at once.
    if [ -n "$CLIENT" ]; then
        for p in $(ps -o pid= --ppid "$CLIENT" 2>/dev/null); do
            kill "$p" 2>/dev/null
            sleep 0.2
            kill "$p" 2>/dev/null
        done
    fi
    for p in $PIDS; do
        kill "$p" 2>/dev/null
    done
    for p in $PIDS; do
        wait "$p" 2>/dev/null
    done
    [ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

command -v Xvfb >/dev/null 2>&1 || skip "Xvfb is not installed (scripts/deps.sh test)"
command -v xdotool >/dev/null 2>&1 || skip "xdotool is not installed (scripts/deps.sh test)"
for exe in nine43 nine43-server nine43-bot; do
    [ -x "$BUILD/$exe" ] || fail "$BUILD/$exe is not built"
done
TMP=$(mktemp -d /tmp/nine43-roundkick-XXXXXX) || fail "mktemp"

# wait_for SECONDS COMMAND...: true once COMMAND succeeds, false after SECONDS (by the clock: a
# busy machine makes each try slow).
wait_for() {
    end=$(($(date +%s) + $1))
    shift
    while ! "$@"; do
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.2
    done
}
listening() {
    python3 -c "import socket,sys; sys.exit(socket.socket().connect_ex(('127.0.0.1',$HPORT)))" \
        2>/dev/null
}

# Xvfb picks a free display number itself (-displayfd): nothing to collide with.
Xvfb -displayfd 9 -screen 0 1280x800x24 -nolisten tcp 9>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
XPID=$!
PIDS="$XPID"
wait_for 10 test -s "$TMP/display" || skip "Xvfb did not start: $(tail -n 3 "$TMP/xvfb.log")"
DISP=":$(cat "$TMP/display")"
export DISPLAY="$DISP"

# The Host screen's saved choices: a group of two (the host and the bot), a long round.
printf '{"host_group_size":2,"host_round_seconds":%d}\n' "$ROUND_S" >"$TMP/settings.json"
HPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir "$TMP/shots"
NINE43_SETTINGS="$TMP/settings.json" SDL_AUDIODRIVER=dummy "$BUILD/nine43" --host "$HPORT" \
    --username boss --windowed 960x640 --screenshot-dir "$TMP/shots" \
    --discovery-addr 127.255.255.255 >"$TMP/client.log" 2>&1 &
CLIENT=$!
PIDS="$CLIENT $PIDS"
up() {
    kill -0 "$CLIENT" 2>/dev/null || fail "nine43 --host exited early"
    listening
}
wait_for "$READY_S" up || fail "nine43 --host did not start a server on port $HPORT"
"$BUILD/nine43-bot" --port "$HPORT" --count 1 --rounds 0 --vote first --timeout 120 \
    --username-prefix afk >"$TMP/bot.log" 2>&1 &
BOT=$!
PIDS="$BOT $PIDS"

# Keys go to the window under the pointer (no window manager): the pointer rests on the game.
xdotool mousemove 480 320
wait_for "$READY_S" test -e "$TMP/shots/select.bmp" || fail "the host never saw the vote"
xdotool key Return # the host's vote
wait_for "$READY_S" test -e "$TMP/shots/game.bmp" || fail "the host's round never started"
sleep 1
kill -0 "$BOT" 2>/dev/null || fail "the bot left before the kick"
# K opens the host's kick dialog over the round; its only name is the bot, in the round.
xdotool key k
sleep 0.5
xdotool type --delay 40 "$REASON"
xdotool key Return
wait_for "$KICKED_S" sh -c "! kill -0 $BOT 2>/dev/null" ||
    fail "the bot is still playing ${KICKED_S} s after the host's kick"
wait "$BOT" 2>/dev/null
grep -q "Kicked by the host: $REASON" "$TMP/bot.log" ||
    fail "the bot was not told it was kicked: $(tail -n 3 "$TMP/bot.log")"
kill -0 "$CLIENT" 2>/dev/null || fail "nine43 did not outlive its own kick"
echo "the host kicked afk1 from inside its round; the bot was told: Kicked by the host: $REASON"
