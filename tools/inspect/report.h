/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsctl inspect: everything about one process, collected first, then rendered. */
#ifndef NSCTL_INSPECT_REPORT_H
#define NSCTL_INSPECT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <inspect/cgroup.h>
#include <inspect/error.h>
#include <inspect/mounts.h>
#include <inspect/ns.h>
#include <inspect/proc.h>
#include <inspect/seccomp.h>
#include <inspect/security.h>
#include <inspect/target.h>

struct ns_view {
	ino_t ino;		/* 0: not readable */
	uint64_t id;
	ino_t owner;
	uint64_t owner_id;
	int shared_host;	/* 1/0, or INSP_UNKNOWN when the host's is not readable */
	int shared_parent;
	char error[64];
};

/* What could not be read, per section: partial output says so. */
enum report_section {
	SEC_IDENTITY,
	SEC_NAMESPACES,
	SEC_CGROUP,
	SEC_SECURITY,
	SEC_MOUNTS,
	NSECTIONS
};

struct report {
	struct insp_target target;	/* its proc: every process field, once collected */
	char user[64];
	uint64_t start_ns;		/* CLOCK_REALTIME; 0 if unknown */
	struct ns_view ns[INSP_NS_NTYPES];
	struct insp_cgroup_hierarchies *hierarchies;
	struct insp_cgroup_membership cgroups;
	struct insp_cgroup_stats stats;
	struct insp_security sec;
	char securebits[256];	/* names of the set bits */
	enum insp_seccomp_source seccomp_source;	/* set by the caller */
	char seccomp_profile[128];	/* "" when the filters could not be read */
	char seccomp_error[sizeof(((struct insp_error *)0)->msg)];
	struct insp_mounts mounts;
	bool have_sec, have_cgroups, have_mounts;
	char errors[NSECTIONS][sizeof(((struct insp_error *)0)->msg)];
};

extern const char *const report_section_names[NSECTIONS];

/* Fill a report for a resolved target. Fails (-ESRCH) if it exits meanwhile. */
int report_collect(struct report *r, struct insp_error *err);
void report_free(struct report *r);

struct json_object;
/* {"mask": "0x...", "names": [...], "profile": "docker default + SYS_ADMIN"} */
struct json_object *caps_json(uint64_t mask);

void report_print_text(const struct report *r, FILE *out);
void report_print_json(const struct report *r, FILE *out);

/* The mounts section, for people and as JSON (NULL when not read). */
void mounts_print_summary(const struct insp_mounts *m, FILE *out);
struct json_object *mounts_summary_json(const struct insp_mounts *m);

/* nsctl inspect --mounts: every mount with its host path and propagation. */
int mounts_report(const struct insp_target *t, bool json, FILE *out, struct insp_error *err);

/* nsctl inspect --seccomp: every chain's full table. */
int seccomp_report(const struct insp_target *t, enum insp_seccomp_source source, bool json, FILE *out,
		   struct insp_error *err);

#endif
