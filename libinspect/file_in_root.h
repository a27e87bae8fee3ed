/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Files that a container or a runtime controls (its /etc/passwd, a state
 * file below --root) are read so that they can neither stop nor fool us:
 * resolved inside a root directory (RESOLVE_IN_ROOT, no magic links; a
 * symlink-free walk on kernels before 5.6), looked at with O_PATH so that a
 * FIFO or a device is never opened at all, and read only when they are a
 * regular file no larger than the caller's cap. What the kernel hands us
 * (procfs, cgroupfs) keeps its own readers.
 */
#ifndef INSPECT_FILE_IN_ROOT_H
#define INSPECT_FILE_IN_ROOT_H

#include <stddef.h>

#include "inspect/error.h"

/* Caps for the files we read: far above any real one, far below trouble. */
#define FILE_CAP_PASSWD (8u << 20)
#define FILE_CAP_STATE (16u << 20)
#define FILE_CAP_STATE_INDEX (64u << 20)

/*
 * Read path below root_fd (an O_PATH directory fd; "/" for the host) into a
 * malloc'ed, NUL-terminated buffer. Errors name the file and say why:
 * "/etc/passwd: a FIFO, not a regular file", "...: 2.0 GiB, more than the
 * 8 MiB read". A missing file is -ENOENT.
 */
int file_in_root_read(int root_fd, const char *path, size_t max, char **out, size_t *len,
		      struct insp_error *err);

/* Open a directory below root_fd the same way, for reading its entries. */
int file_in_root_opendir(int root_fd, const char *path, struct insp_error *err);

/* An O_PATH fd of a root directory ("/" when root is NULL or ""). */
int file_root_open(const char *root, struct insp_error *err);

#endif
