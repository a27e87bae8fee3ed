#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl cgroup: limits the kernel really enforces, on real cgroups (v2 core
# files, v1 pids, memory and cpu on hybrid hosts). Every cgroup and process
# made here is removed on exit.
source "$(dirname "$0")/../lib/lib.sh"
require_root

CG=/nsctl-test-$$
on_exit "remove_cgroup $CG"
V2=$(cgroup_mount "")
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

# ---- v2 core: cgroup.max.descendants stops mkdir; a create over it undoes itself
if [ -n "$V2" ]; then
	check "create with a v2 core knob" "$NSCTL" cgroup create $CG/desc cgroup.max.descendants=1
	check "first child fits" mkdir "$V2$CG/desc/a"
	if mkdir "$V2$CG/desc/b" 2>/dev/null; then
		fail "max.descendants stops mkdir" "mkdir of a second child succeeded"
	else
		ok "max.descendants stops mkdir"
	fi
	err=$("$NSCTL" cgroup create $CG/desc/c 2>&1)
	rc=$?
	left=$(ls -d /sys/fs/cgroup/*$CG/desc/c "$V2$CG/desc/c" 2>/dev/null | wc -l)
	if [ $rc -eq 1 ] && [[ $err == *max.descendants* ]] && [ "$left" -eq 0 ]; then
		ok "create refused by the kernel leaves no directory in any hierarchy"
	else
		fail "create refused by the kernel leaves no directory in any hierarchy" "rc=$rc left=$left" "$err"
	fi

	# ---- cgroup.freeze really stops a process; thawing resumes it
	"$NSCTL" cgroup create $CG/frz >/dev/null
	sh -c 'while :; do :; done' &
	loop=$!
	on_exit "kill -KILL $loop"
	check "move a process in" "$NSCTL" cgroup move $loop $CG/frz
	"$NSCTL" cgroup set $CG/frz cgroup.freeze=1 >/dev/null
	for i in $(seq 50); do grep -q "frozen 1" "$V2$CG/frz/cgroup.events" && break; sleep 0.05; done
	cputime() { awk '{ print $14 + $15 }' /proc/$loop/stat; }
	a=$(cputime); sleep 0.3; b=$(cputime)
	if [ "$a" = "$b" ] && grep -q "frozen 1" "$V2$CG/frz/cgroup.events"; then
		ok "cgroup.freeze=1 stops the process"
	else
		fail "cgroup.freeze=1 stops the process" "cpu ticks $a -> $b" "$(cat "$V2$CG/frz/cgroup.events")"
	fi
	"$NSCTL" cgroup set $CG/frz cgroup.freeze=0 >/dev/null
	sleep 0.3; c=$(cputime)
	if [ "$c" != "$b" ]; then ok "cgroup.freeze=0 resumes it"; else fail "cgroup.freeze=0 resumes it" "cpu ticks stuck at $c"; fi

	# ---- rm refuses a populated cgroup; --kill uses cgroup.kill and waits
	err=$("$NSCTL" cgroup rm $CG/frz 2>&1)
	if [ $? -eq 1 ] && [[ $err == *"use --kill"* ]] && [ -d "$V2$CG/frz" ] && kill -0 $loop; then
		ok "rm refuses a populated cgroup and changes nothing"
	else
		fail "rm refuses a populated cgroup and changes nothing" "$err"
	fi
	"$NSCTL" cgroup rm --kill $CG/frz
	rc=$?
	# Dead: a zombie, or already reaped by this shell.
	state=$(awk '{ print $3 }' /proc/$loop/stat 2>/dev/null || true)
	state=${state:-Z}
	kill -KILL $loop 2>/dev/null
	wait $loop 2>/dev/null
	if [ $rc -eq 0 ] && [ "$state" = Z ] && ! ls -d /sys/fs/cgroup/*$CG/frz "$V2$CG/frz" >/dev/null 2>&1; then
		ok "rm --kill kills the members and removes the cgroup everywhere"
	else
		fail "rm --kill kills the members and removes the cgroup everywhere" "rc=$rc state=$state"
	fi
else
	skip "v2 core knobs" "no cgroup2 mount"
fi

# ---- v1 pids.max stops forks (hybrid hosts; v2 on pure v2)
"$NSCTL" cgroup create $CG/pids pids.max=3 >/dev/null
sh -c 'while [ ! -e '"$tmp"'/go ]; do sleep 0.05; done
	for i in 1 2 3 4 5 6; do sleep 3 & done 2>'"$tmp"'/forkerr; wait' &
forker=$!
on_exit "kill -KILL $forker"
check "move into a v1 pids cgroup" "$NSCTL" cgroup move $forker $CG/pids
touch "$tmp/go"
sleep 0.5
events=$("$NSCTL" cgroup get $CG/pids pids.events)
cur=$("$NSCTL" cgroup get $CG/pids pids.current)
if [[ $events =~ max\ ([1-9][0-9]*) ]] && [ "$cur" -le 3 ]; then
	ok "pids.max=3 refuses forks (pids.events: ${BASH_REMATCH[1]} refused, $cur running)"
else
	fail "pids.max=3 refuses forks" "events: $events" "current: $cur"
fi
"$NSCTL" cgroup rm --kill $CG/pids >/dev/null 2>&1
wait $forker 2>/dev/null

# ---- memory.max (v1: limit_in_bytes, memsw for swap) OOM-kills an allocation past it
"$NSCTL" cgroup create $CG/mem memory.max=32M memory.swap.max=0 >/dev/null
sh -c 'while [ ! -e '"$tmp"'/memgo ]; do sleep 0.05; done; exec dd if=/dev/zero of=/dev/null bs=100M count=1' 2>/dev/null &
hog=$!
"$NSCTL" cgroup move $hog $CG/mem
touch "$tmp/memgo"
wait $hog
st=$?
ev=$("$NSCTL" cgroup get $CG/mem memory.events)
if [ $st -eq 137 ] && [[ $ev =~ oom_kill\ [1-9] ]]; then
	ok "memory.max=32M OOM-kills a 100M allocation ($(echo "$ev" | tr '\n' ' '))"
else
	fail "memory.max=32M OOM-kills a 100M allocation" "status $st" "$ev"
fi

# ---- cpu.max=50% throttles a busy loop
"$NSCTL" cgroup create $CG/cpu cpu.max=50% >/dev/null
sh -c 'while :; do :; done' &
spin=$!
on_exit "kill -KILL $spin"
"$NSCTL" cgroup move $spin $CG/cpu
sleep 1.2
stat=$("$NSCTL" cgroup get $CG/cpu cpu.stat)
kill -KILL $spin; wait $spin 2>/dev/null
if [[ $stat =~ nr_throttled\ ([1-9][0-9]*) ]]; then
	ok "cpu.max=50% throttles a busy loop (nr_throttled ${BASH_REMATCH[1]})"
else
	fail "cpu.max=50% throttles a busy loop" "$stat"
fi

"$NSCTL" cgroup rm --recursive --kill $CG >/dev/null 2>&1
left=$(ls -d /sys/fs/cgroup/*$CG 2>/dev/null | wc -l)
expect_eq "rm --recursive removes the whole test tree" "$left" 0
