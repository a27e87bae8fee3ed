// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "proc_internal.h"
#include "util.h"

static const char *const backend_names[] = {
	[INSP_BACKEND_AUTO] = "auto",
	[INSP_BACKEND_PROC] = "proc",
	[INSP_BACKEND_BPF] = "bpf",
};

INSP_EXPORT const char *insp_backend_name(enum insp_backend backend)
{
	return (unsigned)backend < ARRAY_SIZE(backend_names) ? backend_names[backend] : "?";
}

INSP_EXPORT int insp_backend_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(backend_names); i++)
		if (strcmp(name, backend_names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

int procs_reserve(struct insp_procs *procs, size_t n)
{
	struct insp_proc *nv;

	if (n <= procs->cap)
		return 0;
	nv = util_xreallocarray(procs->v, n, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	procs->v = nv;
	procs->cap = n;
	return 0;
}

struct insp_proc *procs_append(struct insp_procs *procs)
{
	if (procs->n == procs->cap && procs_reserve(procs, procs->cap ? procs->cap + procs->cap / 2 : 1024) < 0)
		return NULL;
	memset(&procs->v[procs->n], 0, sizeof(procs->v[0]));
	return &procs->v[procs->n++];
}

void proc_release(struct insp_proc *p)
{
	free(p->cmdline);
	free(p->cgroup);
	free(p->cgroup_file);
	free(p->nspid);
	p->cmdline = p->cgroup = p->cgroup_file = NULL;
	p->nspid = NULL;
}

INSP_EXPORT void insp_proc_release(struct insp_proc *proc)
{
	proc_release(proc);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct insp_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int build_index(struct insp_procs *procs)
{
	size_t size = 16;
	bool sorted = true;

	for (size_t i = 1; i < procs->n && sorted; i++)
		sorted = procs->v[i - 1].pid < procs->v[i].pid;
	if (!sorted)
		qsort(procs->v, procs->n, sizeof(procs->v[0]), cmp_pid);
	while (size < procs->n * 2)
		size <<= 1;
	procs->slots = calloc(size, sizeof(*procs->slots));
	if (!procs->slots)
		return -ENOMEM;
	procs->mask = size - 1;
	for (size_t i = 0; i < procs->n; i++) {
		size_t h = util_hash64((uint64_t)procs->v[i].pid) & procs->mask;

		while (procs->slots[h])
			h = (h + 1) & procs->mask;
		procs->slots[h] = (uint32_t)(i + 1);
	}
	return 0;
}

static bool in_initial_namespaces(void)
{
	/* The kernel's fixed inode numbers for the initial pid and user namespaces. */
	static const struct {
		const char *path;
		ino_t ino;
	} init[] = { { "/proc/self/ns/pid", 0xEFFFFFFCU }, { "/proc/self/ns/user", 0xEFFFFFFDU } };
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(init); i++)
		if (stat(init[i].path, &st) < 0 || st.st_ino != init[i].ino)
			return false;
	return true;
}

static int scan_auto(struct insp_procs *procs, const struct insp_scan_opts *opts,
		     struct insp_error *err)
{
	struct insp_error bpf_err = { 0 };

	/* The task iterator reports global pids and uids: only valid from the host's view. */
	if (opts->only_pid <= 0 && in_initial_namespaces()) {
		if (bpf_scan(procs, opts, &bpf_err) == 0)
			return 0;
		procs->fallback_reason = "bpf task iterator not available";
	} else {
		procs->fallback_reason = "not in the initial pid and user namespaces";
	}
	return procfs_scan(procs, opts, err);
}

/* The bpf backend gives ns, stat and uid; read anything more from /proc. */
static void complete_fields(struct insp_procs *procs, unsigned fields)
{
	for (size_t i = 0; i < procs->n; i++)
		if (fields & ~procs->v[i].fields)
			insp_proc_fill(&procs->v[i], fields, NULL);
}

INSP_EXPORT int insp_procs_scan(struct insp_procs **out, const struct insp_scan_opts *opts,
				struct insp_error *err)
{
	struct insp_scan_opts o = opts ? *opts : (struct insp_scan_opts){ 0 };
	struct insp_procs *procs = calloc(1, sizeof(*procs));
	int r;

	if (!procs)
		return insp_error_set(err, ENOMEM, "process snapshot");
	if (!o.ns_slots)
		o.ns_slots = ALL_NS_SLOTS;
	switch (o.backend) {
	case INSP_BACKEND_BPF:
		if (o.only_pid > 0 || !in_initial_namespaces())
			r = insp_error_set(err, ENOTSUP,
					   "bpf backend: needs a host-wide scan from the initial pid and user namespaces");
		else
			r = bpf_scan(procs, &o, err);
		break;
	case INSP_BACKEND_PROC:
		r = procfs_scan(procs, &o, err);
		break;
	default:
		r = scan_auto(procs, &o, err);
		break;
	}
	if (r == 0 && procs->backend == INSP_BACKEND_BPF)
		complete_fields(procs, o.fields);
	if (r == 0 && build_index(procs) < 0)
		r = insp_error_set(err, ENOMEM, "process index");
	if (r < 0) {
		insp_procs_free(procs);
		return r;
	}
	*out = procs;
	return 0;
}

INSP_EXPORT void insp_procs_free(struct insp_procs *procs)
{
	if (!procs)
		return;
	for (size_t i = 0; i < procs->n; i++)
		proc_release(&procs->v[i]);
	free(procs->v);
	free(procs->slots);
	free(procs);
}

INSP_EXPORT size_t insp_procs_count(const struct insp_procs *procs)
{
	return procs->n;
}

INSP_EXPORT struct insp_proc *insp_procs_at(struct insp_procs *procs, size_t i)
{
	return i < procs->n ? &procs->v[i] : NULL;
}

INSP_EXPORT struct insp_proc *insp_procs_find(struct insp_procs *procs, pid_t pid)
{
	size_t h;

	if (!procs->slots)
		return NULL;
	for (h = util_hash64((uint64_t)pid) & procs->mask; procs->slots[h]; h = (h + 1) & procs->mask) {
		struct insp_proc *p = &procs->v[procs->slots[h] - 1];

		if (p->pid == pid)
			return p;
	}
	return NULL;
}

INSP_EXPORT enum insp_backend insp_procs_backend(const struct insp_procs *procs)
{
	return procs->backend;
}

INSP_EXPORT const char *insp_procs_fallback_reason(const struct insp_procs *procs)
{
	return procs->backend == INSP_BACKEND_PROC ? procs->fallback_reason : NULL;
}

INSP_EXPORT struct insp_scan_stats insp_procs_stats(const struct insp_procs *procs)
{
	return procs->stats;
}

INSP_EXPORT int insp_proc_dir_open(pid_t pid, struct insp_error *err)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd >= 0 ? fd : insp_error_set(err, errno == ENOENT ? ESRCH : errno, "pid %d", (int)pid);
}

INSP_EXPORT int insp_proc_fill(struct insp_proc *proc, unsigned fields, struct insp_error *err)
{
	_cleanup_close_ int dirfd = -1;
	unsigned long long start = proc->start_time;
	bool check_start = proc->fields & INSP_PROC_STAT;
	int r;

	fields &= ~proc->fields;
	if (!fields)
		return 0;
	if ((dirfd = insp_proc_dir_open(proc->pid, err)) < 0)
		return dirfd;
	/* Re-read stat to notice a recycled pid: the start time would differ. */
	if (check_start)
		fields |= INSP_PROC_STAT;
	r = procfs_read_proc(dirfd, proc, fields & ~INSP_PROC_NS, 0);
	if (r < 0)
		return insp_error_set(err, r, "pid %d", (int)proc->pid);
	if (check_start && proc->start_time != start)
		return insp_error_set(err, ESRCH, "pid %d: exited and its pid was reused", (int)proc->pid);
	return 0;
}
