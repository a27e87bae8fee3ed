#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl ls against real namespaces of every type: the JSON must agree with
# /proc/PID/ns/* for every process the fixture created, on both backends.
source "$(dirname "$0")/../lib/lib.sh"
require_root

start_fixture FX --groups 3 --per-group 4 --flags mnt,net,uts,ipc,pid,user,cgroup,time || {
	fail "fixture with every namespace type"
	exit 1
}
pids=$(fixture_pids "$FX")

for backend in proc bpf; do
	json=$("$NSCTL" ls -J --backend=$backend -o NS,TYPE,NPROCS,PID,NSID 2>/dev/null)
	declare -A listed=()
	while read -r ns rest; do listed[$ns]=$rest; done < <(jq -r '.namespaces[] | "\(.ns) \(.type) \(.nprocs) \(.pid)"' <<<"$json")
	bad=0 checked=0
	# Count the members of each namespace from /proc. The fixture's namespaces are
	# fresh, so only its own processes can be in them.
	declare -A members=() lowest=()
	for pid in $pids; do
		for t in mnt net pid uts ipc user cgroup time; do
			ino=$(ns_ino "$pid" $t) || continue
			[ -n "$ino" ] || continue
			members[$ino]=$((${members[$ino]:-0} + 1))
			if [ -z "${lowest[$ino]:-}" ] || [ "$pid" -lt "${lowest[$ino]}" ]; then lowest[$ino]=$pid; fi
		done
	done
	for pid in $pids; do
		for t in mnt net pid uts ipc user cgroup time; do
			ino=$(ns_ino "$pid" $t) || continue
			# Host namespaces gain and lose members (this script's own commands) while we count.
			[ "$ino" == "$(ns_ino $$ $t)" ] && continue
			got=${listed[$ino]:-missing}
			want="$t ${members[$ino]} ${lowest[$ino]}"
			checked=$((checked + 1))
			if [ "$got" != "$want" ]; then
				bad=$((bad + 1))
				[ $bad -le 3 ] && echo "#   $backend pid $pid $t:[$ino]: got '$got', /proc says '$want'"
			fi
		done
	done
	if [ $bad -eq 0 ] && [ $checked -gt 0 ]; then
		ok "$backend: type, nprocs and lowest pid match /proc for $checked fixture links"
	else
		fail "$backend: ls agrees with /proc/PID/ns" "$bad of $checked links differ"
	fi
	unset members lowest listed
	types=$(jq -r '[.namespaces[].type] | unique | join(",")' <<<"$json")
	expect_eq "$backend: all 8 namespace types are listed" "$types" "cgroup,ipc,mnt,net,pid,time,user,uts"
	ids=$(jq '[.namespaces[].nsid] | map(select(. != null)) | length' <<<"$json")
	uniq=$(jq '[.namespaces[].nsid] | map(select(. != null)) | unique | length' <<<"$json")
	total=$(jq '.namespaces | length' <<<"$json")
	expect_eq "$backend: every namespace has a distinct 64-bit id" "$ids $uniq" "$total $total"
done

# Namespaces of other processes come and go between the two scans: those
# both saw must have the same id, and both must have seen most of them.
same_ids() {
	local a b
	a=$("$NSCTL" ls -J --backend=proc -o NS,NSID 2>/dev/null | jq -c '.namespaces')
	b=$("$NSCTL" ls -J --backend=bpf -o NS,NSID 2>/dev/null | jq -c '.namespaces')
	jq -n -r --argjson a "$a" --argjson b "$b" '
		($a | map({key: (.ns | tostring), value: .nsid}) | from_entries) as $p |
		[$b[] | select($p[.ns | tostring] != null)] as $both |
		"\([$both[] | select($p[.ns | tostring] != .nsid)] | length) differ, \($both | length) in both, proc \($a | length), bpf \($b | length)" +
		(if ($both | length) * 2 > ($a | length) and ($both | length) * 2 > ($b | length) then "" else " (too few in both)" end)'
}
for ((i = 0; i < 3; i++)); do
	got=$(same_ids)
	case $got in "0 differ, "*[0-9]) break ;; esac
done
case $got in
"0 differ, "*[0-9]) ok "bpf and proc backends report the same 64-bit ids ($got)" ;;
*) fail "bpf and proc backends report the same 64-bit ids" "$got" ;;
esac

# The 64-bit id must be the kernel's: compare with the nsfs file handle of one link.
pid=$(echo $pids | awk '{print $NF}')
ino=$(ns_ino "$pid" net)
t=$("$NSCTL" ls -n -r -o TYPE,NPROCS -t net "$ino")
expect_eq "ls NAMESPACE shows just that one (4 members and their leader)" "$t" "net 5"
got=$("$NSCTL" ls -n -r -o NS -p "$pid" | sort | tr '\n' ' ')
want=$(for t in mnt net pid uts ipc user cgroup time; do ns_ino "$pid" $t; done | sort -u | tr '\n' ' ')
expect_eq "-p PID lists exactly that process's namespaces" "$got" "$want"
got=$("$NSCTL" ls -n -r -o TYPE -t net -t uts | sort -u | tr '\n' ' ')
expect_eq "-t filters by type (repeatable)" "$got" "net uts "

# A pid namespace made by unshare(2) but with no member yet exists only as pid_for_children.
leader=$(echo $pids | awk '{print $2}')
pfc=$(stat -L -c %i /proc/$leader/ns/pid_for_children)
own=$(ns_ino "$leader" pid)
if [ "$pfc" != "$own" ]; then
	n=$("$NSCTL" ls -n -r -o NS,NPROCS | awk -v i="$pfc" '$1 == i {print $2}')
	expect_eq "the fixture's new pid ns has its members counted" "$n" "4"
fi
