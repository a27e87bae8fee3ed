// SPDX-License-Identifier: LGPL-2.1-or-later
/* Container identities read once per container, for tools that meet many processes. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "inspect/container.h"
#include "inspect/proc.h"
#include "util.h"

/* A container without state files yet (it is being created) is looked at again after this. */
#define RETRY_NS 1000000000ULL

struct cache_entry {
	struct insp_container_info info;
	uint64_t checked_ns;	/* CLOCK_MONOTONIC of the last state read */
	bool found;
	bool used;		/* asked for since the last sweep */
};

struct insp_container_cache {
	char *state_root;
	struct cache_entry **v;
	size_t n, cap;
	uint32_t *slots;	/* open addressing: index + 1, 0 = empty */
	size_t mask;
};

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static uint64_t ref_hash(const struct insp_container_ref *ref)
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *s = ref->id; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	for (const char *s = ref->runtime; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return util_hash64(h);
}

static bool same_ref(const struct insp_container_ref *a, const struct insp_container_ref *b)
{
	return strcmp(a->id, b->id) == 0 && strcmp(a->runtime, b->runtime) == 0;
}

/* On failure the old index stays. */
static int rebuild_index(struct insp_container_cache *c)
{
	size_t size = 64;
	uint32_t *slots;

	while (size < c->n * 2)
		size <<= 1;
	if (!(slots = calloc(size, sizeof(*slots))))
		return -ENOMEM;
	free(c->slots);
	c->slots = slots;
	c->mask = size - 1;
	for (size_t i = 0; i < c->n; i++) {
		size_t h = ref_hash(&c->v[i]->info.ref) & c->mask;

		while (c->slots[h])
			h = (h + 1) & c->mask;
		c->slots[h] = (uint32_t)(i + 1);
	}
	return 0;
}

INSP_EXPORT int insp_container_cache_new(struct insp_container_cache **out, const char *state_root,
					 struct insp_error *err)
{
	struct insp_container_cache *c = calloc(1, sizeof(*c));

	if (!c || !(c->state_root = strdup(state_root ? state_root : "/")) || rebuild_index(c) < 0) {
		insp_container_cache_free(c);
		return insp_error_set(err, ENOMEM, "container cache");
	}
	*out = c;
	return 0;
}

INSP_EXPORT void insp_container_cache_free(struct insp_container_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	free(c->slots);
	free(c->state_root);
	free(c);
}

static struct cache_entry *find(struct insp_container_cache *c, const struct insp_container_ref *ref)
{
	for (size_t h = ref_hash(ref) & c->mask; c->slots[h]; h = (h + 1) & c->mask)
		if (same_ref(&c->v[c->slots[h] - 1]->info.ref, ref))
			return c->v[c->slots[h] - 1];
	return NULL;
}

static struct cache_entry *add(struct insp_container_cache *c, const struct insp_container_ref *ref)
{
	struct cache_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct cache_entry **v = util_xreallocarray(c->v, cap, sizeof(*v));

		if (!v) {
			free(e);
			return NULL;
		}
		c->v = v;
		c->cap = cap;
	}
	e->info.ref = *ref;
	c->v[c->n++] = e;
	if (c->n * 2 > c->mask + 1) {
		if (rebuild_index(c) < 0) {
			c->n--;
			free(e);
			return NULL;
		}
	} else {
		size_t h = ref_hash(ref) & c->mask;

		while (c->slots[h])
			h = (h + 1) & c->mask;
		c->slots[h] = (uint32_t)c->n;
	}
	return e;
}

INSP_EXPORT const struct insp_container_info *insp_container_cache_get(struct insp_container_cache *c,
								       const struct insp_container_ref *ref)
{
	struct cache_entry *e = find(c, ref);
	uint64_t now;

	if (!e && !(e = add(c, ref)))
		return NULL;
	e->used = true;
	if (e->found)
		return &e->info;
	now = monotonic_ns();
	if (e->checked_ns && now - e->checked_ns < RETRY_NS)
		return &e->info;
	e->found = insp_container_info_read(ref, c->state_root, &e->info, NULL) == 0;
	e->checked_ns = now;
	return &e->info;
}

INSP_EXPORT void insp_container_cache_sweep(struct insp_container_cache *c)
{
	size_t kept = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i]->used) {
			c->v[i]->used = false;
			c->v[kept++] = c->v[i];
		} else {
			free(c->v[i]);
		}
	}
	if (kept == c->n)
		return;
	c->n = kept;
	if (rebuild_index(c) < 0) {
		/* No memory for a new index: forget everything rather than keep a stale one. */
		for (size_t i = 0; i < c->n; i++)
			free(c->v[i]);
		c->n = 0;
		memset(c->slots, 0, (c->mask + 1) * sizeof(*c->slots));
	}
}

INSP_EXPORT int insp_container_of_pid(pid_t pid, struct insp_container_ref *out)
{
	struct insp_proc p = { .pid = pid };
	int r = insp_proc_fill(&p, INSP_PROC_CGROUP, NULL);

	if (r == 0)
		r = insp_container_from_cgroup_file(p.cgroup_file, out);
	insp_proc_release(&p);
	return r;
}
