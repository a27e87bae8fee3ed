// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One logical cgroup path ("/system.slice/foo.service") opened in every
 * hierarchy that has it. Nothing here follows a symlink or leaves a
 * hierarchy's mount: a cgroup name comes from users and containers alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "cgroup_internal.h"
#include "util.h"

INSP_EXPORT int insp_cgroup_path_normalize(const char *in, char **out, struct insp_error *err)
{
	_cleanup_free_ char *path = malloc(strlen(in) + 2);
	size_t len = 0;

	if (!path)
		return insp_error_set(err, ENOMEM, "cgroup path");
	for (const char *p = in; *p;) {
		size_t n = strcspn(p, "/");

		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return insp_error_input(err, EINVAL, "cgroup path \"%s\": \".\" and \"..\" are not allowed",
						  in);
		if (n > 255)
			return insp_error_input(err, ENAMETOOLONG, "cgroup path \"%s\": a name is longer than 255",
						  in);
		if (n) {
			path[len++] = '/';
			memcpy(path + len, p, n);
			len += n;
		}
		p += n;
		p += strspn(p, "/");
	}
	if (!len)
		path[len++] = '/';
	path[len] = '\0';
	*out = TAKE_PTR(path);
	return 0;
}

/* The same walk as openat2 for kernels before 5.6: one component at a time. */
static int open_components(int fd, const char *rel, int flags)
{
	_cleanup_free_ char *copy = strdup(rel);
	char *save = NULL, *name;
	int cur = fcntl(fd, F_DUPFD_CLOEXEC, 3);

	if (!copy || cur < 0) {
		if (cur >= 0)
			close(cur);
		return -ENOMEM;
	}
	for (name = strtok_r(copy, "/", &save); name; name = strtok_r(NULL, "/", &save)) {
		int next = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		close(cur);
		if (next < 0)
			return -errno;
		cur = next;
	}
	fd = openat(cur, ".", flags | O_CLOEXEC);
	close(cur);
	return fd < 0 ? -errno : fd;
}

int cgroup_open_below(const struct insp_cgroup_hierarchy *h, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_DIRECTORY | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	_cleanup_close_ int mount = open(h->mount, O_PATH | O_DIRECTORY | O_CLOEXEC);
	const char *rel = path + strspn(path, "/");
	long fd;

	if (mount < 0)
		return -errno;
	fd = syscall(SYS_openat2, mount, *rel ? rel : ".", &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		return open_components(mount, rel, flags | O_DIRECTORY);
	return fd < 0 ? -errno : (int)fd;
}

size_t cgroup_hierarchy_index(const struct insp_cgroup_hierarchies *hs,
			      const struct insp_cgroup_hierarchy *h)
{
	return (size_t)(h - insp_cgroup_hierarchies_at(hs, 0));
}

struct insp_cgroup *cgroup_alloc(const struct insp_cgroup_hierarchies *hs)
{
	struct insp_cgroup *cg = calloc(1, sizeof(*cg));

	if (!cg)
		return NULL;
	cg->hs = hs;
	cg->n = insp_cgroup_hierarchies_count(hs);
	cg->dirfd = malloc((cg->n ? cg->n : 1) * sizeof(*cg->dirfd));
	cg->sub = calloc(cg->n ? cg->n : 1, sizeof(*cg->sub));
	cg->ids = calloc(cg->n ? cg->n : 1, sizeof(*cg->ids));
	if (!cg->dirfd || !cg->sub || !cg->ids) {
		free(cg->dirfd);
		free(cg->sub);
		free(cg->ids);
		free(cg);
		return NULL;
	}
	for (size_t i = 0; i < cg->n; i++)
		cg->dirfd[i] = -1;
	return cg;
}

INSP_EXPORT int insp_cgroup_open(const struct insp_cgroup_hierarchies *hs, const char *path,
				 struct insp_cgroup **out, struct insp_error *err)
{
	struct insp_cgroup *cg;
	int r, denied = 0;
	bool found = false;

	cg = cgroup_alloc(hs);
	if (!cg)
		return insp_error_set(err, ENOMEM, "cgroup %s", path);
	r = insp_cgroup_path_normalize(path, &cg->path, err);
	for (size_t i = 0; r == 0 && i < cg->n; i++) {
		int fd = cgroup_open_below(insp_cgroup_hierarchies_at(hs, i), cg->path, O_RDONLY);

		if (fd < 0 && fd != -ENOENT && fd != -ENOTDIR)
			denied = -fd;
		if (fd >= 0 && !(cg->sub[i] = strdup(cg->path))) {
			close(fd);
			r = insp_error_set(err, ENOMEM, "cgroup %s", path);
		}
		cg->dirfd[i] = fd < 0 ? -1 : fd;
		found |= fd >= 0;
	}
	if (r == 0 && !found)
		r = insp_error_set(err, denied ? denied : ENOENT, "cgroup %s", cg->path);
	if (r < 0) {
		insp_cgroup_close(cg);
		return r;
	}
	*out = cg;
	return 0;
}

static int open_members(const struct insp_cgroup_hierarchies *hs, const struct insp_cgroup_membership *m,
			bool every_hierarchy, struct insp_cgroup **out, struct insp_error *err)
{
	struct insp_cgroup *cg = cgroup_alloc(hs);
	const char *longest = NULL;

	if (!cg)
		return insp_error_set(err, ENOMEM, "cgroup");
	for (size_t k = 0; k < m->n; k++) {
		const struct insp_cgroup_member *mb = &m->v[k];
		const char *rel;
		size_t i;
		int fd;

		if (!mb->hierarchy || !mb->dir)
			continue;
		i = cgroup_hierarchy_index(hs, mb->hierarchy);
		rel = mb->dir + strlen(mb->hierarchy->mount);
		if (cg->dirfd[i] >= 0 || (fd = cgroup_open_below(mb->hierarchy, rel, O_RDONLY)) < 0)
			continue;
		cg->dirfd[i] = fd;
		if (!(cg->sub[i] = strdup(*rel ? rel : "/"))) {
			insp_cgroup_close(cg);
			return insp_error_set(err, ENOMEM, "cgroup");
		}
		if (!longest || strlen(cg->sub[i]) > strlen(longest))
			longest = cg->sub[i];
	}
	if (!longest) {
		insp_cgroup_close(cg);
		return insp_error_set_msg(err, ENOENT, "the process's cgroups are not mounted here");
	}
	/* One cgroup: hierarchies that put the process elsewhere (often "/") are not part of it. */
	for (size_t i = 0; i < cg->n && !every_hierarchy; i++) {
		if (!cg->sub[i] || cg->sub[i] == longest || strcmp(cg->sub[i], longest) == 0)
			continue;
		close(cg->dirfd[i]);
		cg->dirfd[i] = -1;
		free(cg->sub[i]);
		cg->sub[i] = NULL;
	}
	if (!(cg->path = strdup(longest))) {
		insp_cgroup_close(cg);
		return insp_error_set(err, ENOMEM, "cgroup");
	}
	*out = cg;
	return 0;
}

INSP_EXPORT int insp_cgroup_open_membership(const struct insp_cgroup_hierarchies *hs,
					    const struct insp_cgroup_membership *m,
					    struct insp_cgroup **out, struct insp_error *err)
{
	return open_members(hs, m, false, out, err);
}

INSP_EXPORT int insp_cgroup_open_process(const struct insp_cgroup_hierarchies *hs,
					 const struct insp_cgroup_membership *m, struct insp_cgroup **out,
					 struct insp_error *err)
{
	return open_members(hs, m, true, out, err);
}

INSP_EXPORT void insp_cgroup_close(struct insp_cgroup *cg)
{
	if (!cg)
		return;
	for (size_t i = 0; i < cg->n; i++) {
		if (cg->dirfd[i] >= 0)
			close(cg->dirfd[i]);
		free(cg->sub[i]);
	}
	cgroup_files_free(cg->files);
	free(cg->dirfd);
	free(cg->sub);
	free(cg->ids);
	free(cg->path);
	free(cg);
}

INSP_EXPORT struct insp_cgroup *insp_cgroup_dup(const struct insp_cgroup *cg)
{
	struct insp_cgroup *copy = cgroup_alloc(cg->hs);

	if (!copy || !(copy->path = strdup(cg->path))) {
		insp_cgroup_close(copy);
		return NULL;
	}
	for (size_t i = 0; i < cg->n; i++) {
		if (cg->dirfd[i] < 0)
			continue;
		copy->dirfd[i] = fcntl(cg->dirfd[i], F_DUPFD_CLOEXEC, 3);
		copy->sub[i] = strdup(cg->sub[i]);
		copy->ids[i] = cg->ids[i];
		if (copy->dirfd[i] < 0 || !copy->sub[i]) {
			insp_cgroup_close(copy);
			return NULL;
		}
	}
	return copy;
}

INSP_EXPORT const char *insp_cgroup_path(const struct insp_cgroup *cg)
{
	return cg->path;
}

INSP_EXPORT const char *insp_cgroup_path_in(const struct insp_cgroup *cg,
					    const struct insp_cgroup_hierarchy *h)
{
	size_t i = cgroup_hierarchy_index(cg->hs, h);

	return i < cg->n ? cg->sub[i] : NULL;
}

INSP_EXPORT uint64_t insp_cgroup_id_in(const struct insp_cgroup *cg, const struct insp_cgroup_hierarchy *h)
{
	size_t i = cgroup_hierarchy_index(cg->hs, h);
	struct stat st;

	if (i >= cg->n || cg->dirfd[i] < 0)
		return 0;
	/* A cgroup directory's inode number is its kernfs id on 64-bit kernels; tools ask every refresh. */
	if (!cg->ids[i] && fstat(cg->dirfd[i], &st) == 0)
		cg->ids[i] = (uint64_t)st.st_ino;
	return cg->ids[i];
}

int cgroup_open_parent(const struct insp_cgroup *cg, size_t i)
{
	_cleanup_free_ char *parent = NULL;
	char *slash;

	if (i >= cg->n || !cg->sub[i])
		return -ENOENT;
	if (strcmp(cg->sub[i], "/") == 0)
		return -ENOENT;
	parent = strdup(cg->sub[i]);
	if (!parent)
		return -ENOMEM;
	slash = strrchr(parent, '/');
	slash[slash == parent ? 1 : 0] = '\0';
	return cgroup_open_below(insp_cgroup_hierarchies_at(cg->hs, i), parent, O_RDONLY);
}
