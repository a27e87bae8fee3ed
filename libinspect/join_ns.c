// SPDX-License-Identifier: LGPL-2.1-or-later
/* Which namespaces to join, and joining them: setns(pidfd) first, files as fallback. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>

#include "join_internal.h"
#include "util.h"

/*
 * The fallback order is util-linux nsenter's: the user namespace first when
 * we need its capabilities to enter the others, else last (see enter_files).
 */
static const enum insp_ns_type file_order[] = {
	INSP_NS_USER, INSP_NS_CGROUP, INSP_NS_IPC, INSP_NS_UTS,
	INSP_NS_NET,  INSP_NS_PID,    INSP_NS_MNT, INSP_NS_TIME,
};

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* 1 when the namespace of type t behind st is not ours (in self_ns, our /proc/self/ns), 0 when it is. */
static int differs_from_ours(int self_ns, enum insp_ns_type t, const struct stat *st)
{
	struct stat self;

	if (fstatat(self_ns, insp_ns_type_name(t), &self, 0) < 0)
		return -errno;
	return !same_file(&self, st);
}

static int target_differs(const struct insp_join *j, int self_ns, enum insp_ns_type t)
{
	char link[32];
	struct stat st;

	snprintf(link, sizeof(link), "ns/%s", insp_ns_type_name(t));
	if (fstatat(j->proc_fd, link, &st, 0) < 0)
		return -errno;
	return differs_from_ours(self_ns, t, &st);
}

static int open_ns_file(struct insp_join *j, int self_ns, enum insp_ns_type t, const char *path,
			struct insp_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0)
		return insp_error_set(err, errno, "%s", path);
	if (insp_ns_fd_type(fd) != (int)t)
		return insp_error_set_msg(err, EINVAL, "%s: not a %s namespace", path,
					  insp_ns_type_name(t));
	if (fstat(fd, &st) < 0)
		return insp_error_set(err, errno, "%s", path);
	r = differs_from_ours(self_ns, t, &st);
	if (r < 0)
		return insp_error_set(err, -r, "ns/%s", insp_ns_type_name(t));
	/* setns() into our own user namespace is an error; there is nothing to do. */
	if (r == 0 && t == INSP_NS_USER)
		return 0;
	j->ns_fd[t] = TAKE_FD(fd);
	j->ns_file |= INSP_JOIN_NS(t);
	return 0;
}

int join_ns_select(struct insp_join *j, const struct insp_join_opts *opts, struct insp_error *err)
{
	_cleanup_close_ int self_ns = open("/proc/self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
	bool every = opts->ns == 0;
	unsigned want = every ? INSP_JOIN_NS_ALL : opts->ns;

	if (self_ns < 0)
		return insp_error_set(err, errno, "/proc/self/ns");
	if (j->flags & INSP_JOIN_HOST_ROOT)
		want &= ~INSP_JOIN_NS(INSP_NS_MNT);
	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		int r;

		if (!(want & INSP_JOIN_NS(t)))
			continue;
		if (opts->ns_file[t]) {
			r = open_ns_file(j, self_ns, (enum insp_ns_type)t, opts->ns_file[t], err);
			if (r < 0)
				return r;
			continue;
		}
		r = target_differs(j, self_ns, (enum insp_ns_type)t);
		/* A kernel without this namespace type (time before 5.6). */
		if (r == -ENOENT && every)
			continue;
		if (r < 0)
			return insp_error_set(err, -r, "ns/%s", insp_ns_type_name(t));
		if (r == 0 && (every || t == INSP_NS_USER))
			continue;
		j->ns_target |= INSP_JOIN_NS(t);
	}
	return 0;
}

static int setns_error(struct insp_error *err, int code, enum insp_ns_type t)
{
	return insp_error_set(err, code, "setns(%s)", insp_ns_type_name(t));
}

static int enter_file(struct insp_join *j, enum insp_ns_type t)
{
	if (setns(j->ns_fd[t], insp_ns_type_clone_flag(t)) < 0)
		return -errno;
	close(j->ns_fd[t]);
	j->ns_fd[t] = -1;
	return 0;
}

/*
 * Two passes: the first skips the user namespace and tolerates failures,
 * so a privileged caller enters everything before giving up its host
 * capabilities; the second enters the user namespace first, which is what
 * an unprivileged caller needs, then retries the rest.
 */
static int enter_files(struct insp_join *j, unsigned set, struct insp_error *err)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = pass ? 0 : 1; i < ARRAY_SIZE(file_order); i++) {
			enum insp_ns_type t = file_order[i];
			int r;

			if (!(set & INSP_JOIN_NS(t)) || j->ns_fd[t] < 0)
				continue;
			r = enter_file(j, t);
			if (r < 0 && pass == 1)
				return setns_error(err, -r, t);
		}
	}
	return 0;
}

/* Opened through /proc/PID, which refers to the pinned process or to nothing. */
static int open_target_files(struct insp_join *j, struct insp_error *err)
{
	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		char link[32];

		if (!(j->ns_target & INSP_JOIN_NS(t)) || j->ns_fd[t] >= 0)
			continue;
		snprintf(link, sizeof(link), "ns/%s", insp_ns_type_name(t));
		j->ns_fd[t] = openat(j->proc_fd, link, O_RDONLY | O_CLOEXEC);
		if (j->ns_fd[t] < 0)
			return insp_error_set(err, errno == ENOENT ? ESRCH : errno, "%s", link);
	}
	return 0;
}

int join_ns_clone_flags(unsigned set)
{
	int flags = 0;

	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (set & INSP_JOIN_NS(t))
			flags |= insp_ns_type_clone_flag((enum insp_ns_type)t);
	return flags;
}

/*
 * setns(pidfd, flags) (Linux 5.8) enters every namespace at once, checking
 * each against our credentials before any user namespace change; it is the
 * only way into a nested user namespace whose other namespaces belong to an
 * outer one, and it cannot pick up a recycled pid. Where it fails we retry
 * with files, which also tells which namespace refused.
 */
static int enter_target(struct insp_join *j, struct insp_error *err)
{
	int r;

	if (!j->ns_target)
		return 0;
	if (j->pidfd >= 0 && !(j->flags & INSP_JOIN_NS_FILES)) {
		if (setns(j->pidfd, join_ns_clone_flags(j->ns_target)) == 0)
			return 0;
		if (errno == ESRCH)
			return insp_error_set(err, ESRCH, "setns");
	}
	r = open_target_files(j, err);
	if (r < 0)
		return r;
	return enter_files(j, j->ns_target, err);
}

int join_ns_enter(struct insp_join *j, struct insp_error *err)
{
	unsigned user = INSP_JOIN_NS(INSP_NS_USER);
	int r;

	/* Given files first while we hold our own capabilities; a given user
	   namespace last, so that it does not take them away too early. */
	r = enter_files(j, j->ns_file & ~user, err);
	if (r == 0)
		r = enter_target(j, err);
	if (r == 0 && (j->ns_file & user))
		r = enter_files(j, user, err);
	return r;
}
