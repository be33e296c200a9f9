#!/bin/sh
# make-icons.sh -- renders packaging/nine43.svg to the hicolor PNG sizes in packaging/icons/ (rsvg-convert, from librsvg2-bin)
# The PNGs are committed, so building the package needs no SVG renderer; run this again after editing the SVG.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for size in 16 32 48 64 128 256; do
    rsvg-convert -w "$size" -h "$size" "$here/nine43.svg" -o "$here/icons/nine43-$size.png"
done
