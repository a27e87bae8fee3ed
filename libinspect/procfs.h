/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsers for /proc/PID text files: pure functions over a NUL-terminated buffer. */
#ifndef INSPECT_PROCFS_H
#define INSPECT_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

struct procfs_stat {
	pid_t pid;
	char comm[16];
	char state;
	pid_t ppid;
	unsigned long long start_time;
};

/* /proc/PID/stat: comm may hold spaces and parentheses. */
int procfs_parse_stat(const char *buf, struct procfs_stat *out);

/* The effective uid from a status "Uid:" line; -ENOENT if absent. */
int procfs_parse_status_uid(const char *buf, uid_t *euid);

/* The "NSpid:" line of status into a malloc'ed array (outermost first). */
int procfs_parse_status_nspid(const char *buf, pid_t **out, unsigned *n);

/* Turn a cmdline buffer of len bytes (NUL separated) into one spaced string, in place. */
void procfs_join_cmdline(char *buf, size_t len);

/* The cgroup v2 path ("0::PATH") of a /proc/PID/cgroup buffer; malloc'ed. */
int procfs_parse_cgroup_v2(const char *buf, char **path);

#endif
