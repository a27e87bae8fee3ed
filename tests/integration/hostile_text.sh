#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Text a hostile container chooses: a process, a cgroup and a container
# whose names hold escape sequences (retitle, recolour, clear), BEL, CR, tab,
# DEL, C1 controls raw and UTF-8 encoded, bytes that are not UTF-8 and
# bidirectional overrides, with a 1 MiB command line. No human output may
# carry any of it raw (textcheck, a checker written apart from nsctl), the
# escaped form must be shown, and JSON must carry the original bytes.
source "$(dirname "$0")/../lib/lib.sh"
require_root
export LANG=C.UTF-8 LC_ALL=C.UTF-8
CHECK=$BUILD/tests/textcheck
HOSTILE=$BUILD/tests/hostile
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
cg2=$(cgroup_mount "")
[ -n "$cg2" ] || { skip "$SUITE" "no cgroup2 mount"; exit 0; }
command -v python3 >/dev/null || { skip "$SUITE" "python3 is needed to compare JSON bytes"; exit 0; }

# safe DESC CMD...: stdout and stderr of CMD hold nothing a terminal would act on.
safe() {
	local desc=$1 why
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	if why=$("$CHECK" <"$tmp/out" 2>&1) && why=$("$CHECK" <"$tmp/err" 2>&1); then
		ok "$desc: nothing raw"
	else
		fail "$desc: nothing raw" "$why"
	fi
}
# shows DESC TEXT: the last safe command showed TEXT.
shows() {
	if grep -qF -- "$2" "$tmp/out" "$tmp/err"; then ok "$1"; else fail "$1" "missing: $2" "$(head -c 400 "$tmp/out" "$tmp/err")"; fi
}
# same_bytes DESC PYEXPR FILE: a JSON document's string (PYEXPR over d) equals FILE's bytes.
same_bytes() {
	if python3 - "$2" "$3" "$tmp/out" <<'EOF'; then ok "$1"; else fail "$1" "JSON does not carry the original bytes"; fi
import json, sys
expr, want_file, doc_file = sys.argv[1:]
d = json.loads(open(doc_file, 'rb').read().decode('utf-8', 'surrogateescape'))
got = eval(expr).encode('utf-8', 'surrogateescape')
sys.exit(0 if got == open(want_file, 'rb').read() else 1)
EOF
}

# ---- a process: its own uts namespace, so that it leads a namespace row
start_helper hpid _hout unshare -u "$HOSTILE" || { fail "hostile process starts"; exit 0; }
comm_esc='e\x1b]0;p\x07\x1b[1m\u202e'
arg_esc='ev\x1b]0;pwned\x07\x1b[31mred\x0d\x0a\x09del\x7f c1\x9b raw\u009b utf8 \xff\xfe\xc3 bidi\u202eevil\u2066iso end'
tr -d '\n' </proc/$hpid/comm >"$tmp/comm"
python3 -c 'import sys; sys.stdout.buffer.write(open(sys.argv[1], "rb").read().rstrip(b"\0").replace(b"\0", b" "))' \
	/proc/$hpid/cmdline >"$tmp/cmdline"
expect_eq "the command line is 1 MiB" "$(($(stat -c %s "$tmp/cmdline") > 1048576))" 1

safe "ls" "$NSCTL" ls -p "$hpid"
shows "ls shows the command line escaped" "$arg_esc"
safe "ls -r" "$NSCTL" ls -r -p "$hpid" -o NS,TYPE,COMMAND
shows "ls -r escapes spaces too" 'ev\x1b]0;pwned\x07\x1b[31mred\x0d\x0a\x09del\x7f\x20c1'
"$NSCTL" ls -J -p "$hpid" -t uts >"$tmp/out"
same_bytes "ls -J: the command line's bytes" 'd["namespaces"][0]["command"]' "$tmp/cmdline"

safe "inspect" "$NSCTL" inspect "$hpid"
shows "inspect shows comm escaped" "$comm_esc"
shows "inspect shows the command line escaped" "$arg_esc"
"$NSCTL" inspect -J "$hpid" >"$tmp/out"
same_bytes "inspect -J: comm's bytes" 'd["identity"]["comm"]' "$tmp/comm"
same_bytes "inspect -J: the command line's bytes" 'd["identity"]["cmdline"]' "$tmp/cmdline"

safe "top -b, namespaces view" "$NSCTL" top -b -n 1 -d 0.1 --no-bpf -v namespaces
shows "top -b shows comm escaped" "$comm_esc"

# ---- a cgroup named like an attack, with the process in it
cgname="nsctl-hostile-$$$(printf '\033]0;pw\a\033[2J\r\t\x7f\x9b\xc2\x9b\xe2\x80\xae\xff')"
cg_esc="nsctl-hostile-$$"'\x1b]0;pw\x07\x1b[2J\x0d\x09\x7f\x9b\u009b\u202e\xff'
mkdir "$cg2/$cgname" || fail "making a hostile cgroup"
on_exit "echo $hpid >$cg2/cgroup.procs; rmdir '$cg2/$cgname'"
echo "$hpid" >"$cg2/$cgname/cgroup.procs"
printf '/%s' "$cgname" >"$tmp/cgpath"

safe "cgroup tree" "$NSCTL" cgroup tree -d 1
shows "cgroup tree shows the name escaped" "$cg_esc"
safe "cgroup tree -r" "$NSCTL" cgroup tree -r "/$cgname"
"$NSCTL" cgroup tree -J "/$cgname" >"$tmp/out"
same_bytes "cgroup tree -J: the path's bytes" 'd["cgroups"][0]["path"]' "$tmp/cgpath"
safe "cgroup show" "$NSCTL" cgroup show "/$cgname"
shows "cgroup show names the cgroup escaped" "cgroup /$cg_esc"
safe "cgroup get" "$NSCTL" cgroup get "/$cgname" cgroup.events
safe "cgroup error line" "$NSCTL" cgroup get "/$cgname-nope" cgroup.events
shows "the error names the cgroup escaped" "/$cg_esc-nope"
safe "inspect, cgroup section" "$NSCTL" inspect "$hpid"
shows "inspect shows the cgroup escaped" "/$cg_esc"
safe "top -b, cgroups view" "$NSCTL" top -b -n 1 -d 0.1 --no-bpf -v cgroups --flat
shows "top -b shows the cgroup escaped" "/$cg_esc"

# ---- watch: an unshare by the process, then a mkdir of a hostile cgroup
"$NSCTL" watch -e ns -p "$hpid" -c 1 -d 10 >"$tmp/watch" 2>&1 &
wpid=$!
on_exit "kill $wpid 2>/dev/null"
sleep 1.5
kill -USR1 "$hpid"
wait $wpid
safe "watch, a call by the process" cat "$tmp/watch"
shows "watch shows comm escaped" "$comm_esc"
"$NSCTL" watch -e mkdir -c 1 -d 10 >"$tmp/watch" 2>&1 &
wpid=$!
sleep 1.5
mkdir "$cg2/$cgname-2" && rmdir "$cg2/$cgname-2"
wait $wpid
safe "watch, a hostile cgroup path" cat "$tmp/watch"
shows "watch shows the path escaped" "/$cg_esc-2"

# ---- a container whose runtime state names it like an attack
root=$tmp/state
id=f$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 63)
mkdir -p "$cg2/docker/$id" "$root/var/lib/docker/containers/$id"
on_exit "rmdir $cg2/docker/$id $cg2/docker 2>/dev/null"
start_target spid sleep unshare -u -i sleep 300 || fail "a process in its own namespaces"
echo $spid >"$cg2/docker/$id/cgroup.procs"
cat >"$root/var/lib/docker/containers/$id/config.v2.json" <<EOF
{"Name":"/web\u001b]0;x\u0007\u202eevil\u0085\u001b[2J","Config":{"Image":"img\u001b[31m:1"}}
EOF
printf 'web\033]0;x\a\xe2\x80\xaeevil\xc2\x85\033[2J' >"$tmp/name"
name_esc='web\x1b]0;x\x07\u202eevil\u0085\x1b[2J'
safe "inspect, container" "$NSCTL" inspect --root "$root" "$spid"
shows "inspect shows the container name escaped" "$name_esc"
shows "inspect shows the image escaped" 'img\x1b[31m:1'
"$NSCTL" inspect --root "$root" -J "$spid" >"$tmp/out"
same_bytes "inspect -J: the container name's bytes" 'd["container"]["name"]' "$tmp/name"
safe "ls, container" "$NSCTL" ls --root "$root" -o NS,TYPE,CONTAINER -t uts -p "$spid"
shows "ls shows docker:NAME escaped" "docker:$name_esc"
"$NSCTL" ls --root "$root" -J -o NS,CONTAINER -t uts -p "$spid" >"$tmp/out"
same_bytes "ls -J: the container object's name" 'd["namespaces"][0]["container"]["name"]' "$tmp/name"
safe "top -b, containers view" "$NSCTL" top --root "$root" -b -n 1 -d 0.1 --no-bpf
shows "top -b shows the container name escaped" "$name_esc"
safe "an error naming what was typed" "$NSCTL" inspect "$(printf 'no\033[2Jsuch\xe2\x80\xae')"
shows "...escaped" 'no\x1b[2Jsuch\u202e'
id2=${id:0:12}$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 52)
mkdir -p "$cg2/docker/$id2" "$root/var/lib/docker/containers/$id2"
on_exit "rmdir $cg2/docker/$id2"
start_target spid2 sleep sleep 300 || fail "a second process"
echo $spid2 >"$cg2/docker/$id2/cgroup.procs"
echo '{"Name":"/two\u001b[5m"}' >"$root/var/lib/docker/containers/$id2/config.v2.json"
safe "an ambiguous prefix lists hostile names" "$NSCTL" inspect --root "$root" "${id:0:12}"
shows "...escaped" 'two\x1b[5m'

# ---- the screen, in a real terminal: the title must stay ours
if command -v tmux >/dev/null; then
	export TMUX_TMPDIR=$tmp/tmux
	mkdir -p "$TMUX_TMPDIR"
	on_exit "tmux kill-server 2>/dev/null"
	# capture_until TEXT: the screen, once it shows TEXT (10 s at most)
	capture_until() {
		local i
		for ((i = 0; i < 100; i++)); do
			tmux capture-pane -p -t hostile >"$tmp/screen"
			grep -qF -- "$1" "$tmp/screen" && return
			sleep 0.1
		done
	}
	tmux new-session -d -s hostile -x 200 -y 50 "LANG=C.UTF-8 $NSCTL top --root $root -v namespaces -d 0.5 --no-bpf"
	tmux select-pane -t hostile -T keep
	# COMMAND is 15 columns wide on the screen: the escaped comm is cut there, never raw.
	capture_until 'e\x1b]0;p\x07'
	safe "top screen" cat "$tmp/screen"
	shows "top screen shows comm escaped" 'e\x1b]0;p\x07'
	expect_eq "top screen: the pane title is still ours" "$(tmux display -p -t hostile '#{pane_title}')" keep
	tmux send-keys -t hostile c
	capture_until 'web\x1b]0;x'
	safe "top screen, containers view" cat "$tmp/screen"
	shows "top screen shows the container name escaped" 'web\x1b]0;x'
	expect_eq "top screen: ...and the title is still ours" "$(tmux display -p -t hostile '#{pane_title}')" keep
	tmux send-keys -t hostile q
else
	skip "top screen" "tmux is not installed"
fi
