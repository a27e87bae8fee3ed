#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl sockets against ss run inside each namespace: listeners made here in
# two fresh network namespaces (TCP over IPv4 and IPv6, UDP, a unix socket,
# a listening socket shared with a child process), our own, and a docker
# container's: which container listens on the port.
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
for t in python3 ss nsenter; do
	command -v $t >/dev/null || { skip "$SUITE" "$t is not installed"; exit 0; }
done
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
# b's child, which shares its socket, outlives the kill of b itself.
on_exit "pkill -KILL -f '$tmp/[ab].py'"
# Ports of this run: other namespaces of the host may listen on the usual ones.
p0=$((20000 + $$ % 10000 * 4))
tcp4=$p0 tcp6=$((p0 + 1)) udp=$((p0 + 2)) shared=$((p0 + 3))

# listener NAME PYTHON: a process in a new network namespace (loopback up) running PYTHON, then sleeping.
listener() {
	cat >"$tmp/$1.py" <<EOF
import os, socket, time
$2
open("$tmp/$1.ready", "w").close()
time.sleep(300)
EOF
	start_target "$1" python3 unshare -n sh -c "ip link set lo up && exec python3 $tmp/$1.py" ||
		{ fail "listener $1"; exit 0; }
	for ((i = 0; i < 100; i++)); do [ -e "$tmp/$1.ready" ] && break; sleep 0.05; done
}
listener a "
t4 = socket.socket(); t4.bind(('127.0.0.1', $tcp4)); t4.listen()
t6 = socket.socket(socket.AF_INET6); t6.bind(('::1', $tcp6)); t6.listen()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('0.0.0.0', $udp))
x = socket.socket(socket.AF_UNIX); x.bind('$tmp/a.sock'); x.listen()
h = socket.socket(socket.AF_UNIX); h.bind('\\0evil\\x1b[2J\\u202e$$'); h.listen()
"
listener b "
s = socket.socket(); s.bind(('0.0.0.0', $shared)); s.listen()
if os.fork() == 0:
    time.sleep(300)
"
net_a=$(ns_ino "$a" net)
net_b=$(ns_ino "$b" net)

# as ss sees the namespace of PID: "proto port" of each TCP/UDP listener, sorted
ss_listeners() {
	nsenter -t "$1" -n ss -Htuln | awk '{ n = split($5, p, ":"); print $1, p[n] }' | sort
}
nsctl_listeners() {
	"$NSCTL" sockets -r -n -l -t -u -o NETNS,PROTO,LOCAL | awk -v ns="$1" '$1 == ns { n = split($3, p, ":"); print $2, p[n] }' | sort
}
expect_eq "namespace a: the TCP and UDP listeners ss sees" "$(nsctl_listeners "$net_a")" "$(ss_listeners "$a")"
expect_eq "namespace b: the same" "$(nsctl_listeners "$net_b")" "$(ss_listeners "$b")"
expect_eq "our own namespace: the same" "$(nsctl_listeners "$(ns_ino $$ net)")" "$(ss_listeners $$)"

out=$("$NSCTL" sockets -r -n -l --port $shared -o NETNS,PID,COMM,HOLDERS)
expect_eq "which process listens on $shared: b, the lowest of the two holders" "$out" "$net_b $b python3 2"
expect_eq "its pid agrees with ss -p" "$(nsenter -t "$b" -n ss -Htlnp "sport = :$shared" | grep -o 'pid=[0-9]*' | sort -t= -k2 -n | head -1)" "pid=$b"
expect_eq "a unix listener, by its path, with its pid" \
	"$("$NSCTL" sockets -r -n -x -l -o PROTO,LOCAL,PID | awk -v p="$tmp/a.sock" '$2 == p')" "unix $tmp/a.sock $a"
line=$("$NSCTL" sockets -x -l "$a" | grep "@evil")
if LC_ALL=C grep -q $'[\x1b]' <<<"$line" || [[ $line != *'@evil\x1b[2J\u202e'$$* ]]; then
	fail "a hostile unix name reaches the terminal escaped" "$line"
else
	ok "a hostile unix name reaches the terminal escaped"
fi
expect_eq "...and JSON exactly" "$("$NSCTL" sockets -x -l -J "$a" | jq -r '.sockets[].local' | grep '^@evil' | od -An -c | tr -s ' ')" \
	"$(printf '@evil\033[2J\342\200\256%s\n' $$ | od -An -c | tr -s ' ')"
expect_eq "an IPv6 address in brackets" "$("$NSCTL" sockets -r -n -t -o NETNS,LOCAL | awk -v ns="$net_a" '$1 == ns { print $2 }' | grep -c "^\[::1\]:$tcp6\$")" 1
expect_eq "TARGET: one namespace only" "$("$NSCTL" sockets -r -n -o NETNS "$a" | sort -u)" "$net_a"
json=$("$NSCTL" sockets -J -t "$a" | jq -c --arg l "127.0.0.1:$tcp4" '[.sockets[] | select(.local == $l)][0] | [(.netns | keys), .proto, .state, .pid]')
expect_eq "JSON: the namespace as {ino, id}, proto, state, pid" "$json" "[[\"id\",\"ino\"],\"tcp\",\"LISTEN\",$a]"
"$NSCTL" sockets --port 70000 >/dev/null 2>&1
expect_eq "a bad port is a usage error" "$?" 2
"$NSCTL" sockets nosuchcontainer-$$ >/dev/null 2>"$tmp/err"
expect_eq "an unknown target: one line, exit 1" "$?:$(wc -l <"$tmp/err")" "1:1"

# ---- a docker container's listener, named by its container
docker_start || exit 0
$DOCKER run -d --name web-sock --network none "$RT_IMAGE" httpd -f -p "$shared" >/dev/null || { fail "docker run"; exit 0; }
cpid=$($DOCKER inspect -f '{{.State.Pid}}' web-sock)
for ((i = 0; i < 50; i++)); do nsenter -t "$cpid" -n ss -Htln | grep -q ":$shared " && break; sleep 0.1; done
expect_eq "which container listens on $shared: web-sock, with the pid ss gives" \
	"$("$NSCTL" sockets --root "$RT_ROOT" -r -n -l --port "$shared" -o PID,COMM,CONTAINER "$cpid")" \
	"$(nsenter -t "$cpid" -n ss -Htlnp "sport = :$shared" | grep -o 'pid=[0-9]*' | cut -d= -f2) httpd docker:web-sock"
