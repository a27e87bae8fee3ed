#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl against real podman containers (storage of the suite's own), with
# podman inspect and podman exec as the oracle.
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
podman_start || exit 0
N() { "$NSCTL" "$@"; }
pq() { $PODMAN inspect -f "$2" "$1"; }

# shellcheck disable=SC2086
$PODMAN run -d --name pdb $PODMAN_RUN --memory 32m --pids-limit 30 --hostname pdbhost --user 1000:1000 \
	"$RT_IMAGE" sleep 600 >/dev/null 2>"$tmp/err" || { fail "podman run" "$(cat "$tmp/err")"; exit 0; }
pid=$(pq pdb '{{.State.Pid}}')
id=$(pq pdb '{{.Id}}')

N inspect --root "$RT_ROOT" -J pdb >"$tmp/pdb.json"
expect_eq "inspect pdb: podman's State.Pid" "$(jq .identity.pid "$tmp/pdb.json")" "$pid"
expect_eq "inspect pdb: the container object" "$(jq -c '.container | [.runtime, .id, .name, .image]' "$tmp/pdb.json")" \
	"[\"podman\",\"$id\",\"pdb\",\"$(pq pdb '{{.ImageName}}')\"]"
expect_eq "inspect pdb: memory.max and pids.max are podman's" \
	"$(jq -c '[.cgroup.memory.max_bytes, .cgroup.pids.max]' "$tmp/pdb.json")" \
	"[$(pq pdb '{{.HostConfig.Memory}}'),$(pq pdb '{{.HostConfig.PidsLimit}}')]"
expect_eq "inspect pdb: its user" "$(jq -r '"\(.security.uid.effective):\(.security.gid.effective)"' "$tmp/pdb.json")" \
	"$(pq pdb '{{.Config.User}}')"
expect_eq "inspect by a short id" "$(N inspect --root "$RT_ROOT" -J "${id:0:12}" | jq .identity.pid)" "$pid"
for cmd in hostname "id -u" "id -g" "cat /proc/1/cmdline"; do
	expect_eq "enter pdb -- $cmd is podman exec's" "$(N enter --root "$RT_ROOT" pdb -- $cmd | tr '\0' ' ')" \
		"$($PODMAN exec pdb $cmd | tr '\0' ' ')"
done
# podman exec sets no supplementary groups; enter takes the target's.
expect_eq "enter pdb -- id -G is the container's own groups" "$(N enter --root "$RT_ROOT" pdb -- id -G)" \
	"$(awk '$1 == "Groups:" { $1 = ""; sub(/^ /, ""); print }' /proc/"$pid"/status)"
for t in mnt uts ipc pid net; do
	expect_eq "ls: pdb's $t namespace is podman:pdb" \
		"$(N ls --root "$RT_ROOT" -n -o CONTAINER -t "$t" "$(ns_ino "$pid" $t)" 2>/dev/null)" "podman:pdb"
done
expect_eq "top: pdb's row" \
	"$(N top --root "$RT_ROOT" -b -J -n 1 -d 0.3 | jq -c '.rows[] | select(.name == "pdb") | [.container.runtime, .procs]')" \
	'["podman",1]'
N cgroup set --root "$RT_ROOT" pdb pids.max=25 >/dev/null
expect_eq "cgroup set pdb pids.max=25 lands in podman's cgroup" \
	"$(cat "$(cgroup_mount pids)$(awk -F: '$2 == "pids" {print $3}' /proc/"$pid"/cgroup)/pids.max")" 25
$PODMAN stop -t 0 pdb >/dev/null 2>&1
N inspect --root "$RT_ROOT" pdb >/dev/null 2>&1
expect_eq "a stopped podman container is not running: exit 1" "$?" 1
