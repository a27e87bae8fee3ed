#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run one libFuzzer target from its seed corpus for a fixed, seeded number of
# inputs (a regression pass; `make fuzz` builds the same targets for long runs).
# Usage: regress.sh FUZZER SEED_CORPUS_DIR [RUNS]
set -u
fuzzer=$1 seeds=$2 runs=${3:-${FUZZ_RUNS:-50000}}
name=$(basename "$fuzzer")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if "$fuzzer" -runs="$runs" -seed=1 -max_len=4096 -print_final_stats=0 "$work" "$seeds" >"$work.log" 2>&1; then
	echo "ok 1 - $name: $runs inputs from $(ls "$seeds" | wc -l) seeds, no crash"
else
	echo "not ok 1 - $name: crashed"
	grep -E 'ERROR|SUMMARY|==[0-9]+==' "$work.log" | head -5 | sed 's/^/#   /'
	rm -f "$work.log"
	exit 1
fi
rm -f "$work.log"
