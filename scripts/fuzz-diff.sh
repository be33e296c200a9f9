#!/bin/sh
# fuzz-diff.sh -- differential fuzzing of the protocol codec: common/proto*.c as of a git revision
# (default main) against the working tree's, under libFuzzer (tests/fuzz/fuzz_proto_diff.c).
# Usage: scripts/fuzz-diff.sh [REV [SECONDS]]   (from the top of the tree; needs clang)
# The old files are compiled from REV's common/, linked into one object whose only global
# symbols are old_proto_decode and old_proto_encode (objcopy), so both codecs live in one
# program. REV must have this tree's common/proto.h but for comments (the message structs are
# compared byte for byte). The corpus is kept in $FUZZ_DIFF_DIR/corpus (default
# build-fuzz-diff) between runs.
set -eu
REV=${1:-main}
SECONDS_=${2:-60}
OUT=${FUZZ_DIFF_DIR:-build-fuzz-diff}
CC=${CC:-clang}

rm -rf "$OUT/old"
mkdir -p "$OUT/old" "$OUT/corpus"
git archive "$REV" common | tar -x -C "$OUT/old"
# Compared as the compiler sees it: a comment may differ, a declaration may not.
proto_h() { echo '#include "proto.h"' | $CC -E -P -I"$1" -x c - | tr -s ' \n'; }
if [ "$(proto_h "$OUT/old/common")" != "$(proto_h common)" ]; then
    echo "fuzz-diff: common/proto.h differs from $REV's: the structs cannot be compared" >&2
    exit 1
fi

SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=bool,enum -fno-sanitize-recover=all"
CFLAGS="-O1 -g -DPROTO_ENCODE_MAX=1048576 $(pkg-config --cflags libcjson)"
OLD_OBJS=""
for src in $(git ls-tree --name-only "$REV" common/ | grep '^common/proto[a-z_]*\.c$'); do
    obj="$OUT/old/$(basename "$src" .c).o"
    $CC $CFLAGS $SAN -I"$OUT/old/common" -c "$OUT/old/$src" -o "$obj"
    OLD_OBJS="$OLD_OBJS $obj"
done
# One object; its public functions renamed, every other symbol of it made local so that it
# clashes with nothing of this tree's (json_arena, utf8 and world are this tree's, shared).
ld -r -o "$OUT/old/old_all.o" $OLD_OBJS
objcopy --redefine-sym proto_decode=old_proto_decode --redefine-sym proto_encode=old_proto_encode \
    "$OUT/old/old_all.o" "$OUT/old/old_renamed.o"
objcopy --keep-global-symbol=old_proto_decode --keep-global-symbol=old_proto_encode \
    "$OUT/old/old_renamed.o" "$OUT/old_proto.o"

$CC $CFLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize=bool,enum \
    -fno-sanitize-recover=all -Icommon \
    tests/fuzz/fuzz_proto_diff.c common/proto*.c common/json_arena.c common/utf8.c \
    common/world.c "$OUT/old_proto.o" $(pkg-config --libs libcjson) -lm -lpthread \
    -o "$OUT/fuzz_proto_diff"

"$OUT/fuzz_proto_diff" -max_total_time="$SECONDS_" -max_len=40000 -rss_limit_mb=1024 \
    -dict=tests/fuzz/proto.dict -print_final_stats=1 "$OUT/corpus" tests/fuzz/corpus
