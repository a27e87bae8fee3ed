// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump the namespaces and identity of every process in one read of a task
 * iterator, instead of ten path walks per process through /proc.
 *
 * Built twice: plain, for one-off scans, whose cost is mostly loading (every
 * CO-RE relocation is a search of the kernel's BTF); and with NSTASK_CGROUPS
 * (nstaskcg.bpf.c), for tools that scan every second on kernels without
 * the walk (nstaskwalk.bpf.c, Linux 6.7), adding each task's cgroups and
 * caches that make the scan itself cheaper.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "nsread.bpf.h"
#ifdef NSTASK_CGROUPS
#include "nsdirect.bpf.h"
#endif

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
	struct nstask_ns_ids ids;
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


static __always_inline void task_cgroups(struct nstask_rec *r, struct task_struct *t)
{
	struct css_set *cset = t->cgroups;
	unsigned long long addr = address_of(cset);
	__u32 slot = cache_slot(addr, CSS_SLOTS);
	struct css_entry *e = bpf_map_lookup_elem(&css_cache, &slot);

	if (!e || !addr)
		return;
	if (e->addr != addr || e->scan != scan) {
		__builtin_memset(e->id, 0, sizeof(e->id));
		read_cgroups(e->id, cset);
		e->addr = addr;
		e->scan = scan;
	}
	__builtin_memcpy(r->cgroup_id, e->id, sizeof(r->cgroup_id));
}

/* The task's namespaces: its nsproxy's through the cache, its user and pid namespaces itself. */
static __always_inline void task_namespaces(struct nstask_rec *r, struct task_struct *t)
{
	struct nsproxy *np = t->nsproxy;
	unsigned long long addr = address_of(np);
	__u32 slot = cache_slot(addr, NSPROXY_SLOTS);
	struct nsproxy_entry *e = bpf_map_lookup_elem(&nsproxy_cache, &slot);

	/* A zombie has dropped its nsproxy; /proc reports ENOENT for these links. */
	if (e && addr) {
		if (e->addr != addr || e->scan != scan) {
			__builtin_memset(&e->ids, 0, sizeof(e->ids));
			direct_nsproxy(&e->ids, np);
			e->addr = addr;
			e->scan = scan;
		}
		__builtin_memcpy(r->ns_inum, e->ids.inum, sizeof(r->ns_inum));
		__builtin_memcpy(r->ns_id, e->ids.id, sizeof(r->ns_id));
	}
	direct_ns_ids(&t->cred->user_ns->ns, &r->ns_inum[NSTASK_USER], &r->ns_id[NSTASK_USER]);
	task_pid_ns(t, &r->ns_inum[NSTASK_PID], &r->ns_id[NSTASK_PID]);
}
#else
static __always_inline void task_namespaces(struct nstask_rec *r, struct task_struct *t)
{
	struct nstask_ns_ids ids = {};

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
#ifdef NSTASK_CGROUPS
	r.cap_permitted = direct_cap_permitted(cred);
#else
	/* kernel_cap_t is 64 bits wide in every layout the kernel has used; /proc's rule needs it. */
	bpf_core_read(&r.cap_permitted, sizeof(r.cap_permitted), &cred->cap_permitted);
#endif
	task_namespaces(&r, t);
#ifdef NSTASK_CGROUPS
	task_cgroups(&r, t);
#endif
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
