#!/bin/sh
# test-summary.sh -- adds up the CTest logs of `make test` into one closing line for CI
# Usage: scripts/test-summary.sh LOG...   (logs written by `ctest --output-log`)
passed=0 failed=0 skipped=0
for log in "$@"; do
    total=$(sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\1 \2/p' "$log" | tail -n 1)
    [ -n "$total" ] || { echo "test-summary: no CTest result in $log" >&2; exit 1; }
    f=${total% *}
    t=${total#* }
    s=$(grep -c '^[[:space:]]*[0-9][0-9]* - .* (Skipped)$' "$log")
    failed=$((failed + f))
    skipped=$((skipped + s))
    passed=$((passed + t - f - s))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
