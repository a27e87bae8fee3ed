/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsctl inspect: everything about one process, collected first, then rendered. */
#ifndef NSCTL_INSPECT_REPORT_H
#define NSCTL_INSPECT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <inspect/cgroup.h>
#include <inspect/error.h>
#include <inspect/ns.h>
#include <inspect/proc.h>
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
	bool have_sec, have_cgroups;
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

#endif
