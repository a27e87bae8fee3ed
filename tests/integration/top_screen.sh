#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The nsctl top screen in a real terminal (tmux): rows, sort, filter,
# inspect, the enter command, resize, and quit or a signal restoring the
# terminal.
source "$(dirname "$0")/../lib/lib.sh"
require_root
command -v tmux >/dev/null || { skip "$SUITE" "tmux is not installed"; exit 0; }
export TMUX_TMPDIR=$(mktemp -d)
S=nsctl-top-$$
on_exit "tmux kill-server 2>/dev/null; rm -rf $TMUX_TMPDIR"
A=/nsctl-scr-$$-a
B=/nsctl-scr-$$-b
on_exit "remove_cgroup $A; remove_cgroup $B"
"$NSCTL" cgroup create -c memory "$A" >/dev/null && "$NSCTL" cgroup create -c memory "$B" >/dev/null ||
	fail "creating cgroups"
sleep 60 &
sa=$!
sleep 60 &
sb=$!
on_exit "kill $sa $sb 2>/dev/null"
"$NSCTL" cgroup move $sa "$A" >/dev/null && "$NSCTL" cgroup move $sb "$B" >/dev/null
# 32M of tmpfs pages charged to A: A uses more memory than B.
shm=$(mktemp -p /dev/shm)
on_exit "rm -f $shm"
"$NSCTL" cgroup move $$ "$A" >/dev/null && dd if=/dev/zero of="$shm" bs=1M count=32 status=none
"$NSCTL" cgroup move $$ / >/dev/null

screen() { tmux capture-pane -p -t "$S"; }
# until PATTERN is on the screen (10 s at most)
wait_screen() {
	local i
	for ((i = 0; i < 100; i++)); do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
keys() { tmux send-keys -t "$S" "$@"; sleep 0.6; }

tmux new-session -d -s "$S" -x 140 -y 30 \
	"bash -c '\"$NSCTL\" top -d 0.3 -v cgroups -f nsctl-scr-$$-; echo EXIT=\$?; stty -a | grep -o -- \"-\\?icanon\"; sleep 30'"
wait_screen "nsctl-scr-$$-b" && ok "the screen shows the cgroups" || fail "the screen shows the cgroups" "$(screen)"
expect_eq "title row" "$(screen | grep -c '^NAME  *PROCS  *CPU%')" 1
expect_eq "footer names the keys" "$(screen | tail -1 | grep -c 'q quit')" 1

keys t
keys M
order=$(screen | grep -o "nsctl-scr-$$-[ab]" | tr '\n' ' ')
expect_eq "flat, sorted by MEM: A (32M) before B" "$order" "nsctl-scr-$$-a nsctl-scr-$$-b "
keys r
order=$(screen | grep -o "nsctl-scr-$$-[ab]" | tr '\n' ' ')
expect_eq "reversed: B before A" "$order" "nsctl-scr-$$-b nsctl-scr-$$-a "

keys / "scr-$$-a" Enter
expect_eq "filter: only A is left" "$(screen | grep -o "nsctl-scr-$$-[ab]" | tr '\n' ' ')" "nsctl-scr-$$-a "
expect_eq "filter is shown" "$(screen | grep -c "filter: scr-$$-a")" 1
keys e
expect_eq "e shows the enter command for the row" "$(screen | grep -c "nsctl enter $sa")" 1
keys Enter
wait_screen "nsctl inspect $sa" && ok "Enter inspects the row" || fail "Enter inspects the row" "$(screen)"
screen | grep -q "sleep" && ok "the report is the process's" || fail "the report is the process's" "$(screen)"
keys q
wait_screen "q quit" && ok "q in the report goes back" || fail "q in the report goes back" "$(screen)"
keys Escape
# Without a filter the host's own cgroups may push B below the last line.
expect_eq "Esc clears the filter" "$(screen | grep -c "filter:") $(screen | grep -c "nsctl-scr-$$-a")" "0 1"

tmux resize-window -t "$S" -x 70 -y 15
sleep 1
expect_eq "resize: the footer moves to the new last line" "$(screen | sed -n 15p | grep -c 'q quit')" 1
expect_eq "resize: no line is wider than the terminal" "$(screen | awk 'length > 70' | wc -l)" 0

keys n
wait_screen "namespaces view" && ok "n switches to namespaces" || fail "n switches to namespaces" "$(screen)"
keys q
wait_screen "EXIT=0" && ok "q quits with 0" || fail "q quits with 0" "$(screen)"
expect_eq "the terminal is restored (canonical mode)" "$(screen | grep -c '^icanon')" 1
expect_eq "the enter command is printed on exit" "$(screen | grep -c "^nsctl enter $sa")" 1
tmux kill-session -t "$S"

NO_COLOR=1 tmux new-session -d -s "$S" -x 120 -y 30 \
	"bash -c '\"$NSCTL\" top -d 0.3; echo EXIT=\$?; stty -a | grep -o -- \"-\\?icanon\"; sleep 30'"
wait_screen "containers view" || fail "second screen starts" "$(screen)"
pkill -TERM -f -- "$NSCTL top -d 0.3\$"
wait_screen "EXIT=0" && ok "SIGTERM: clean exit" || fail "SIGTERM: clean exit" "$(screen)"
expect_eq "SIGTERM: the terminal is restored" "$(screen | grep -c '^icanon')" 1
