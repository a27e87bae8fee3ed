#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl sockets --interfaces against ip(8): six network namespaces made here,
# veth pairs between the host and two of them, between two of them, and two
# pairs elsewhere whose interface indexes are the same (2 <-> 2), so that only
# the namespace id the kernel gives each peer tells them apart. Every peer
# must be the one `ip -d link` names (its ifindex, in the namespace its
# link-netnsid stands for).
source "$(dirname "$0")/../lib/lib.sh"
require_root
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
command -v ip >/dev/null || { skip "interfaces" "ip(8) is missing"; exit 0; }
N() { "$NSCTL" "$@"; }

for i in 1 2 3 4 5 6; do
	start_target "p$i" sleep unshare -n sleep 600 || { fail "netns holder $i"; exit 0; }
done
nsx() { local p=$1; shift; nsenter -t "$p" -n "$@"; }
ino() { stat -L -c %i "/proc/$1/ns/net"; }
tag=nst$$
on_exit "ip link del ${tag}h1 2>/dev/null; ip link del ${tag}h2 2>/dev/null"
ip link add "${tag}h1" type veth peer name c1 netns "$p1" &&
	ip link add "${tag}h2" type veth peer name c2 netns "$p2" &&
	nsx "$p1" ip link add x1 type veth peer name x2 netns "$p2" &&
	nsx "$p3" ip link add y3 type veth peer name y4 netns "$p4" &&
	nsx "$p5" ip link add z5 type veth peer name z6 netns "$p6" ||
	{ fail "making veth pairs"; exit 0; }
ip addr add 10.213.1.1/24 dev "${tag}h1" && ip link set "${tag}h1" up
nsx "$p1" ip addr add 10.213.1.2/24 dev c1 && nsx "$p1" ip link set c1 up
nsx "$p1" ip addr add fd13::2/64 dev c1 nodad

# peer P DEV: "PEER_IFINDEX PEER PEER_NETNS" from nsctl, for the interface DEV of P's namespace.
peer() {
	jq -r --arg d "$2" --argjson ns "$(ino "$1")" \
		'.interfaces[] | select(.netns.ino == $ns and .name == $d) | "\(.peer_ifindex) \(.peer) \(.peer_netns.ino)"' "$tmp/all.json"
}
# ipsays P DEV PEER_P: the same triple from ip -d link (its @ifN and the name at that index in PEER_P's namespace).
ipsays() {
	local idx
	idx=$(nsx "$1" ip -j link show dev "$2" | jq '.[0].link_index')
	echo "$idx $(nsx "$3" ip -j link show | jq -r --argjson i "$idx" '.[] | select(.ifindex == $i) | .ifname') $(ino "$3")"
}
N sockets --interfaces --output-all -J >"$tmp/all.json" 2>"$tmp/err" || fail "sockets --interfaces -J" "$(cat "$tmp/err")"
expect_eq "c1's peer is the host's ${tag}h1, as ip -d link says" "$(peer "$p1" c1)" "$(ipsays "$p1" c1 $$)"
expect_eq "${tag}h1's peer is c1 in p1's namespace" "$(peer $$ "${tag}h1")" "$(ipsays $$ "${tag}h1" "$p1")"
expect_eq "x1 (p1) <-> x2 (p2)" "$(peer "$p1" x1) / $(peer "$p2" x2)" "$(ipsays "$p1" x1 "$p2") / $(ipsays "$p2" x2 "$p1")"
pair() { nsx "$1" ip -j link show dev "$2" | jq -r '.[0] | "\(.ifindex)<->\(.link_index)"'; }
expect_eq "the index pairs repeat (y3 and z5 are alike)" "$(pair "$p3" y3)" "$(pair "$p5" z5)"
expect_eq "...yet y3's peer is y4 in p4's namespace, z5's is z6 in p6's" \
	"$(peer "$p3" y3) / $(peer "$p5" z5) / $(peer "$p6" z6)" \
	"$(ipsays "$p3" y3 "$p4") / $(ipsays "$p5" z5 "$p6") / $(ipsays "$p6" z6 "$p5")"
expect_eq "c1's addresses are ip's" \
	"$(jq -c --argjson ns "$(ino "$p1")" '.interfaces[] | select(.netns.ino == $ns and .name == "c1") | .addresses | sort' "$tmp/all.json")" \
	"$(nsx "$p1" ip -j addr show dev c1 | jq -c '[.[0].addr_info[] | "\(.local)/\(.prefixlen)"] | sort')"
expect_eq "c1: kind, state, mtu and mac as ip says" \
	"$(jq -r --argjson ns "$(ino "$p1")" '.interfaces[] | select(.netns.ino == $ns and .name == "c1") | "\(.kind) \(.mtu_bytes) \(.mac)"' "$tmp/all.json")" \
	"$(nsx "$p1" ip -j -d link show dev c1 | jq -r '.[0] | "\(.linkinfo.info_kind) \(.mtu) \(.address)"')"
expect_eq "every interface of p1's namespace is listed, by ip's index" \
	"$(jq -r --argjson ns "$(ino "$p1")" '.interfaces[] | select(.netns.ino == $ns) | "\(.ifindex):\(.name)"' "$tmp/all.json" | sort | tr '\n' ' ')" \
	"$(nsx "$p1" ip -j link show | jq -r '.[] | "\(.ifindex):\(.ifname)"' | sort | tr '\n' ' ')"

# One target: its namespace alone, its veth still paired with the host's end.
expect_eq "sockets -i PID: only that namespace, c1 -> ${tag}h1" \
	"$(N sockets -i -r -n -o NETNS,NAME,PEER "$p1" | awk '{print $1}' | sort -u) $(N sockets -i -r -n -o NAME,PEER "$p1" | grep '^c1 ')" \
	"$(ino "$p1") c1 ${tag}h1"

# A name the namespace's owner chose reaches the terminal escaped, and JSON exactly.
nsx "$p2" ip link add $'e\e[7m' type veth peer name e2 || fail "a device with ESC in its name"
out=$(N sockets -i -o NAME "$p2" | grep -a 'e\\')
case $out in *$'\e'*) fail "hostile interface name escaped in the table" "$out" ;;
	*'\x1b[7m'* | *'\033[7m'* | *'\e[7m'*) ok "hostile interface name escaped in the table ($out)" ;;
	*) fail "hostile interface name escaped in the table" "$out" ;; esac
expect_eq "...and exact in JSON" "$(N sockets -i -J "$p2" | jq -r '.interfaces[].name' | grep -c $'^e\e\\[7m$')" 1
# A namespace no process is in, kept by its mount (ip netns add): listed
# through the mount, named by it, and the host's veth into it paired.
pns=${tag}p
on_exit "ip netns del $pns 2>/dev/null; ip link del ${tag}h3 2>/dev/null"
if ip netns add "$pns" && ip link add "${tag}h3" type veth peer name k3 netns "$pns"; then
	ip -n "$pns" addr add 10.213.3.2/24 dev k3
	pino=$(stat -L -c %i "/run/netns/$pns")
	N sockets -i --output-all -J >"$tmp/kept.json" 2>"$tmp/err" || fail "sockets -i with a kept namespace" "$(cat "$tmp/err")"
	expect_eq "a namespace kept by ip netns add: its interfaces, addresses and mount" \
		"$(jq -r --argjson ns "$pino" '.interfaces[] | select(.netns.ino == $ns) | "\(.name) \(.addresses) \(.nsfs)"' "$tmp/kept.json" | sort | tr '\n' ' ')" \
		"k3 [\"10.213.3.2/24\"] /run/netns/$pns lo [] /run/netns/$pns "
	expect_eq "...its id is the kernel's" \
		"$(jq -r --argjson ns "$pino" '[.interfaces[] | select(.netns.ino == $ns) | .netns.id != null and .netns.id > 0] | unique | .[]' "$tmp/kept.json")" "true"
	expect_eq "...and the host's ${tag}h3 leads into it, to k3" \
		"$(jq -r --arg d "${tag}h3" '.interfaces[] | select(.name == $d) | "\(.peer) \(.peer_netns.ino)"' "$tmp/kept.json")" "k3 $pino"
	# The side that closes first keeps TIME-WAIT after every process is gone.
	ip -n "$pns" link set lo up
	ip netns exec "$pns" python3 -c 'import socket
l = socket.socket(); l.bind(("127.0.0.1", 4568)); l.listen()
c = socket.create_connection(("127.0.0.1", 4568)); a, _ = l.accept()
a.close(); c.recv(1); c.close()' || fail "a connection in the kept namespace"
	expect_eq "sockets: TIME-WAIT in the kept namespace, no process left, named by its mount" \
		"$(N sockets -J -t -o +NSFS | jq -r --argjson ns "$pino" '.sockets[] | select(.netns.ino == $ns) | "\(.state) \(.local) \(.pid) \(.nsfs)"')" \
		"TIME-WAIT 127.0.0.1:4568 null /run/netns/$pns"
	ip link del "${tag}h3"
	ip netns del "$pns"
else
	fail "ip netns add and a veth into it"
fi

N sockets -i --port 80 >/dev/null 2>&1
expect_eq "--interfaces with a socket filter: usage error" "$?" 2
