// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump the namespaces and identity of every process in one read of a task
 * iterator, instead of ten path walks per process through /proc.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "nstask.h"

char LICENSE[] SEC("license") = "GPL";

static __always_inline void read_ns(struct nstask_rec *r, int slot, struct ns_common *ns)
{
	if (!ns)
		return;
	r->ns_inum[slot] = BPF_CORE_READ(ns, inum);
	/* The 64-bit, never reused id exists since Linux 6.18. */
	if (bpf_core_field_exists(ns->ns_id))
		r->ns_id[slot] = BPF_CORE_READ(ns, ns_id);
}

static __always_inline struct ns_common *active_pid_ns(struct task_struct *t)
{
	struct pid *pid = BPF_CORE_READ(t, thread_pid);
	unsigned int level;
	struct upid upid;

	if (!pid)
		return NULL;
	level = BPF_CORE_READ(pid, level);
	if (level > 32 || bpf_core_read(&upid, sizeof(upid), &pid->numbers[level]))
		return NULL;
	return upid.ns ? &upid.ns->ns : NULL;
}

static __always_inline void read_nsproxy(struct nstask_rec *r, struct nsproxy *np)
{
	struct pid_namespace *pid_ns;

	/* A zombie has dropped its nsproxy; /proc reports ENOENT for these links. */
	if (!np)
		return;
	read_ns(r, NSTASK_MNT, &BPF_CORE_READ(np, mnt_ns)->ns);
	read_ns(r, NSTASK_NET, &BPF_CORE_READ(np, net_ns)->ns);
	read_ns(r, NSTASK_UTS, &BPF_CORE_READ(np, uts_ns)->ns);
	read_ns(r, NSTASK_IPC, &BPF_CORE_READ(np, ipc_ns)->ns);
	read_ns(r, NSTASK_CGROUP, &BPF_CORE_READ(np, cgroup_ns)->ns);
	/* Like /proc, show a new pid namespace only once it has an init to reap for it. */
	pid_ns = BPF_CORE_READ(np, pid_ns_for_children);
	if (pid_ns && BPF_CORE_READ(pid_ns, child_reaper))
		read_ns(r, NSTASK_PID_FOR_CHILDREN, &pid_ns->ns);
	if (bpf_core_field_exists(np->time_ns)) {
		read_ns(r, NSTASK_TIME, &BPF_CORE_READ(np, time_ns)->ns);
		read_ns(r, NSTASK_TIME_FOR_CHILDREN, &BPF_CORE_READ(np, time_ns_for_children)->ns);
	}
}

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	const struct cred *cred;
	struct nstask_rec r = {};

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
	read_ns(&r, NSTASK_USER, &BPF_CORE_READ(cred, user_ns)->ns);
	read_ns(&r, NSTASK_PID, active_pid_ns(t));
	read_nsproxy(&r, BPF_CORE_READ(t, nsproxy));
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
