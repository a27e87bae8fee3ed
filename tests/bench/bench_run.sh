#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl run against bubblewrap: /bin/true in a busybox root with the same
# namespaces (all of them; bwrap has no time namespace), a fresh /proc and a
# /dev. Alternating runs, medians; target: nsctl <= 0.7 x bwrap.
source "$(dirname "$0")/../lib/lib.sh"
require_root
BENCHRUN=$BUILD/tests/benchrun
ROUNDS=${ROUNDS:-101}

command -v bwrap >/dev/null || { echo "bwrap missing: make deps" >&2; exit 1; }
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
make_rootfs "$R" || exit 1
echo "root: busybox in $R, kernel $(uname -r)"
"$BENCHRUN" -w 5 -n "$ROUNDS" "$NSCTL run --rootfs $R -- /bin/true" \
	"bwrap --unshare-all --dev /dev --proc /proc --bind $R / /bin/true"
