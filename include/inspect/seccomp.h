/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_SECCOMP_H
#define INSPECT_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

#include <inspect/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A process's seccomp filters as the kernel enforces them: each thread's
 * chain of classic BPF programs, evaluated per syscall and ABI the way the
 * kernel combines them (every filter runs; the lowest action wins).
 */

/* In the kernel's order of precedence: a lower value wins. */
enum insp_seccomp_action {
	INSP_SECCOMP_KILL_PROCESS,
	INSP_SECCOMP_KILL_THREAD,
	INSP_SECCOMP_TRAP,
	INSP_SECCOMP_ERRNO,
	INSP_SECCOMP_USER_NOTIF,
	INSP_SECCOMP_TRACE,
	INSP_SECCOMP_LOG,
	INSP_SECCOMP_ALLOW,
	INSP_SECCOMP_NACTIONS
};

enum insp_seccomp_abi {
	INSP_SECCOMP_X86_64,
	INSP_SECCOMP_I386,
	INSP_SECCOMP_X32,
	INSP_SECCOMP_NABIS
};

enum insp_seccomp_source {
	INSP_SECCOMP_SOURCE_AUTO,	/* eBPF, else ptrace */
	INSP_SECCOMP_SOURCE_BPF,	/* the task iterator: nothing stops */
	INSP_SECCOMP_SOURCE_PTRACE,	/* PTRACE_SECCOMP_GET_FILTER: each thread read stops briefly */
};

/* What a syscall meets. When it depends on arguments, action and data are the worst case. */
struct insp_seccomp_verdict {
	uint8_t action;			/* enum insp_seccomp_action */
	bool depends_on_args;		/* the programs read its arguments or instruction pointer */
	uint16_t data;			/* errno for ERRNO, the message for TRACE */
	uint8_t possible;		/* bit per action some arguments can meet */
	uint32_t ret;			/* the kernel's full return value (worst case) */
};

struct insp_seccomp_filter {
	struct sock_filter *insns;
	unsigned len;
	int listener;			/* user-notification listener open: 1, 0, or -1 unknown */
};

/* Threads whose chains are the same filters share one chain. */
struct insp_seccomp_chain {
	pid_t *tids;
	size_t ntids;
	unsigned *filters;		/* indexes into insp_seccomp.filters, oldest first */
	size_t nfilters;
	bool truncated;			/* longer than the reader follows */
};

struct insp_seccomp {
	pid_t pid;
	int mode;			/* enum insp_seccomp_mode of the leader */
	enum insp_seccomp_source source;	/* what was used */
	uint64_t longest_stop_usec;	/* ptrace: the longest any thread was stopped */
	struct insp_seccomp_filter *filters;
	size_t nfilters;
	struct insp_seccomp_chain *chains;	/* the leader's first */
	size_t nchains;
};

/* Read the filters of the process behind pidfd. */
int insp_seccomp_read(int pidfd, pid_t pid, enum insp_seccomp_source source,
		      struct insp_seccomp **out, struct insp_error *err);
void insp_seccomp_free(struct insp_seccomp *s);

/* What syscall nr of an ABI meets in a chain; -EINVAL when a program is malformed. */
int insp_seccomp_eval(const struct insp_seccomp *s, size_t chain, enum insp_seccomp_abi abi,
		      uint32_t nr, struct insp_seccomp_verdict *out);

/* One row per syscall libseccomp names for the ABI, by number. */
struct insp_seccomp_row {
	uint32_t nr;
	const char *name;
	struct insp_seccomp_verdict verdict;
};

int insp_seccomp_table(const struct insp_seccomp *s, size_t chain, enum insp_seccomp_abi abi,
		       struct insp_seccomp_row **rows, size_t *nrows, struct insp_error *err);
void insp_seccomp_table_free(struct insp_seccomp_row *rows, size_t nrows);

/* What numbers no syscall has meet: the profile's default. */
int insp_seccomp_default(const struct insp_seccomp *s, size_t chain, enum insp_seccomp_abi abi,
			 struct insp_seccomp_verdict *out);

/*
 * A summary like the capability profile's: "docker default",
 * "docker default + mount allowed", "custom: 68 syscalls denied",
 * "allow-all".
 */
int insp_seccomp_profile(const struct insp_seccomp *s, size_t chain, char *buf, size_t size);
/* The same from the chain's x86_64 table, for a caller that has it already. */
int insp_seccomp_profile_of_table(const struct insp_seccomp *s, size_t chain, const struct insp_seccomp_row *rows,
				  size_t nrows, char *buf, size_t size);

const char *insp_seccomp_action_name(enum insp_seccomp_action a);
const char *insp_seccomp_abi_name(enum insp_seccomp_abi abi);
/* "errno(1)", "trace(7)", "allow": the verdict's action with its data. */
int insp_seccomp_verdict_format(const struct insp_seccomp_verdict *v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
