#!/bin/sh
# bench/record_round.sh -- records what a player hears in one real round: nine43-server on
# 127.0.0.1 and two --autoplay clients (SDL's dummy video, no display needed), the first on
# SDL's disk audio driver, logging each sound it plays ($NINE43_SFX_LOG); then measures the
# recording (sox) and matches every logged sound with an onset in it (bench/sfx_onsets.py). Usage: bench/record_round.sh [BUILD_DIR] [OUT_DIR]. Needs sox, python3.
set -u
BUILD=${1:-build}
OUT=${2:-/tmp/nine43-record}
ROUND=15     # seconds of the round
COUNTDOWN=3  # seconds of 3-2-1 before it
HERE=$(dirname "$0")
for tool in sox python3; do
    command -v "$tool" >/dev/null || { echo "record_round.sh: needs $tool" >&2; exit 2; }
done
[ -x "$BUILD/nine43" ] && [ -x "$BUILD/nine43-server" ] ||
    { echo "record_round.sh: build first: no $BUILD/nine43 or $BUILD/nine43-server" >&2; exit 2; }
mkdir -p "$OUT"
rm -f "$OUT/port" "$OUT/round.raw" "$OUT/sfx.log"
"$BUILD/nine43-server" --bind 127.0.0.1 --port 0 --port-file "$OUT/port" --no-discovery \
    --group-size 2 --round-seconds $ROUND --countdown $COUNTDOWN --vote-timeout 2 \
    --end-timeout 2 >"$OUT/server.log" 2>&1 &
server=$!
i=0
while [ ! -s "$OUT/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$OUT/port" 2>/dev/null) || { kill $server; echo "no server" >&2; exit 1; }
export SDL_VIDEODRIVER=dummy
# ann is the one recorded: she stays on the end screen (its bell and jingle) until bob's client
# has seen the results, and 3 s more; SIGTERM is a normal quit for an SDL program.
SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$OUT/round.raw" NINE43_SFX_LOG="$OUT/sfx.log" \
    "$BUILD/nine43" --autoplay \
    --connect 127.0.0.1:$port --username ann >"$OUT/ann.log" 2>&1 &
ann=$!
SDL_AUDIODRIVER=dummy "$BUILD/nine43" --autoplay --connect 127.0.0.1:$port --username bob \
    --quit-after-rounds 1 >"$OUT/bob.log" 2>&1 &
bob=$!
wait $bob
sleep 3
kill $ann
wait $ann
kill $server 2>/dev/null
wait $server 2>/dev/null
# audio.c asks for 48 kHz stereo float and takes what it gets; its log line says what it got.
grep -q "sound on disk (48000 Hz, 2 ch, f32)" "$OUT/ann.log" ||
    { echo "record_round.sh: the disk driver gave another format:" >&2; cat "$OUT/ann.log" >&2; exit 1; }
sox -t raw -r 48000 -e floating-point -b 32 -c 2 -L "$OUT/round.raw" "$OUT/round.wav"
echo "# $OUT/round.wav: $(soxi -D "$OUT/round.wav") s"
sox "$OUT/round.wav" -n stat 2>&1 | grep -E "Maximum amplitude|Minimum amplitude|RMS     amplitude"
grep -E "starts in|results" "$OUT/server.log"
python3 "$HERE/sfx_onsets.py" "$OUT/round.raw" "$OUT/sfx.log"
