#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Files a hostile container or runtime controls: a target root whose
# /etc/passwd is a FIFO, a device, a symlink to /dev/zero or out of the
# root, a directory or a 2 GiB sparse file; runtime state files that are
# FIFOs, huge, truncated or not JSON. Every command returns within a second
# with a clear one-line message or its documented fallback.
source "$(dirname "$0")/../lib/lib.sh"
require_root
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
cg2=$(cgroup_mount "")
[ -n "$cg2" ] || { skip "$SUITE" "no cgroup2 mount"; exit 0; }

# quick DESC MAXSEC CMD...: CMD ends within MAXSEC seconds; $rc, $tmp/out, $tmp/err hold what it did.
quick() {
	local desc=$1 max=$2 t0 t1
	shift 2
	t0=$(date +%s%N)
	timeout 10 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	t1=$(date +%s%N)
	if [ $(((t1 - t0) / 1000000)) -le $((max * 1000)) ] && [ $rc -ne 124 ]; then
		ok "$desc: returns within ${max}s"
	else
		fail "$desc: returns within ${max}s" "took $(((t1 - t0) / 1000000)) ms, status $rc"
	fi
}
one_line() {
	if [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF -- "$2" "$tmp/err"; then ok "$1"; else fail "$1" "stderr: $(cat "$tmp/err")"; fi
}

# ---- a target whose root is ours to spoil
R=$tmp/root
make_rootfs "$R" || { fail "busybox root filesystem"; exit 0; }
start_target tpid sleep unshare -m --root="$R" /bin/sleep 300 || { fail "a target in its own root"; exit 0; }
passwd=$R/etc/passwd

spoil() {
	rm -rf "$passwd"
	case $1 in
	fifo) mkfifo "$passwd" ;;
	device) mknod "$passwd" c 1 5 ;;
	zero) ln -s /dev/zero "$passwd" ;;
	outside) ln -s ../../../../../../etc/shadow "$passwd" ;;
	directory) mkdir "$passwd" ;;
	sparse) truncate -s 2G "$passwd" ;;
	esac
}
declare -A why=([fifo]="a FIFO, not a regular file" [device]="a character device, not a regular file"
	[zero]="a symbolic link, not a regular file" [outside]="a symbolic link, not a regular file"
	[directory]="a directory, not a regular file" [sparse]="2.0 GiB, more than the 8.0 MiB nsctl reads")
for kind in fifo device zero outside directory sparse; do
	spoil $kind
	quick "enter, /etc/passwd $kind" 1 "$NSCTL" enter "$tpid"
	expect_eq "enter, /etc/passwd $kind: the fallback shell ran and ended" "$rc" 0
	one_line "enter, /etc/passwd $kind: one warning says why" \
		"nsctl: enter $tpid: warning: /etc/passwd: ${why[$kind]}; starting /bin/sh"
done
spoil sparse
quick "enter with a command never reads passwd for a shell" 1 "$NSCTL" enter "$tpid" -- /bin/true
expect_eq "...and warns of nothing" "$rc:$(cat "$tmp/err")" "0:"
rm -f "$passwd"
echo 'root:x:0:0:root:/root:/bin/sh' >"$passwd"
quick "enter, a good /etc/passwd" 1 "$NSCTL" enter "$tpid"
expect_eq "...no warning" "$rc:$(cat "$tmp/err")" "0:"

# ---- runtime state files
root=$tmp/state
rand_id() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 64; }
id=f$(rand_id | head -c 63)
mkdir -p "$cg2/docker/$id"
on_exit "rmdir $cg2/docker/$id $cg2/docker 2>/dev/null"
start_target cpid sleep unshare -u sleep 300 || fail "a container process"
echo "$cpid" >"$cg2/docker/$id/cgroup.procs"
state=$root/var/lib/docker/containers/$id/config.v2.json
mkdir -p "$(dirname "$state")"

bad_state() {
	rm -rf "$state"
	case $1 in
	fifo) mkfifo "$state" ;;
	huge) truncate -s 2G "$state" ;;
	truncated) printf '{"Name":"/web","Config":{"Ima' >"$state" ;;
	text) echo "hello, world" >"$state" ;;
	array) echo '[1, 2, 3]' >"$state" ;;
	esac
}
declare -A state_why=([fifo]="a FIFO, not a regular file" [huge]="2.0 GiB, more than the 16.0 MiB nsctl reads"
	[truncated]="not JSON" [text]="not JSON" [array]="JSON, but not an object")
for kind in fifo huge truncated text array; do
	bad_state $kind
	quick "inspect, config.v2.json $kind" 1 "$NSCTL" inspect --root "$root" "$cpid"
	expect_eq "inspect, config.v2.json $kind: still a report" "$rc" 0
	grep -q "^  state error .*${state_why[$kind]}" "$tmp/out" && ok "inspect, config.v2.json $kind: the report says why" ||
		fail "inspect, config.v2.json $kind: the report says why" "$(grep -A2 '^CONTAINER' "$tmp/out")"
	quick "inspect -J, config.v2.json $kind" 1 "$NSCTL" inspect --root "$root" -J "$cpid"
	expect_eq "inspect -J, config.v2.json $kind: no name, the error kept" \
		"$(jq -c '[.container.name, (.container_detail.state_error | type)]' "$tmp/out")" '[null,"string"]'
	quick "ls -o +CONTAINER, config.v2.json $kind" 1 "$NSCTL" ls --root "$root" -o +CONTAINER -t uts -p "$cpid"
	expect_eq "ls, config.v2.json $kind: the id stands in for the name" "$(awk 'NR == 2 {print $NF}' "$tmp/out")" \
		"docker:${id:0:12}"
	quick "a name lookup, config.v2.json $kind" 1 "$NSCTL" inspect --root "$root" web
	expect_eq "a name lookup, config.v2.json $kind: not found, exit 1" "$rc" 1
done

# podman: a containers.json index that is a FIFO or huge
pid2=$(rand_id)
mkdir -p "$cg2/machine.slice/libpod-$pid2.scope"
on_exit "rmdir $cg2/machine.slice/libpod-$pid2.scope $cg2/machine.slice 2>/dev/null"
start_target ppid2 sleep unshare -u sleep 300 || fail "a podman process"
echo "$ppid2" >"$cg2/machine.slice/libpod-$pid2.scope/cgroup.procs"
dir=$root/var/lib/containers/storage/overlay-containers
mkdir -p "$dir/$pid2/userdata"
echo '{"annotations":{}}' >"$dir/$pid2/userdata/config.json"
mkfifo "$dir/containers.json"
quick "inspect, containers.json a FIFO" 1 "$NSCTL" inspect --root "$root" -J "$ppid2"
expect_eq "...the runtime is still known" "$(jq -r .container.runtime "$tmp/out")" podman
rm "$dir/containers.json"
truncate -s 3G "$dir/containers.json"
quick "inspect, containers.json of 3 GiB" 1 "$NSCTL" inspect --root "$root" -J "$ppid2"
expect_eq "...says why" "$(jq -r .container_detail.state_error "$tmp/out")" \
	"$root/var/lib/containers/storage/overlay-containers/containers.json: 3.0 GiB, more than the 64.0 MiB nsctl reads"

# a --root that is itself not a directory
quick "inspect --root FILE" 1 "$NSCTL" inspect --root "$passwd" "$cpid"
expect_eq "...a report without names" "$rc" 0
