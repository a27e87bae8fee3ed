// SPDX-License-Identifier: GPL-2.0-or-later
/* Collect an inspect report: every fact is read once, before anything is printed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

const char *const report_section_names[NSECTIONS] = {
	[SEC_IDENTITY] = "identity",
	[SEC_NAMESPACES] = "namespaces",
	[SEC_CGROUP] = "cgroup",
	[SEC_SECURITY] = "security",
	[SEC_MOUNTS] = "mounts",
};

static void section_error(struct report *r, enum report_section s, const char *what, int code)
{
	if (!r->errors[s][0])
		snprintf(r->errors[s], sizeof(r->errors[s]), "%s: %s", what, strerror(code));
}

/*
 * One namespace link of a process: its inode, and with facts its 64-bit id
 * and owner. Returns 0, or the errno (ENOENT: a kernel without this type).
 */
static int read_ns(pid_t pid, enum insp_ns_type type, struct ns_view *v, bool facts)
{
	char path[64];
	struct stat st;
	int fd, r = 0;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, insp_ns_type_name(type));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		r = errno;
	else
		v->ino = st.st_ino;
	if (!r && facts) {
		v->id = insp_ns_fd_id(fd);
		v->owner = insp_ns_fd_owner(fd);
		v->owner_id = insp_ns_fd_owner_id(fd);
	}
	if (fd >= 0)
		close(fd);
	return r;
}

/*
 * Kernel threads live in the host's initial namespaces, and kthreadd (pid 2)
 * is readable where pid 1 often is not (it may hold capabilities we lack).
 */
static pid_t host_reference(void)
{
	struct insp_proc p = { .pid = 2 };
	bool kthreadd = insp_proc_fill(&p, INSP_PROC_STAT, NULL) == 0 && p.ppid == 0 &&
			strcmp(p.comm, "kthreadd") == 0;

	return kthreadd ? 2 : 1;
}

static int same(ino_t a, ino_t b)
{
	return a && b ? a == b : INSP_UNKNOWN;
}

static void collect_namespaces(struct report *r)
{
	pid_t host = host_reference(), parent = r->target.proc.ppid;

	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		struct ns_view *v = &r->ns[t], h = { 0 }, p = { 0 };
		int e = read_ns(r->target.pid, (enum insp_ns_type)t, v, true);

		if (e) {
			snprintf(v->error, sizeof(v->error), "%s", strerror(e));
			if (e != ENOENT)
				section_error(r, SEC_NAMESPACES, insp_ns_type_name((enum insp_ns_type)t), e);
			continue;
		}
		read_ns(host, (enum insp_ns_type)t, &h, false);
		if (parent > 0)
			read_ns(parent, (enum insp_ns_type)t, &p, false);
		v->shared_host = same(v->ino, h.ino);
		v->shared_parent = same(v->ino, p.ino);
	}
}

static void collect_cgroups(struct report *r)
{
	struct insp_error e = { 0 };
	struct insp_cgroup *cg;

	if (!r->target.proc.cgroup_file) {
		section_error(r, SEC_CGROUP, "/proc/PID/cgroup", EACCES);
		return;
	}
	if (insp_cgroup_hierarchies_read(&r->hierarchies, &e) < 0) {
		snprintf(r->errors[SEC_CGROUP], sizeof(r->errors[SEC_CGROUP]), "%s", e.msg);
		return;
	}
	if (insp_cgroup_membership_parse(r->target.proc.cgroup_file, r->hierarchies, &r->cgroups) < 0) {
		section_error(r, SEC_CGROUP, "/proc/PID/cgroup", EINVAL);
		return;
	}
	r->have_cgroups = true;
	if (insp_cgroup_open_process(r->hierarchies, &r->cgroups, &cg, &e) < 0) {
		insp_cgroup_stats_read(NULL, 0, &r->stats);
		snprintf(r->errors[SEC_CGROUP], sizeof(r->errors[SEC_CGROUP]), "%s", e.msg);
		return;
	}
	insp_cgroup_stats_read(cg, INSP_CGSTAT_MEMORY | INSP_CGSTAT_MEMORY_MORE | INSP_CGSTAT_PIDS | INSP_CGSTAT_CPU |
				   INSP_CGSTAT_CPU_MAX, &r->stats);
	insp_cgroup_close(cg);
}

static void collect_security(struct report *r, int dirfd)
{
	struct insp_error e = { 0 };

	if (insp_security_read(dirfd, r->target.pidfd, &r->sec, &e) < 0) {
		snprintf(r->errors[SEC_SECURITY], sizeof(r->errors[SEC_SECURITY]), "%s", e.msg);
		return;
	}
	r->have_sec = true;
	if (r->sec.securebits != INSP_UNKNOWN)
		insp_securebits_names((unsigned)r->sec.securebits, r->securebits, sizeof(r->securebits));
}

/* The filters' summary; the full table is inspect --seccomp's. */
static void collect_seccomp(struct report *r)
{
	struct insp_error e = { 0 };
	struct insp_seccomp *s;

	if (!r->have_sec || r->sec.seccomp != INSP_SECCOMP_FILTER)
		return;
	if (insp_seccomp_read(r->target.pidfd, r->target.pid, r->seccomp_source, &s, &e) < 0) {
		snprintf(r->seccomp_error, sizeof(r->seccomp_error), "%s", e.msg);
		return;
	}
	if (insp_seccomp_profile(s, 0, r->seccomp_profile, sizeof(r->seccomp_profile)) < 0)
		snprintf(r->seccomp_error, sizeof(r->seccomp_error), "a filter is not a valid program");
	insp_seccomp_free(s);
}

static void collect_mounts(struct report *r, int dirfd)
{
	struct insp_error e = { 0 };

	if (insp_mounts_read(dirfd, &r->mounts, &e) < 0)
		snprintf(r->errors[SEC_MOUNTS], sizeof(r->errors[SEC_MOUNTS]), "%s", e.msg);
	else
		r->have_mounts = true;
}

/* Wall-clock start: boot time plus the start offset in clock ticks. */
static uint64_t start_ns(unsigned long long ticks)
{
	char buf[8192], *p;
	unsigned long long btime;
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "\nbtime ");
	if (!p || sscanf(p + 7, "%llu", &btime) != 1)
		return 0;
	return btime * 1000000000ULL + ticks * (1000000000ULL / (unsigned long long)sysconf(_SC_CLK_TCK));
}

int report_collect(struct report *r, struct insp_error *err)
{
	/* Resolution read stat and cgroup already; the pidfd keeps the rest the same process's. */
	const unsigned fields = INSP_PROC_STAT | INSP_PROC_UID | INSP_PROC_CMDLINE | INSP_PROC_NSPID |
				INSP_PROC_CGROUP;
	int dirfd, ret;

	ret = insp_target_fill(&r->target, fields, err);
	if (ret < 0)
		return ret;
	insp_user_name(r->target.proc.uid, r->user, sizeof(r->user));
	r->start_ns = start_ns(r->target.proc.start_time);
	if ((dirfd = insp_proc_dir_open(r->target.pid, err)) < 0)
		return dirfd;
	collect_namespaces(r);
	collect_cgroups(r);
	collect_security(r, dirfd);
	collect_seccomp(r);
	collect_mounts(r, dirfd);
	close(dirfd);
	/* Everything above must describe the pinned process, not a successor. */
	if (insp_target_alive(&r->target) < 0)
		return insp_error_set_msg(err, ESRCH, "pid %d exited during inspection", (int)r->target.pid);
	return 0;
}

void report_free(struct report *r)
{
	insp_cgroup_membership_free(&r->cgroups);
	insp_cgroup_hierarchies_free(r->hierarchies);
	insp_security_free(&r->sec);
	insp_mounts_free(&r->mounts);
	insp_target_release(&r->target);
}
