// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The eBPF snapshot backend: one read of an iter/task program, or for a
 * scanner's scans with cgroups one run of the walk (proc_walk.c), gives
 * every process's namespaces, parent, comm, euid and start time.
 *
 * It is a light skeleton on purpose: the kernel does the CO-RE relocations,
 * so we never parse the 5 MB vmlinux BTF in userspace (about 50 ms and 12 MB).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "nstask.h"
#include "nstask.lskel.h"
#include "nstaskcg.lskel.h"
#include "securebits.lskel.h"
#include "proc_internal.h"
#include "util.h"

_Static_assert((int)NSTASK_NSLOTS == (int)INSP_NS_NSLOTS, "slot order");
_Static_assert((int)NSTASK_TIME_FOR_CHILDREN == (int)INSP_NS_SLOT_TIME_FOR_CHILDREN, "slot order");
_Static_assert((int)NSTASK_USER == (int)INSP_NS_USER && (int)NSTASK_TIME == (int)INSP_NS_TIME,
	       "slot order");
_Static_assert((int)NSTASK_CGROUP_SLOTS == (int)INSP_PROC_CGROUP_SLOTS, "cgroup slots");

/* What one iterator record fills in, for every process. */
#define BPF_FIELDS (INSP_PROC_NS | INSP_PROC_STAT | INSP_PROC_UID)

/* stat field 22 counts USER_HZ ticks, which is 100 on every architecture's ABI. */
#define NSEC_PER_USER_TICK 10000000ULL

static uint64_t own_permitted_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return (uint64_t)data[1].permitted << 32 | data[0].permitted;
}

/*
 * The iterator sees what /proc would refuse us. A process holding
 * capabilities we lack is the one /proc/PID/ns denies (commoncap's ptrace
 * rule), so ask /proc for those few and report them as /proc would.
 */
static bool ns_readable(pid_t pid)
{
	char path[48];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	return stat(path, &st) == 0 || (errno != EACCES && errno != EPERM);
}

/*
 * A scanner remembers that answer for as long as the process lives: it
 * cannot change while its capabilities and ours stay the same. Keyed by
 * pid, start time and capabilities; what a scan does not meet is dropped.
 */
struct readable_entry {
	uint64_t key;		/* 0: empty */
	uint32_t scan;		/* the last scan that met it */
	bool readable;
};

struct readable_cache {
	struct readable_entry *v;
	size_t mask, used;
	uint32_t scan;
};

static uint64_t readable_key(pid_t pid, uint64_t start_boottime, uint64_t caps)
{
	return util_hash64(((uint64_t)pid << 32) ^ start_boottime ^ util_hash64(caps)) | 1;
}

static struct readable_entry *readable_slot(struct readable_cache *c, uint64_t key)
{
	size_t h = key & c->mask;

	while (c->v[h].key && c->v[h].key != key)
		h = (h + 1) & c->mask;
	return &c->v[h];
}

/* Move the entries into a table of size slots; only those the last scan met when live_only. */
static void readable_rehash(struct readable_cache *c, size_t size, bool live_only)
{
	size_t old_size = c->v ? c->mask + 1 : 0;
	struct readable_entry *old = c->v, *nv;

	if (!(nv = calloc(size, sizeof(*nv))))
		return;
	c->v = nv;
	c->mask = size - 1;
	c->used = 0;
	for (size_t i = 0; i < old_size; i++)
		if (old[i].key && (!live_only || old[i].scan == c->scan)) {
			*readable_slot(c, old[i].key) = old[i];
			c->used++;
		}
	free(old);
}

/* After a scan: drop what it did not meet, and keep room for growth. */
static void readable_prune(struct readable_cache *c)
{
	size_t size = 256, live = 0;

	for (size_t i = 0; c->v && i <= c->mask; i++)
		live += c->v[i].key && c->v[i].scan == c->scan;
	while (size < live * 4)
		size <<= 1;
	readable_rehash(c, size, true);
}

static bool cached_ns_readable(struct readable_cache *c, pid_t pid, uint64_t start_boottime, uint64_t caps)
{
	uint64_t key = readable_key(pid, start_boottime, caps);
	struct readable_entry *e;

	if (c && (!c->v || c->used * 2 > c->mask))
		readable_rehash(c, c->v ? 2 * (c->mask + 1) : 256, false);
	if (!c || !c->v || c->used * 2 > c->mask)
		return ns_readable(pid);
	e = readable_slot(c, key);
	if (!e->key) {
		e->key = key;
		e->readable = ns_readable(pid);
		c->used++;
	}
	e->scan = c->scan;
	return e->readable;
}

struct record_ctx {
	unsigned slots;
	uint64_t own_caps;
	bool cgroups;
	bool identity;		/* ppid, comm, euid are in the records */
	struct readable_cache *readable;
};

/* A process from either program's record: what every record has. */
static struct insp_proc *append_record(struct insp_procs *procs, const struct record_ctx *ctx, unsigned pid,
				       unsigned ppid, unsigned euid, uint64_t start_boottime, const char *comm)
{
	struct insp_proc *p = procs_append(procs);

	if (!p)
		return NULL;
	p->pid = (pid_t)pid;
	p->ppid = (pid_t)ppid;
	p->uid = euid;
	p->start_time = start_boottime / NSEC_PER_USER_TICK;
	memcpy(p->comm, comm, sizeof(p->comm));
	p->comm[sizeof(p->comm) - 1] = '\0';
	p->fields = ctx->identity ? BPF_FIELDS : INSP_PROC_NS;
	return p;
}

/* True when /proc would deny this process's namespace links: none are given then. */
static bool ns_hidden(struct insp_procs *procs, struct insp_proc *p, const struct record_ctx *ctx,
		      uint64_t start_boottime, uint64_t caps)
{
	if (!(caps & ~ctx->own_caps) || cached_ns_readable(ctx->readable, p->pid, start_boottime, caps))
		return false;
	p->ns_denied = ctx->slots;
	if (!procs->stats.denied++)
		procs->stats.first_denied = p->pid;
	return true;
}

static int add_record(struct insp_procs *procs, const struct nstask_rec *r, const struct record_ctx *ctx)
{
	struct insp_proc *p = append_record(procs, ctx, r->pid, r->ppid, r->euid, r->start_boottime, r->comm);

	if (!p)
		return -ENOMEM;
	if (ctx->cgroups) {
		memcpy(p->cgroup_id, r->cgroup_id, sizeof(p->cgroup_id));
		p->fields |= INSP_PROC_CGROUP_IDS;
	}
	if (ns_hidden(procs, p, ctx, r->start_boottime, r->cap_permitted))
		return 0;
	for (unsigned s = 0; s < INSP_NS_NSLOTS; s++) {
		if (!(ctx->slots & (1u << s)))
			continue;
		p->ns_ino[s] = r->ns_inum[s];
		p->ns_id[s] = r->ns_id[s];
	}
	return 0;
}

static int read_records(struct insp_procs *procs, int iter_fd, const struct record_ctx *ctx)
{
	char buf[64 * sizeof(struct nstask_rec)];
	size_t have = 0;

	for (;;) {
		ssize_t n = read(iter_fd, buf + have, sizeof(buf) - have);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return have ? -EIO : 0;
		have += (size_t)n;
		for (; have - off >= sizeof(struct nstask_rec); off += sizeof(struct nstask_rec)) {
			struct nstask_rec r;
			int ret;

			memcpy(&r, buf + off, sizeof(r));
			ret = add_record(procs, &r, ctx);
			if (ret < 0)
				return ret;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
}

static int add_walk_record(struct insp_procs *procs, const struct nstask_proc *r,
			   const struct proc_walk_result *w, const struct record_ctx *ctx)
{
	struct insp_proc *p = append_record(procs, ctx, r->pid, r->ppid, r->euid, r->start_boottime, r->comm);
	const struct nstask_ns_ids *ns = r->ns_set < w->nns_sets ? &w->ns_sets[r->ns_set] : NULL;

	if (!p)
		return -ENOMEM;
	if (r->cgroup_set < w->ncgroup_sets)
		memcpy(p->cgroup_id, w->cgroup_sets[r->cgroup_set].id, sizeof(p->cgroup_id));
	p->fields |= INSP_PROC_CGROUP_IDS;
	if (ns_hidden(procs, p, ctx, r->start_boottime, r->cap_permitted))
		return 0;
	for (unsigned s = 0; ns && s < INSP_NS_NSLOTS; s++) {
		if (!(ctx->slots & (1u << s)))
			continue;
		p->ns_ino[s] = ns->inum[s];
		p->ns_id[s] = ns->id[s];
	}
	if (ctx->slots & (1u << INSP_NS_USER)) {
		p->ns_ino[INSP_NS_USER] = r->user_inum;
		p->ns_id[INSP_NS_USER] = r->user_id;
	}
	if (ctx->slots & (1u << INSP_NS_PID)) {
		p->ns_ino[INSP_NS_PID] = r->pid_inum;
		p->ns_id[INSP_NS_PID] = r->pid_id;
	}
	return 0;
}

static int by_pid(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The walk's records in pid order. The task list is in order of creation,
 * which is pid order until pids wrap: sorted (by a key of pid and index)
 * only then.
 */
static int add_walk_records(struct insp_procs *procs, const struct proc_walk_result *w, const struct record_ctx *ctx)
{
	uint64_t *order = NULL;
	int r = 0;

	for (size_t i = 1; i < w->nprocs && !order; i++)
		if (w->procs[i].pid < w->procs[i - 1].pid && !(order = calloc(w->nprocs, sizeof(*order))))
			return -ENOMEM;
	if (order) {
		for (size_t i = 0; i < w->nprocs; i++)
			order[i] = (uint64_t)w->procs[i].pid << 32 | i;
		qsort(order, w->nprocs, sizeof(*order), by_pid);
	}
	for (size_t i = 0; r == 0 && i < w->nprocs; i++)
		r = add_walk_record(procs, &w->procs[order ? (uint32_t)order[i] : i], w, ctx);
	free(order);
	return r;
}

/* The plain iterator, or the one with cgroups and caches (one source, two objects). */
struct iter_prog {
	struct nstask *plain;
	struct nstaskcg *cg;
	int prog_fd;
};

static int iter_load(struct iter_prog *p, bool cgroups, struct insp_error *err)
{
	*p = (struct iter_prog){ 0 };
	if (cgroups)
		p->cg = nstaskcg__open_and_load();
	else
		p->plain = nstask__open_and_load();
	if (!p->cg && !p->plain)
		return insp_error_set(err, errno ? errno : ENOTSUP,
				      "bpf: loading the task iterator (needs CAP_BPF and CAP_PERFMON, or root)");
	p->prog_fd = p->cg ? p->cg->progs.dump_tasks.prog_fd : p->plain->progs.dump_tasks.prog_fd;
	return 0;
}

static void iter_destroy(struct iter_prog *p)
{
	nstask__destroy(p->plain);
	nstaskcg__destroy(p->cg);
	*p = (struct iter_prog){ 0 };
}

/* An iterator over every task, or (info != NULL) over one process's tasks. */
int bpf_iter_open(int prog_fd, const union bpf_iter_link_info *info, int *link_fd, struct insp_error *err)
{
	union bpf_attr attr = { .link_create = { .prog_fd = (unsigned)prog_fd,
						 .attach_type = BPF_TRACE_ITER } };
	int iter_fd;

	if (info) {
		attr.link_create.iter_info = (uint64_t)(uintptr_t)info;
		attr.link_create.iter_info_len = sizeof(*info);
	}
	*link_fd = (int)syscall(SYS_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	if (*link_fd < 0)
		return insp_error_set(err, errno, "bpf: attaching the task iterator");
	iter_fd = (int)syscall(SYS_bpf, BPF_ITER_CREATE,
			       &(union bpf_attr){ .iter_create.link_fd = (unsigned)*link_fd },
			       sizeof(union bpf_attr));
	if (iter_fd < 0) {
		insp_error_set(err, errno, "bpf: creating the task iterator");
		close(*link_fd);
		*link_fd = -1;
		return -err->code;
	}
	return iter_fd;
}

int bpf_task_securebits(int pidfd, unsigned *securebits, struct insp_error *err)
{
	/* Task iterators limited to one process exist since Linux 6.1. */
	union bpf_iter_link_info info = { .task.pid_fd = (uint32_t)pidfd };
	struct securebits *skel = securebits__open_and_load();
	struct insp_error local;
	int link_fd = -1, iter_fd;
	ssize_t n = -1;

	if (!err)
		err = &local;
	if (!skel)
		return insp_error_set(err, errno ? errno : ENOTSUP,
				      "bpf: loading the securebits iterator (needs CAP_BPF and CAP_PERFMON, or root)");
	iter_fd = bpf_iter_open(skel->progs.dump_securebits.prog_fd, &info, &link_fd, err);
	if (iter_fd >= 0) {
		do
			n = read(iter_fd, securebits, sizeof(*securebits));
		while (n < 0 && errno == EINTR);
		if (n < 0)
			insp_error_set(err, errno, "bpf: reading the securebits iterator");
		else if (n != sizeof(*securebits))
			insp_error_set(err, ESRCH, "bpf: process exited");
		close(iter_fd);
		close(link_fd);
	}
	securebits__destroy(skel);
	return n == sizeof(*securebits) ? 0 : -err->code;
}

/* A tool's scanner keeps both programs loaded, each from the first scan that needs it. */
struct insp_scanner {
	struct iter_prog plain, cg;
	struct readable_cache readable;
	struct proc_walk *walk;	/* NULL before the first scan with cgroups, or when it does not load */
	bool walk_failed;
	size_t last_count;	/* room for this many up front: growing a large snapshot copies it */
};

INSP_EXPORT int insp_scanner_open(struct insp_scanner **out, struct insp_error *err)
{
	struct insp_error local;
	struct insp_scanner *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!err)
		err = &local;
	if (!s)
		return insp_error_set(err, ENOMEM, "scanner");
	/* The plain one now, so that a tool learns at its start whether eBPF works. */
	if (iter_load(&s->plain, false, err) < 0) {
		free(s);
		return -err->code;
	}
	*out = s;
	return 0;
}

INSP_EXPORT void insp_scanner_close(struct insp_scanner *s)
{
	if (!s)
		return;
	iter_destroy(&s->plain);
	iter_destroy(&s->cg);
	proc_walk_close(s->walk);
	free(s->readable.v);
	free(s);
}

static int scanner_prog(struct insp_scanner *s, bool cgroups, struct iter_prog **out, struct insp_error *err)
{
	struct iter_prog *p = cgroups ? &s->cg : &s->plain;

	if (!p->prog_fd && iter_load(p, cgroups, err) < 0)
		return -err->code;
	*out = p;
	return 0;
}

/* A failed scan leaves none of its processes. */
static void procs_clear(struct insp_procs *procs)
{
	for (size_t i = 0; i < procs->n; i++)
		proc_release(&procs->v[i]);
	procs->n = 0;
	memset(&procs->stats, 0, sizeof(procs->stats));
}

/* The scanner's walk, loaded at its first scan with cgroups; NULL where it does not load. */
static struct proc_walk *scanner_walk(struct insp_scanner *s, bool cgroups)
{
	if (!s || !cgroups || s->walk_failed)
		return NULL;
	if (!s->walk && proc_walk_open(&s->walk, NULL) < 0)
		s->walk_failed = true;
	return s->walk;
}

void proc_scanner_forgo_walk(struct insp_scanner *s)
{
	proc_walk_close(s->walk);
	s->walk = NULL;
	s->walk_failed = true;
}

/* A walk that fails is not tried again: the task iterator serves from then on. */
static int walk_scan(struct insp_procs *procs, struct insp_scanner *s, const struct record_ctx *ctx)
{
	struct proc_walk_result w;
	int r;

	if ((r = proc_walk_run(s->walk, ctx->identity, &w, NULL)) == 0 && (r = add_walk_records(procs, &w, ctx)) == 0)
		return 0;
	proc_scanner_forgo_walk(s);
	procs_clear(procs);
	return r;
}

static int iterator_scan(struct insp_procs *procs, struct iter_prog *prog, const struct record_ctx *ctx,
			 struct insp_error *err)
{
	int link_fd, iter_fd, r;

	/* Entries of earlier scans in the iterator's caches no longer count. */
	if (prog->cg) {
		prog->cg->bss->scan++;
		prog->cg->bss->want_identity = ctx->identity;
	}
	if ((iter_fd = bpf_iter_open(prog->prog_fd, NULL, &link_fd, err)) < 0)
		return iter_fd;
	r = read_records(procs, iter_fd, ctx);
	close(iter_fd);
	close(link_fd);
	if (r < 0)
		insp_error_set(err, r, "bpf: reading the task iterator");
	return r;
}

int bpf_scan(struct insp_procs *procs, const struct insp_scan_opts *opts, struct insp_error *err)
{
	struct insp_scanner *scanner = opts->scanner;
	struct record_ctx ctx = { .slots = opts->ns_slots,
				  .own_caps = own_permitted_caps(),
				  .cgroups = opts->fields & INSP_PROC_CGROUP_IDS,
				  .identity = true };
	struct iter_prog own = { 0 }, *prog = &own;
	struct stat st;
	int r;

	/* The programs with cgroups leave out what the caller did not ask for. */
	if (ctx.cgroups)
		ctx.identity = opts->fields & (INSP_PROC_STAT | INSP_PROC_UID);
	if (scanner) {
		scanner->readable.scan++;
		ctx.readable = &scanner->readable;
		if ((r = procs_reserve(procs, scanner->last_count + scanner->last_count / 8)) < 0) {
			insp_error_set(err, -r, "process snapshot");
			goto out;
		}
	}
	r = scanner_walk(scanner, ctx.cgroups) ? walk_scan(procs, scanner, &ctx) : -ENOTSUP;
	if (r < 0) {
		r = scanner ? scanner_prog(scanner, ctx.cgroups, &prog, err) : iter_load(&own, ctx.cgroups, err);
		if (r == 0)
			r = iterator_scan(procs, prog, &ctx, err);
	}
	if (scanner) {
		readable_prune(&scanner->readable);
		scanner->last_count = procs->n;
	}
	if (r < 0)
		goto out;
	/* The task iterator and the walk miss pid 1 on some kernels (6.18 here): ask /proc for it. */
	if ((procs->n == 0 || procs->v[0].pid != 1) &&
	    (r = procfs_add_pid(procs, 1, &(struct insp_scan_opts){ .fields = BPF_FIELDS,
								    .ns_slots = opts->ns_slots })) < 0) {
		insp_error_set(err, r, "bpf backend: reading pid 1 from /proc");
		goto out;
	}
	/* Appended last, it goes first: the snapshot stays sorted without a sort. */
	if (procs->n > 1 && procs->v[procs->n - 1].pid == 1) {
		struct insp_proc init = procs->v[procs->n - 1];

		memmove(&procs->v[1], &procs->v[0], (procs->n - 1) * sizeof(procs->v[0]));
		procs->v[0] = init;
	}
	if (stat("/proc/self/ns/user", &st) == 0)
		procs->nsfs_dev = st.st_dev;
	procs->backend = INSP_BACKEND_BPF;
out:
	iter_destroy(&own);
	if (r < 0)
		procs_clear(procs);
	return r;
}
