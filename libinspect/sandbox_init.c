// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sandbox side, from clone to exec. The first process is PID 1 of the
 * new pid namespace: it finishes the namespaces, builds the filesystem,
 * starts the command, then only reaps orphans and forwards signals to it.
 * The command takes its credentials, capabilities and seccomp filter last,
 * just before exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inspect/ns.h"
#include "sandbox_internal.h"
#include "util.h"

static void report(struct insp_sandbox *sb, const struct sandbox_report *rep)
{
	ssize_t n = write(sb->report_fd[1], rep, sizeof(*rep));

	(void)n;
}

void sandbox_warn(struct insp_sandbox *sb, const char *fmt, ...)
{
	struct sandbox_report rep = { .kind = SANDBOX_REPORT_WARNING };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rep.err.msg, sizeof(rep.err.msg), fmt, ap);
	va_end(ap);
	report(sb, &rep);
}

void sandbox_fail(struct insp_sandbox *sb, const struct insp_error *err, int exit_status)
{
	struct sandbox_report rep = { .kind = SANDBOX_REPORT_ERROR, .exit_status = exit_status, .err = *err };

	report(sb, &rep);
	_exit(exit_status);
}

/* The parent maps our ids and moves us into the cgroup; EOF means it died. */
static void wait_for_parent(struct insp_sandbox *sb)
{
	char go;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	close(sb->go_fd[1]);
	close(sb->report_fd[0]);
	if (read(sb->go_fd[0], &go, 1) != 1)
		_exit(1);
	close(sb->go_fd[0]);
}

/* Only the report pipe stays open: nothing of the host's may be reached through PID 1. */
static void close_inherited(int keep)
{
	if (syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U) < 0 ||
	    syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) < 0) {
		/* Before Linux 5.9. */
		for (int fd = 3; fd < 65536; fd++)
			if (fd != keep)
				close(fd);
	}
}

/*
 * Made here rather than at clone: a cgroup namespace rooted at the cgroup
 * the parent just moved us to, and a time namespace whose offsets can still
 * be set because nobody is in it yet (the command will be).
 */
static int late_namespaces(const struct insp_sandbox *sb, struct insp_error *err)
{
	const struct insp_sandbox_spec *s = sb->spec;
	char offsets[96];
	int fd, len;

	if ((sb->new_ns & INSP_JOIN_NS(INSP_NS_CGROUP)) && unshare(CLONE_NEWCGROUP) < 0)
		return insp_error_set(err, errno, "unshare(cgroup)");
	if (!(sb->new_ns & INSP_JOIN_NS(INSP_NS_TIME)))
		return 0;
	if (unshare(CLONE_NEWTIME) < 0)
		return insp_error_set(err, errno, "unshare(time)");
	if (!s->monotonic_offset && !s->boottime_offset)
		return 0;
	len = snprintf(offsets, sizeof(offsets), "monotonic %lld 0\nboottime %lld 0\n",
		       (long long)s->monotonic_offset, (long long)s->boottime_offset);
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, offsets, (size_t)len) != len) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return insp_error_set(err, e, "time offsets");
	}
	close(fd);
	return 0;
}

/*
 * Read here, while /proc is still the host's and before the command runs:
 * the parent cannot read them once a short command has exited, because an
 * exited process has no namespaces left.
 */
static void report_namespaces(struct insp_sandbox *sb)
{
	struct sandbox_report rep = { .kind = SANDBOX_REPORT_NAMESPACES };

	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		char path[64];
		struct stat st;
		_cleanup_close_ int fd = -1;

		snprintf(path, sizeof(path), "/proc/self/ns/%s%s", insp_ns_type_name((enum insp_ns_type)t),
			 t == INSP_NS_TIME ? "_for_children" : "");
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0)
			continue;
		rep.ns.ino[t] = st.st_ino;
		rep.ns.id[t] = insp_ns_fd_id(fd);
	}
	report(sb, &rep);
}

static int loopback_up(struct insp_error *err)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	_cleanup_close_ int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		return insp_error_set(err, errno, "loopback");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		return insp_error_set(err, errno, "loopback: up");
	return 0;
}

/*
 * Our credentials are still the host's ids, which a mapped range may not
 * contain: files we create would have no owner inside (EOVERFLOW). Become
 * root of the new namespace when it has one; the capabilities stay.
 */
static void become_ns_root(const struct insp_sandbox *sb)
{
	if (!(sb->new_ns & INSP_JOIN_NS(INSP_NS_USER)))
		return;
	if (syscall(SYS_setresgid, 0, 0, 0) == 0)
		syscall(SYS_setgroups, 0, NULL);
	syscall(SYS_setresuid, 0, 0, 0);
}

static int setup_mounts(struct insp_sandbox *sb, struct insp_error *err)
{
	struct sandbox_trees trees;
	int r = sandbox_mount_prepare(sb, &trees, err);

	become_ns_root(sb);
	if (r == 0)
		r = sandbox_mount_root(sb, &trees, err);
	sandbox_mount_release(&trees);
	return r;
}

static int setup(struct insp_sandbox *sb, struct insp_error *err)
{
	const struct insp_sandbox_spec *s = sb->spec;
	int r;

	if ((r = late_namespaces(sb, err)) < 0)
		return r;
	report_namespaces(sb);
	if (sb->new_ns & INSP_JOIN_NS(INSP_NS_MNT))
		r = setup_mounts(sb, err);
	else
		become_ns_root(sb);
	if (r < 0)
		return r;
	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return insp_error_set(err, errno, "sethostname(%s)", s->hostname);
	if ((sb->new_ns & INSP_JOIN_NS(INSP_NS_NET)) && !s->lo_down && (r = loopback_up(err)) < 0)
		return r;
	return 0;
}

/* The command, in init's memory until it execs (insp_spawn). */
static int command_main(void *arg)
{
	struct insp_sandbox *sb = arg;
	const struct insp_sandbox_spec *s = sb->spec;
	struct insp_error err = { 0 };
	sigset_t none;
	int e;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, s->sigmask ? s->sigmask : &none, NULL);
	if (join_creds_apply(&sb->creds, &err) < 0)
		sandbox_fail(sb, &err, 1);
	if (chdir(s->workdir ? s->workdir : "/") < 0) {
		insp_error_set(&err, errno, "chdir(%s)", s->workdir ? s->workdir : "/");
		sandbox_fail(sb, &err, 1);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		insp_error_set(&err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
		sandbox_fail(sb, &err, 1);
	}
	if (sandbox_landlock_apply(sb, &err) < 0)
		sandbox_fail(sb, &err, 1);
	/* Last: from here on, only exec and the error report. */
	if (sb->seccomp.len && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &sb->seccomp, 0, 0) < 0) {
		insp_error_set(&err, errno, "seccomp");
		sandbox_fail(sb, &err, 1);
	}
	e = insp_exec_in_path(s->argv, s->envp);
	insp_error_set(&err, e, "exec %s", s->argv[0]);
	sandbox_fail(sb, &err, e == ENOENT ? 127 : 126);
}

/*
 * As PID 1, a signal we have no handler for is dropped unless it comes from
 * outside and is SIGKILL; blocked, every one waits for sigwaitinfo.
 */
__attribute__((noreturn)) static void reap_and_forward(pid_t command)
{
	sigset_t all;

	sigfillset(&all);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si), status;
		pid_t pid;

		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(command, sig);
			continue;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == command)
				_exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
	}
}

void sandbox_init_run(struct insp_sandbox *sb)
{
	struct insp_error err = { 0 };
	sigset_t all;
	pid_t command;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	prctl(PR_SET_NAME, "nsctl-init", 0, 0, 0);
	wait_for_parent(sb);
	/* From here on we read a container's files: nothing may ptrace us or open our /proc. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	close_inherited(sb->report_fd[1]);
	if (setup(sb, &err) < 0)
		sandbox_fail(sb, &err, 1);
	if ((command = insp_spawn(command_main, sb)) < 0) {
		insp_error_set(&err, errno, "starting %s", sb->spec->argv[0]);
		sandbox_fail(sb, &err, 1);
	}
	close(sb->report_fd[1]);
	reap_and_forward(command);
}
