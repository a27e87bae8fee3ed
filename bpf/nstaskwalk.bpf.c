// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every process in one program run: an open-coded task iterator follows the
 * task list under RCU, where iter/task looks each pid up and takes a
 * reference on each task, which is half the cost of a scan at 10,000
 * processes. Records go to arrays the reader maps, with each process's
 * namespaces and cgroups as the index of a set that the processes sharing
 * an nsproxy or css_set share. Needs bpf_iter_task (Linux 6.7); the tools
 * fall back to nstaskcg.bpf.c without it.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "nsdirect.bpf.h"

char LICENSE[] SEC("license") = "GPL";

extern int bpf_iter_task_new(struct bpf_iter_task *it, struct task_struct *task, unsigned int flags) __ksym;
extern struct task_struct *bpf_iter_task_next(struct bpf_iter_task *it) __ksym;
extern void bpf_iter_task_destroy(struct bpf_iter_task *it) __ksym;
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* The reader sizes these before loading, from the host's task count. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct nstask_proc);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct nstask_ns_ids);
} ns_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct nstask_cgroup_ids);
} cgroup_sets SEC(".maps");

/* Also parent, comm, euid and securebits (a refresh that shows no names can do without). */
unsigned int want_identity;
/* What the last walk filled; overflow: an array was too small, the reader loads larger ones. */
unsigned int nprocs, nns_sets, ncgroup_sets, overflow;

/*
 * Each nsproxy and css_set becomes a set once per walk: direct-mapped
 * caches from the object's address to its set. A collision only makes a
 * second copy of a set. Both objects are immutable: a task that changes
 * gets a new one.
 */
#define NSPROXY_SLOTS 8192
#define CSS_SLOTS 2048

struct set_entry {
	unsigned long long addr, scan;
	unsigned int set;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NSPROXY_SLOTS);
	__type(key, __u32);
	__type(value, struct set_entry);
} nsproxy_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CSS_SLOTS);
	__type(key, __u32);
	__type(value, struct set_entry);
} css_cache SEC(".maps");

static unsigned long long scan;

static __always_inline struct set_entry *cached_set(void *cache, unsigned long long addr, __u32 slots)
{
	__u32 slot = cache_slot(addr, slots);

	return addr ? bpf_map_lookup_elem(cache, &slot) : NULL;
}

/*
 * A new set's contents. Global functions, so that the verifier checks each
 * once rather than once for every state the walk's loop can be in: with
 * their many loads through typed pointers (each a search of the kernel's
 * BTF) inline, loading took a second. They get the object as a number and
 * cast it back.
 */
__noinline int fill_ns_set(unsigned long long nsproxy, unsigned int n)
{
	struct nsproxy *np = bpf_rdonly_cast((void *)nsproxy, bpf_core_type_id_kernel(struct nsproxy));
	struct nstask_ns_ids *ids = bpf_map_lookup_elem(&ns_sets, &n);

	if (!ids)
		return -1;
	__builtin_memset(ids, 0, sizeof(*ids));
	direct_nsproxy(ids, np);
	return 0;
}

__noinline int fill_cgroup_set(unsigned long long css_set, unsigned int n)
{
	struct css_set *cset = bpf_rdonly_cast((void *)css_set, bpf_core_type_id_kernel(struct css_set));
	struct nstask_cgroup_ids *ids = bpf_map_lookup_elem(&cgroup_sets, &n);

	if (!ids)
		return -1;
	__builtin_memset(ids, 0, sizeof(*ids));
	read_cgroups(ids->id, cset);
	return 0;
}

/* The set of the object at addr, made at its first meeting in this walk. */
static __always_inline unsigned int set_of(void *cache, __u32 slots, unsigned long long addr, unsigned int *count,
					   int (*fill)(unsigned long long, unsigned int))
{
	struct set_entry *e = cached_set(cache, addr, slots);
	unsigned int n = *count;

	if (!e)
		return NSTASK_NO_SET;
	if (e->addr == addr && e->scan == scan)
		return e->set;
	if (fill(addr, n) < 0) {
		overflow = 1;
		return NSTASK_NO_SET;
	}
	*e = (struct set_entry){ .addr = addr, .scan = scan, .set = n };
	*count = n + 1;
	return n;
}

static __always_inline void fill_proc(struct nstask_proc *r, struct task_struct *t)
{
	const struct cred *cred = t->cred;

	__builtin_memset(r, 0, sizeof(*r));
	r->pid = t->tgid;
	r->start_boottime = t->start_boottime;
	r->cap_permitted = direct_cap_permitted(cred);
	if (want_identity) {
		r->ppid = t->real_parent->tgid;
		__builtin_memcpy(r->comm, t->comm, sizeof(r->comm));
		r->euid = cred->euid.val;
		r->securebits = cred->securebits;
	}
	direct_ns_ids(&cred->user_ns->ns, &r->user_inum, &r->user_id);
	task_pid_ns(t, &r->pid_inum, &r->pid_id);
	r->ns_set = set_of(&nsproxy_cache, NSPROXY_SLOTS, address_of(t->nsproxy), &nns_sets, fill_ns_set);
	r->cgroup_set = set_of(&css_cache, CSS_SLOTS, address_of(t->cgroups), &ncgroup_sets, fill_cgroup_set);
}

/* Attached to one task, the reader's own thread: runs once for it, and once more with none. */
SEC("iter/task")
int walk_procs(struct bpf_iter__task *ctx)
{
	struct bpf_iter_task it;
	struct task_struct *t;
	unsigned int n = 0;

	if (!ctx->task)
		return 0;
	scan++;
	nns_sets = ncgroup_sets = overflow = 0;
	bpf_iter_task_new(&it, NULL, BPF_TASK_ITER_ALL_PROCS);
	while ((t = bpf_iter_task_next(&it))) {
		struct nstask_proc *r;

		/* The idle task, where the walk starts. */
		if (!t->tgid)
			continue;
		if (!(r = bpf_map_lookup_elem(&procs, &n))) {
			overflow = 1;
			break;
		}
		fill_proc(r, t);
		n++;
	}
	bpf_iter_task_destroy(&it);
	nprocs = n;
	return 0;
}
