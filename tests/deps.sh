#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian 12 packages nsctl needs to build and test.
#   deps.sh check    exit 1 (and name them) if any is missing
#   deps.sh install  apt-get install whatever is missing; idempotent
set -euo pipefail

BUILD_PKGS=(make gcc libc6-dev clang llvm pkg-config libbpf-dev libelf-dev zlib1g-dev bpftool libjson-c-dev libcap-dev libseccomp-dev libncurses-dev libevent-dev)
TEST_PKGS=(libclang-rt-14-dev util-linux bsdutils iproute2 jq procps libcap2-bin busybox-static uidmap bubblewrap tmux htop
	docker.io containerd runc podman conmon python3 python3-yaml curl prometheus zsh dpkg-dev)

missing() {
	local p
	for p in "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
	done
}

case "${1:-check}" in
check)
	m=$(missing)
	if [ -n "$m" ]; then
		echo "missing packages:" $m >&2
		exit 1
	fi
	;;
install)
	m=$(missing)
	[ -z "$m" ] && exit 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "nsctl: deps: need root to install:" $m >&2
		exit 1
	fi
	echo "installing:" $m
	export DEBIAN_FRONTEND=noninteractive
	# Packages with daemons (docker.io, prometheus) must not start them: the
	# tests start their own, on loopback, and stop them. policy-rc.d is
	# Debian's switch for that, kept only for the install.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $m >/dev/null
	;;
*)
	echo "usage: deps.sh check|install" >&2
	exit 2
	;;
esac
