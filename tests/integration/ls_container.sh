#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CONTAINER: a process moved into cgroups laid out like container runtimes'
# is named by runtime and short id, from real cgroup membership.
source "$(dirname "$0")/../lib/lib.sh"
require_root

cg2=$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)
[ -n "$cg2" ] || { skip "container column" "no cgroup2 mount"; exit 0; }
id=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 64)

# run_in_cgroup DIR: a sleeper in fresh net+uts namespaces, moved into DIR; sets PID.
run_in_cgroup() {
	local dir=$1
	mkdir -p "$cg2$dir" || return 1
	on_exit "rmdir '$cg2$dir'; rmdir '$cg2${dir%/*}'"
	unshare --net --uts sleep 60 &
	PID=$!
	on_exit "kill $PID; wait $PID"
	for i in $(seq 50); do [ "$(ns_ino $PID net)" != "$(ns_ino $$ net)" ] && break; sleep 0.05; done
	echo $PID >"$cg2$dir/cgroup.procs"
}

run_in_cgroup "/docker/$id" || fail "moving a process into $cg2/docker/ID"
pid=$PID
for backend in proc bpf; do
	got=$("$NSCTL" ls -n -r --backend=$backend -o TYPE,CONTAINER -p "$pid" 2>/dev/null | awk "NF == 2" | sort | tr "\\n" " ")
	expect_eq "$backend: docker cgroupfs layout -> docker:<12 hex>" "$got" \
		"net docker:${id:0:12} uts docker:${id:0:12} "
done
got=$("$NSCTL" ls -J -o NS,CONTAINER -t net -p "$pid" | jq -r '.namespaces[0].container | [.runtime, .id, .name] | join(" ")')
expect_eq "JSON carries the container object" "$got" "docker $id "

run_in_cgroup "/machine.slice/libpod-$id.scope" || fail "moving a process into a libpod scope"
pid2=$PID
got=$("$NSCTL" ls -n -r -o CONTAINER -t uts -p "$pid2")
expect_eq "podman systemd layout -> podman:<12 hex>" "$got" "podman:${id:0:12}"
got=$("$NSCTL" ls -n -r -o CONTAINER -t mnt -p "$pid2")
expect_eq "a namespace shared with the host is not a container's" "$got" ""
