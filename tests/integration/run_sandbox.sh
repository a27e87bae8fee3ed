#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl run: what a sandbox looks like from inside a busybox root, and the
# ways out it must close (.., /proc/1/root, /proc/self/cwd, symlinks in the
# image, ptrace, TIOCSTI, mount, setns). Nothing is left behind.
source "$(dirname "$0")/../lib/lib.sh"
require_root

sandbox_suite_setup
echo secret >"$tmp/host-marker"

# ---- what the inside looks like
expect_eq "PID 1 is the sandbox's init" "$(run -- cat /proc/1/comm)" "nsctl-init"
expect_eq "/proc shows only the sandbox's processes" "$(run -- sh -c 'echo /proc/[0-9]*')" "/proc/1 /proc/2"
expect_eq "hostname is the one given" "$(run --hostname box -- hostname)" "box"
expect_eq "only lo exists, and it is up" \
	"$(run -- sh -c 'grep -o "^ *[a-z0-9]*:" /proc/net/dev | tr -d " :"; ip link show lo | grep -c "UP"')" "lo
1"
expect_eq "--net none leaves lo down" "$(run --net none -- sh -c 'ip link show lo | grep -c "UP"')" "0"
expect_eq "/dev is minimal" "$(run -- ls /dev | tr '\n' ' ')" \
	"fd full null ptmx pts random shm stderr stdin stdout tty urandom zero "
expect_eq "/tmp is an empty tmpfs" "$(run -- sh -c 'ls -A /tmp; grep " /tmp " /proc/mounts | cut -d" " -f3')" "tmpfs"
out=$(run -- grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status | tr -s '\t' ' ')
expect_eq "root inside: docker's 14 capabilities, no_new_privs, seccomp filter" "$out" \
	"CapEff: 00000000a80425fb
CapBnd: 00000000a80425fb
NoNewPrivs: 1
Seccomp: 2"
out=$(run -u 1000 -g 1000 -- sh -c 'id; grep -E "^Cap(Eff|Prm|Amb):" /proc/self/status' | tr -s '\t' ' ')
expect_eq "--uid 1000: that id and no capabilities" "$out" "uid=1000 gid=1000
CapPrm: 0000000000000000
CapEff: 0000000000000000
CapAmb: 0000000000000000"
out=$(run -u 1000 --cap-add cap_net_raw -- grep -E '^Cap(Eff|Amb):' /proc/self/status | tr -s '\t' ' ')
expect_eq "--cap-add for a non-root uid survives exec as ambient" "$out" "CapEff: 0000000000002000
CapAmb: 0000000000002000"
out=$(run --cap-drop all --cap-add SYS_ADMIN -- grep '^CapEff:' /proc/self/status | tr -s '\t' ' ')
expect_eq "--cap-drop all --cap-add SYS_ADMIN" "$out" "CapEff: 0000000000200000"
expect_eq "uid and gid maps: root inside is us" "$(run -- cat /proc/self/uid_map /proc/self/gid_map | tr -s ' ')" \
	" 0 0 1
 0 0 1"
out=$(run --map-users 0:200000:65536 --map-groups 0:200000:65536 -u 7 -g 8 -- sh -c 'id; cat /proc/self/uid_map' | tr -s ' ')
expect_eq "--map-users ranges, --uid/--gid inside them" "$out" "uid=7 gid=8
 0 200000 65536"

# ---- ways out
expect_eq "/.. is /" "$(run -- sh -c 'cd /../../..; pwd; cat .'"$tmp"'/host-marker 2>&1 | grep -c secret')" "/
0"
expect_eq "/proc/1/root does not reach the host" \
	"$(run -- sh -c "cat /proc/1/root$tmp/host-marker 2>/dev/null || echo refused")" "refused"
expect_eq "/proc/self/cwd/.. does not reach the host" \
	"$(run -- sh -c "cd /tmp; cat /proc/self/cwd/../..$tmp/host-marker 2>/dev/null || echo refused")" "refused"
expect_eq "the host root is not mounted anywhere inside" \
	"$(run -- sh -c "grep -c . /proc/mounts >/dev/null; find / -xdev -name host-marker 2>/dev/null | wc -l")" "0"
mkdir -p "$tmp/hostdir"
ln -s "$tmp/hostdir" "$R/evil"
ln -s ../../../../../../.. "$R/up"
err=$(run --tmpfs /evil/sub -- true 2>&1)
rc=$?
expect_eq "a mount target behind an absolute symlink in the image is refused" \
	"$rc $err $(ls -A "$tmp/hostdir")" "1 nsctl: run: tmpfs: /evil/sub: No such file or directory "
run --tmpfs /up/escape -- true
expect_eq "a target behind ../.. symlinks is made inside the image, not on the host" \
	"$([ -e /escape ] && echo host) $([ -d "$R/escape" ] && echo image)" " image"
rm -rf "$R/evil" "$R/up" "$R/escape"
expect_eq "TIOCSTI is denied" "$(run -- sandboxprobe tiocsti)" "EPERM"
expect_eq "...by the filter (unconfined it only finds no terminal)" \
	"$(run --seccomp unconfined -- sandboxprobe tiocsti </dev/null)" "ENOTTY"
sleep 300 &
outside=$!
on_exit "kill $outside"
expect_eq "ptrace of a process outside fails" "$(run --cap-add SYS_PTRACE -- sandboxprobe ptrace $outside)" "EPERM"
expect_eq "...and unconfined it is not even visible" \
	"$(run --seccomp unconfined --cap-add SYS_PTRACE -- sandboxprobe ptrace $outside)" "ESRCH"
kill $outside
expect_eq "mount is denied even with CAP_SYS_ADMIN" "$(run --cap-add SYS_ADMIN -- sandboxprobe mount)" "EPERM"
expect_eq "unshare is denied" "$(run -- sandboxprobe unshare)" "EPERM"
expect_eq "setns into our namespace is denied" "$(run -- sandboxprobe setns /proc/self/ns/net)" "EPERM"
printf '\x06\x00\x00\x00\x00\x00\xff\x7f' >"$tmp/allow.bpf"
expect_eq "--seccomp FILE loads a compiled program" \
	"$(run --seccomp "$tmp/allow.bpf" -- grep '^Seccomp:' /proc/self/status | tr -s '\t' ' ')" "Seccomp: 2"

# ---- filesystems
mkdir -p "$tmp/src"
echo data >"$tmp/src/file"
out=$(run --ro-bind "$tmp/src" /ro --bind "$tmp/src" /rw -- sh -c 'cat /ro/file; echo x >/ro/new 2>/dev/null || echo refused; echo y >/rw/new && echo written')
expect_eq "--ro-bind refuses writes, --bind takes them" "$out" "data
refused
written"
expect_eq "...to the host directory" "$(cat "$tmp/src/new")" "y"
expect_eq "--read-only root" "$(run --read-only -- sh -c 'touch /x 2>/dev/null || echo refused')" "refused"
expect_eq "--overlay: writes land in a throw-away layer" \
	"$(run --overlay -- sh -c 'echo v >/etc/overlaid; cat /etc/overlaid'; ls "$R/etc")" "v"
# Outside /tmp, which the sandbox replaces (the build may live under it).
marker=$(mktemp /var/tmp/nsctl-run-marker.XXXXXX)
echo secret >"$marker"
on_exit "rm -f $marker"
expect_eq "the host root, read-only, without --rootfs; /tmp its own" \
	"$("$NSCTL" run -- sh -c "cat $marker; touch $marker.new 2>/dev/null || echo refused; ls -A /tmp")" "secret
refused"
rm -f "$marker"
# Each one this kernel has: masked (reads nothing) or read-only.
masked="" ro=""
for f in kcore keys timer_list sched_debug latency_stats; do [ -e /proc/$f ] && masked+=" $f"; done
for f in sys sysrq-trigger irq bus fs; do [ -e /proc/$f ] && ro+=" $f"; done
out=$(run -- sh -c "for f in $masked; do printf '%s=%s ' \$f \$(cat /proc/\$f | wc -c); done
	for f in $ro; do grep -q \" /proc/\$f ro,\" /proc/self/mountinfo && printf '%s=ro ' \$f; done")
want=$(for f in $masked; do printf '%s=0 ' $f; done; for f in $ro; do printf '%s=ro ' $f; done)
expect_eq "/proc:$masked masked,$ro read-only" "$out" "$want"
expect_eq "/proc/sys refuses writes" "$(run -- sh -c 'echo box >/proc/sys/kernel/hostname 2>/dev/null || echo refused')" "refused"

# ---- namespaces
host_net=$(readlink /proc/self/ns/net)
expect_eq "--net host shares ours" "$(run --net host -- readlink /proc/self/ns/net)" "$host_net"
ip netns add nsctl-test-$$ && on_exit "ip netns del nsctl-test-$$"
expect_eq "--net NAME joins a named netns" "$(run --net nsctl-test-$$ -- readlink /proc/self/ns/net)" \
	"net:[$(stat -L -c %i /run/netns/nsctl-test-$$)]"
ip netns del nsctl-test-$$
unshare -u sleep 300 &
peer=$!
on_exit "kill $peer"
for _ in $(seq 50); do [ "$(readlink /proc/$peer/ns/uts)" != "$(readlink /proc/self/ns/uts)" ] && break; sleep 0.05; done
expect_eq "--join-ns uts=PID" "$(run --join-ns uts=$peer -- readlink /proc/self/ns/uts)" "$(readlink /proc/$peer/ns/uts)"
kill $peer
expect_eq "--share all but mnt keeps our ipc" "$(run --share uts,ipc,net,pid,cgroup,user,time -- readlink /proc/self/ns/ipc)" \
	"$(readlink /proc/self/ns/ipc)"
up_host=$(cut -d' ' -f1 /proc/uptime)
up_box=$(run --boottime 86400 -- cut -d' ' -f1 /proc/uptime)
if awk -v h="$up_host" -v b="$up_box" 'BEGIN { d = b - h; exit !(d > 86390 && d < 86410) }'; then
	ok "--boottime shifts CLOCK_BOOTTIME in the new time namespace"
else
	fail "--boottime shifts CLOCK_BOOTTIME in the new time namespace" "host $up_host, sandbox $up_box"
fi

# Landlock: writes outside the allowed paths fail with EACCES, on a tmpfs that is otherwise writable.
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))' 2>/dev/null)
if [ "${abi:--1}" -ge 1 ] 2>/dev/null; then
	expect_eq "--landlock-rw /tmp: writing /tmp works, /mnt (a writable tmpfs) gets EACCES, / stays readable" \
		"$(run --tmpfs /mnt --landlock-ro / --landlock-rw /tmp -- sh -c \
			'echo x >/tmp/a && cat /tmp/a; touch /mnt/b 2>&1 | grep -o "Permission denied"; ls /bin/sh')" \
		"x
Permission denied
/bin/sh"
	expect_eq "...the same tmpfs without Landlock is writable" "$(run --tmpfs /mnt -- sh -c 'touch /mnt/b && echo written')" written
	run --landlock-rw /tmp -- /bin/true 2>"$tmp/err"
	expect_eq "--landlock-rw /tmp alone: /bin/true cannot be executed (126)" "$?:$(grep -c 'exec /bin/true: Permission denied' "$tmp/err")" "126:1"
	run --landlock-ro /nonexistent -- true 2>"$tmp/err"
	expect_eq "--landlock-ro of a missing path: exit 1, named" "$?:$(grep -c 'landlock: /nonexistent: No such file' "$tmp/err")" "1:1"
else
	skip "--landlock-ro/--landlock-rw" "this kernel has no Landlock (landlock_create_ruleset: $abi)"
fi
# Network rules (ABI 4): a denied connect or bind is EACCES; an allowed
# connect to a port nobody listens on is refused by the peer instead.
if [ "${abi:--1}" -ge 4 ] 2>/dev/null; then
	expect_eq "--landlock-connect 9: connecting to 9091 gets EACCES, to 9 goes through (refused)" \
		"$(run --landlock-connect 9 -- sh -c 'nc 127.0.0.1 9091 </dev/null; nc 127.0.0.1 9 </dev/null' 2>&1 |
			grep -o 'Permission denied\|Connection refused' | tr '\n' ' ')" "Permission denied Connection refused "
	expect_eq "--landlock-bind 9092,9094: binding 9093 gets EACCES, 9092 listens, connects stay free" \
		"$(run --landlock-bind 9092,9094 -- sh -c 'timeout 3 nc -l -p 9093; timeout 3 nc -l -p 9092 & sleep 0.3
			netstat -ltn | grep -c ":9092 "; nc 127.0.0.1 9095 </dev/null; kill $!' 2>&1 |
			grep -o '^1$\|Permission denied\|Connection refused' | tr '\n' ' ')" "Permission denied 1 Connection refused "
	expect_eq "--landlock-connect with --landlock-ro: both kinds of rule at once" \
		"$(run --landlock-ro / --landlock-connect 9 -- sh -c 'touch /tmp/x; nc 127.0.0.1 9091 </dev/null' 2>&1 |
			grep -o 'Permission denied' | tr '\n' ' ')" "Permission denied Permission denied "
else
	skip "--landlock-bind/--landlock-connect" "this kernel's Landlock has no network rules (ABI ${abi:-none}, 4 needed)"
fi
"$NSCTL" run --landlock-bind 70000 -- true 2>/dev/null
expect_eq "--landlock-bind of a port above 65535: usage error" "$?" 2
"$NSCTL" run --landlock-connect 80,x -- true 2>"$tmp/err"
expect_eq "--landlock-connect with a bad port: usage error naming it" "$?:$(head -1 "$tmp/err")" \
	"2:nsctl: run: --landlock-connect: 'x' is not a number up to 65535"
"$NSCTL" run --landlock-ro relative -- true 2>/dev/null
expect_eq "--landlock-ro of a relative path: usage error" "$?" 2

expect_eq "nothing is left behind" "$(sandbox_leftovers)" ""
