// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scancheck [--iterator] [CHILDREN [OWN_UTS]]: a scanner's scan (the eBPF
 * walk, or with --iterator the task iterator that kernels without the walk
 * use) against a /proc scan of the same moment. It scans once while the host is small,
 * then starts CHILDREN processes, OWN_UTS of them in a uts namespace of
 * their own, so that the walk's arrays (sized at the first scan) must grow,
 * and scans again: every child must be in it, and every process both scans
 * saw must have the same namespaces, parent, name, uid and cgroup2 id.
 * Exit 77 when the walk cannot be used here.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>

#include <inspect/proc.h>
#include "proc_internal.h"

static pid_t *children;
static int nchildren;

static void stop_children(void)
{
	for (int i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	for (int i = 0; i < nchildren; i++)
		waitpid(children[i], NULL, 0);
}

static int spawn(int n, int own_uts)
{
	int ready[2];
	char byte;

	if (pipe(ready) < 0 || !(children = calloc((size_t)n, sizeof(*children))))
		return -1;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (i < own_uts && unshare(CLONE_NEWUTS) < 0)
				_exit(1);
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		children[nchildren++] = pid;
	}
	for (int i = 0; i < n; i++)
		if (read(ready[0], &byte, 1) != 1)
			return -1;
	return 0;
}

static struct insp_procs *scan(struct insp_scanner *scanner, enum insp_backend backend, unsigned fields)
{
	struct insp_scan_opts opts = { .backend = backend, .fields = fields, .scanner = scanner };
	struct insp_procs *procs = NULL;
	struct insp_error err = { 0 };

	if (insp_procs_scan(&procs, &opts, &err) < 0) {
		fprintf(stderr, "scancheck: scan: %s\n", err.msg);
		exit(1);
	}
	return procs;
}

static const char *cgroup2_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	struct statfs st;

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (statfs(roots[i], &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC)
			return roots[i];
	return NULL;
}

/* The differences between one process as the walk and as /proc saw it. */
static int compare(const struct insp_proc *w, const struct insp_proc *p, const char *cg2)
{
	char path[4096];
	struct stat st;
	int bad = 0;

	for (int s = 0; s < INSP_NS_NSLOTS; s++)
		if (w->ns_ino[s] && p->ns_ino[s] && w->ns_ino[s] != p->ns_ino[s]) {
			fprintf(stderr, "pid %d: namespace slot %d: eBPF %lu, /proc %lu\n", (int)p->pid, s,
				(unsigned long)w->ns_ino[s], (unsigned long)p->ns_ino[s]);
			bad++;
		}
	/* /proc names a kernel worker with its workqueue too. */
	if (w->ppid != p->ppid || w->uid != p->uid || strncmp(w->comm, p->comm, strlen(w->comm))) {
		fprintf(stderr, "pid %d: eBPF %d %u '%s', /proc %d %u '%s'\n", (int)p->pid, (int)w->ppid, w->uid,
			w->comm, (int)p->ppid, p->uid, p->comm);
		bad++;
	}
	/* The walk may miss pid 1 (the scan asks /proc for it then). */
	if ((w->fields & INSP_PROC_CGROUP_IDS) && cg2 && p->cgroup && snprintf(path, sizeof(path), "%s%s", cg2, p->cgroup) < (int)sizeof(path) &&
	    stat(path, &st) == 0 && (uint64_t)st.st_ino != w->cgroup_id[0]) {
		fprintf(stderr, "pid %d: cgroup2 %s: eBPF id %llu, inode %lu\n", (int)p->pid, p->cgroup,
			(unsigned long long)w->cgroup_id[0], (unsigned long)st.st_ino);
		bad++;
	}
	return bad;
}

int main(int argc, char **argv)
{
	unsigned fields = INSP_PROC_NS | INSP_PROC_STAT | INSP_PROC_UID | INSP_PROC_CGROUP_IDS;
	bool iterator = argc > 1 && strcmp(argv[1], "--iterator") == 0;
	int n, own_uts, bad = 0, both = 0, seen = 0;
	const char *cg2 = cgroup2_root();
	struct insp_scanner *scanner;
	struct insp_procs *walk, *proc;
	struct insp_error err = { 0 };

	if (insp_scanner_open(&scanner, &err) < 0) {
		printf("no eBPF scanner here: %s\n", err.msg);
		return 77;
	}
	argc -= iterator;
	argv += iterator;
	n = argc > 1 ? atoi(argv[1]) : 0;
	own_uts = argc > 2 ? atoi(argv[2]) : 0;
	if (iterator)
		proc_scanner_forgo_walk(scanner);
	insp_procs_free(scan(scanner, INSP_BACKEND_AUTO, fields));
	if (spawn(n, own_uts) < 0) {
		perror("scancheck: starting the children");
		stop_children();
		return 1;
	}
	walk = scan(scanner, INSP_BACKEND_AUTO, fields);
	proc = scan(NULL, INSP_BACKEND_PROC, INSP_PROC_NS | INSP_PROC_STAT | INSP_PROC_UID | INSP_PROC_CGROUP);
	if (insp_procs_backend(walk) != INSP_BACKEND_BPF) {
		printf("the scanner fell back to /proc: %s\n", insp_procs_fallback_reason(walk));
		stop_children();
		return 77;
	}
	for (int i = 0; i < nchildren; i++)
		seen += insp_procs_find(walk, children[i]) != NULL;
	for (size_t i = 0; i < insp_procs_count(proc); i++) {
		struct insp_proc *p = insp_procs_at(proc, i), *w = insp_procs_find(walk, p->pid);

		if (!w || w->start_time != p->start_time)
			continue;
		both++;
		bad += compare(w, p, cg2);
	}
	printf("%s %zu processes, /proc %zu, %d in both, %d differences; children %d of %d\n",
	       iterator ? "iterator" : "walk", insp_procs_count(walk), insp_procs_count(proc), both, bad, seen, nchildren);
	/* Processes come and go between the two scans, but not most of them. */
	bad += seen != nchildren || both < (int)insp_procs_count(proc) / 2;
	stop_children();
	insp_procs_free(walk);
	insp_procs_free(proc);
	insp_scanner_close(scanner);
	return bad ? 1 : 0;
}
