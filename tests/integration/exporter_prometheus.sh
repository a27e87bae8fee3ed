#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real Prometheus, started here on loopback, scraping nsctl exporter every
# second: a docker container's limits as the runtime set them and as nsctl
# changes them, its info series by name, namespace creations counted by the
# eBPF tracer, and a hostile container name (quote, backslash, newline,
# escape sequence) that Prometheus stores exactly as the exposition escaped it.
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
export LANG=C.UTF-8 LC_ALL=C.UTF-8
for t in prometheus curl jq python3; do
	command -v $t >/dev/null || { skip "$SUITE" "$t is not installed (make deps installs it)"; exit 0; }
done
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
prom_port=$(free_port)
exp_port=$(free_port)
hostile_port=$(free_port)
prom=http://127.0.0.1:$prom_port

docker_start || exit 0
$DOCKER run -d --name web --network none --memory 64m --pids-limit 50 "$RT_IMAGE" sleep 3600 >/dev/null ||
	{ fail "docker run web"; exit 0; }
web=$($DOCKER inspect -f '{{.Id}}' web)

# ---- a second exporter, for a container whose state file names it with hostile bytes
hroot=$tmp/state
hid=f$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 63)
on_exit "remove_cgroup /docker/$hid"
start_target hpid sleep sleep 300 || { fail "a process for the hostile container"; exit 0; }
"$NSCTL" cgroup create "/docker/$hid" >/dev/null && "$NSCTL" cgroup move "$hpid" "/docker/$hid" >/dev/null ||
	fail "cgroup create and move for the hostile container"
mkdir -p "$hroot/var/lib/docker/containers/$hid"
printf '%s' '{"Name":"/q\"b\\s\nl\u001b[2J","Config":{"Image":"img:1"}}' \
	>"$hroot/var/lib/docker/containers/$hid/config.v2.json"

"$NSCTL" exporter --listen "127.0.0.1:$exp_port" --root "$RT_ROOT" 2>"$tmp/exp.log" &
on_exit "kill $!"
"$NSCTL" exporter --listen "127.0.0.1:$hostile_port" --root "$hroot" --no-bpf 2>"$tmp/hostile.log" &
on_exit "kill $!"

cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: nsctl
    static_configs:
      - targets: ['127.0.0.1:$exp_port']
  - job_name: hostile
    static_configs:
      - targets: ['127.0.0.1:$hostile_port']
EOF
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$tmp/prometheus.log" 2>&1 &
on_exit "kill $!; wait $!"

# query PROMQL: the value of the first series, "" while there is none.
query() { curl -s --data-urlencode "query=$1" "$prom/api/v1/query" | jq -r '.data.result[0].value[1] // empty'; }
# wait_for PROMQL VALUE: until PROMQL's value is VALUE (20 s at most); prints the last value.
wait_for() {
	local i v=""
	for ((i = 0; i < 100; i++)); do
		v=$(query "$1")
		[ "$v" = "$2" ] && break
		sleep 0.2
	done
	echo "$v"
}

expect_eq "up is 1 for the exporter, after two scrapes" \
	"$(wait_for 'up{job="nsctl"} and count_over_time(up{job="nsctl"}[1m]) >= 2' 1)" 1
expect_eq "up is 1 for the exporter with the hostile container" "$(wait_for 'up{job="hostile"}' 1)" 1
expect_eq "container_spec_memory_limit_bytes is docker's --memory 64m" \
	"$(query "container_spec_memory_limit_bytes{container_id=\"$web\",runtime=\"docker\"}")" 67108864
expect_eq "container_threads_max is docker's --pids-limit 50" \
	"$(query "container_threads_max{container_id=\"$web\"}")" 50
expect_eq "container_processes: one" "$(query "container_processes{container_id=\"$web\"}")" 1
info=$(curl -s --data-urlencode "query=nsctl_container_info{container_id=\"$web\"}" "$prom/api/v1/query" |
	jq -r '.data.result[0].metric | "\(.name) \(.image)"')
expect_eq "nsctl_container_info carries the name and image" "$info" "web $RT_IMAGE"
expect_eq "the container's net namespace is not the host's" \
	"$(query "nsctl_container_namespace_shared_with_host{container_id=\"$web\",type=\"net\"}")" 0

"$NSCTL" cgroup set --root "$RT_ROOT" web pids.max=77 >/dev/null || fail "nsctl cgroup set web pids.max=77"
expect_eq "a pids.max set with nsctl cgroup set reaches Prometheus" \
	"$(wait_for "container_threads_max{container_id=\"$web\"}" 77)" 77

# ---- namespace creations, counted by the tracer in counting mode
if [ "$(query 'nsctl_exporter_counters_enabled{job="nsctl"}')" = 1 ]; then
	counter='nsctl_namespace_created_total{job="nsctl",type="uts"}'
	before=$(query "$counter")
	for ((i = 0; i < 25; i++)); do unshare -u true; done
	after=$(wait_for "$counter - $before" 25)
	expect_eq "nsctl_namespace_created_total{type=\"uts\"} grows by the 25 unshare -u calls" "$after" 25
else
	skip "nsctl_namespace_created_total" "the eBPF counters are off: $(head -1 "$tmp/exp.log")"
fi

# ---- the hostile name, as Prometheus stored it
name=$(curl -s --data-urlencode "query=nsctl_container_info{container_id=\"$hid\"}" "$prom/api/v1/query" |
	jq -j '.data.result[0].metric.name')
expect_eq "a name with a quote, backslash and newline arrives exactly; ESC as the text \\x1b" \
	"$name" $'q"b\\s\nl\\x1b[2J'
expect_eq "the exporters logged no fault" "$(grep -v 'serving /metrics' "$tmp/exp.log" "$tmp/hostile.log")" ""
