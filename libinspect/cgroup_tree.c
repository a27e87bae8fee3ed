// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every cgroup below a path, walked once across all hierarchies at the
 * same time: a node is the union of the directories of that name, so a
 * hybrid host shows one tree, not one per controller.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup_internal.h"
#include "util.h"

struct entry {
	char *name;
	size_t hierarchy;
};

struct entries {
	struct entry *v;
	size_t n;
};

struct walk {
	insp_cgroup_visit_fn fn;
	void *data;
	int max_depth;
};

static int add_entry(struct entries *e, const char *name, size_t hierarchy)
{
	struct entry *grown = util_xreallocarray(e->v, e->n + 1, sizeof(*e->v));

	if (!grown)
		return -ENOMEM;
	e->v = grown;
	e->v[e->n].hierarchy = hierarchy;
	if (!(e->v[e->n].name = strdup(name)))
		return -ENOMEM;
	e->n++;
	return 0;
}

static void entries_free(struct entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].name);
	free(e->v);
}

/*
 * Child cgroups are the subdirectories; d_type saves a stat on cgroupfs. A
 * kernfs directory's link count is 2 plus its subdirectories, so a leaf
 * cgroup is known without reading its dozens of control files.
 */
static int list_children(int dirfd, size_t hierarchy, struct entries *e)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int fd, r = 0;

	if (fstat(dirfd, &st) == 0 && st.st_nlink == 2)
		return 0;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!(dir = fdopendir(fd))) {
		close(fd);
		return -errno;
	}
	while (r == 0 && (d = readdir(dir))) {
		if (d->d_name[0] == '.' && (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2])))
			continue;
		if (d->d_type == DT_DIR ||
		    (d->d_type == DT_UNKNOWN && fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		     S_ISDIR(st.st_mode)))
			r = add_entry(e, d->d_name, hierarchy);
	}
	closedir(dir);
	return r;
}

static int by_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->hierarchy > y->hierarchy) - (x->hierarchy < y->hierarchy);
}

static int visit(struct walk *w, struct insp_cgroup *cg, int depth);

/* Open entries [from, to), all named alike, as one child cgroup and visit it. */
static int visit_child(struct walk *w, const struct insp_cgroup *parent, const struct entry *from,
		       const struct entry *to, int depth)
{
	struct insp_cgroup *child = cgroup_alloc(parent->hs);
	bool any = false;
	int r = 0;

	if (!child || asprintf(&child->path, "%s/%s", strcmp(parent->path, "/") == 0 ? "" : parent->path,
			       from->name) < 0) {
		if (child)
			child->path = NULL;
		insp_cgroup_close(child);
		return -ENOMEM;
	}
	for (const struct entry *e = from; r == 0 && e < to; e++) {
		int fd = openat(parent->dirfd[e->hierarchy], e->name,
				O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		/* Removed since listed: normal on a live host. */
		if (fd < 0)
			continue;
		child->dirfd[e->hierarchy] = fd;
		if (!(child->sub[e->hierarchy] = strdup(child->path)))
			r = -ENOMEM;
		any = true;
	}
	if (r == 0 && any)
		r = visit(w, child, depth);
	insp_cgroup_close(child);
	return r;
}

static int visit(struct walk *w, struct insp_cgroup *cg, int depth)
{
	struct entries e = { 0 };
	int r = w->fn(cg, (unsigned)depth, w->data);

	if (r != 0 || (w->max_depth >= 0 && depth >= w->max_depth))
		return r < 0 ? r : 0;
	for (size_t i = 0; r == 0 && i < cg->n; i++)
		if (cg->dirfd[i] >= 0)
			r = list_children(cg->dirfd[i], i, &e);
	if (r == 0 && e.n)
		qsort(e.v, e.n, sizeof(*e.v), by_name);
	for (size_t i = 0, j; r == 0 && i < e.n; i = j) {
		for (j = i + 1; j < e.n && strcmp(e.v[j].name, e.v[i].name) == 0; j++)
			;
		r = visit_child(w, cg, &e.v[i], &e.v[j], depth + 1);
	}
	entries_free(&e);
	return r;
}

INSP_EXPORT int insp_cgroup_walk(const struct insp_cgroup_hierarchies *hs, const char *path, int max_depth,
				 insp_cgroup_visit_fn fn, void *data, struct insp_error *err)
{
	struct walk w = { .fn = fn, .data = data, .max_depth = max_depth };
	struct insp_cgroup *root;
	int r = insp_cgroup_open(hs, path, &root, err);

	if (r < 0)
		return r;
	r = visit(&w, root, 0);
	if (r < 0 && err && !err->code)
		insp_error_set(err, -r, "cgroup tree %s", root->path);
	insp_cgroup_close(root);
	return r;
}

static int by_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static int add_pids(const char *text, pid_t **pids, size_t *n)
{
	for (const char *p = text; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		pid_t *grown;

		if (end == p)
			break;
		if (!(grown = util_xreallocarray(*pids, *n + 1, sizeof(**pids))))
			return -ENOMEM;
		*pids = grown;
		(*pids)[(*n)++] = (pid_t)v;
		p = end + strspn(end, "\n");
	}
	return 0;
}

INSP_EXPORT int insp_cgroup_procs(const struct insp_cgroup *cg, pid_t **out, size_t *count)
{
	pid_t *pids = NULL;
	size_t n = 0, kept = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < cg->n; i++) {
		_cleanup_free_ char *text = NULL;
		size_t len;

		if (cg->dirfd[i] < 0)
			continue;
		r = util_read_all_at(cg->dirfd[i], "cgroup.procs", &text, &len);
		r = r == -ENOENT ? 0 : r == 0 ? add_pids(text, &pids, &n) : r;
	}
	if (r < 0) {
		free(pids);
		return r;
	}
	if (n)
		qsort(pids, n, sizeof(*pids), by_pid);
	for (size_t i = 0; i < n; i++)
		if (!kept || pids[kept - 1] != pids[i])
			pids[kept++] = pids[i];
	*out = pids;
	*count = kept;
	return 0;
}
