// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "output.h"
#include "procinfo.h"
#include "xalloc.h"

const char *user_cache_name(struct user_cache *c, uid_t uid)
{
	char buf[256];

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].uid == uid)
			return c->v[i].name;
	if (insp_user_name(uid, buf, sizeof(buf)) < 0)
		snprintf(buf, sizeof(buf), "%u", (unsigned)uid);
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n].uid = uid;
	c->v[c->n].name = xstrdup(buf);
	return c->v[c->n++].name;
}

void user_cache_free(struct user_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].name);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

const char *proc_command(struct insp_proc *p)
{
	if (insp_proc_fill(p, INSP_PROC_CMDLINE, NULL) < 0)
		return NULL;
	if (p->cmdline && *p->cmdline)
		return p->cmdline;
	/* Kernel threads and zombies have no arguments: show the name, as ps does. */
	if (insp_proc_fill(p, INSP_PROC_STAT, NULL) < 0)
		return NULL;
	return p->comm;
}

int proc_container(struct insp_proc *p, struct insp_container_ref *ref)
{
	int r = insp_proc_fill(p, INSP_PROC_CGROUP, NULL);

	if (r < 0)
		return r;
	return insp_container_from_cgroup_file(p->cgroup_file, ref);
}

const char *container_label(const struct insp_container_info *c, char *buf, size_t size)
{
	if (c->name[0])
		snprintf(buf, size, "%s:%s", c->ref.runtime, c->name);
	else if (insp_container_short(&c->ref, buf, size) < 0)
		snprintf(buf, size, "%s:?", c->ref.runtime);
	return buf;
}

void row_set_container(struct row *row, int col, const struct insp_container_info *c)
{
	char buf[320];

	row_set(row, col, container_label(c, buf, sizeof(buf)));
	row_set_json(row, col, json_container(c));
}

void row_set_nsfs(struct row *row, int col, const struct insp_ns *ns)
{
	size_t len = 1;
	char *s;

	if (!ns->nnsfs)
		return;
	for (size_t i = 0; i < ns->nnsfs; i++)
		len += strlen(ns->nsfs[i]) + 1;
	s = xcalloc(1, len);
	for (size_t i = 0; i < ns->nnsfs; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, ns->nsfs[i]);
	}
	row_set(row, col, s);
	free(s);
}
