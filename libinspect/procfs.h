/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsers for /proc/PID text files: pure functions over a NUL-terminated buffer. */
#ifndef INSPECT_PROCFS_H
#define INSPECT_PROCFS_H

#include <stddef.h>
#include <stdint.h>
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

/* A hex status field ("CapEff:\t000001ffffffffff"). */
int procfs_parse_status_hex(const char *buf, const char *key, uint64_t *out);

/* A decimal status field ("NoNewPrivs:\t1"). */
int procfs_parse_status_int(const char *buf, const char *key, long long *out);

/* The four ids of "Uid:" or "Gid:": real, effective, saved, filesystem. */
int procfs_parse_status_ids(const char *buf, const char *key, uint32_t ids[4]);

/* The "Groups:" line into a malloc'ed array (NULL when there are none). */
int procfs_parse_status_groups(const char *buf, uint32_t **out, unsigned *n);

/* The "NSpid:" line of status into a malloc'ed array (outermost first). */
int procfs_parse_status_nspid(const char *buf, pid_t **out, unsigned *n);

/* Turn a cmdline buffer of len bytes (NUL separated) into one spaced string, in place;
   other bytes are kept as they are. */
void procfs_join_cmdline(char *buf, size_t len);

/* The cgroup v2 path ("0::PATH") of a /proc/PID/cgroup buffer; malloc'ed. */
int procfs_parse_cgroup_v2(const char *buf, char **path);

#endif
