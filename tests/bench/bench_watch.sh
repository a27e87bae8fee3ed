#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The cost of nsctl watch to the traced: a tight loop of unshare(CLONE_NEWUTS)
# with and without `nsctl watch -J` attached (its output read by a pipe),
# alternating, medians of the call rates. Target: with >= 0.95 x without.
# A third run attaches watch to another (idle) process: the hooks alone,
# what any tracer of these syscalls costs before it records anything.
source "$(dirname "$0")/../lib/lib.sh"
require_root
LOOP=$BUILD/tests/unshare_loop
ROUNDS=${ROUNDS:-11}
CALLS=${CALLS:-20000}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
without=() with=() hooks=()
sleep 1000 &
idle=$!
on_exit "kill $idle 2>/dev/null"
# traced ARGS...: the loop's rate with `nsctl watch -J ARGS` attached, its
# output read through a pipe; attached once it holds its links.
traced() {
	local w j
	"$NSCTL" watch -J "$@" > >(cat >/dev/null) &
	w=$!
	for ((j = 0; j < 100; j++)); do
		ls -l "/proc/$w/fd" 2>/dev/null | grep -q bpf_link && break
		sleep 0.05
	done
	sleep 0.3
	"$LOOP" "$CALLS"
	kill $w
	wait $w 2>/dev/null
}
for ((i = 0; i < ROUNDS; i++)); do
	without+=("$("$LOOP" "$CALLS")")
	with+=("$(traced -e ns)")
	hooks+=("$(traced -p $idle)")
done
w0=$(printf '%s\n' "${without[@]}" | median)
w1=$(printf '%s\n' "${with[@]}" | median)
wh=$(printf '%s\n' "${hooks[@]}" | median)
echo "unshare(CLONE_NEWUTS) calls/s, $ROUNDS rounds of $CALLS, medians: without watch $w0, with watch $w1, hooks only $wh"
awk -v a="$w1" -v b="$w0" -v h="$wh" 'BEGIN { printf "ratio with/without: %.3f (target >= 0.95); hooks only: %.3f\n", a / b, h / b }'
