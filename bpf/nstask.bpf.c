// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump the namespaces and identity of every process in one read of a task
 * iterator, instead of ten path walks per process through /proc.
 *
 * Built twice: plain, for one-off scans, whose cost is mostly loading (every
 * CO-RE relocation is a search of the kernel's BTF); and with NSTASK_CGROUPS
 * (nstaskcg.bpf.c), for tools that scan every second, adding each task's
 * cgroups and caches that make the scan itself cheaper.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "nsread.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#ifdef NSTASK_CGROUPS
/* Set by the reader before each scan: entries of earlier scans do not count. */
unsigned long long scan;
/* Also parent, comm, euid and securebits (a refresh that shows no names can do without). */
unsigned int want_identity;

/*
 * Tasks share their namespaces (one nsproxy per set) and cgroups (one
 * css_set per set), and a probe read costs tens of nanoseconds: read each
 * set once per scan, in direct-mapped caches keyed by address and scan.
 * Both objects are immutable: a task that changes gets a new one.
 */
#define NSPROXY_SLOTS 8192	/* a host can have thousands of namespace sets */
#define CSS_SLOTS 2048

struct nsproxy_entry {
	unsigned long long addr, scan;
	struct ns_ids ids;
};

struct css_entry {
	unsigned long long addr, scan;
	unsigned long long id[NSTASK_CGROUP_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NSPROXY_SLOTS);
	__type(key, __u32);
	__type(value, struct nsproxy_entry);
} nsproxy_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CSS_SLOTS);
	__type(key, __u32);
	__type(value, struct css_entry);
} css_cache SEC(".maps");

/* Slab objects are at least 64-byte aligned: mix the bits above. */
static __always_inline __u32 cache_slot(const void *addr, __u32 slots)
{
	unsigned long long a = (unsigned long long)addr >> 6;

	return (__u32)((a ^ (a >> 13) ^ (a >> 27)) * 2654435761u) & (slots - 1);
}

/*
 * A css_set's cgroup in each hierarchy: v2 directly, v1 through the css of
 * each controller (its cgroup knows its hierarchy). Plain reads under the
 * iterator's RCU section: bpf_task_get_cgroup1 would take css_set_lock per
 * call. Named v1 hierarchies (name=systemd) have no controller, so no id.
 */
static __always_inline void read_cgroups(unsigned long long *id, struct css_set *cset)
{
	unsigned int count = bpf_core_enum_value(enum cgroup_subsys_id, CGROUP_SUBSYS_COUNT);

	id[0] = BPF_CORE_READ(cset, dfl_cgrp, kn, id);
	for (unsigned int i = 0; i < 16 && i < count; i++) {
		struct cgroup_subsys_state *css = NULL;
		struct cgroup *cg;
		unsigned int hierarchy;

		if (bpf_core_read(&css, sizeof(css), &cset->subsys[i]) || !css)
			continue;
		cg = BPF_CORE_READ(css, cgroup);
		hierarchy = (unsigned int)BPF_CORE_READ(cg, root, hierarchy_id);
		if (!hierarchy || hierarchy >= NSTASK_CGROUP_SLOTS)
			continue;
		/* The compiler may drop the mask after the test; the verifier needs it for the bound. */
		asm volatile("" : "+r"(hierarchy));
		id[hierarchy & (NSTASK_CGROUP_SLOTS - 1)] = BPF_CORE_READ(cg, kn, id);
	}
}

static __always_inline void task_cgroups(struct nstask_rec *r, struct task_struct *t)
{
	/* Probe-read: the address keys the cache, and the verifier forbids arithmetic on a typed pointer. */
	struct css_set *cset = BPF_CORE_READ(t, cgroups);
	__u32 slot = cache_slot(cset, CSS_SLOTS);
	struct css_entry *e = bpf_map_lookup_elem(&css_cache, &slot);

	if (!e || !cset)
		return;
	if (e->addr != (unsigned long long)cset || e->scan != scan) {
		__builtin_memset(e->id, 0, sizeof(e->id));
		read_cgroups(e->id, cset);
		e->addr = (unsigned long long)cset;
		e->scan = scan;
	}
	__builtin_memcpy(r->cgroup_id, e->id, sizeof(r->cgroup_id));
}

/*
 * Direct loads through the task, where the reads above call a helper: this
 * program is loaded once per tool, and the verifier's extra work for them
 * is paid once, while a probe read costs tens of nanoseconds per task.
 */
static __always_inline void direct_ns_ids(struct ns_common *ns, unsigned int *inum, unsigned long long *id)
{
	*inum = ns->inum;
	if (bpf_core_field_exists(ns->ns_id))
		*id = ns->ns_id;
}

/* The task's namespaces: its nsproxy's through the cache, its user and pid namespaces itself. */
static __always_inline void task_namespaces(struct nstask_rec *r, struct task_struct *t)
{
	struct nsproxy *np = BPF_CORE_READ(t, nsproxy);
	__u32 slot = cache_slot(np, NSPROXY_SLOTS);
	struct nsproxy_entry *e = bpf_map_lookup_elem(&nsproxy_cache, &slot);
	struct pid *pid = t->thread_pid;
	struct ns_common *pid_ns = NULL;
	struct upid upid;

	/* A zombie has dropped its nsproxy; /proc reports ENOENT for these links. */
	if (e && np) {
		if (e->addr != (unsigned long long)np || e->scan != scan) {
			__builtin_memset(&e->ids, 0, sizeof(e->ids));
			read_nsproxy(&e->ids, np);
			e->addr = (unsigned long long)np;
			e->scan = scan;
		}
		__builtin_memcpy(r->ns_inum, e->ids.inum, sizeof(r->ns_inum));
		__builtin_memcpy(r->ns_id, e->ids.id, sizeof(r->ns_id));
	}
	direct_ns_ids(&t->cred->user_ns->ns, &r->ns_inum[NSTASK_USER], &r->ns_id[NSTASK_USER]);
	if (pid && pid->level <= 32 && !bpf_core_read(&upid, sizeof(upid), &pid->numbers[pid->level]) && upid.ns)
		pid_ns = &upid.ns->ns;
	if (pid_ns)
		read_ns_ids(pid_ns, &r->ns_inum[NSTASK_PID], &r->ns_id[NSTASK_PID]);
}
#else
static __always_inline void task_namespaces(struct nstask_rec *r, struct task_struct *t)
{
	struct ns_ids ids = {};

	read_task_ns(&ids, t);
	__builtin_memcpy(r->ns_inum, ids.inum, sizeof(r->ns_inum));
	__builtin_memcpy(r->ns_id, ids.id, sizeof(r->ns_id));
}
#endif

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
	r.start_boottime = t->start_boottime;
#ifdef NSTASK_CGROUPS
	cred = t->cred;
#else
	cred = BPF_CORE_READ(t, cred);
#endif
#ifdef NSTASK_CGROUPS
	if (want_identity) {
		r.ppid = t->real_parent->tgid;
		__builtin_memcpy(r.comm, t->comm, sizeof(r.comm));
		r.euid = cred->euid.val;
		r.securebits = cred->securebits;
	}
#else
	r.ppid = BPF_CORE_READ(t, real_parent, tgid);
	bpf_probe_read_kernel_str(r.comm, sizeof(r.comm), t->comm);
	r.euid = BPF_CORE_READ(cred, euid.val);
	r.securebits = BPF_CORE_READ(cred, securebits);
#endif
	/* kernel_cap_t is 64 bits wide in every layout the kernel has used; /proc's rule needs it. */
	bpf_core_read(&r.cap_permitted, sizeof(r.cap_permitted), &cred->cap_permitted);
	task_namespaces(&r, t);
#ifdef NSTASK_CGROUPS
	task_cgroups(&r, t);
#endif
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
