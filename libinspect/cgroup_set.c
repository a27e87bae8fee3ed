// SPDX-License-Identifier: LGPL-2.1-or-later
/* Applying a planned set in order, and putting everything back when one write fails. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_internal.h"
#include "util.h"

int cgroup_write_file(int dirfd, const char *file, const char *text)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	size_t len = strlen(text);
	ssize_t n;

	if (fd < 0)
		return -errno;
	/* One write(2) is one command to cgroupfs; an empty value is a lone newline. */
	n = write(fd, len ? text : "\n", len ? len : 1);
	if (n < 0)
		return -errno;
	return (size_t)n == (len ? len : 1) ? 0 : -EIO;
}

const char *cgroup_write_hint(const char *file, int code)
{
	bool procs = strcmp(file, "cgroup.procs") == 0 || strcmp(file, "tasks") == 0;
	bool subtree = strcmp(file, "cgroup.subtree_control") == 0;

	switch (code) {
	case EBUSY:
		if (procs)
			return "no internal processes: the cgroup has controllers enabled in cgroup.subtree_control, use a leaf";
		if (subtree)
			return "no internal processes: the cgroup has processes of its own, move them to a child first";
		if (strstr(file, "limit_in_bytes") || strcmp(file, "memory.max") == 0)
			return "usage is above the new limit and could not be reclaimed";
		return "in use";
	case ENOENT:
		return subtree ? "a controller is not enabled in the parent's cgroup.subtree_control"
			       : "no such file: is the controller enabled in the parent's cgroup.subtree_control?";
	case EACCES:
		return "denied by the file's mode or owner (the cgroup is not delegated to you)";
	case EPERM:
		return "not permitted: needs CAP_SYS_ADMIN over the cgroup's namespace, or a delegated subtree";
	case EINVAL:
		return "the kernel refused the value";
	case ENOSPC:
		return "no cpus or memory nodes left for the cgroup's tasks";
	case EAGAIN:
		return "an ancestor's cgroup.max.descendants or cgroup.max.depth is reached";
	case EOPNOTSUPP:
		return "not supported on this cgroup (the root, or a threaded cgroup)";
	case ENODEV:
		return "no such device";
	default:
		return NULL;
	}
}

int cgroup_error(struct insp_error *err, int code, const char *file, const char *fmt, ...)
{
	const char *hint = cgroup_write_hint(file, code);
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return insp_error_set_msg(err, code, "%s: %s%s%s%s", what, strerror(code), hint ? " (" : "",
				  hint ? hint : "", hint ? ")" : "");
}

/* Undo writes [0, upto) newest first; returns how many could not be undone. */
static size_t roll_back(const struct cgroup_plan *plan, size_t upto, char *failed, size_t size)
{
	size_t bad = 0;

	for (size_t i = upto; i-- > 0;) {
		const struct cgroup_write *w = &plan->w[i];

		if (!w->undo || cgroup_write_file(w->dirfd, w->file, w->undo) == 0)
			continue;
		bad++;
		snprintf(failed + strlen(failed), size - strlen(failed), "%s%s", *failed ? ", " : "", w->file);
	}
	return bad;
}

static int apply(const struct cgroup_plan *plan, char *const *assignments, struct insp_error *err)
{
	for (size_t i = 0; i < plan->n; i++) {
		const struct cgroup_write *w = &plan->w[i];
		int r = cgroup_write_file(w->dirfd, w->file, w->text);
		char failed[256] = "";
		size_t unrestored;

		if (r == 0)
			continue;
		unrestored = roll_back(plan, i, failed, sizeof(failed));
		cgroup_error(err, -r, w->file, "%s: %s", assignments[w->change], w->file);
		if (err && unrestored)
			snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg),
				 "; could not restore %s", failed);
		else if (err && i)
			snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg),
				 "; the %zu write%s before it restored", i, i > 1 ? "s" : "");
		return r;
	}
	return 0;
}

static int split(const char *assignment, char *name, size_t size, const char **value, struct insp_error *err)
{
	const char *eq = strchr(assignment, '=');

	if (!eq || eq == assignment)
		return insp_error_input(err, EINVAL, "\"%s\": expected KNOB=VALUE", assignment);
	if ((size_t)(eq - assignment) >= size)
		return insp_error_input(err, EINVAL, "\"%s\": not a knob name", assignment);
	snprintf(name, size, "%.*s", (int)(eq - assignment), assignment);
	*value = eq + 1;
	return 0;
}

static int check_repeat(struct insp_cgroup_changes *c, const char *name, struct insp_error *err)
{
	/* io.max takes one device per assignment, so it may come back. */
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].knob, name) == 0 && strcmp(name, "io.max") != 0)
			return insp_error_input(err, EINVAL, "%s: given twice", name);
	return 0;
}

static int plan_all(const struct insp_cgroup *cg, char *const *assignments, size_t n,
		    struct cgroup_plan *plan, struct insp_cgroup_changes *out, struct insp_error *err)
{
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v)
		return insp_error_set(err, ENOMEM, "cgroup set");
	for (size_t i = 0; i < n; i++) {
		struct insp_cgroup_change *ch = &out->v[i];
		char name[64];
		const char *value = NULL;
		int r = split(assignments[i], name, sizeof(name), &value, err);

		if (r == 0)
			r = check_repeat(out, name, err);
		if (r == 0 && !(ch->knob = strdup(name)))
			r = insp_error_set(err, ENOMEM, "cgroup set");
		if (r < 0)
			return r;
		out->n++;
		plan->change = i;
		if ((r = cgroup_knob_plan(cg, name, value, plan, &ch->old_value, &ch->new_value, err)) < 0)
			return r;
	}
	return 0;
}

/* What the kernel stored (it rounds), rather than what was asked for. */
static void read_back(const struct insp_cgroup *cg, struct insp_cgroup_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		char *now;

		if (strcmp(c->v[i].knob, "io.max") == 0 || strcmp(c->v[i].knob, "cgroup.subtree_control") == 0 ||
		    insp_cgroup_get(cg, c->v[i].knob, &now, NULL) < 0)
			continue;
		free(c->v[i].new_value);
		c->v[i].new_value = now;
	}
}

INSP_EXPORT int insp_cgroup_set(const struct insp_cgroup *cg, char *const *assignments, size_t n,
				unsigned flags, struct insp_cgroup_changes *out, struct insp_error *err)
{
	struct cgroup_plan plan = { 0 };
	int r;

	*out = (struct insp_cgroup_changes){ 0 };
	r = plan_all(cg, assignments, n, &plan, out, err);
	if (r == 0 && !(flags & INSP_CGROUP_DRY_RUN) && (r = apply(&plan, assignments, err)) == 0)
		read_back(cg, out);
	cgroup_plan_free(&plan);
	if (r < 0)
		insp_cgroup_changes_free(out);
	return r;
}

INSP_EXPORT void insp_cgroup_changes_free(struct insp_cgroup_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].knob);
		free(c->v[i].old_value);
		free(c->v[i].new_value);
	}
	free(c->v);
	*c = (struct insp_cgroup_changes){ 0 };
}
