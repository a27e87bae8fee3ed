// SPDX-License-Identifier: LGPL-2.1-or-later
/* Container identities read once per container, for tools that meet many processes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inspect/cgroup.h"
#include "inspect/container.h"
#include "inspect/events.h"
#include "inspect/proc.h"
#include "util.h"

/*
 * A container without state files yet (it is being created) is looked at
 * again after a second; one that still has none (a runtime whose state we
 * do not read) ever less often, so that a tool refreshing every second does
 * not search for each of them at every refresh.
 */
#define RETRY_NS 1000000000ULL
#define RETRY_MAX_NS (16 * RETRY_NS)

struct cache_entry {
	struct insp_container_info info;
	uint64_t checked_ns;	/* CLOCK_MONOTONIC of the last state read */
	uint64_t retry_ns;	/* after a read that found nothing: when to look again */
	bool found;
	bool used;		/* asked for since the last sweep */
};

/* What a cgroup (by hierarchy and kernfs id) was found to be: a container's, or none. */
struct cgroup_memo {
	int hierarchy;
	uint64_t id;
	bool container;
	struct insp_container_ref ref;
};

#define CGROUP_MEMO_SLOTS 1024

struct insp_container_cache {
	char *state_root;
	struct cache_entry **v;
	size_t n, cap;
	uint32_t *slots;	/* open addressing: index + 1, 0 = empty */
	size_t mask;
	struct insp_cgroup_hierarchies *hs;	/* read the first time an id is asked for */
	struct cgroup_memo *memo;		/* direct-mapped by id */
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
	free(c->memo);
	insp_cgroup_hierarchies_free(c->hs);
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
	if (e->checked_ns && now - e->checked_ns < e->retry_ns)
		return &e->info;
	e->found = insp_container_info_read(ref, c->state_root, &e->info, NULL) == 0;
	e->checked_ns = now;
	e->retry_ns = !e->retry_ns ? RETRY_NS : e->retry_ns < RETRY_MAX_NS ? 2 * e->retry_ns : RETRY_MAX_NS;
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

/*
 * A cgroup's path from its kernfs id: a file handle of type FILEID_KERNFS
 * opened on the hierarchy's mount (needs CAP_DAC_READ_SEARCH), then the
 * path /proc/self/fd gives, below the mount.
 */
static int cgroup_path_of_id(const struct insp_cgroup_hierarchies *hs, int hierarchy, uint64_t id, char *path,
			     size_t size)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} handle = { .fh = { .handle_bytes = sizeof(uint64_t), .handle_type = 0xfe }, .id = id };
	const struct insp_cgroup_hierarchy *h = NULL;
	_cleanup_close_ int mount_fd = -1, fd = -1;
	char link[64], full[4096];
	size_t mlen;
	ssize_t n;

	for (size_t i = 0; i < insp_cgroup_hierarchies_count(hs) && !h; i++)
		if (insp_cgroup_hierarchies_at(hs, i)->id == hierarchy)
			h = insp_cgroup_hierarchies_at(hs, i);
	/* open_by_handle_at takes no O_PATH fd for the mount. */
	if (!h || (mount_fd = open(h->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -ENOENT;
	if ((fd = open_by_handle_at(mount_fd, &handle.fh, O_PATH | O_CLOEXEC)) < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, full, sizeof(full) - 1)) < 0)
		return -errno;
	full[n] = '\0';
	mlen = strlen(h->mount);
	if (strncmp(full, h->mount, mlen) != 0 || (full[mlen] && full[mlen] != '/'))
		return -ENOENT;
	snprintf(path, size, "%s", full[mlen] ? full + mlen : "/");
	return 0;
}

INSP_EXPORT int insp_container_of_cgroup_id(struct insp_container_cache *c, int hierarchy, uint64_t id,
					    struct insp_container_ref *out)
{
	struct cgroup_memo *m;
	char path[4096];

	if (hierarchy < 0 || !id)
		return -ENOENT;
	if (!c->hs && insp_cgroup_hierarchies_read(&c->hs, NULL) < 0)
		return -ENOENT;
	if (!c->memo && !(c->memo = calloc(CGROUP_MEMO_SLOTS, sizeof(*c->memo))))
		return -ENOMEM;
	m = &c->memo[util_hash64(id ^ ((uint64_t)hierarchy << 56)) & (CGROUP_MEMO_SLOTS - 1)];
	if (m->id != id || m->hierarchy != hierarchy) {
		*m = (struct cgroup_memo){ .hierarchy = hierarchy, .id = id };
		/* A cgroup removed already is not remembered: the next event may find it again. */
		if (cgroup_path_of_id(c->hs, hierarchy, id, path, sizeof(path)) < 0) {
			m->id = 0;
			return -ENOENT;
		}
		m->container = insp_container_from_cgroup_path(path, &m->ref) == 0;
	}
	if (!m->container)
		return -ENOENT;
	*out = m->ref;
	return 0;
}

INSP_EXPORT int insp_container_of_event(struct insp_container_cache *c, const struct insp_event *e,
					struct insp_container_ref *out)
{
	if (insp_container_of_cgroup_id(c, e->cgroup1_hierarchy, e->cgroup1_id, out) == 0 ||
	    insp_container_of_cgroup_id(c, 0, e->cgroup2_id, out) == 0)
		return 0;
	/* Kernels or hosts where the ids say nothing: where the caller is now. */
	return e->pid > 0 ? insp_container_of_pid(e->pid, out) : -ENOENT;
}
