#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The completion helper on the 2,500-process fixture with 100 container
# cgroups, each named by a state file: `nsctl --complete containers` (what
# `nsctl enter <TAB>` runs) and `--complete cgroups`, wall time, medians.
# Target: well under 50 ms. Beside it, what the shell's own part costs: a
# whole bash completion of `nsctl enter <TAB>`.
source "$(dirname "$0")/../lib/lib.sh"
require_root
BENCHRUN=$BUILD/tests/benchrun
ROUNDS=${ROUNDS:-21}
root=$(mktemp -d)
on_exit "rm -rf $root"
populate_host 2500 || exit 1
for d in "$(cgroup_mount "")"/docker/*/; do
	id=$(basename "$d")
	mkdir -p "$root/var/lib/docker/containers/$id"
	printf '{"Name":"/c-%s","Config":{"Image":"x"}}' "${id:0:8}" >"$root/var/lib/docker/containers/$id/config.v2.json"
done
echo "host: $(ls /proc | grep -c '^[0-9]') processes, $("$NSCTL" --complete containers --root "$root" | wc -l) named containers"
cd "$(dirname "$0")/../.."
"$BENCHRUN" -n "$ROUNDS" "$NSCTL --complete containers --root $root >/dev/null" \
	"$NSCTL --complete cgroups >/dev/null" \
	"bash -c 'source tools/completion/nsctl.bash; COMP_WORDS=($NSCTL enter --root $root c-); COMP_CWORD=4; _nsctl'"
