#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make deb`, installed with dpkg on this machine and removed again: the
# binary runs, the man pages and completions are where Debian keeps them, a
# program builds against the -dev package with pkg-config and runs with the
# packaged shared library.
source "$(dirname "$0")/../lib/lib.sh"
require_root
cd "$TESTS_DIR/.."
packages=(nsctl libinspect0 libinspect-dev)
for t in dpkg dpkg-deb dpkg-shlibdeps pkg-config; do
	command -v $t >/dev/null || { skip "$SUITE" "$t is not installed (make deps installs dpkg-dev)"; exit 0; }
done
if readelf -l "$NSCTL" | grep -q 'Requesting program interpreter'; then
	skip "$SUITE" "$NSCTL is dynamically linked (a sanitizer build): the package holds the static one"
	exit 0
fi
for p in "${packages[@]}"; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed'; then
		skip "$SUITE" "$p is installed on this machine already; the test does not replace it"
		exit 0
	fi
done
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

mapfile -t debs < <(make -s deb BUILD="$BUILD" 2>"$tmp/err" | grep '\.deb$')
[ ${#debs[@]} = 3 ] || { fail "make deb builds three packages" "$(tail -3 "$tmp/err")"; exit 0; }
ok "make deb builds three packages"
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
case ${debs[0]} in
*"/nsctl_${version}"*) ok "the version is the Makefile's ($version), with git's description" ;;
*) fail "the version is the Makefile's ($version), with git's description" "${debs[0]}" ;;
esac
expect_eq "nsctl depends on nothing: it is static" "$(dpkg-deb -f "${debs[0]}" Depends)" ""
deps=$(dpkg-deb -f "${debs[1]}" Depends)
[[ $deps == *libbpf1* && $deps == *libjson-c5* && $deps == *libcap2* && $deps == *libc6* ]] &&
	ok "libinspect0's dependencies are computed: $deps" || fail "libinspect0's dependencies" "$deps"

on_exit "dpkg --purge ${packages[*]} >/dev/null 2>&1"
check "dpkg -i of the three" dpkg -i "${debs[@]}"
expect_eq "nsctl --version" "$(/usr/sbin/nsctl --version)" "nsctl $version"
expect_eq "man -w nsctl-enter" "$(man -w nsctl-enter)" /usr/share/man/man8/nsctl-enter.8.gz
expect_eq "the completions" "$(ls /usr/share/bash-completion/completions/nsctl /usr/share/zsh/vendor-completions/_nsctl)" \
	"/usr/share/bash-completion/completions/nsctl
/usr/share/zsh/vendor-completions/_nsctl"
cat >"$tmp/probe.c" <<'EOF'
#include <stdio.h>
#include <inspect/caps.h>
int main(void) { puts(insp_caps_describe(insp_caps_profile_mask(INSP_CAPS_DOCKER_DEFAULT))); return 0; }
EOF
# shellcheck disable=SC2046
check "a program builds with pkg-config --cflags --libs libinspect" \
	cc -o "$tmp/probe" "$tmp/probe.c" $(pkg-config --cflags --libs libinspect)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
# realpath: /lib is /usr/lib on a merged-/usr system.
expect_eq "...against the packaged libinspect.so.0" \
	"$(realpath "$(ldd "$tmp/probe" | awk '$1 == "libinspect.so.0" {print $3}')")" "/usr/lib/$multiarch/libinspect.so.0"
expect_eq "...and runs" "$("$tmp/probe")" "docker default"
check "dpkg --purge of the three" dpkg --purge "${packages[@]}"
expect_eq "nothing of them is left" \
	"$(ls /usr/sbin/nsctl /usr/lib/"$multiarch"/libinspect.so.0 /usr/include/inspect 2>/dev/null)" ""
