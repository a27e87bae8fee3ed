#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl inspect on processes with a known security context: dropped
# capabilities, no_new_privs, securebits, seccomp filters, a user namespace
# with a map; namespaces and identity against /proc; errors.
source "$(dirname "$0")/../lib/lib.sh"
require_root

# spawn VAR CMD...: run CMD in the background, wait until it has exec'd sleep.
spawn() {
	local _var=$1 _pid _i
	shift
	"$@" &
	_pid=$!
	on_exit "kill $_pid; wait $_pid"
	for ((_i = 0; _i < 100; _i++)); do
		[ "$(cat /proc/$_pid/comm 2>/dev/null)" = sleep ] && break
		sleep 0.02
	done
	printf -v "$_var" '%s' "$_pid"
}

status_hex() { awk -v k="$2:" '$1 == k {print "0x" $2}' "/proc/$1/status"; }

# --- capabilities, no_new_privs, securebits
docker_caps=+chown,+dac_override,+fsetid,+fowner,+mknod,+net_raw,+setgid,+setuid,+setfcap,+setpcap,+net_bind_service,+sys_chroot,+kill,+audit_write
spawn pid setpriv --inh-caps=-all --bounding-set=-all,$docker_caps,+sys_admin --no-new-privs sleep 60
json=$("$NSCTL" inspect --json "$pid")
expect_eq "effective mask equals CapEff" "$(jq -r .security.capabilities.effective.mask <<<"$json")" "$(status_hex "$pid" CapEff)"
for set in permitted:CapPrm bounding:CapBnd inheritable:CapInh ambient:CapAmb; do
	key=${set#*:} set=${set%:*}
	expect_eq "$set mask equals $key" "$(jq -r ".security.capabilities.$set.mask" <<<"$json")" "$(status_hex "$pid" $key)"
done
expect_eq "profile comparison names the extra capability" \
	"$(jq -r .security.capabilities.effective.profile <<<"$json")" "docker default + SYS_ADMIN"
expect_eq "capability names come from libcap" \
	"$(jq -r '.security.capabilities.bounding.names | length' <<<"$json")" 15
expect_eq "no_new_privs in JSON" "$(jq -r .security.no_new_privs <<<"$json")" true
text=$("$NSCTL" inspect "$pid")
grep -Eq '^  effective +docker default \+ SYS_ADMIN$' <<<"$text" && ok "table shows the profile" ||
	fail "table shows the profile" "$text"
grep -Eq '^  no_new_privs +yes$' <<<"$text" && ok "table shows no_new_privs" || fail "table shows no_new_privs" "$text"

spawn pid2 setpriv --securebits=+noroot,+keep_caps_locked --inh-caps=-all sleep 60
bits=$("$NSCTL" inspect --json "$pid2" | jq -r '"\(.security.securebits) \(.security.securebits_names)"')
if [ "$bits" = "null null" ]; then
	skip "securebits of another process" "eBPF task iterator not available"
else
	expect_eq "securebits read through eBPF (noroot|keep_caps_locked)" "$bits" "33 noroot,keep_caps_locked"
fi

got=$("$NSCTL" inspect --caps-decode 0xa80425fb)
expect_eq "--caps-decode like capsh --decode" "$(head -1 <<<"$got")" "$(capsh --decode=0xa80425fb)"
expect_eq "--caps-decode names the profile" "$(tail -1 <<<"$got")" "profile: docker default"
expect_eq "--caps-decode takes names, and caps libcap does not know" \
	"$("$NSCTL" inspect --caps-decode SYS_ADMIN,cap_chown,cap_45 --json | jq -c .names)" '["cap_chown","cap_sys_admin","cap_45"]'
"$NSCTL" inspect --caps-decode 0xzz >/dev/null 2>&1
expect_eq "--caps-decode rejects a bad mask (exit 2)" $? 2

# --- seccomp
if start_secfixture sec --seccomp 2; then
	json=$("$NSCTL" inspect --json "$sec")
	expect_eq "seccomp mode, filter count and profile (two filters that allow everything)" \
		"$(jq -c .security.seccomp <<<"$json")" '{"mode":"filter","filters":2,"profile":"allow-all","error":null}'
	"$NSCTL" inspect "$sec" | grep -Eq '^  seccomp +filter \(2 filters\): allow-all$' && ok "table shows seccomp" ||
		fail "table shows seccomp"
else
	fail "secfixture --seccomp 2 started"
fi

# --- user namespace with a map
if start_secfixture uns --userns 300000; then
	json=$("$NSCTL" inspect --json "$uns")
	expect_eq "uid_map" "$(jq -c .security.user_namespace.uid_map <<<"$json")" \
		'[{"inside":0,"outside":300000,"count":65536}]'
	expect_eq "root inside its user namespace only" \
		"$(jq -c '[.security.user_namespace.own, .security.user_namespace.euid_inside, .security.user_namespace.root_inside_only, .security.user_namespace.setgroups]' <<<"$json")" \
		'[true,0,true,"deny"]'
	expect_eq "host view of its euid" "$(jq .security.uid.effective <<<"$json")" 300000
	expect_eq "user ns differs from the host's, the others are shared" \
		"$(jq -c '[.namespaces[] | .shared_with_host]' <<<"$json")" '[true,true,true,true,true,false,true,true]'
	expect_eq "user ns inode" "$(jq .namespaces.user.ino <<<"$json")" "$(ns_ino "$uns" user)"
else
	fail "secfixture --userns started"
fi

# --- namespaces and identity
spawn nsp unshare --net --uts --pid --fork --mount-proc sleep 60
child=
for ((i = 0; i < 100; i++)); do
	read -r child _ < <(cat /proc/"$nsp"/task/*/children 2>/dev/null)
	[ -n "$child" ] && [ "$(cat /proc/"$child"/comm 2>/dev/null)" = sleep ] && break
	sleep 0.02
done
json=$("$NSCTL" inspect --json "$child")
for t in net uts pid mnt; do
	expect_eq "$t inode matches /proc" "$(jq ".namespaces.$t.ino" <<<"$json")" "$(ns_ino "$child" $t)"
done
expect_eq "net: neither host's nor parent's... parent shares it" \
	"$(jq -c '[.namespaces.net.shared_with_host, .namespaces.net.shared_with_parent]' <<<"$json")" '[false,true]'
expect_eq "ipc shared with the host" "$(jq .namespaces.ipc.shared_with_host <<<"$json")" true
expect_eq "NSpid chain: host pid, then 1" "$(jq -c .identity.nspid <<<"$json")" "[$child,1]"
expect_eq "ppid and comm" "$(jq -c '[.identity.ppid, .identity.comm, .identity.cmdline]' <<<"$json")" \
	"[$nsp,\"sleep\",\"sleep 60\"]"
expect_eq "cgroup v2 path matches /proc" "$(jq -r .cgroup.path <<<"$json")" \
	"$(awk -F: '$1 == 0 {print $3}' /proc/"$child"/cgroup)"
expect_eq "every cgroup line is listed" "$(jq '.cgroup.hierarchies | length' <<<"$json")" \
	"$(wc -l </proc/"$child"/cgroup)"

# --- errors
sleep 0.1 &
gone=$!
wait $gone
out=$("$NSCTL" inspect "$gone" 2>&1)
rc=$?
expect_eq "a missing pid: exit 1" $rc 1
expect_eq "a missing pid: one line naming it" "$out" "nsctl: inspect: pid $gone: No such process"
"$NSCTL" inspect >/dev/null 2>&1
expect_eq "no target: exit 2" $? 2
"$NSCTL" inspect 1 2 >/dev/null 2>&1
expect_eq "two targets: exit 2" $? 2
"$NSCTL" inspect pid:abc >/dev/null 2>&1
expect_eq "pid:abc: exit 2" $? 2

# Unprivileged, the namespace links of a root process are unreadable: partial output.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	"$NSCTL" inspect --json "$pid" 2>/dev/null)
rc=$?
expect_eq "unreadable parts: exit 0" $rc 0
expect_eq "unreadable parts are marked partial" "$(jq -r '.partial.namespaces' <<<"$out")" "mnt: Permission denied"
expect_eq "readable parts are still there" "$(jq -r '.identity.comm' <<<"$out")" sleep
