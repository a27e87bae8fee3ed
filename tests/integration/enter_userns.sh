#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl enter and user namespaces: a target whose user namespace maps 0 to
# 300000; the entering process kept away from the container's root
# (non-dumpable) where its user namespace maps root to ours; and a nested user namespace that only setns(pidfd) can
# enter, entered by an unprivileged owner.
source "$(dirname "$0")/../lib/lib.sh"
require_root

WORK=$(mktemp -d)
chmod 755 "$WORK"
on_exit "rm -rf $WORK"

start_secfixture U --userns 300000 || exit 1
inside=$("$NSCTL" enter "$U" -- sh -c 'id -u; readlink /proc/self/ns/user; cat /proc/self/uid_map')
expect_eq "uid 0 inside a mapped user namespace" "$(sed -n 1p <<<"$inside")" 0
expect_eq "its user namespace" "$(sed -n 2p <<<"$inside")" "$(readlink "/proc/$U/ns/user")"
expect_eq "its uid map" "$(sed -n '3,$p' <<<"$inside" | tr -s ' ')" "$(tr -s ' ' <"/proc/$U/uid_map")"

# A user namespace that maps its root to ours (0 -> 0): file permissions let
# the container's root at our files, only the entering process being
# non-dumpable keeps it from reading nsctl's memory, environ or exe.
start_secfixture R --userns 0 || exit 1
"$NSCTL" enter "$R" -- sleep 30 &
ENTERING=$!
on_exit "kill $ENTERING; wait $ENTERING"
for ((i = 0; i < 100; i++)); do
	entered=$(tr -d ' ' <"/proc/$ENTERING/task/$ENTERING/children" 2>/dev/null)
	[ -n "$entered" ] && [ "$(cat "/proc/$entered/comm" 2>/dev/null)" = sleep ] && break
	sleep 0.05
done
as_container_root() { nsenter -t "$R" -U -- sh -c "$1" 2>/dev/null; }
check "control: the container's root reads its own process's environ" \
	as_container_root "cat /proc/$entered/environ >/dev/null"
if as_container_root "cat /proc/$ENTERING/environ >/dev/null"; then
	fail "the container's root cannot read the entering nsctl's environ"
else
	ok "the container's root cannot read the entering nsctl's environ"
fi
if as_container_root "readlink /proc/$ENTERING/exe >/dev/null"; then
	fail "nor open its /proc/PID/exe"
else
	ok "nor open its /proc/PID/exe"
fi

# Owned by nobody: user namespace A with a mount namespace, and inside it
# user namespace B with uts, net and pid namespaces. Entering B's other
# namespaces one file at a time fails: once in B, nobody has no say over
# A's mount namespace. setns(pidfd) checks them all first.
cp "$NSCTL" "$WORK/nsctl"
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups -- "$@"; }
start_target N sleep as_nobody unshare -U -r -m -- \
	unshare -U -r -u -n -p -f --kill-child -- sleep 600 || exit 1
if as_nobody nsenter -t "$N" -a true 2>/dev/null; then
	fail "control: nsenter (one file at a time) cannot enter the nested namespace"
else
	ok "control: nsenter (one file at a time) cannot enter the nested namespace"
fi
inside=$(as_nobody "$WORK/nsctl" enter "$N" -- sh -c \
	'id -u; for ns in user mnt uts net pid; do readlink /proc/self/ns/$ns; done' 2>&1)
expect_eq "nobody enters its nested user namespace as its root" "$(sed -n 1p <<<"$inside")" 0
expect_eq "and every namespace of the target" "$(sed -n '2,$p' <<<"$inside" | tr '\n' ' ')" \
	"$(for ns in user mnt uts net pid; do readlink "/proc/$N/ns/$ns"; done | tr '\n' ' ')"
