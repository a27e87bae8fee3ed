// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "file_in_root.h"
#include "util.h"

#define READ_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/* Kernels before 5.6 have no openat2: walk the path ourselves, refusing every symlink and "..". */
static int open_walk(int root_fd, const char *path, int flags)
{
	_cleanup_free_ char *copy = strdup(path);
	char *save = NULL, *name, *next;
	int cur = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);

	if (!copy || cur < 0) {
		if (cur >= 0)
			close(cur);
		return -ENOMEM;
	}
	for (name = strtok_r(copy, "/", &save); name; name = next) {
		int fd;

		next = strtok_r(NULL, "/", &save);
		if (strcmp(name, "..") == 0) {
			close(cur);
			return -EXDEV;
		}
		fd = openat(cur, name, O_NOFOLLOW | O_CLOEXEC | (next ? O_PATH | O_DIRECTORY : flags));
		close(cur);
		if (fd < 0)
			return -errno;
		cur = fd;
	}
	return cur;
}

/* The last component is never followed: a symlink there is refused, not resolved. */
static int open_path(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS)
		return open_walk(root_fd, path, flags);
	return fd < 0 ? -errno : (int)fd;
}

static const char *file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFDIR: return "a directory";
	case S_IFLNK: return "a symbolic link";
	case S_IFSOCK: return "a socket";
	default: return "not a regular file";
	}
}

static const char *human_size(unsigned long long v, char *buf, size_t size)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	size_t i = 0;

	while (d >= 1024 && i + 1 < ARRAY_SIZE(units)) {
		d /= 1024;
		i++;
	}
	snprintf(buf, size, i ? "%.1f %s" : "%.0f %s", d, units[i]);
	return buf;
}

/*
 * The O_PATH fd is re-opened through /proc/self/fd, which reaches the very
 * inode we checked. Without /proc, open the path again and check it is
 * still that inode.
 */
static int reopen(int root_fd, const char *path, int pathfd, const struct stat *checked)
{
	char self[40];
	struct stat st;
	int fd;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", pathfd);
	fd = open(self, READ_FLAGS);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	fd = open_path(root_fd, path, READ_FLAGS);
	if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_dev != checked->st_dev || st.st_ino != checked->st_ino)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/* The size fstat gave (itself within the cap), and -EFBIG if the file has more by now. */
static int read_capped(int fd, size_t size, char **out, size_t *len)
{
	_cleanup_free_ char *buf = malloc(size + 2);
	ssize_t n;
	size_t off;

	if (!buf)
		return -ENOMEM;
	/* One byte more than the cap tells a file that grew since fstat. */
	if ((n = util_read_full(fd, buf, size + 1, -1)) < 0)
		return (int)n;
	off = (size_t)n;
	if (off > size)
		return -EFBIG;
	buf[off] = '\0';
	if (len)
		*len = off;
	*out = TAKE_PTR(buf);
	return 0;
}

int file_in_root_read(int root_fd, const char *path, size_t max, char **out, size_t *len,
		      struct insp_error *err)
{
	_cleanup_close_ int pathfd = open_path(root_fd, path, O_PATH), fd = -1;
	char have[32], cap[32];
	struct stat st;
	int r;

	if (pathfd < 0)
		return insp_error_set(err, pathfd, "%s", path);
	if (fstat(pathfd, &st) < 0)
		return insp_error_set(err, errno, "%s", path);
	if (!S_ISREG(st.st_mode))
		return insp_error_set_msg(err, EINVAL, "%s: %s, not a regular file", path, file_type(st.st_mode));
	if ((unsigned long long)st.st_size > max)
		return insp_error_set_msg(err, EFBIG, "%s: %s, more than the %s nsctl reads", path,
					  human_size((unsigned long long)st.st_size, have, sizeof(have)),
					  human_size(max, cap, sizeof(cap)));
	fd = reopen(root_fd, path, pathfd, &st);
	if (fd < 0)
		return insp_error_set(err, fd, "%s", path);
	r = read_capped(fd, (size_t)st.st_size, out, len);
	if (r == -EFBIG)
		return insp_error_set_msg(err, EFBIG, "%s: grew while it was read", path);
	return r < 0 ? insp_error_set(err, r, "%s", path) : 0;
}

int file_in_root_opendir(int root_fd, const char *path, struct insp_error *err)
{
	_cleanup_close_ int pathfd = open_path(root_fd, path, O_PATH | O_DIRECTORY);
	char self[40];
	int fd;

	if (pathfd < 0)
		return insp_error_set(err, pathfd, "%s", path);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pathfd);
	fd = open(self, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? insp_error_set(err, errno, "%s", path) : fd;
}

int file_root_open(const char *root, struct insp_error *err)
{
	int fd;

	if (!root || !*root)
		root = "/";
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? insp_error_set(err, errno, "%s", root) : fd;
}
