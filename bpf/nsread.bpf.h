/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a task's namespace ids: the task iterator's, and the event tracer's reader of one namespace. */
#ifndef NSREAD_BPF_H
#define NSREAD_BPF_H

#include "nstask.h"

/* A namespace's inode number and, where the kernel has one, its 64-bit id. */
static __always_inline void read_ns_ids(struct ns_common *ns, unsigned int *inum, unsigned long long *id)
{
	*inum = BPF_CORE_READ(ns, inum);
	/* The 64-bit, never reused id exists since Linux 6.18. */
	if (bpf_core_field_exists(ns->ns_id))
		*id = BPF_CORE_READ(ns, ns_id);
}

static __always_inline void read_ns(struct nstask_ns_ids *ids, int slot, struct ns_common *ns)
{
	if (ns)
		read_ns_ids(ns, &ids->inum[slot], &ids->id[slot]);
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

/* The namespaces of nsproxy, as /proc shows them. */
static __always_inline void read_nsproxy(struct nstask_ns_ids *ids, struct nsproxy *np)
{
	struct pid_namespace *pid_ns;

	/* A zombie has dropped its nsproxy; /proc reports ENOENT for these links. */
	if (!np)
		return;
	read_ns(ids, NSTASK_MNT, &BPF_CORE_READ(np, mnt_ns)->ns);
	read_ns(ids, NSTASK_NET, &BPF_CORE_READ(np, net_ns)->ns);
	read_ns(ids, NSTASK_UTS, &BPF_CORE_READ(np, uts_ns)->ns);
	read_ns(ids, NSTASK_IPC, &BPF_CORE_READ(np, ipc_ns)->ns);
	read_ns(ids, NSTASK_CGROUP, &BPF_CORE_READ(np, cgroup_ns)->ns);
	/* Like /proc, show a new pid namespace only once it has an init to reap for it. */
	pid_ns = BPF_CORE_READ(np, pid_ns_for_children);
	if (pid_ns && BPF_CORE_READ(pid_ns, child_reaper))
		read_ns(ids, NSTASK_PID_FOR_CHILDREN, &pid_ns->ns);
	if (bpf_core_field_exists(np->time_ns)) {
		read_ns(ids, NSTASK_TIME, &BPF_CORE_READ(np, time_ns)->ns);
		read_ns(ids, NSTASK_TIME_FOR_CHILDREN, &BPF_CORE_READ(np, time_ns_for_children)->ns);
	}
}

static __always_inline void read_task_ns(struct nstask_ns_ids *ids, struct task_struct *t)
{
	read_ns(ids, NSTASK_USER, &BPF_CORE_READ(t, cred, user_ns)->ns);
	read_ns(ids, NSTASK_PID, active_pid_ns(t));
	read_nsproxy(ids, BPF_CORE_READ(t, nsproxy));
}

#endif
