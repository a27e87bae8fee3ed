#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CPU time per refresh: nsctl top --batch (default containers view, eBPF on,
# and the cgroups view) against htop in a real terminal (tmux), on the
# populated host of bench_ls.sh (~2,500 processes, ~1,700 namespaces).
# Target: nsctl <= 0.1 x htop.
source "$(dirname "$0")/../lib/lib.sh"
require_root
REFRESHES=${REFRESHES:-20}
command -v htop >/dev/null && command -v tmux >/dev/null || { echo "needs htop and tmux"; exit 1; }
start_fixture FX --groups 400 --per-group 5 --flags net,uts,ipc,mnt --extra-every 10 \
	--extra-flags user,pid || exit 1
echo "host: $(ls /proc | grep -c '^[0-9]') processes, $(lsns -n | wc -l) namespaces with processes"
export TMUX_TMPDIR=$(mktemp -d)
on_exit "tmux kill-server 2>/dev/null; rm -rf $TMUX_TMPDIR"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# htop, refreshing every second in a 200x50 terminal: CPU over REFRESHES seconds after a warm-up.
tmux new-session -d -s bench -x 200 -y 50 "htop -d 10"
sleep 3
hpid=$(pgrep -x htop | head -1)
t0=$(ticks "$hpid")
sleep "$REFRESHES"
t1=$(ticks "$hpid")
htop_ms=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$REFRESHES" 'BEGIN { printf "%.1f", t * 1000 / hz / n }')
tmux kill-session -t bench

# nsctl top --batch: user+sys of the whole run over its refreshes (the first, priming one included).
measure() {
	local t
	TIMEFORMAT='%U %S'
	t=$( { time "$NSCTL" top -b -J -n "$REFRESHES" -d 1 "$@" >/dev/null; } 2>&1 | tail -1)
	awk -v u="${t% *}" -v s="${t#* }" -v n="$REFRESHES" 'BEGIN { printf "%.1f", (u + s) * 1000 / (n + 1) }'
}
containers_ms=$(measure)
cgroups_ms=$(measure -v cgroups)
echo "CPU per refresh over $REFRESHES refreshes: htop $htop_ms ms, nsctl top (containers) $containers_ms ms, (cgroups) $cgroups_ms ms"
awk -v a="$containers_ms" -v b="$cgroups_ms" -v h="$htop_ms" \
	'BEGIN { printf "ratio nsctl/htop: containers %.3f, cgroups %.3f (target <= 0.1)\n", a / h, b / h }'
