#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl ls against lsns on a populated host: ~2,500 processes in ~1,700
# namespaces (400 groups of 5 sleepers in fresh net+uts+ipc+mnt namespaces,
# every 10th also user+pid, plus 20 `ip netns add` namespaces). Alternating
# runs, medians; targets: default backend <= 0.10 x lsns, proc <= 0.20 x,
# peak RSS <= lsns's. Everything is torn down on exit, even on failure.
source "$(dirname "$0")/../lib/lib.sh"
require_root
BENCHRUN=$BUILD/tests/benchrun
ROUNDS=${ROUNDS:-9}

start_fixture FX --groups 400 --per-group 5 --flags net,uts,ipc,mnt --extra-every 10 \
	--extra-flags user,pid || exit 1
for i in $(seq 20); do
	ip netns add "nsctl-bench-$$-$i" && on_exit "ip netns del nsctl-bench-$$-$i"
done
echo "host: $(ls /proc | grep -c '^[0-9]') processes, $(lsns -n | wc -l) namespaces with processes, kernel $(uname -r)"

"$BENCHRUN" -n "$ROUNDS" "$NSCTL ls 2>/dev/null" "$NSCTL ls --backend=proc 2>/dev/null" "lsns"
"$BENCHRUN" -n "$ROUNDS" "$NSCTL ls -J 2>/dev/null" "$NSCTL ls -J --backend=proc 2>/dev/null" "lsns -J -l"
