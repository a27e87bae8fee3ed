// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One collection, at scrape time: a process scan (cgroup ids and namespaces
 * from the task iterator), the containers found in the cgroup tree, their
 * members from the cgroup index, then each container's cgroup files and the
 * posture of its first process, until the deadline. What the deadline cuts
 * off is absent from the answer, never zero.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <inspect/container.h>
#include <inspect/proc.h>

#include "cli.h"
#include "exporter.h"
#include "xalloc.h"

/* Without cgroup counters, or with them, at least this often: the tree is walked again. */
#define REWALK_SECONDS 30.0

struct exp_collector {
	struct exporter_errors *errors;
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup_tree *tree;
	struct insp_scanner *scanner;		/* NULL without eBPF: /proc */
	struct insp_container_cache *names;
	struct exp_posture_cache *postures;
	struct insp_events *ev;			/* counting mode; NULL when off */
	char counters_error[sizeof(((struct insp_error *)0)->msg)];
	bool walked;
	uint64_t walked_changes;		/* cgroup mkdirs and rmdirs at that walk */
	double walked_at;
};

/* A container met in this collection: its outermost cgroup and first process. */
struct run_container {
	const struct insp_cgroup *cg;
	struct insp_proc *first;
};

struct run {
	struct exp_collector *c;
	struct exp_snapshot *s;
	struct run_container *rc;
	struct insp_procs *procs;
	struct insp_ns_table *nst;
	size_t *ns_seen;			/* per namespace: the last container (+1) that counted it */
	double now;
};

struct exp_collector *exp_collector_new(const struct exporter_opts *o, struct exporter_errors *errors)
{
	struct exp_collector *c = xcalloc(1, sizeof(*c));
	struct insp_events_opts eo = { .count_only = true };
	struct insp_error err = { 0 };

	c->errors = errors;
	c->postures = exp_posture_cache_new();
	if (insp_cgroup_hierarchies_read(&c->hs, &err) < 0 || insp_cgroup_tree_new(c->hs, &c->tree, &err) < 0 ||
	    insp_container_cache_new(&c->names, o->state_root, &err) < 0) {
		cli_insp_error("exporter", &err);
		exp_collector_free(c);
		return NULL;
	}
	if (!o->with_bpf) {
		snprintf(c->counters_error, sizeof(c->counters_error), "off (--no-bpf)");
		return c;
	}
	insp_scanner_open(&c->scanner, NULL);
	/* Counters count from the start: one collection would show only zeros. */
	if (o->once)
		snprintf(c->counters_error, sizeof(c->counters_error), "off (--once)");
	else if (insp_events_open(&c->ev, &eo, &err) < 0)
		snprintf(c->counters_error, sizeof(c->counters_error), "%s", err.msg);
	return c;
}

void exp_collector_free(struct exp_collector *c)
{
	if (!c)
		return;
	insp_events_close(c->ev);
	insp_scanner_close(c->scanner);
	insp_container_cache_free(c->names);
	exp_posture_cache_free(c->postures);
	insp_cgroup_tree_free(c->tree);
	insp_cgroup_hierarchies_free(c->hs);
	free(c);
}

const char *exp_collector_counters_error(const struct exp_collector *c)
{
	return c->counters_error;
}

static uint64_t tree_changes(const struct exp_snapshot *s)
{
	return s->counters.calls[INSP_EVENT_CGROUP_MKDIR] + s->counters.calls[INSP_EVENT_CGROUP_RMDIR];
}

/* The tree is walked again only when the counters say a cgroup came or went, or now and then. */
static int walk_tree(struct exp_collector *c, const struct exp_snapshot *s, double now)
{
	struct insp_error err = { 0 };

	if (c->walked && s->counters_on && tree_changes(s) == c->walked_changes && now - c->walked_at < REWALK_SECONDS)
		return 0;
	if (insp_cgroup_tree_walk(c->tree, &err) < 0) {
		exporter_fault(c->errors, EXP_ERR_CGROUPS, "cgroup tree: %s", err.msg);
		return c->walked ? 0 : -1;
	}
	c->walked = true;
	c->walked_changes = tree_changes(s);
	c->walked_at = now;
	return 0;
}

static int scan(struct run *run)
{
	struct insp_scan_opts opts = { .backend = INSP_BACKEND_AUTO, .fields = INSP_PROC_STAT | INSP_PROC_NS | INSP_PROC_CGROUP_IDS,
				       .ns_slots = (1u << INSP_NS_NTYPES) - 1, .scanner = run->c->scanner };
	struct insp_error err = { 0 };

	if (insp_procs_scan(&run->procs, &opts, &err) < 0 || insp_ns_table_build(&run->nst, run->procs, 0, &err) < 0) {
		exporter_fault(run->c->errors, EXP_ERR_SCAN, "scan: %s", err.msg);
		return -1;
	}
	run->s->processes = insp_procs_count(run->procs);
	for (size_t i = 0; i < insp_ns_table_count(run->nst); i++)
		run->s->namespaces[insp_ns_table_at(run->nst, i)->type]++;
	run->ns_seen = xcalloc(insp_ns_table_count(run->nst) + 1, sizeof(*run->ns_seen));
	return 0;
}

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

static size_t add_container(struct run *run, const struct insp_cgroup *cg, const struct insp_container_ref *ref)
{
	const struct insp_container_info *info = insp_container_cache_get(run->c->names, ref);
	struct exp_snapshot *s = run->s;
	struct exp_container *c;

	s->c = xreallocarray(s->c, s->n + 1, sizeof(*s->c));
	run->rc = xreallocarray(run->rc, s->n + 1, sizeof(*run->rc));
	run->rc[s->n] = (struct run_container){ .cg = cg };
	c = memset(&s->c[s->n], 0, sizeof(*c));
	c->id = dup_or_empty(ref->id);
	c->runtime = dup_or_empty(ref->runtime);
	c->name = dup_or_empty(info ? info->name : NULL);
	c->image = dup_or_empty(info ? info->image : NULL);
	c->pod = dup_or_empty(info ? info->pod_name : NULL);
	c->pod_namespace = dup_or_empty(info ? info->pod_namespace : NULL);
	c->k8s_container = dup_or_empty(info ? info->k8s_container : NULL);
	c->posture.read_only_root = -1;
	insp_cgroup_stats_read(cg, 0, &c->st);
	return s->n++;
}

/* The containers of the tree: the outermost cgroup of each makes it. */
static int find_containers(struct run *run, struct insp_cgroup_index *ix)
{
	size_t n = insp_cgroup_tree_count(run->c->tree);

	run->s->cgroups = n;
	for (size_t i = 0; i < n; i++) {
		const struct insp_cgroup *cg = insp_cgroup_tree_at(run->c->tree, i, NULL);
		struct insp_container_ref ref;
		size_t k = run->s->n;

		if (insp_container_from_cgroup_path(insp_cgroup_path(cg), &ref) < 0)
			continue;
		/* A container's inner cgroups follow its outermost one in the walk. */
		while (k > 0 && (strcmp(run->s->c[k - 1].id, ref.id) || strcmp(run->s->c[k - 1].runtime, ref.runtime)))
			k--;
		k = k ? k - 1 : add_container(run, cg, &ref);
		if (insp_cgroup_index_add(ix, cg, k) < 0)
			return -1;
	}
	return 0;
}

static void on_member(size_t number, pid_t pid, struct insp_proc *p, void *data)
{
	struct run *run = data;
	struct exp_container *c = &run->s->c[number];

	(void)pid;
	if (!p)
		return;
	c->processes++;
	/* Members come by pid: the first is the lowest, what enter and inspect would take. */
	if (!run->rc[number].first)
		run->rc[number].first = p;
	for (unsigned t = 0; t < INSP_NS_NTYPES; t++) {
		struct insp_ns *ns = p->ns_ino[t] ? insp_ns_table_find(run->nst, p->ns_ino[t]) : NULL;
		size_t *seen = ns ? &run->ns_seen[ns - insp_ns_table_at(run->nst, 0)] : NULL;

		if (seen && *seen != number + 1) {
			*seen = number + 1;
			c->namespaces++;
		}
	}
}

/* The host's namespaces are kthreadd's: kernel threads never leave the initial ones. */
static void compare_with_host(struct run *run)
{
	struct insp_proc *host = insp_procs_find(run->procs, 2);

	for (size_t i = 0; host && i < run->s->n; i++) {
		struct insp_proc *p = run->rc[i].first;
		struct exp_container *c = &run->s->c[i];

		if (!p || !p->ns_ino[INSP_NS_MNT])
			continue;
		c->ns_known = true;
		for (unsigned t = 0; t < INSP_NS_NTYPES; t++)
			if (p->ns_ino[t] != host->ns_ino[t])
				c->own_ns |= 1u << t;
	}
}

static void read_posture(struct run *run, struct exp_container *c, const struct insp_proc *p)
{
	int r = exp_posture_get(run->c->postures, p, run->now, &c->posture);

	if (r < 0)
		exporter_fault(run->c->errors, EXP_ERR_PROCESS, "pid %d of container %s: %s", (int)p->pid, c->id,
			       strerror(-r));
}

static void read_containers(struct run *run, double deadline)
{
	const unsigned groups = INSP_CGSTAT_MEMORY | INSP_CGSTAT_MEMORY_STAT | INSP_CGSTAT_MEMORY_EVENTS |
				INSP_CGSTAT_PIDS | INSP_CGSTAT_CPU | INSP_CGSTAT_CPU_MAX | INSP_CGSTAT_IO |
				INSP_CGSTAT_PSI;

	for (size_t i = 0; i < run->s->n; i++) {
		struct exp_container *c = &run->s->c[i];

		if (cli_monotonic() > deadline) {
			run->s->partial = true;
			exporter_fault(run->c->errors, EXP_ERR_DEADLINE, "collection stopped at its deadline: %zu of %zu containers read",
				       i, run->s->n);
			return;
		}
		insp_cgroup_stats_read(run->rc[i].cg, groups, &c->st);
		c->stats_read = true;
		if (run->rc[i].first)
			read_posture(run, c, run->rc[i].first);
	}
}

void exp_collect(struct exp_collector *c, double deadline, struct exp_snapshot *out)
{
	double start = cli_monotonic();
	struct run run = { .c = c, .s = out, .now = start };
	struct insp_cgroup_index *ix = NULL;

	memset(out, 0, sizeof(*out));
	out->counters_on = c->ev && insp_events_counters(c->ev, &out->counters, NULL) == 0;
	if (walk_tree(c, out, start) < 0 || scan(&run) < 0 || insp_cgroup_index_new(&ix, c->hs, run.procs) < 0 ||
	    find_containers(&run, ix) < 0) {
		out->failed = true;
	} else {
		insp_cgroup_index_sort(ix, run.procs, on_member, &run);
		compare_with_host(&run);
		read_containers(&run, deadline);
	}
	insp_cgroup_index_free(ix);
	insp_container_cache_sweep(c->names);
	exp_posture_cache_next(c->postures);
	free(run.rc);
	free(run.ns_seen);
	insp_ns_table_free(run.nst);
	insp_procs_free(run.procs);
	out->duration = cli_monotonic() - start;
}

void exp_snapshot_free(struct exp_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct exp_container *c = &s->c[i];

		free(c->id);
		free(c->runtime);
		free(c->name);
		free(c->image);
		free(c->pod);
		free(c->pod_namespace);
		free(c->k8s_container);
		free(c->posture.capabilities);
	}
	free(s->c);
	memset(s, 0, sizeof(*s));
}
