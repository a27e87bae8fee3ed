#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -T trees (owner, parent, process) in table and JSON, checked against the
# nsfs ioctls' view: namespaces created in a new user namespace nest under it.
source "$(dirname "$0")/../lib/lib.sh"
require_root

start_fixture FX --groups 1 --per-group 2 --flags user,net,uts,pid || { fail "fixture"; exit 1; }
leader=$(cat /proc/$FX/task/*/children | awk '{print $1}')
userns=$(ns_ino "$leader" user)
netns=$(ns_ino "$leader" net)
hostuser=$(ns_ino $$ user)

json=$("$NSCTL" ls -J -T owner -o NS,TYPE,ONS)
under=$(jq -c --argjson u "$userns" '.. | objects | select(.ns? == $u) | [.children[]?.type] | sort' <<<"$json")
expect_eq "-T owner: the new user ns holds its net, uts and pid namespaces" "$under" '["net","pid","uts"]'
parent=$(jq -r --argjson u "$userns" --argjson h "$hostuser" \
	'.. | objects | select(.ns? == $h) | [.children[]?.ns] | index($u) != null' <<<"$json")
expect_eq "-T owner: the new user ns nests under the host's" "$parent" "true"
ons=$("$NSCTL" ls -n -r -o ONS "$netns")
expect_eq "ONS is the owning user namespace" "$ons" "$userns"

json=$("$NSCTL" ls -J -T parent -o NS,TYPE,PNS)
pidns=$(ns_ino "$(cat /proc/$leader/task/*/children | awk '{print $1}')" pid)
pns=$(jq -r --argjson p "$pidns" '.. | objects | select(.ns? == $p) | .pns' <<<"$json")
expect_eq "PNS of a new pid ns is the host's pid ns" "$pns" "$(ns_ino $$ pid)"
flat=$("$NSCTL" ls -J | jq '[.namespaces[] | select(has("children"))] | length')
expect_eq "JSON is flat without -T" "$flat" "0"

# The fixture's new pid ns is represented by a child of the leader, whose net ns row it nests under.
table=$("$NSCTL" ls -T process -o NS,TYPE,PID,COMMAND -t net,pid)
check "-T process draws a tree" grep -q "└─$pidns pid" <<<"$table"
nested=$("$NSCTL" ls -J -T process -o NS,TYPE -t net,pid |
	jq -c --argjson n "$netns" '.. | objects | select(.ns? == $n) | [.children[]?.type]')
expect_eq "-T process JSON nests the child's pid ns under the leader's net ns" "$nested" '["pid"]'
child=$(jq -r --argjson n "$netns" '.. | objects | select(.ns? == $n) | .pid' <<<"$("$NSCTL" ls -J -T process -t net)")
expect_eq "-T process: the fixture's net ns is listed with its lowest pid" "$child" "$leader"
