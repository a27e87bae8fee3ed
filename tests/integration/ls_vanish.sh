#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Processes exiting while ls scans are normal: no error, no crash, no stray line.
source "$(dirname "$0")/../lib/lib.sh"
require_root

# Churn: short-lived processes in fresh namespaces, started and killed nonstop.
churn() {
	while :; do
		for i in $(seq 20); do unshare --net --uts sleep 0.0$((RANDOM % 9)) & done
		wait
	done
}
churn &
churner=$!
on_exit "kill $churner; pkill -P $churner; wait"

for backend in proc bpf; do
	fails=0
	for i in $(seq 25); do
		if ! "$NSCTL" ls --backend=$backend -o +PPID,UID,PATH,NSID,ONS,PNS,NETNSID,CONTAINER \
			>/dev/null 2>"$BUILD/vanish.err.$$"; then
			fails=$((fails + 1))
		elif grep -v 'not readable' "$BUILD/vanish.err.$$" | grep -q .; then
			fails=$((fails + 1))
			sed 's/^/#   /' "$BUILD/vanish.err.$$" | head -3
		fi
	done
	expect_eq "$backend: 25 scans during process churn succeed without noise" "$fails" "0"
done
rm -f "$BUILD/vanish.err.$$"

# Kill a whole fixture while ls runs over and over.
start_fixture FX --groups 40 --per-group 5 --flags net,uts || fail "fixture"
( sleep 0.2; kill -KILL $FX ) 2>/dev/null &
killer=$!
fails=0
for i in $(seq 20); do "$NSCTL" ls -J -P >/dev/null 2>&1 || fails=$((fails + 1)); done
wait $killer 2>/dev/null
expect_eq "ls survives 200 processes killed mid-scan" "$fails" "0"
