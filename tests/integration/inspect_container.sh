#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl inspect by container: processes moved into cgroups laid out like each
# runtime's, with matching runtime state files under --root; resolution by id,
# prefix, name; ambiguity; pod identity.
source "$(dirname "$0")/../lib/lib.sh"
require_root

cg2=$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)
[ -n "$cg2" ] || { skip "$SUITE" "no cgroup2 mount"; exit 0; }
root=$(mktemp -d)
on_exit "rm -rf '$root'"
rand_id() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 64; }

# in_cgroup VAR DIR: a sleeper moved into the cgroup DIR (created, removed after).
in_cgroup() {
	local _var=$1 dir=$2 d _pid new=()
	d=$dir
	while [ "$d" != "" ]; do
		[ -d "$cg2$d" ] || new=("$d" "${new[@]}")
		d=${d%/*}
	done
	# Cleanups run last-registered first: register parents before children.
	for d in "${new[@]}"; do on_exit "rmdir '$cg2$d'"; done
	mkdir -p "$cg2$dir" || return 1
	sleep 60 &
	_pid=$!
	on_exit "kill $_pid; wait $_pid"
	echo $_pid >"$cg2$dir/cgroup.procs" || return 1
	printf -v "$_var" '%s' "$_pid"
}

write_state() { mkdir -p "$root/$(dirname "$1")" && cat >"$root/$1"; }

# --- docker, cgroupfs driver
# A leading letter: a 4-digit prefix could also be a live pid, and pids win.
id=f$(rand_id | head -c 63)
in_cgroup dpid "/docker/$id" || fail "moving a process into a docker cgroup"
write_state "var/lib/docker/containers/$id/config.v2.json" <<EOF2
{"ID":"$id","Name":"/web-$$","Config":{"Image":"nginx:1.25","Labels":{"x":"y"}},"State":{"Pid":$dpid}}
EOF2
for spec in "$id" "${id:0:12}" "${id:0:4}" "web-$$" "docker:${id:0:6}"; do
	got=$("$NSCTL" inspect --root "$root" --json "$spec" | jq -r '[.identity.pid, .container.runtime, .container.id, .container.name, .container.image] | join(" ")')
	expect_eq "docker target '$spec'" "$got" "$dpid docker $id web-$$ nginx:1.25"
done
got=$("$NSCTL" inspect --root "$root" "$dpid" | sed -n '/^CONTAINER/,/^NAMESPACES/p' | awk 'NR > 1 && NF {print $1 "=" $2}' | head -4 | tr '\n' ' ')
expect_eq "by pid, the table names the container" "$got" "runtime=docker id=$id name=web-$$ image=nginx:1.25 "
expect_eq "state file is reported" "$("$NSCTL" inspect --root "$root" --json "$dpid" | jq -r .container_detail.state_file)" \
	"$root/var/lib/docker/containers/$id/config.v2.json"
got=$("$NSCTL" inspect --json "$dpid" | jq -c '[.container.runtime, .container.name, .container_detail.state_file]')
expect_eq "without state files: runtime and id only" "$got" '["docker",null,null]'

# --- an ambiguous prefix lists the candidates and exits 2
id2=${id:0:8}$(rand_id | head -c 56)
in_cgroup d2 "/docker/$id2" || fail "second docker cgroup"
err=$("$NSCTL" inspect --root "$root" "${id:0:8}" 2>&1 >/dev/null)
rc=$?
expect_eq "ambiguous prefix: exit 2" $rc 2
grep -q "matches 2 containers" <<<"$err" && grep -q "docker:${id:0:12} (web-$$)" <<<"$err" &&
	grep -q "docker:${id2:0:12}" <<<"$err" && ok "ambiguous prefix: candidates listed" ||
	fail "ambiguous prefix: candidates listed" "$err"
expect_eq "a longer prefix is unique again" \
	"$("$NSCTL" inspect --root "$root" --json "${id2:0:12}" | jq .identity.pid)" "$d2"
"$NSCTL" inspect --root "$root" nosuchcontainer-$$ >/dev/null 2>&1
expect_eq "unknown name: exit 1" $? 1

# --- an id that starts with digits: a number that is no live pid is a prefix
id3=12345678$(rand_id | head -c 56)
in_cgroup d3 "/docker/$id3" || fail "numeric docker cgroup"
expect_eq "a number above pid_max is an id prefix" \
	"$("$NSCTL" inspect --root "$root" --json 12345678 | jq .identity.pid)" "$d3"
err=$("$NSCTL" inspect --root "$root" pid:12345678 2>&1 >/dev/null)
expect_eq "pid: never falls back to containers" "$?:$err" "1:nsctl: inspect: pid 12345678: No such process"

# --- cri-o on kubernetes, systemd driver
id=$(rand_id)
uid=1f2e3d4c-0000-4bbb-8ccc-$(rand_id | head -c 12)
pod="/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid//-/_}.slice"
in_cgroup cpid "$pod/crio-$id.scope" || fail "cri-o cgroup"
write_state "run/containers/storage/overlay-containers/$id/userdata/config.json" <<EOF2
{"ociVersion":"1.0.2","annotations":{"io.kubernetes.pod.name":"api-7d9f","io.kubernetes.pod.namespace":"prod",
"io.kubernetes.container.name":"api","io.kubernetes.cri-o.ImageName":"registry/api:3"}}
EOF2
got=$("$NSCTL" inspect --root "$root" --json "${id:0:10}" | jq -c '[.identity.pid, .container.runtime, .container.name, .container.image, .container.pod, .container.namespace, .container_detail.pod_uid, .container_detail.qos_class, .container_detail.k8s_container]')
expect_eq "cri-o: pod, namespace, qos, uid, container name" "$got" \
	"[$cpid,\"cri-o\",\"api\",\"registry/api:3\",\"api-7d9f\",\"prod\",\"$uid\",\"burstable\",\"api\"]"
"$NSCTL" inspect --root "$root" "$cpid" | grep -Eq "^  pod +prod/api-7d9f  \(uid $uid, qos burstable\)$" &&
	ok "cri-o: table shows the pod" || fail "cri-o: table shows the pod"

# --- containerd on kubernetes (CRI annotations), systemd driver
id=$(rand_id)
pod="/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid//-/_}.slice"
in_cgroup kpid "$pod/cri-containerd-$id.scope" || fail "containerd cgroup"
write_state "run/containerd/io.containerd.runtime.v2.task/k8s.io/$id/config.json" <<EOF2
{"annotations":{"io.kubernetes.cri.container-name":"sidecar","io.kubernetes.cri.sandbox-name":"api-7d9f",
"io.kubernetes.cri.sandbox-namespace":"prod","io.kubernetes.cri.image-name":"envoy:1.30"}}
EOF2
got=$("$NSCTL" inspect --root "$root" --json sidecar | jq -c '[.identity.pid, .container.runtime, .container.image, .container.pod, .container_detail.qos_class]')
expect_eq "containerd: by kubernetes container name" "$got" "[$kpid,\"containerd\",\"envoy:1.30\",\"api-7d9f\",\"besteffort\"]"

# --- podman, systemd driver, containers/storage index for the name
id=$(rand_id)
in_cgroup ppid_ "/machine.slice/libpod-$id.scope" || fail "podman cgroup"
write_state "var/lib/containers/storage/overlay-containers/$id/userdata/config.json" <<<'{"annotations":{}}'
write_state "var/lib/containers/storage/overlay-containers/containers.json" <<EOF2
[{"id":"$(rand_id)","names":["other"]},{"id":"$id","names":["db-$$"],"metadata":"{\"image-name\":\"docker.io/library/postgres:16\",\"name\":\"db-$$\"}"}]
EOF2
got=$("$NSCTL" inspect --root "$root" --json "db-$$" | jq -c '[.identity.pid, .container.runtime, .container.image]')
expect_eq "podman: name and image from containers.json" "$got" "[$ppid_,\"podman\",\"docker.io/library/postgres:16\"]"

# --- lxc and nspawn name containers in the cgroup path
in_cgroup lpid "/lxc.payload.box$$" || fail "lxc cgroup"
got=$("$NSCTL" inspect --json "box$$" | jq -c '[.identity.pid, .container.runtime, .container.name]')
expect_eq "lxc: by name" "$got" "[$lpid,\"lxc\",\"box$$\"]"
in_cgroup npid "/machine.slice/systemd-nspawn@vm$$.service/payload" || fail "nspawn cgroup"
got=$("$NSCTL" inspect --json "nspawn:vm$$" | jq -c '[.identity.pid, .container.runtime, .container.name]')
expect_eq "nspawn: runtime-qualified name" "$got" "[$npid,\"nspawn\",\"vm$$\"]"

# --- a container stands for its first process, not a child of it
in_cgroup first "/docker/$(rand_id)" || fail "third docker cgroup"
cid=$(awk -F/ '/^0::/ {print $NF}' /proc/"$first"/cgroup)
sh -c "echo \$\$ >'$cg2/docker/$cid/cgroup.procs'; exec sleep 60" &
later=$!
on_exit "kill $later; wait $later"
sleep 0.2
expect_eq "the oldest process with an outside parent is the container's" \
	"$("$NSCTL" inspect --json "${cid:0:12}" | jq .identity.pid)" "$first"
