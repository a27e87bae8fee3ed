// SPDX-License-Identifier: GPL-2.0-or-later
/* What each view of nsctl top shows, and how a cell reads, sorts and filters. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "top.h"
#include "units.h"

const struct top_column top_columns[NCOLS] = {
	[TC_NAME] = { "NAME", "name", "container name, cgroup path or namespace inode", -28, true },
	[TC_IMAGE] = { "IMAGE", "image", "the container's image", -20, true },
	[TC_ID] = { "ID", "id", "the container's id (12 digits; JSON: all of it)", -12, true },
	[TC_TYPE] = { "TYPE", "type", "namespace type", -6, true },
	[TC_PROCS] = { "PROCS", "procs", "processes", 6, false },
	[TC_PID] = { "PID", "pid", "lowest pid in the namespace", 7, false },
	[TC_COMMAND] = { "COMMAND", "command", "that process's comm", -15, true },
	[TC_CONTAINER] = { "CONTAINER", "container", "the container (runtime:name; JSON: the container object)", -20, true },
	[TC_CPU] = { "CPU%", "cpu_percent", "cpu use over the interval, 100 per cpu", 6, false },
	[TC_MEM] = { "MEM", "memory_bytes", "memory.current", 6, false },
	[TC_MEM_MAX] = { "MEM-MAX", "memory_max_bytes", "memory.max (\"max\": no limit)", 7, false },
	[TC_PIDS] = { "TASKS", "pids_current", "pids.current: tasks, threads included", 5, false },
	[TC_IO_READ] = { "READ/s", "io_read_bytes_per_second", "bytes read per second (io.stat)", 6, false },
	[TC_IO_WRITE] = { "WRITE/s", "io_write_bytes_per_second", "bytes written per second (io.stat)", 7, false },
	[TC_PSI_CPU] = { "PSI-CPU", "psi_cpu_some_avg10_percent", "cpu.pressure some avg10 (cgroup2 only)", 7, false },
	[TC_PSI_MEM] = { "PSI-MEM", "psi_memory_some_avg10_percent", "memory.pressure some avg10", 7, false },
	[TC_PSI_IO] = { "PSI-IO", "psi_io_some_avg10_percent", "io.pressure some avg10", 6, false },
	[TC_NNS] = { "NS", "namespaces", "distinct namespaces of its processes", 4, false },
	[TC_NEWNS] = { "NEWNS/s", "ns_created_per_second", "namespaces its processes created per second (eBPF)", 7, false },
	[TC_SETNS] = { "SETNS/s", "setns_per_second", "setns calls of its processes per second (eBPF)", 7, false },
	[TC_CGROUP] = { "CGROUP", "cgroup", "the container's outermost cgroup", -30, true },
};

static const int container_cols[] = { TC_NAME,	  TC_IMAGE,   TC_ID,	   TC_PROCS,   TC_CPU,
				      TC_MEM,	  TC_MEM_MAX, TC_PIDS,	   TC_IO_READ, TC_IO_WRITE,
				      TC_PSI_CPU, TC_PSI_MEM, TC_PSI_IO,   TC_NNS,     TC_NEWNS,
				      TC_SETNS,	  TC_CGROUP };
static const int cgroup_cols[] = { TC_NAME,    TC_PROCS,    TC_CPU,	TC_MEM,	    TC_MEM_MAX,
				   TC_PIDS,    TC_IO_READ,  TC_IO_WRITE, TC_PSI_CPU, TC_PSI_MEM,
				   TC_PSI_IO,  TC_NNS,	    TC_NEWNS,	 TC_SETNS,   TC_CONTAINER };
/* In this view the eBPF columns count the namespace's own creation and entries into it. */
static const int namespace_cols[] = { TC_NAME,	 TC_TYPE,  TC_PROCS,	 TC_PID,
				      TC_NEWNS, TC_SETNS, TC_COMMAND, TC_CONTAINER };

static const char *const view_names[NVIEWS] = {
	[VIEW_CONTAINERS] = "containers",
	[VIEW_CGROUPS] = "cgroups",
	[VIEW_NAMESPACES] = "namespaces",
};

const char *top_view_name(enum top_view v)
{
	return view_names[v];
}

int top_view_from_name(const char *name)
{
	for (int v = 0; v < NVIEWS; v++)
		if (strncmp(view_names[v], name, strlen(name)) == 0 && *name)
			return v;
	return -1;
}

size_t top_view_columns(enum top_view v, const int **cols)
{
	switch (v) {
	case VIEW_CONTAINERS: *cols = container_cols; return ARRAY_LEN(container_cols);
	case VIEW_CGROUPS: *cols = cgroup_cols; return ARRAY_LEN(cgroup_cols);
	default: *cols = namespace_cols; return ARRAY_LEN(namespace_cols);
	}
}

uint64_t top_view_visible(enum top_view v)
{
	const int *cols;
	size_t n = top_view_columns(v, &cols);
	uint64_t bits = 0;

	for (size_t i = 0; i < n; i++)
		bits |= 1ULL << cols[i];
	return bits;
}

const char *top_text(const struct top_row *r, int col)
{
	switch (col) {
	case TC_NAME: return r->name;
	case TC_TYPE: return insp_ns_type_name(r->type);
	case TC_COMMAND: return r->command;
	case TC_CONTAINER: return r->container;
	case TC_IMAGE: return r->image;
	case TC_ID: return r->id;
	case TC_CGROUP: return r->cgroup;
	default: return NULL;
	}
}

const char *top_cell(const struct top_row *r, int col, char *buf, size_t size)
{
	double v = r->num[col];

	if (top_columns[col].text) {
		const char *t = top_text(r, col);

		return t ? t : "-";
	}
	if (isnan(v))
		return "-";
	if (isinf(v))
		return "max";
	switch (col) {
	case TC_MEM:
	case TC_MEM_MAX:
	case TC_IO_READ:
	case TC_IO_WRITE:
		return units_bytes((uint64_t)v, buf, size);
	case TC_CPU:
	case TC_PSI_CPU:
	case TC_PSI_MEM:
	case TC_PSI_IO:
	case TC_NEWNS:
	case TC_SETNS:
		snprintf(buf, size, "%.1f", v);
		return buf;
	default:
		snprintf(buf, size, "%.0f", v);
		return buf;
	}
}

const char *top_cell_text(const struct top_row *r, int col, bool tree, char *buf, size_t size)
{
	const char *leaf = strrchr(r->name, '/');

	if (col != TC_NAME)
		return top_cell(r, col, buf, size);
	if (!tree || !r->depth || !leaf)
		return r->name;
	snprintf(buf, size, "%*s%s", (int)(2 * r->depth), "", leaf + 1);
	return buf;
}

struct sort_key {
	int col;
	bool reverse;
};

/* Unknown values sort last whatever the order. */
static int compare_rows(const void *a, const void *b, void *data)
{
	const struct sort_key *k = data;
	const struct top_row *x = a, *y = b;
	int cmp;

	if (top_columns[k->col].text) {
		const char *s = top_text(x, k->col), *t = top_text(y, k->col);

		cmp = strcmp(s ? s : "", t ? t : "");
		return k->reverse ? -cmp : cmp;
	}
	if (isnan(x->num[k->col]) || isnan(y->num[k->col]))
		return isnan(x->num[k->col]) - isnan(y->num[k->col]);
	cmp = (x->num[k->col] < y->num[k->col]) - (x->num[k->col] > y->num[k->col]);
	if (!cmp)
		cmp = strcmp(x->name, y->name);
	return k->reverse ? -cmp : cmp;
}

/* A tree keeps the walk's order (parents before children), already sorted by path. */
void top_sort(struct top_snapshot *s, int col, bool reverse, bool tree)
{
	struct sort_key key = { col, reverse };

	if ((tree && s->view == VIEW_CGROUPS) || !s->nrows)
		return;
	qsort_r(s->rows, s->nrows, sizeof(*s->rows), compare_rows, &key);
}

bool top_row_matches(const struct top_row *r, const char *filter)
{
	if (!filter || !*filter)
		return true;
	for (int col = 0; col < NCOLS; col++) {
		const char *t = top_columns[col].text ? top_text(r, col) : NULL;

		if (t && strcasestr(t, filter))
			return true;
	}
	return r->target && strstr(r->target, filter);
}
