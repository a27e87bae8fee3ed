#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CPU time per refresh of each nsctl top view (eBPF on) against htop, both
# in a real terminal (tmux, 200x50) refreshing every second, on a populated
# host of ~2,500 and of ~11,000 processes in 100 container cgroups, so that
# the growth with the host shows; start-up is reported apart. Targets:
# every view <= 0.10 x htop, the containers view <= 0.05 x.
source "$(dirname "$0")/../lib/lib.sh"
require_root
REFRESHES=${REFRESHES:-20}
SIZES=${SIZES:-2500 11000}
command -v htop >/dev/null && command -v tmux >/dev/null || { echo "needs htop and tmux"; exit 1; }
export TMUX_TMPDIR=$(mktemp -d)
on_exit "tmux kill-server 2>/dev/null; rm -rf $TMUX_TMPDIR"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# in_terminal COMM CMD: CPU per refresh of CMD refreshing every second in a
# 200x50 tmux terminal, over REFRESHES seconds after a 3-second warm-up (so a
# start-up, eBPF loading included, is left out, for both tools alike).
in_terminal() {
	local pid t0 t1
	tmux new-session -d -s bench -x 200 -y 50 "$2"
	sleep 3
	pid=$(pgrep -x "$1" | head -1)
	t0=$(ticks "$pid")
	sleep "$REFRESHES"
	t1=$(ticks "$pid")
	tmux kill-session -t bench
	awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$REFRESHES" 'BEGIN { printf "%.1f", t * 1000 / hz / n }'
}
htop_ms() { in_terminal htop "htop -d 10"; }
top_ms() { in_terminal nsctl "$NSCTL top -d 1 -v $1"; }
# What starting costs once (loading and verifying the eBPF programs, the first walk and scan).
startup_ms() {
	local t
	TIMEFORMAT='%U %S'
	t=$( { time "$NSCTL" top -b -n 1 -d 0.1 >/dev/null; } 2>&1 | tail -1)
	awk -v u="${t% *}" -v s="${t#* }" 'BEGIN { printf "%.0f", (u + s) * 1000 }'
}

for size in $SIZES; do
	populate_host "$size" || exit 1
	echo "host: $(ls /proc | grep -c '^[0-9]') processes, $(lsns -n | wc -l) namespaces, 100 container cgroups"
	h=$(htop_ms)
	c=$(top_ms containers)
	g=$(top_ms cgroups)
	n=$(top_ms namespaces)
	echo "size $size: CPU per refresh over $REFRESHES refreshes: htop $h ms; nsctl top containers $c ms, cgroups $g ms, namespaces $n ms"
	echo "size $size: nsctl top's start-up, once: $(startup_ms) ms of CPU"
	awk -v c="$c" -v g="$g" -v n="$n" -v h="$h" -v s="$size" 'BEGIN {
		printf "size %s: ratio nsctl/htop: containers %.3f, cgroups %.3f, namespaces %.3f%s\n", s, c / h, g / h, n / h,
			s == 11000 ? " (targets at this size: containers <= 0.05, every view <= 0.10)" : "" }'
	kill -TERM "$FX"
	wait "$FX" 2>/dev/null
	_run_cleanups
	_cleanups=("tmux kill-server 2>/dev/null; rm -rf $TMUX_TMPDIR")
done
