#!/bin/sh
# bench/run.sh -- runs every benchmark at the sizes of issue 7 and prints their lines (plain text)
# Usage: bench/run.sh [BUILD_DIR]   (default: build). Everything runs on 127.0.0.1; each benchmark
# starts its own server (a fresh one per measurement), bounds its load and stops by itself.
set -u
BUILD=${1:-build}
if [ ! -x "$BUILD/nine43-server" ] || [ ! -x "$BUILD/bench_login" ]; then
    echo "run.sh: build first (cmake --build $BUILD); no $BUILD/nine43-server or bench_login" >&2
    exit 2
fi
status=0

machine() {
    echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') $(uname -sr), $(nproc) cores," \
        "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
}

# Runs one benchmark; the load average before it says how busy the (shared) machine was.
run() {
    echo "# load average $(cut -d' ' -f1-3 /proc/loadavg): $*"
    "$BUILD/$@" || { echo "# FAILED: $*"; status=1; }
}

machine
[ -x "$BUILD/bench_codec" ] && run bench_codec
# The decoder beside Python's json on the same lines (issue 16): needs python3 (scripts/deps.sh
# bench). Debian's own interpreter unless PYTHON says otherwise: a self-built one (pyenv) can
# decode at half its speed, which would flatter the ratio.
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
if [ -x "$BUILD/bench_codec" ] && [ -n "$PYTHON" ]; then
    echo "# load average $(cut -d' ' -f1-3 /proc/loadavg): codec_python.py"
    "$PYTHON" "$(dirname "$0")/codec_python.py" "$BUILD" || { echo "# FAILED: codec_python.py"; status=1; }
fi
[ -x "$BUILD/bench_sim" ] && run bench_sim
for k in 100 1000 5000; do
    run bench_login --clients "$k"
done
run bench_capacity --clients 10000
for g in 25 100 250; do
    run bench_game --groups "$g" --seconds 30
done
run bench_latency --samples 1000
exit $status
