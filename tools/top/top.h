/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsctl top: collection (top_collect.c) fills rows of numbers for one view;
 * top_view.c names, formats, filters and sorts them; the batch printer and
 * the ncurses screen only render.
 */
#ifndef NSCTL_TOP_H
#define NSCTL_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <inspect/container.h>
#include <inspect/events.h>
#include <inspect/ns.h>

enum top_view {
	VIEW_CONTAINERS,
	VIEW_CGROUPS,
	VIEW_NAMESPACES,
	NVIEWS
};

enum top_col {
	TC_NAME,	/* container name, cgroup path or namespace */
	TC_IMAGE,
	TC_ID,
	TC_TYPE,
	TC_PROCS,
	TC_PID,
	TC_COMMAND,
	TC_CONTAINER,
	TC_CPU,
	TC_MEM,
	TC_MEM_MAX,
	TC_PIDS,
	TC_IO_READ,
	TC_IO_WRITE,
	TC_PSI_CPU,
	TC_PSI_MEM,
	TC_PSI_IO,
	TC_NNS,
	TC_NEWNS,
	TC_SETNS,
	TC_CGROUP,
	NCOLS
};

struct top_column {
	const char *name;	/* header */
	const char *key;	/* JSON key */
	const char *help;
	int width;		/* negative: left-aligned */
	bool text;		/* a string, not a number */
};

extern const struct top_column top_columns[NCOLS];

struct top_row {
	char *name;		/* TC_NAME */
	char *command;		/* TC_COMMAND */
	char *container;	/* TC_CONTAINER: "docker:web" */
	char *image, *id;	/* TC_IMAGE, TC_ID (12 digits) */
	char *cgroup;		/* TC_CGROUP: a container's outermost cgroup */
	char *target;		/* what `nsctl enter`/`inspect` take for it */
	const struct insp_container_info *info;	/* the snapshot's copy; NULL outside containers */
	enum insp_ns_type type;	/* namespaces view */
	ino_t ns_ino;
	uint64_t ns_id;
	unsigned depth;		/* cgroups view: levels below / */
	double num[NCOLS];	/* NAN: unknown; INFINITY: unlimited */
	unsigned new_by_type[INSP_NS_NTYPES];	/* events in the interval */
	unsigned setns_by_type[INSP_NS_NTYPES];
};

struct top_totals {
	size_t procs, namespaces, cgroups, containers;
	bool events_on;
	char events_error[512];		/* why eBPF columns are empty */
	double created_rate[INSP_NS_NTYPES];	/* host-wide, per second */
	double entered_rate[INSP_NS_NTYPES];
	uint64_t dropped;
	double interval;		/* seconds the rates cover */
};

struct top_snapshot {
	enum top_view view;
	struct top_row *rows;
	size_t nrows;
	struct insp_container_info **containers;	/* the rows' containers, owned */
	size_t ncontainers;
	struct top_totals totals;
	uint64_t time_ns;		/* CLOCK_REALTIME */
};

struct top_collector;

/*
 * with_events: try eBPF; a failure is recorded in the totals, never fatal.
 * state_root: where runtime state files (container names) are; NULL for /.
 */
struct top_collector *top_collector_new(bool with_events, const char *state_root);
void top_collector_free(struct top_collector *c);
/* Readable when eBPF events wait (-1 without eBPF); drain them as they come. */
int top_collector_events_fd(const struct top_collector *c);
/* How long a wait on that fd may last instead of timeout_ms before the next drain. */
int top_collector_events_timeout(const struct top_collector *c, int timeout_ms);
void top_collector_drain(struct top_collector *c);
/* Only what the columns in `visible` need is read (bit per enum top_col). */
int top_collect(struct top_collector *c, enum top_view view, uint64_t visible,
		struct top_snapshot *out);
void top_snapshot_free(struct top_snapshot *s);

/* ---- top_view.c */
const char *top_view_name(enum top_view v);
int top_view_from_name(const char *name);
/* The columns a view shows, in order; returns their number. */
size_t top_view_columns(enum top_view v, const int **cols);
uint64_t top_view_visible(enum top_view v);
/* A text column's value; NULL when it has none. */
const char *top_text(const struct top_row *r, int col);
/* A cell as text for people (raw: the presentation layer escapes it). */
const char *top_cell(const struct top_row *r, int col, char *buf, size_t size);
/* The same, with the cgroups view's names indented under their parents when tree. */
const char *top_cell_text(const struct top_row *r, int col, bool tree, char *buf, size_t size);
/* Sort by column (descending for numbers, ascending for text unless reversed); keep tree order. */
void top_sort(struct top_snapshot *s, int col, bool reverse, bool tree);
bool top_row_matches(const struct top_row *r, const char *filter);

/* ---- top_batch.c */
int top_print_text(FILE *out, const struct top_snapshot *s, const char *filter, bool tree);
int top_print_json(FILE *out, const struct top_snapshot *s, const char *filter);
void top_header_lines(const struct top_snapshot *s, char *l1, char *l2, size_t size);

#endif
