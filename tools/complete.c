// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsctl --complete WHAT [--root DIR]: words for the shell completions, one
 * per line, quiet and fast (no eBPF, no process scan): the names of running
 * containers (from the cgroup tree and the runtimes'
 * state), or cgroup paths. Names come from containers: only those made of
 * characters a shell word can hold unquoted are offered, so nothing a
 * container chose reaches the command line or the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inspect/cgroup.h>
#include <inspect/container.h>

#include "cli.h"

struct seen_containers {
	struct insp_container_cache *names;
	struct insp_container_ref *refs;
	size_t n;
};

static bool shell_safe(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-:/@+,=") == strlen(s);
}

static bool seen(const struct seen_containers *c, const struct insp_container_ref *ref)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->refs[i].id, ref->id) && !strcmp(c->refs[i].runtime, ref->runtime))
			return true;
	return false;
}

static int print_container(const struct insp_cgroup *cg, unsigned depth, void *data)
{
	struct seen_containers *c = data;
	const struct insp_container_info *info;
	struct insp_container_ref ref;
	void *grown;

	(void)depth;
	if (insp_container_from_cgroup_path(insp_cgroup_path(cg), &ref) < 0 || seen(c, &ref))
		return 0;
	if (!(grown = reallocarray(c->refs, c->n + 1, sizeof(*c->refs))))
		return -1;
	c->refs = grown;
	c->refs[c->n++] = ref;
	info = insp_container_cache_get(c->names, &ref);
	if (info && shell_safe(info->name))
		puts(info->name);
	return 0;
}

static int print_cgroup(const struct insp_cgroup *cg, unsigned depth, void *data)
{
	(void)depth;
	(void)data;
	if (shell_safe(insp_cgroup_path(cg)))
		puts(insp_cgroup_path(cg));
	return 0;
}

static int walk(const char *root, insp_cgroup_visit_fn fn)
{
	struct seen_containers c = { 0 };
	struct insp_cgroup_hierarchies *hs = NULL;
	int r = -1;

	if (insp_cgroup_hierarchies_read(&hs, NULL) == 0 && insp_container_cache_new(&c.names, root, NULL) == 0)
		r = insp_cgroup_walk(hs, "/", -1, fn, &c, NULL);
	insp_container_cache_free(c.names);
	insp_cgroup_hierarchies_free(hs);
	free(c.refs);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

int complete_main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	const char *root = argc > 3 && !strcmp(argv[2], "--root") ? argv[3] : NULL;

	if (!strcmp(what, "containers"))
		return walk(root, print_container);
	if (!strcmp(what, "cgroups"))
		return walk(root, print_cgroup);
	return EXIT_USAGE;
}
