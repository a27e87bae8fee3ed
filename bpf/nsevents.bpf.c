// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Namespace creation and entry, and cgroup changes, as they happen.
 *
 * Only raw tracepoints: they need neither kprobes nor tracefs. The syscall
 * hooks see every syscall on the host, so everything but the four numbers
 * we want returns at the first comparison. The ids a call produced are read
 * from the task itself at syscall exit (unshare, setns) or from the child at
 * fork (clone), never inferred from the arguments.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "nsevents.h"
#include "nsread.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define CSIGNAL 0x000000ffULL
#define CLONE_NEWTIME 0x00000080ULL
#define CLONE_NEW_ANY 0x7e020080ULL	/* NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME */

/* Set by the loader: this architecture's syscall numbers, and an optional process. */
const volatile long nr_unshare = -1;
const volatile long nr_clone = -1;
const volatile long nr_clone3 = -1;
const volatile long nr_setns = -1;
const volatile unsigned int only_tgid = 0;

struct pending {
	unsigned int kind;
	unsigned int types;	/* the ones the call may change */
	unsigned long long flags;
	struct ns_ids before;	/* the caller's ids: at entry (unshare, setns), at fork (clone) */
	unsigned int child;	/* clone: filled at fork */
	unsigned int child_types;
	struct ns_ids child_ids;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, unsigned int);
	__type(value, struct pending);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, struct nsev_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

static __always_inline struct nsev_counters *counters_here(void)
{
	unsigned int zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

static __always_inline bool wanted(void)
{
	return !only_tgid || bpf_get_current_pid_tgid() >> 32 == only_tgid;
}

/* The pid and time slots that change are the ones for children. */
static __always_inline int slot_of_type(int type)
{
	return type == NSTASK_PID ? NSTASK_PID_FOR_CHILDREN
	       : type == NSTASK_TIME ? NSTASK_TIME_FOR_CHILDREN
				     : type;
}

/*
 * Direct loads through the BTF-typed task pointer, and only the types a call
 * can change: probe reads of all ten slots at entry and exit halved the rate
 * of a tight unshare loop.
 */
static __always_inline struct ns_common *ns_of_type(struct task_struct *t, int type)
{
	struct nsproxy *np = t->nsproxy;

	if (type == NSTASK_USER)
		return &t->cred->user_ns->ns;
	if (!np)
		return NULL;
	switch (type) {
	case NSTASK_MNT: return &np->mnt_ns->ns;
	case NSTASK_NET: return &np->net_ns->ns;
	case NSTASK_PID: return &np->pid_ns_for_children->ns;
	case NSTASK_UTS: return &np->uts_ns->ns;
	case NSTASK_IPC: return &np->ipc_ns->ns;
	case NSTASK_CGROUP: return &np->cgroup_ns->ns;
	default:
		if (bpf_core_field_exists(np->time_ns_for_children))
			return &np->time_ns_for_children->ns;
		return NULL;
	}
}

static __always_inline void read_types(struct ns_ids *ids, struct task_struct *t, unsigned int types)
{
	for (int type = 0; type < NSEV_NTYPES; type++) {
		struct ns_common *ns;
		int s = slot_of_type(type);

		if (!(types & (1u << type)) || !(ns = ns_of_type(t, type)))
			continue;
		ids->inum[s] = ns->inum;
		if (bpf_core_field_exists(ns->ns_id))
			ids->id[s] = ns->ns_id;
	}
}

/* The types a call may change: its CLONE_NEW* flags; all for setns(fd, 0). */
static __always_inline unsigned int types_of_flags(unsigned int kind, unsigned long long flags)
{
	static const unsigned long long clone_flag[NSEV_NTYPES] = {
		0x00020000, 0x40000000, 0x20000000, 0x04000000, 0x08000000, 0x10000000, 0x02000000, 0x00000080,
	};
	unsigned int types = 0;

	for (int type = 0; type < NSEV_NTYPES; type++)
		if (flags & clone_flag[type])
			types |= 1u << type;
	return kind == NSEV_SETNS && !types ? (1u << NSEV_NTYPES) - 1 : types;
}

static __always_inline unsigned int changed_types(const struct ns_ids *a, const struct ns_ids *b,
						  struct nsev_event *e)
{
	unsigned int types = 0;

	for (int t = 0; t < NSEV_NTYPES; t++) {
		int s = slot_of_type(t);

		if (a->inum[s] == b->inum[s])
			continue;
		types |= 1u << t;
		if (e) {
			e->ns_inum[t] = b->inum[s];
			e->ns_id[t] = b->id[s];
		}
	}
	return types;
}

static __always_inline struct nsev_event *event_start(struct nsev_counters *c, unsigned int kind)
{
	struct nsev_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	unsigned long long id = bpf_get_current_pid_tgid();

	if (!e) {
		if (c)
			c->dropped++;
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->time_ns = bpf_ktime_get_boot_ns();
	e->kind = kind;
	e->pid = id >> 32;
	e->tid = (unsigned int)id;
	e->uid = (unsigned int)bpf_get_current_uid_gid();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

static __always_inline void count(struct nsev_counters *c, unsigned int kind, unsigned int types,
				  bool failed)
{
	if (!c || kind >= NSEV_NKINDS)
		return;
	c->calls[kind]++;
	if (failed)
		c->failed[kind]++;
	for (int t = 0; t < NSEV_NTYPES; t++) {
		if (!(types & (1u << t)))
			continue;
		if (kind == NSEV_SETNS)
			c->entered[t]++;
		else
			c->created[t]++;
	}
}

static __always_inline unsigned long long clone3_flags(struct pt_regs *regs)
{
	struct clone_args *uargs = (struct clone_args *)PT_REGS_PARM1_CORE_SYSCALL(regs);
	unsigned long long flags = 0;

	bpf_probe_read_user(&flags, sizeof(flags), &uargs->flags);
	return flags;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(ns_sys_enter, struct pt_regs *regs, long id)
{
	struct pending p = {};
	unsigned int tid;

	if (id != nr_unshare && id != nr_clone && id != nr_clone3 && id != nr_setns)
		return 0;
	if (!wanted())
		return 0;
	if (id == nr_unshare) {
		p.kind = NSEV_UNSHARE;
		p.flags = PT_REGS_PARM1_CORE_SYSCALL(regs);
	} else if (id == nr_clone) {
		p.kind = NSEV_CLONE;
		/* The low byte of clone(2)'s flags is the exit signal, not CLONE_NEWTIME. */
		p.flags = PT_REGS_PARM1_CORE_SYSCALL(regs) & ~CSIGNAL;
	} else if (id == nr_clone3) {
		p.kind = NSEV_CLONE3;
		p.flags = clone3_flags(regs);
	} else {
		p.kind = NSEV_SETNS;
		p.flags = (unsigned int)PT_REGS_PARM2_CORE_SYSCALL(regs);
	}
	if (p.kind != NSEV_SETNS && !(p.flags & CLONE_NEW_ANY))
		return 0;
	p.types = types_of_flags(p.kind, p.flags);
	if (p.kind == NSEV_UNSHARE || p.kind == NSEV_SETNS)
		read_types(&p.before, bpf_get_current_task_btf(), p.types);
	tid = (unsigned int)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&pending, &tid, &p, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ns_fork, struct task_struct *parent, struct task_struct *child)
{
	unsigned int tid = (unsigned int)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&pending, &tid);

	if (!p || (p->kind != NSEV_CLONE && p->kind != NSEV_CLONE3))
		return 0;
	read_types(&p->before, parent, p->types);
	read_types(&p->child_ids, child, p->types);
	p->child = BPF_CORE_READ(child, tgid);
	p->child_types = changed_types(&p->before, &p->child_ids, NULL);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ns_sys_exit, struct pt_regs *regs, long ret)
{
	unsigned int tid = (unsigned int)bpf_get_current_pid_tgid();
	struct nsev_counters *c;
	struct nsev_event *e;
	struct pending *p;
	struct ns_ids after = {};
	unsigned int types;

	p = bpf_map_lookup_elem(&pending, &tid);
	if (!p)
		return 0;
	c = counters_here();
	e = event_start(c, p->kind);
	if (p->kind == NSEV_UNSHARE || p->kind == NSEV_SETNS) {
		read_types(&after, bpf_get_current_task_btf(), p->types);
		types = ret == 0 ? changed_types(&p->before, &after, e) : 0;
	} else {
		types = p->child_types;
		if (e) {
			e->child = p->child;
			changed_types(&p->before, &p->child_ids, e);
		}
	}
	count(c, p->kind, ret < 0 ? 0 : types, ret < 0);
	if (e) {
		e->flags = p->flags;
		e->result = ret;
		e->types = ret < 0 ? 0 : types;
		bpf_ringbuf_submit(e, 0);
	}
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

static __always_inline int cgroup_event(unsigned int kind, struct cgroup *cgrp, const char *path,
					struct task_struct *task)
{
	struct nsev_counters *c;
	struct nsev_event *e;
	unsigned int moved = task ? BPF_CORE_READ(task, tgid) : 0;

	if (only_tgid && !wanted() && moved != only_tgid)
		return 0;
	c = counters_here();
	count(c, kind, 0, false);
	e = event_start(c, kind);
	if (!e)
		return 0;
	e->child = moved;
	e->cgroup_id = BPF_CORE_READ(cgrp, kn, id);
	e->hierarchy = BPF_CORE_READ(cgrp, root, hierarchy_id);
	bpf_probe_read_kernel_str(e->path, sizeof(e->path), path);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(ns_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	return cgroup_event(NSEV_CGROUP_MKDIR, cgrp, path, NULL);
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(ns_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	return cgroup_event(NSEV_CGROUP_RMDIR, cgrp, path, NULL);
}

SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(ns_cgroup_attach, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	return cgroup_event(NSEV_CGROUP_ATTACH, dst, path, task);
}
