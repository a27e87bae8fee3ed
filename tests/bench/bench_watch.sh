#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The cost of nsctl watch to the traced: a tight loop of unshare(CLONE_NEWUTS)
# with and without `nsctl watch -J` attached (its output read by a pipe),
# alternating, medians of the call rates. Target: with >= 0.95 x without.
source "$(dirname "$0")/../lib/lib.sh"
require_root
LOOP=$BUILD/tests/unshare_loop
ROUNDS=${ROUNDS:-11}
CALLS=${CALLS:-20000}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
without=() with=()
for ((i = 0; i < ROUNDS; i++)); do
	without+=("$("$LOOP" "$CALLS")")
	"$NSCTL" watch -J -e ns | cat >/dev/null &
	w=$!
	on_exit "pkill -f 'nsctl watch -J -e ns' 2>/dev/null"
	# Attached once its first event shows: one ping through the tracer.
	for ((j = 0; j < 100; j++)); do
		[ -n "$(ls -l /proc/$(pgrep -f 'nsctl watch -J -e ns' | head -1)/fd 2>/dev/null | grep -c anon_inode)" ] && break
		sleep 0.05
	done
	sleep 0.3
	with+=("$("$LOOP" "$CALLS")")
	pkill -f 'nsctl watch -J -e ns'
	wait $w 2>/dev/null
done
w0=$(printf '%s\n' "${without[@]}" | median)
w1=$(printf '%s\n' "${with[@]}" | median)
echo "unshare(CLONE_NEWUTS) calls/s, $ROUNDS rounds of $CALLS, medians: without watch $w0, with watch $w1"
awk -v a="$w1" -v b="$w0" 'BEGIN { printf "ratio with/without: %.3f (target >= 0.95)\n", a / b }'
