# SPDX-License-Identifier: GPL-2.0-or-later
# Real container runtimes for the tests, of the suite's own: a dockerd with
# its own data root, exec root and socket, and podman with its own storage,
# both below RT_ROOT (which nsctl is given as --root), without networking
# (--bridge=none --iptables=false; --network none), so that neither a host's
# docker nor the host's network is touched. Images are imported from a
# busybox root built here; nothing is pulled. Everything goes on exit, even
# on failure. Source after lib.sh.

# Short: podman refuses a runroot longer than 50 characters.
RT_DIR=/var/tmp/nsrt.$$
RT_ROOT=$RT_DIR/root
RT_IMAGE=nsctl-test/busybox:1

# The image's root: busybox, a passwd with root and an unprivileged user.
rt_image_root() {
	make_rootfs "$RT_DIR/image" || return 1
	printf 'root:x:0:0:root:/root:/bin/sh\nu:x:1000:1000:u:/home/u:/bin/sh\n' >"$RT_DIR/image/etc/passwd"
	printf 'root:x:0:\nu:x:1000:\n' >"$RT_DIR/image/etc/group"
	mkdir -p "$RT_DIR/image/home/u" "$RT_DIR/image/root"
}

# The runtimes' parent cgroups (docker, libpod_parent) that did not exist
# before: removed when the runtime stops, once empty.
rt_cgroup_parents() {
	local m
	for m in $(findmnt -n -t cgroup,cgroup2 -o TARGET); do
		[ -d "$m/$1" ] || echo "$m/$1"
	done
}
rt_cgroup_clean() {
	local d
	for d in "$@"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# Whatever a runtime left mounted below RT_DIR, deepest first.
rt_unmount() {
	awk -v d="$RT_DIR" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
}

# docker_start: sets DOCKER (the client, talking to our daemon); 1 with a SKIP line when impossible.
docker_start() {
	local i
	if ! command -v dockerd >/dev/null || [ ! -x /usr/bin/docker ]; then
		skip "$SUITE" "docker.io is not installed (make deps installs it)"
		return 1
	fi
	mkdir -p "$RT_ROOT/var/lib/docker" "$RT_DIR/exec"
	RT_CGROUPS=$(rt_cgroup_parents docker)
	RT_START=$(date +%s)
	on_exit "docker_stop"
	dockerd --data-root "$RT_ROOT/var/lib/docker" --exec-root "$RT_DIR/exec" -H "unix://$RT_DIR/docker.sock" \
		--pidfile "$RT_DIR/dockerd.pid" --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
		--userland-proxy=false --log-level=warn >"$RT_DIR/dockerd.log" 2>&1 &
	echo $! >"$RT_DIR/dockerd.started"
	# The client on PATH may be another one; this one speaks to our socket.
	DOCKER="/usr/bin/docker -H unix://$RT_DIR/docker.sock"
	for ((i = 0; i < 120; i++)); do
		$DOCKER info >/dev/null 2>&1 && break
		sleep 0.25
	done
	if ! $DOCKER info >/dev/null 2>&1; then
		skip "$SUITE" "dockerd did not start: $(tail -2 "$RT_DIR/dockerd.log" | tr '\n' ' ')"
		return 1
	fi
	[ -d "$RT_DIR/image" ] || rt_image_root || return 1
	tar -C "$RT_DIR/image" -c . | $DOCKER import - "$RT_IMAGE" >/dev/null
}

docker_stop() {
	local pid i m id
	local ids=""
	if [ -n "${DOCKER:-}" ]; then
		ids=$($DOCKER ps -aq --no-trunc 2>/dev/null)
		echo "$ids" | xargs -r $DOCKER rm -f >/dev/null 2>&1
		# Containers a test removed itself left their cgroup2 directories too; the daemon's events name them
		# (up to the next second: events carry sub-second times, and this second's would be left out).
		ids=$( (echo "$ids"; $DOCKER events --since "$RT_START" --until "$(($(date +%s) + 1))" --filter type=container \
			--format '{{.Actor.ID}}' 2>/dev/null) | sort -u)
	fi
	pid=$(cat "$RT_DIR/dockerd.started" 2>/dev/null)
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 60 && $(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0); i++)); do sleep 0.25; done
		kill -KILL "$pid" 2>/dev/null
	fi
	# Its containerd and shims live under our exec root: end any left.
	pgrep -f "$RT_DIR/exec" | xargs -r kill -KILL 2>/dev/null
	rt_unmount
	# runc leaves a container's cgroup2 directory behind on hybrid hosts.
	for m in $(findmnt -n -t cgroup,cgroup2 -o TARGET); do
		for id in $ids; do rt_cgroup_clean "$m/docker/$id"; done
	done
	rt_cgroup_clean $RT_CGROUPS
	rm -rf "$RT_DIR"
}

# podman_start: sets PODMAN; 1 with a SKIP line when impossible. runc, because
# crun refuses hybrid cgroup hosts; rlimits lowered, as root here lacks
# CAP_SYS_RESOURCE to raise them (podman's defaults are higher).
podman_start() {
	if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
		skip "$SUITE" "podman or runc is not installed (make deps installs them)"
		return 1
	fi
	mkdir -p "$RT_ROOT/var/lib/containers/storage" "$RT_ROOT/run/containers/storage" "$RT_DIR/tmp"
	RT_CGROUPS=$(rt_cgroup_parents libpod_parent)
	on_exit "podman_stop"
	PODMAN="podman --root $RT_ROOT/var/lib/containers/storage --runroot $RT_ROOT/run/containers/storage"
	PODMAN="$PODMAN --tmpdir $RT_DIR/tmp --cgroup-manager cgroupfs --events-backend none --runtime $(command -v runc)"
	PODMAN_RUN="--network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
	[ -d "$RT_DIR/image" ] || rt_image_root || return 1
	if ! tar -C "$RT_DIR/image" -c . | $PODMAN import - "$RT_IMAGE" >"$RT_DIR/podman.log" 2>&1; then
		skip "$SUITE" "podman cannot import an image: $(tail -1 "$RT_DIR/podman.log")"
		return 1
	fi
}

podman_stop() {
	if [ -n "${PODMAN:-}" ]; then
		$PODMAN rm -fa -t 0 >/dev/null 2>&1
		$PODMAN rmi -fa >/dev/null 2>&1
	fi
	pgrep -f "conmon.*$RT_DIR" | xargs -r kill -KILL 2>/dev/null
	rt_unmount
	rt_cgroup_clean $RT_CGROUPS
	rm -rf "$RT_DIR"
}
