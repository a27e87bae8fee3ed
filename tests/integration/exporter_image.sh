#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The exporter's image (tools/deploy/Dockerfile) built by the suite's own
# podman and run the way the DaemonSet (tools/deploy/daemonset.yaml) says:
# its security context, mounts, limits and arguments translated to run
# flags from the manifest itself. In its own cgroup namespace, with four
# capabilities, it must still see the host's cgroups, name the containers,
# count with eBPF, and stop cleanly. Podman rather than docker: Debian's
# docker 20.10 does not know CAP_BPF and CAP_PERFMON by name.
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
if ! python3 -c 'import yaml' 2>/dev/null; then
	skip "$SUITE" "python3-yaml is not installed (make deps installs it)"
	exit 0
fi
if readelf -l "$NSCTL" | grep -q 'Requesting program interpreter'; then
	skip "$SUITE" "$NSCTL is dynamically linked (a sanitizer build): an image FROM scratch needs the static one"
	exit 0
fi
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
IMAGE=nsctl-test/exporter:1

podman_start || exit 0
mkdir "$tmp/ctx"
cp "$NSCTL" "$tmp/ctx/nsctl"
check "the image builds from tools/deploy/Dockerfile" $PODMAN build -q -t "$IMAGE" -f tools/deploy/Dockerfile "$tmp/ctx"
$PODMAN run -d --name web $PODMAN_RUN --memory 48m "$RT_IMAGE" sleep 3600 >/dev/null || fail "podman run web"
web=$($PODMAN inspect -f '{{.Id}}' web)

mapfile -t flags < <(python3 tests/lib/daemonset_run_flags.py tools/deploy/daemonset.yaml --image "$IMAGE" \
	--pod-ip 127.0.0.1 --port "$port" --state-root "$RT_ROOT")
[ ${#flags[@]} -gt 10 ] || { fail "the manifest translates to run flags"; exit 0; }
echo "# podman run ${flags[*]}"
# The rlimits this machine's root can grant (see runtime.sh); nothing else is added.
$PODMAN run --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "${flags[@]}" >/dev/null ||
	{ fail "podman run of the DaemonSet's pod"; exit 0; }
for ((i = 0; i < 100; i++)); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done
expect_eq "/healthz answers from the container" "$(curl -s "$url/healthz")" ok
curl -s -o "$tmp/m" "$url/metrics"
[ -s "$tmp/m" ] || fail "/metrics" "$($PODMAN logs nsctl-exporter 2>&1 | tail -3)"
sample() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/m"; }
expect_eq "eBPF works with BPF, PERFMON, SYS_PTRACE and DAC_READ_SEARCH only" \
	"$(sample nsctl_exporter_counters_enabled)" 1
expect_eq "host cgroup paths through the mounts, from its own cgroup namespace: web's memory limit" \
	"$(sample "container_spec_memory_limit_bytes{container_id=\"$web\",runtime=\"podman\"}")" 50331648
expect_eq "names from the runtime state below /host" \
	"$(grep -c "^nsctl_container_info{container_id=\"$web\",runtime=\"podman\",name=\"web\"" "$tmp/m")" 1
expect_eq "it sees every process of the host" "$(( $(sample nsctl_exporter_processes) > 50 ))" 1
if command -v promtool >/dev/null; then
	expect_eq "promtool check metrics" "$(promtool check metrics <"$tmp/m" 2>&1)" ""
fi

# ---- its posture, seen from the host
pid=$($PODMAN inspect -f '{{.State.Pid}}' nsctl-exporter)
sec=$("$NSCTL" inspect --json "$pid" | jq -c '.security | [.capabilities.bounding.names, .no_new_privs, .seccomp.mode]')
expect_eq "from outside: four capabilities, no_new_privs, no seccomp filter (Unconfined)" "$sec" \
	'[["cap_dac_read_search","cap_sys_ptrace","cap_perfmon","cap_bpf"],true,"disabled"]'
expect_eq "from outside: its root is read-only" "$(awk '$5 == "/" { print $6 }' /proc/"$pid"/mountinfo | cut -d, -f1)" ro
expect_eq "its RSS stays below the DaemonSet's memory limit (128Mi)" \
	"$(( $(awk '/^VmRSS/ { print $2 }' /proc/"$pid"/status) < 131072 ))" 1

$PODMAN stop -t 10 nsctl-exporter >/dev/null
expect_eq "podman stop (SIGTERM): exit status 0" "$($PODMAN inspect -f '{{.State.ExitCode}}' nsctl-exporter)" 0
