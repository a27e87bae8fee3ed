#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl sockets over every network namespace of the 2,500-process fixture
# (~420 of them) against what a user runs without it: a shell loop of
# `nsenter -t PID -n ss -tulnp`, once per namespace. Medians of alternating
# runs; target <= 0.05. Then --interfaces against a loop of `ip -d addr`.
source "$(dirname "$0")/../lib/lib.sh"
require_root
BENCHRUN=$BUILD/tests/benchrun
ROUNDS=${ROUNDS:-5}
list=$(mktemp)
on_exit "rm -f $list"
populate_host 2500 || exit 1
# One pid per network namespace, as the loop needs them.
for p in /proc/[0-9]*; do
	ino=$(stat -L -c %i "$p/ns/net" 2>/dev/null) && echo "$ino ${p#/proc/}"
done | sort -k1,1 -u | awk '{print $2}' >"$list"
echo "host: $(ls /proc | grep -c '^[0-9]') processes, $(wc -l <"$list") network namespaces"
"$BENCHRUN" -n "$ROUNDS" "$NSCTL sockets -t -u >/dev/null" \
	"while read -r p; do nsenter -t \$p -n ss -tulnp; done <$list >/dev/null"
# Interfaces with their veth peers against one `ip -d addr` per namespace (which names no peer).
"$BENCHRUN" -n "$ROUNDS" "$NSCTL sockets --interfaces >/dev/null" \
	"while read -r p; do nsenter -t \$p -n ip -d addr; done <$list >/dev/null"
