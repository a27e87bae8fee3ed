#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Same NS, TYPE, NPROCS and PID as lsns for every namespace lsns shows, on a
# host populated with a few hundred processes in fresh namespaces.
source "$(dirname "$0")/../lib/lib.sh"
require_root
command -v lsns >/dev/null || { skip "lsns parity" "lsns not installed"; exit 0; }

start_fixture FX --groups 60 --per-group 5 --flags net,uts,ipc,mnt --extra-every 10 \
	--extra-flags user,pid,cgroup,time || { fail "fixture"; exit 1; }

for backend in proc bpf; do
	# Both tools read the same moment only if nothing changes: retry a few times
	# in case an unrelated process starts or exits between the two reads.
	for attempt in 1 2 3 4 5; do
		theirs=$(lsns -l -n -r -o NS,TYPE,NPROCS,PID | sort)
		ours=$("$NSCTL" ls -n -r --backend=$backend -o NS,TYPE,NPROCS,PID 2>/dev/null | sort)
		[ "$ours" == "$theirs" ] && break
	done
	if [ "$ours" == "$theirs" ]; then
		ok "$backend: NS TYPE NPROCS PID identical to lsns ($(wc -l <<<"$ours") namespaces)"
	else
		fail "$backend: NS TYPE NPROCS PID identical to lsns" "$(diff <(echo "$theirs") <(echo "$ours") | head -6)"
	fi
done

# lsns consumers: same keys and value types in -J (lsns nests unless -l; we are flat).
keys_theirs=$(lsns -J -l | jq -c '.namespaces[0] | to_entries | map("\(.key):\(.value|type)")')
keys_ours=$("$NSCTL" ls -J 2>/dev/null | jq -c '.namespaces[0] | to_entries | map("\(.key):\(.value|type)")')
expect_eq "JSON rows have lsns's keys and types" "$keys_ours" "$keys_theirs"
