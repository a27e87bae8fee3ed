#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl inspect --seccomp of a docker container (default profile), wall
# time, medians (target <= 20 ms): the full table as JSON and as text, with
# the pause-free eBPF reader and with ptrace; docker inspect beside it,
# which reports only the profile that was asked for.
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
BENCHRUN=$BUILD/tests/benchrun
ROUNDS=${ROUNDS:-31}

docker_start || exit 0
$DOCKER run -d --name bench --network none "$RT_IMAGE" sleep 3600 >/dev/null || exit 1
echo "container: docker $($DOCKER version -f '{{.Server.Version}}'), default seccomp profile," \
	"$("$NSCTL" inspect --root "$RT_ROOT" --seccomp -J bench | jq '.filters[0].instructions') instructions; kernel $(uname -r)"
"$BENCHRUN" -w 3 -n "$ROUNDS" \
	"$NSCTL inspect --root $RT_ROOT --seccomp --json bench" \
	"$NSCTL inspect --root $RT_ROOT --seccomp bench" \
	"$NSCTL inspect --root $RT_ROOT --seccomp --seccomp-source ptrace --json bench" \
	"$DOCKER inspect bench"
