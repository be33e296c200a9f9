#!/bin/sh
# bench/client_figures.sh -- the client's frame time, CPU and input-to-ack time, two builds
# alternated in one sitting (README "The client's network code")
# Usage: bench/client_figures.sh BEFORE_BUILD AFTER_BUILD [RUNS] [DISPLAY]
#   Each run, for each build in turn: a fresh server (AFTER_BUILD's, --round-seconds 20, no
#   discovery) and one nine43-bot; the build's own nine43 --autoplay plays one round under
#   Xvfb with bench/frame_probe.so preloaded (its frames) and /usr/bin/time (its CPU); then the
#   build's client_ack plays one round on the same kind of server (its input-to-ack times).
#   Needs Xvfb running on DISPLAY (default :72), both builds' nine43, and AFTER_BUILD's
#   nine43-server, nine43-bot and bench/frame_probe.so; client_ack in each build dir.
set -u
BEFORE=$1
AFTER=$2
RUNS=${3:-3}
export DISPLAY=${4:-:72}
PROBE=$AFTER/bench/frame_probe.so
OUT=$(mktemp -d /tmp/nine43-client-figures.XXXXXX)
export SDL_AUDIODRIVER=dummy HOME=$OUT

# Starts a server and a bot; sets PORT, SRV, BOT.
serve() {
    rm -f "$OUT/port"
    "$AFTER/nine43-server" --port 0 --port-file "$OUT/port" --round-seconds 20 --no-discovery \
        --log-level warn --vote-timeout 3 --end-timeout 3 >"$OUT/server.log" 2>&1 &
    SRV=$!
    while [ ! -s "$OUT/port" ]; do sleep 0.05; done
    PORT=$(cat "$OUT/port")
    "$AFTER/nine43-bot" --port "$PORT" --rounds 1 --timeout 90 >"$OUT/bot.log" 2>&1 &
    BOT=$!
}

unserve() {
    kill "$BOT" 2>/dev/null
    kill "$SRV" 2>/dev/null
    wait "$BOT" "$SRV" 2>/dev/null
}

# One round of the real client: frames and CPU.
client_round() { # build label
    serve
    FRAME_PROBE_OUT=$OUT/frames LD_PRELOAD=$PROBE /usr/bin/time -f '%U %S %e' -o "$OUT/time" \
        "$1/nine43" --connect "127.0.0.1:$PORT" --username figures --autoplay \
        --quit-after-rounds 1 --windowed 960x640 >"$OUT/client.log" 2>&1
    unserve
    set -- $(cat "$OUT/time")
    cpu=$(echo "$1 $2 $3" | awk '{printf "%.1f", 100 * ($1 + $2) / $3}')
    echo "frames $label: $(cat "$OUT/frames") cpu_percent $cpu wall_s $3"
}

ack_round() { # build
    serve
    echo "ack $label: $("$1/client_ack" "$PORT")"
    unserve
}

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') $(uname -sr), $(nproc) cores," \
    "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
i=0
while [ "$i" -lt "$RUNS" ]; do
    for b in before after; do
        if [ "$b" = before ]; then dir=$BEFORE; else dir=$AFTER; fi
        label=$b
        echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
        client_round "$dir"
        ack_round "$dir"
    done
    i=$((i + 1))
done
rm -rf "$OUT"
