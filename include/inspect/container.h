/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_CONTAINER_H
#define INSPECT_CONTAINER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <inspect/error.h>

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

/* What the runtime's own state files say about a container. */
struct insp_container_info {
	struct insp_container_ref ref;
	char name[256];		/* docker/podman name, lxc/nspawn name, else the k8s container name */
	char image[512];
	char pod_name[256];	/* kubernetes, "" elsewhere */
	char pod_namespace[256];
	char k8s_container[256];
	char state_file[4096];	/* the file read; "" if none was found */
	char state_error[512];	/* why a state file found was not used ("...: not JSON"); "" if none */
};

/*
 * Read the state files of ref's runtime below root ("/" normally; "/host"
 * when the host's filesystem is mounted there): docker's config.v2.json,
 * the OCI bundle config.json of containerd, cri-o and podman, and
 * containers/storage's containers.json. Every file is read inside root,
 * never through a symlink at its end, only when regular and capped in size.
 * Returns 0, -ENOENT when no file exists, or -EINVAL when one exists but is
 * refused or not JSON (state_error says why); out still holds ref, and the
 * name for lxc and nspawn.
 */
int insp_container_info_read(const struct insp_container_ref *ref, const char *root,
			     struct insp_container_info *out, struct insp_error *err);

/*
 * The container a process runs in, from /proc/PID/cgroup: 0, -ENOENT when
 * it runs in none, -ESRCH when it has exited.
 */
int insp_container_of_pid(pid_t pid, struct insp_container_ref *out);

/*
 * Container identities for tools that meet many processes: each container's
 * state files are read once, when it is first asked for (and again at most
 * once a second while they are missing, as a starting container has none
 * yet). insp_container_cache_sweep forgets the containers not asked for
 * since the previous sweep, so a long-running tool stays small.
 */
struct insp_container_cache;

int insp_container_cache_new(struct insp_container_cache **out, const char *state_root,
			     struct insp_error *err);
void insp_container_cache_free(struct insp_container_cache *c);
/* Never NULL (NULL only without memory); name is "" when no state names it. */
const struct insp_container_info *insp_container_cache_get(struct insp_container_cache *c,
							   const struct insp_container_ref *ref);
void insp_container_cache_sweep(struct insp_container_cache *c);

/*
 * The container whose cgroup has this kernfs id in a hierarchy (the kernel's
 * hierarchy id, 0 for cgroup2), as eBPF events carry them; -ENOENT for a
 * cgroup of no container, or one removed since. Remembered per id.
 */
int insp_container_of_cgroup_id(struct insp_container_cache *c, int hierarchy, uint64_t id,
				 struct insp_container_ref *out);

/*
 * The container of an event's caller: from the cgroups it was in at the
 * call, so that a short-lived caller (runc's children) is still placed;
 * from /proc when those say nothing.
 */
struct insp_event;
int insp_container_of_event(struct insp_container_cache *c, const struct insp_event *e,
			    struct insp_container_ref *out);

#ifdef __cplusplus
}
#endif
#endif
