// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which cgroups the processes of a snapshot are in, without cgroup.procs:
 * the kernel builds and sorts a pid list per hierarchy for every read of
 * that file, while one task-iterator pass can report each task's cgroup id
 * in every hierarchy. Cgroups are indexed by (hierarchy, id); a process
 * without ids (pid 1, which the iterator skips here) is placed through
 * /proc/PID/cgroup. A snapshot without ids at all (the /proc backend, or
 * kernels before 6.8 on v1) falls back to cgroup.procs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup_internal.h"
#include "inspect/proc.h"
#include "util.h"

struct index_slot {
	uint64_t id;		/* 0: empty */
	int hierarchy;		/* the kernel's hierarchy id */
	size_t number;
};

struct pid_list {
	size_t number;
	pid_t *pids;
	size_t n;
};

struct insp_cgroup_index {
	const struct insp_cgroup_hierarchies *hs;
	bool by_ids;
	struct index_slot *slots;
	size_t mask, used;
	struct pid_list *lists;	/* without ids: cgroup.procs per cgroup added */
	size_t nlists;
};

static size_t slot_of(const struct insp_cgroup_index *ix, int hierarchy, uint64_t id)
{
	size_t h = util_hash64(id ^ ((uint64_t)hierarchy << 56)) & ix->mask;

	while (ix->slots[h].id && (ix->slots[h].id != id || ix->slots[h].hierarchy != hierarchy))
		h = (h + 1) & ix->mask;
	return h;
}

static int grow(struct insp_cgroup_index *ix)
{
	size_t old_size = ix->slots ? ix->mask + 1 : 0, size = old_size ? old_size * 2 : 256;
	struct index_slot *old = ix->slots;

	if (!(ix->slots = calloc(size, sizeof(*ix->slots)))) {
		ix->slots = old;
		return -ENOMEM;
	}
	ix->mask = size - 1;
	for (size_t i = 0; i < old_size; i++)
		if (old[i].id)
			ix->slots[slot_of(ix, old[i].hierarchy, old[i].id)] = old[i];
	free(old);
	return 0;
}

static bool has_ids(struct insp_procs *procs)
{
	for (size_t i = 0; procs && i < insp_procs_count(procs); i++)
		if (insp_procs_at(procs, i)->fields & INSP_PROC_CGROUP_IDS)
			return true;
	return false;
}

INSP_EXPORT int insp_cgroup_index_new(struct insp_cgroup_index **out, const struct insp_cgroup_hierarchies *hs,
				      struct insp_procs *procs)
{
	struct insp_cgroup_index *ix = calloc(1, sizeof(*ix));

	if (!ix)
		return -ENOMEM;
	ix->hs = hs;
	ix->by_ids = has_ids(procs);
	if (ix->by_ids && grow(ix) < 0) {
		free(ix);
		return -ENOMEM;
	}
	*out = ix;
	return 0;
}

INSP_EXPORT void insp_cgroup_index_free(struct insp_cgroup_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nlists; i++)
		free(ix->lists[i].pids);
	free(ix->lists);
	free(ix->slots);
	free(ix);
}

static int add_list(struct insp_cgroup_index *ix, const struct insp_cgroup *cg, size_t number)
{
	struct pid_list *grown = util_xreallocarray(ix->lists, ix->nlists + 1, sizeof(*ix->lists));
	struct pid_list *l;

	if (!grown)
		return -ENOMEM;
	ix->lists = grown;
	l = &ix->lists[ix->nlists];
	*l = (struct pid_list){ .number = number };
	/* Removed meanwhile: no processes, which is what it holds now. */
	if (insp_cgroup_procs(cg, &l->pids, &l->n) < 0)
		*l = (struct pid_list){ .number = number };
	ix->nlists++;
	return 0;
}

INSP_EXPORT int insp_cgroup_index_add(struct insp_cgroup_index *ix, const struct insp_cgroup *cg, size_t number)
{
	if (!ix->by_ids)
		return add_list(ix, cg, number);
	for (size_t i = 0; i < insp_cgroup_hierarchies_count(ix->hs); i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(ix->hs, i);
		uint64_t id = h->id >= 0 && h->id < INSP_PROC_CGROUP_SLOTS ? insp_cgroup_id_in(cg, h) : 0;
		size_t s;

		if (!id)
			continue;
		if (ix->used * 2 >= ix->mask && grow(ix) < 0)
			return -ENOMEM;
		s = slot_of(ix, h->id, id);
		if (!ix->slots[s].id)
			ix->used++;
		ix->slots[s] = (struct index_slot){ .id = id, .hierarchy = h->id, .number = number };
	}
	return 0;
}

/* The ids of a process the iterator did not report, from its /proc/PID/cgroup paths. */
static void ids_from_proc(const struct insp_cgroup_index *ix, struct insp_proc *p,
			  uint64_t ids[INSP_PROC_CGROUP_SLOTS])
{
	struct insp_cgroup_membership m = { 0 };

	memset(ids, 0, sizeof(uint64_t) * INSP_PROC_CGROUP_SLOTS);
	if (insp_proc_fill(p, INSP_PROC_CGROUP, NULL) < 0 || insp_cgroup_membership_parse(p->cgroup_file, ix->hs, &m) < 0)
		return;
	for (size_t i = 0; i < m.n; i++) {
		const struct insp_cgroup_member *mb = &m.v[i];
		struct stat st;

		if (mb->hierarchy && mb->dir && mb->hierarchy->id >= 0 && mb->hierarchy->id < INSP_PROC_CGROUP_SLOTS &&
		    stat(mb->dir, &st) == 0)
			ids[mb->hierarchy->id] = (uint64_t)st.st_ino;
	}
	insp_cgroup_membership_free(&m);
}

/* The rows a process's cgroup ids place it in, each once though several hierarchies place it there. */
static size_t rows_of(const struct insp_cgroup_index *ix, const uint64_t *ids, size_t rows[INSP_PROC_CGROUP_SLOTS])
{
	size_t n = 0;

	for (int h = 0; h < INSP_PROC_CGROUP_SLOTS; h++) {
		size_t s, k;

		if (!ids[h] || !ix->slots[s = slot_of(ix, h, ids[h])].id)
			continue;
		for (k = 0; k < n && rows[k] != ix->slots[s].number; k++)
			;
		if (k == n)
			rows[n++] = ix->slots[s].number;
	}
	return n;
}

/*
 * Processes mostly share their cgroups with others: a small direct-mapped
 * memo from a set of ids to its rows lets most processes be placed without
 * a lookup.
 */
#define MEMO_SLOTS 512

struct rows_memo {
	uint64_t ids[INSP_PROC_CGROUP_SLOTS];
	size_t rows[INSP_PROC_CGROUP_SLOTS], nrows;
};

static const struct rows_memo *memo_rows(const struct insp_cgroup_index *ix, struct rows_memo *memo, const uint64_t *ids)
{
	struct rows_memo *m = &memo[util_hash_words(ids, INSP_PROC_CGROUP_SLOTS) & (MEMO_SLOTS - 1)];

	/* An empty slot matches only a process without ids, which has no rows. */
	if (memcmp(m->ids, ids, sizeof(m->ids))) {
		memcpy(m->ids, ids, sizeof(m->ids));
		m->nrows = rows_of(ix, ids, m->rows);
	}
	return m;
}

static void sort_by_ids(const struct insp_cgroup_index *ix, struct insp_procs *procs, insp_cgroup_member_fn fn,
			void *data)
{
	struct rows_memo *memo = calloc(MEMO_SLOTS, sizeof(*memo));

	for (size_t i = 0; i < insp_procs_count(procs); i++) {
		struct insp_proc *p = insp_procs_at(procs, i);
		uint64_t own[INSP_PROC_CGROUP_SLOTS];
		const uint64_t *ids = p->cgroup_id;
		struct rows_memo one;
		const struct rows_memo *m = &one;

		if (!(p->fields & INSP_PROC_CGROUP_IDS)) {
			ids_from_proc(ix, p, own);
			ids = own;
		}
		if (memo)
			m = memo_rows(ix, memo, ids);
		else
			one.nrows = rows_of(ix, ids, one.rows);
		for (size_t k = 0; k < m->nrows; k++)
			fn(m->rows[k], p->pid, p, data);
	}
	free(memo);
}

INSP_EXPORT void insp_cgroup_index_sort(const struct insp_cgroup_index *ix, struct insp_procs *procs,
					insp_cgroup_member_fn fn, void *data)
{
	if (ix->by_ids) {
		sort_by_ids(ix, procs, fn, data);
		return;
	}
	for (size_t i = 0; i < ix->nlists; i++)
		for (size_t k = 0; k < ix->lists[i].n; k++) {
			pid_t pid = ix->lists[i].pids[k];

			fn(ix->lists[i].number, pid, procs ? insp_procs_find(procs, pid) : NULL, data);
		}
}

INSP_EXPORT int insp_cgroup_index_find(const struct insp_cgroup_index *ix, int hierarchy, uint64_t id, size_t *number)
{
	size_t s;

	if (!ix->by_ids || !id || hierarchy < 0 || !ix->slots[s = slot_of(ix, hierarchy, id)].id)
		return -ENOENT;
	*number = ix->slots[s].number;
	return 0;
}

INSP_EXPORT bool insp_cgroup_index_uses_ids(const struct insp_cgroup_index *ix)
{
	return ix->by_ids;
}
