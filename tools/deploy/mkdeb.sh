#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mkdeb.sh BUILD VERSION: Debian packages from a staged `make install`:
#   BUILD/nsctl_VERSION_ARCH.deb           the static nsctl, man pages, completions
#   BUILD/libinspect0_VERSION_ARCH.deb     the shared library
#   BUILD/libinspect-dev_VERSION_ARCH.deb  headers, libinspect.pc, .a, the .so link, libinspect(3)
# The shared library's dependencies are computed by dpkg-shlibdeps; nsctl is
# static and depends on nothing. Called by `make deb`.
set -euo pipefail
build=$1
version=$2
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
libdir=/usr/lib/$multiarch
work=$(realpath -m "$build/deb")
stage=$work/stage
die() { echo "mkdeb: $*" >&2; exit 1; }
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing"
command -v dpkg-shlibdeps >/dev/null || die "dpkg-shlibdeps is missing (apt-get install dpkg-dev)"

rm -rf "$work"
make -s install BUILD="$build" DESTDIR="$stage" PREFIX=/usr LIBDIR="$libdir" BINDIR=/usr/sbin \
	ZSHCOMPDIR=/usr/share/zsh/vendor-completions >/dev/null

# package NAME: an empty tree for it
package() { mkdir -p "$work/$1/DEBIAN" "$work/$1/usr/share/doc/$1"; }
# take NAME PATH...: move staged paths into NAME's tree
take() {
	local name=$1 p
	shift
	for p in "$@"; do
		mkdir -p "$work/$name/$(dirname "$p")"
		mv "$stage/$p" "$work/$name/$p"
	done
}
# control NAME DEPENDS SECTION DESCRIPTION...
control() {
	local name=$1 depends=$2 section=$3
	shift 3
	{
		echo "Package: $name"
		echo "Version: $version"
		echo "Architecture: $arch"
		echo "Maintainer: nsctl developers <nsctl@invalid>"
		echo "Section: $section"
		echo "Priority: optional"
		[ -n "$depends" ] && echo "Depends: $depends"
		echo "Installed-Size: $(du -sk --exclude=DEBIAN "$work/$name" | cut -f1)"
		printf 'Description: %s\n' "$1"
		shift
		printf ' %s\n' "$@"
	} >"$work/$name/DEBIAN/control"
	printf 'nsctl is free software: GPL-2.0-or-later; libinspect: LGPL-2.1-or-later.\n' \
		>"$work/$name/usr/share/doc/$name/copyright"
}

package nsctl
take nsctl usr/sbin/nsctl usr/share/man/man8 usr/share/bash-completion usr/share/zsh
gzip -9n "$work"/nsctl/usr/share/man/man8/*.8

package libinspect0
take libinspect0 "$libdir/libinspect.so.0"

package libinspect-dev
take libinspect-dev usr/include "$libdir/libinspect.so" "$libdir/libinspect.a" "$libdir/pkgconfig" usr/share/man/man3
gzip -9n "$work"/libinspect-dev/usr/share/man/man3/*.3
left=$(cd "$stage" && find . ! -type d)
[ -z "$left" ] || die "installed but in no package: $left"

# dpkg-shlibdeps reads a debian/control of the source; a minimal one does.
mkdir -p "$work/src/debian"
printf 'Source: nsctl\n\nPackage: libinspect0\nArchitecture: any\n' >"$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O -e"../libinspect0$libdir/libinspect.so.0" 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || die "dpkg-shlibdeps found no dependencies for libinspect.so.0"

control nsctl "" admin "namespace and cgroup introspection for containers" \
	"nsctl lists every namespace and who is in it, inspects a process or container," \
	"enters containers with the host's tools, reads and changes cgroup limits safely," \
	"runs throw-away sandboxes, shows a live view with eBPF counters and exports" \
	"Prometheus metrics. One static binary."
control libinspect0 "$shlibs" libs "the kernel's view of namespaces, cgroups and containers (library)" \
	"libinspect reads procfs, nsfs ioctls and an eBPF task iterator into plain C" \
	"structures; it is the library behind nsctl."
control libinspect-dev "libinspect0 (= $version), libbpf-dev, libjson-c-dev, libcap-dev, libseccomp-dev" libdevel \
	"the kernel's view of namespaces, cgroups and containers (development files)" \
	"Headers, pkg-config file, static archive and the development link of libinspect."

for name in nsctl libinspect0 libinspect-dev; do
	dpkg-deb --root-owner-group -Zxz --build "$work/$name" "$build/${name}_${version}_${arch}.deb" >/dev/null
	echo "$build/${name}_${version}_${arch}.deb"
done
