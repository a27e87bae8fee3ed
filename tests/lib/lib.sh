# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the integration tests: TAP output and guaranteed cleanup.
# Each test script sources this, calls plan-free ok/fail/skip, and registers
# cleanups with on_exit; they run even when the script fails or is killed.

set -u
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TESTS_DIR/../build}
NSCTL=${NSCTL:-$BUILD/nsctl}
NSFIXTURE=$BUILD/tests/nsfixture
SUITE=$(basename "$0" .sh)
_tap_n=0
_cleanups=()

ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $SUITE: $1"; }
fail() {
	_tap_n=$((_tap_n + 1))
	echo "not ok $_tap_n - $SUITE: $1"
	[ $# -gt 1 ] && printf '#   %s\n' "${@:2}"
	return 0
}
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $SUITE: $1 # SKIP $2"; }

# check DESC CMD...: pass when CMD succeeds.
check() {
	local desc=$1
	shift
	local out
	if out=$("$@" 2>&1); then ok "$desc"; else fail "$desc" "command: $*" "$out"; fi
}

# expect_eq DESC ACTUAL EXPECTED
expect_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else fail "$1" "got:      $2" "expected: $3"; fi
}

on_exit() { _cleanups+=("$1"); }
_run_cleanups() {
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1 || true
	done
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		skip "$SUITE" "needs root"
		exit 0
	fi
}

# start_helper VAR OUTVAR BINARY ARGS...: run a test helper in the background,
# wait until it prints READY, store its pid in VAR and the file holding its
# output in OUTVAR, and arrange for it (and every child) to die.
start_helper() {
	local var=$1 outvar=$2 bin=$3
	shift 3
	local out
	out=$(mktemp)
	"$bin" "$@" >"$out" &
	local pid=$!
	on_exit "kill -TERM $pid; wait $pid; rm -f $out"
	local i
	for ((i = 0; i < 300; i++)); do
		grep -q READY "$out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if ! grep -q READY "$out"; then
		echo "# $(basename "$bin") did not start" >&2
		return 1
	fi
	printf -v "$var" '%s' "$pid"
	printf -v "$outvar" '%s' "$out"
}

# start_fixture VAR ARGS...: an nsfixture; VAR gets its pid.
start_fixture() {
	local _unused
	start_helper "$1" _unused "$NSFIXTURE" "${@:2}"
}

# start_secfixture VAR ARGS...: a secfixture; VAR gets the prepared process's pid.
start_secfixture() {
	local _pid _out
	start_helper _pid _out "$BUILD/tests/secfixture" "${@:2}" || return 1
	printf -v "$1" '%s' "$(head -1 "$_out")"
}

# Every process in the fixture's tree, the fixture included.
fixture_pids() {
	local root=$1 pids=($1) i=0
	while [ $i -lt ${#pids[@]} ]; do
		local kids
		kids=$(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null)
		for k in $kids; do pids+=("$k"); done
		i=$((i + 1))
	done
	echo "${pids[@]}"
}

ns_ino() { stat -L -c %i "/proc/$1/ns/$2" 2>/dev/null; }

# start_target VAR COMM CMD...: run CMD (an unshare/setpriv chain ending in a
# process named COMM) in the background; VAR gets that process's pid. The
# whole chain is killed on exit.
start_target() {
	local var=$1 comm=$2 top i pid
	shift 2
	"$@" </dev/null >/dev/null 2>&1 &
	top=$!
	on_exit "kill -KILL $top; wait $top"
	for ((i = 0; i < 200; i++)); do
		for pid in $(fixture_pids "$top"); do
			if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]; then
				# Credential changes clear PDEATHSIG (unshare --kill-child): kill it by pid.
				on_exit "kill -KILL $pid"
				printf -v "$var" '%s' "$pid"
				return 0
			fi
		done
		sleep 0.05
	done
	echo "# target '$*' did not start" >&2
	return 1
}

# cgroup_mount CONTROLLER: where the hierarchy holding it is mounted
# ("" for the cgroup2 one); nothing if it is not mounted.
cgroup_mount() {
	if [ -z "$1" ]; then
		findmnt -n -t cgroup2 -o TARGET | head -1
	else
		findmnt -n -t cgroup -o TARGET,OPTIONS | awk -v c="$1" \
			'{ n = split($2, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $1; exit } }'
	fi
}

# make_cgroup VAR CONTROLLER: a fresh cgroup removed on exit; VAR gets its directory.
make_cgroup() {
	local mnt dir
	mnt=$(cgroup_mount "$2")
	[ -n "$mnt" ] || return 1
	dir=$mnt/nsctl-test-$$-${2:-v2}
	mkdir "$dir" || return 1
	on_exit "rmdir $dir"
	printf -v "$1" '%s' "$dir"
}

# remove_cgroup PATH: kill what the tests put in PATH and remove it (deepest
# first) from every mounted hierarchy; a safety net that does not use nsctl.
remove_cgroup() {
	local path=$1 mnt d i
	for mnt in $(findmnt -rn -t cgroup,cgroup2 -o TARGET); do
		for ((i = 0; i < 20; i++)); do
			[ -d "$mnt$path" ] || break
			for d in $(find "$mnt$path" -depth -type d); do
				[ -f "$d/cgroup.freeze" ] && echo 0 >"$d/cgroup.freeze"
				[ -f "$d/freezer.state" ] && echo THAWED >"$d/freezer.state"
				xargs -r kill -KILL <"$d/cgroup.procs"
				rmdir "$d"
			done 2>/dev/null
			[ -d "$mnt$path" ] && sleep 0.1
		done
	done
}


# make_rootfs DIR: a busybox root filesystem (every applet) with the sandbox probe.
make_rootfs() {
	local a
	mkdir -p "$1/bin" "$1/etc" "$1/proc" "$1/dev" "$1/tmp" || return 1
	chmod 755 "$1"
	cp /bin/busybox "$BUILD/tests/sandboxprobe" "$1/bin/" || return 1
	for a in $(/bin/busybox --list); do
		[ -e "$1/bin/$a" ] || ln -s busybox "$1/bin/$a"
	done
}

# sandbox_suite_setup: $tmp (removed on exit), a busybox root in $R, and
# run ARGS... for nsctl run -r $R ARGS...; ends the suite if $R cannot be built.
sandbox_suite_setup() {
	tmp=$(mktemp -d)
	on_exit "rm -rf $tmp"
	R=$tmp/root
	make_rootfs "$R" || { fail "busybox root filesystem" "cannot build $R"; exit 0; }
	run() { "$NSCTL" run -r "$R" "$@"; }
}

# sandbox_leftovers: cgroups, processes and netns a run may have left behind (empty when none).
sandbox_leftovers() {
	ls -d /sys/fs/cgroup/*/nsctl-run-* /sys/fs/cgroup/nsctl-run-* 2>/dev/null
	pgrep -a nsctl-init
	ip netns list 2>/dev/null | grep nsctl-test
}

# populate_host SIZE [CGROUPS]: a host of about SIZE processes (2500 or 11000)
# in fresh namespaces, like a busy container host, spread over CGROUPS
# docker-like cgroups (/docker/<64 hex>, in every hierarchy; default 100).
# Everything goes away on exit.
populate_host() {
	local size=$1 n=${2:-100} list i id mnt
	list=$(mktemp)
	on_exit "rm -f $list"
	for ((i = 0; i < n; i++)); do
		id=$(printf '%08x' $((i + 1)))$(head -c 28 /dev/urandom | od -An -tx1 | tr -d ' \n')
		echo "/docker/$id" >>"$list"
	done
	on_exit "while read -r p; do remove_cgroup \$p; done <$list; rmdir /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker 2>/dev/null"
	for mnt in $(findmnt -rn -t cgroup,cgroup2 -o TARGET); do
		while read -r p; do mkdir -p "$mnt$p"; done <"$list"
	done
	set -- --flags net,uts,ipc,mnt
	[ "$n" -gt 0 ] && set -- "$@" --cgroups "$list"
	case $size in
	11000) start_fixture FX --groups 1000 --per-group 10 "$@" ;;
	*) start_fixture FX --groups 400 --per-group 5 --extra-every 10 --extra-flags user,pid "$@" ;;
	esac
}
