#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl exporter's own cost, on the 2,500-process fixture with 100 container
# cgroups: CPU and wall per scrape (medians), RSS, CPU while idle, and what
# its counting tracer costs a tight unshare(CLONE_NEWUTS) loop (alternating
# rounds, medians). Targets: <= 25 ms CPU and <= 50 ms wall per scrape,
# RSS <= 20 MB, idle ~0, the loop >= 0.90 x its untraced rate. Then, where
# docker is installed, the same scrape beside `docker stats --no-stream`
# for the same containers (wall, and CPU of the client and the daemons).
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
SCRAPES=${SCRAPES:-21}
ROUNDS=${ROUNDS:-11}
LOOP=$BUILD/tests/unshare_loop
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
# CPU time a process (and its threads) has had, in ns.
cpu_ns() { awk '{s += $1} END {print s}' /proc/"$1"/task/*/schedstat; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start_exporter() {
	"$NSCTL" exporter --listen "127.0.0.1:$port" "$@" 2>/dev/null &
	EXP=$!
	on_exit "kill $EXP 2>/dev/null"
	for ((i = 0; i < 100; i++)); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}

# scrapes N [CURL-OPTION]: "CPU-ms wall-ms" per scrape, medians; the exporter's CPU is its schedstat's.
scrapes() {
	local cpu=() wall=() c0 w
	for ((i = 0; i < $1; i++)); do
		c0=$(cpu_ns $EXP)
		w=$(curl -s ${2:-} -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/metrics")
		cpu+=($(($(cpu_ns $EXP) - c0)))
		wall+=("$w")
	done
	echo "$(printf '%s\n' "${cpu[@]}" | median | awk '{printf "%.1f", $1 / 1e6}')" \
		"$(printf '%s\n' "${wall[@]}" | median | awk '{printf "%.1f", $1 * 1000}')"
}

populate_host 2500 || exit 1
echo "host: $(ls /proc | grep -c '^[0-9]') processes, 100 container cgroups, kernel $(uname -r)"
start_exporter
scrapes 3 >/dev/null
read -r cpu wall <<<"$(scrapes "$SCRAPES")"
echo "per scrape, $SCRAPES scrapes, medians: CPU $cpu ms (target <= 25), wall $wall ms (target <= 50)"
read -r cpu wall <<<"$(scrapes "$SCRAPES" --compressed)"
echo "the same, gzip-compressed as Prometheus asks: CPU $cpu ms, wall $wall ms"
echo "exposition: $(curl -s "http://127.0.0.1:$port/metrics" | wc -c) bytes, $(curl -s "http://127.0.0.1:$port/metrics" | grep -vc '^#') samples"
echo "RSS $(awk '/^VmRSS/ {print $2}' /proc/$EXP/status) kB, peak $(awk '/^VmHWM/ {print $2}' /proc/$EXP/status) kB (target <= 20 MB)"
c0=$(cpu_ns $EXP)
sleep 10
echo "idle: $(( ($(cpu_ns $EXP) - c0) / 10000 )) us of CPU per second with no scrape"

# The tracer's cost to the traced: the loop with and without the exporter running.
without=() with=()
kill $EXP
wait $EXP 2>/dev/null
for ((r = 0; r < ROUNDS; r++)); do
	without+=("$("$LOOP" 20000)")
	start_exporter
	with+=("$("$LOOP" 20000)")
	kill $EXP
	wait $EXP 2>/dev/null
done
w0=$(printf '%s\n' "${without[@]}" | median)
w1=$(printf '%s\n' "${with[@]}" | median)
echo "unshare(CLONE_NEWUTS) calls/s, $ROUNDS rounds, medians: untraced $w0, with the exporter's counters $w1"
awk -v a="$w1" -v b="$w0" 'BEGIN { printf "ratio with/without: %.3f (target >= 0.90)\n", a / b }'
kill -TERM "$FX"
wait "$FX" 2>/dev/null
_run_cleanups
_cleanups=()

# ---- beside docker stats, for the same containers
N=${CONTAINERS:-20}
docker_start || exit 0
for ((i = 0; i < N; i++)); do
	$DOCKER run -d --name "b$i" --network none --memory 32m "$RT_IMAGE" sleep 3600 >/dev/null || exit 1
done
start_exporter --root "$RT_ROOT"
scrapes 3 >/dev/null
read -r cpu wall <<<"$(scrapes 11)"
daemons=$(pgrep -d ' ' -f "$RT_DIR") # dockerd, its containerd and the shims
dcpu=() dwall=()
for ((r = 0; r < 5; r++)); do
	d0=0
	for p in $daemons; do d0=$((d0 + $(cpu_ns "$p"))); done
	TIMEFORMAT='%R %U %S'
	t=$( { time $DOCKER stats --no-stream >/dev/null; } 2>&1 | tail -1)
	d1=0
	for p in $daemons; do d1=$((d1 + $(cpu_ns "$p"))); done
	read -r rw ru rs <<<"$t"
	dwall+=("$(awk -v w="$rw" 'BEGIN {print w * 1000}')")
	dcpu+=("$(awk -v u="$ru" -v s="$rs" -v d=$((d1 - d0)) 'BEGIN {print (u + s) * 1000 + d / 1e6}')")
done
dw=$(printf '%s\n' "${dwall[@]}" | median)
dc=$(printf '%s\n' "${dcpu[@]}" | median)
echo "$N docker containers: nsctl exporter scrape CPU $cpu ms, wall $wall ms; docker stats --no-stream CPU (client and daemons) $dc ms, wall $dw ms"
awk -v c="$cpu" -v w="$wall" -v dc="$dc" -v dw="$dw" 'BEGIN { printf "ratio exporter/docker stats: CPU %.3f, wall %.3f\n", c / dc, w / dw }'
