# netns_lib.sh -- what the namespace tests share (sourced, not run): skip (CTest's 77), fail with
# the logs in $TMP, making namespaces that work or skipping with the reason (netns_add), and a
# cleanup on exit that ends the processes in $PIDS and deletes the namespaces in $CREATED (their
# veth ends and bridges go with them) and $TMP.
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

# netns_add NS...: makes each namespace and checks that it can be used, or skips with the reason.
# `ip netns add` can print a warning and still return 0 with a namespace nobody can enter: in a
# chroot or container whose / is not a mount point, "mount --make-rslave /" fails, and every
# `ip -n` and `ip netns exec` after it fails too. Needs $TMP.
netns_add() {
    for ns in "$@"; do
        ip netns add "$ns" >"$TMP/netns.log" 2>&1 ||
            skip "cannot create network namespaces here: $(cat "$TMP/netns.log")"
        CREATED="$CREATED $ns"
        if ! ip netns exec "$ns" true >>"$TMP/netns.log" 2>&1 ||
            ! ip -n "$ns" link add n43probe0 type veth peer name n43probe1 >>"$TMP/netns.log" 2>&1; then
            skip "network namespaces cannot be used here (a chroot or container whose / is not a" \
                "mount point?): $(tr '\n' ' ' <"$TMP/netns.log")"
        fi
        ip -n "$ns" link del n43probe0 || fail "removing the probe veth in $ns"
    done
    rm -f "$TMP/netns.log"
}

netns_cleanup() {
    for pid in $PIDS; do kill "$pid" 2>/dev/null; done
    for pid in $PIDS; do wait "$pid" 2>/dev/null; done
    for ns in $CREATED; do ip netns del "$ns" 2>/dev/null; done
    [ -n "$TMP" ] && rm -rf "$TMP"
}
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP
