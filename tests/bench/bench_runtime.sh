#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl against docker itself, on a container of a dockerd of our own:
#   enter NAME -- /bin/true   vs  docker exec NAME /bin/true   (target <= 0.10)
#   inspect --json NAME       vs  docker inspect NAME          (target <= 0.30)
# Alternating runs, medians. The daemon and all it made go on exit.
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
BENCHRUN=$BUILD/tests/benchrun
ROUNDS=${ROUNDS:-31}

docker_start || exit 0
$DOCKER run -d --name bench --network none --memory 64m "$RT_IMAGE" sleep 3600 >/dev/null || exit 1
echo "container: $($DOCKER inspect -f '{{.Id}}' bench | head -c 12) (docker $($DOCKER version -f '{{.Server.Version}}')), $(ls /proc | grep -c '^[0-9]') processes, kernel $(uname -r)"
"$BENCHRUN" -w 3 -n "$ROUNDS" "$NSCTL enter --root $RT_ROOT bench -- /bin/true" "$DOCKER exec bench /bin/true"
"$BENCHRUN" -w 3 -n "$ROUNDS" "$NSCTL inspect --root $RT_ROOT --json bench" "$DOCKER inspect bench"
