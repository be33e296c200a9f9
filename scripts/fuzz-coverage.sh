#!/bin/sh
# fuzz-coverage.sh -- how much of common/proto*.c, common/linebuf.c and common/replay.c the fuzz
# corpora reach: builds the fuzz targets with clang's source coverage, replays the corpora once,
# prints llvm-cov's report
# Usage: scripts/fuzz-coverage.sh [FUZZ_BUILD]   (after `make fuzz`; FUZZ_BUILD defaults to build-fuzz)
# Needs clang, llvm-profdata and llvm-cov (Debian: clang, llvm), and SDL2's development files for
# the client target.
set -eu
FUZZ_BUILD=${1:-build-fuzz}
OUT=$FUZZ_BUILD/coverage
rm -rf "$OUT"
mkdir -p "$OUT"
COV="-O1 -g -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping -Icommon"
LIBS="-lcjson -lm -lpthread"

# shellcheck disable=SC2086 # the flag lists are split on purpose
clang $COV -DPROTO_ENCODE_MAX=1048576 tests/fuzz/fuzz_proto.c common/linebuf.c common/proto*.c \
    common/json_arena.c common/utf8.c common/world.c $LIBS -o "$OUT/fuzz_proto"
# shellcheck disable=SC2086
clang $COV tests/fuzz/fuzz_username.c common/proto*.c common/json_arena.c common/utf8.c \
    common/world.c $LIBS -o "$OUT/fuzz_username"
# shellcheck disable=SC2086
clang $COV tests/fuzz/fuzz_replay.c common/replay.c common/sim.c common/utf8.c common/world.c \
    $LIBS -o "$OUT/fuzz_replay"
objects="-object $OUT/fuzz_username -object $OUT/fuzz_replay"
if pkg-config --exists sdl2 SDL2_net SDL2_ttf; then
    # shellcheck disable=SC2046,SC2086
    clang $COV -Iclient -Iplay -Itests -DNINE43_INSTALL_ASSETS='"/usr/share/nine43/assets"' -DNINE43_VERSION='"coverage"' \
        tests/fuzz/fuzz_client.c $(ls client/*.c | grep -v '/main\.c$') play/*.c $(ls common/*.c | grep -v '_win32\.c$') \
        tests/game_fake.c tests/fake_net.c $(pkg-config --cflags --libs sdl2 SDL2_net SDL2_ttf) \
        $LIBS -o "$OUT/fuzz_client"
    objects="$objects -object $OUT/fuzz_client"
fi

replay() { # target, then the corpus folders that exist
    target=$1
    shift
    dirs=""
    for d in "$@"; do
        [ -d "$d" ] && dirs="$dirs $d"
    done
    [ -x "$OUT/$target" ] && [ -n "$dirs" ] || return 0
    # shellcheck disable=SC2086
    LLVM_PROFILE_FILE="$OUT/$target-%p.profraw" "$OUT/$target" -runs=0 -rss_limit_mb=2048 \
        $dirs >"$OUT/$target.log" 2>&1
}
replay fuzz_proto "$FUZZ_BUILD/corpus" tests/fuzz/corpus
replay fuzz_username "$FUZZ_BUILD/corpus_username"
replay fuzz_replay "$FUZZ_BUILD/corpus_replay" tests/fuzz/corpus_replay
replay fuzz_client "$FUZZ_BUILD/corpus_client" tests/fuzz/corpus_client

llvm-profdata merge -sparse "$OUT"/*.profraw -o "$OUT/all.profdata"
# shellcheck disable=SC2086
llvm-cov report "$OUT/fuzz_proto" $objects -instr-profile="$OUT/all.profdata" \
    common/proto*.c common/linebuf.c common/replay.c
