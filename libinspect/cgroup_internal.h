/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to the cgroup modules: value parsers, knob routing, open cgroups. */
#ifndef INSPECT_CGROUP_INTERNAL_H
#define INSPECT_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "inspect/cgroup.h"

/* ---- values as people type them (cgroup_value.c) */

#define CGV_MAX_CPUS 8192

struct cgv_cpu_max {
	uint64_t quota;		/* INSP_CGROUP_UNLIMITED: "max" */
	uint64_t period;	/* 0: keep the current period */
};

enum { CGV_RBPS, CGV_WBPS, CGV_RIOPS, CGV_WIOPS, CGV_IO_KEYS };

struct cgv_io_max {
	unsigned major, minor;
	uint64_t v[CGV_IO_KEYS];	/* INSP_CGROUP_UNLIMITED: "max" */
	bool set[CGV_IO_KEYS];
};

extern const char *const cgv_io_keys[CGV_IO_KEYS];

/* "512M", "1.5G", "4096", "max"/"infinity" (INSP_CGROUP_UNLIMITED); binary units. */
int cgv_parse_bytes(const char *s, uint64_t *out, struct insp_error *err);
/* A plain count or "max". */
int cgv_parse_count(const char *s, uint64_t *out, struct insp_error *err);
/* "max [PERIOD]", "QUOTA [PERIOD]", "50%" of one CPU, "1.5" CPUs. */
int cgv_parse_cpu_max(const char *s, uint64_t period_now, struct cgv_cpu_max *out,
		      struct insp_error *err);
/* The cpu.max rules the kernel enforces (period 1 ms..1 s, quota >= 1 ms). */
int cgv_check_cpu_max(const struct cgv_cpu_max *c, struct insp_error *err);
/* "MAJ:MIN" or "/dev/NAME", then KEY=VALUE pairs. */
int cgv_parse_io_max(const char *s, struct cgv_io_max *out, struct insp_error *err);
/* A cpu or node list "0-3,6" into a bitmap of CGV_MAX_CPUS bits. */
int cgv_parse_cpus(const char *s, uint64_t *bits, struct insp_error *err);
/* Does the list name any cpu outside allowed? Sets *first to it. */
bool cgv_cpus_outside(const uint64_t *bits, const uint64_t *allowed, unsigned *first);
void cgv_format_cpus(const uint64_t *bits, char *buf, size_t size);
int cgv_parse_bool(const char *s, bool *out, struct insp_error *err);
/* A whole decimal number within [min, max]. */
int cgv_parse_range(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		    struct insp_error *err);

/* "max" or the decimal value. */
void cgv_format_u64(uint64_t v, char *buf, size_t size);
void cgv_format_io_max(const struct cgv_io_max *io, char *buf, size_t size);

/* cpu.shares <-> cpu.weight, the conversion container runtimes use. */
uint64_t cgv_weight_to_shares(uint64_t weight);
uint64_t cgv_shares_to_weight(uint64_t shares);

/* ---- a cgroup open in every hierarchy that has it (cgroup_path.c) */

/* Files a cgroup keeps open (insp_cgroup_keep_files), by the directory fd and name they came from. */
struct cgroup_file {
	int dirfd;
	char name[64];
	int fd;			/* -errno: opening failed, and is not tried again */
};

struct cgroup_files {
	struct cgroup_file *v;
	size_t n;
};

struct insp_cgroup {
	const struct insp_cgroup_hierarchies *hs;
	char *path;		/* logical, "/" or "/a/b" */
	size_t n;
	int *dirfd;		/* per hierarchy index; -1 where the cgroup does not exist */
	char **sub;		/* per hierarchy: its path there; NULL where absent */
	uint64_t *ids;		/* per hierarchy: kernfs id, 0 until asked (the directory fd fixes it) */
	struct cgroup_files *files;	/* NULL: every read opens its file */
};

/*
 * The kept files of the cgroup being read, for the readers below, which see
 * only a directory fd. Set by insp_cgroup_get around one read; thread-local,
 * so cgroups read in other threads do not mix.
 */
extern __thread struct cgroup_files *cgroup_kept_files;
void cgroup_files_free(struct cgroup_files *f);

/* An empty cgroup (no path, no directory) over hs. */
struct insp_cgroup *cgroup_alloc(const struct insp_cgroup_hierarchies *hs);
/* Open a directory below a hierarchy's mount without following any symlink. */
int cgroup_open_below(const struct insp_cgroup_hierarchy *h, const char *path, int flags);
/* Index of a hierarchy in hs (h must be one of its entries). */
size_t cgroup_hierarchy_index(const struct insp_cgroup_hierarchies *hs,
			      const struct insp_cgroup_hierarchy *h);
/* The parent's directory in hierarchy i, or -errno ("/" has none). */
int cgroup_open_parent(const struct insp_cgroup *cg, size_t i);

/* ---- knobs (cgroup_knob.c) */

/* v1 reports "no memory limit" as the largest page-aligned long. */
#define V1_MEMORY_UNLIMITED 0x7ffffffffffff000ULL

enum v1_map {
	V1_NONE,	/* no v1 equivalent */
	V1_SAME,	/* same file name */
	V1_FILE,	/* one file, another name, same value */
	V1_CPU_MAX,
	V1_SHARES,
	V1_IO_MAX,
	V1_FREEZER,
	V1_SWAP_MAX,
	V1_SWAP_CURRENT,
	V1_MEMORY_EVENTS,
	V1_CPU_STAT,
	V1_IO_STAT,
};

struct cgroup_knob {
	struct insp_cgroup_knob_info info;
	enum v1_map v1;
	const char *v1_file;
};

extern const char *const cgroup_v1_throttle_files[CGV_IO_KEYS];
/* v1's blkio.throttle.io_service{_bytes,d}_recursive texts (changed in place) as v2's io.stat. */
int cgroup_v1_io_stat(char *service_bytes, char *serviced, char **out);
/* The parsers behind insp_cgroup_stats_read: io.stat's sums, cpu.max's two values. */
void cgroup_stats_parse_io(const char *text, struct insp_cgroup_stats *s);
void cgroup_stats_parse_cpu_max(const char *text, struct insp_cgroup_stats *s);

/* The hierarchy of a controller by its v2 name ("io" is "blkio" on v1). */
const struct insp_cgroup_hierarchy *cgroup_controller_hierarchy(const struct insp_cgroup_hierarchies *hs,
								const char *controller);

/* v1's "unlimited" byte values as INSP_CGROUP_UNLIMITED. */
uint64_t cgroup_v1_bytes(uint64_t v);
/* A file's text without its trailing newlines. */
int cgroup_read_text(int dirfd, const char *file, char **out);
/* A file holding one number; "max" and v1's -1 read as INSP_CGROUP_UNLIMITED. */
int cgroup_read_u64(int dirfd, const char *file, uint64_t *v);

/* Where one knob lives for this cgroup: the hierarchy, and the file name there. */
struct cgroup_route {
	const struct cgroup_knob *knob;	/* NULL: a raw file name */
	size_t hierarchy;
	bool v1;
	char file[64];
};

int cgroup_route(const struct insp_cgroup *cg, const char *name, struct cgroup_route *out,
		 struct insp_error *err);
/* Read a knob through its route as the v2 text (translated from v1). */
int cgroup_route_read(const struct insp_cgroup *cg, const struct cgroup_route *r, char **out,
		      struct insp_error *err);

/* One file write of a change, with the text that restores it. */
struct cgroup_write {
	int dirfd;		/* borrowed from the cgroup */
	char file[64];
	char *text;
	char *undo;		/* NULL: nothing to restore */
	size_t change;		/* which assignment it belongs to */
};

struct cgroup_plan {
	struct cgroup_write *w;
	size_t n;
	size_t change;		/* stamped on the writes added next */
};

/* Validate name=value and append the writes it needs; *old and *new get v2 texts. */
int cgroup_knob_plan(const struct insp_cgroup *cg, const char *name, const char *value,
		     struct cgroup_plan *plan, char **old, char **new_value, struct insp_error *err);
int cgroup_plan_add(struct cgroup_plan *plan, int dirfd, const char *file, const char *text,
		    const char *undo);
void cgroup_plan_free(struct cgroup_plan *plan);

/* Why a cgroup file write failed, in words an operator can act on. */
const char *cgroup_write_hint(const char *file, int code);
/* err = "<what>: <errno text> (<hint>)"; returns -code. */
int cgroup_error(struct insp_error *err, int code, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Is word (len bytes) an item of a comma or space separated list? */
bool cgroup_list_has(const char *list, const char *word, size_t len);
/* Write text to dirfd/file as one write(2). */
int cgroup_write_file(int dirfd, const char *file, const char *text);

#endif
