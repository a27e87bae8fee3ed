#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl inspect --mounts against /proc/PID/mountinfo: a sandbox from nsctl
# run with an overlay root and binds, and mount namespaces made here with
# what should be warned of (the host's /, a runtime socket, the host's /dev,
# a writable /proc/sys) and a mount point named to attack a terminal.
source "$(dirname "$0")/../lib/lib.sh"
require_root
sandbox_suite_setup
N() { "$NSCTL" "$@"; }

mkdir -p "$tmp/rw" "$tmp/ro" "$R/mnt" "$R/srv"
echo data >"$tmp/rw/f"
"$NSCTL" run -r "$R" --overlay --bind "$tmp/rw" /mnt --ro-bind "$tmp/ro" /srv -- sleep 300 &
box=$!
on_exit "kill $box 2>/dev/null; wait $box 2>/dev/null"
pid=
for _ in $(seq 100); do
	pid=$(fixture_pids $box | tr ' ' '\n' | while read -r p; do [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && echo "$p"; done | head -1)
	[ -n "$pid" ] && break
	sleep 0.05
done
[ -n "$pid" ] || { fail "the sandbox starts"; exit 0; }
N inspect --mounts -J "$pid" >"$tmp/m.json" 2>"$tmp/err" || fail "inspect --mounts -J" "$(cat "$tmp/err")"
m() { jq -r --arg t "$1" ".mounts[] | select(.target == \$t) | $2" "$tmp/m.json"; }
expect_eq "sandbox: /mnt is $tmp/rw on the host, read-write" "$(m /mnt '"\(.host_path) \(.read_only)"')" "$tmp/rw false"
expect_eq "sandbox: /srv is $tmp/ro, read-only" "$(m /srv '"\(.host_path) \(.read_only)"')" "$tmp/ro true"
expect_eq "sandbox: the root is an overlay" "$(m / .fstype)" overlay
expect_eq "sandbox: /proc/keys is masked, /proc/sys read-only" "$(m /proc/keys .masked) $(m /proc/sys .read_only)" "true true"
expect_eq "sandbox: nothing to warn of" "$(jq -c .warnings "$tmp/m.json")" "[]"
# Every mount, as mountinfo says: id, mount point, type, source, ro/rw.
want=$(awk '{ for (i = 7; $i != "-"; i++); split($6, o, ","); print $1, $5, $(i + 1), $(i + 2), o[1] }' "/proc/$pid/mountinfo")
got=$(jq -r '.mounts[] | "\(.id) \(.target) \(.fstype) \(.source) \(if .read_only then "ro" else "rw" end)"' "$tmp/m.json")
expect_eq "sandbox: every mount's id, target, type, source and ro/rw are mountinfo's" "$got" "$want"
expect_eq "sandbox: propagation as mountinfo's optional fields" \
	"$(jq -r '.mounts[].propagation' "$tmp/m.json" | sort -u | tr '\n' ' ')" \
	"$(awk '{ s = "private"; for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) s = $i; print s }' "/proc/$pid/mountinfo" | sort -u | tr '\n' ' ')"
N inspect -J "$pid" | jq -e '.mounts.root.fstype == "overlay" and (.mounts.masked > 0)' >/dev/null &&
	ok "inspect: the mounts section" || fail "inspect: the mounts section"

# What isolation should not let through, each named once.
touch "$tmp/docker.sock"
mkdir -p "$tmp/hostroot" "$tmp/sock" "$tmp/dev" "$tmp/x"$'\e[31m'
unshare -m --propagation private sh -c "
	mount --bind / '$tmp/hostroot' && mount -o remount,bind,ro '$tmp/hostroot' &&
	mount --bind '$tmp/docker.sock' '$tmp/sock/docker.sock' 2>/dev/null || { touch '$tmp/sock/docker.sock'; mount --bind '$tmp/docker.sock' '$tmp/sock/docker.sock'; }
	mount -t devtmpfs none '$tmp/dev' && mount -t tmpfs none '$tmp/x'\$(printf '\033[31m') && exec sleep 300" &
hp=$!
on_exit "kill $hp 2>/dev/null"
for _ in $(seq 100); do [ "$(readlink /proc/$hp/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && [ "$(cat /proc/$hp/comm)" = sleep ] && break; sleep 0.05; done
N inspect --mounts -J "$hp" >"$tmp/h.json" 2>"$tmp/err" || fail "inspect --mounts of the hostile namespace" "$(cat "$tmp/err")"
w() { jq -r '.warnings[]' "$tmp/h.json" | grep -c -- "$1"; }
expect_eq "warns of the host's root (read-only), once" "$(w "^$tmp/hostroot: the host's root filesystem (read-only)")" 1
expect_eq "warns of a runtime socket, once" "$(w "^$tmp/sock/docker.sock: a container runtime's socket")" 1
expect_eq "warns of the host's /dev, once" "$(w "^$tmp/dev: the host's /dev")" 1
expect_eq "warns of a writable /proc/sys" "$(w "^/proc/sys: writable")" 1
out=$(N inspect --mounts "$hp" | grep -a "$tmp/x")
case $out in *$'\e'*) fail "a hostile mount point is escaped in the table" "$out" ;;
	*'\x1b[31m'* | *'\033[31m'*) ok "a hostile mount point is escaped in the table" ;;
	*) fail "a hostile mount point is escaped in the table" "$out" ;; esac
expect_eq "...and exact in JSON" "$(jq -r '.mounts[].target' "$tmp/h.json" | grep -c "^$tmp/x"$'\e\\[31m$')" 1
expect_eq "the host's own namespace: no warnings" "$(N inspect -J $$ | jq -c '[.mounts.host_view, .mounts.warnings]')" '[true,[]]'
N inspect --mounts --seccomp $$ >/dev/null 2>&1
expect_eq "--mounts with --seccomp: usage error" "$?" 2
kill $box $hp 2>/dev/null
wait $box 2>/dev/null
expect_eq "nothing is left behind" "$(sandbox_leftovers)" ""
