// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Joining the target's cgroups. cgroup.procs is opened while we still see
 * the host's hierarchies; the kernel checks a migration against the opener's
 * credentials and cgroup namespace (Linux 5.16), so the child can write "0"
 * (itself) after it has entered the target's namespaces.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "inspect/cgroup.h"
#include "join_internal.h"
#include "util.h"

static const struct insp_cgroup_member *member_in(const struct insp_cgroup_membership *m,
						  const struct insp_cgroup_hierarchy *h)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].hierarchy == h)
			return &m->v[i];
	return NULL;
}

static int add_cgroup(struct insp_join *j, const struct insp_cgroup_member *m,
		      struct insp_error *err)
{
	const char *name = m->hierarchy->unified ? "cgroup2" : m->hierarchy->controllers;
	_cleanup_free_ char *procs = NULL;
	struct join_cgroup *v;
	int fd;

	if (!m->dir)
		return insp_error_set_msg(err, ENOENT, "cgroup %s: %s is outside its mount here", name,
					  m->path);
	if (asprintf(&procs, "%s/cgroup.procs", m->dir) < 0)
		return insp_error_set(err, ENOMEM, "cgroup %s", name);
	v = util_xreallocarray(j->cgroups, j->ncgroups + 1, sizeof(*v));
	if (!v)
		return insp_error_set(err, ENOMEM, "cgroup %s", name);
	j->cgroups = v;
	fd = open(procs, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return insp_error_set(err, errno, "cgroup %s: %s", name, procs);
	v[j->ncgroups].procs_fd = fd;
	v[j->ncgroups].name = strdup(name);
	j->ncgroups++;
	return 0;
}

int join_cgroup_open(struct insp_join *j, struct insp_error *err)
{
	struct insp_cgroup_membership target = { 0 }, self = { 0 };
	_cleanup_free_ char *target_text = NULL, *self_text = NULL;
	struct insp_cgroup_hierarchies *hs;
	size_t len;
	int r;

	if ((r = util_read_all_at(j->proc_fd, "cgroup", &target_text, &len)) < 0)
		return insp_error_set(err, -r, "cgroup");
	if ((r = util_read_all_at(AT_FDCWD, "/proc/self/cgroup", &self_text, &len)) < 0)
		return insp_error_set(err, -r, "/proc/self/cgroup");
	/* Already where it is, in every hierarchy. */
	if (strcmp(target_text, self_text) == 0)
		return 0;
	r = insp_cgroup_hierarchies_read(&hs, err);
	if (r < 0)
		return r;
	if ((r = insp_cgroup_membership_parse(target_text, hs, &target)) < 0 ||
	    (r = insp_cgroup_membership_parse(self_text, hs, &self)) < 0)
		insp_error_set(err, -r, "cgroup");
	for (size_t i = 0; r == 0 && i < target.n; i++) {
		const struct insp_cgroup_member *m = &target.v[i], *mine;

		/* A hierarchy not mounted here cannot be joined, nor left. */
		if (!m->hierarchy)
			continue;
		mine = member_in(&self, m->hierarchy);
		if (mine && strcmp(mine->path, m->path) == 0)
			continue;
		r = add_cgroup(j, m, err);
	}
	insp_cgroup_membership_free(&target);
	insp_cgroup_membership_free(&self);
	insp_cgroup_hierarchies_free(hs);
	return r;
}

int join_cgroup_enter(struct insp_join *j, struct insp_error *err)
{
	for (size_t i = 0; i < j->ncgroups; i++) {
		if (write(j->cgroups[i].procs_fd, "0", 1) == 1)
			continue;
		return insp_error_set(err, errno, "join cgroup %s", j->cgroups[i].name);
	}
	return 0;
}

void join_cgroup_close(struct insp_join *j)
{
	for (size_t i = 0; i < j->ncgroups; i++) {
		close(j->cgroups[i].procs_fd);
		free(j->cgroups[i].name);
	}
	free(j->cgroups);
	j->cgroups = NULL;
	j->ncgroups = 0;
}
