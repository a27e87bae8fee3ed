#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Objects that vanish while a command reads them are normal: cgroups removed
# during `cgroup tree` and `top`, a container that exits during `inspect` and
# `enter`, namespaces whose last process exits during `ls -T`. Each run must
# end normally (no crash, no hang) and report what it could not read only as
# the documented one-line error.
source "$(dirname "$0")/../lib/lib.sh"
require_root
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
cg2=$(cgroup_mount "")
[ -n "$cg2" ] || { skip "$SUITE" "no cgroup2 mount"; exit 0; }
ROUNDS=25

# churn CMD...: run CMD in a loop in the background until the suite ends.
churn() {
	(while :; do "$@"; done) >/dev/null 2>&1 &
	on_exit "kill $!"
}

# rounds DESC ALLOWED_RC ERR_PATTERN CMD...: run CMD ROUNDS times while the churn goes on;
# every status must be one of ALLOWED_RC and any stderr line must match ERR_PATTERN.
rounds() {
	local desc=$1 allowed=$2 pattern=$3 i rc bad=""
	shift 3
	for ((i = 0; i < ROUNDS; i++)); do
		timeout 20 "$@" >/dev/null 2>"$tmp/err"
		rc=$?
		if [[ " $allowed " != *" $rc "* ]]; then
			bad="round $i: status $rc: $(head -3 "$tmp/err")"
			break
		fi
		if grep -vqE -- "$pattern" "$tmp/err"; then
			bad="round $i: unexpected: $(grep -vE -- "$pattern" "$tmp/err" | head -3)"
			break
		fi
	done
	if [ -z "$bad" ]; then ok "$desc"; else fail "$desc" "$bad"; fi
}

# ---- cgroups made and removed while they are walked
base=/nsctl-vanish-$$
mkdir "$cg2$base"
on_exit "remove_cgroup $base"
churn sh -c "for i in 1 2 3 4 5 6 7 8; do mkdir -p '$cg2$base/c'\$i/d; done; for i in 1 2 3 4 5 6 7 8; do rmdir '$cg2$base/c'\$i/d '$cg2$base/c'\$i; done"
rounds "cgroup tree while cgroups come and go" 0 '^$' "$NSCTL" cgroup tree "$base"
rounds "cgroup tree -J while cgroups come and go" 0 '^$' "$NSCTL" cgroup tree -J "$base"
rounds "top -b, cgroups view, while cgroups come and go" 0 '^$' \
	"$NSCTL" top -b -n 2 -d 0.05 --no-bpf -v cgroups
rounds "top -b, containers view, while cgroups come and go" 0 '^$' "$NSCTL" top -b -n 2 -d 0.05 --no-bpf

# ---- a container whose processes exit while it is inspected or entered
id=f$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 63)
mkdir -p "$cg2/docker/$id"
on_exit "remove_cgroup /docker/$id; rmdir $cg2/docker 2>/dev/null"
churn sh -c "sh -c 'echo \$\$ >$cg2/docker/$id/cgroup.procs; exec sleep 0.0\$((\$\$ % 9))'"
rounds "inspect of a container that keeps exiting" "0 1" \
	"^nsctl: inspect: (pid [0-9]+(: No such process| exited during inspection|: exited and its pid was reused)|'[0-9a-f]+': no such pid, and no running container has this id or name)$" \
	"$NSCTL" inspect "${id:0:12}"
rounds "inspect -J of a container that keeps exiting" "0 1" '^nsctl: inspect: ' "$NSCTL" inspect -J "${id:0:12}"
rounds "enter of a container that keeps exiting" "0 1" \
	"^nsctl: enter( [^:]+)?: " "$NSCTL" enter "${id:0:12}" -- /bin/true

# ---- namespaces whose last process exits during ls -T
churn unshare -u -i -n true
rounds "ls -T while namespaces come and go" 0 'namespaces not readable' "$NSCTL" ls -T
rounds "ls -T owner while namespaces come and go" 0 'namespaces not readable' "$NSCTL" ls -T owner
rounds "ls -P while namespaces come and go" 0 'namespaces not readable' "$NSCTL" ls -P
rounds "top -b, namespaces view, while namespaces come and go" 0 '^$' \
	"$NSCTL" top -b -n 2 -d 0.05 --no-bpf -v namespaces
