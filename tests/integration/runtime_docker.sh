#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl against a real dockerd (its own, started here) with the runtime as
# the oracle: what docker inspect, docker top, docker exec and docker stats
# say of containers started with known settings, nsctl must say too, and
# name the containers as docker does in every view.
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
docker_start || exit 0
N() { "$NSCTL" "$@"; }
dq() { $DOCKER inspect -f "$2" "$1"; }

$DOCKER run -d --name web --network none --memory 64m --pids-limit 50 --cpus 0.5 \
	--cap-drop ALL --cap-add NET_BIND_SERVICE --read-only --user 1000:1000 \
	--security-opt no-new-privileges --hostname webhost "$RT_IMAGE" sleep 600 >/dev/null ||
	{ fail "docker run web"; exit 0; }
$DOCKER run -d --name db --network none --hostname dbhost "$RT_IMAGE" sleep 600 >/dev/null || fail "docker run db"
$DOCKER run --name done --network none "$RT_IMAGE" true >/dev/null || fail "docker run done"
web=$(dq web '{{.State.Pid}}')
db=$(dq db '{{.State.Pid}}')

# ---- inspect against docker inspect
N inspect --root "$RT_ROOT" -J web >"$tmp/web.json"
expect_eq "inspect web: the pid is docker's State.Pid" "$(jq .identity.pid "$tmp/web.json")" "$web"
expect_eq "inspect web: the container object" \
	"$(jq -c '.container | [.runtime, .id, .name, .image]' "$tmp/web.json")" \
	"[\"docker\",\"$(dq web '{{.Id}}')\",\"web\",\"$(dq web '{{.Config.Image}}')\"]"
expect_eq "inspect web: memory.max is HostConfig.Memory" "$(jq .cgroup.memory.max_bytes "$tmp/web.json")" \
	"$(dq web '{{.HostConfig.Memory}}')"
expect_eq "inspect web: pids.max is HostConfig.PidsLimit" "$(jq .cgroup.pids.max "$tmp/web.json")" \
	"$(dq web '{{.HostConfig.PidsLimit}}')"
expect_eq "inspect web: cpu quota/period is HostConfig.NanoCpus" \
	"$(jq '.cgroup.cpu.quota_usec * 1000000000 / .cgroup.cpu.period_usec' "$tmp/web.json")" \
	"$(dq web '{{.HostConfig.NanoCpus}}')"
expect_eq "inspect web: bounding set is CapAdd after CapDrop ALL" \
	"$(jq -c .security.capabilities.bounding.names "$tmp/web.json")" \
	"[\"cap_$(dq web '{{index .HostConfig.CapAdd 0}}' | sed 's/^CAP_//' | tr A-Z a-z)\"]"
expect_eq "inspect web: uid and gid are Config.User" \
	"$(jq -r '"\(.security.uid.effective):\(.security.gid.effective)"' "$tmp/web.json")" "$(dq web '{{.Config.User}}')"
expect_eq "inspect web: no-new-privileges" "$(jq .security.no_new_privs "$tmp/web.json")" true
expect_eq "inspect by a short id finds the same" \
	"$(N inspect --root "$RT_ROOT" -J "$(dq web '{{.Id}}' | head -c 12)" | jq .identity.pid)" "$web"
expect_eq "inspect db: docker's default capabilities" \
	"$(N inspect --root "$RT_ROOT" -J db | jq -r .security.capabilities.effective.profile)" "docker default"

# ---- docker top and the cgroup's processes
$DOCKER exec -d web sleep 500
sleep 0.5
expect_eq "cgroup show: the processes docker top lists" \
	"$(N cgroup show --root "$RT_ROOT" --json web | jq -r '.pids[]' | sort -n | tr '\n' ' ')" \
	"$($DOCKER top web -o pid | tail -n +2 | sort -n | tr '\n' ' ')"

# ---- enter against docker exec
for cmd in hostname id "cat /proc/1/cmdline" "cat /etc/hostname"; do
	expect_eq "enter web -- $cmd is docker exec's" "$(N enter --root "$RT_ROOT" web -- $cmd | tr '\0' ' ')" \
		"$($DOCKER exec web $cmd | tr '\0' ' ')"
done
N enter --root "$RT_ROOT" web -- touch /written 2>/dev/null
expect_eq "enter web: the root is read-only (ReadonlyRootfs)" "$?:$(dq web '{{.HostConfig.ReadonlyRootfs}}')" "1:true"
expect_eq "enter db: its hostname" "$(N enter --root "$RT_ROOT" db -- hostname)" dbhost

# ---- a limit set by nsctl, read back by docker stats
N cgroup set --root "$RT_ROOT" db memory.max=48M >/dev/null
expect_eq "cgroup set db memory.max=48M shows in docker stats" \
	"$($DOCKER stats --no-stream --format '{{.MemUsage}}' db | sed 's|.* / ||')" "48MiB"
N cgroup set --root "$RT_ROOT" web pids.max=40 >/dev/null
expect_eq "cgroup set web pids.max=40 shows in the container's pids.max" \
	"$($DOCKER exec db true; cat "$(cgroup_mount pids)/docker/$(dq web '{{.Id}}')/pids.max")" 40

# ---- names in every view
for t in mnt uts ipc pid net; do
	ino=$(ns_ino "$web" $t)
	expect_eq "ls: web's $t namespace is docker:web" \
		"$(N ls --root "$RT_ROOT" -n -o CONTAINER -t "$t" "$ino" 2>/dev/null)" "docker:web"
done
expect_eq "ls -J: the container object" \
	"$(N ls --root "$RT_ROOT" -J -o NS,CONTAINER -t uts "$(ns_ino "$web" uts)" 2>/dev/null | jq -r '.namespaces[0].container.name')" web
row=$(N top --root "$RT_ROOT" -b -J -n 1 -d 0.3 | jq -c '.rows[] | select(.name == "web")')
expect_eq "top: web's row, named, with its image, id, processes and limits" \
	"$(jq -c '[.image, .id, .procs, .memory_max_bytes, .container.name]' <<<"$row")" \
	"[\"$(dq web '{{.Config.Image}}')\",\"$(dq web '{{.Id}}')\",2,$(dq web '{{.HostConfig.Memory}}'),\"web\"]"
N top --root "$RT_ROOT" -b -n 1 -d 0.3 -v namespaces >"$tmp/top"
grep -q "sleep.*docker:web" "$tmp/top" && ok "top namespaces view: docker:web" || fail "top namespaces view: docker:web" "$(cat "$tmp/top")"

# ---- watch during docker run: runc's short-lived children are named by their cgroup
N watch --root "$RT_ROOT" -J -e unshare,clone -d 15 >"$tmp/watch" 2>/dev/null &
wpid=$!
on_exit "kill $wpid 2>/dev/null"
sleep 1.5
$DOCKER run -d --name evt --network none "$RT_IMAGE" sleep 600 >/dev/null
sleep 1
kill -INT $wpid
wait $wpid
got=$(jq -r 'select(.container.name == "evt" and (.types | index("uts"))) | .event' "$tmp/watch" | sort -u | tr '\n' ' ')
if [ -n "$got" ]; then ok "watch: the new container's namespaces are created by evt ($got)"; else
	fail "watch: the new container's namespaces are created by evt" "$(head -c 600 "$tmp/watch")"; fi

# ---- seccomp as the kernel enforces docker's default profile
N inspect --root "$RT_ROOT" --seccomp -J db >"$tmp/sc.json" 2>"$tmp/err" || fail "inspect --seccomp db" "$(cat "$tmp/err")"
sc() { jq -r --arg n "$1" '.chains[0].syscalls[] | select(.abi == "x86_64" and .name == $n) |
	"\(.action) \(.errno) \(.depends_on_arguments)"' "$tmp/sc.json"; }
for n in mount unshare bpf keyctl; do
	expect_eq "seccomp db: $n denied with EPERM" "$(sc $n)" "errno 1 false"
done
expect_eq "seccomp db: read allowed" "$(sc read)" "allow null false"
expect_eq "seccomp db: clone depends on its flags" "$(sc clone)" "errno 1 true"
expect_eq "seccomp db: the profile, here and in inspect" \
	"$(jq -r '.chains[0].profile' "$tmp/sc.json") / $(N inspect --root "$RT_ROOT" -J db | jq -r .security.seccomp.profile)" \
	"docker default / docker default"
$DOCKER run -d --name adm --network none --cap-add SYS_ADMIN "$RT_IMAGE" sleep 600 >/dev/null || fail "docker run adm"
$DOCKER run -d --name unc --network none --security-opt seccomp=unconfined "$RT_IMAGE" sleep 600 >/dev/null ||
	fail "docker run unc"
got=$(N inspect --root "$RT_ROOT" -J adm | jq -r .security.seccomp.profile)
case $got in "docker default + mount"*allowed*) ok "seccomp adm (--cap-add SYS_ADMIN): $got" ;;
	*) fail "seccomp adm: docker default with mount allowed" "$got" ;; esac
expect_eq "seccomp unc (seccomp=unconfined): none" "$(N inspect --root "$RT_ROOT" -J unc | jq -r .security.seccomp.profile)" none
expect_eq "seccomp db: still running, never stopped" \
	"$(dq db '{{.State.Running}}') $(awk '/^State:/ {print $2}' "/proc/$db/status")" "true S"

# ---- mounts as the container sees them, placed on the host
mkdir -p "$tmp/vol" && echo v >"$tmp/vol/f"
$DOCKER run -d --name vol --network none -v "$tmp/vol:/data" -v "$RT_DIR/docker.sock:/var/run/docker.sock" \
	"$RT_IMAGE" sleep 600 >/dev/null || fail "docker run vol"
N inspect --root "$RT_ROOT" --mounts -J vol >"$tmp/mnt.json" 2>"$tmp/err" || fail "inspect --mounts vol" "$(cat "$tmp/err")"
mq() { jq -r --arg t "$1" ".mounts[] | select(.target == \$t) | $2" "$tmp/mnt.json"; }
expect_eq "mounts vol: /data is the volume's host directory, as docker inspect says" "$(mq /data .host_path)" \
	"$(dq vol '{{range .Mounts}}{{if eq .Destination "/data"}}{{.Source}}{{end}}{{end}}')"
expect_eq "mounts vol: the root is overlay2's, its upper dir docker's UpperDir" "$(mq / '"\(.fstype) \(.upper)"')" \
	"overlay $(dq vol '{{.GraphDriver.Data.UpperDir}}')"
expect_eq "mounts vol: the lower dirs are docker's LowerDir" "$(mq / '.lower | join(":")')" "$(dq vol '{{.GraphDriver.Data.LowerDir}}')"
expect_eq "mounts vol: the docker socket is warned of, once" \
	"$(jq -r '.warnings[]' "$tmp/mnt.json" | grep -c "^/var/run/docker.sock: a container runtime's socket ($RT_DIR/docker.sock)")" 1
expect_eq "mounts db: docker's masked paths and read-only /proc/sys; no warnings" \
	"$(N inspect --root "$RT_ROOT" --mounts -J db | jq -c '[([.mounts[] | select(.masked)] | length > 3), (.mounts[] | select(.target == "/proc/sys") | .read_only), .warnings]')" \
	"[true,true,[]]"

# ---- what is not running, and ambiguity
N inspect --root "$RT_ROOT" done >/dev/null 2>"$tmp/err"
expect_eq "an exited container: exit 1" "$?" 1
grep -q "no running container" "$tmp/err" && ok "...and says so" || fail "...and says so" "$(cat "$tmp/err")"
# Containers are made until two running ones share a first digit of their ids
# (16 more make it certain).
for i in $(seq 1 16); do
	id=$($DOCKER run -d --name "p$i" --network none "$RT_IMAGE" sleep 600)
	c=${id:0:1}
	mapfile -t holders < <($DOCKER ps --no-trunc --format '{{.ID}} {{.Names}}' | awk -v c="$c" 'index($1, c) == 1 {print $2}')
	[ ${#holders[@]} -ge 2 ] || continue
	# "docker:" keeps a digit from being read as a pid.
	N inspect --root "$RT_ROOT" "docker:$c" >/dev/null 2>"$tmp/err"
	rc=$?
	expect_eq "a shared one-digit prefix: exit 2" "$rc" 2
	named=$(for n in "${holders[@]}"; do grep -c "($n)" "$tmp/err"; done | sort -u)
	grep -q "matches ${#holders[@]} containers" "$tmp/err" && [ "$named" = 1 ] &&
		ok "...naming each of them" || fail "...naming each of them" "$(cat "$tmp/err")"
	expect_eq "a longer prefix is unique" "$(N inspect --root "$RT_ROOT" -J "${id:0:12}" | jq -r .container.name)" "p$i"
	break
done
[ ${#holders[@]} -ge 2 ] || fail "two running containers share a first digit"
