#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl inspect --seccomp against filters whose rules the test wrote with
# libseccomp (tests/helpers/seccompfixture.c): every action, two stacked
# filters combined as the kernel does, an argument-dependent rule, a thread
# with a filter of its own. Both readers (eBPF and ptrace) must agree, and
# the target must never be left stopped, even when nsctl dies mid-read.
source "$(dirname "$0")/../lib/lib.sh"
require_root
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
N() { "$NSCTL" "$@"; }

"$BUILD/tests/seccompfixture" >"$tmp/ids" &
fx=$!
on_exit "kill -KILL $fx 2>/dev/null; wait $fx 2>/dev/null"
for ((i = 0; i < 100; i++)); do [ -s "$tmp/ids" ] && break; sleep 0.05; done
read -r pid tid <"$tmp/ids"
[ -n "$tid" ] || { fail "the fixture starts" "$(cat "$tmp/ids")"; exit 0; }

# verdict JSON CHAIN ABI NAME: "action errno depends" of one syscall.
verdict() {
	jq -r --argjson c "$2" --arg abi "$3" --arg n "$4" \
		'.chains[$c].syscalls[] | select(.abi == $abi and .name == $n) |
		 "\(.action) \(.errno) \(.depends_on_arguments)"' "$1"
}

bpf_ok=1
if ! N inspect --seccomp --seccomp-source bpf -J "$pid" >"$tmp/bpf.json" 2>"$tmp/err"; then
	bpf_ok=0
	skip "the eBPF reader" "$(head -1 "$tmp/err")"
fi
N inspect --seccomp --seccomp-source ptrace -J "$pid" >"$tmp/ptrace.json" 2>"$tmp/err" ||
	fail "the ptrace reader" "$(cat "$tmp/err")"

for src in bpf ptrace; do
	j=$tmp/$src.json
	[ "$src" = bpf ] && [ $bpf_ok = 0 ] && continue
	expect_eq "$src: source" "$(jq -r .source "$j")" "$src"
	expect_eq "$src: three filters, two chains" "$(jq -c '[(.filters | length), (.chains | length)]' "$j")" "[3,2]"
	expect_eq "$src: the leader's chain is filters 0 and 1, the thread's adds 2" \
		"$(jq -c '[.chains[] | {tids, filters}]' "$j")" \
		"[{\"tids\":[$pid],\"filters\":[0,1]},{\"tids\":[$tid],\"filters\":[0,1,2]}]"
	expect_eq "$src: mkdir errno(EACCES) (the older filter's lower action beats the newer allow)" \
		"$(verdict "$j" 0 x86_64 mkdir)" "errno 13 false"
	expect_eq "$src: chroot errno(ENOSYS) (equal actions: the newest filter's errno)" \
		"$(verdict "$j" 0 x86_64 chroot)" "errno 38 false"
	expect_eq "$src: getppid log" "$(verdict "$j" 0 x86_64 getppid)" "log null false"
	expect_eq "$src: acct kill_process" "$(verdict "$j" 0 x86_64 acct)" "kill_process null false"
	expect_eq "$src: sethostname trap" "$(verdict "$j" 0 x86_64 sethostname)" "trap null false"
	expect_eq "$src: syslog user_notif" "$(verdict "$j" 0 x86_64 syslog)" "user_notif null false"
	expect_eq "$src: personality depends on its argument (errno or allow)" \
		"$(verdict "$j" 0 x86_64 personality) $(jq -c '.chains[0].syscalls[] | select(.abi == "x86_64" and .name == "personality") | .possible' "$j")" \
		'errno 22 true ["errno","allow"]'
	expect_eq "$src: read allowed" "$(verdict "$j" 0 x86_64 read)" "allow null false"
	expect_eq "$src: getcwd allowed in the leader, errno(ENOENT) in the thread" \
		"$(verdict "$j" 0 x86_64 getcwd) / $(verdict "$j" 1 x86_64 getcwd)" "allow null false / errno 2 false"
	expect_eq "$src: i386 and x32 meet the filters' bad-arch action (kill_thread)" \
		"$(jq -r '[.chains[0].unknown_numbers.i386.action, .chains[0].x32.action, .chains[0].x32_uniform] | join(" ")' "$j") $(verdict "$j" 0 i386 read)" \
		"kill_thread kill_thread true kill_thread null false"
	expect_eq "$src: the profile" "$(jq -r '.chains[0].profile' "$j")" "custom: 5 syscalls denied, some depend on arguments"
done
if [ $bpf_ok = 1 ]; then
	expect_eq "bpf and ptrace give the same tables" \
		"$(jq -c '[.chains[].syscalls]' "$tmp/bpf.json" | md5sum)" "$(jq -c '[.chains[].syscalls]' "$tmp/ptrace.json" | md5sum)"
	expect_eq "bpf: the user-notification listener is seen on filter 0 only" \
		"$(jq -c '[.filters[].listener]' "$tmp/bpf.json")" "[true,false,false]"
	expect_eq "bpf: nothing was stopped" "$(jq .longest_stop_usec "$tmp/bpf.json")" null
fi
stop=$(jq .longest_stop_usec "$tmp/ptrace.json")
[ "$stop" -ge 0 ] 2>/dev/null && [ "$stop" -lt 100000 ] && ok "ptrace: each thread stopped ${stop} us" ||
	fail "ptrace: the longest stop is stated and short" "$stop"

# The text view and the inspect section.
N inspect --seccomp "$pid" >"$tmp/text" || fail "inspect --seccomp (text)"
grep -Eq '^x86_64 +83 mkdir +errno\(13\)' "$tmp/text" && grep -Eq '^i386 +\* \(every syscall\) +kill_thread' "$tmp/text" &&
	ok "text: the table, and one line for an ABI of one verdict" || fail "text: the table" "$(head -20 "$tmp/text")"
expect_eq "inspect: the security section names the profile" \
	"$(N inspect -J "$pid" | jq -r .security.seccomp.profile)" "custom: 5 syscalls denied, some depend on arguments"
expect_eq "inspect of an unfiltered process: profile none" "$(N inspect -J $$ | jq -r .security.seccomp.profile)" none

# Never left stopped: many reads, and nsctl killed at random points of them.
state() { awk '/^State:/ {print $2}' "/proc/$1/status"; }
for ((i = 0; i < 40; i++)); do
	N inspect --seccomp --seccomp-source ptrace -J "$pid" >/dev/null 2>&1 &
	k=$!
	sleep "0.00$((RANDOM % 10))"
	kill -KILL $k 2>/dev/null
	wait $k 2>/dev/null
done
sleep 0.1
expect_eq "after 40 ptrace reads killed mid-way, neither thread is stopped" "$(state "$pid") $(state "$tid")" "S S"
kill -0 "$fx" && ok "...and the target runs on" || fail "...and the target runs on"

# A caller under a filter of its own cannot use ptrace's reader: it says so.
"$BUILD/tests/seccompfixture" --exec "$NSCTL" inspect --seccomp --seccomp-source ptrace "$pid" >/dev/null 2>"$tmp/err"
rc=$?
expect_eq "nsctl under a seccomp filter: exit 1" "$rc" 1
grep -q "nsctl itself runs under a seccomp filter" "$tmp/err" && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	ok "...with one line saying why" || fail "...with one line saying why" "$(cat "$tmp/err")"
N inspect --seccomp --seccomp-source nope "$pid" >/dev/null 2>&1
expect_eq "a bad --seccomp-source: exit 2" "$?" 2
