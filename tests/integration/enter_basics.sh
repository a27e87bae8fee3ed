#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl enter against a target in its own mnt/uts/ipc/net/pid/cgroup/time
# namespaces, running as uid 1234 with groups and a reduced bounding set, in
# cgroups of its own: what the entered command sees must be what the target
# sees; exit codes, signals and errors propagate; nothing of ours leaks in.
source "$(dirname "$0")/../lib/lib.sh"
require_root

WORK=$(mktemp -d)
on_exit "rm -rf $WORK"
mkdir "$WORK/cwd"
chmod 755 "$WORK" "$WORK/cwd"
make_cgroup CG_PIDS pids || exit 1
make_cgroup CG_V2 "" || exit 1

start_target T sleep unshare -m -u -i -n -p -f -C -T --kill-child --mount-proc \
	sh -c "hostname nsctl-ctr; cd $WORK/cwd; exec env TARGET_ONLY=yes \
	setpriv --reuid 1234 --regid 1234 --groups 5,6 --bounding-set -all,+chown,+kill sleep 600" || exit 1
echo "$T" >"$CG_PIDS/cgroup.procs"
echo "$T" >"$CG_V2/cgroup.procs"

# Everything the entered shell reports, one "key value" per line.
inside=$("$NSCTL" enter "$T" -- sh -c '
	for ns in mnt uts ipc net pid cgroup time user; do echo "ns_$ns $(readlink /proc/self/ns/$ns)"; done
	echo "hostname $(hostname)"
	echo "uid $(id -u)"
	echo "gid $(id -g)"
	echo "groups $(id -G)"
	echo "cwd $(pwd)"
	echo "pid $$"
	read -r self_pid rest </proc/self/stat
	echo "pid_is_ours $(test "$self_pid" = "$$" && echo yes)"
	echo "pid1 $(cat /proc/1/comm)"
	echo "cgroup_same $(cmp -s /proc/self/cgroup /proc/1/cgroup && echo yes)"
	grep -E "^Cap(Bnd|Eff|Prm)" /proc/self/status | tr -d ":\t" | sed "s/^\(Cap...\)/\1 /"
' 2>&1)
value() { awk -v k="$1" '$1 == k { print $2; exit }' <<<"$inside"; }

for ns in mnt uts ipc net pid cgroup time user; do
	expect_eq "ns/$ns is the target's" "$(value "ns_$ns")" "$(readlink "/proc/$T/ns/$ns")"
done
expect_eq "hostname" "$(value hostname)" nsctl-ctr
expect_eq "uid is the target's" "$(value uid)" 1234
expect_eq "gid is the target's" "$(value gid)" 1234
expect_eq "groups are the target's" "$(awk '$1 == "groups" { $1 = ""; print substr($0, 2) }' <<<"$inside")" "1234 5 6"
expect_eq "cwd is the target's" "$(value cwd)" "$WORK/cwd"
expect_eq "getpid() is in the target's pid namespace" "$(value pid_is_ours)" yes
expect_eq "pid 1 there is the target" "$(value pid1)" sleep
expect_eq "cgroups are the target's (seen from inside)" "$(value cgroup_same)" yes
expect_eq "CapBnd is the target's" "$(value CapBnd)" "$(awk '/^CapBnd/ { print $2 }' "/proc/$T/status")"
expect_eq "CapEff is the target's" "$(value CapEff)" "$(awk '/^CapEff/ { print $2 }' "/proc/$T/status")"

# The cgroups, seen from the host: run a sleeper inside and find it.
"$NSCTL" enter "$T" -- sleep 30 &
ENTERED=$!
on_exit "kill $ENTERED; wait $ENTERED"
for ((i = 0; i < 100; i++)); do
	kid=$(grep -lx 'sleep' /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3 | while read -r p; do
		[ "$(awk '/^PPid/ { print $2 }' "/proc/$p/status" 2>/dev/null)" = "$ENTERED" ] && echo "$p"
	done)
	[ -n "$kid" ] && break
	sleep 0.05
done
check "the command runs in the target's v1 pids cgroup" grep -qx "$kid" "$CG_PIDS/cgroup.procs"
check "the command runs in the target's cgroup2 cgroup" grep -qx "$kid" "$CG_V2/cgroup.procs"
kill -TERM "$ENTERED"
wait "$ENTERED"
expect_eq "SIGTERM to nsctl is forwarded; exit is 128+15" "$?" 143
check "--no-cgroup stays in ours" "$NSCTL" enter --no-cgroup "$T" -- sh -c \
	"! grep -q nsctl-test /proc/self/cgroup"

# Credentials and capabilities on request.
expect_eq "-S/-G override the ids" "$("$NSCTL" enter -S 0 -G 7 "$T" -- sh -c 'echo $(id -u) $(id -g) $(id -G)')" "0 7 7"
expect_eq "--preserve-credentials keeps ours" \
	"$("$NSCTL" enter --preserve-credentials "$T" -- id -u)" "$(id -u)"
ours_eff=$(awk '/^CapEff/ { print $2 }' /proc/self/status)
expect_eq "--keep-caps keeps our capabilities over a uid change" \
	"$("$NSCTL" enter --keep-caps "$T" -- awk '/^CapEff/ { print $2 }' /proc/self/status)" "$ours_eff"
check "-S with --preserve-credentials is a usage error" sh -c \
	"'$NSCTL' enter -S 0 --preserve-credentials $T true 2>/dev/null; test \$? -eq 2"

# Environment: clean by default, the target's with -e; never ours.
export NSCTL_HOST_SECRET=leak
env_inside=$(TERM=xterm-test "$NSCTL" enter "$T" -- /usr/bin/env | sort | tr '\n' ' ')
expect_eq "default environment is TERM, PATH and HOME only" "$(sed 's/=[^ ]*//g' <<<"$env_inside")" \
	"HOME PATH TERM "
env_target=$("$NSCTL" enter -e "$T" -- /usr/bin/env)
check "-e gives the target's environment" grep -qx TARGET_ONLY=yes <<<"$env_target"
if grep -q NSCTL_HOST_SECRET <<<"$env_inside$env_target"; then
	fail "no variable of ours leaks in" "$env_inside" "$env_target"
else
	ok "no variable of ours leaks in"
fi
check "--wd sets the directory" sh -c "test \"\$('$NSCTL' enter --wd /tmp $T -- pwd)\" = /tmp"

# Inherited fds stop at nsctl: the host shell's 5 and 7 must not reach inside.
exec 5</dev/null 7>"$WORK/held"
fds_host=$(ls /proc/self/fd | sort -n | tr '\n' ' ')
fds_inside=$("$NSCTL" enter "$T" -- ls /proc/self/fd | sort -n | tr '\n' ' ')
exec 5<&- 7>&-
check "the control sees fds 5 and 7 on the host" grep -qE " 5 (.* )?7 " <<<" $fds_host"
expect_eq "only 0, 1, 2 (and ls's own) inside" "$fds_inside" "0 1 2 3 "

# Exit status and signals.
"$NSCTL" enter "$T" -- sh -c 'exit 42'
expect_eq "exit status is the command's" "$?" 42
"$NSCTL" enter "$T" -- sh -c 'kill -KILL $$'
expect_eq "killed by SIGKILL: 137" "$?" 137
"$NSCTL" enter "$T" -- /nonexistent 2>"$WORK/err"
expect_eq "missing command: 127" "$?" 127
check "missing command names it" grep -q "^nsctl: enter $T: exec /nonexistent: No such file or directory$" "$WORK/err"
out=$(script -qec "'$NSCTL' enter '$T' -- sh -c 'test -t 0 && test -t 1 && echo tty-ok'" /dev/null </dev/null)
check "a terminal stays a terminal inside" grep -q tty-ok <<<"$out"

# Errors name the step and change nothing.
sh -c 'exit 0' &
gone=$!
wait $gone
"$NSCTL" enter "$gone" -- true 2>"$WORK/err"
expect_eq "a vanished pid: exit 1" "$?" 1
expect_eq "a vanished pid: one line" "$(wc -l <"$WORK/err")" 1
check "a vanished pid: says so" grep -q "pid $gone: No such process" "$WORK/err"
"$NSCTL" enter -n=/etc/hostname "$T" -- true 2>"$WORK/err"
expect_eq "a file that is no namespace: exit 1" "$?" 1
check "a file that is no namespace: named" grep -qx "nsctl: enter $T: /etc/hostname: not a net namespace" "$WORK/err"
"$NSCTL" enter --host-root -m "$T" -- true 2>/dev/null
expect_eq "--host-root with -m: usage error" "$?" 2
"$NSCTL" enter 2>/dev/null
expect_eq "no target: usage error" "$?" 2

# -n=FILE: a bind-mounted namespace, joined through the file path.
NETNS=nsctl-enter-$$
ip netns add "$NETNS" && on_exit "ip netns del $NETNS"
expect_eq "-n=FILE joins the namespace bound there" \
	"$("$NSCTL" enter -n=/run/netns/$NETNS -u "$T" -- sh -c 'readlink /proc/self/ns/net; hostname')" \
	"$(readlink /run/netns/$NETNS 2>/dev/null || echo "net:[$(stat -L -c %i /run/netns/$NETNS)]")
nsctl-ctr"
