// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the seccomp evaluator: the bytes are a classic BPF program, as a
 * hostile process could install only if the kernel accepted it, but the
 * evaluator must not trust that. Whatever the program, evaluation ends,
 * and a verdict that does not depend on arguments has one possible action.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>

#include "seccomp_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 };
	size_t len = size / sizeof(struct sock_filter);
	struct sock_filter *insns;
	struct insp_seccomp_verdict acc, v;

	if (len == 0 || len > BPF_MAXINSNS || !(insns = malloc(len * sizeof(*insns))))
		return 0;
	memcpy(insns, data, len * sizeof(*insns));
	seccomp_verdict_allow(&acc);
	for (uint32_t nr = 0; nr < 4; nr++)
		for (size_t a = 0; a < 2; a++) {
			if (seccomp_prog_eval(insns, (unsigned)len, arches[a], nr, &v) < 0)
				goto out;
			if (!v.possible || (!v.depends_on_args && __builtin_popcount(v.possible) != 1) ||
			    !(v.possible & (1u << v.action)))
				abort();
			seccomp_verdict_combine(&acc, &v);
			if (!(acc.possible & (1u << acc.action)))
				abort();
		}
out:
	free(insns);
	return 0;
}
