/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_CONTAINER_H
#define INSPECT_CONTAINER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A container as its cgroup path names it. */
struct insp_container_ref {
	char runtime[16];	/* docker, containerd, cri-o, podman, lxc, nspawn, cri */
	char id[128];		/* full id (64 hex) or name (lxc, nspawn) */
	char pod_uid[40];	/* kubernetes pod uid, "" outside kubepods */
	char qos[16];		/* guaranteed, burstable or besteffort, "" outside kubepods */
};

/*
 * Recognise a container from one cgroup path (cgroupfs or systemd driver
 * layouts). Returns 0, or -ENOENT when the path is not a container's.
 */
int insp_container_from_cgroup_path(const char *path, struct insp_container_ref *out);

/*
 * Same over a whole /proc/PID/cgroup text: the v2 path first, then every v1
 * hierarchy (hybrid hosts put containers only there).
 */
int insp_container_from_cgroup_file(const char *text, struct insp_container_ref *out);

/* "docker:3f2a1c9e" (ids cut to 12 hex digits, names kept). */
int insp_container_short(const struct insp_container_ref *ref, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
