// SPDX-License-Identifier: LGPL-2.1-or-later
/* The /proc snapshot backend: always available, one directory per process. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ns_internal.h"
#include "procfs.h"
#include "proc_internal.h"
#include "util.h"

/*
 * readlink(2) of /proc/PID/ns/X costs a third less than stat(2): it formats
 * "net:[4026531840]" instead of resolving a path into nsfs.
 */
static int read_ns_links(int nsdir, struct insp_proc *p, unsigned slots)
{
	bool denied = false;

	for (unsigned s = 0; s < INSP_NS_NSLOTS; s++) {
		char target[64];
		enum insp_ns_type type;
		ssize_t n;

		if (!(slots & (1u << s)))
			continue;
		n = readlinkat(nsdir, insp_ns_slot_name(s), target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			if (ns_parse_link(target, &type, &p->ns_ino[s]) < 0)
				p->ns_ino[s] = 0;
		} else if (errno == EACCES || errno == EPERM) {
			p->ns_denied |= 1u << s;
			denied = true;
		} else if (errno == ESRCH) {
			return -ESRCH;
		}
		/* ENOENT: a zombie has no nsproxy, or the kernel lacks the type. */
	}
	/* The kernel answers EACCES for a task that died under us: tell them apart. */
	if (denied && faccessat(nsdir, "../stat", R_OK, 0) < 0 && (errno == ENOENT || errno == ESRCH))
		return -ESRCH;
	p->fields |= INSP_PROC_NS;
	return 0;
}

static int read_stat(int dirfd, struct insp_proc *p)
{
	char buf[1024];
	struct procfs_stat st;
	ssize_t n = util_read_at(dirfd, "stat", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if (procfs_parse_stat(buf, &st) < 0)
		return -EINVAL;
	p->ppid = st.ppid;
	p->start_time = st.start_time;
	memcpy(p->comm, st.comm, sizeof(p->comm));
	return 0;
}

/*
 * /proc/PID is owned by the effective uid unless the process is not dumpable,
 * when it shows root: only then is status worth reading.
 */
static int read_uid(int dirfd, struct insp_proc *p)
{
	struct stat st;
	char buf[4096];

	if (fstat(dirfd, &st) < 0)
		return -errno;
	p->uid = st.st_uid;
	if (st.st_uid == 0 && util_read_at(dirfd, "status", buf, sizeof(buf)) > 0)
		procfs_parse_status_uid(buf, &p->uid);
	return 0;
}

static int read_cmdline(int dirfd, struct insp_proc *p)
{
	char stackbuf[4096], *buf = stackbuf;
	ssize_t n = util_read_at(dirfd, "cmdline", stackbuf, sizeof(stackbuf));
	size_t len;

	if (n < 0)
		return (int)n;
	len = (size_t)n;
	/* Most command lines fit; keep only their length, not a page each. */
	if (len + 1 >= sizeof(stackbuf)) {
		int r = util_read_all_at(dirfd, "cmdline", &buf, &len);

		if (r < 0)
			return r;
	}
	procfs_join_cmdline(buf, len);
	free(p->cmdline);
	p->cmdline = buf == stackbuf ? strdup(stackbuf) : buf;
	return p->cmdline ? 0 : -ENOMEM;
}

static int read_nspid(int dirfd, struct insp_proc *p)
{
	char buf[4096];
	ssize_t n = util_read_at(dirfd, "status", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	free(p->nspid);
	p->nspid = NULL;
	return procfs_parse_status_nspid(buf, &p->nspid, &p->nnspid);
}

static int read_cgroup(int dirfd, struct insp_proc *p)
{
	char *buf = NULL;
	int r = util_read_all_at(dirfd, "cgroup", &buf, NULL);

	if (r < 0)
		return r;
	free(p->cgroup);
	free(p->cgroup_file);
	p->cgroup = NULL;
	p->cgroup_file = buf;
	r = procfs_parse_cgroup_v2(buf, &p->cgroup);
	if (r == -ENOENT)
		r = (p->cgroup = strdup("")) ? 0 : -ENOMEM;
	return r;
}

int procfs_read_proc(int dirfd, struct insp_proc *p, unsigned fields, unsigned slots)
{
	static const struct {
		unsigned field;
		int (*read)(int dirfd, struct insp_proc *p);
	} readers[] = {
		{ INSP_PROC_STAT, read_stat },	     { INSP_PROC_UID, read_uid },
		{ INSP_PROC_CMDLINE, read_cmdline }, { INSP_PROC_NSPID, read_nspid },
		{ INSP_PROC_CGROUP, read_cgroup },
	};
	int r;

	if (fields & INSP_PROC_NS) {
		_cleanup_close_ int nsdir = openat(dirfd, "ns", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (nsdir < 0)
			return -errno;
		r = read_ns_links(nsdir, p, slots);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(readers); i++) {
		if (!(fields & readers[i].field))
			continue;
		r = readers[i].read(dirfd, p);
		if (r < 0)
			return r;
		p->fields |= readers[i].field;
	}
	return 0;
}

static dev_t nsfs_device(void)
{
	struct stat st;

	return stat("/proc/self/ns/user", &st) == 0 ? st.st_dev : 0;
}

static bool is_vanished(int r)
{
	return r == -ENOENT || r == -ESRCH;
}

static int scan_one(struct insp_procs *procs, int procfd, pid_t pid, const struct insp_scan_opts *o)
{
	char name[16];
	_cleanup_close_ int dirfd = -1;
	bool ns_only = o->fields == INSP_PROC_NS;
	struct insp_proc *p;
	int r;

	/* Namespaces alone are read straight from /proc/PID/ns: one open fewer. */
	snprintf(name, sizeof(name), ns_only ? "%d/ns" : "%d", (int)pid);
	dirfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		if (errno != ENOENT)
			return -errno;
		procs->stats.vanished++;
		return 0;
	}
	p = procs_append(procs);
	if (!p)
		return -ENOMEM;
	p->pid = pid;
	r = ns_only ? read_ns_links(dirfd, p, o->ns_slots) : procfs_read_proc(dirfd, p, o->fields, o->ns_slots);
	if (r < 0 && is_vanished(r)) {
		proc_release(p);
		procs->n--;
		procs->stats.vanished++;
		return 0;
	}
	if (p->ns_denied && !procs->stats.denied++)
		procs->stats.first_denied = pid;
	/* Other errors on one process (EACCES on cmdline, say) leave its fields unset. */
	return 0;
}

int procfs_add_pid(struct insp_procs *procs, pid_t pid, const struct insp_scan_opts *opts)
{
	_cleanup_close_ int procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

	return procfd < 0 ? -errno : scan_one(procs, procfd, pid, opts);
}

/* The pids in /proc, ascending; listing first lets the snapshot be sized exactly. */
static int list_pids(pid_t **out, size_t *n)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;
	pid_t *pids = NULL;
	size_t cap = 0;

	if (!dir)
		return -errno;
	*n = 0;
	while ((de = readdir(dir))) {
		uint64_t pid;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    util_parse_u64(de->d_name, &pid) < 0 || pid > 0x7fffffff)
			continue;
		if (*n == cap) {
			pid_t *np = util_xreallocarray(pids, cap ? cap * 2 : 1024, sizeof(*pids));

			if (!np) {
				free(pids);
				closedir(dir);
				return -ENOMEM;
			}
			pids = np;
			cap = cap ? cap * 2 : 1024;
		}
		pids[(*n)++] = (pid_t)pid;
	}
	closedir(dir);
	*out = pids;
	return 0;
}

int procfs_scan(struct insp_procs *procs, const struct insp_scan_opts *opts,
		struct insp_error *err)
{
	_cleanup_close_ int procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_free_ pid_t *pids = NULL;
	size_t npids = 0;
	int r;

	procs->backend = INSP_BACKEND_PROC;
	procs->nsfs_dev = nsfs_device();
	if (procfd < 0)
		return insp_error_set(err, errno, "/proc");
	if (opts->only_pid > 0) {
		r = scan_one(procs, procfd, opts->only_pid, opts);
		if (r == 0 && procs->n == 0)
			r = -ESRCH;
		return r < 0 ? insp_error_set(err, r, "pid %d", (int)opts->only_pid) : 0;
	}
	r = list_pids(&pids, &npids);
	if (r == 0)
		r = procs_reserve(procs, npids);
	if (r < 0)
		return insp_error_set(err, r, "/proc");
	for (size_t i = 0; i < npids; i++) {
		r = scan_one(procs, procfd, pids[i], opts);
		if (r < 0)
			return insp_error_set(err, r, "/proc/%d", (int)pids[i]);
	}
	return 0;
}
