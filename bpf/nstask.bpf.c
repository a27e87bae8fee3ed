// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump the namespaces and identity of every process in one read of a task
 * iterator, instead of ten path walks per process through /proc.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "nsread.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#ifdef NSTASK_CGROUP1
extern struct cgroup *bpf_task_get_cgroup1(struct task_struct *task, int hierarchy_id) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
#endif

/* Set by the reader before a scan: report cgroups (a kfunc call per task and hierarchy). */
unsigned int want_cgroups;
/* Set by the program built without bpf_task_get_cgroup1: the v1 ids are missing, not zero. */
unsigned int cgroup1_missing;

/* A task's cgroup in each hierarchy asked for: membership without reading cgroup.procs. */
static __always_inline void read_cgroups(struct nstask_rec *r, struct task_struct *t)
{
	r->cgroup_id[0] = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, id);
#ifndef NSTASK_CGROUP1
	cgroup1_missing = 1;
#else
	for (int i = 1; i < NSTASK_CGROUP_SLOTS; i++) {
		/* NULL for ids no hierarchy has. */
		struct cgroup *cg = bpf_task_get_cgroup1(t, i);

		if (!cg)
			continue;
		r->cgroup_id[i] = BPF_CORE_READ(cg, kn, id);
		bpf_cgroup_release(cg);
	}
#endif
}

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	const struct cred *cred;
	struct nstask_rec r = {};
	struct ns_ids ids = {};

	/* Processes, not threads: the namespace links of /proc/PID are the leader's. */
	if (!t || t->pid != t->tgid)
		return 0;
	r.pid = t->tgid;
	r.ppid = BPF_CORE_READ(t, real_parent, tgid);
	r.start_boottime = t->start_boottime;
	bpf_probe_read_kernel_str(r.comm, sizeof(r.comm), t->comm);
	cred = BPF_CORE_READ(t, cred);
	r.euid = BPF_CORE_READ(cred, euid.val);
	r.securebits = BPF_CORE_READ(cred, securebits);
	/* kernel_cap_t is 64 bits wide in every layout the kernel has used. */
	bpf_core_read(&r.cap_permitted, sizeof(r.cap_permitted), &cred->cap_permitted);
	read_task_ns(&ids, t);
	__builtin_memcpy(r.ns_inum, ids.inum, sizeof(r.ns_inum));
	__builtin_memcpy(r.ns_id, ids.id, sizeof(r.ns_id));
	if (want_cgroups)
		read_cgroups(&r, t);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
