#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl run: cgroup limits the kernel enforces, signals and exit codes through
# the init, the sandbox dying with nsctl, the status fd, failures that name
# their step and leave nothing, and unprivileged id ranges via newuidmap.
source "$(dirname "$0")/../lib/lib.sh"
require_root

sandbox_suite_setup

# ---- limits
out=$(run --memory 32M -- sh -c 'dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null; echo $?')
expect_eq "--memory 32M: a 100M allocation is OOM-killed" "$out" "137"
out=$(run --memory 256M -- sh -c 'dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null; echo $?')
expect_eq "--memory 256M: the same allocation succeeds" "$out" "0"
out=$(run --pids 10 -- sh -c '(i=0; while [ $i -lt 30 ]; do sleep 30 & i=$((i + 1)); done) 2>/dev/null; set -- /proc/[0-9]*; echo $#')
if [ "$out" -le 10 ] 2>/dev/null; then ok "--pids 10 stops a fork bomb ($out processes)"; else fail "--pids 10 stops a fork bomb" "got $out processes"; fi
out=$(run --pids 10 --cpus 0.5 --json-status-fd 3 -- sh -c 'cat /proc/self/cgroup | grep -c ":/$"' 3>"$tmp/status")
cg=$(head -1 "$tmp/status" | jq -r .cgroup)
expect_eq "the cgroup namespace is rooted at the sandbox's cgroup" "$out" "$(wc -l </proc/self/cgroup)"
pids_mnt=$(cgroup_mount pids)
expect_eq "the cgroup was nsctl-run-PID and is gone afterwards" \
	"$(echo "$cg" | grep -c '^/nsctl-run-[0-9]*$') $(ls -d "$pids_mnt$cg" 2>/dev/null)" "1 "
run --cpus 0.5 --limit cpu.weight=50 -- cat /proc/self/cgroup >/dev/null
expect_eq "--limit KNOB=VALUE is accepted and cleaned up" "$?" "0"
err=$(run --memory lots -- true 2>&1)
expect_eq "a bad limit is refused before anything runs (usage error)" "$? $(sandbox_leftovers)" "2 "
[[ $err == *memory.max* ]] && ok "...naming the knob" || fail "...naming the knob" "$err"

# ---- exit codes and signals
run -- sh -c 'exit 42'
expect_eq "exit status is the command's" "$?" "42"
run -- sh -c 'kill -KILL $$'
expect_eq "killed by a signal: 128+N" "$?" "137"
run -- /nonexistent 2>/dev/null
expect_eq "a missing command: 127" "$?" "127"
run -- /etc 2>/dev/null
expect_eq "a command that cannot run: 126" "$?" "126"
"$NSCTL" run -r "$R" -- sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done' &
bg=$!
on_exit "kill -9 $bg"
sleep 0.5
kill -TERM $bg
wait $bg
expect_eq "SIGTERM to nsctl reaches the command through init" "$?" "7"
out=$(run -- sh -c 'sleep 100 & sleep 100 & wait_pid=$!; kill -9 $wait_pid; sleep 0.2; grep -l zombie /proc/[0-9]*/status 2>/dev/null | wc -l; grep -c "" /proc/1/status >/dev/null; echo reaped')
expect_eq "init reaps orphans and exits with the command (no zombie left)" "$out" "0
reaped"

"$NSCTL" run -r "$R" -- sleep 300 &
bg=$!
disown $bg
for _ in $(seq 50); do init=$(pgrep -P $bg nsctl-init) && break; sleep 0.05; done
kill -9 $bg
wait $bg 2>/dev/null
for _ in $(seq 50); do kill -0 "$init" 2>/dev/null || break; sleep 0.05; done
if [ -n "$init" ] && ! kill -0 "$init" 2>/dev/null; then
	ok "the sandbox dies with nsctl (SIGKILL)"
else
	fail "the sandbox dies with nsctl (SIGKILL)" "init ${init:-not found} still there"
fi

# ---- status fd
run --json-status-fd 3 -- sh -c 'exit 3' 3>"$tmp/status"
out=$(jq -sc '[(.[0].pid | type), (.[0].namespaces | keys | length), (.[0].namespaces.net.ino != '"$(stat -L -c %i /proc/self/ns/net)"'), (.[0].namespaces.net.id | type), .[1].exit_code]' "$tmp/status")
expect_eq "--json-status-fd: pid, 8 namespaces (new ones, inode and id), then the exit code" "$out" '["number",8,true,"number",3]'

# ---- failures name their step and leave nothing
err=$("$NSCTL" run -r "$tmp/missing" -- true 2>&1)
expect_eq "a missing rootfs is named" "$? $err" "1 nsctl: run: bind $tmp/missing: No such file or directory"
err=$(run --read-only --bind "$tmp" /not-there -- true 2>&1)
expect_eq "a mount target a read-only root lacks" "$? $err" \
	"1 nsctl: run: --bind: /not-there does not exist and the root is read-only"
err=$(run --join-ns user=1 -- true 2>&1)
expect_eq "joining a user namespace is refused as a usage error" "$?" "2"
err=$(run --overlay --net nope-$$ -- true 2>&1)
expect_eq "a missing netns is named" "$? $err" "1 nsctl: run: net namespace /run/netns/nope-$$: No such file or directory"
expect_eq "nothing is left behind" "$(sandbox_leftovers)" ""

# ---- unprivileged: ranges through newuidmap, with our own subuid file
if command -v newuidmap >/dev/null && id nobody >/dev/null 2>&1; then
	printf 'nobody:300000:65536\n' >"$tmp/subid"
	chmod 755 "$tmp"
	out=$(unshare -m sh -c "mount --bind $tmp/subid /etc/subuid && mount --bind $tmp/subid /etc/subgid &&
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
		$NSCTL run -r $R --map-users 0:300000:65536 --map-groups 0:300000:65536 -u 9 -- cat /proc/self/uid_map" 2>&1 | tr -s ' ')
	expect_eq "unprivileged: --map-users through newuidmap" "$out" " 0 300000 65536"
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$NSCTL" run -r "$R" -- sh -c 'id; cat /proc/self/setgroups' 2>&1)
	expect_eq "unprivileged: root inside is us, setgroups denied" "$out" "uid=0 gid=0
deny"
else
	skip "unprivileged id ranges" "newuidmap or the nobody user missing"
fi
