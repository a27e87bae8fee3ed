// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ns_internal.h"
#include "proc_internal.h"
#include "util.h"

static const struct {
	const char *name;
	int flag;
} ns_types[INSP_NS_NTYPES] = {
	[INSP_NS_MNT] = { "mnt", CLONE_NEWNS },
	[INSP_NS_NET] = { "net", CLONE_NEWNET },
	[INSP_NS_PID] = { "pid", CLONE_NEWPID },
	[INSP_NS_UTS] = { "uts", CLONE_NEWUTS },
	[INSP_NS_IPC] = { "ipc", CLONE_NEWIPC },
	[INSP_NS_USER] = { "user", CLONE_NEWUSER },
	[INSP_NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
	[INSP_NS_TIME] = { "time", 0x00000080 /* CLONE_NEWTIME */ },
};

INSP_EXPORT const char *insp_ns_type_name(enum insp_ns_type type)
{
	return (unsigned)type < INSP_NS_NTYPES ? ns_types[type].name : "?";
}

INSP_EXPORT int insp_ns_type_from_name(const char *name)
{
	for (int i = 0; i < INSP_NS_NTYPES; i++)
		if (strcmp(name, ns_types[i].name) == 0)
			return i;
	return -EINVAL;
}

INSP_EXPORT int insp_ns_type_clone_flag(enum insp_ns_type type)
{
	return (unsigned)type < INSP_NS_NTYPES ? ns_types[type].flag : 0;
}

INSP_EXPORT const char *insp_ns_slot_name(enum insp_ns_slot slot)
{
	if (slot == INSP_NS_SLOT_PID_FOR_CHILDREN)
		return "pid_for_children";
	if (slot == INSP_NS_SLOT_TIME_FOR_CHILDREN)
		return "time_for_children";
	return insp_ns_type_name((enum insp_ns_type)slot);
}

INSP_EXPORT enum insp_ns_type insp_ns_slot_type(enum insp_ns_slot slot)
{
	if (slot == INSP_NS_SLOT_PID_FOR_CHILDREN)
		return INSP_NS_PID;
	if (slot == INSP_NS_SLOT_TIME_FOR_CHILDREN)
		return INSP_NS_TIME;
	return (enum insp_ns_type)slot;
}

int ns_parse_link(const char *s, enum insp_ns_type *type, ino_t *ino)
{
	const char *open = strchr(s, ':');
	char name[16];
	size_t len, digits;
	uint64_t v;
	char num[24];
	int t;

	if (!open || open[1] != '[')
		return -EINVAL;
	len = (size_t)(open - s);
	if (len == 0 || len >= sizeof(name))
		return -EINVAL;
	memcpy(name, s, len);
	name[len] = '\0';
	t = insp_ns_type_from_name(name);
	if (t < 0)
		return -EINVAL;
	digits = strspn(open + 2, "0123456789");
	if (digits == 0 || digits >= sizeof(num) || strcmp(open + 2 + digits, "]") != 0)
		return -EINVAL;
	memcpy(num, open + 2, digits);
	num[digits] = '\0';
	if (util_parse_u64(num, &v) < 0 || v == 0 || v > 0xffffffffULL)
		return -EINVAL;
	*type = (enum insp_ns_type)t;
	*ino = (ino_t)v;
	return 0;
}

/* (Re)build the inode index with room for twice the entries plus one. */
static int table_reindex(struct insp_ns_table *t)
{
	size_t size = 1024;
	uint32_t *slots;

	while (size < (t->n + 1) * 2)
		size <<= 1;
	slots = calloc(size, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	free(t->slots);
	t->slots = slots;
	t->mask = size - 1;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = util_hash64(t->v[i].ino) & t->mask;

		while (t->slots[h])
			h = (h + 1) & t->mask;
		t->slots[h] = (uint32_t)(i + 1);
	}
	return 0;
}

INSP_EXPORT struct insp_ns *insp_ns_table_find(struct insp_ns_table *t, ino_t ino)
{
	if (!t->slots)
		return NULL;
	for (size_t h = util_hash64(ino) & t->mask; t->slots[h]; h = (h + 1) & t->mask)
		if (t->v[t->slots[h] - 1].ino == ino)
			return &t->v[t->slots[h] - 1];
	return NULL;
}

struct insp_ns *ns_table_get(struct insp_ns_table *t, enum insp_ns_type type, ino_t ino)
{
	struct insp_ns *ns = insp_ns_table_find(t, ino);
	size_t h;

	if (ns)
		return ns;
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 512;
		struct insp_ns *nv = util_xreallocarray(t->v, ncap, sizeof(*nv));

		if (!nv)
			return NULL;
		t->v = nv;
		t->cap = ncap;
	}
	/* Keep the load factor under one half. */
	if ((t->n + 1) * 2 > t->mask + 1 && table_reindex(t) < 0)
		return NULL;
	ns = &t->v[t->n];
	*ns = (struct insp_ns){ .type = type, .dev = t->dev, .ino = ino,
				.netnsid = INSP_NETNSID_UNKNOWN };
	h = util_hash64(ino) & t->mask;
	while (t->slots[h])
		h = (h + 1) & t->mask;
	t->slots[h] = (uint32_t)(++t->n);
	return ns;
}

/*
 * Processes mostly share all their namespaces with others (a container's,
 * the host's): a small direct-mapped memo from a process's set of links to
 * their entries lets most processes be counted without a lookup.
 */
#define MEMO_SLOTS 1024

struct members_memo {
	ino_t ino[INSP_NS_NSLOTS];
	uint32_t entry[INSP_NS_NSLOTS];	/* index + 1 into the table; 0: slot not counted */
};

_Static_assert(sizeof(ino_t) == sizeof(uint64_t), "links hash as words");

/* The table entries of a process's links, looked up (and made) once per distinct set of links. */
static int member_entries(struct insp_ns_table *t, struct members_memo *memo, const struct insp_proc *p,
			  bool orphans, const uint32_t **out)
{
	struct members_memo *m = &memo[util_hash_words((const uint64_t *)p->ns_ino, INSP_NS_NSLOTS) & (MEMO_SLOTS - 1)];

	*out = m->entry;
	/* An empty slot matches only a process with no links, which has no entries. */
	if (!memcmp(m->ino, p->ns_ino, sizeof(m->ino)))
		return 0;
	memcpy(m->ino, p->ns_ino, sizeof(m->ino));
	for (unsigned s = 0; s < INSP_NS_NSLOTS; s++) {
		struct insp_ns *ns;

		m->entry[s] = 0;
		if (!p->ns_ino[s] || (s >= INSP_NS_NTYPES && !orphans))
			continue;
		if (!(ns = ns_table_get(t, insp_ns_slot_type(s), p->ns_ino[s]))) {
			memset(m->ino, 0, sizeof(m->ino));
			return -ENOMEM;
		}
		if (p->ns_id[s])
			ns->id = p->ns_id[s];
		m->entry[s] = (uint32_t)(ns - t->v) + 1;
	}
	return 0;
}

static int add_members(struct insp_ns_table *t, struct insp_procs *procs, bool orphans)
{
	struct members_memo *memo = calloc(MEMO_SLOTS, sizeof(*memo));

	if (!memo)
		return -ENOMEM;
	for (size_t i = 0; i < procs->n; i++) {
		struct insp_proc *p = &procs->v[i];
		const uint32_t *entry;

		if (member_entries(t, memo, p, orphans, &entry) < 0) {
			free(memo);
			return -ENOMEM;
		}
		for (unsigned s = 0; s < INSP_NS_NSLOTS; s++) {
			struct insp_ns *ns = entry[s] ? &t->v[entry[s] - 1] : NULL;
			bool own = s < INSP_NS_NTYPES;

			if (!ns)
				continue;
			/* A *_for_children link alone does not make a member. */
			if (!own) {
				if (!ns->nprocs && !ns->holder_pid) {
					ns->flags |= INSP_NS_F_CHILDREN;
					ns->holder_pid = p->pid;
				}
				continue;
			}
			ns->nprocs++;
			if (!ns->proc || ns->proc->pid > p->pid)
				ns->proc = p;
		}
	}
	free(memo);
	return 0;
}

static void fill_from_fd(struct insp_ns *ns, unsigned want)
{
	int fd;

	/* The eBPF backend gave the id already: nothing to open for it. */
	if (ns->id)
		want &= ~(unsigned)INSP_NS_WANT_ID;
	if (!(want & (INSP_NS_WANT_ID | INSP_NS_WANT_OWNER | INSP_NS_WANT_PARENT | INSP_NS_WANT_NETNSID)))
		return;
	if ((fd = insp_ns_open(ns, NULL)) < 0)
		return;
	if ((want & INSP_NS_WANT_ID) && !ns->id)
		ns->id = insp_ns_fd_id(fd);
	if (want & INSP_NS_WANT_OWNER)
		ns->owner = insp_ns_fd_owner(fd);
	if ((want & INSP_NS_WANT_PARENT) && (ns->type == INSP_NS_PID || ns->type == INSP_NS_USER))
		ns->parent = insp_ns_fd_parent(fd);
	if ((want & INSP_NS_WANT_NETNSID) && ns->type == INSP_NS_NET)
		ns->netnsid = insp_ns_fd_netnsid(fd);
	close(fd);
}

static int cmp_ino(const void *a, const void *b)
{
	const struct insp_ns *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

INSP_EXPORT int insp_ns_table_build(struct insp_ns_table **out, struct insp_procs *procs,
				    unsigned want, struct insp_error *err)
{
	struct insp_ns_table *t = calloc(1, sizeof(*t));
	bool orphans = want & INSP_NS_WANT_ORPHANS, mounted = orphans || (want & INSP_NS_WANT_MOUNTED);
	int r;

	if (!t)
		return insp_error_set(err, ENOMEM, "namespace table");
	t->dev = procs->nsfs_dev;
	r = add_members(t, procs, orphans);
	if (r == 0 && (mounted || (want & INSP_NS_WANT_NSFS)))
		r = ns_collect_nsfs(t, mounted, err);
	if (r == 0 && orphans)
		r = ns_collect_fds(t, procs);
	if (r < 0) {
		if (!err || !err->code)
			insp_error_set(err, r, "namespace table");
		insp_ns_table_free(t);
		return r;
	}
	if (want & (INSP_NS_WANT_ID | INSP_NS_WANT_OWNER | INSP_NS_WANT_PARENT | INSP_NS_WANT_NETNSID))
		for (size_t i = 0; i < t->n; i++)
			fill_from_fd(&t->v[i], want);
	qsort(t->v, t->n, sizeof(t->v[0]), cmp_ino);
	if (t->n && table_reindex(t) < 0) {
		insp_ns_table_free(t);
		return insp_error_set(err, ENOMEM, "namespace table");
	}
	*out = t;
	return 0;
}

INSP_EXPORT void insp_ns_table_free(struct insp_ns_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->v[i].nnsfs; j++)
			free(t->v[i].nsfs[j]);
		free(t->v[i].nsfs);
	}
	free(t->v);
	free(t->slots);
	free(t);
}

INSP_EXPORT size_t insp_ns_table_count(const struct insp_ns_table *t)
{
	return t->n;
}

INSP_EXPORT struct insp_ns *insp_ns_table_at(struct insp_ns_table *t, size_t i)
{
	return i < t->n ? &t->v[i] : NULL;
}

INSP_EXPORT struct insp_ns *insp_ns_table_find_id(struct insp_ns_table *t, uint64_t id)
{
	/* Ids are looked up once per command at most; a scan keeps the table lean. */
	for (size_t i = 0; id && i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

INSP_EXPORT int insp_ns_path(const struct insp_ns *ns, char *buf, size_t size)
{
	int n;

	if (ns->proc)
		n = snprintf(buf, size, "/proc/%d/ns/%s", (int)ns->proc->pid, insp_ns_type_name(ns->type));
	else if (ns->nnsfs)
		n = snprintf(buf, size, "%s", ns->nsfs[0]);
	else if (ns->flags & INSP_NS_F_FD)
		n = snprintf(buf, size, "/proc/%d/fd/%d", (int)ns->holder_pid, ns->holder_fd);
	else if (ns->flags & INSP_NS_F_CHILDREN)
		n = snprintf(buf, size, "/proc/%d/ns/%s_for_children", (int)ns->holder_pid,
			     insp_ns_type_name(ns->type));
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

INSP_EXPORT int insp_ns_open(const struct insp_ns *ns, struct insp_error *err)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (insp_ns_path(ns, path, sizeof(path)) < 0)
		return insp_error_set(err, ENOENT, "%s:[%lu]: no process, mount or fd holds it",
				      insp_ns_type_name(ns->type), (unsigned long)ns->ino);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return insp_error_set(err, errno, "%s", path);
	if (fstat(fd, &st) < 0 || st.st_ino != ns->ino) {
		close(fd);
		return insp_error_set(err, ESRCH, "%s: no longer %s:[%lu]", path,
				      insp_ns_type_name(ns->type), (unsigned long)ns->ino);
	}
	return fd;
}
