#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl top --batch and --json against cgroups, containers and namespaces
# the test made: processes, limits, cpu, namespace counts, eBPF rates.
source "$(dirname "$0")/../lib/lib.sh"
require_root
A=/nsctl-top-$$-a
C=/docker/$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
on_exit "remove_cgroup $A; remove_cgroup $C; rmdir /sys/fs/cgroup/*/docker 2>/dev/null"
"$NSCTL" cgroup create -c memory,pids,cpu,cpuacct "$A" memory.max=64M pids.max=50 >/dev/null ||
	fail "creating $A"
"$NSCTL" cgroup create -c memory,pids "$C" >/dev/null || fail "creating $C"

# spawn CGROUP CMD...: a process started inside CGROUP; echo its pid.
spawn() {
	local cg=$1
	shift
	sh -c 'echo $$; read _ </dev/null; exec "$@"' sh "$@" >"$tmp_pid" &
	local pid=$!
	on_exit "kill -KILL $pid 2>/dev/null"
	"$NSCTL" cgroup move $pid "$cg" >/dev/null
	echo $pid
}
tmp_pid=$(mktemp)
on_exit "rm -f $tmp_pid"
s1=$(spawn "$A" sleep 60)
s2=$(spawn "$A" unshare -n sleep 60)
busy=$(spawn "$A" sh -c 'while :; do :; done')
c1=$(spawn "$C" unshare -i sleep 60)
u1=$(spawn "$A" unshare -u sleep 60)
sleep 0.3

top_json() { "$NSCTL" top -b -J -n 1 -d 0.5 "$@"; }

row=$(top_json -v cgroups | jq -c ".rows[] | select(.name == \"$A\")")
expect_eq "cgroups: processes, memory.max, tasks" "$(jq -c '[.procs, .memory_max_bytes, .pids_current]' <<<"$row")" \
	"[4,67108864,4]"
expect_eq "cgroups: namespaces of its processes (host 8 + a net + a uts)" "$(jq .namespaces <<<"$row")" 10
cpu=$(jq .cpu_percent <<<"$row")
expect_eq "cgroups: cpu% sees the busy loop (got $cpu)" "$(jq '. > 30' <<<"$cpu")" true
expect_eq "cgroups: memory in use is a number" "$(jq '.memory_bytes | type' <<<"$row")" '"number"'

row=$(top_json | jq -c ".rows[] | select(.cgroup == \"$C\")")
expect_eq "containers: the docker cgroup is a container row, named by its id without state files" \
	"$(jq -c '[.name, .id, .procs, .target, .container.runtime]' <<<"$row")" \
	"[\"${C:8:12}\",\"${C:8}\",1,\"docker:${C:8:12}\",\"docker\"]"

uts=$(stat -L -c %i /proc/$u1/ns/uts)
row=$(top_json -v namespaces | jq -c ".rows[] | select(.ns.ino == $uts)")
expect_eq "namespaces: the new uts namespace, its one process" "$(jq -c '[.type, .procs, .pid, .command]' <<<"$row")" \
	"[\"uts\",1,$u1,\"sleep\"]"
row=$(top_json -v namespaces | jq -c ".rows[] | select(.type == \"ipc\" and .pid == $c1)")
expect_eq "namespaces: the container's process is named by its container" "$(jq -r '.container | .runtime + ":" + .id' <<<"$row")" \
	"docker:${C:8}"

# eBPF: a loop of unshare -u in $A; each caller lives long enough to be placed.
loop=$(spawn "$A" sh -c 'while :; do unshare -u sleep 0.1; done')
got=$(top_json -v cgroups -d 1)
kill -KILL $loop
rate=$(jq ".rows[] | select(.name == \"$A\") | .ns_created_per_second" <<<"$got")
expect_eq "eBPF: namespaces created per second in the cgroup (got $rate)" "$(jq '. >= 2' <<<"$rate")" true
expect_eq "eBPF: by type, uts only" "$(jq -c ".rows[] | select(.name == \"$A\") | .ns_created | keys" <<<"$got")" '["uts"]'
expect_eq "eBPF: host rate of uts creations" "$(jq '.host.ns_created_per_second.uts >= 2' <<<"$got")" true

# Batch text, filter and sort.
out=$("$NSCTL" top -b -n 2 -d 0.2 -v cgroups --flat -f "nsctl-top-$$")
expect_eq "text: a table per refresh" "$(grep -c '^NAME ' <<<"$out")" 2
expect_eq "text: the filter keeps our cgroup only" "$(grep -c "^/" <<<"$out")" 2
expect_eq "text: header names the view and host totals" "$(head -1 <<<"$out" | grep -Ec 'cgroups view: [0-9]+ rows  cgroups [0-9]+  containers [0-9]+')" 1
got=$(top_json -v cgroups --flat -s MEM | jq '[.rows[].memory_bytes | select(. != null)] | . == (sort | reverse)')
expect_eq "--sort MEM: largest first" "$got" true
got=$(top_json -v cgroups --flat -s MEM -r | jq '[.rows[].memory_bytes | select(. != null)] | . == sort')
expect_eq "--reverse: smallest first" "$got" true
expect_eq "-n 3: three JSON lines" "$("$NSCTL" top -b -J -n 3 -d 0.1 | wc -l)" 3

# Without eBPF privileges top still runs; without a terminal the screen refuses.
got=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	"$NSCTL" top -b -J -n 1 -d 0.1 | jq -c '[.host.ebpf, (.host.ebpf_error | test("CAP_BPF")), (.rows | type)]')
expect_eq "unprivileged: runs without the eBPF columns, says why" "$got" '[false,true,"array"]'
"$NSCTL" top </dev/null >/dev/null 2>&1
expect_eq "no terminal, no --batch: exit 1" "$?" 1
"$NSCTL" top -v nosuch 2>/dev/null
expect_eq "unknown view: usage error" "$?" 2
"$NSCTL" top -s TYPE 2>/dev/null
expect_eq "sort column not in the view: usage error" "$?" 2
