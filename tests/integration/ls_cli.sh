#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl ls: options, usage errors and exit codes.
source "$(dirname "$0")/../lib/lib.sh"

out=$("$NSCTL" --version)
expect_eq "--version prints the version" "${out%% *}" "nsctl"
check "--help exits 0" "$NSCTL" --help
check "ls --help exits 0 and documents --backend" bash -c "'$NSCTL' ls --help | grep -q -- --backend"
check "help ls is ls --help" bash -c "diff <('$NSCTL' help ls) <('$NSCTL' ls --help)"

for args in "ls --bogus" "ls -t nosuchtype" "ls -o NS,BOGUS" "ls -T sideways" "ls --backend=magic" \
	"ls -p notapid" "ls -p 0" "ls notanumber" "ls 1 2" "nosuchcommand"; do
	"$NSCTL" $args >/dev/null 2>"$BUILD/err.$$"
	rc=$?
	lines=$(wc -l <"$BUILD/err.$$")
	if [ $rc -eq 2 ] && grep -q '^nsctl: ' "$BUILD/err.$$"; then
		ok "'nsctl $args' is a usage error (exit 2, one nsctl: line)"
	else
		fail "'nsctl $args' is a usage error" "exit $rc, $lines lines:" "$(cat "$BUILD/err.$$")"
	fi
done
rm -f "$BUILD/err.$$"

err=$("$NSCTL" ls -o NS,BOGUS 2>&1 >/dev/null | head -1)
expect_eq "unknown column is named" "$err" "nsctl: ls: unknown column 'BOGUS' (see nsctl ls --list-columns)"

cols=$("$NSCTL" ls -H | awk 'NR>1 {print $1}' | tr '\n' ' ')
expect_eq "-H lists every column" "$cols" "NS TYPE PATH NPROCS PID PPID COMMAND UID USER NETNSID NSFS PNS ONS NSID CONTAINER CONTAINER_ID "

hdr=$("$NSCTL" ls | head -1 | tr -s ' ' | sed 's/^ //')
expect_eq "default columns" "$hdr" "NS TYPE NPROCS PID USER COMMAND"
hdr=$("$NSCTL" ls -o +PATH,NSID | head -1 | tr -s ' ' | sed 's/^ //')
expect_eq "-o +COLS extends the defaults" "$hdr" "NS TYPE NPROCS PID USER COMMAND PATH NSID"
hdr=$("$NSCTL" ls -o type,ns | head -1 | tr -s ' ' | sed 's/^ //')
expect_eq "-o is case-insensitive and ordered" "$hdr" "TYPE NS"
n=$("$NSCTL" ls --output-all -r | head -1 | wc -w)
expect_eq "--output-all shows 16 columns" "$n" "16"

"$NSCTL" ls -p 2147483000 >/dev/null 2>&1
expect_eq "a pid that does not exist fails with 1" "$?" "1"
"$NSCTL" ls 12345 >/dev/null 2>&1
expect_eq "a namespace that does not exist fails with 1" "$?" "1"
check "JSON is valid and has a namespaces array" bash -c "'$NSCTL' ls -J | jq -e '.namespaces | length > 0'"
check "-n drops the header" bash -c "! '$NSCTL' ls -n | grep -q '^ *NS TYPE'"
