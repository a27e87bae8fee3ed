#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The scanner of top and the exporter (one eBPF walk of the task list)
# against /proc: the same namespaces, parents, names, uids and cgroup2 ids
# for every process; and processes started after the first scan, more than
# its arrays were sized for and in namespaces of their own, all seen; and
# the task iterator that serves where the walk does not load.
source "$(dirname "$0")/../lib/lib.sh"
require_root

out=$("$BUILD/tests/scancheck" 0 2>&1)
case $? in
0) ok "walk and /proc agree on every process ($out)" ;;
77) skip "the eBPF walk" "$out" ;;
*) fail "walk and /proc agree on every process" "$(head -5 <<<"$out")" ;;
esac

# 5,000 more than the first scan saw (its arrays hold 4,096 processes and
# 1,024 namespace sets at least), 1,200 of them in a uts namespace each.
out=$("$BUILD/tests/scancheck" 5000 1200 2>&1)
case $? in
0) ok "after 5,000 new processes the walk grew and saw them all ($out)" ;;
77) skip "the eBPF walk growing" "$out" ;;
*) fail "after 5,000 new processes the walk grew and saw them all" "$(head -5 <<<"$out")" ;;
esac

# Kernels 6.1 to 6.6 have no walk: the scanner's task iterator, with its
# caches of namespace and cgroup sets, against /proc on this one.
out=$("$BUILD/tests/scancheck" --iterator 2000 300 2>&1)
case $? in
0) ok "the task iterator (kernels without the walk) and /proc agree ($out)" ;;
77) skip "the scanner's task iterator" "$out" ;;
*) fail "the task iterator (kernels without the walk) and /proc agree" "$(head -5 <<<"$out")" ;;
esac
