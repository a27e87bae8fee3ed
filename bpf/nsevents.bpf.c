// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Namespace creation and entry, and cgroup changes, as they happen.
 *
 * Only raw tracepoints: they need neither kprobes nor tracefs. Attaching to
 * sys_enter or sys_exit puts every syscall of the host on the traced slow
 * path, so only sys_exit is used (the arguments are still in pt_regs there)
 * and everything but the four numbers we want returns at the first
 * comparison. The ids a call produced are read from the task itself: the
 * caller at syscall exit (unshare, setns), the child at fork (clone), never
 * inferred from the arguments.
 *
 * Kernel memory is read with probe reads, not direct BTF loads: the verifier
 * searches all of vmlinux's BTF by name for every direct load through a
 * trusted pointer, which made loading take a tenth of a second.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "nsevents.h"
#include "nsread.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define CSIGNAL 0x000000ffULL
#define CLONE_NEW_ANY 0x7e020080ULL	/* NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME */
#define MAX_PID_NS_LEVEL 32

/* Where pt_regs keeps the syscall number. */
#if defined(__TARGET_ARCH_x86)
#define SYSCALL_NR orig_ax
#elif defined(__TARGET_ARCH_arm64)
#define SYSCALL_NR syscallno
#else
#error "the syscall number's place in pt_regs is not known for this architecture"
#endif

/* Set by the loader: this architecture's syscall numbers, and an optional process. */
const volatile long nr_unshare = -1;
const volatile long nr_clone = -1;
const volatile long nr_clone3 = -1;
const volatile long nr_setns = -1;
const volatile unsigned int only_tgid = 0;
/* Set by the loader on hosts with memory on a v1 hierarchy, where containers are named there. */
const volatile unsigned int want_cgroup1 = 0;
/* Set by the loader for scrapers: the counters only, no record per event. */
const volatile unsigned int count_only = 0;

/* Racy on purpose: two CPUs that both wake the reader cost one extra wakeup. */
unsigned long long last_wakeup_ns;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, struct nsev_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
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

/* The pid and time namespaces a call changes are the ones for children. */
static __always_inline struct ns_common *ns_of_type(struct task_struct *t, struct nsproxy *np, int type)
{
	if (type == NSTASK_USER)
		return &BPF_CORE_READ(t, cred, user_ns)->ns;
	if (!np)
		return NULL;
	switch (type) {
	case NSTASK_MNT: return &BPF_CORE_READ(np, mnt_ns)->ns;
	case NSTASK_NET: return &BPF_CORE_READ(np, net_ns)->ns;
	case NSTASK_PID: return &BPF_CORE_READ(np, pid_ns_for_children)->ns;
	case NSTASK_UTS: return &BPF_CORE_READ(np, uts_ns)->ns;
	case NSTASK_IPC: return &BPF_CORE_READ(np, ipc_ns)->ns;
	case NSTASK_CGROUP: return &BPF_CORE_READ(np, cgroup_ns)->ns;
	default:
		if (bpf_core_field_exists(np->time_ns_for_children))
			return &BPF_CORE_READ(np, time_ns_for_children)->ns;
		return NULL;
	}
}

static __always_inline void read_types(struct nsev_ns_event *e, struct task_struct *t, unsigned int types)
{
	struct nsproxy *np = BPF_CORE_READ(t, nsproxy);

	for (int type = 0; type < NSEV_NTYPES; type++) {
		struct ns_common *ns;

		if (!(types & (1u << type)) || !(ns = ns_of_type(t, np, type)))
			continue;
		read_ns_ids(ns, &e->ns_inum[type], &e->ns_id[type]);
	}
}

/* setns(fd, 0) names no type: it is the one whose id is now the fd's inode. */
static __always_inline unsigned int type_of_fd(struct task_struct *t, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct nsproxy *np = BPF_CORE_READ(t, nsproxy);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	unsigned long inum;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds) || bpf_core_read(&f, sizeof(f), &fds[fd]) || !f)
		return 0;
	inum = BPF_CORE_READ(f, f_inode, i_ino);
	for (int type = 0; type < NSEV_NTYPES; type++) {
		struct ns_common *ns = ns_of_type(t, np, type);

		if (ns && BPF_CORE_READ(ns, inum) == inum)
			return 1u << type;
	}
	return 0;
}

/* The types a call asks for: its CLONE_NEW* flags. */
static __always_inline unsigned int types_of_flags(unsigned long long flags)
{
	static const unsigned long long clone_flag[NSEV_NTYPES] = {
		0x00020000, 0x40000000, 0x20000000, 0x04000000, 0x08000000, 0x10000000, 0x02000000, 0x00000080,
	};
	unsigned int types = 0;

	for (int type = 0; type < NSEV_NTYPES; type++)
		if (flags & clone_flag[type])
			types |= 1u << type;
	return types;
}

static __always_inline void head_fill(struct nsev_head *h, unsigned int kind)
{
	unsigned long long id = bpf_get_current_pid_tgid();

	h->time_ns = bpf_ktime_get_boot_ns();
	h->kind = kind;
	h->pid = id >> 32;
	h->tid = (unsigned int)id;
	h->uid = (unsigned int)bpf_get_current_uid_gid();
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	h->cgroup2_id = bpf_get_current_cgroup_id();
	if (want_cgroup1) {
		struct task_struct *t = (struct task_struct *)bpf_get_current_task();
		int memory = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
		struct cgroup_subsys_state *css = NULL;
		struct css_set *cset = BPF_CORE_READ(t, cgroups);
		struct cgroup *cg;

		if (memory >= 0 && memory < 16 && !bpf_core_read(&css, sizeof(css), &cset->subsys[memory & 15]) && css) {
			cg = BPF_CORE_READ(css, cgroup);
			h->cgroup1_hierarchy = BPF_CORE_READ(cg, root, hierarchy_id);
			h->cgroup1_id = BPF_CORE_READ(cg, kn, id);
		}
	}
}

static __always_inline struct nsev_ns_event *ns_event_start(struct nsev_counters *c, unsigned int kind)
{
	struct nsev_ns_event *e;

	if (count_only)
		return NULL;
	if (!(e = bpf_ringbuf_reserve(&events, sizeof(*e), 0))) {
		if (c)
			c->dropped++;
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	head_fill(&e->head, kind);
	return e;
}

static __always_inline long wakeup_flag(unsigned long long now)
{
	if (now - last_wakeup_ns < NSEV_WAKEUP_INTERVAL_MS * 1000000ULL)
		return BPF_RB_NO_WAKEUP;
	last_wakeup_ns = now;
	return BPF_RB_FORCE_WAKEUP;
}

static __always_inline void count(struct nsev_counters *c, unsigned int kind, unsigned int types,
				  bool call, bool failed)
{
	if (!c || kind >= NSEV_NKINDS)
		return;
	if (call)
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

/* The flags of the clone(2) or clone3(2) that regs belong to; 0 for any other syscall. */
static __always_inline unsigned long long clone_flags(struct pt_regs *regs, long nr, unsigned int *kind)
{
	struct clone_args *uargs;
	unsigned long long flags = 0;

	if (nr == nr_clone) {
		*kind = NSEV_CLONE;
		/* The low byte of clone(2)'s flags is the exit signal, not CLONE_NEWTIME. */
		return PT_REGS_PARM1_CORE_SYSCALL(regs) & ~CSIGNAL;
	}
	if (nr != nr_clone3)
		return 0;
	*kind = NSEV_CLONE3;
	uargs = (struct clone_args *)PT_REGS_PARM1_CORE_SYSCALL(regs);
	bpf_probe_read_user(&flags, sizeof(flags), &uargs->flags);
	return flags;
}

static __always_inline void unshare_or_setns_exit(struct pt_regs *regs, long ret, unsigned int kind,
						  unsigned long long flags)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct nsev_counters *c = counters_here();
	unsigned int types = 0;
	struct nsev_ns_event *e;

	if (ret == 0)
		types = kind == NSEV_SETNS && !(flags & CLONE_NEW_ANY)
				? type_of_fd(t, PT_REGS_PARM1_CORE_SYSCALL(regs))
				: types_of_flags(flags);
	count(c, kind, types, true, ret < 0);
	e = ns_event_start(c, kind);
	if (!e)
		return;
	read_types(e, t, types);
	e->flags = flags;
	e->result = ret;
	e->types = types;
	bpf_ringbuf_submit(e, wakeup_flag(e->head.time_ns));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ns_sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->SYSCALL_NR;
	unsigned int kind = NSEV_NKINDS;
	unsigned long long flags;
	struct nsev_ns_event *e;
	struct nsev_counters *c;

	if (nr != nr_unshare && nr != nr_setns && nr != nr_clone && nr != nr_clone3)
		return 0;
	if (!wanted())
		return 0;
	if (nr == nr_unshare) {
		flags = PT_REGS_PARM1_CORE_SYSCALL(regs);
		if (flags & CLONE_NEW_ANY)
			unshare_or_setns_exit(regs, ret, NSEV_UNSHARE, flags);
		return 0;
	}
	if (nr == nr_setns) {
		/* Failures too, whatever the nstype: a refused entry is news. */
		unshare_or_setns_exit(regs, ret, NSEV_SETNS, (unsigned int)PT_REGS_PARM2_CORE_SYSCALL(regs));
		return 0;
	}
	flags = clone_flags(regs, nr, &kind);
	/* The child returns 0 from the same call; a success was reported at fork. */
	if (!(flags & CLONE_NEW_ANY) || ret == 0)
		return 0;
	c = counters_here();
	count(c, kind, 0, true, ret < 0);
	if (ret > 0 || !(e = ns_event_start(c, kind)))
		return 0;
	e->flags = flags;
	e->result = ret;
	bpf_ringbuf_submit(e, wakeup_flag(e->head.time_ns));
	return 0;
}

/* The child's pid in the caller's pid namespace: what clone returns to it. */
static __always_inline long pid_seen_by(struct task_struct *child, struct task_struct *parent)
{
	unsigned int level = BPF_CORE_READ(parent, thread_pid, level);
	struct pid *pid = BPF_CORE_READ(child, thread_pid);
	int nr = 0;

	if (level <= MAX_PID_NS_LEVEL)
		bpf_core_read(&nr, sizeof(nr), &pid->numbers[level].nr);
	return nr;
}

/* clone and clone3 succeed here, before the child runs: report them from the child's ids. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(ns_fork, struct task_struct *parent, struct task_struct *child)
{
	unsigned int kind = NSEV_NKINDS, types;
	unsigned long long flags;
	struct nsev_counters *c;
	struct nsev_ns_event *e;
	struct pt_regs *regs;

	if (BPF_CORE_READ(child, nsproxy) == BPF_CORE_READ(parent, nsproxy) &&
	    BPF_CORE_READ(child, cred, user_ns) == BPF_CORE_READ(parent, cred, user_ns))
		return 0;
	if (!wanted())
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(parent);
	flags = clone_flags(regs, BPF_CORE_READ(regs, SYSCALL_NR), &kind);
	if (!(flags & CLONE_NEW_ANY))
		return 0;
	types = types_of_flags(flags);
	c = counters_here();
	count(c, kind, types, false, false);
	e = ns_event_start(c, kind);
	if (!e)
		return 0;
	read_types(e, child, types);
	e->flags = flags;
	e->types = types;
	e->child = BPF_CORE_READ(child, tgid);
	e->result = pid_seen_by(child, parent);
	bpf_ringbuf_submit(e, wakeup_flag(e->head.time_ns));
	return 0;
}

static __always_inline int cgroup_event(unsigned int kind, struct cgroup *cgrp, const char *path,
					struct task_struct *task)
{
	struct nsev_counters *c;
	struct nsev_cgroup_event *e;
	unsigned int moved = task ? BPF_CORE_READ(task, tgid) : 0;

	if (only_tgid && !wanted() && moved != only_tgid)
		return 0;
	c = counters_here();
	count(c, kind, 0, true, false);
	if (count_only)
		return 0;
	if (!(e = bpf_ringbuf_reserve(&events, sizeof(*e), 0))) {
		if (c)
			c->dropped++;
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	head_fill(&e->head, kind);
	e->moved = moved;
	e->cgroup_id = BPF_CORE_READ(cgrp, kn, id);
	e->hierarchy = BPF_CORE_READ(cgrp, root, hierarchy_id);
	bpf_probe_read_kernel_str(e->path, sizeof(e->path), path);
	bpf_ringbuf_submit(e, wakeup_flag(e->head.time_ns));
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
