/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private helpers shared by libinspect's modules; not part of the API. */
#ifndef INSPECT_UTIL_H
#define INSPECT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#define INSP_EXPORT __attribute__((visibility("default")))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _cleanup_close_ __attribute__((cleanup(closep)))

/* Hand ownership out of a cleanup variable. */
#define TAKE_PTR(p)                        \
	({                                 \
		__typeof__(p) _tmp = (p);  \
		(p) = NULL;                \
		_tmp;                      \
	})
#define TAKE_FD(fd)                  \
	({                           \
		int _tmp = (fd);     \
		(fd) = -1;           \
		_tmp;                \
	})

/* Read until EOF or size bytes, from the current position (at < 0) or at; bytes read or -errno. */
ssize_t util_read_full(int fd, char *buf, size_t size, off_t at);

/*
 * Read a whole (small, procfs-like) file relative to dirfd into buf, NUL
 * terminated. Returns bytes read or -errno; truncates silently at size-1.
 */
ssize_t util_read_at(int dirfd, const char *path, char *buf, size_t size);

/* Same, into a malloc'ed buffer grown as needed; *len gets the size. */
int util_read_all_at(int dirfd, const char *path, char **out, size_t *len);

/* The same from an open file. */
int util_read_all_fd(int fd, char **out, size_t *len);

/* The same from offset 0, for a cgroupfs file read again and again: a short read is its end. */
int util_pread_all(int fd, char **out, size_t *len);

/*
 * Open path below root_fd as if root_fd were "/": symlinks and ".." cannot
 * leave it (openat2 RESOLVE_IN_ROOT, Linux 5.6; -ENOSYS before).
 */
int util_open_in_root(int root_fd, const char *path, int flags);

/* Parse a decimal unsigned number that must fill the whole string. */
int util_parse_u64(const char *s, uint64_t *out);

/* Consume up to 16 hex digits at *p (no prefix), advancing it. */
int util_take_hex64(const char **p, uint64_t *out);

void *util_xreallocarray(void *p, size_t n, size_t size);

/* Append a copy of s to the *n strings at *v; on -ENOMEM both stay as they were. */
int util_strv_append(char ***v, size_t *n, const char *s);

/* 64-bit mix used by every hash table in the library. */
static inline uint64_t util_hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* A hash of n words (a set of ids): a multiply per word, one mix at the end. */
static inline uint64_t util_hash_words(const uint64_t *v, size_t n)
{
	uint64_t h = 0;

	for (size_t i = 0; i < n; i++)
		h = (h ^ v[i]) * 0x9e3779b97f4a7c15ULL;
	return util_hash64(h);
}

/* Key 0 of a per-CPU map on every possible CPU: *out (malloc'ed) holds ncpus values of size bytes. Returns ncpus or -errno. */
int util_percpu_read(int map_fd, size_t size, void **out);

#endif
