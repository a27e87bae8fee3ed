// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The seccomp filters of one process's threads, read without stopping
 * them: the classic BPF the kernel keeps beside each filter (orig_prog),
 * as PTRACE_SECCOMP_GET_FILTER returns it.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "seccomp_iter.h"

char LICENSE[] SEC("license") = "GPL";

/* Twice the largest program, so that a mask alone bounds every size for the verifier. */
struct insns_buf {
	struct sock_filter v[2 * SECCOMP_ITER_MAX_INSNS];
};
#define SIZE_MASK (sizeof(struct insns_buf) - 1)

struct {
	/* Not per-CPU (values stop at 32 KB there): each reader loads its own copy. */
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct insns_buf);
} buf SEC(".maps");

/* Threads share filters: send each program once. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u8);
} sent SEC(".maps");

static long count_next(__u32 i, struct seccomp_filter **f)
{
	struct seccomp_filter *cur = *f;

	if (!cur)
		return 1;
	*f = BPF_CORE_READ(cur, prev);
	return 0;
}

static __u32 chain_length(struct seccomp_filter *f)
{
	/* bpf_loop counts the call that stopped it; a chain it did not finish is "one too many". */
	long calls = bpf_loop(SECCOMP_ITER_MAX_FILTERS + 1, count_next, &f, 0);

	return f ? SECCOMP_ITER_MAX_FILTERS + 1 : calls > 0 ? (__u32)calls - 1 : 0;
}

static void dump_filter(struct seq_file *seq, struct seccomp_filter *f)
{
	struct sock_fprog_kern *orig = BPF_CORE_READ(f, prog, orig_prog);
	struct seccomp_iter_filter rec = { .id = (__u64)f };
	__u32 zero = 0, size;
	__u8 one = 1;
	struct insns_buf *b;
	void *insns;

	rec.listener = BPF_CORE_READ(f, notif) != NULL;
	if (orig)
		rec.total = BPF_CORE_READ(orig, len);
	b = bpf_map_lookup_elem(&buf, &zero);
	insns = orig ? BPF_CORE_READ(orig, filter) : NULL;
	if (b && insns && rec.total && rec.total <= SECCOMP_ITER_MAX_INSNS &&
	    !bpf_map_lookup_elem(&sent, &rec.id)) {
		size = (rec.total * sizeof(struct sock_filter)) & SIZE_MASK;
		if (bpf_probe_read_kernel(b, size, insns) == 0) {
			rec.len = rec.total;
			bpf_map_update_elem(&sent, &rec.id, &one, BPF_ANY);
		}
	}
	bpf_seq_write(seq, &rec, sizeof(rec));
	if (rec.len && b)
		bpf_seq_write(seq, b, (rec.len * sizeof(struct sock_filter)) & SIZE_MASK);
}

struct walk {
	struct seq_file *seq;
	struct seccomp_filter *f;
};

/* One filter per call: bpf_loop has the verifier check the body once, not per filter. */
static long dump_next(__u32 i, struct walk *w)
{
	struct seccomp_filter *f = w->f;

	if (!f)
		return 1;
	dump_filter(w->seq, f);
	w->f = BPF_CORE_READ(f, prev);
	return 0;
}

SEC("iter/task")
int dump_seccomp(struct bpf_iter__task *ctx)
{
	/*
	 * Each direct load through a kernel pointer costs the verifier a walk
	 * of the kernel's BTF: load the seq_file once, read the rest by CO-RE.
	 */
	struct walk w = { .seq = ctx->meta->seq };
	struct task_struct *t = ctx->task;
	struct seccomp_iter_thread rec = { 0 };
	__u32 n;

	if (!t)
		return 0;
	w.f = BPF_CORE_READ(t, seccomp.filter);
	n = chain_length(w.f);
	rec.tid = BPF_CORE_READ(t, pid);
	rec.mode = BPF_CORE_READ(t, seccomp.mode);
	rec.truncated = n > SECCOMP_ITER_MAX_FILTERS;
	rec.nfilters = rec.truncated ? SECCOMP_ITER_MAX_FILTERS : n;
	bpf_seq_write(w.seq, &rec, sizeof(rec));
	bpf_loop(SECCOMP_ITER_MAX_FILTERS, dump_next, &w, 0);
	return 0;
}
