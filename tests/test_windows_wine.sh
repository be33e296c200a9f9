#!/bin/sh
# test_windows_wine.sh -- the Windows zip under Wine, mixed with Linux programs: nine43-server.exe,
# unpacked from the zip `make windows` built, plays a round with two Linux nine43-bot players,
# answers Linux's discovery on the loopback broadcast address, and ends gently on Ctrl+C (SIGINT,
# which Wine hands to the console handler), exiting 0 after saying so; then the Linux
# nine43-server plays a round with nine43-bot.exe, and one with nine43.exe --autoplay (SDL's
# dummy video and audio) beside a Linux bot, the client exiting 0; nine43.exe --host (a window
# on Xvfb) starts nine43-server.exe, a Linux bot plays a round on it, and closing the window
# stops that server by the stop message; closed twice while a bot plays on its server,
# nine43.exe keeps that server, which ends by itself once the bot has gone; and
# nine43-server.exe with a host's secret refuses a "stop" with a wrong one and shuts down gently
# for the right one.
# Exits 77 (CTest: skipped) with the reason when the zip is absent or Wine cannot start.
# Everything stays on 127.0.0.1; the Wine prefix is a temporary folder, removed on exit.
# Usage: test_windows_wine.sh BUILD_DIR ZIP
set -u

BUILD=${1:?usage: $0 BUILD_DIR ZIP}
ZIP=${2:?usage: $0 BUILD_DIR ZIP}
WINE_BOOT_S=120 # the first start of a fresh prefix takes ~30 s on a quiet machine
READY_S=60      # the server's port file, once Wine is up
BOT_TIMEOUT=60  # seconds for the bots' round
STOP_S=20       # for the server to end after Ctrl+C
HOST_ROUND_S=5  # the round length nine43.exe --host gives its server (its saved setting)
KEEP_ROUND_S=60 # the same for the party whose host keeps its server (it is left before the end)
STAY_S=280      # the bound of the bot that stays on the kept server until the test ends it

listening() { # PORT: true while something accepts on 127.0.0.1:PORT
    python3 -c "import socket,sys; sys.exit(socket.socket().connect_ex(('127.0.0.1',$1)))" 2>/dev/null
}
port_closes() { # PORT WHY: nothing accepts on PORT within STOP_S seconds, or the test fails (WHY)
    i=0
    while listening "$1"; do
        i=$((i + 1))
        [ $i -lt "$STOP_S" ] || fail "$2"
        sleep 1
    done
}
# Wine's server ends a process's unix side by SIGKILL when it lingers ~0.5 s after its Windows
# side has ended (wine-8.0 server/process.c, start_sigkill_timer): on a loaded machine a program
# that returned 0 can show 137. wine_rc RC LOG WORDS prints RC, or 0 for that late kill when the
# program's own LOG says WORDS, which it writes only on the way to exit status 0.
wine_rc() {
    if [ "$1" = 137 ] && grep -q "$3" "$2"; then
        echo "note: Wine's server killed a program that had ended (\"$3\"): exit 0" >&2
        echo 0
    else
        echo "$1"
    fi
}
# nine43-server.exe ($SERVER) writes its port to $TMP/port: PORT, once it is there.
server_port() {
    i=0
    while [ ! -s "$TMP/port" ] && [ $i -lt $((READY_S * 5)) ]; do
        kill -0 "$SERVER" 2>/dev/null || fail "nine43-server.exe exited before listening"
        sleep 0.2
        i=$((i + 1))
    done
    PORT=$(cat "$TMP/port" 2>/dev/null)
}
# nine43-server.exe ($SERVER) ends within STOP_S after $1, exiting 0.
server_ends_after() {
    i=0
    while kill -0 "$SERVER" 2>/dev/null && [ $i -lt $((STOP_S * 5)) ]; do
        sleep 0.2
        i=$((i + 1))
    done
    kill -0 "$SERVER" 2>/dev/null && fail "nine43-server.exe still runs ${STOP_S} s after $1"
    wait "$SERVER"
    rc=$(wine_rc $? "$TMP/server.log" "every round is over: exiting")
    SERVER=""
    [ "$rc" = 0 ] || fail "nine43-server.exe exited $rc after $1"
}
skip() {
    echo "SKIP: $*"
    exit 77
}
fail() {
    echo "FAIL: $*"
    [ -n "${TMP:-}" ] && [ -f "$TMP/server.log" ] && sed 's/^/  server: /' "$TMP/server.log"
    [ -n "${TMP:-}" ] && [ -f "$TMP/host.log" ] && tail -n 20 "$TMP/host.log" | sed 's/^/  nine43.exe: /'
    exit 1
}

[ -f "$ZIP" ] || skip "no Windows build ($ZIP): run make windows first"
command -v wine >/dev/null 2>&1 || skip "wine is not installed (scripts/deps.sh windows)"
command -v unzip >/dev/null 2>&1 || skip "unzip is not installed (scripts/deps.sh windows)"
command -v Xvfb >/dev/null 2>&1 || skip "Xvfb is not installed (scripts/deps.sh windows)"
for exe in nine43-bot nine43-server; do
    [ -x "$BUILD/$exe" ] || fail "$BUILD/$exe is not built"
done

TMP=$(mktemp -d /tmp/nine43-wine-XXXXXX) || fail "mktemp"
export WINEPREFIX="$TMP/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
SERVER=""
LINUX=""
XVFB=""
STAYBOT=""
cleanup() {
    [ -n "$STAYBOT" ] && kill "$STAYBOT" 2>/dev/null
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    [ -n "$LINUX" ] && kill "$LINUX" 2>/dev/null
    wineserver -k 2>/dev/null # this prefix's Wine processes only
    wineserver -w 2>/dev/null
    [ -n "$XVFB" ] && kill "$XVFB" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

unzip -q "$ZIP" -d "$TMP" || fail "cannot unzip $ZIP"
DIR=$(find "$TMP" -maxdepth 2 -name nine43-server.exe -exec dirname {} \;)
[ -n "$DIR" ] || fail "no nine43-server.exe in $ZIP"

# nine43.exe's window needs a display: Xvfb on a free display number (-displayfd), there before
# Wine's first start, since the prefix's desktop keeps the display driver it started with.
Xvfb -displayfd 9 -screen 0 1280x800x24 -nolisten tcp 9>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
XVFB=$!
i=0
while [ ! -s "$TMP/display" ] && [ $i -lt 100 ]; do
    kill -0 "$XVFB" 2>/dev/null || fail "Xvfb did not start: $(cat "$TMP/xvfb.log")"
    sleep 0.1
    i=$((i + 1))
done
DISPLAY=:$(cat "$TMP/display")
export DISPLAY

timeout "$WINE_BOOT_S" wine cmd /c echo wine is up >"$TMP/boot.log" 2>&1
[ "$(wine_rc $? "$TMP/boot.log" "wine is up")" = 0 ] ||
    skip "wine cannot start here: $(tail -n 3 "$TMP/boot.log" | tr '\n' ' ')"

# --port 0 and --discovery-port 0: a free port of its own, discovery answered on it only.
wine "$DIR/nine43-server.exe" --port 0 --bind 127.0.0.1 --discovery-port 0 --name "wine game" \
    --port-file "$TMP/port" --round-seconds 5 --vote-timeout 2 --end-timeout 2 --countdown 1 \
    --lobby-wait 0 >"$TMP/server.log" 2>&1 &
SERVER=$!
server_port
case "$PORT" in '' | *[!0-9]*) fail "no port in the port file (\"$PORT\": a CR would show here)" ;; esac
echo "nine43-server.exe listens on 127.0.0.1:$PORT under $(wine --version)"

"$BUILD/nine43-bot" --discover --discovery-addr 127.255.255.255 --port "$PORT" >"$TMP/found" ||
    fail "Linux discovery did not list the Wine server"
grep -q '"name":"wine game"' "$TMP/found" || fail "discovery listed: $(cat "$TMP/found")"
echo "listed by discovery: $(cat "$TMP/found")"

"$BUILD/nine43-bot" --port "$PORT" --count 2 --rounds 1 --timeout "$BOT_TIMEOUT" ||
    fail "two Linux bots did not finish a round on the Wine server"
grep -q "results:" "$TMP/server.log" || fail "the server logged no results"

kill -INT "$SERVER"
server_ends_after "Ctrl+C"
grep -q "shutting down" "$TMP/server.log" || fail "Ctrl+C did not shut the server down gently"
echo "nine43-server.exe: a round with two Linux bots, listed by discovery, ended by Ctrl+C"

# The other way round: the Linux server, Windows players.
"$BUILD/nine43-server" --port 0 --bind 127.0.0.1 --no-discovery --port-file "$TMP/lport" \
    --round-seconds 5 --vote-timeout 2 --end-timeout 2 --countdown 1 --lobby-wait 0 \
    >"$TMP/linux.log" 2>&1 &
LINUX=$!
i=0
while [ ! -s "$TMP/lport" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
LPORT=$(cat "$TMP/lport" 2>/dev/null)
[ -n "$LPORT" ] || fail "the Linux server did not listen"
timeout $((BOT_TIMEOUT + 30)) wine "$DIR/nine43-bot.exe" --port "$LPORT" --count 2 --rounds 1 \
    --timeout "$BOT_TIMEOUT" >"$TMP/winbot.log" 2>&1
rc=$(wine_rc $? "$TMP/winbot.log" "players finished 1 round each")
[ "$rc" = 0 ] || fail "nine43-bot.exe did not finish a round on the Linux server (exit $rc): \
$(tail -n 5 "$TMP/winbot.log")"
echo "nine43-bot.exe: two players finished a round on the Linux server"

"$BUILD/nine43-bot" --port "$LPORT" --count 1 --rounds 1 --timeout "$BOT_TIMEOUT" \
    --username-prefix linux >"$TMP/bot.log" 2>&1 &
BOT=$!
SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy timeout $((BOT_TIMEOUT + 30)) \
    wine "$DIR/nine43.exe" --connect "127.0.0.1:$LPORT" --username wine --autoplay \
    --quit-after-rounds 1 >"$TMP/client.log" 2>&1
rc=$(wine_rc $? "$TMP/client.log" "exit status 0")
wait "$BOT" || fail "the Linux bot beside nine43.exe did not finish: $(cat "$TMP/bot.log")"
[ "$rc" = 0 ] || fail "nine43.exe --autoplay exited $rc: $(tail -n 5 "$TMP/client.log")"
grep -q "results:.*wine" "$TMP/linux.log" || fail "the Linux server's results lack nine43.exe's player"
echo "nine43.exe: played a round on the Linux server and exited 0"

# The Windows client hosts: nine43.exe --host starts nine43-server.exe beside it (CreateProcess,
# the secret in its environment), a Linux bot plays a round on it and leaves; once the host is
# back in its lobby alone (the server's status says so), the window is closed the way Windows
# closes it (taskkill sends WM_CLOSE): with nobody to ask, the client stops its server by the
# stop message, which the server answers before it ends, and exits 0.
kill "$LINUX" 2>/dev/null
wait "$LINUX" 2>/dev/null
LINUX=""
HPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Short rounds for the test: the Host screen's saved choices (--autoplay reads settings only
# from NINE43_SETTINGS), as a player would have left them.
printf '{"host_group_size":2,"host_round_seconds":%d}\n' "$HOST_ROUND_S" >"$TMP/settings.json"
NINE43_SETTINGS=$(winepath -w "$TMP/settings.json" 2>/dev/null) # a late kill (wine_rc) spares it
[ -n "$NINE43_SETTINGS" ] || fail "winepath failed"
export NINE43_SETTINGS
# In a working folder of its own, which nothing of the game's may land in (its replays go beside
# the settings file, whose Windows path has backslashes).
mkdir "$TMP/cwd" || fail "mkdir"
(cd "$TMP/cwd" && SDL_AUDIODRIVER=dummy exec timeout $((BOT_TIMEOUT + 60)) \
    wine "$DIR/nine43.exe" --host "$HPORT" --username winhost --autoplay) >"$TMP/host.log" 2>&1 &
HOSTC=$!
i=0
until "$BUILD/nine43-bot" --port "$HPORT" --count 1 --rounds 1 --timeout "$BOT_TIMEOUT" \
    --username-prefix linux >"$TMP/hostbot.log" 2>&1; do
    grep -q "logged in" "$TMP/hostbot.log" && fail "the Linux bot did not finish a round on the \
Windows host: $(tail -n 3 "$TMP/hostbot.log")"
    i=$((i + 1))
    [ $i -lt "$READY_S" ] || fail "nine43.exe --host did not start a server on port $HPORT"
    sleep 1
done
echo "nine43.exe --host: a Linux bot played a round on the server it started"
close_window() { # closes nine43.exe's window the way Windows does: taskkill sends WM_CLOSE
    wine taskkill /im nine43.exe >"$TMP/taskkill.log" 2>&1
    [ "$(wine_rc $? "$TMP/taskkill.log" "Close message sent")" = 0 ] ||
        fail "taskkill could not close nine43.exe: $(cat "$TMP/taskkill.log")"
}
status() { # the hosted server's status: "PLAYERS LOBBY"
    python3 - "$HPORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b'{"type":"status"}\n')
data = b""
while data.count(b"\n") < 2:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
import json
d = json.loads(data.decode().splitlines()[-1])
print(d.get("players"), d.get("lobby"))
PY
}
i=0
until [ "$(status)" = "1 1" ]; do
    i=$((i + 1))
    [ $i -lt "$STOP_S" ] || fail "the host is not alone in its lobby (players, lobby): $(status)"
    sleep 1
done
close_window
wait "$HOSTC"
rc=$(wine_rc $? "$TMP/host.log" "exit status 0")
[ "$rc" = 0 ] || fail "nine43.exe --host exited $rc after its window was closed: \
$(tail -n 5 "$TMP/host.log")"
grep -q "stopping the server: it stops" "$TMP/host.log" ||
    fail "nine43.exe did not stop its server by the stop message: $(tail -n 5 "$TMP/host.log")"
# The Host screen saved its choices over the settings file (rename() on Windows refuses that).
! grep "cannot save" "$TMP/host.log" || fail "nine43.exe could not save its settings"
grep -q '"host_port":[[:space:]]*'"$HPORT" "$TMP/settings.json" ||
    fail "the settings file lacks the hosted port: $(cat "$TMP/settings.json")"
ls "$TMP"/replays/*.n43replay >/dev/null 2>&1 ||
    fail "the round's replay is not beside the settings file: $(ls -R "$TMP/cwd" "$TMP/replays" 2>&1)"
[ -z "$(ls -A "$TMP/cwd")" ] || fail "nine43.exe wrote into its working folder: $(ls -R "$TMP/cwd")"
port_closes "$HPORT" "the hosted server still listens ${STOP_S} s after the stop"
echo "nine43.exe --host: its window closed, it stopped its server by the stop message, exit 0"

# "Keep it running": nine43.exe hosts again and plays with a Linux bot that stays; its window is
# closed during the party, which asks the host (others are on the server), and closed again,
# which keeps the server for them (closed twice: nobody loses a round). nine43.exe exits 0 without
# stopping it, the server serves the bot on, and ends by itself once the bot has gone.
HPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# A long round: the window is closed while the party is in its vote or round, not between two.
printf '{"host_group_size":2,"host_round_seconds":%d}\n' "$KEEP_ROUND_S" >"$TMP/settings.json"
SDL_AUDIODRIVER=dummy timeout $((BOT_TIMEOUT + 60)) \
    wine "$DIR/nine43.exe" --host "$HPORT" --username winhost --autoplay >"$TMP/host.log" 2>&1 &
HOSTC=$!
i=0
until listening "$HPORT"; do
    i=$((i + 1))
    [ $i -lt "$READY_S" ] || fail "nine43.exe --host did not start a server on port $HPORT"
    sleep 1
done
"$BUILD/nine43-bot" --port "$HPORT" --count 1 --rounds 0 --timeout "$STAY_S" \
    --username-prefix stay >"$TMP/staybot.log" 2>&1 &
STAYBOT=$!
i=0
until [ "$(status)" = "2 0" ]; do # both in a group: the party is on
    i=$((i + 1))
    [ $i -lt "$STOP_S" ] || fail "the host and the bot never played (players, lobby): $(status)"
    sleep 1
done
close_window
sleep 1
kill -0 "$HOSTC" 2>/dev/null || fail "nine43.exe closed without asking, others being on its server"
close_window
wait "$HOSTC"
rc=$(wine_rc $? "$TMP/host.log" "exit status 0")
[ "$rc" = 0 ] || fail "nine43.exe exited $rc after keeping its server: $(tail -n 5 "$TMP/host.log")"
! grep -q "stopping the server" "$TMP/host.log" || fail "nine43.exe stopped the server it was to keep"
sleep 2
[ "$(status | cut -d' ' -f1)" = 1 ] ||
    fail "the kept server does not serve the bot on (players, lobby): $(status)"
kill "$STAYBOT" 2>/dev/null
wait "$STAYBOT" 2>/dev/null
STAYBOT=""
port_closes "$HPORT" "the kept server still listens ${STOP_S} s after the last player left"
echo "nine43.exe --host: closed twice it kept its server for the bot, which ended once empty"

# "Stop the server" on Windows is the stop message (no SIGTERM there): nine43-server.exe with a
# host's secret in its environment, as nine43.exe starts it, refuses a wrong secret and stops
# gently for the right one.
SECRET=0123456789abcdef0123456789abcdef
rm -f "$TMP/port"
NINE43_ADMIN_TOKEN=$SECRET wine "$DIR/nine43-server.exe" --port 0 --bind 127.0.0.1 \
    --discovery-port 0 --no-discovery --port-file "$TMP/port" >"$TMP/server.log" 2>&1 &
SERVER=$!
server_port
stop_says() { # the server's answer to a stop with secret $1 (its second line; the first greets)
    python3 - "$PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b'{"type":"stop","admin":"%s"}\n' % sys.argv[2].encode())
data = b""
while data.count(b"\n") < 2:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode().splitlines()[1] if data.count(b"\n") >= 2 else "closed: " + data.decode())
PY
}
said=$(stop_says not-the-secret-at-all)
case "$said" in *'wrong admin secret'*) ;; *) fail "a wrong secret was answered: $said" ;; esac
kill -0 "$SERVER" 2>/dev/null || fail "nine43-server.exe ended on a wrong secret"
said=$(stop_says "$SECRET")
case "$said" in *'"reason":"stopping"'*) ;; *) fail "the right secret was answered: $said" ;; esac
server_ends_after "the stop"
grep -q "stop refused: wrong admin secret" "$TMP/server.log" || fail "the wrong secret was not logged"
grep -q "shutting down" "$TMP/server.log" || fail "the stop did not shut the server down gently"
echo "nine43-server.exe: a wrong secret refused, the host's stop message ended it gently"
echo "PASS: Windows and Linux programs played together under Wine"
