# netns_lib.sh -- what the namespace tests share (sourced, not run): skip (CTest's 77), fail with
# the logs in $TMP, and a cleanup on exit that ends the processes in $PIDS and deletes the
# namespaces in $CREATED (their veth ends and bridges go with them) and $TMP.
TMP=
PIDS=
CREATED=

skip() {
    echo "SKIP: $*"
    exit 77
}

fail() {
    echo "FAIL: $*"
    for f in "$TMP"/*.log; do
        [ -f "$f" ] && { echo "---- $f"; cat "$f"; }
    done
    exit 1
}

netns_cleanup() {
    for pid in $PIDS; do kill "$pid" 2>/dev/null; done
    for pid in $PIDS; do wait "$pid" 2>/dev/null; done
    for ns in $CREATED; do ip netns del "$ns" 2>/dev/null; done
    [ -n "$TMP" ] && rm -rf "$TMP"
}
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP
