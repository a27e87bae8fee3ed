#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl enter into a container with a filesystem of its own (busybox): the
# default lands in its root; --host-root keeps the host's files, with a /proc
# of the container's pid namespace, and leaves no mount behind anywhere.
source "$(dirname "$0")/../lib/lib.sh"
require_root
BUSYBOX=$(command -v busybox) || { skip "$SUITE" "busybox is not installed"; exit 0; }

ROOTFS=$(mktemp -d)
on_exit "rm -rf $ROOTFS"
mkdir -p "$ROOTFS"/{bin,proc,etc,home/app}
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for cmd in sh ash sleep cat ls id; do ln -s busybox "$ROOTFS/bin/$cmd"; done
echo "app:x:1000:1000::/home/app:/bin/ash" >"$ROOTFS/etc/passwd"
echo "container-file" >"$ROOTFS/marker"
chmod -R a+rX "$ROOTFS"

start_target C sleep unshare -m -u -i -n -p -f --kill-child -R "$ROOTFS" --mount-proc \
	--setuid 1000 --setgid 1000 /bin/sleep 600 || exit 1
host_mounts=$(wc -l </proc/self/mountinfo)
target_mounts=$(wc -l <"/proc/$C/mountinfo")

out=$("$NSCTL" enter "$C" -- sh -c 'cat /marker; echo "HOME=$HOME"; id -u; test -e /usr/bin/env || echo no-host-files')
expect_eq "default: the container's root" "$(sed -n 1p <<<"$out")" container-file
expect_eq "HOME from the container's passwd" "$(sed -n 2p <<<"$out")" HOME=/home/app
expect_eq "its user" "$(sed -n 3p <<<"$out")" 1000
expect_eq "none of the host's files" "$(sed -n 4p <<<"$out")" no-host-files
expect_eq "no command: the user's login shell from the container's passwd" \
	"$(echo 'echo $0' | "$NSCTL" enter "$C")" /bin/ash

out=$("$NSCTL" enter --host-root "$C" -- /bin/sh -c '
	cat /proc/1/root/marker
	cat /proc/1/comm
	ls /proc | grep -c "^[0-9]"
	test -x /usr/bin/env && echo host-files
	readlink /proc/self/ns/net')
expect_eq "--host-root: the container's files at /proc/1/root" "$(sed -n 1p <<<"$out")" container-file
expect_eq "--host-root: pid 1 is the container's" "$(sed -n 2p <<<"$out")" sleep
check "--host-root: /proc lists only the container's processes" test "$(sed -n 3p <<<"$out")" -le 4
expect_eq "--host-root: the host's binaries" "$(sed -n 4p <<<"$out")" host-files
expect_eq "--host-root: the container's network" "$(sed -n 5p <<<"$out")" "$(readlink "/proc/$C/ns/net")"
expect_eq "no mount left in the host's namespace" "$(wc -l </proc/self/mountinfo)" "$host_mounts"
expect_eq "no mount added to the container's" "$(wc -l <"/proc/$C/mountinfo")" "$target_mounts"
