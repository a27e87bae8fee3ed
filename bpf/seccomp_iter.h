/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records written by seccomp.bpf.c for each thread of one process; read by libinspect. */
#ifndef SECCOMP_ITER_H
#define SECCOMP_ITER_H

/* The kernel allows more; a chain this long is reported as truncated. */
#define SECCOMP_ITER_MAX_FILTERS 64
#define SECCOMP_ITER_MAX_INSNS 4096	/* BPF_MAXINSNS */

/*
 * One record per thread, then one per filter of its chain, newest first.
 * A filter's instructions follow its record only the first time the
 * iterator meets it (len then > 0); later threads name it by id.
 */
struct seccomp_iter_thread {
	unsigned int tid;
	unsigned int mode;
	unsigned int nfilters;	/* records that follow */
	unsigned int truncated;
};

struct seccomp_iter_filter {
	unsigned long long id;	/* identity only, within one read */
	unsigned int len;	/* instructions that follow, 0 when sent before */
	unsigned int total;	/* the program's length */
	unsigned int listener;	/* a user-notification listener is open */
	unsigned int pad;
};

#endif
