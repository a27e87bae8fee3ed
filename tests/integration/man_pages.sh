#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every command has a man page that renders without warnings, is named in
# nsctl(8), and mentions every long option its --help shows; the exporter's
# metric table is the one the exporter serves.
source "$(dirname "$0")/../lib/lib.sh"
command -v man >/dev/null || { skip "$SUITE" "man is not installed"; exit 0; }
cd "$TESTS_DIR/.."
commands=$("$NSCTL" --help | awk '/^Commands:/ {on = 1; next} on && NF == 0 {exit} on {print $1}')
[ -n "$commands" ] || fail "nsctl --help lists the commands"
for c in $commands; do
	page=man/nsctl-$c.8
	if [ ! -f "$page" ]; then
		fail "$c: $page exists"
		continue
	fi
	expect_eq "$c: $page renders without warnings" "$(man --warnings -l "$page" 2>&1 >/dev/null)" ""
	expect_eq "$c: nsctl(8) names it among the commands and in SEE ALSO" \
		"$(awk -v c="$c" '/^\.SH/ {s = $2} (s == "COMMANDS" && $0 == ".B " c) || (s == "SEE" && $1 == ".BR" && $2 == "nsctl-" c) {n++} END {print n}' man/nsctl.8)" 2
	missing=""
	for o in $("$NSCTL" $c --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
		[ "$o" = --help ] && continue
		grep -q -- "${o//-/\\\\-}" "$page" || missing+=" $o"
	done
	expect_eq "$c: every long option of --help is in $page" "$missing" ""
done
expect_eq "nsctl-exporter(8) lists every metric --list-metrics has, in its order" \
	"$(awk '/^\.SH METRICS/ {m = 1; next} /^\.SH/ {m = 0} m && prev == ".TP" && /^\.B / {print $2} {prev = $0}' \
		man/nsctl-exporter.8 | sed 's/\\//g')" \
	"$("$NSCTL" exporter --list-metrics | awk 'NR > 1 {print $1}')"
