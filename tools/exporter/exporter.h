/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsctl exporter: collection (exporter_collect.c) fills a snapshot of
 * numbers through libinspect at scrape time; the metric table
 * (exporter_metrics.c) renders a snapshot in the Prometheus or OpenMetrics
 * text format (exporter_expo.c); the server (exporter_server.c) answers
 * HTTP with libevent and makes concurrent scrapes share one collection.
 */
#ifndef NSCTL_EXPORTER_H
#define NSCTL_EXPORTER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <inspect/cgroup.h>
#include <inspect/events.h>
#include <inspect/ns.h>

#include "text.h"

#define EXPORTER_PORT 9977

struct exporter_opts {
	const char *listen;		/* "ADDR:PORT", "[ADDR]:PORT" or "unix:PATH" */
	const char *state_root;		/* runtime state files below it; NULL for / */
	double deadline;		/* seconds a collection may take */
	bool once;
	bool with_bpf;
};

/* Faults and failures counted since the start, by kind; both threads count. */
enum exporter_error {
	EXP_ERR_SCAN,			/* the process scan failed */
	EXP_ERR_CGROUPS,		/* the cgroup tree could not be walked */
	EXP_ERR_DEADLINE,		/* a collection stopped at its deadline */
	EXP_ERR_PROCESS,		/* a container's process vanished or was denied mid-read */
	EXP_ERR_NOT_FOUND,		/* HTTP 404 */
	EXP_ERR_METHOD,			/* not GET or HEAD: HTTP 501 */
	EXP_ERR_BAD_REQUEST,		/* malformed, or headers over 8 KiB: HTTP 400 or 413 */
	EXP_ERR_CLIENT_GONE,		/* the scraper left before its answer */
	EXP_ERR_LATE,			/* a collection ran past its deadline: answered without it */
	EXP_ERR_ACCEPT,			/* accept(2) failed (out of file descriptors) */
	EXP_NERRORS
};

extern const char *const exporter_error_names[EXP_NERRORS];

struct exporter_errors {
	atomic_uint_fast64_t n[EXP_NERRORS];
};

/* Count a fault; the first of each kind is also logged, as one line. */
void exporter_fault(struct exporter_errors *e, enum exporter_error kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The security posture of a container's first (lowest) process. */
struct exp_posture {
	bool known;
	char *capabilities;		/* "docker default - NET_RAW" */
	int seccomp;			/* enum insp_seccomp_mode */
	int no_new_privs;
	bool user_namespace;
	int read_only_root;		/* -1: unknown */
};

/* What a scrape reports of one container. */
struct exp_container {
	char *id, *runtime;		/* the only labels of its series */
	char *name, *image, *pod, *pod_namespace, *k8s_container;	/* the info series' */
	struct insp_cgroup_stats st;	/* INSP_CGROUP_UNKNOWN where not read */
	bool stats_read;		/* false: the deadline came first */
	size_t processes;
	size_t namespaces;		/* distinct namespaces its processes are in */
	unsigned own_ns;		/* bit per type: its first process's is not the host's */
	bool ns_known;
	struct exp_posture posture;
};

struct exp_snapshot {
	struct exp_container *c;
	size_t n;
	size_t processes, cgroups;
	size_t namespaces[INSP_NS_NTYPES];	/* on the host, with a process in them */
	bool counters_on;
	struct insp_event_counters counters;
	double duration;		/* seconds the collection took */
	bool partial;			/* stopped at the deadline */
	bool failed;			/* nothing collected (scan or walk failed) */
};

void exp_snapshot_free(struct exp_snapshot *s);

/* ---- exporter_collect.c */
struct exp_collector;

struct exp_collector *exp_collector_new(const struct exporter_opts *o, struct exporter_errors *errors);
void exp_collector_free(struct exp_collector *c);
/* Why the eBPF counters are off ("" when on). */
const char *exp_collector_counters_error(const struct exp_collector *c);
/* Collect now, stopping at the monotonic time deadline (seconds). */
void exp_collect(struct exp_collector *c, double deadline, struct exp_snapshot *out);

/* ---- exporter_posture.c: postures kept between collections */
struct insp_proc;
struct exp_posture_cache;

struct exp_posture_cache *exp_posture_cache_new(void);
void exp_posture_cache_free(struct exp_posture_cache *pc);
/* The posture of p, read now or kept; *out is the caller's (free capabilities). 0 or -errno. */
int exp_posture_get(struct exp_posture_cache *pc, const struct insp_proc *p, double now, struct exp_posture *out);
/* A collection is over: what it did not ask for is forgotten. */
void exp_posture_cache_next(struct exp_posture_cache *pc);

/* ---- exporter_expo.c: the two text formats */
enum expo_format {
	EXPO_TEXT,			/* text/plain; version=0.0.4 */
	EXPO_OPENMETRICS,		/* application/openmetrics-text; version=1.0.0 */
};

enum metric_type {
	MT_GAUGE,
	MT_COUNTER,			/* the name ends in _total */
	MT_INFO,			/* the name ends in _info; a gauge of 1 in the 0.0.4 format */
};

struct expo_label {
	const char *name, *value;
};

struct expo {
	struct text_buf b;
	enum expo_format format;
};

const char *expo_content_type(enum expo_format f);
void expo_family(struct expo *e, const char *name, enum metric_type type, const char *help);
/* A sample; NAN values are left out (unknown is absent, not zero). */
void expo_sample(struct expo *e, const char *name, const struct expo_label *labels, size_t n, double value);
void expo_end(struct expo *e);

/* ---- exporter_metrics.c: the metric table */
void exp_render(const struct exp_snapshot *s, const struct exporter_errors *errors, enum expo_format f,
		struct expo *out);
/* The table as the man page shows it: name, type, labels, source, meaning. */
void exp_list_metrics(FILE *out);

/* ---- exporter_server.c */
int exp_serve(const struct exporter_opts *o, struct exp_collector *c, struct exporter_errors *errors);

#endif
