/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_CGROUP_H
#define INSPECT_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <inspect/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One mounted cgroup hierarchy: the v2 one, or a v1 one with its controllers. */
struct insp_cgroup_hierarchy {
	bool unified;		/* cgroup2 */
	char *mount;		/* mount point */
	char *root;		/* the mount's root inside the hierarchy, usually "/" */
	char *controllers;	/* "cpu,cpuacct", "name=systemd"; v2: cgroup.controllers of the root */
};

struct insp_cgroup_hierarchies;

/* Every cgroup hierarchy mounted in our mount namespace, from /proc/self/mountinfo. */
int insp_cgroup_hierarchies_read(struct insp_cgroup_hierarchies **out, struct insp_error *err);
/* The same from given mountinfo and /proc/cgroups texts (for saved host states). */
int insp_cgroup_hierarchies_parse(struct insp_cgroup_hierarchies **out, const char *mountinfo,
				  const char *proc_cgroups, struct insp_error *err);
void insp_cgroup_hierarchies_free(struct insp_cgroup_hierarchies *hs);
size_t insp_cgroup_hierarchies_count(const struct insp_cgroup_hierarchies *hs);
const struct insp_cgroup_hierarchy *insp_cgroup_hierarchies_at(const struct insp_cgroup_hierarchies *hs,
							       size_t i);
/*
 * The hierarchy that owns a controller ("memory"): a v1 hierarchy that has
 * it, else the v2 one when it lists it. NULL when none does.
 */
const struct insp_cgroup_hierarchy *
insp_cgroup_hierarchy_for(const struct insp_cgroup_hierarchies *hs, const char *controller);

/* Where a process sits in one hierarchy. */
struct insp_cgroup_member {
	const struct insp_cgroup_hierarchy *hierarchy;	/* NULL: not mounted here */
	char *controllers;	/* as /proc/PID/cgroup names them; "" for v2 */
	char *path;		/* path inside the hierarchy */
	char *dir;		/* directory under the mount; NULL if not reachable */
};

struct insp_cgroup_membership {
	struct insp_cgroup_member *v;
	size_t n;
};

/* Resolve every line of a /proc/PID/cgroup text against the mounted hierarchies. */
int insp_cgroup_membership_parse(const char *cgroup_file, const struct insp_cgroup_hierarchies *hs,
				 struct insp_cgroup_membership *out);
void insp_cgroup_membership_free(struct insp_cgroup_membership *m);
/* The member of the hierarchy owning a controller; NULL if none. */
const struct insp_cgroup_member *
insp_cgroup_membership_for(const struct insp_cgroup_membership *m,
			   const struct insp_cgroup_hierarchies *hs, const char *controller);

#define INSP_CGROUP_UNLIMITED UINT64_MAX
#define INSP_CGROUP_UNKNOWN (UINT64_MAX - 1)

/*
 * The key limits and usage of a process's cgroups, v2 or v1 alike. A value
 * the host does not offer or we cannot read is INSP_CGROUP_UNKNOWN; "max"
 * is INSP_CGROUP_UNLIMITED.
 */
struct insp_cgroup_usage {
	uint64_t memory_current, memory_max, memory_peak;	/* bytes */
	uint64_t pids_current, pids_max;
	uint64_t cpu_quota_us, cpu_period_us;			/* quota UNLIMITED: no limit */
	uint64_t cpu_usage_us, cpu_nr_throttled, cpu_throttled_us;
};

void insp_cgroup_usage_read(const struct insp_cgroup_membership *m,
			    const struct insp_cgroup_hierarchies *hs, struct insp_cgroup_usage *out);

#ifdef __cplusplus
}
#endif
#endif
