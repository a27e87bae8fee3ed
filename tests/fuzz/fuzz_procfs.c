// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz the /proc/PID text parsers with arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	struct procfs_stat st;
	pid_t *nspid = NULL;
	unsigned n;
	uid_t uid;
	char *path = NULL;
	uint32_t ids[4], *groups = NULL;
	uint64_t hex;
	long long num;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	procfs_parse_stat(buf, &st);
	procfs_parse_status_uid(buf, &uid);
	if (procfs_parse_status_nspid(buf, &nspid, &n) == 0)
		free(nspid);
	if (procfs_parse_cgroup_v2(buf, &path) == 0)
		free(path);
	procfs_parse_status_ids(buf, "Gid:", ids);
	procfs_parse_status_hex(buf, "CapEff:", &hex);
	procfs_parse_status_int(buf, "Seccomp:", &num);
	if (procfs_parse_status_groups(buf, &groups, &n) == 0)
		free(groups);
	procfs_join_cmdline(buf, size);
	free(buf);
	return 0;
}
