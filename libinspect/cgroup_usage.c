// SPDX-License-Identifier: LGPL-2.1-or-later
/* The limits and usage that matter first in an incident, on v2 and v1 alike. */
#include <fcntl.h>
#include <string.h>

#include "cgroup_internal.h"
#include "util.h"

/* A file holding one number or "max"; -1 (v1's "no quota") reads as unlimited too. */
static uint64_t read_value(int dirfd, const char *name)
{
	uint64_t v;

	return dirfd >= 0 && cgroup_read_u64(dirfd, name, &v) == 0 ? v : INSP_CGROUP_UNKNOWN;
}

/* One "key value" line of a flat-keyed file such as cpu.stat. */
static uint64_t read_key(int dirfd, const char *name, const char *key)
{
	_cleanup_free_ char *text = NULL;
	uint64_t v;

	if (dirfd < 0 || cgroup_read_text(dirfd, name, &text) < 0 || insp_cgroup_keyed(text, key, &v) < 0)
		return INSP_CGROUP_UNKNOWN;
	return v;
}

static uint64_t scaled(uint64_t v, uint64_t div)
{
	return v >= INSP_CGROUP_UNKNOWN ? v : v / div;
}

static int open_member(const struct insp_cgroup_member *mb, bool *unified)
{
	if (!mb || !mb->dir)
		return -1;
	*unified = mb->hierarchy->unified;
	return open(mb->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static int open_for(const struct insp_cgroup_membership *m, const struct insp_cgroup_hierarchies *hs,
		    const char *controller, bool *unified)
{
	return open_member(insp_cgroup_membership_for(m, hs, controller), unified);
}

static const struct insp_cgroup_member *unified_member(const struct insp_cgroup_membership *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].hierarchy && m->v[i].hierarchy->unified)
			return &m->v[i];
	return NULL;
}

static void read_memory(const struct insp_cgroup_membership *m,
			const struct insp_cgroup_hierarchies *hs, struct insp_cgroup_usage *u)
{
	bool v2 = false;
	_cleanup_close_ int fd = open_for(m, hs, "memory", &v2);

	u->memory_current = read_value(fd, v2 ? "memory.current" : "memory.usage_in_bytes");
	u->memory_max = read_value(fd, v2 ? "memory.max" : "memory.limit_in_bytes");
	u->memory_peak = read_value(fd, v2 ? "memory.peak" : "memory.max_usage_in_bytes");
	if (!v2 && u->memory_max != INSP_CGROUP_UNKNOWN)
		u->memory_max = cgroup_v1_bytes(u->memory_max);
}

static void read_pids(const struct insp_cgroup_membership *m,
		      const struct insp_cgroup_hierarchies *hs, struct insp_cgroup_usage *u)
{
	bool v2 = false;
	_cleanup_close_ int fd = open_for(m, hs, "pids", &v2);

	u->pids_current = read_value(fd, "pids.current");
	u->pids_max = read_value(fd, "pids.max");
}

static void read_cpu_v2(int fd, struct insp_cgroup_usage *u)
{
	char buf[64], *sp;
	uint64_t v;

	if (fd >= 0 && util_read_at(fd, "cpu.max", buf, sizeof(buf)) > 0 && (sp = strchr(buf, ' '))) {
		*sp = '\0';
		sp[strcspn(sp + 1, "\n") + 1] = '\0';
		u->cpu_quota_us = strcmp(buf, "max") == 0	 ? INSP_CGROUP_UNLIMITED
				  : util_parse_u64(buf, &v) == 0 ? v
								 : INSP_CGROUP_UNKNOWN;
		u->cpu_period_us = util_parse_u64(sp + 1, &v) == 0 ? v : INSP_CGROUP_UNKNOWN;
	}
	/* cpu.stat's usage exists without the cpu controller, from the core. */
	u->cpu_usage_us = read_key(fd, "cpu.stat", "usage_usec");
	u->cpu_nr_throttled = read_key(fd, "cpu.stat", "nr_throttled");
	u->cpu_throttled_us = read_key(fd, "cpu.stat", "throttled_usec");
}

static void read_cpu(const struct insp_cgroup_membership *m,
		     const struct insp_cgroup_hierarchies *hs, struct insp_cgroup_usage *u)
{
	bool v2 = false, acct_v2 = false;
	_cleanup_close_ int fd = open_for(m, hs, "cpu", &v2);
	_cleanup_close_ int acct = -1;

	if (v2) {
		read_cpu_v2(fd, u);
		return;
	}
	u->cpu_quota_us = read_value(fd, "cpu.cfs_quota_us");
	u->cpu_period_us = read_value(fd, "cpu.cfs_period_us");
	u->cpu_nr_throttled = read_key(fd, "cpu.stat", "nr_throttled");
	u->cpu_throttled_us = scaled(read_key(fd, "cpu.stat", "throttled_time"), 1000);
	acct = open_for(m, hs, "cpuacct", &acct_v2);
	u->cpu_usage_us = scaled(read_value(acct, "cpuacct.usage"), 1000);
	/* Hybrid hosts without cpuacct on v1: the v2 core still counts usage. */
	if (acct < 0 && (acct = open_member(unified_member(m), &acct_v2)) >= 0)
		u->cpu_usage_us = read_key(acct, "cpu.stat", "usage_usec");
}

INSP_EXPORT void insp_cgroup_usage_read(const struct insp_cgroup_membership *m,
					const struct insp_cgroup_hierarchies *hs,
					struct insp_cgroup_usage *out)
{
	const uint64_t u = INSP_CGROUP_UNKNOWN;

	*out = (struct insp_cgroup_usage){ u, u, u, u, u, u, u, u, u, u };
	read_memory(m, hs, out);
	read_pids(m, hs, out);
	read_cpu(m, hs, out);
}
