// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One process's securebits, which /proc does not show. A program of its own
 * because inspect loads it for one read: three relocations verify in a
 * fraction of the task iterator's time.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("iter/task")
int dump_securebits(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	unsigned int bits;

	/*
	 * The leader's credentials, as /proc/PID/status shows them. CO-RE reads
	 * throughout: each direct load through a kernel pointer costs the
	 * verifier a walk of the kernel's BTF.
	 */
	if (!t || BPF_CORE_READ(t, pid) != BPF_CORE_READ(t, tgid))
		return 0;
	bits = BPF_CORE_READ(t, cred, securebits);
	bpf_seq_write(ctx->meta->seq, &bits, sizeof(bits));
	return 0;
}
