// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The walk (bpf/nstaskwalk.bpf.c): every process in one program run, its
 * records read in place from mapped arrays. The arrays are sized from the
 * host's task count when loading; a host that outgrew them is walked again
 * with arrays twice as large.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "nstask.h"
#include "nstaskwalk.lskel.h"
#include "proc_internal.h"
#include "util.h"

#define MIN_PROCS 4096
#define MIN_SETS 1024
/* Past this a host has outgrown what a scanner should hold in kernel memory. */
#define MAX_PROCS (1u << 20)

struct proc_walk {
	struct nstaskwalk *skel;
	unsigned cap_procs, cap_sets;
	void *map[3];
	size_t map_len[3];
};

/* Threads in all (after the slash in loadavg's fourth field); 0 if unknown. */
static unsigned host_tasks(void)
{
	char buf[128];
	unsigned running, total;
	ssize_t n = util_read_at(AT_FDCWD, "/proc/loadavg", buf, sizeof(buf));

	if (n <= 0 || sscanf(buf, "%*s %*s %*s %u/%u", &running, &total) != 2)
		return 0;
	return total;
}

static unsigned pow2_at_least(unsigned n, unsigned min)
{
	unsigned v = min;

	while (v < n && v < MAX_PROCS)
		v <<= 1;
	return v;
}

/* The arrays unmapped and the program gone: w is ready for walk_load again. */
static void walk_unload(struct proc_walk *w)
{
	for (int i = 0; i < 3; i++)
		if (w->map[i])
			munmap(w->map[i], w->map_len[i]);
	memset(w->map, 0, sizeof(w->map));
	nstaskwalk__destroy(w->skel);
	w->skel = NULL;
}

static int map_array(struct proc_walk *w, int i, int fd, unsigned entries, size_t value_size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = ((size_t)entries * ((value_size + 7) & ~(size_t)7) + (size_t)page - 1) & ~((size_t)page - 1);
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	w->map[i] = p;
	w->map_len[i] = len;
	return 0;
}

static int walk_load(struct proc_walk *w, struct insp_error *err)
{
	struct nstaskwalk *s = nstaskwalk__open();
	int r;

	if (!s)
		return insp_error_set(err, errno ? errno : ENOMEM, "bpf: opening the process walk");
	s->maps.procs.max_entries = w->cap_procs;
	s->maps.ns_sets.max_entries = w->cap_sets;
	s->maps.cgroup_sets.max_entries = w->cap_sets;
	if (nstaskwalk__load(s)) {
		r = errno ? errno : ENOTSUP;
		nstaskwalk__destroy(s);
		return insp_error_set(err, r, "bpf: loading the process walk (needs Linux 6.7 and CAP_BPF, CAP_PERFMON)");
	}
	w->skel = s;
	if ((r = map_array(w, 0, s->maps.procs.map_fd, w->cap_procs, sizeof(struct nstask_proc))) < 0 ||
	    (r = map_array(w, 1, s->maps.ns_sets.map_fd, w->cap_sets, sizeof(struct nstask_ns_ids))) < 0 ||
	    (r = map_array(w, 2, s->maps.cgroup_sets.map_fd, w->cap_sets, sizeof(struct nstask_cgroup_ids))) < 0) {
		walk_unload(w);
		return insp_error_set(err, -r, "bpf: mapping the process walk's arrays");
	}
	return 0;
}

int proc_walk_open(struct proc_walk **out, struct insp_error *err)
{
	struct proc_walk *w = calloc(1, sizeof(*w));
	unsigned tasks = host_tasks();
	int r;

	*out = NULL;
	if (!w)
		return insp_error_set(err, ENOMEM, "process walk");
	/* Room for every task, with half again to grow. */
	w->cap_procs = pow2_at_least(tasks + tasks / 2, MIN_PROCS);
	w->cap_sets = pow2_at_least(w->cap_procs / 4, MIN_SETS);
	if ((r = walk_load(w, err)) < 0) {
		free(w);
		return r;
	}
	*out = w;
	return 0;
}

void proc_walk_close(struct proc_walk *w)
{
	if (!w)
		return;
	walk_unload(w);
	free(w);
}

/* One run of the program: an iterator over the calling thread alone calls it once. */
static int walk_once(struct proc_walk *w, struct insp_error *err)
{
	union bpf_iter_link_info info = { .task.tid = (uint32_t)gettid() };
	char byte;
	int link_fd, iter_fd;
	ssize_t n;

	w->skel->bss->nprocs = UINT32_MAX;
	if ((iter_fd = bpf_iter_open(w->skel->progs.walk_procs.prog_fd, &info, &link_fd, err)) < 0)
		return iter_fd;
	do
		n = read(iter_fd, &byte, sizeof(byte));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		insp_error_set(err, errno, "bpf: running the process walk");
	close(iter_fd);
	close(link_fd);
	if (n < 0)
		return -err->code;
	if (w->skel->bss->nprocs == UINT32_MAX)
		return insp_error_set(err, EIO, "bpf: the process walk did not run");
	return 0;
}

/* Arrays twice the size that overflowed; the walk is loaded again with them. */
static int walk_grow(struct proc_walk *w, struct insp_error *err)
{
	struct nstaskwalk__bss *b = w->skel->bss;

	if (w->cap_procs >= MAX_PROCS)
		return insp_error_set(err, E2BIG, "bpf: more than %u processes", MAX_PROCS);
	if (b->nprocs >= w->cap_procs)
		w->cap_procs *= 2;
	else
		w->cap_sets *= 2;
	walk_unload(w);
	return walk_load(w, err);
}

int proc_walk_run(struct proc_walk *w, bool identity, struct proc_walk_result *out, struct insp_error *err)
{
	int r;

	for (;;) {
		w->skel->bss->want_identity = identity;
		if ((r = walk_once(w, err)) < 0)
			return r;
		if (!w->skel->bss->overflow)
			break;
		if ((r = walk_grow(w, err)) < 0)
			return r;
	}
	*out = (struct proc_walk_result){ .procs = w->map[0],
					  .nprocs = w->skel->bss->nprocs,
					  .ns_sets = w->map[1],
					  .nns_sets = w->skel->bss->nns_sets,
					  .cgroup_sets = w->map[2],
					  .ncgroup_sets = w->skel->bss->ncgroup_sets };
	return 0;
}
