// SPDX-License-Identifier: LGPL-2.1-or-later
/* Entering a target: what is gathered before, and the steps after fork. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>

#include "join_internal.h"
#include "util.h"

static struct insp_join *join_new(const struct insp_target *t, const struct insp_join_opts *opts)
{
	struct insp_join *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->flags = opts->flags;
	j->pidfd = t->pidfd >= 0 ? fcntl(t->pidfd, F_DUPFD_CLOEXEC, 3) : -1;
	j->proc_fd = j->root_fd = j->cwd_fd = -1;
	for (int i = 0; i < INSP_NS_NTYPES; i++)
		j->ns_fd[i] = -1;
	return j;
}

/* /proc/PID of the pinned process: opened while it lives, it cannot become another one. */
static int open_proc_dir(struct insp_join *j, const struct insp_target *t, struct insp_error *err)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)t->pid);
	j->proc_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (j->proc_fd < 0 || insp_target_alive(t) < 0)
		return insp_error_set(err, ESRCH, "pid %d", (int)t->pid);
	return 0;
}

/* Its root and cwd are taken when we end up in its mount namespace. */
static bool ends_in_target_mounts(const struct insp_join *j, const struct insp_join_opts *opts)
{
	unsigned mnt = INSP_JOIN_NS(INSP_NS_MNT);

	if ((j->flags & INSP_JOIN_HOST_ROOT) || (j->ns_file & mnt))
		return false;
	return (j->ns_target & mnt) || opts->ns == 0;
}

static int open_root_and_cwd(struct insp_join *j, const struct insp_join_opts *opts,
			     struct insp_error *err)
{
	if (!ends_in_target_mounts(j, opts))
		return 0;
	if (j->flags & INSP_JOIN_ROOT) {
		j->root_fd = openat(j->proc_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (j->root_fd < 0)
			return insp_error_set(err, errno, "root");
	}
	if ((j->flags & INSP_JOIN_CWD) && !opts->workdir) {
		j->cwd_fd = openat(j->proc_fd, "cwd", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (j->cwd_fd < 0)
			return insp_error_set(err, errno, "cwd");
	}
	return 0;
}

/*
 * Best effort: without a passwd entry the caller falls back to /bin/sh and
 * HOME=/. A passwd file the target made unreadable (a FIFO, a device, a
 * symlink, a huge file) is said so, since its owner may have meant it.
 */
static void lookup_user(struct insp_join *j)
{
	uid_t uid = j->creds.set_ids ? j->creds.uid : geteuid();
	_cleanup_close_ int own_root = -1;
	struct insp_error err = { 0 };
	int root = j->root_fd;

	if (root < 0) {
		own_root = (j->ns_target & INSP_JOIN_NS(INSP_NS_MNT))
				   ? openat(j->proc_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC)
				   : open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		root = own_root;
	}
	if (root >= 0 && passwd_lookup(root, uid, &j->shell, &j->home, &err) < 0 && err.code != ENOENT)
		j->user_warning = strdup(err.msg);
}

static int read_environ(struct insp_join *j, struct insp_error *err)
{
	size_t len, n = 0;
	int r = util_read_all_at(j->proc_fd, "environ", &j->environ_buf, &len);

	if (r < 0)
		return insp_error_set(err, -r, "environ");
	j->environ = calloc(len + 1, sizeof(*j->environ));
	if (!j->environ)
		return insp_error_set(err, ENOMEM, "environ");
	for (size_t off = 0; off < len; off += strlen(j->environ_buf + off) + 1)
		if (j->environ_buf[off])
			j->environ[n++] = j->environ_buf + off;
	return 0;
}

static int gather(struct insp_join *j, const struct insp_target *t,
		  const struct insp_join_opts *opts, struct insp_error *err)
{
	int r;

	if ((r = open_proc_dir(j, t, err)) < 0 || (r = join_ns_select(j, opts, err)) < 0)
		return r;
	if ((j->flags & INSP_JOIN_CGROUP) && (r = join_cgroup_open(j, err)) < 0)
		return r;
	if ((r = open_root_and_cwd(j, opts, err)) < 0)
		return r;
	if (opts->workdir && !(j->workdir = strdup(opts->workdir)))
		return insp_error_set(err, ENOMEM, "workdir");
	if ((r = join_creds_prepare(j, opts, err)) < 0)
		return r;
	if ((j->flags & INSP_JOIN_ENV) && (r = read_environ(j, err)) < 0)
		return r;
	lookup_user(j);
	/* Everything above came from the pinned process, or it has gone. */
	if (insp_target_alive(t) < 0)
		return insp_error_set(err, ESRCH, "pid %d", (int)t->pid);
	return 0;
}

INSP_EXPORT int insp_join_prepare(struct insp_join **out, const struct insp_target *target,
				  const struct insp_join_opts *opts, struct insp_error *err)
{
	struct insp_join *j;
	int r;

	*out = NULL;
	/*
	 * Before anything else: once inside, a process of the target's user
	 * namespace could otherwise ptrace us, or open our fds through
	 * /proc/PID/fd, and reach the host with them.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return insp_error_set(err, errno, "prctl(PR_SET_DUMPABLE)");
	j = join_new(target, opts);
	if (!j)
		return insp_error_set(err, ENOMEM, "join");
	r = gather(j, target, opts, err);
	if (r < 0) {
		insp_join_free(j);
		return r;
	}
	*out = j;
	return 0;
}

INSP_EXPORT int insp_join_namespaces(struct insp_join *j, struct insp_error *err)
{
	return join_ns_enter(j, err);
}

/*
 * A mount namespace of our own, whose mounts propagate nowhere, with a
 * /proc of the pid namespace we were forked into: the host's binaries see
 * the target's processes, and nothing of this is visible to the target.
 */
static int mount_private_proc(struct insp_error *err)
{
	if (unshare(CLONE_NEWNS) < 0)
		return insp_error_set(err, errno, "unshare(mnt)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return insp_error_set(err, errno, "make / private");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return insp_error_set(err, errno, "mount /proc");
	return 0;
}

static int change_dirs(const struct insp_join *j, struct insp_error *err)
{
	if (j->root_fd >= 0 && (fchdir(j->root_fd) < 0 || chroot(".") < 0))
		return insp_error_set(err, errno, "chroot");
	if (j->workdir) {
		if (chdir(j->workdir) < 0)
			return insp_error_set(err, errno, "chdir %s", j->workdir);
	} else if (j->cwd_fd >= 0) {
		if (fchdir(j->cwd_fd) < 0)
			return insp_error_set(err, errno, "cwd");
	} else if (j->root_fd >= 0 && chdir("/") < 0) {
		return insp_error_set(err, errno, "chdir /");
	}
	return 0;
}

INSP_EXPORT int insp_join_finish(struct insp_join *j, struct insp_error *err)
{
	int r;

	if ((r = join_cgroup_enter(j, err)) < 0)
		return r;
	if ((j->flags & INSP_JOIN_HOST_ROOT) && (r = mount_private_proc(err)) < 0)
		return r;
	if ((r = change_dirs(j, err)) < 0)
		return r;
	return join_creds_apply(&j->creds, err);
}

INSP_EXPORT void insp_join_free(struct insp_join *j)
{
	if (!j)
		return;
	for (int i = 0; i < INSP_NS_NTYPES; i++)
		closep(&j->ns_fd[i]);
	closep(&j->pidfd);
	closep(&j->proc_fd);
	closep(&j->root_fd);
	closep(&j->cwd_fd);
	join_cgroup_close(j);
	free(j->creds.groups);
	free(j->workdir);
	free(j->shell);
	free(j->home);
	free(j->user_warning);
	free(j->environ);
	free(j->environ_buf);
	free(j);
}

INSP_EXPORT unsigned insp_join_ns_set(const struct insp_join *j)
{
	return j->ns_target | j->ns_file;
}

INSP_EXPORT const char *insp_join_shell(const struct insp_join *j)
{
	return j->shell;
}

INSP_EXPORT const char *insp_join_user_warning(const struct insp_join *j)
{
	return j->user_warning;
}

INSP_EXPORT const char *insp_join_home(const struct insp_join *j)
{
	return j->home;
}

INSP_EXPORT char **insp_join_environ(const struct insp_join *j)
{
	return j->environ;
}

static const char *env_get(char *const envp[], const char *name)
{
	size_t len = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

INSP_EXPORT int insp_exec_in_path(char *const argv[], char *const envp[])
{
	const char *path = env_get(envp, "PATH");
	char buf[4096];
	int saved = ENOENT;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, envp);
		return errno;
	}
	for (const char *dir = path ? path : INSP_DEFAULT_PATH; dir; dir = strchr(dir, ':')) {
		size_t len;

		dir += *dir == ':';
		len = strcspn(dir, ":");
		if ((size_t)snprintf(buf, sizeof(buf), "%.*s%s%s", (int)len, dir, len ? "/" : "",
				     argv[0]) >= sizeof(buf))
			continue;
		execve(buf, argv, envp);
		if (errno != ENOENT && errno != ENOTDIR)
			saved = errno;
	}
	return saved;
}

/*
 * CLONE_VM | CLONE_VFORK, as posix_spawn does: no page tables to copy and
 * no copy-on-write faults in either process, which is most of what a fork
 * costs here; we resume once the child has exec'd or died. The child's
 * stack is its own, so nothing of ours is overwritten.
 */
INSP_EXPORT pid_t insp_spawn(int (*fn)(void *), void *arg)
{
	const size_t size = 1 << 20;
	void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
			   -1, 0);
	pid_t pid;
	int saved;

	if (stack == MAP_FAILED)
		return -1;
	pid = clone(fn, (char *)stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD, arg);
	saved = errno;
	munmap(stack, size);
	errno = saved;
	return pid;
}
