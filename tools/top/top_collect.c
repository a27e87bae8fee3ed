// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One refresh of nsctl top: one walk of the cgroup hierarchies, one process
 * scan when a column needs namespaces, and the eBPF events of the interval.
 * Rates come from the previous refresh's counters; a counter that went
 * backwards (a cgroup removed and made again) gives no rate rather than a
 * wrong one.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <inspect/cgroup.h>
#include <inspect/container.h>
#include <inspect/ns.h>
#include <inspect/proc.h>

#include "cli.h"
#include "top.h"
#include "xalloc.h"

#define BIT(c) (1ULL << (c))
#define NEEDS_PROCS (BIT(TC_PROCS) | BIT(TC_NNS) | BIT(TC_NEWNS) | BIT(TC_SETNS))

/* A counter read at the last refresh, by cgroup path. */
struct sample {
	char *path;
	uint64_t cpu_us, io_read, io_write;
};

struct samples {
	struct sample *v;
	size_t n, cap;
};

/* A namespace event of the interval, placed when it arrived (its caller may exit soon after). */
struct event_rec {
	bool setns;
	unsigned types;
	ino_t ino[INSP_NS_NTYPES];
	bool in_container;
	struct insp_container_ref container;
	size_t container_row;	/* containers view: index into the run's containers */
	char *cgroups;		/* the caller's /proc/PID/cgroup, NULL if it was gone */
};

struct top_collector {
	struct insp_cgroup_hierarchies *hs;
	struct insp_scanner *scanner;	/* NULL without eBPF: scans read /proc */
	struct insp_events *ev;
	char events_error[512];
	struct insp_event_counters counters;
	double last_time;
	struct samples prev, cur;
	struct event_rec *events;
	size_t nevents, events_cap;
};

struct collect_run {
	struct top_collector *c;
	struct top_snapshot *s;
	enum top_view view;
	uint64_t visible;
	double interval;
	struct insp_procs *procs;	/* NULL unless a column needs namespaces */
	struct insp_ns_table *nst;	/* the namespaces of procs */
	size_t *ns_seen;		/* per namespace of nst: the last row (+1) that counted it */
	size_t rows_cap;
	struct {
		struct insp_container_ref ref;
		size_t row;
		pid_t *pids;
		size_t npids;
	} *containers;
	size_t ncontainers;
	pid_t **row_pids;	/* containers and cgroups views: processes per row */
	size_t *row_npids;
};

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

/* ---- events */

static int keep_event(const struct insp_event *e, void *data)
{
	struct top_collector *c = data;
	struct event_rec *r;
	struct insp_proc p = { .pid = e->pid };

	if (e->kind >= INSP_EVENT_CGROUP_MKDIR || e->result < 0 || !e->types)
		return 0;
	if (c->nevents == c->events_cap) {
		c->events_cap = c->events_cap ? 2 * c->events_cap : 64;
		c->events = xreallocarray(c->events, c->events_cap, sizeof(*c->events));
	}
	r = &c->events[c->nevents++];
	memset(r, 0, sizeof(*r));
	r->setns = e->kind == INSP_EVENT_SETNS;
	r->types = e->types;
	memcpy(r->ino, e->ns_ino, sizeof(r->ino));
	if (insp_proc_fill(&p, INSP_PROC_CGROUP, NULL) == 0) {
		r->cgroups = xstrdup(p.cgroup_file);
		r->in_container = insp_container_from_cgroup_file(p.cgroup_file, &r->container) == 0;
	}
	insp_proc_release(&p);
	return 0;
}

int top_collector_events_fd(const struct top_collector *c)
{
	return c->ev ? insp_events_fd(c->ev) : -1;
}

int top_collector_events_timeout(const struct top_collector *c, int timeout_ms)
{
	return c->ev ? insp_events_timeout(c->ev, timeout_ms) : timeout_ms;
}

void top_collector_drain(struct top_collector *c)
{
	if (c->ev)
		insp_events_poll(c->ev, 0, keep_event, c, NULL);
}

static void clear_events(struct top_collector *c)
{
	for (size_t i = 0; i < c->nevents; i++)
		free(c->events[i].cgroups);
	c->nevents = 0;
}

static void host_rates(struct collect_run *run)
{
	struct top_collector *c = run->c;
	struct top_totals *t = &run->s->totals;
	struct insp_event_counters now;

	t->events_on = c->ev != NULL;
	memcpy(t->events_error, c->events_error, sizeof(t->events_error));
	for (int i = 0; i < INSP_NS_NTYPES; i++)
		t->created_rate[i] = t->entered_rate[i] = NAN;
	if (!c->ev || insp_events_counters(c->ev, &now, NULL) < 0)
		return;
	t->dropped = now.dropped;
	for (int i = 0; i < INSP_NS_NTYPES && run->interval > 0; i++) {
		t->created_rate[i] = (double)(now.created[i] - c->counters.created[i]) / run->interval;
		t->entered_rate[i] = (double)(now.entered[i] - c->counters.entered[i]) / run->interval;
	}
	c->counters = now;
}

/* ---- rows */

static struct top_row *add_row(struct collect_run *run, const char *name)
{
	struct top_snapshot *s = run->s;
	struct top_row *r;

	if (s->nrows == run->rows_cap) {
		run->rows_cap = run->rows_cap ? 2 * run->rows_cap : 64;
		s->rows = xreallocarray(s->rows, run->rows_cap, sizeof(*s->rows));
		run->row_pids = xreallocarray(run->row_pids, run->rows_cap, sizeof(*run->row_pids));
		run->row_npids = xreallocarray(run->row_npids, run->rows_cap, sizeof(*run->row_npids));
	}
	r = &s->rows[s->nrows];
	memset(r, 0, sizeof(*r));
	for (int col = 0; col < NCOLS; col++)
		r->num[col] = NAN;
	r->name = xstrdup(name);
	run->row_pids[s->nrows] = NULL;
	run->row_npids[s->nrows] = 0;
	s->nrows++;
	return r;
}

static bool wants(const struct collect_run *run, int col)
{
	return run->visible & BIT(col);
}

static double limit_value(const char *text)
{
	return strncmp(text, "max", 3) == 0 ? INFINITY : strtod(text, NULL);
}

static bool get_number(const struct insp_cgroup *cg, const char *knob, double *out)
{
	char *v = NULL;
	bool ok = insp_cgroup_get(cg, knob, &v, NULL) == 0 && v[0];

	if (ok)
		*out = limit_value(v);
	free(v);
	return ok;
}

static void sum_io(const char *text, uint64_t *rbytes, uint64_t *wbytes)
{
	const char *p;

	*rbytes = *wbytes = 0;
	for (p = text; (p = strstr(p, "bytes=")); p += 6) {
		uint64_t v = strtoull(p + 6, NULL, 10);

		if (p >= text + 1 && p[-1] == 'r')
			*rbytes += v;
		else if (p >= text + 1 && p[-1] == 'w')
			*wbytes += v;
	}
}

static struct sample *find_sample(struct samples *ss, const char *path)
{
	size_t lo = 0, hi = ss->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(ss->v[mid].path, path);

		if (!cmp)
			return &ss->v[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A per-second rate of a counter since the last refresh; NAN when it has none or went back. */
static double rate(double interval, bool had, uint64_t before, uint64_t now)
{
	if (!had || interval <= 0 || now < before)
		return NAN;
	return (double)(now - before) / interval;
}

static void read_counters(struct collect_run *run, const struct insp_cgroup *cg, struct top_row *r)
{
	struct top_collector *c = run->c;
	const char *path = insp_cgroup_path(cg);
	const struct sample *before = find_sample(&c->prev, path);
	struct sample now = { 0 };
	char *text = NULL;
	bool have_cpu = false, have_io = false;

	if (wants(run, TC_CPU) && insp_cgroup_get(cg, "cpu.stat", &text, NULL) == 0)
		have_cpu = insp_cgroup_keyed(text, "usage_usec", &now.cpu_us) == 0;
	free(text);
	text = NULL;
	if ((wants(run, TC_IO_READ) || wants(run, TC_IO_WRITE)) && insp_cgroup_get(cg, "io.stat", &text, NULL) == 0) {
		sum_io(text, &now.io_read, &now.io_write);
		have_io = true;
	}
	free(text);
	if (have_cpu)
		r->num[TC_CPU] = rate(run->interval, before && before->cpu_us, before ? before->cpu_us : 0, now.cpu_us) / 1e4;
	if (have_io) {
		r->num[TC_IO_READ] = rate(run->interval, before != NULL, before ? before->io_read : 0, now.io_read);
		r->num[TC_IO_WRITE] = rate(run->interval, before != NULL, before ? before->io_write : 0, now.io_write);
	}
	if (!have_cpu && !have_io)
		return;
	if (c->cur.n == c->cur.cap) {
		c->cur.cap = c->cur.cap ? 2 * c->cur.cap : 64;
		c->cur.v = xreallocarray(c->cur.v, c->cur.cap, sizeof(*c->cur.v));
	}
	now.path = xstrdup(path);
	c->cur.v[c->cur.n++] = now;
}

static void read_psi(const struct insp_cgroup *cg, const char *knob, double *out)
{
	struct insp_cgroup_psi psi;
	char *text = NULL;

	if (insp_cgroup_get(cg, knob, &text, NULL) == 0 && insp_cgroup_psi_parse(text, &psi) == 0 &&
	    psi.some.present)
		*out = psi.some.avg10;
	free(text);
}

static void read_usage(struct collect_run *run, const struct insp_cgroup *cg, struct top_row *r)
{
	read_counters(run, cg, r);
	if (wants(run, TC_MEM))
		get_number(cg, "memory.current", &r->num[TC_MEM]);
	if (wants(run, TC_MEM_MAX))
		get_number(cg, "memory.max", &r->num[TC_MEM_MAX]);
	if (wants(run, TC_PIDS))
		get_number(cg, "pids.current", &r->num[TC_PIDS]);
	if (wants(run, TC_PSI_CPU))
		read_psi(cg, "cpu.pressure", &r->num[TC_PSI_CPU]);
	if (wants(run, TC_PSI_MEM))
		read_psi(cg, "memory.pressure", &r->num[TC_PSI_MEM]);
	if (wants(run, TC_PSI_IO))
		read_psi(cg, "io.pressure", &r->num[TC_PSI_IO]);
}

static void append_pids(pid_t **v, size_t *n, const pid_t *add, size_t nadd)
{
	if (!nadd)
		return;
	*v = xreallocarray(*v, *n + nadd, sizeof(**v));
	memcpy(*v + *n, add, nadd * sizeof(*add));
	*n += nadd;
}

static size_t container_index(struct collect_run *run, const struct insp_container_ref *ref)
{
	for (size_t i = 0; i < run->ncontainers; i++)
		if (strcmp(run->containers[i].ref.id, ref->id) == 0 &&
		    strcmp(run->containers[i].ref.runtime, ref->runtime) == 0)
			return i;
	return SIZE_MAX;
}

/* The container's index in the run; *added when this call made it. */
static size_t container_find_or_add(struct collect_run *run, const struct insp_container_ref *ref, bool *added)
{
	size_t i = container_index(run, ref);

	*added = i == SIZE_MAX;
	if (!*added)
		return i;
	run->containers = xreallocarray(run->containers, run->ncontainers + 1, sizeof(*run->containers));
	i = run->ncontainers++;
	memset(&run->containers[i], 0, sizeof(run->containers[i]));
	run->containers[i].ref = *ref;
	return i;
}

/* Containers view: the first (outermost) cgroup of a container makes its row. */
static void visit_container(struct collect_run *run, const struct insp_cgroup *cg,
			    const struct insp_container_ref *ref, const pid_t *pids, size_t npids)
{
	bool added;
	size_t i = container_find_or_add(run, ref, &added);
	char shortname[160];

	if (added) {
		struct top_row *r;

		insp_container_short(ref, shortname, sizeof(shortname));
		run->containers[i].row = run->s->nrows;
		r = add_row(run, shortname);
		r->target = xstrdup(shortname);
		r->container = xstrdup(insp_cgroup_path(cg));
		read_usage(run, cg, r);
	}
	append_pids(&run->row_pids[run->containers[i].row], &run->row_npids[run->containers[i].row], pids, npids);
}

static int visit_cgroup(const struct insp_cgroup *cg, unsigned depth, void *data)
{
	struct collect_run *run = data;
	struct insp_container_ref ref;
	bool is_container = insp_container_from_cgroup_path(insp_cgroup_path(cg), &ref) == 0;
	pid_t *pids = NULL;
	size_t npids = 0;

	run->s->totals.cgroups++;
	if ((run->view == VIEW_CGROUPS && (run->visible & NEEDS_PROCS)) || is_container)
		insp_cgroup_procs(cg, &pids, &npids);
	if (run->view == VIEW_CGROUPS) {
		struct top_row *r = add_row(run, insp_cgroup_path(cg));
		char shortname[160];

		r->depth = depth;
		if (is_container && insp_container_short(&ref, shortname, sizeof(shortname)) == 0)
			r->container = xstrdup(shortname);
		read_usage(run, cg, r);
		append_pids(&run->row_pids[run->s->nrows - 1], &run->row_npids[run->s->nrows - 1], pids, npids);
	} else if (is_container) {
		if (run->view == VIEW_CONTAINERS) {
			visit_container(run, cg, &ref, pids, npids);
		} else {
			bool added;
			size_t i = container_find_or_add(run, &ref, &added);

			append_pids(&run->containers[i].pids, &run->containers[i].npids, pids, npids);
		}
	}
	free(pids);
	return 0;
}

static int by_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* PROCS (each process once, though hierarchies list it apart) and NS of one row. */
static void count_procs(struct collect_run *run, size_t row)
{
	pid_t *pids = run->row_pids[row];
	size_t n = run->row_npids[row], unique = 0, distinct = 0;

	if (n)
		qsort(pids, n, sizeof(*pids), by_pid);
	for (size_t i = 0; i < n; i++)
		if (!unique || pids[unique - 1] != pids[i])
			pids[unique++] = pids[i];
	run->row_npids[row] = unique;
	run->s->rows[row].num[TC_PROCS] = (double)unique;
	if (!run->s->rows[row].target && unique)
		run->s->rows[row].target = xasprintf("%d", (int)pids[0]);
	if (!run->nst)
		return;
	for (size_t i = 0; i < unique; i++) {
		struct insp_proc *p = insp_procs_find(run->procs, pids[i]);

		for (unsigned t = 0; p && t < INSP_NS_NTYPES; t++) {
			struct insp_ns *ns = p->ns_ino[t] ? insp_ns_table_find(run->nst, p->ns_ino[t]) : NULL;
			size_t *seen = ns ? &run->ns_seen[ns - insp_ns_table_at(run->nst, 0)] : NULL;

			if (!seen || *seen == row + 1)
				continue;
			*seen = row + 1;
			distinct++;
		}
	}
	run->s->rows[row].num[TC_NNS] = unique ? (double)distinct : NAN;
}

static bool cgroup_file_has(const char *cgroups, const char *path)
{
	size_t len = strlen(path);

	for (const char *line = cgroups; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *p = strchr(line, ':');

		if (p && (p = strchr(p + 1, ':')) && strncmp(p + 1, path, len) == 0 &&
		    (p[1 + len] == '\n' || p[1 + len] == '\0'))
			return true;
	}
	return false;
}

static void add_event(struct top_row *r, const struct event_rec *e)
{
	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (e->types & (1u << t))
			(e->setns ? r->setns_by_type : r->new_by_type)[t]++;
}

static bool event_in_row(const struct collect_run *run, size_t row, const struct event_rec *e)
{
	const struct top_row *r = &run->s->rows[row];

	switch (run->view) {
	case VIEW_CONTAINERS:
		return e->in_container && run->containers[e->container_row].row == row;
	case VIEW_CGROUPS:
		return e->cgroups && cgroup_file_has(e->cgroups, r->name);
	default:
		return (e->types & (1u << r->type)) && e->ino[r->type] == (ino_t)r->num[TC_NAME];
	}
}

static void event_rates(struct collect_run *run)
{
	for (size_t i = 0; i < run->c->nevents; i++) {
		struct event_rec *e = &run->c->events[i];

		if (e->in_container && run->view == VIEW_CONTAINERS) {
			e->container_row = container_index(run, &e->container);
			e->in_container = e->container_row != SIZE_MAX;
		}
	}
	for (size_t row = 0; row < run->s->nrows; row++) {
		struct top_row *r = &run->s->rows[row];
		unsigned created = 0, entered = 0;

		for (size_t i = 0; i < run->c->nevents; i++)
			if (event_in_row(run, row, &run->c->events[i]))
				add_event(r, &run->c->events[i]);
		for (int t = 0; t < INSP_NS_NTYPES; t++) {
			created += r->new_by_type[t];
			entered += r->setns_by_type[t];
		}
		if (run->c->ev && run->interval > 0) {
			r->num[TC_NEWNS] = created / run->interval;
			r->num[TC_SETNS] = entered / run->interval;
		}
	}
}

/* ---- the namespaces view */

static const struct insp_container_ref *container_of_pid(const struct collect_run *run, pid_t pid)
{
	for (size_t i = 0; i < run->ncontainers; i++)
		if (run->containers[i].npids && bsearch(&pid, run->containers[i].pids, run->containers[i].npids, sizeof(pid_t), by_pid))
			return &run->containers[i].ref;
	return NULL;
}

static void namespace_rows(struct collect_run *run)
{
	size_t n = insp_ns_table_count(run->nst);

	for (size_t i = 0; i < run->ncontainers; i++)
		if (run->containers[i].npids)
			qsort(run->containers[i].pids, run->containers[i].npids, sizeof(pid_t), by_pid);
	for (size_t i = 0; i < n; i++) {
		const struct insp_ns *ns = insp_ns_table_at(run->nst, i);
		const struct insp_container_ref *ref;
		struct top_row *r;
		char name[32];

		if (!ns->proc)
			continue;
		snprintf(name, sizeof(name), "%lu", (unsigned long)ns->ino);
		r = add_row(run, name);
		r->type = ns->type;
		r->num[TC_NAME] = (double)ns->ino;
		r->num[TC_PROCS] = ns->nprocs;
		r->num[TC_PID] = ns->proc->pid;
		r->command = xstrdup(ns->proc->comm);
		r->target = xasprintf("%d", (int)ns->proc->pid);
		if ((ref = container_of_pid(run, ns->proc->pid))) {
			char shortname[160];

			insp_container_short(ref, shortname, sizeof(shortname));
			r->container = xstrdup(shortname);
		}
		run->s->totals.namespaces++;
	}
}

/* The namespaces of this refresh's processes, each found by its inode. */
static int index_namespaces(struct collect_run *run)
{
	int r;

	if (!run->procs)
		return 0;
	r = insp_ns_table_build(&run->nst, run->procs, 0, NULL);
	if (r < 0)
		return r;
	run->ns_seen = xcalloc(insp_ns_table_count(run->nst) + 1, sizeof(*run->ns_seen));
	return 0;
}

/* ---- a refresh */

static int scan_procs(struct collect_run *run)
{
	struct insp_scan_opts opts = { .backend = INSP_BACKEND_AUTO,
				       .fields = INSP_PROC_NS | INSP_PROC_STAT,
				       .ns_slots = (1u << INSP_NS_NTYPES) - 1,
				       .scanner = run->c->scanner };

	if (run->view != VIEW_NAMESPACES && !wants(run, TC_NNS))
		return 0;
	return insp_procs_scan(&run->procs, &opts, NULL);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct sample *)a)->path, ((const struct sample *)b)->path);
}

static void swap_samples(struct top_collector *c)
{
	for (size_t i = 0; i < c->prev.n; i++)
		free(c->prev.v[i].path);
	free(c->prev.v);
	c->prev = c->cur;
	c->cur = (struct samples){ 0 };
	if (c->prev.n)
		qsort(c->prev.v, c->prev.n, sizeof(*c->prev.v), by_path);
}

int top_collect(struct top_collector *c, enum top_view view, uint64_t visible, struct top_snapshot *out)
{
	struct collect_run run = { .c = c, .s = out, .view = view, .visible = visible };
	double now = cli_monotonic();
	int r;

	memset(out, 0, sizeof(*out));
	out->view = view;
	out->time_ns = realtime_ns();
	run.interval = c->last_time ? now - c->last_time : 0;
	out->totals.interval = run.interval;
	c->last_time = now;
	top_collector_drain(c);
	host_rates(&run);
	r = scan_procs(&run);
	if (r == 0)
		r = index_namespaces(&run);
	if (r < 0) {
		insp_procs_free(run.procs);
		return r;
	}
	if (run.procs)
		out->totals.procs = insp_procs_count(run.procs);
	r = insp_cgroup_walk(c->hs, "/", -1, visit_cgroup, &run, NULL);
	if (r == 0 && view == VIEW_NAMESPACES)
		namespace_rows(&run);
	if (r == 0 && view != VIEW_NAMESPACES)
		for (size_t i = 0; i < out->nrows; i++)
			count_procs(&run, i);
	out->totals.containers = run.ncontainers;
	if (r == 0)
		event_rates(&run);
	swap_samples(c);
	clear_events(c);
	for (size_t i = 0; i < run.ncontainers; i++)
		free(run.containers[i].pids);
	free(run.containers);
	for (size_t i = 0; i < out->nrows; i++)
		free(run.row_pids[i]);
	free(run.row_pids);
	free(run.row_npids);
	insp_ns_table_free(run.nst);
	free(run.ns_seen);
	insp_procs_free(run.procs);
	return r;
}

void top_snapshot_free(struct top_snapshot *s)
{
	for (size_t i = 0; i < s->nrows; i++) {
		free(s->rows[i].name);
		free(s->rows[i].command);
		free(s->rows[i].container);
		free(s->rows[i].target);
	}
	free(s->rows);
	memset(s, 0, sizeof(*s));
}

struct top_collector *top_collector_new(bool with_events)
{
	struct top_collector *c = xcalloc(1, sizeof(*c));
	struct insp_error err = { 0 };

	if (insp_cgroup_hierarchies_read(&c->hs, &err) < 0) {
		free(c);
		errno = err.code;
		return NULL;
	}
	insp_scanner_open(&c->scanner, NULL);
	if (!with_events)
		snprintf(c->events_error, sizeof(c->events_error), "off (--no-bpf)");
	else if (insp_events_open(&c->ev, NULL, &err) < 0)
		snprintf(c->events_error, sizeof(c->events_error), "%s", err.msg);
	else
		insp_events_counters(c->ev, &c->counters, NULL);
	return c;
}

void top_collector_free(struct top_collector *c)
{
	if (!c)
		return;
	clear_events(c);
	free(c->events);
	swap_samples(c);
	swap_samples(c);
	insp_events_close(c->ev);
	insp_scanner_close(c->scanner);
	insp_cgroup_hierarchies_free(c->hs);
	free(c);
}
