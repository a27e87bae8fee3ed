// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cgroup hierarchies as mounted here (pure v2, hybrid, or pure v1), found in
 * mountinfo rather than assumed at /sys/fs/cgroup, and a process's place in
 * each of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/cgroup.h"
#include "cgroup_internal.h"
#include "mountinfo.h"
#include "util.h"

struct insp_cgroup_hierarchies {
	struct insp_cgroup_hierarchy *v;
	size_t n;
	const char *proc_cgroups;	/* controller names the kernel knows */
};

bool cgroup_list_has(const char *list, const char *word, size_t len)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ", ");

		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
		p += strspn(p, ", ");
	}
	return false;
}

static bool subset(const char *a, const char *b)
{
	for (const char *p = a; *p;) {
		size_t n = strcspn(p, ",");

		if (n && !cgroup_list_has(b, p, n))
			return false;
		p += n;
		p += strspn(p, ",");
	}
	return true;
}

static bool same_set(const char *a, const char *b)
{
	return subset(a, b) && subset(b, a);
}

/* Is name a first-column entry of /proc/cgroups? */
static bool kernel_controller(const char *proc_cgroups, const char *name, size_t len)
{
	for (const char *p = proc_cgroups; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = strcspn(p, " \t\n");

		if (*p != '#' && n == len && strncmp(p, name, len) == 0)
			return true;
		p = eol ? eol + 1 : NULL;
	}
	return false;
}

/* The controllers (and name=) among a v1 mount's super options, comma-joined. */
static char *v1_controllers(const char *super_options, const char *proc_cgroups)
{
	size_t size = strlen(super_options) + 1, len = 0;
	char *out = malloc(size);

	if (!out)
		return NULL;
	out[0] = '\0';
	for (const char *p = super_options; *p;) {
		size_t n = strcspn(p, ",");

		if (strncmp(p, "name=", 5) == 0 || kernel_controller(proc_cgroups, p, n))
			len += (size_t)snprintf(out + len, size - len, "%s%.*s", len ? "," : "", (int)n, p);
		p += n;
		p += strspn(p, ",");
	}
	return out;
}

/*
 * Saved states have no cgroup.controllers to read: /proc/cgroups puts the
 * enabled controllers no v1 hierarchy holds in hierarchy 0, which is v2.
 */
static char *v2_controllers(const char *proc_cgroups)
{
	size_t size = strlen(proc_cgroups) + 1, len = 0;
	char *out = malloc(size);

	if (!out)
		return NULL;
	out[0] = '\0';
	for (const char *p = proc_cgroups; p && *p;) {
		const char *eol = strchr(p, '\n');
		char name[64];
		unsigned hierarchy, n, enabled;

		if (*p != '#' && sscanf(p, "%63s %u %u %u", name, &hierarchy, &n, &enabled) == 4 && !hierarchy &&
		    enabled)
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "," : "", name);
		p = eol ? eol + 1 : NULL;
	}
	return out;
}

static struct insp_cgroup_hierarchy *
match_line(const struct insp_cgroup_hierarchies *hs, bool unified, const char *controllers)
{
	for (size_t i = 0; i < hs->n; i++)
		if (hs->v[i].unified == unified && (unified || same_set(hs->v[i].controllers, controllers)))
			return &hs->v[i];
	return NULL;
}

static void hierarchy_release(struct insp_cgroup_hierarchy *h)
{
	free(h->mount);
	free(h->root);
	free(h->controllers);
}

static int add_mount(const struct mountinfo_entry *e, void *data)
{
	struct insp_cgroup_hierarchies *hs = data;
	struct insp_cgroup_hierarchy h = { .unified = strcmp(e->fstype, "cgroup2") == 0, .id = -1 }, *grown, *dup;

	if (!h.unified && strcmp(e->fstype, "cgroup") != 0)
		return 0;
	if (h.unified)
		h.id = 0;
	h.controllers = h.unified ? v2_controllers(hs->proc_cgroups) : v1_controllers(e->super_options, hs->proc_cgroups);
	if (!h.controllers)
		return -ENOMEM;
	/*
	 * The same hierarchy mounted twice (bind mounts): keep the first, unless
	 * the second is mounted over it. A node agent's container mounts the
	 * host's hierarchies over its own, to see every cgroup: the later
	 * mount is the one its path reaches.
	 */
	if ((dup = match_line(hs, h.unified, h.controllers))) {
		char *root = NULL;

		free(h.controllers);
		if (strcmp(dup->mount, e->target) != 0)
			return 0;
		if (!(root = strdup(e->root)))
			return -ENOMEM;
		free(dup->root);
		dup->root = root;
		return 0;
	}
	h.mount = strdup(e->target);
	h.root = strdup(e->root);
	grown = util_xreallocarray(hs->v, hs->n + 1, sizeof(*hs->v));
	if (!h.mount || !h.root || !grown) {
		hierarchy_release(&h);
		if (grown)
			hs->v = grown;
		return -ENOMEM;
	}
	hs->v = grown;
	hs->v[hs->n++] = h;
	return 0;
}

INSP_EXPORT int insp_cgroup_hierarchies_parse(struct insp_cgroup_hierarchies **out,
					      const char *mountinfo, const char *proc_cgroups,
					      struct insp_error *err)
{
	struct insp_cgroup_hierarchies *hs = calloc(1, sizeof(*hs));
	_cleanup_free_ char *copy = strdup(mountinfo);
	int r;

	if (!hs || !copy) {
		free(hs);
		return insp_error_set(err, ENOMEM, "cgroup hierarchies");
	}
	hs->proc_cgroups = proc_cgroups;
	r = mountinfo_foreach_buf(copy, add_mount, hs);
	hs->proc_cgroups = NULL;
	if (r < 0) {
		insp_cgroup_hierarchies_free(hs);
		return insp_error_set(err, -r, "cgroup hierarchies");
	}
	*out = hs;
	return 0;
}

/* v2 offers the controllers its root lists; the rest stay on v1 (hybrid hosts). */
static void read_v2_controllers(struct insp_cgroup_hierarchy *h)
{
	_cleanup_free_ char *path = NULL;
	char *text;
	size_t len;

	if (asprintf(&path, "%s/cgroup.controllers", h->mount) < 0 ||
	    util_read_all_at(AT_FDCWD, path, &text, &len) < 0)
		return;
	for (char *c = text; *c; c++)
		if (*c == ' ' || *c == '\n')
			*c = *(c + 1) ? ',' : '\0';
	free(h->controllers);
	h->controllers = text;
}

/* Our own /proc/self/cgroup numbers every hierarchy: "4:memory:/path". */
static void read_hierarchy_ids(struct insp_cgroup_hierarchies *hs)
{
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (util_read_all_at(AT_FDCWD, "/proc/self/cgroup", &text, &len) < 0)
		return;
	for (char *line = text; line && *line;) {
		char *eol = strchr(line, '\n'), *c1 = strchr(line, ':'), *c2;
		struct insp_cgroup_hierarchy *h;
		int id = atoi(line);

		if (eol)
			*eol = '\0';
		if (c1 && (c2 = strchr(c1 + 1, ':')) && id > 0) {
			*c2 = '\0';
			h = (struct insp_cgroup_hierarchy *)match_line(hs, false, c1 + 1);
			if (h)
				h->id = id;
		}
		line = eol ? eol + 1 : NULL;
	}
}

INSP_EXPORT int insp_cgroup_hierarchies_read(struct insp_cgroup_hierarchies **out,
					     struct insp_error *err)
{
	_cleanup_free_ char *mountinfo = NULL, *proc_cgroups = NULL;
	size_t len;
	int r;

	r = util_read_all_at(AT_FDCWD, "/proc/self/mountinfo", &mountinfo, &len);
	if (r < 0)
		return insp_error_set(err, -r, "/proc/self/mountinfo");
	/* Without v1 support the file may be missing: then every controller is v2's. */
	if (util_read_all_at(AT_FDCWD, "/proc/cgroups", &proc_cgroups, &len) < 0)
		proc_cgroups = NULL;
	r = insp_cgroup_hierarchies_parse(out, mountinfo, proc_cgroups ? proc_cgroups : "", err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < (*out)->n; i++)
		if ((*out)->v[i].unified)
			read_v2_controllers(&(*out)->v[i]);
	read_hierarchy_ids(*out);
	return 0;
}

INSP_EXPORT void insp_cgroup_hierarchies_free(struct insp_cgroup_hierarchies *hs)
{
	if (!hs)
		return;
	for (size_t i = 0; i < hs->n; i++)
		hierarchy_release(&hs->v[i]);
	free(hs->v);
	free(hs);
}

INSP_EXPORT size_t insp_cgroup_hierarchies_count(const struct insp_cgroup_hierarchies *hs)
{
	return hs->n;
}

INSP_EXPORT const struct insp_cgroup_hierarchy *
insp_cgroup_hierarchies_at(const struct insp_cgroup_hierarchies *hs, size_t i)
{
	return i < hs->n ? &hs->v[i] : NULL;
}

INSP_EXPORT const struct insp_cgroup_hierarchy *
insp_cgroup_hierarchy_for(const struct insp_cgroup_hierarchies *hs, const char *controller)
{
	const struct insp_cgroup_hierarchy *v2 = NULL;

	for (size_t i = 0; i < hs->n; i++) {
		if (!cgroup_list_has(hs->v[i].controllers, controller, strlen(controller)))
			continue;
		if (!hs->v[i].unified)
			return &hs->v[i];
		v2 = &hs->v[i];
	}
	return v2;
}

/* The directory of path under a mount whose root is root; NULL when outside it. */
static char *member_dir(const struct insp_cgroup_hierarchy *h, const char *path)
{
	size_t rlen = strcmp(h->root, "/") == 0 ? 0 : strlen(h->root);
	char *dir;

	if (rlen && (strncmp(path, h->root, rlen) != 0 || (path[rlen] && path[rlen] != '/')))
		return NULL;
	if (asprintf(&dir, "%s%s", h->mount, strcmp(path + rlen, "/") == 0 ? "" : path + rlen) < 0)
		return NULL;
	return dir;
}

static int add_member(struct insp_cgroup_membership *m, const struct insp_cgroup_hierarchies *hs,
		      const char *line, size_t len)
{
	const char *c1 = memchr(line, ':', len), *c2;
	struct insp_cgroup_member mb = { 0 }, *grown;

	if (!c1 || !(c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line))))
		return -EINVAL;
	mb.controllers = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
	mb.path = strndup(c2 + 1, len - (size_t)(c2 + 1 - line));
	if (!mb.controllers || !mb.path)
		goto nomem;
	mb.hierarchy = match_line(hs, c1 - line == 1 && line[0] == '0' && !*mb.controllers, mb.controllers);
	if (mb.hierarchy)
		mb.dir = member_dir(mb.hierarchy, mb.path);
	grown = util_xreallocarray(m->v, m->n + 1, sizeof(*m->v));
	if (!grown)
		goto nomem;
	m->v = grown;
	m->v[m->n++] = mb;
	return 0;
nomem:
	free(mb.controllers);
	free(mb.path);
	free(mb.dir);
	return -ENOMEM;
}

INSP_EXPORT int insp_cgroup_membership_parse(const char *cgroup_file,
					     const struct insp_cgroup_hierarchies *hs,
					     struct insp_cgroup_membership *out)
{
	struct insp_cgroup_membership m = { 0 };

	for (const char *line = cgroup_file; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		int r = len ? add_member(&m, hs, line, len) : 0;

		if (r < 0) {
			insp_cgroup_membership_free(&m);
			return r;
		}
		line = eol ? eol + 1 : NULL;
	}
	*out = m;
	return 0;
}

INSP_EXPORT void insp_cgroup_membership_free(struct insp_cgroup_membership *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].controllers);
		free(m->v[i].path);
		free(m->v[i].dir);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

INSP_EXPORT const struct insp_cgroup_member *
insp_cgroup_membership_for(const struct insp_cgroup_membership *m,
			   const struct insp_cgroup_hierarchies *hs, const char *controller)
{
	const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchy_for(hs, controller);

	for (size_t i = 0; h && i < m->n; i++)
		if (m->v[i].hierarchy == h)
			return &m->v[i];
	return NULL;
}
