/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to the seccomp modules: the readers and the evaluator. */
#ifndef INSPECT_SECCOMP_INTERNAL_H
#define INSPECT_SECCOMP_INTERNAL_H

#include <inspect/seccomp.h>

/* One thread's chain as a reader found it, newest filter first. */
struct seccomp_thread {
	pid_t tid;
	int mode;
	bool truncated;
	size_t nfilters;
	unsigned *filters;	/* indexes into the reader's filter list */
};

struct seccomp_reading {
	struct insp_seccomp_filter *filters;
	size_t nfilters;
	struct seccomp_thread *threads;
	size_t nthreads;
	uint64_t longest_stop_usec;
};

void seccomp_reading_free(struct seccomp_reading *r);
/* Append a filter (insns copied) and a thread; index or -ENOMEM. */
int seccomp_reading_add_filter(struct seccomp_reading *r, const struct sock_filter *insns,
			       unsigned len, int listener);
struct seccomp_thread *seccomp_reading_add_thread(struct seccomp_reading *r, pid_t tid, int mode);
int seccomp_thread_push(struct seccomp_thread *t, unsigned filter);

int seccomp_read_bpf(int pidfd, struct seccomp_reading *r, struct insp_error *err);
int seccomp_read_ptrace(pid_t pid, struct seccomp_reading *r, struct insp_error *err);

/* 0 when the kernel would have accepted the program (seccomp_check_filter's rules), else -EINVAL. */
int seccomp_prog_check(const struct sock_filter *insns, unsigned len);

/* Every path of one program for (arch, nr), arguments unknown. */
int seccomp_prog_eval(const struct sock_filter *insns, unsigned len, uint32_t arch, uint32_t nr,
		      struct insp_seccomp_verdict *out);

/* The same for a program seccomp_prog_check accepted. */
int seccomp_prog_eval_checked(const struct sock_filter *insns, unsigned len, uint32_t arch, uint32_t nr,
			      struct insp_seccomp_verdict *out);

/* Fold a newer filter's verdict into what the older ones give (the kernel's rule). */
void seccomp_verdict_combine(struct insp_seccomp_verdict *acc, const struct insp_seccomp_verdict *v);
void seccomp_verdict_allow(struct insp_seccomp_verdict *v);

#endif
