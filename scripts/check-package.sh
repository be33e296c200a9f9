#!/bin/sh
# check-package.sh -- validates a built nine43 .deb: desktop-file-validate on its menu entry, appstreamcli on its metainfo, lintian on the package; needs desktop-file-utils, appstream, lintian, dpkg
# Usage: scripts/check-package.sh build-package/nine43_1.0.0_amd64.deb
# Exits 1 if any of them reports an error (E:); the warnings that remain are printed.
set -eu

deb=${1:?usage: scripts/check-package.sh DEB}
[ -f "$deb" ] || { echo "check-package: no such file: $deb" >&2; exit 2; }
root=$(mktemp -d "${TMPDIR:-/tmp}/nine43-check.XXXXXX")
trap 'rm -rf "$root"' EXIT INT TERM
dpkg-deb -x "$deb" "$root"
failed=0

# Each check's output is printed whole; a check fails on a non-zero exit or on an "E:" line.
run() {
    name=$1
    shift
    echo "== $name"
    if out=$("$@" 2>&1); then rc=0; else rc=$?; fi
    [ -n "$out" ] && printf '%s\n' "$out"
    if [ "$rc" -ne 0 ] || printf '%s\n' "$out" | grep -q '^E: '; then
        echo "-- $name: FAILED"
        failed=1
    else
        echo "-- $name: ok"
    fi
}

run desktop-file-validate desktop-file-validate "$root/usr/share/applications/nine43.desktop"
for meta in "$root"/usr/share/metainfo/*.metainfo.xml; do
    run "appstreamcli validate $(basename "$meta")" appstreamcli validate --no-net --pedantic "$meta"
done
# Infos (I:) and pedantic notes (P:) are shown too, never fatal; lintian-explain-tags TAG explains one.
run lintian lintian --display-info --pedantic --tag-display-limit 0 "$deb"

if [ "$failed" -ne 0 ]; then
    echo "check-package: errors above" >&2
    exit 1
fi
echo "check-package: no errors"
