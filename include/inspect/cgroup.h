/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_CGROUP_H
#define INSPECT_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <inspect/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One mounted cgroup hierarchy: the v2 one, or a v1 one with its controllers. */
struct insp_cgroup_hierarchy {
	bool unified;		/* cgroup2 */
	int id;			/* the kernel's hierarchy id (0 for cgroup2, as in /proc/PID/cgroup); -1 unknown */
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

/* ---- one cgroup by its path, across every hierarchy */

/*
 * A cgroup named by one logical path ("/system.slice/foo.service"), open in
 * each hierarchy that has a directory for it.
 */
struct insp_cgroup;

/* "a//b/" -> "/a/b"; refuses "." and ".." (-EINVAL). */
int insp_cgroup_path_normalize(const char *in, char **out, struct insp_error *err);
/* -ENOENT when no hierarchy has the path. Never follows a symlink. */
int insp_cgroup_open(const struct insp_cgroup_hierarchies *hs, const char *path,
		     struct insp_cgroup **out, struct insp_error *err);
/*
 * A process's cgroup: its deepest path, in the hierarchies that place it
 * there (others may keep it at "/", or elsewhere).
 */
int insp_cgroup_open_membership(const struct insp_cgroup_hierarchies *hs,
				const struct insp_cgroup_membership *m, struct insp_cgroup **out,
				struct insp_error *err);
/*
 * A process's view for reading usage: every hierarchy at the path that
 * hierarchy places it in (memory at "/a", pids at "/" on a hybrid host).
 * Its logical path is the deepest one.
 */
int insp_cgroup_open_process(const struct insp_cgroup_hierarchies *hs,
			     const struct insp_cgroup_membership *m, struct insp_cgroup **out,
			     struct insp_error *err);
void insp_cgroup_close(struct insp_cgroup *cg);
/* A handle of the same cgroup that outlives the one given (a walk's, say); NULL without memory or fds. */
struct insp_cgroup *insp_cgroup_dup(const struct insp_cgroup *cg);
/*
 * Keep the files that reads open (until insp_cgroup_close), for a tool that
 * reads the same cgroup every second: one pread per file then, instead of
 * open, read and close. A removed cgroup's kept files read as errors.
 */
int insp_cgroup_keep_files(struct insp_cgroup *cg);
/* The logical path (for a membership, the deepest of its paths). */
const char *insp_cgroup_path(const struct insp_cgroup *cg);
/* Its path in one hierarchy; NULL when it has no directory there. */
const char *insp_cgroup_path_in(const struct insp_cgroup *cg, const struct insp_cgroup_hierarchy *h);
/* Its id in one hierarchy (the kernfs id, as bpf_get_current_cgroup_id gives for v2); 0 when absent. */
uint64_t insp_cgroup_id_in(const struct insp_cgroup *cg, const struct insp_cgroup_hierarchy *h);

/* ---- knobs: v2 names everywhere, translated on v1 hierarchies */

enum insp_cgroup_unit {
	INSP_CGROUP_TEXT,
	INSP_CGROUP_BYTES,	/* a number of bytes or "max" */
	INSP_CGROUP_COUNT,	/* a number or "max" */
	INSP_CGROUP_FLAG,	/* 0 or 1 */
	INSP_CGROUP_CPU_MAX,	/* "QUOTA PERIOD" or "max PERIOD" */
	INSP_CGROUP_IO_MAX,	/* "MAJ:MIN rbps=.. wbps=.. riops=.. wiops=.." lines */
	INSP_CGROUP_LIST,	/* "0-3,6" */
	INSP_CGROUP_KEYED,	/* "key value" lines */
	INSP_CGROUP_PSI,	/* "some avg10=.. avg60=.. avg300=.. total=.." lines */
};

struct insp_cgroup_knob_info {
	const char *name;	/* v2 name */
	const char *controller;	/* NULL: the cgroup core */
	enum insp_cgroup_unit unit;
	bool writable;
	const char *help;
};

/* The knobs libinspect knows, in display order; NULL past the end. */
const struct insp_cgroup_knob_info *insp_cgroup_knob_at(size_t i);
/* A known knob by name (hugetlb.SIZE.max too); NULL for raw file names. */
const struct insp_cgroup_knob_info *insp_cgroup_knob_info(const char *name);

/*
 * Read a knob or stat file as v2 text (no trailing newline), translated
 * from v1 files where the controller lives on v1. Unknown names are read
 * as raw files of the controller their prefix names ("memory.swappiness").
 */
int insp_cgroup_get(const struct insp_cgroup *cg, const char *name, char **value,
		    struct insp_error *err);

struct insp_cgroup_change {
	char *knob;
	char *old_value;	/* v2 text before */
	char *new_value;	/* v2 text after: read back, or planned for a dry run */
};

struct insp_cgroup_changes {
	struct insp_cgroup_change *v;
	size_t n;
};

enum {
	INSP_CGROUP_DRY_RUN = 1 << 0,	/* validate and plan, write nothing */
};

/*
 * Apply "knob=value" assignments in order, all or nothing: every value is
 * parsed and checked against the kernel's rules before the first write, and
 * when a write fails the ones before it are restored. err names the knob,
 * the file, the errno and what it usually means.
 */
int insp_cgroup_set(const struct insp_cgroup *cg, char *const *assignments, size_t n,
		    unsigned flags, struct insp_cgroup_changes *out, struct insp_error *err);
void insp_cgroup_changes_free(struct insp_cgroup_changes *c);

/* ---- walking, membership, creation and removal */

/*
 * Visit path and every cgroup below it, parents first, children by name,
 * down to max_depth levels (-1: all). A node merges the directories of the
 * same name in every hierarchy; cg is only valid during the call. A
 * non-zero return stops the walk and is returned (negative: an error).
 */
typedef int (*insp_cgroup_visit_fn)(const struct insp_cgroup *cg, unsigned depth, void *data);
int insp_cgroup_walk(const struct insp_cgroup_hierarchies *hs, const char *path, int max_depth,
		     insp_cgroup_visit_fn fn, void *data, struct insp_error *err);

/*
 * The whole tree, kept between walks for tools that read it again and again:
 * a walk reuses the handles (kept files included, see insp_cgroup_keep_files)
 * of directories that are still the same cgroups, and opens the new ones.
 * A failed walk leaves the previous tree whole.
 */
struct insp_cgroup_tree;
int insp_cgroup_tree_new(const struct insp_cgroup_hierarchies *hs, struct insp_cgroup_tree **out,
			 struct insp_error *err);
int insp_cgroup_tree_walk(struct insp_cgroup_tree *t, struct insp_error *err);
/* The cgroups of the last walk, parents first; depth: levels below "/". */
size_t insp_cgroup_tree_count(const struct insp_cgroup_tree *t);
struct insp_cgroup *insp_cgroup_tree_at(const struct insp_cgroup_tree *t, size_t i, unsigned *depth);
void insp_cgroup_tree_free(struct insp_cgroup_tree *t);

/* The processes in the cgroup in any hierarchy, sorted, each once (caller frees). */
int insp_cgroup_procs(const struct insp_cgroup *cg, pid_t **pids, size_t *n);

/*
 * Which processes of a snapshot each cgroup of a walk holds, in any
 * hierarchy, from the cgroup ids of an eBPF scan (INSP_PROC_CGROUP_IDS)
 * rather than a cgroup.procs read per cgroup and hierarchy. Add the cgroups
 * with numbers of your choosing (several may share one), then sort: fn is
 * called once per process and number it belongs to. A snapshot without ids
 * (the /proc backend, or NULL) makes the index read cgroup.procs as the
 * cgroups are added, and fn then gets proc NULL for pids not in procs.
 */
struct insp_procs;
struct insp_proc;
struct insp_cgroup_index;
typedef void (*insp_cgroup_member_fn)(size_t number, pid_t pid, struct insp_proc *proc, void *data);

int insp_cgroup_index_new(struct insp_cgroup_index **out, const struct insp_cgroup_hierarchies *hs,
			  struct insp_procs *procs);
int insp_cgroup_index_add(struct insp_cgroup_index *ix, const struct insp_cgroup *cg, size_t number);
void insp_cgroup_index_sort(const struct insp_cgroup_index *ix, struct insp_procs *procs,
			    insp_cgroup_member_fn fn, void *data);
/* The number of the cgroup with this id in a hierarchy (as events carry them); -ENOENT if none. */
int insp_cgroup_index_find(const struct insp_cgroup_index *ix, int hierarchy, uint64_t id, size_t *number);
/* Whether the ids are used (false: cgroup.procs was read). */
bool insp_cgroup_index_uses_ids(const struct insp_cgroup_index *ix);
void insp_cgroup_index_free(struct insp_cgroup_index *ix);

struct insp_cgroup_create_opts {
	const char *controllers;	/* "memory,pids"; NULL: every hierarchy with a controller */
	char *const *assignments;	/* knob=value applied after creation */
	size_t n_assignments;
};

/*
 * Create path (and missing parents) in the v2 hierarchy and in the v1
 * hierarchies of the controllers asked for or used by the assignments;
 * on v2, enable those controllers in every ancestor's subtree_control.
 * All or nothing: on any failure, what was created or enabled is undone.
 */
int insp_cgroup_create(const struct insp_cgroup_hierarchies *hs, const char *path,
		       const struct insp_cgroup_create_opts *opts, struct insp_cgroup_changes *changes,
		       struct insp_error *err);

enum {
	INSP_CGROUP_RM_KILL = 1 << 0,		/* kill the processes first (cgroup.kill, or SIGKILL each) */
	INSP_CGROUP_RM_RECURSIVE = 1 << 1,	/* remove child cgroups too */
};

/* Remove a cgroup from every hierarchy; -EBUSY while populated without RM_KILL. */
int insp_cgroup_remove(const struct insp_cgroup_hierarchies *hs, const char *path, unsigned flags,
		       struct insp_error *err);

/*
 * Move processes (whole thread groups) into path in every hierarchy that
 * has it. All or nothing: on failure, the ones moved go back.
 */
int insp_cgroup_move(const struct insp_cgroup_hierarchies *hs, const pid_t *pids, size_t n,
		     const char *path, struct insp_error *err);


/* The value of key in a "key value" per line text (cpu.stat, memory.events); -ENOENT if absent. */
int insp_cgroup_keyed(const char *text, const char *key, uint64_t *out);

/* PSI lines ("some ...", "full ...") of a *.pressure file. */
struct insp_cgroup_psi_line {
	bool present;
	double avg10, avg60, avg300;
	uint64_t total_us;
};

struct insp_cgroup_psi {
	struct insp_cgroup_psi_line some, full;
};

int insp_cgroup_psi_parse(const char *text, struct insp_cgroup_psi *out);

/* ---- usage and limits, v2 and v1 alike */

/* What insp_cgroup_stats_read reads: each group is a file or two (per refresh, files are the cost). */
enum insp_cgroup_stat_group {
	INSP_CGSTAT_MEMORY = 1 << 0,		/* memory.current and memory.max */
	INSP_CGSTAT_MEMORY_MORE = 1 << 1,	/* memory.high, .peak, .swap.current, .swap.max */
	INSP_CGSTAT_MEMORY_STAT = 1 << 2,	/* the working set, from memory.stat */
	INSP_CGSTAT_MEMORY_EVENTS = 1 << 3,	/* OOM events and kills */
	INSP_CGSTAT_PIDS = 1 << 4,		/* pids.current and pids.max */
	INSP_CGSTAT_CPU = 1 << 5,		/* cpu.stat: usage and throttling */
	INSP_CGSTAT_CPU_MAX = 1 << 6,		/* cpu.max */
	INSP_CGSTAT_IO = 1 << 7,		/* io.stat, summed over devices */
	INSP_CGSTAT_PSI = 1 << 8,		/* cpu, memory and io pressure */
	INSP_CGSTAT_ALL = (1 << 9) - 1,
};

/*
 * A cgroup's figures in v2 units (bytes, microseconds), translated from v1
 * files where a controller lives on v1. A value this host does not offer,
 * or that was not asked for, is INSP_CGROUP_UNKNOWN; "max" is
 * INSP_CGROUP_UNLIMITED. A PSI line not read has present false.
 */
struct insp_cgroup_stats {
	uint64_t memory_current, memory_max, memory_high, memory_peak;
	uint64_t memory_swap_current, memory_swap_max;
	uint64_t memory_working_set;	/* current minus inactive file pages, as cAdvisor counts it */
	uint64_t memory_oom, memory_oom_kill;
	uint64_t pids_current, pids_max;
	uint64_t cpu_quota_usec, cpu_period_usec;	/* quota UNLIMITED: no limit */
	uint64_t cpu_usage_usec, cpu_user_usec, cpu_system_usec;
	uint64_t cpu_nr_periods, cpu_nr_throttled, cpu_throttled_usec;
	uint64_t io_read_bytes, io_write_bytes, io_read_ios, io_write_ios;
	struct insp_cgroup_psi psi_cpu, psi_memory, psi_io;
};

void insp_cgroup_stats_read(const struct insp_cgroup *cg, unsigned groups, struct insp_cgroup_stats *out);

#ifdef __cplusplus
}
#endif
#endif
