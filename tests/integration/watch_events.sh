#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl watch on real eBPF: a probe makes a known sequence of unshare, clone,
# clone3 and setns calls; exactly those events arrive, with the ids /proc
# shows, and the counters agree. Filters, cgroup events and errors.
source "$(dirname "$0")/../lib/lib.sh"
require_root
PROBE=$BUILD/tests/nsevents_probe
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

# wait_for FILE PATTERN: until a line matches (10 s at most).
wait_for() {
	local i
	for ((i = 0; i < 200; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# --- the probe, filtered by pid in the kernel, beside an unfiltered -t uts watch
"$PROBE" "$tmp/sync" >"$tmp/probe" &
probe=$!
on_exit "kill $probe 2>/dev/null; wait $probe 2>/dev/null"
"$NSCTL" watch -J -p $probe --stats >"$tmp/filtered" 2>"$tmp/filtered.err" &
w1=$!
on_exit "kill $w1 2>/dev/null; wait $w1 2>/dev/null"
"$NSCTL" watch -J -t uts >"$tmp/uts" 2>&1 &
w2=$!
on_exit "kill $w2 2>/dev/null; wait $w2 2>/dev/null"
wait_for "$tmp/filtered" '"EBADF"' || fail "the filtered watch sees the probe's marker calls" "$(cat "$tmp/filtered.err")"
for ((i = 0; i < 100; i++)); do
	unshare -u true
	grep -q '"comm":"unshare"' "$tmp/uts" && break
	sleep 0.05
done
grep -q '"comm":"unshare"' "$tmp/uts" || fail "the unfiltered watch sees other processes"
touch "$tmp/sync"
unshare -u true	# another process, during the sequence
wait $probe
expect_eq "probe ran its sequence" "$?" 0
wait $w1
expect_eq "watch -p ends when the process exits" "$?:$(cat "$tmp/filtered.err")" "0:nsctl: watch: pid $probe exited"

got=$(jq -r 'select(.error != "EBADF" and .event != "counters") |
	if .result < 0 then "\(.event)-fail \(.error)"
	else "\(.event)\(if .child then " child=\(.child)" else "" end) \([.new_ids | to_entries[] | "\(.key)=\(.value.ino)"] | join(" "))" end' "$tmp/filtered")
expect_eq "exactly the probe's calls, with the ids /proc shows" "$got" "$(cat "$tmp/probe")"
expect_eq "every event is the probe's (pid, tid, comm)" \
	"$(jq -r 'select(.event != "counters") | "\(.pid) \(.tid) \(.comm)"' "$tmp/filtered" | sort -u)" "$probe $probe nsevents_probe"
expect_eq "results: children's pids for clones, 0 for the rest" \
	"$(jq -r 'select(.error == null and .event != "counters") | if .child then (.result == .child) else (.result == 0) end' "$tmp/filtered" | sort -u)" "true"
expect_eq "asked flags: clone's exit signal is not read as CLONE_NEWTIME" \
	"$(jq -c 'select(.event == "clone" and .result > 0) | .asked' "$tmp/filtered")" '["uts","ipc"]'
ids=$(jq -r 'select(.event != "counters" and .event != "setns") | .new_ids[] | .id' "$tmp/filtered")
if [ -e /proc/self/ns/uts ] && [ "$(echo "$ids" | grep -c null)" -eq 0 ]; then
	expect_eq "64-bit ids of new namespaces are distinct" "$(echo "$ids" | sort -u | wc -l)" "$(echo "$ids" | wc -l)"
fi
expect_eq "counters match the calls" \
	"$(jq -c 'select(.event == "counters") | [.uts.created, .net.created, .ipc.created, .uts.entered, .mnt.created, .dropped]' "$tmp/filtered")" \
	"[4,2,2,2,0,0]"
# A clone's child returns from the same syscall: it must not count as a second call.
expect_eq "calls and failures by kind" \
	"$(jq -c 'select(.event == "counters") | [.calls.unshare, .calls.clone, .calls.clone3, .failed.clone, .calls.setns - .failed.setns]' "$tmp/filtered")" \
	"[4,2,1,1,2]"
kill -INT $w2
wait $w2
expect_eq "SIGINT ends watch cleanly" "$?" 0
got=$(jq -r "select(.pid == $probe) | .event" "$tmp/uts" | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
expect_eq "-t uts: the probe's uts calls only" "$got" "clone=1 setns=2 unshare=3 "
expect_eq "-t uts: nothing without uts" "$(jq -r '(.types + .asked) | index("uts") != null' "$tmp/uts" | sort -u)" "true"

# --- cgroup events on the v2 hierarchy
cg2=$(cgroup_mount "")
if [ -n "$cg2" ]; then
	"$NSCTL" watch -J -e cgroup >"$tmp/cg" 2>&1 &
	w3=$!
	on_exit "kill $w3 2>/dev/null; wait $w3 2>/dev/null"
	for ((i = 0; i < 100; i++)); do
		mkdir "$cg2/nsctl-watch-ping-$$" && rmdir "$cg2/nsctl-watch-ping-$$"
		grep -q "nsctl-watch-ping-$$" "$tmp/cg" && break
		sleep 0.05
	done
	d=$cg2/nsctl-watch-$$
	mkdir "$d" && on_exit "rmdir $d 2>/dev/null"
	sleep 30 &
	s=$!
	on_exit "kill $s 2>/dev/null"
	echo $s >"$d/cgroup.procs"
	echo $s >"$cg2/cgroup.procs"
	rmdir "$d"
	wait_for "$tmp/cg" "\"rmdir\".*nsctl-watch-$$\""
	got=$(jq -r "select(.path | endswith(\"/nsctl-watch-$$\")) | \"\(.event) \(.controllers) \(.moved_pid // \"-\")\"" "$tmp/cg" | tr '\n' ',')
	expect_eq "cgroup mkdir, attach and rmdir" "$got" "mkdir cgroup2 -,attach cgroup2 $s,rmdir cgroup2 -,"
	kill $w3
else
	skip "cgroup events" "no cgroup2 mount"
fi

# --- limits and errors
# The file exists before watch starts: the loop must not race its redirection.
: >"$tmp/count"
"$NSCTL" watch -J -c 2 -d 20 -e unshare >>"$tmp/count" &
w4=$!
for ((i = 0; i < 100; i++)); do
	[ "$(wc -l <"$tmp/count")" -ge 2 ] && break
	unshare -u true
	sleep 0.05
done
wait $w4
expect_eq "-c 2 stops after two events" "$?:$(wc -l <"$tmp/count")" "0:2"
start=$(date +%s%N)
"$NSCTL" watch -d 0.5 >/dev/null
expect_eq "--duration stops in time" "$?:$((($(date +%s%N) - start) / 100000000 < 30))" "0:1"
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$NSCTL" watch 2>&1)
expect_eq "unprivileged: one line naming the capabilities" "$?:$err" \
	"1:nsctl: watch: eBPF needs CAP_BPF and CAP_PERFMON (or root): Operation not permitted"
"$NSCTL" watch -t nosuch 2>/dev/null
expect_eq "unknown type: usage error" "$?" 2
"$NSCTL" watch -e nosuch 2>/dev/null
expect_eq "unknown event: usage error" "$?" 2
"$NSCTL" watch -p abc 2>/dev/null
expect_eq "not a pid: usage error" "$?" 2
"$NSCTL" watch -p 999999999 2>/dev/null
expect_eq "no such process: exit 1" "$?" 1
