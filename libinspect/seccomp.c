// SPDX-License-Identifier: LGPL-2.1-or-later
/* A process's seccomp filters: read (eBPF, else ptrace), grouped by chain, evaluated, named. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <seccomp.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include <inspect/security.h>

#include "seccomp_internal.h"
#include "util.h"

#define X32_SYSCALL_BIT 0x40000000u
/* Above every syscall number of these ABIs: what a profile does with numbers it does not know. */
#define UNKNOWN_NR 4095u
#define TABLE_NR_LIMIT 600u	/* above both ABIs' last syscall */

void seccomp_reading_free(struct seccomp_reading *r)
{
	for (size_t i = 0; i < r->nfilters; i++)
		free(r->filters[i].insns);
	for (size_t i = 0; i < r->nthreads; i++)
		free(r->threads[i].filters);
	free(r->filters);
	free(r->threads);
	*r = (struct seccomp_reading){ 0 };
}

/* Filters are kept once: ptrace hands out copies, so equal programs are one. */
int seccomp_reading_add_filter(struct seccomp_reading *r, const struct sock_filter *insns,
			       unsigned len, int listener)
{
	struct insp_seccomp_filter *v;

	if (listener < 0)
		for (size_t i = 0; i < r->nfilters; i++)
			if (r->filters[i].len == len && r->filters[i].listener < 0 &&
			    !memcmp(r->filters[i].insns, insns, len * sizeof(*insns)))
				return (int)i;
	v = util_xreallocarray(r->filters, r->nfilters + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->filters = v;
	v = &r->filters[r->nfilters];
	if (!(v->insns = malloc(len * sizeof(*insns))))
		return -ENOMEM;
	memcpy(v->insns, insns, len * sizeof(*insns));
	v->len = len;
	v->listener = listener;
	return (int)r->nfilters++;
}

struct seccomp_thread *seccomp_reading_add_thread(struct seccomp_reading *r, pid_t tid, int mode)
{
	struct seccomp_thread *v = util_xreallocarray(r->threads, r->nthreads + 1, sizeof(*v));

	if (!v)
		return NULL;
	r->threads = v;
	v[r->nthreads] = (struct seccomp_thread){ .tid = tid, .mode = mode };
	return &v[r->nthreads++];
}

int seccomp_thread_push(struct seccomp_thread *t, unsigned filter)
{
	unsigned *v = util_xreallocarray(t->filters, t->nfilters + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	t->filters = v;
	t->filters[t->nfilters++] = filter;
	return 0;
}

static bool same_chain(const struct seccomp_thread *t, const struct insp_seccomp_chain *c)
{
	if (t->nfilters != c->nfilters || t->truncated != c->truncated)
		return false;
	for (size_t i = 0; i < t->nfilters; i++)
		if (t->filters[t->nfilters - 1 - i] != c->filters[i])
			return false;
	return true;
}

static int add_chain(struct insp_seccomp *s, const struct seccomp_thread *t)
{
	struct insp_seccomp_chain *v = util_xreallocarray(s->chains, s->nchains + 1, sizeof(*v)), *c;

	if (!v)
		return -ENOMEM;
	s->chains = v;
	c = &v[s->nchains];
	*c = (struct insp_seccomp_chain){ .truncated = t->truncated, .nfilters = t->nfilters };
	if (t->nfilters && !(c->filters = malloc(t->nfilters * sizeof(*c->filters))))
		return -ENOMEM;
	s->nchains++;
	/* Oldest first, as the kernel numbers them (PTRACE_SECCOMP_GET_FILTER, /proc). */
	for (size_t i = 0; i < t->nfilters; i++)
		c->filters[i] = t->filters[t->nfilters - 1 - i];
	return 0;
}

static int add_tid(struct insp_seccomp_chain *c, pid_t tid)
{
	pid_t *v = util_xreallocarray(c->tids, c->ntids + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	c->tids = v;
	c->tids[c->ntids++] = tid;
	return 0;
}

/* The leader's chain first, then each other chain in thread order. */
static int group_chains(struct insp_seccomp *s, const struct seccomp_reading *r)
{
	size_t leader = 0;

	for (size_t i = 0; i < r->nthreads; i++)
		if (r->threads[i].tid == s->pid)
			leader = i;
	if (r->nthreads == 0)
		return 0;
	s->mode = r->threads[leader].mode;
	for (size_t k = 0; k < r->nthreads; k++) {
		const struct seccomp_thread *t = &r->threads[k == 0 ? leader : k == leader ? 0 : k];
		size_t c = 0;

		while (c < s->nchains && !same_chain(t, &s->chains[c]))
			c++;
		if (c == s->nchains && add_chain(s, t) < 0)
			return -ENOMEM;
		if (add_tid(&s->chains[c], t->tid) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int read_with(int pidfd, pid_t pid, enum insp_seccomp_source src, struct seccomp_reading *r,
		     struct insp_error *err)
{
	int rc = src == INSP_SECCOMP_SOURCE_BPF ? seccomp_read_bpf(pidfd, r, err)
						: seccomp_read_ptrace(pid, r, err);

	if (rc < 0)
		seccomp_reading_free(r);
	/* The pid might name another process by now: the pidfd says. */
	else if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
		rc = insp_error_set(err, ESRCH, "process %d", (int)pid);
	return rc;
}

/* Number filters as the chains meet them, oldest first, whichever reader found them. */
static int renumber(struct insp_seccomp *s)
{
	_cleanup_free_ unsigned *map = malloc((s->nfilters + 1) * sizeof(*map));
	_cleanup_free_ struct insp_seccomp_filter *v = malloc((s->nfilters + 1) * sizeof(*v));
	unsigned next = 0;

	if (!map || !v)
		return -ENOMEM;
	memset(map, 0xff, (s->nfilters + 1) * sizeof(*map));
	for (size_t c = 0; c < s->nchains; c++)
		for (size_t i = 0; i < s->chains[c].nfilters; i++) {
			unsigned *f = &s->chains[c].filters[i];

			if (map[*f] == UINT32_MAX) {
				v[next] = s->filters[*f];
				map[*f] = next++;
			}
			*f = map[*f];
		}
	/* A filter no chain names (none today) would be dropped: keep them all. */
	for (size_t i = 0; i < s->nfilters; i++)
		if (map[i] == UINT32_MAX)
			v[next++] = s->filters[i];
	if (s->nfilters)
		memcpy(s->filters, v, s->nfilters * sizeof(*v));
	return 0;
}

INSP_EXPORT int insp_seccomp_read(int pidfd, pid_t pid, enum insp_seccomp_source source,
				  struct insp_seccomp **out, struct insp_error *err)
{
	struct seccomp_reading r = { 0 };
	struct insp_error bpf_err = { 0 };
	struct insp_seccomp *s;
	int rc;

	*out = NULL;
	if (source == INSP_SECCOMP_SOURCE_PTRACE)
		rc = read_with(pidfd, pid, INSP_SECCOMP_SOURCE_PTRACE, &r, err);
	else if ((rc = read_with(pidfd, pid, INSP_SECCOMP_SOURCE_BPF, &r, &bpf_err)) == 0)
		source = INSP_SECCOMP_SOURCE_BPF;
	else if (source == INSP_SECCOMP_SOURCE_BPF || rc == -ESRCH)
		return insp_error_set_msg(err, bpf_err.code, "%s", bpf_err.msg);
	else if ((rc = read_with(pidfd, pid, INSP_SECCOMP_SOURCE_PTRACE, &r, err)) == 0)
		source = INSP_SECCOMP_SOURCE_PTRACE;
	else
		insp_error_prefix(err, "%s; then", bpf_err.msg);
	if (rc < 0)
		return rc;
	if (!(s = calloc(1, sizeof(*s)))) {
		seccomp_reading_free(&r);
		return insp_error_set(err, ENOMEM, "seccomp");
	}
	s->pid = pid;
	s->source = source;
	s->longest_stop_usec = r.longest_stop_usec;
	rc = group_chains(s, &r);
	s->filters = TAKE_PTR(r.filters);
	s->nfilters = r.nfilters;
	r.nfilters = 0;
	seccomp_reading_free(&r);
	if (rc == 0)
		rc = renumber(s);
	/* Checked once here, so that evaluating a syscall is only the walk. */
	for (size_t i = 0; rc == 0 && i < s->nfilters; i++)
		if (seccomp_prog_check(s->filters[i].insns, s->filters[i].len) < 0) {
			insp_seccomp_free(s);
			return insp_error_set_msg(err, EINVAL, "seccomp: filter #%zu of pid %d is not a "
						  "program the kernel would run", i, (int)pid);
		}
	if (rc < 0) {
		insp_seccomp_free(s);
		return insp_error_set(err, ENOMEM, "seccomp");
	}
	*out = s;
	return 0;
}

INSP_EXPORT void insp_seccomp_free(struct insp_seccomp *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nfilters; i++)
		free(s->filters[i].insns);
	for (size_t i = 0; i < s->nchains; i++) {
		free(s->chains[i].tids);
		free(s->chains[i].filters);
	}
	free(s->filters);
	free(s->chains);
	free(s);
}

static const uint32_t abi_arch[INSP_SECCOMP_NABIS] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 };

INSP_EXPORT int insp_seccomp_eval(const struct insp_seccomp *s, size_t chain, enum insp_seccomp_abi abi,
				  uint32_t nr, struct insp_seccomp_verdict *out)
{
	const struct insp_seccomp_chain *c;

	if (chain >= s->nchains || (unsigned)abi >= INSP_SECCOMP_NABIS)
		return -EINVAL;
	c = &s->chains[chain];
	if (abi == INSP_SECCOMP_X32)
		nr |= X32_SYSCALL_BIT;
	seccomp_verdict_allow(out);
	/* Newest first, so that of equal actions the newest filter's data stays, as in the kernel. */
	for (size_t i = c->nfilters; i-- > 0;) {
		const struct insp_seccomp_filter *f = &s->filters[c->filters[i]];
		struct insp_seccomp_verdict v;
		int rc = seccomp_prog_eval_checked(f->insns, f->len, abi_arch[abi], nr, &v);

		if (rc < 0)
			return rc;
		seccomp_verdict_combine(out, &v);
	}
	return 0;
}

INSP_EXPORT int insp_seccomp_default(const struct insp_seccomp *s, size_t chain, enum insp_seccomp_abi abi,
				     struct insp_seccomp_verdict *out)
{
	return insp_seccomp_eval(s, chain, abi, UNKNOWN_NR, out);
}

static uint32_t scmp_arch(enum insp_seccomp_abi abi)
{
	return abi == INSP_SECCOMP_I386 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64;
}

INSP_EXPORT void insp_seccomp_table_free(struct insp_seccomp_row *rows, size_t nrows)
{
	for (size_t i = 0; i < nrows; i++)
		free((char *)rows[i].name);
	free(rows);
}

INSP_EXPORT int insp_seccomp_table(const struct insp_seccomp *s, size_t chain, enum insp_seccomp_abi abi,
				   struct insp_seccomp_row **rows, size_t *nrows, struct insp_error *err)
{
	struct insp_seccomp_row *v = NULL;
	size_t n = 0;
	int rc = 0;

	*rows = NULL;
	*nrows = 0;
	if (abi == INSP_SECCOMP_X32)
		return insp_error_input(err, EINVAL, "seccomp: no per-syscall table for x32");
	for (uint32_t nr = 0; nr < TABLE_NR_LIMIT && rc == 0; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(scmp_arch(abi), (int)nr);
		struct insp_seccomp_row *grown;

		if (!name)
			continue;
		if (!(grown = util_xreallocarray(v, n + 1, sizeof(*v)))) {
			free(name);
			rc = -ENOMEM;
			break;
		}
		v = grown;
		v[n] = (struct insp_seccomp_row){ .nr = nr, .name = name };
		rc = insp_seccomp_eval(s, chain, abi, nr, &v[n++].verdict);
	}
	if (rc < 0) {
		insp_seccomp_table_free(v, n);
		return rc == -ENOMEM ? insp_error_set(err, ENOMEM, "seccomp")
				     : insp_error_set_msg(err, -rc, "seccomp: a filter is not a valid program");
	}
	*rows = v;
	*nrows = n;
	return 0;
}

static const char *const action_names[INSP_SECCOMP_NACTIONS] = {
	"kill_process", "kill_thread", "trap", "errno", "user_notif", "trace", "log", "allow",
};

INSP_EXPORT const char *insp_seccomp_action_name(enum insp_seccomp_action a)
{
	return (unsigned)a < INSP_SECCOMP_NACTIONS ? action_names[a] : "?";
}

INSP_EXPORT const char *insp_seccomp_abi_name(enum insp_seccomp_abi abi)
{
	static const char *const names[INSP_SECCOMP_NABIS] = { "x86_64", "i386", "x32" };

	return (unsigned)abi < INSP_SECCOMP_NABIS ? names[abi] : "?";
}

INSP_EXPORT int insp_seccomp_verdict_format(const struct insp_seccomp_verdict *v, char *buf, size_t size)
{
	const char *name = insp_seccomp_action_name(v->action);

	if (v->action == INSP_SECCOMP_ERRNO || v->action == INSP_SECCOMP_TRACE)
		return snprintf(buf, size, "%s(%u)", name, v->data);
	return snprintf(buf, size, "%s", name);
}
