// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Namespaces kept alive without a process in them: bind-mounted nsfs files
 * (ip netns add, unshare --net=FILE) and file descriptors held open.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "mountinfo.h"
#include "ns_internal.h"
#include "proc_internal.h"
#include "util.h"

struct nsfs_walk {
	struct insp_ns_table *table;
	bool add_missing;
};

static int add_mount_point(struct insp_ns *ns, const char *target)
{
	for (size_t i = 0; i < ns->nnsfs; i++)
		if (strcmp(ns->nsfs[i], target) == 0)
			return 0;
	if (util_strv_append(&ns->nsfs, &ns->nnsfs, target) < 0)
		return -ENOMEM;
	ns->flags |= INSP_NS_F_NSFS;
	return 0;
}

static int on_mount(const struct mountinfo_entry *e, void *data)
{
	struct nsfs_walk *w = data;
	enum insp_ns_type type;
	struct insp_ns *ns;
	ino_t ino;

	if (strcmp(e->fstype, "nsfs") != 0 || ns_parse_link(e->root, &type, &ino) < 0)
		return 0;
	ns = insp_ns_table_find(w->table, ino);
	if (!ns && w->add_missing)
		ns = ns_table_get(w->table, type, ino);
	if (!ns)
		return w->add_missing ? -ENOMEM : 0;
	return add_mount_point(ns, e->target);
}

int ns_collect_nsfs(struct insp_ns_table *t, bool add_missing, struct insp_error *err)
{
	struct nsfs_walk w = { .table = t, .add_missing = add_missing };
	int r = mountinfo_foreach("/proc/self/mountinfo", on_mount, &w);

	return r < 0 ? insp_error_set(err, r, "/proc/self/mountinfo") : 0;
}

static int scan_fds_of(struct insp_ns_table *t, pid_t pid)
{
	char path[64], target[64];
	_cleanup_close_ int dfd = -1;
	DIR *dir;
	struct dirent *de;
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !(dir = fdopendir(dfd)))
		return 0;	/* exited or not ours to read: nothing to add */
	dfd = -1;
	while ((de = readdir(dir))) {
		enum insp_ns_type type;
		struct insp_ns *ns;
		ino_t ino;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(dir), de->d_name, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (ns_parse_link(target, &type, &ino) < 0)
			continue;
		ns = insp_ns_table_find(t, ino);
		if (ns && (ns->nprocs || (ns->flags & (INSP_NS_F_FD | INSP_NS_F_NSFS))))
			continue;
		if (!ns && !(ns = ns_table_get(t, type, ino))) {
			r = -ENOMEM;
			break;
		}
		ns->flags = (ns->flags & ~INSP_NS_F_CHILDREN) | INSP_NS_F_FD;
		ns->holder_pid = pid;
		ns->holder_fd = atoi(de->d_name);
	}
	closedir(dir);
	return r;
}

int ns_collect_fds(struct insp_ns_table *t, struct insp_procs *procs)
{
	for (size_t i = 0; i < procs->n; i++) {
		int r = scan_fds_of(t, procs->v[i].pid);

		if (r < 0)
			return r;
	}
	return 0;
}
