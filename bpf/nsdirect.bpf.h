/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Readers for the programs of tools that scan every second: direct loads
 * through the task, where nsread.bpf.h calls a helper. Such a program is
 * loaded once per tool, and the verifier's extra work for each load is paid
 * once, while a probe read costs tens of nanoseconds per task and read.
 */
#ifndef NSDIRECT_BPF_H
#define NSDIRECT_BPF_H

#include "nsread.bpf.h"

/*
 * A kernel object's address as a number, to key the caches: the verifier
 * allows no arithmetic on a typed pointer, but a pointer stored in a map
 * (which needs CAP_PERFMON, as loading this program does) reads back as a
 * number. Cheaper than the probe read it replaces.
 */
static unsigned long long address_scratch;

static __always_inline unsigned long long address_of(const void *p)
{
	unsigned long long *slot = &address_scratch;
	unsigned long long a;

	asm volatile("*(u64 *)(%[slot] + 0) = %[p]\n\t%[a] = *(u64 *)(%[slot] + 0)"
		     : [a] "=r"(a) : [slot] "r"(slot), [p] "r"(p) : "memory");
	return a;
}

/* Slab objects are at least 64-byte aligned: mix the bits above. */
static __always_inline __u32 cache_slot(unsigned long long addr, __u32 slots)
{
	unsigned long long a = addr >> 6;

	return (__u32)((a ^ (a >> 13) ^ (a >> 27)) * 2654435761u) & (slots - 1);
}

/*
 * A css_set's cgroup in each hierarchy: v2 directly, v1 through the css of
 * each controller (its cgroup knows its hierarchy). Plain loads under the
 * iterator's RCU section: bpf_task_get_cgroup1 would take css_set_lock per
 * call. Named v1 hierarchies (name=systemd) have no controller, so no id.
 * Unrolled: a load through a typed pointer needs a constant offset.
 */
static __always_inline void read_cgroups(unsigned long long *id, struct css_set *cset)
{
	unsigned int count = bpf_core_enum_value(enum cgroup_subsys_id, CGROUP_SUBSYS_COUNT);

	id[0] = cset->dfl_cgrp->kn->id;
#pragma unroll
	for (unsigned int i = 0; i < sizeof(cset->subsys) / sizeof(cset->subsys[0]); i++) {
		struct cgroup_subsys_state *css;
		struct cgroup *cg;
		unsigned int hierarchy;

		if (i >= count || !(css = cset->subsys[i]))
			continue;
		cg = css->cgroup;
		hierarchy = (unsigned int)cg->root->hierarchy_id;
		if (!hierarchy || hierarchy >= NSTASK_CGROUP_SLOTS)
			continue;
		/* The compiler may drop the mask after the test; the verifier needs it for the bound. */
		asm volatile("" : "+r"(hierarchy));
		id[hierarchy & (NSTASK_CGROUP_SLOTS - 1)] = cg->kn->id;
	}
}

static __always_inline void direct_ns_ids(struct ns_common *ns, unsigned int *inum, unsigned long long *id)
{
	*inum = ns->inum;
	if (bpf_core_field_exists(ns->ns_id))
		*id = ns->ns_id;
}

static __always_inline void direct_ns(struct nstask_ns_ids *ids, int slot, struct ns_common *ns)
{
	if (ns)
		direct_ns_ids(ns, &ids->inum[slot], &ids->id[slot]);
}

static __always_inline void direct_nsproxy(struct nstask_ns_ids *ids, struct nsproxy *np)
{
	struct pid_namespace *pid_ns = np->pid_ns_for_children;

	direct_ns(ids, NSTASK_MNT, &np->mnt_ns->ns);
	direct_ns(ids, NSTASK_NET, &np->net_ns->ns);
	direct_ns(ids, NSTASK_UTS, &np->uts_ns->ns);
	direct_ns(ids, NSTASK_IPC, &np->ipc_ns->ns);
	direct_ns(ids, NSTASK_CGROUP, &np->cgroup_ns->ns);
	if (pid_ns && pid_ns->child_reaper)
		direct_ns(ids, NSTASK_PID_FOR_CHILDREN, &pid_ns->ns);
	if (bpf_core_field_exists(np->time_ns)) {
		direct_ns(ids, NSTASK_TIME, &np->time_ns->ns);
		direct_ns(ids, NSTASK_TIME_FOR_CHILDREN, &np->time_ns_for_children->ns);
	}
}

/* The active pid namespace: loaded for the nesting depths containers have, probe-read below them. */
static __always_inline void task_pid_ns(struct task_struct *t, unsigned int *inum, unsigned long long *id)
{
	struct pid *pid = t->thread_pid;
	struct pid_namespace *ns;
	struct ns_common *deep;

	if (!pid)
		return;
	switch (pid->level) {
	case 0:
		ns = pid->numbers[0].ns;
		break;
	case 1:
		ns = pid->numbers[1].ns;
		break;
	case 2:
		ns = pid->numbers[2].ns;
		break;
	default:
		if ((deep = active_pid_ns(t)))
			read_ns_ids(deep, inum, id);
		return;
	}
	if (ns)
		direct_ns_ids(&ns->ns, inum, id);
}

/* kernel_cap_t is 64 bits wide in every layout the kernel has used; /proc's rule needs it. */
static __always_inline unsigned long long direct_cap_permitted(const struct cred *cred)
{
	unsigned long long caps = 0;

	if (bpf_core_field_exists(cred->cap_permitted.val))
		return cred->cap_permitted.val;
	bpf_core_read(&caps, sizeof(caps), &cred->cap_permitted);
	return caps;
}

#endif
