#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl cgroup tree --json over 2,000 cgroups against what a user would run
# without it: find + cat of the same files (procs, memory, cpu and pids usage
# and limits) in every hierarchy that has the cgroups. Alternating runs,
# medians; target: nsctl <= 0.2 x the shell. The cgroups are removed on exit.
source "$(dirname "$0")/../lib/lib.sh"
require_root
BENCHRUN=$BUILD/tests/benchrun
ROUNDS=${ROUNDS:-5}
N=${N:-2000}
CG=/nsctl-bench-$$
on_exit "remove_cgroup $CG"

mounts=()
for c in "" memory cpu cpuacct pids; do
	m=$(cgroup_mount "$c")
	[ -n "$m" ] && mounts+=("$m")
done
# 40 groups of 50: two levels, like slices holding services.
for m in "${mounts[@]}"; do
	for ((g = 0; g < N / 50; g++)); do
		mkdir -p "$m$CG/g$g"
		(cd "$m$CG/g$g" && mkdir s{0..49})
	done
done
echo "$(find "${mounts[0]}$CG" -type d | wc -l) cgroups in ${#mounts[@]} hierarchies (${mounts[*]}), kernel $(uname -r)"

script=$(mktemp)
on_exit "rm -f $script"
cat >"$script" <<SH
for m in ${mounts[*]}; do
	find "\$m$CG" -type d | while read -r d; do
		cat "\$d"/cgroup.procs "\$d"/memory.usage_in_bytes "\$d"/memory.limit_in_bytes "\$d"/memory.current \
		    "\$d"/memory.max "\$d"/cpu.stat "\$d"/cpu.cfs_quota_us "\$d"/cpu.cfs_period_us "\$d"/cpuacct.usage \
		    "\$d"/pids.current "\$d"/pids.max 2>/dev/null
	done
done >/dev/null
exit 0
SH
"$BENCHRUN" -w 1 -n "$ROUNDS" "$NSCTL cgroup tree --json $CG >/dev/null" "sh $script"
