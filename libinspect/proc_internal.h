/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_PROC_INTERNAL_H
#define INSPECT_PROC_INTERNAL_H

#include <stdbool.h>

#include "inspect/proc.h"

struct insp_procs {
	struct insp_proc *v;
	size_t n, cap;
	uint32_t *slots;	/* open addressing: index + 1, 0 = empty */
	size_t mask;
	enum insp_backend backend;
	const char *fallback_reason;
	struct insp_scan_stats stats;
	dev_t nsfs_dev;
};

/* Room for n processes in all, so that appending does not move the array. */
int procs_reserve(struct insp_procs *procs, size_t n);
/* A zeroed slot at the end of the array (which may move). */
struct insp_proc *procs_append(struct insp_procs *procs);
void proc_release(struct insp_proc *p);

/* Read the asked fields of one process below an open /proc/PID. */
int procfs_read_proc(int dirfd, struct insp_proc *p, unsigned fields, unsigned slots);
/* Append one process read from /proc (nothing if it does not exist). */
int procfs_add_pid(struct insp_procs *procs, pid_t pid, const struct insp_scan_opts *opts);
int procfs_scan(struct insp_procs *procs, const struct insp_scan_opts *opts,
		struct insp_error *err);

/* Returns -ENOTSUP (or another -errno) with a reason when bpf cannot be used. */
int bpf_scan(struct insp_procs *procs, const struct insp_scan_opts *opts,
	     struct insp_error *err);

union bpf_iter_link_info;
/* An iterator over every task, or (info != NULL) over one process's tasks; its fd or -errno. */
int bpf_iter_open(int prog_fd, const union bpf_iter_link_info *info, int *link_fd, struct insp_error *err);

/*
 * The walk (bpf/nstaskwalk.bpf.c, Linux 6.7): every process in one program
 * run, for tools that scan every second. The result points into arrays
 * that the next run overwrites.
 */
struct proc_walk;
struct nstask_proc;
struct nstask_ns_ids;
struct nstask_cgroup_ids;
struct proc_walk_result {
	const struct nstask_proc *procs;	/* in the order of the task list */
	size_t nprocs;
	const struct nstask_ns_ids *ns_sets;
	size_t nns_sets;
	const struct nstask_cgroup_ids *cgroup_sets;
	size_t ncgroup_sets;
};
int proc_walk_open(struct proc_walk **out, struct insp_error *err);
int proc_walk_run(struct proc_walk *w, bool identity, struct proc_walk_result *out, struct insp_error *err);
void proc_walk_close(struct proc_walk *w);
/* From now on the scanner uses the task iterator, as on kernels without
   the walk: how that path stays tested on kernels with it. */
struct insp_scanner;
void proc_scanner_forgo_walk(struct insp_scanner *s);

/* The securebits of one process (pinned by pidfd), through the task iterator. */
int bpf_task_securebits(int pidfd, unsigned *securebits, struct insp_error *err);

struct insp_security;
struct insp_error;
/* Credentials and capability sets from status, and with maps the id maps:
   the cheap part of insp_security_read (no LSM label, no securebits). */
int security_read_creds(int proc_dirfd, bool maps, struct insp_security *out,
			struct insp_error *err);

#define ALL_NS_SLOTS ((1u << INSP_NS_NSLOTS) - 1)

#endif
