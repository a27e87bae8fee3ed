// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The security posture of each container's first process, kept between
 * scrapes. Reading it costs a status and a whole mountinfo per container,
 * most of a scrape's time on a busy host, and what it reads (bounding set,
 * seccomp, no_new_privs, user namespace, the root's mount flags) rarely
 * changes for a live process: a process (pid and start time) is read again
 * only after POSTURE_SECONDS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <inspect/caps.h>
#include <inspect/proc.h>
#include <inspect/security.h>

#include "exporter.h"
#include "xalloc.h"

#define POSTURE_SECONDS 60.0

struct posture_entry {
	pid_t pid;
	unsigned long long start_time;
	double read_at;
	struct exp_posture p;
};

/* This collection's entries, and the last one's, both sorted by pid once complete. */
struct exp_posture_cache {
	struct posture_entry *last, *cur;
	size_t n_last, n_cur;
};

struct exp_posture_cache *exp_posture_cache_new(void)
{
	return xcalloc(1, sizeof(struct exp_posture_cache));
}

static void free_entries(struct posture_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].p.capabilities);
	free(e);
}

void exp_posture_cache_free(struct exp_posture_cache *pc)
{
	if (!pc)
		return;
	free_entries(pc->last, pc->n_last);
	free_entries(pc->cur, pc->n_cur);
	free(pc);
}

static int by_pid(const void *a, const void *b)
{
	const struct posture_entry *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int read_posture(pid_t pid, struct exp_posture *out)
{
	struct insp_security sec;
	int dirfd = insp_proc_dir_open(pid, NULL), e;

	if (dirfd < 0)
		return dirfd;
	if (insp_security_read(dirfd, -1, &sec, NULL) < 0) {
		e = errno;
		close(dirfd);
		return -e;
	}
	/* The bounding set: what the runtime allowed, whatever user the process runs as. */
	*out = (struct exp_posture){ .capabilities = insp_caps_describe(sec.caps[INSP_CAP_BOUNDING]),
				     .seccomp = sec.seccomp,
				     .no_new_privs = sec.no_new_privs,
				     .user_namespace = sec.own_userns,
				     .read_only_root = insp_root_read_only(dirfd, NULL) };
	out->known = out->capabilities != NULL;
	insp_security_free(&sec);
	close(dirfd);
	return out->known ? 0 : -ENOMEM;
}

int exp_posture_get(struct exp_posture_cache *pc, const struct insp_proc *p, double now, struct exp_posture *out)
{
	struct posture_entry key = { .pid = p->pid }, *e;
	int r;

	pc->cur = xreallocarray(pc->cur, pc->n_cur + 1, sizeof(*pc->cur));
	e = pc->n_last ? bsearch(&key, pc->last, pc->n_last, sizeof(*e), by_pid) : NULL;
	if (e && e->start_time == p->start_time && now - e->read_at < POSTURE_SECONDS && e->p.known) {
		pc->cur[pc->n_cur] = *e;
		e->p.capabilities = NULL;	/* moved */
	} else {
		key = (struct posture_entry){ .pid = p->pid, .start_time = p->start_time, .read_at = now };
		if ((r = read_posture(p->pid, &key.p)) < 0)
			return r;
		pc->cur[pc->n_cur] = key;
	}
	*out = pc->cur[pc->n_cur].p;
	out->capabilities = xstrdup(out->capabilities);
	pc->n_cur++;
	return 0;
}

void exp_posture_cache_next(struct exp_posture_cache *pc)
{
	free_entries(pc->last, pc->n_last);
	if (pc->n_cur)
		qsort(pc->cur, pc->n_cur, sizeof(*pc->cur), by_pid);
	pc->last = pc->cur;
	pc->n_last = pc->n_cur;
	pc->cur = NULL;
	pc->n_cur = 0;
}
