#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl cgroup: v2 names written to the right v1 files, old -> new, dry
# runs, a kernel refusal rolled back, bad input of every kind changing
# nothing, and tree/show/get as table and JSON. Cleans up on exit.
source "$(dirname "$0")/../lib/lib.sh"
require_root

CG=/nsctl-test-$$
on_exit "remove_cgroup $CG"
MEM=$(cgroup_mount memory)
CPU=$(cgroup_mount cpu)
PIDS=$(cgroup_mount pids)
BLK=$(cgroup_mount blkio)

check "create" "$NSCTL" cgroup create $CG/a
dev=$(lsblk -dno MAJ:MIN 2>/dev/null | grep -v '^ *7:' | head -1 | tr -d ' ')

# ---- translation to v1 files, and what set prints
out=$("$NSCTL" cgroup set $CG/a memory.max=256M cpu.max=1.5 cpu.weight=10000 pids.max=64 2>&1)
expect_eq "set prints old -> new" "$(echo "$out" | head -1)" "memory.max: max -> 256M"
expect_eq "memory.max -> memory.limit_in_bytes" "$(cat "$MEM$CG/a/memory.limit_in_bytes")" 268435456
expect_eq "cpu.max=1.5 -> cfs_quota_us" "$(cat "$CPU$CG/a/cpu.cfs_quota_us") $(cat "$CPU$CG/a/cpu.cfs_period_us")" "150000 100000"
expect_eq "cpu.weight -> cpu.shares" "$(cat "$CPU$CG/a/cpu.shares")" 262144
expect_eq "get reads v1 back as v2" "$("$NSCTL" cgroup get $CG/a cpu.max)" "150000 100000"
if [ -n "$dev" ]; then
	"$NSCTL" cgroup set $CG/a io.max="$dev rbps=10M wiops=100" >/dev/null
	expect_eq "io.max -> blkio.throttle files" \
		"$(cat "$BLK$CG/a/blkio.throttle.read_bps_device") $(cat "$BLK$CG/a/blkio.throttle.write_iops_device")" \
		"$dev 10485760 $dev 100"
	expect_eq "io.max reads back" "$("$NSCTL" cgroup get $CG/a io.max)" "$dev rbps=10485760 wbps=max riops=max wiops=100"
else
	skip "io.max" "no block device"
fi
expect_eq "raw v1 names work too" "$("$NSCTL" cgroup get $CG/a memory.limit_in_bytes)" 268435456

# ---- dry run writes nothing
out=$("$NSCTL" cgroup set --dry-run $CG/a memory.max=1G)
expect_eq "dry run prints the change" "$out" "would set memory.max: 256M -> 1G"
expect_eq "dry run writes nothing" "$(cat "$MEM$CG/a/memory.limit_in_bytes")" 268435456

# ---- a write the kernel refuses (raw knob, not pre-checked) rolls the others back
err=$("$NSCTL" cgroup set $CG/a memory.max=128M pids.max=10 memory.swappiness=500 2>&1)
rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$MEM$CG/a/memory.limit_in_bytes")" = 268435456 ] &&
	[ "$(cat "$PIDS$CG/a/pids.max")" = 64 ] && [[ $err == *"memory.swappiness=500"*restored* ]]; then
	ok "a refused last knob restores every earlier one"
else
	fail "a refused last knob restores every earlier one" "rc=$rc" "$err" \
		"limit $(cat "$MEM$CG/a/memory.limit_in_bytes") pids $(cat "$PIDS$CG/a/pids.max")"
fi

# ---- bad input: exit 2 (1 for a missing cgroup), one line, nothing changed
snapshot() { cat "$MEM$CG/a/memory.limit_in_bytes" "$CPU$CG/a/cpu.cfs_quota_us" "$PIDS$CG/a/pids.max"; }
before=$(snapshot)
while IFS='|' read -r want desc args; do
	# shellcheck disable=SC2086
	err=$("$NSCTL" cgroup $args 2>&1)
	rc=$?
	lines=$(printf '%s\n' "$err" | wc -l)
	if [ $rc -eq "$want" ] && [ "$lines" -eq 1 ] && [[ $err == "nsctl: cgroup: "* ]] && [ "$(snapshot)" = "$before" ]; then
		ok "refused: $desc"
	else
		fail "refused: $desc" "rc=$rc (want $want)" "$err"
	fi
done <<EOF
2|unknown knob|set $CG/a memory.maxx=1G
2|bad unit|set $CG/a memory.max=12Q
2|negative|set $CG/a memory.max=-5M
2|overflow|set $CG/a memory.max=99999999999999999999
2|quota below 1 ms|set $CG/a cpu.max=0.5%
2|weight 0|set $CG/a cpu.weight=0
2|pids above the kernel's limit|set $CG/a pids.max=99999999
2|cpus outside the parent's|set $CG/a cpuset.cpus=0-4095
2|not a block device|set $CG/a io.max=/dev/null
2|statistic|set $CG/a memory.current=1
2|membership file|set $CG/a cgroup.procs=1
2|missing =|set $CG/a memory.max
2|path traversal|set $CG/a/../a memory.max=1G
2|good knob before a bad one|set $CG/a memory.max=64M pids.max=lots
1|missing cgroup|set $CG/nope memory.max=1G
2|create with traversal|create $CG/../x
1|create existing|create $CG/a
EOF
expect_eq "nothing was created by the refusals" "$(ls -d /sys/fs/cgroup/*/x 2>/dev/null | wc -l)" 0

# ---- views
sleep 600 &
sp=$!
on_exit "kill -KILL $sp"
"$NSCTL" cgroup move $sp $CG/a
json=$("$NSCTL" cgroup tree --json $CG)
expect_eq "tree --json nests children with numbers" \
	"$(echo "$json" | jq -c '.cgroups[0].children[0] | [.path, .procs, .memory_max_bytes, .pids_max, .cpu_max]')" \
	"[\"$CG/a\",1,268435456,64,{\"quota_usec\":150000,\"period_usec\":100000}]"
table=$("$NSCTL" cgroup tree $CG)
if [[ $table == *"└─a"*"1.50 CPU"* ]]; then ok "tree table draws and uses units"; else fail "tree table draws and uses units" "$table"; fi
show=$("$NSCTL" cgroup show --json $sp)
expect_eq "show by pid finds its cgroup, pids and limits" \
	"$(echo "$show" | jq -c '[.path, .pids, .knobs["memory.max"], .knobs["cpu.max"].quota_usec, .knobs["pids.current"]]')" \
	"[\"$CG/a\",[$sp],268435456,150000,1]"
expect_eq "show text has usage and events" \
	"$("$NSCTL" cgroup show $CG/a | grep -cE '^  (memory.current|pids.current|memory.events|cpu.stat) ')" 4
expect_eq "get --json types values" "$("$NSCTL" cgroup get -J $CG/a pids.max cpu.stat | jq -c '[."pids.max", (."cpu.stat".nr_periods | type)]')" '[64,"number"]'
check "knobs lists memory.max" sh -c "'$NSCTL' cgroup knobs | grep -q '^memory.max '"
check "rm --kill" "$NSCTL" cgroup rm -k -r $CG
