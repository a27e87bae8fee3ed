#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl enter against nsenter: run /bin/true in a target that has its own
# mnt, uts, ipc, net, pid and cgroup namespaces. Alternating runs, medians;
# target: nsctl <= 0.8 x nsenter. The target is killed on exit.
source "$(dirname "$0")/../lib/lib.sh"
require_root
BENCHRUN=$BUILD/tests/benchrun
ROUNDS=${ROUNDS:-101}

start_target T sleep unshare -m -u -i -n -p -C -f --kill-child --mount-proc sleep 600 || exit 1
echo "target: pid $T in its own mnt/uts/ipc/net/pid/cgroup namespaces, kernel $(uname -r)"
"$BENCHRUN" -w 5 -n "$ROUNDS" "$NSCTL enter $T -- /bin/true" "nsenter -t $T -a /bin/true"
