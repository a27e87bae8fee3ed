// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One refresh of nsctl top: one process scan (cgroup ids and namespaces from
 * the task iterator), one walk of the cgroup hierarchies, and the eBPF
 * events of the interval. Processes are placed in rows through the
 * library's cgroup index, so no cgroup.procs is read where eBPF works.
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
#include "procinfo.h"
#include "top.h"
#include "xalloc.h"

#define BIT(c) (1ULL << (c))
#define NEEDS_PROCS (BIT(TC_PROCS) | BIT(TC_NNS) | BIT(TC_NEWNS) | BIT(TC_SETNS))
#define LINKS_MEMO 1024

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
	size_t container_row;	/* containers view: its row in this refresh, SIZE_MAX if none */
	size_t cgroup_row;	/* cgroups view: the row of its cgroup by id, SIZE_MAX if none */
	uint64_t cgroup2_id, cgroup1_id;	/* the caller's cgroups at the call */
	int cgroup1_hierarchy;
	char *cgroups;		/* the caller's /proc/PID/cgroup, NULL if it was gone */
};

/* Without cgroup events (eBPF off, or events dropped), the tree is walked again at least this often. */
#define REWALK_SECONDS 10.0

struct top_collector {
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup_tree *tree;	/* kept open across refreshes, with its files */
	bool walked;
	bool tree_changed;		/* a cgroup was made or removed since that walk */
	double walked_at;
	struct insp_scanner *scanner;	/* NULL without eBPF: scans read /proc */
	struct insp_container_cache *names;
	struct insp_events *ev;
	char events_error[512];
	struct insp_event_counters counters;
	double last_time;
	struct samples prev, cur;
	struct event_rec *events;
	size_t nevents, events_cap;
};

/* A container met in this refresh, and where it shows. */
struct run_container {
	struct insp_container_ref ref;
	size_t info;		/* index into the snapshot's containers */
	size_t row;		/* containers view: its row */
};

struct collect_run {
	struct top_collector *c;
	struct top_snapshot *s;
	enum top_view view;
	uint64_t visible;
	double interval;
	struct insp_procs *procs;
	struct insp_ns_table *nst;	/* namespaces view: the namespaces of procs */
	struct links_seen {
		ino_t ino[INSP_NS_NTYPES];
		size_t row;		/* + 1 */
	} *links_seen;			/* namespaces column: a memo of the sets of links counted, by hash */
	ino_t *inos;			/* a row's links, to count */
	size_t inos_cap;
	struct insp_cgroup_index *index;
	size_t rows_cap;
	struct run_container *containers;
	size_t ncontainers;
	size_t *proc_container;		/* namespaces view: per process, its container + 1 */
	struct members {
		struct insp_proc **v;
		size_t n, cap;
	} *members;			/* containers and cgroups views: per row, its processes */
	size_t members_cap;
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

	if (e->kind == INSP_EVENT_CGROUP_MKDIR || e->kind == INSP_EVENT_CGROUP_RMDIR)
		c->tree_changed = true;
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
	r->cgroup2_id = e->cgroup2_id;
	r->cgroup1_id = e->cgroup1_id;
	r->cgroup1_hierarchy = e->cgroup1_hierarchy;
	r->in_container = insp_container_of_event(c->names, e, &r->container) == 0;
	/* For cgroups the ids do not name (a kernel without them): where the caller is now. */
	if (insp_proc_fill(&p, INSP_PROC_CGROUP, NULL) == 0)
		r->cgroups = xstrdup(p.cgroup_file);
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
	/* A lost event may have been a mkdir or rmdir. */
	if (now.dropped != t->dropped)
		c->tree_changed = true;
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
	}
	r = &s->rows[s->nrows++];
	memset(r, 0, sizeof(*r));
	for (int col = 0; col < NCOLS; col++)
		r->num[col] = NAN;
	/* Members are counted from the scan: none yet. */
	if (run->procs)
		r->num[TC_PROCS] = 0;
	r->name = xstrdup(name);
	return r;
}

static bool wants(const struct collect_run *run, int col)
{
	return run->visible & BIT(col);
}

static double number(uint64_t v)
{
	return v == INSP_CGROUP_UNKNOWN ? NAN : v == INSP_CGROUP_UNLIMITED ? INFINITY : (double)v;
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
	if (!had || interval <= 0 || now < before || now == INSP_CGROUP_UNKNOWN)
		return NAN;
	return (double)(now - before) / interval;
}

static void keep_sample(struct top_collector *c, const char *path, const struct insp_cgroup_stats *st)
{
	if (c->cur.n == c->cur.cap) {
		c->cur.cap = c->cur.cap ? 2 * c->cur.cap : 64;
		c->cur.v = xreallocarray(c->cur.v, c->cur.cap, sizeof(*c->cur.v));
	}
	c->cur.v[c->cur.n++] = (struct sample){ xstrdup(path), st->cpu_usage_usec, st->io_read_bytes,
						st->io_write_bytes };
}

static unsigned stat_groups(const struct collect_run *run)
{
	unsigned g = 0;

	if (wants(run, TC_MEM) || wants(run, TC_MEM_MAX))
		g |= INSP_CGSTAT_MEMORY;
	if (wants(run, TC_PIDS))
		g |= INSP_CGSTAT_PIDS;
	if (wants(run, TC_CPU))
		g |= INSP_CGSTAT_CPU;
	if (wants(run, TC_IO_READ) || wants(run, TC_IO_WRITE))
		g |= INSP_CGSTAT_IO;
	if (wants(run, TC_PSI_CPU) || wants(run, TC_PSI_MEM) || wants(run, TC_PSI_IO))
		g |= INSP_CGSTAT_PSI;
	return g;
}

static double psi_some(const struct insp_cgroup_psi *p)
{
	return p->some.present ? p->some.avg10 : NAN;
}

/* Usage from the library, rates from the last refresh's sample of the same path. */
static void read_usage(struct collect_run *run, const struct insp_cgroup *cg, struct top_row *r)
{
	const char *path = insp_cgroup_path(cg);
	const struct sample *before = find_sample(&run->c->prev, path);
	struct insp_cgroup_stats st;

	insp_cgroup_stats_read(cg, stat_groups(run), &st);
	r->num[TC_MEM] = number(st.memory_current);
	r->num[TC_MEM_MAX] = number(st.memory_max);
	r->num[TC_PIDS] = number(st.pids_current);
	r->num[TC_CPU] = rate(run->interval, before && before->cpu_us != INSP_CGROUP_UNKNOWN,
			      before ? before->cpu_us : 0, st.cpu_usage_usec) / 1e4;
	r->num[TC_IO_READ] = rate(run->interval, before && before->io_read != INSP_CGROUP_UNKNOWN,
				  before ? before->io_read : 0, st.io_read_bytes);
	r->num[TC_IO_WRITE] = rate(run->interval, before && before->io_write != INSP_CGROUP_UNKNOWN,
				   before ? before->io_write : 0, st.io_write_bytes);
	r->num[TC_PSI_CPU] = psi_some(&st.psi_cpu);
	r->num[TC_PSI_MEM] = psi_some(&st.psi_memory);
	r->num[TC_PSI_IO] = psi_some(&st.psi_io);
	if (st.cpu_usage_usec != INSP_CGROUP_UNKNOWN || st.io_read_bytes != INSP_CGROUP_UNKNOWN)
		keep_sample(run->c, path, &st);
}

/* ---- containers */

static size_t container_index(const struct collect_run *run, const struct insp_container_ref *ref)
{
	for (size_t i = 0; i < run->ncontainers; i++)
		if (strcmp(run->containers[i].ref.id, ref->id) == 0 &&
		    strcmp(run->containers[i].ref.runtime, ref->runtime) == 0)
			return i;
	return SIZE_MAX;
}

/* The container's index in the run, met for the first time or not; its identity is copied once. */
static size_t container_find_or_add(struct collect_run *run, const struct insp_container_ref *ref, bool *added)
{
	struct top_snapshot *s = run->s;
	const struct insp_container_info *info;
	size_t i = container_index(run, ref);

	*added = i == SIZE_MAX;
	if (!*added)
		return i;
	info = insp_container_cache_get(run->c->names, ref);
	s->containers = xreallocarray(s->containers, s->ncontainers + 1, sizeof(*s->containers));
	s->containers[s->ncontainers] = xmemdup(info, sizeof(*info));
	run->containers = xreallocarray(run->containers, run->ncontainers + 1, sizeof(*run->containers));
	run->containers[run->ncontainers] = (struct run_container){ .ref = *ref, .info = s->ncontainers++ };
	return run->ncontainers++;
}

/* A row's container cells: the label, image and short id, and the object JSON prints. */
static void set_container(struct collect_run *run, struct top_row *r, size_t container)
{
	const struct insp_container_info *c = run->s->containers[run->containers[container].info];
	char buf[320];

	r->info = c;
	r->container = xstrdup(container_label(c, buf, sizeof(buf)));
	if (c->image[0])
		r->image = xstrdup(c->image);
	if (insp_container_short(&c->ref, buf, sizeof(buf)) == 0)
		r->id = xstrdup(strchr(buf, ':') + 1);
}

/* Containers view: the first (outermost) cgroup of a container makes its row. */
static size_t container_row(struct collect_run *run, const struct insp_cgroup *cg, const struct insp_container_ref *ref)
{
	bool added;
	size_t i = container_find_or_add(run, ref, &added);
	struct top_row *r;

	if (!added)
		return run->containers[i].row;
	run->containers[i].row = run->s->nrows;
	r = add_row(run, "");
	set_container(run, r, i);
	free(r->name);
	r->name = xstrdup(r->info->name[0] ? r->info->name : r->id ? r->id : ref->id);
	r->target = xstrdup(r->container);
	r->cgroup = xstrdup(insp_cgroup_path(cg));
	read_usage(run, cg, r);
	return run->containers[i].row;
}

static int visit_cgroup(const struct insp_cgroup *cg, unsigned depth, void *data)
{
	struct collect_run *run = data;
	struct insp_container_ref ref;
	bool is_container = insp_container_from_cgroup_path(insp_cgroup_path(cg), &ref) == 0, added;
	size_t number = SIZE_MAX;

	run->s->totals.cgroups++;
	if (run->view == VIEW_CGROUPS) {
		struct top_row *r = add_row(run, insp_cgroup_path(cg));

		r->depth = depth;
		if (is_container)
			set_container(run, r, container_find_or_add(run, &ref, &added));
		read_usage(run, cg, r);
		number = run->s->nrows - 1;
	} else if (is_container && run->view == VIEW_CONTAINERS) {
		number = container_row(run, cg, &ref);
	} else if (is_container) {
		number = container_find_or_add(run, &ref, &added);
	}
	if (number != SIZE_MAX && run->procs)
		return insp_cgroup_index_add(run->index, cg, number);
	return 0;
}

/* ---- membership */

static void add_member(struct collect_run *run, size_t row, struct insp_proc *p)
{
	struct members *m;

	if (row >= run->members_cap) {
		size_t cap = row + 64;

		run->members = xreallocarray(run->members, cap, sizeof(*run->members));
		memset(run->members + run->members_cap, 0, (cap - run->members_cap) * sizeof(*run->members));
		run->members_cap = cap;
	}
	m = &run->members[row];
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
	}
	m->v[m->n++] = p;
}

static void on_member(size_t number, pid_t pid, struct insp_proc *p, void *data)
{
	struct collect_run *run = data;

	/* A pid cgroup.procs lists but the scan missed started since: the next refresh has it. */
	(void)pid;
	if (!p)
		return;
	if (run->view == VIEW_NAMESPACES)
		run->proc_container[p - insp_procs_at(run->procs, 0)] = number + 1;
	else
		add_member(run, number, p);
}

/* True when a process of this row with the same namespaces was counted already (the memo may forget). */
static bool links_counted(struct collect_run *run, size_t row, const struct insp_proc *p)
{
	uint64_t h = 0;
	struct links_seen *seen;

	for (unsigned t = 0; t < INSP_NS_NTYPES; t++)
		h = (h ^ p->ns_ino[t]) * 0x9e3779b97f4a7c15ULL;
	seen = &run->links_seen[(h >> 32) & (LINKS_MEMO - 1)];
	if (seen->row == row + 1 && !memcmp(seen->ino, p->ns_ino, sizeof(seen->ino)))
		return true;
	seen->row = row + 1;
	memcpy(seen->ino, p->ns_ino, sizeof(seen->ino));
	return false;
}

static int by_ino(const void *a, const void *b)
{
	ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;

	return (x > y) - (x < y);
}

/*
 * A row's processes and their distinct namespaces: the links of each set of
 * links met in the row (most of a container's processes share one), sorted
 * and counted once each.
 */
static void count_members(struct collect_run *run, size_t row)
{
	struct top_row *r = &run->s->rows[row];
	const struct members *m = row < run->members_cap ? &run->members[row] : NULL;
	size_t n = 0;

	for (size_t i = 0; m && i < m->n; i++) {
		struct insp_proc *p = m->v[i];

		r->num[TC_PROCS]++;
		/* The lowest pid comes first: it is what enter and inspect get. */
		if (!r->target)
			r->target = xasprintf("%d", (int)p->pid);
		if (!run->links_seen || links_counted(run, row, p))
			continue;
		if (n + INSP_NS_NTYPES > run->inos_cap) {
			run->inos_cap = 2 * (n + INSP_NS_NTYPES);
			run->inos = xreallocarray(run->inos, run->inos_cap, sizeof(*run->inos));
		}
		for (unsigned t = 0; t < INSP_NS_NTYPES; t++)
			if (p->ns_ino[t])
				run->inos[n++] = p->ns_ino[t];
	}
	if (!run->links_seen || !m || !m->n)
		return;
	qsort(run->inos, n, sizeof(*run->inos), by_ino);
	r->num[TC_NNS] = 0;
	for (size_t i = 0; i < n; i++)
		r->num[TC_NNS] += !i || run->inos[i] != run->inos[i - 1];
}

/* ---- events */

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
		return e->container_row == row;
	case VIEW_CGROUPS:
		if (e->cgroup_row != SIZE_MAX)
			return e->cgroup_row == row;
		return e->cgroups && cgroup_file_has(e->cgroups, r->name);
	default:
		return (e->types & (1u << r->type)) && e->ino[r->type] == r->ns_ino;
	}
}

static void event_rates(struct collect_run *run)
{
	for (size_t i = 0; i < run->c->nevents; i++) {
		struct event_rec *e = &run->c->events[i];
		size_t k = e->in_container ? container_index(run, &e->container) : SIZE_MAX;

		e->container_row = k != SIZE_MAX && run->view == VIEW_CONTAINERS ? run->containers[k].row : SIZE_MAX;
		e->cgroup_row = SIZE_MAX;
		if (run->view == VIEW_CGROUPS && run->index &&
		    insp_cgroup_index_find(run->index, e->cgroup1_hierarchy, e->cgroup1_id, &e->cgroup_row) < 0)
			insp_cgroup_index_find(run->index, 0, e->cgroup2_id, &e->cgroup_row);
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

static void namespace_rows(struct collect_run *run)
{
	struct insp_proc *base = insp_procs_at(run->procs, 0);
	size_t n = insp_ns_table_count(run->nst);

	for (size_t i = 0; i < n; i++) {
		const struct insp_ns *ns = insp_ns_table_at(run->nst, i);
		size_t container;
		struct top_row *r;
		char name[32];

		if (!ns->proc)
			continue;
		snprintf(name, sizeof(name), "%lu", (unsigned long)ns->ino);
		r = add_row(run, name);
		r->type = ns->type;
		r->ns_ino = ns->ino;
		r->ns_id = ns->id;
		r->num[TC_PROCS] = ns->nprocs;
		r->num[TC_PID] = ns->proc->pid;
		r->command = xstrdup(ns->proc->comm);
		r->target = xasprintf("%d", (int)ns->proc->pid);
		if ((container = run->proc_container[ns->proc - base]))
			set_container(run, r, container - 1);
		run->s->totals.namespaces++;
	}
}

/* ---- the cgroup tree, walked only when it may have changed */

static int walk_tree(struct top_collector *c, double now)
{
	int r;

	if (c->walked && c->ev && !c->tree_changed && now - c->walked_at < REWALK_SECONDS)
		return 0;
	if ((r = insp_cgroup_tree_walk(c->tree, NULL)) < 0)
		return r;
	c->walked = true;
	c->tree_changed = false;
	c->walked_at = now;
	return 0;
}

/* ---- a refresh */

static int scan_procs(struct collect_run *run)
{
	/* Names (comm) only where the view shows them: the namespaces view. */
	struct insp_scan_opts opts = { .backend = INSP_BACKEND_AUTO,
				       .fields = INSP_PROC_NS | INSP_PROC_CGROUP_IDS |
						 (run->view == VIEW_NAMESPACES ? INSP_PROC_STAT : 0),
				       .ns_slots = (1u << INSP_NS_NTYPES) - 1,
				       .scanner = run->c->scanner };
	int r;

	if (run->view != VIEW_NAMESPACES && !(run->visible & NEEDS_PROCS))
		return 0;
	if ((r = insp_procs_scan(&run->procs, &opts, NULL)) < 0)
		return r;
	run->s->totals.procs = insp_procs_count(run->procs);
	if (run->view == VIEW_NAMESPACES) {
		if ((r = insp_ns_table_build(&run->nst, run->procs, INSP_NS_WANT_ID, NULL)) < 0)
			return r;
		run->proc_container = xcalloc(insp_procs_count(run->procs) + 1, sizeof(*run->proc_container));
	} else if (wants(run, TC_NNS)) {
		run->links_seen = xcalloc(LINKS_MEMO, sizeof(*run->links_seen));
	}
	return insp_cgroup_index_new(&run->index, run->c->hs, run->procs);
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

static void run_free(struct collect_run *run)
{
	for (size_t i = 0; i < run->members_cap; i++)
		free(run->members[i].v);
	free(run->members);
	insp_cgroup_index_free(run->index);
	free(run->containers);
	free(run->proc_container);
	insp_ns_table_free(run->nst);
	free(run->links_seen);
	free(run->inos);
	insp_procs_free(run->procs);
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
		r = walk_tree(c, now);
	for (size_t i = 0; r == 0 && i < insp_cgroup_tree_count(c->tree); i++) {
		unsigned depth;
		struct insp_cgroup *cg = insp_cgroup_tree_at(c->tree, i, &depth);

		r = visit_cgroup(cg, depth, &run);
	}
	if (r == 0 && run.index)
		insp_cgroup_index_sort(run.index, run.procs, on_member, &run);
	for (size_t i = 0; r == 0 && view != VIEW_NAMESPACES && i < out->nrows; i++)
		count_members(&run, i);
	if (r == 0 && view == VIEW_NAMESPACES)
		namespace_rows(&run);
	out->totals.containers = run.ncontainers;
	if (r == 0)
		event_rates(&run);
	swap_samples(c);
	clear_events(c);
	insp_container_cache_sweep(c->names);
	run_free(&run);
	return r;
}

void top_snapshot_free(struct top_snapshot *s)
{
	for (size_t i = 0; i < s->nrows; i++) {
		free(s->rows[i].name);
		free(s->rows[i].command);
		free(s->rows[i].container);
		free(s->rows[i].image);
		free(s->rows[i].id);
		free(s->rows[i].cgroup);
		free(s->rows[i].target);
	}
	for (size_t i = 0; i < s->ncontainers; i++)
		free(s->containers[i]);
	free(s->containers);
	free(s->rows);
	memset(s, 0, sizeof(*s));
}

struct top_collector *top_collector_new(bool with_events, const char *state_root)
{
	struct top_collector *c = xcalloc(1, sizeof(*c));
	struct insp_error err = { 0 };

	if (insp_cgroup_hierarchies_read(&c->hs, &err) < 0 || insp_cgroup_tree_new(c->hs, &c->tree, &err) < 0 ||
	    insp_container_cache_new(&c->names, state_root, &err) < 0) {
		insp_cgroup_tree_free(c->tree);
		insp_cgroup_hierarchies_free(c->hs);
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
	insp_cgroup_tree_free(c->tree);
	insp_events_close(c->ev);
	insp_scanner_close(c->scanner);
	insp_container_cache_free(c->names);
	insp_cgroup_hierarchies_free(c->hs);
	free(c);
}
