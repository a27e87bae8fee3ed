/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_MOUNTS_H
#define INSPECT_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include <inspect/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The mounts a process sees, with what each is on the host: a bind
 * mount's host path, an overlay's lower and upper directories, and
 * warnings for mounts that commonly break a container's isolation.
 * Mount points and sources are the container's choice: untrusted text.
 */
struct insp_mount {
	int id, parent;
	unsigned major, minor;
	char *target;			/* the mount point, as the process sees it */
	char *root;			/* the directory of its filesystem mounted there */
	char *fstype, *source;
	bool read_only;
	bool masked;			/* hidden: /dev/null or an empty read-only tmpfs over it */
	int shared, master;		/* propagation peer groups; 0 for none (private) */
	bool unbindable;
	char *host_path;		/* where the host sees the same directory; NULL if nowhere */
	char **lower;			/* overlay: lower directories, uppermost first */
	size_t nlower;
	char *upper;			/* overlay: the upper directory; NULL if none */
};

struct insp_mounts {
	struct insp_mount *v;		/* in mountinfo order: parents before children */
	size_t n;
	char **warnings;		/* one line each, naming the mount point */
	size_t nwarnings;
	bool host_view;			/* the caller's own mount namespace: nothing to warn of */
};

/*
 * The mounts of the process below proc_dirfd (its /proc/PID directory),
 * resolved against the caller's own mount namespace as the host's.
 */
int insp_mounts_read(int proc_dirfd, struct insp_mounts *out, struct insp_error *err);

/* The same from mountinfo texts (both modified in place): the process's and the host's. */
int insp_mounts_parse(char *mountinfo, char *host_mountinfo, bool host_view, struct insp_mounts *out);

void insp_mounts_free(struct insp_mounts *m);

/* "shared:3", "master:2", "shared:3,master:2", "private", "unbindable" */
int insp_mount_propagation(const struct insp_mount *m, char *buf, size_t size);

/* The mount the process's root directory is. */
const struct insp_mount *insp_mounts_root(const struct insp_mounts *m);

#ifdef __cplusplus
}
#endif
#endif
