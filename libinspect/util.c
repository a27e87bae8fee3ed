// SPDX-License-Identifier: LGPL-2.1-or-later
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "util.h"

ssize_t util_read_full(int fd, char *buf, size_t size, off_t at)
{
	size_t off = 0;

	while (off < size) {
		ssize_t n = at < 0 ? read(fd, buf + off, size - off) : pread(fd, buf + off, size - off, at + (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		off += (size_t)n;
	}
	return (ssize_t)off;
}

ssize_t util_read_at(int dirfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = util_read_full(fd, buf, size - 1, -1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int util_read_all_at(int dirfd, const char *path, char **out, size_t *len)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	return util_read_all_fd(fd, out, len);
}

/*
 * A seq_file read fills the buffer until its text ends: one that stops short
 * has reached the end, and the read that would return 0 can be saved.
 */
static ssize_t read_seq(int fd, char *buf, size_t size, off_t at)
{
	ssize_t n;

	while ((n = pread(fd, buf, size, at)) < 0 && errno == EINTR)
		;
	return n < 0 ? -errno : n;
}

/*
 * From the current position (at < 0) or from at, growing the buffer from
 * size bytes; seq: fd is a seq_file (procfs, cgroupfs) and at is not < 0.
 */
static int read_all(int fd, off_t at, size_t size, bool seq, char **out, size_t *len)
{
	_cleanup_free_ char *buf = NULL;
	size_t off = 0;

	for (;;) {
		char *nbuf = realloc(buf, size);
		ssize_t n;

		if (!nbuf)
			return -ENOMEM;
		buf = nbuf;
		if (seq)
			n = read_seq(fd, buf + off, size - 1 - off, at + (off_t)off);
		else
			n = util_read_full(fd, buf + off, size - 1 - off, at < 0 ? -1 : at + (off_t)off);
		if (n < 0)
			return (int)n;
		off += (size_t)n;
		if (off < size - 1)
			break;
		size *= 2;
	}
	buf[off] = '\0';
	if (len)
		*len = off;
	*out = TAKE_PTR(buf);
	return 0;
}

int util_read_all_fd(int fd, char **out, size_t *len)
{
	return read_all(fd, -1, 4096, false, out, len);
}

/* Cgroup files are read every second: one read when the text fits the first buffer. */
int util_pread_all(int fd, char **out, size_t *len)
{
	return read_all(fd, 0, 4096, true, out, len);
}

int util_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

int util_take_hex64(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int digits = 0;

	for (; isxdigit((unsigned char)*s); s++, digits++) {
		if (digits == 16)
			return -ERANGE;
		v = v << 4 | (uint64_t)(isdigit((unsigned char)*s) ? *s - '0' : (*s | 0x20) - 'a' + 10);
	}
	if (!digits)
		return -EINVAL;
	*out = v;
	*p = s;
	return 0;
}

void *util_xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

int util_strv_append(char ***v, size_t *n, const char *s)
{
	char *copy = strdup(s);
	char **grown = copy ? util_xreallocarray(*v, *n + 1, sizeof(**v)) : NULL;

	if (!grown) {
		free(copy);
		return -ENOMEM;
	}
	grown[(*n)++] = copy;
	*v = grown;
	return 0;
}

int util_open_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | (flags & O_PATH ? 0 : O_NOCTTY)), /* openat2 refuses O_PATH with others */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

int util_percpu_read(int map_fd, size_t size, void **out)
{
	int ncpus = libbpf_num_possible_cpus();
	unsigned zero = 0;
	void *v;

	*out = NULL;
	if (ncpus <= 0)
		return ncpus < 0 ? ncpus : -EINVAL;
	if (!(v = calloc((size_t)ncpus, size)))
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &zero, v) < 0) {
		int code = errno;

		free(v);
		return -code;
	}
	*out = v;
	return ncpus;
}
