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
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
