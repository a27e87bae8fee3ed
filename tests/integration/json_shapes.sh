#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every command's JSON keeps its shape: the key paths and their types are
# pinned in tests/golden/*.shape (a null matches any type, since what is
# unknown differs between hosts). A renamed or retyped key fails here; when
# a change is meant, run with UPDATE=1 and list it in the README's changelog.
source "$(dirname "$0")/../lib/lib.sh"
require_root
GOLDEN=$TESTS_DIR/golden
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
cg2=$(cgroup_mount "")
[ -n "$cg2" ] || { skip "$SUITE" "no cgroup2 mount"; exit 0; }

# shape < JSON: "path type" per leaf (array indices as []), one type per path (any non-null wins).
shape() {
	jq -r 'paths(type != "object" and type != "array" or length == 0) as $p |
		($p | map(if type == "number" then "[]" else tostring end) | join(".")) + " " + (getpath($p) | type)' |
		awk '{ if (!($1 in t) || t[$1] == "null") t[$1] = $2 }
			END {
				# A null where other rows have an object (a container, say) is that object, absent.
				for (k in t) if (t[k] == "null") for (j in t) if (index(j, k ".") == 1) { delete t[k]; break }
				for (k in t) print k, t[k]
			}' | sort
}

# pinned NAME CMD...: the shape of CMD's JSON (every line of NDJSON) against tests/golden/NAME.shape.
pinned() {
	local name=$1 got=$tmp/$1.shape want=$GOLDEN/$1.shape diff
	shift
	"$@" 2>/dev/null | shape >"$got"
	if [ -n "${UPDATE:-}" ]; then
		cp "$got" "$want"
		ok "$name: golden updated"
		return
	fi
	if [ ! -s "$got" ]; then
		fail "$name: JSON shape" "no JSON from: $*"
		return
	fi
	diff=$(awk 'NR == FNR { want[$1] = $2; next }
		{ have[$1] = $2 }
		END {
			for (k in want) if (!(k in have)) print "missing: " k
			for (k in have) if (!(k in want)) print "new: " k
			for (k in have) if ((k in want) && have[k] != want[k] && have[k] != "null" && want[k] != "null")
				print "type of " k ": " have[k] " (pinned " want[k] ")"
		}' "$want" "$got" | sort)
	if [ -z "$diff" ]; then ok "$name: JSON shape"; else fail "$name: JSON shape" "$diff"; fi
}

# ---- a container-like process with state, its own namespaces and a cgroup with limits
id=f$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 63)
root=$tmp/state
mkdir -p "$root/var/lib/docker/containers/$id"
echo '{"Name":"/shape","Config":{"Image":"busybox:1"}}' >"$root/var/lib/docker/containers/$id/config.v2.json"
CG=/docker/$id
on_exit "remove_cgroup $CG; rmdir /sys/fs/cgroup/*/docker 2>/dev/null"
"$NSCTL" cgroup create -c memory,pids "$CG" memory.max=64M pids.max=20 >/dev/null || fail "making $CG"
start_target tpid sleep unshare -u -i -n sleep 300 || { fail "a target"; exit 0; }
"$NSCTL" cgroup move "$tpid" "$CG" >/dev/null

pinned ls "$NSCTL" ls --root "$root" -J --output-all -p "$tpid"
pinned ls_tree "$NSCTL" ls -J -T -t uts
pinned inspect "$NSCTL" inspect --root "$root" -J "$tpid"
pinned inspect_mounts "$NSCTL" inspect --mounts -J "$tpid"
pinned inspect_seccomp "$NSCTL" inspect --seccomp -J "$tpid"
pinned caps_decode "$NSCTL" inspect -J --caps-decode 00000000a80425fb
pinned cgroup_tree "$NSCTL" cgroup tree --root "$root" -J -o +HIERARCHIES "$CG"
pinned cgroup_show "$NSCTL" cgroup show -J "$CG"
pinned cgroup_get "$NSCTL" cgroup get -J "$CG" memory.max pids.current memory.events cpu.pressure
pinned cgroup_set "$NSCTL" cgroup set -N -J "$CG" memory.max=32M pids.max=10
start_target spid python3 python3 -c 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); time.sleep(300)' ||
	fail "a listener"
for ((i = 0; i < 50; i++)); do ss -Htlp | grep -q "pid=$spid," && break; sleep 0.1; done
pinned sockets_ifaces "$NSCTL" sockets --interfaces --output-all -J
pinned sockets "$NSCTL" sockets -J --output-all -t -l "$spid"
pinned top_containers "$NSCTL" top --root "$root" -b -J -n 1 -d 0.3 -f shape
pinned top_cgroups "$NSCTL" top --root "$root" -b -J -n 1 -d 0.3 -v cgroups -f "$id"
pinned top_namespaces "$NSCTL" top --root "$root" -b -J -n 1 -d 0.3 -v namespaces -f shape
"$NSCTL" watch --root "$root" -J -s -e unshare -c 1 -d 5 >"$tmp/watch" 2>/dev/null &
wns=$!
"$NSCTL" watch --root "$root" -J -e mkdir -c 1 -d 5 >"$tmp/watch_cg" 2>/dev/null &
wcg=$!
on_exit "kill $wns $wcg 2>/dev/null"
sleep 1.5
unshare -u true
mkdir "$cg2$CG/shape" && rmdir "$cg2$CG/shape"
wait $wns $wcg
pinned watch_unshare cat "$tmp/watch"
pinned watch_cgroup cat "$tmp/watch_cg"
R=$tmp/rootfs
make_rootfs "$R"
"$NSCTL" run -r "$R" --json-status-fd 3 -- sleep 0.5 3>"$tmp/status" >/dev/null
pinned run_status cat "$tmp/status"
