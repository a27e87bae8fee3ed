// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fallback reader: PTRACE_SECCOMP_GET_FILTER, which works only on a
 * thread in a ptrace stop. Each thread is seized, interrupted, read and
 * let go at once; if we die in between, the kernel detaches it and it
 * runs on. The leader is always read; another thread only when its
 * filter count differs (one with the same count is taken to share the
 * leader's chain: telling them apart would stop every thread). A thread
 * that does not stop within a second (stuck in the kernel) is given up; it
 * stays ours until we exit, so long-running callers should prefer eBPF.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <inspect/security.h>

#include "procfs.h"
#include "seccomp_internal.h"
#include "util.h"

#define STOP_DEADLINE_USEC 1000000

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static long long status_field(pid_t pid, pid_t tid, const char *key)
{
	char path[64], buf[4096];
	long long n = -1;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	if (util_read_at(AT_FDCWD, path, buf, sizeof(buf)) < 0 ||
	    procfs_parse_status_int(buf, key, &n) < 0)
		return -1;
	return n;
}

static long long filter_count(pid_t pid, pid_t tid)
{
	return status_field(pid, tid, "Seccomp_filters:");
}

/* Wait for the interrupt's stop without hanging on a thread stuck in the kernel. */
static int wait_stop(pid_t tid, int *sig)
{
	uint64_t deadline = now_usec() + STOP_DEADLINE_USEC;
	int st;

	for (;;) {
		pid_t w = waitpid(tid, &st, __WALL | WNOHANG);

		if (w < 0 && errno != EINTR)
			return -errno;
		if (w == tid) {
			if (!WIFSTOPPED(st))
				return -ESRCH;
			/* A signal arriving meanwhile stops it first: pass it on at detach. */
			*sig = (st >> 16) == 0 && WSTOPSIG(st) != SIGTRAP ? WSTOPSIG(st) : 0;
			return 0;
		}
		if (now_usec() > deadline)
			return -ETIMEDOUT;
		nanosleep(&(struct timespec){ .tv_nsec = 20000 }, NULL);
	}
}

static int copy_filters(pid_t tid, struct seccomp_reading *r, struct seccomp_thread *t)
{
	for (unsigned long i = 0; i < 0x10000; i++) {
		long n = ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)i, NULL);
		struct sock_filter *insns;
		int idx, rc;

		if (n < 0)
			return errno == ENOENT ? 0 : -errno;
		if (n == 0 || n > BPF_MAXINSNS)
			return -EPROTO;
		if (!(insns = calloc((size_t)n, sizeof(*insns))))
			return -ENOMEM;
		if (ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)i, insns) != n) {
			free(insns);
			return errno ? -errno : -EAGAIN;
		}
		idx = seccomp_reading_add_filter(r, insns, (unsigned)n, -1);
		free(insns);
		if (idx < 0 || (rc = seccomp_thread_push(t, (unsigned)idx)) < 0)
			return idx < 0 ? idx : rc;
	}
	return -E2BIG;
}

/* The kernel numbers filters oldest first; the reading keeps them newest first. */
static void reverse(struct seccomp_thread *t)
{
	for (size_t i = 0, j = t->nfilters; i + 1 < j; i++, j--) {
		unsigned tmp = t->filters[i];

		t->filters[i] = t->filters[j - 1];
		t->filters[j - 1] = tmp;
	}
}

static int read_thread(pid_t tid, struct seccomp_reading *r, struct insp_error *err)
{
	struct seccomp_thread *t;
	uint64_t start;
	int sig = 0, rc;

	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) < 0)
		return insp_error_set(err, errno, "ptrace: seizing thread %d", (int)tid);
	start = now_usec();
	rc = ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0 ? -errno : wait_stop(tid, &sig);
	if (rc < 0) {
		ptrace(PTRACE_DETACH, tid, NULL, NULL);
		return rc == -ESRCH ? 0 : insp_error_set(err, -rc, "ptrace: stopping thread %d", (int)tid);
	}
	t = seccomp_reading_add_thread(r, tid, INSP_SECCOMP_FILTER);
	rc = t ? copy_filters(tid, r, t) : -ENOMEM;
	ptrace(PTRACE_DETACH, tid, NULL, (void *)(long)sig);
	if (now_usec() - start > r->longest_stop_usec)
		r->longest_stop_usec = now_usec() - start;
	if (rc < 0)
		return insp_error_set(err, -rc, "ptrace: PTRACE_SECCOMP_GET_FILTER of thread %d", (int)tid);
	reverse(t);
	return 0;
}

static int share_leader_chain(struct seccomp_reading *r, pid_t tid)
{
	struct seccomp_thread *t = seccomp_reading_add_thread(r, tid, INSP_SECCOMP_FILTER);
	const struct seccomp_thread *leader = &r->threads[0];
	int rc = t ? 0 : -ENOMEM;

	for (size_t i = 0; rc == 0 && i < leader->nfilters; i++)
		rc = seccomp_thread_push(t, leader->filters[i]);
	return rc;
}

static int for_each_thread(pid_t pid, long long leader_count, struct seccomp_reading *r,
			   struct insp_error *err)
{
	char path[32];
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(dir = opendir(path)))
		return insp_error_set(err, errno, "%s", path);
	while (rc == 0 && (d = readdir(dir))) {
		pid_t tid = (pid_t)atoi(d->d_name);
		long long n;

		if (tid <= 0 || tid == pid || (n = filter_count(pid, tid)) < 0)
			continue;
		if (n == leader_count)
			rc = share_leader_chain(r, tid);
		else
			rc = read_thread(tid, r, err);
	}
	closedir(dir);
	if (rc == -ENOMEM)
		insp_error_set(err, ENOMEM, "seccomp");
	return rc;
}

int seccomp_read_ptrace(pid_t pid, struct seccomp_reading *r, struct insp_error *err)
{
	long long leader_count = filter_count(pid, pid);
	int rc;

	if (status_field(getpid(), getpid(), "Seccomp:") != 0)
		return insp_error_set_msg(err, EPERM,
					  "ptrace: nsctl itself runs under a seccomp filter, and the kernel "
					  "shows other processes' filters only to unfiltered callers");
	if (leader_count < 0)
		return insp_error_set(err, ESRCH, "/proc/%d/status", (int)pid);
	if (leader_count == 0) {
		struct seccomp_thread *t = seccomp_reading_add_thread(r, pid, (int)status_field(pid, pid, "Seccomp:"));

		return t ? 0 : insp_error_set(err, ENOMEM, "seccomp");
	}
	if ((rc = read_thread(pid, r, err)) < 0)
		return rc;
	if (r->nthreads == 0)
		return insp_error_set(err, ESRCH, "process %d", (int)pid);
	return for_each_thread(pid, leader_count, r, err);
}
