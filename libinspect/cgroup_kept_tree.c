// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The cgroup tree kept between walks. A tool that reads every cgroup each
 * second would otherwise open each directory and file anew every time;
 * here a walk hands over the previous walk's handle for a path whose
 * directories are still the same cgroups (same ids in every hierarchy).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"
#include "util.h"

struct tree_node {
	struct insp_cgroup *cg;
	unsigned depth;
	bool taken;		/* handed over to the walk in progress */
	bool reused;		/* the walk in progress took it from the last one */
};

struct insp_cgroup_tree {
	const struct insp_cgroup_hierarchies *hs;
	struct tree_node *nodes;	/* in walk order: parents first */
	size_t n;
	size_t *by_path;		/* indexes of nodes, sorted by path during a walk */
};

struct rewalk {
	const struct insp_cgroup_tree *t;
	struct tree_node *nodes;
	size_t n, cap;
};

INSP_EXPORT int insp_cgroup_tree_new(const struct insp_cgroup_hierarchies *hs, struct insp_cgroup_tree **out,
				     struct insp_error *err)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return insp_error_set(err, ENOMEM, "cgroup tree");
	(*out)->hs = hs;
	return 0;
}

static int by_path(const void *a, const void *b, void *tree)
{
	const struct tree_node *nodes = ((const struct insp_cgroup_tree *)tree)->nodes;

	return strcmp(nodes[*(const size_t *)a].cg->path, nodes[*(const size_t *)b].cg->path);
}

static int sort_by_path(struct insp_cgroup_tree *t)
{
	size_t *v = util_xreallocarray(t->by_path, t->n ? t->n : 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	t->by_path = v;
	for (size_t i = 0; i < t->n; i++)
		v[i] = i;
	qsort_r(v, t->n, sizeof(*v), by_path, t);
	return 0;
}

static struct tree_node *find(const struct insp_cgroup_tree *t, const char *path)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		struct tree_node *node = &t->nodes[t->by_path[mid]];
		int cmp = strcmp(node->cg->path, path);

		if (!cmp)
			return node;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The previous walk's handle of the same directories, taken over; NULL if none. */
static struct insp_cgroup *reuse(const struct insp_cgroup_tree *t, const struct insp_cgroup *cg)
{
	struct tree_node *hit = find(t, cg->path);

	if (!hit || hit->taken)
		return NULL;
	/* A cgroup removed and made again under the same name is another one. */
	for (size_t i = 0; i < insp_cgroup_hierarchies_count(t->hs); i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(t->hs, i);

		if (insp_cgroup_id_in(hit->cg, h) != insp_cgroup_id_in(cg, h))
			return NULL;
	}
	hit->taken = true;
	return hit->cg;
}

static int add_node(const struct insp_cgroup *cg, unsigned depth, void *data)
{
	struct rewalk *w = data;
	struct insp_cgroup *kept = reuse(w->t, cg);
	bool reused = kept;
	struct tree_node *grown;

	if (!kept && (kept = insp_cgroup_dup(cg)))
		insp_cgroup_keep_files(kept);
	if (!kept)
		return -ENOMEM;
	if (w->n == w->cap) {
		if (!(grown = util_xreallocarray(w->nodes, w->cap ? 2 * w->cap : 64, sizeof(*grown)))) {
			if (!reused)
				insp_cgroup_close(kept);
			return -ENOMEM;
		}
		w->nodes = grown;
		w->cap = w->cap ? 2 * w->cap : 64;
	}
	w->nodes[w->n++] = (struct tree_node){ .cg = kept, .depth = depth, .reused = reused };
	return 0;
}

/* Close the handles no tree keeps: those the other tree took over stay open. */
static void free_nodes(struct tree_node *nodes, size_t n, bool keep_reused)
{
	for (size_t i = 0; i < n; i++)
		if (keep_reused ? !nodes[i].reused : !nodes[i].taken)
			insp_cgroup_close(nodes[i].cg);
	free(nodes);
}

INSP_EXPORT int insp_cgroup_tree_walk(struct insp_cgroup_tree *t, struct insp_error *err)
{
	struct rewalk w = { .t = t };
	int r = sort_by_path(t);

	if (r < 0)
		return insp_error_set(err, -r, "cgroup tree");
	r = insp_cgroup_walk(t->hs, "/", -1, add_node, &w, err);
	if (r < 0) {
		/* The previous tree stays whole: its handles are its own again. */
		for (size_t i = 0; i < t->n; i++)
			t->nodes[i].taken = false;
		free_nodes(w.nodes, w.n, true);
		return r;
	}
	free_nodes(t->nodes, t->n, false);
	t->nodes = w.nodes;
	t->n = w.n;
	for (size_t i = 0; i < t->n; i++)
		t->nodes[i].reused = false;
	return 0;
}

INSP_EXPORT size_t insp_cgroup_tree_count(const struct insp_cgroup_tree *t)
{
	return t->n;
}

INSP_EXPORT struct insp_cgroup *insp_cgroup_tree_at(const struct insp_cgroup_tree *t, size_t i, unsigned *depth)
{
	if (depth)
		*depth = t->nodes[i].depth;
	return t->nodes[i].cg;
}

INSP_EXPORT void insp_cgroup_tree_free(struct insp_cgroup_tree *t)
{
	if (!t)
		return;
	free_nodes(t->nodes, t->n, false);
	free(t->by_path);
	free(t);
}
