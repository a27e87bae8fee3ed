// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl cgroup tree: every cgroup below a path with its processes, usage and limits. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <inspect/container.h>

#include "cgroup_cli.h"
#include "cli.h"
#include "json.h"
#include "output.h"
#include "procinfo.h"
#include "units.h"
#include "xalloc.h"

enum {
	COL_PATH,
	COL_PROCS,
	COL_MEM,
	COL_MEM_MAX,
	COL_CPU,
	COL_CPU_MAX,
	COL_PIDS,
	COL_PIDS_MAX,
	COL_CONTAINER,
	COL_HIERARCHIES,
	NCOLS
};

static const struct column columns[NCOLS] = {
	[COL_PATH] = { "PATH", "cgroup path (the name under its parent in a tree)", COL_TRUNC, COL_JSON_STRING, NULL },
	[COL_PROCS] = { "PROCS", "processes in it, in any hierarchy", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_MEM] = { "MEM", "memory.current", COL_RIGHT, COL_JSON_NUMBER, "memory_bytes" },
	[COL_MEM_MAX] = { "MEM-MAX", "memory.max", COL_RIGHT, COL_JSON_NUMBER, "memory_max_bytes" },
	[COL_CPU] = { "CPU", "cpu time used", COL_RIGHT, COL_JSON_NUMBER, "cpu_usage_usec" },
	[COL_CPU_MAX] = { "CPU-MAX", "cpu.max as CPUs (JSON: quota_usec, period_usec)", COL_RIGHT, COL_JSON_STRING,
			  "cpu_max" },
	[COL_PIDS] = { "PIDS", "pids.current", COL_RIGHT, COL_JSON_NUMBER, "pids_current" },
	[COL_PIDS_MAX] = { "PIDS-MAX", "pids.max", COL_RIGHT, COL_JSON_NUMBER, "pids_max" },
	[COL_CONTAINER] = { "CONTAINER", "container the path belongs to (runtime:name; JSON: the container object)",
			    0, COL_JSON_STRING, NULL },
	[COL_HIERARCHIES] = { "HIERARCHIES", "hierarchies that have it (v2, memory, ...)", 0, COL_JSON_STRING, NULL },
};

static const int default_columns[] = { COL_PATH,     COL_PROCS, COL_MEM,	  COL_MEM_MAX, COL_CPU,
				       COL_CPU_MAX, COL_PIDS,  COL_PIDS_MAX, COL_CONTAINER };

struct tree_opts {
	const char *path;
	const char *state_root;
	int depth;
	int cols[NCOLS];
	size_t ncols;
	struct out_opts out;
};

struct tree_run {
	const struct tree_opts *o;
	const struct insp_cgroup_hierarchies *hs;
	struct table *t;
	struct insp_container_cache *names;
	struct row **stack;	/* the last row at each depth */
	size_t nstack;
	bool exact;		/* numbers as numbers (JSON, raw) */
};

static void usage(FILE *out)
{
	fputs("Usage: nsctl cgroup tree [options] [PATH]\n"
	      "\n"
	      "Every cgroup below PATH (default /), from all hierarchies merged, with\n"
	      "its processes, memory, cpu and pids usage beside the limits.\n"
	      "\n"
	      "  -d, --depth N          at most N levels below PATH\n"
	      "  -J, --json             nested JSON (\"children\"), exact numbers\n"
	      "  -r, --raw              one line per cgroup, full paths, exact numbers\n"
	      "  -l, --list             flat list of full paths instead of a tree\n"
	      "  -o, --output LIST      columns to show (+LIST adds to the defaults)\n"
	      "      --list-columns     the columns\n"
	      "  -n, --noheadings       no header line\n"
	      "      --root DIR         read runtime state files (container names) below DIR\n"
	      "  -h, --help             this help\n",
	      out);
}

/* Exact numbers for machines, units for people; nothing when unknown. */
static void set_bytes(struct tree_run *run, struct row *row, int col, uint64_t v)
{
	char buf[32];

	if (v == INSP_CGROUP_UNKNOWN)
		return;
	if (run->exact && v != INSP_CGROUP_UNLIMITED)
		row_setf(row, col, "%llu", (unsigned long long)v);
	else
		row_set(row, col, units_bytes(v, buf, sizeof(buf)));
}

static void set_count(struct row *row, int col, uint64_t v)
{
	char buf[32];

	if (v != INSP_CGROUP_UNKNOWN)
		row_set(row, col, units_count(v, buf, sizeof(buf)));
}

static void set_cpu(struct tree_run *run, struct row *row, const struct insp_cgroup_stats *s)
{
	char buf[48];

	if (s->cpu_usage_usec != INSP_CGROUP_UNKNOWN)
		run->exact ? row_setf(row, COL_CPU, "%llu", (unsigned long long)s->cpu_usage_usec)
			   : row_set(row, COL_CPU, units_usec(s->cpu_usage_usec, buf, sizeof(buf)));
	if (s->cpu_quota_usec == INSP_CGROUP_UNKNOWN)
		return;
	if (run->exact && s->cpu_quota_usec == INSP_CGROUP_UNLIMITED)
		row_setf(row, COL_CPU_MAX, "max %llu", (unsigned long long)s->cpu_period_usec);
	else if (run->exact)
		row_setf(row, COL_CPU_MAX, "%llu %llu", (unsigned long long)s->cpu_quota_usec,
			 (unsigned long long)s->cpu_period_usec);
	else
		row_set(row, COL_CPU_MAX, units_cpu_limit(s->cpu_quota_usec, s->cpu_period_usec, buf, sizeof(buf)));
	row_set_json(row, COL_CPU_MAX, json_cpu_max(s->cpu_quota_usec, s->cpu_period_usec));
}

static unsigned stat_groups(const struct tree_run *run)
{
	unsigned groups = 0;

	if (table_has(run->t, COL_MEM) || table_has(run->t, COL_MEM_MAX))
		groups |= INSP_CGSTAT_MEMORY;
	if (table_has(run->t, COL_CPU))
		groups |= INSP_CGSTAT_CPU;
	if (table_has(run->t, COL_CPU_MAX))
		groups |= INSP_CGSTAT_CPU_MAX;
	if (table_has(run->t, COL_PIDS) || table_has(run->t, COL_PIDS_MAX))
		groups |= INSP_CGSTAT_PIDS;
	return groups;
}

static void set_stats(struct tree_run *run, const struct insp_cgroup *cg, struct row *row)
{
	struct insp_cgroup_stats s;

	insp_cgroup_stats_read(cg, stat_groups(run), &s);
	set_bytes(run, row, COL_MEM, s.memory_current);
	set_bytes(run, row, COL_MEM_MAX, s.memory_max);
	set_cpu(run, row, &s);
	set_count(row, COL_PIDS, s.pids_current);
	set_count(row, COL_PIDS_MAX, s.pids_max);
}

static void set_container(struct tree_run *run, struct row *row, const struct insp_cgroup *cg)
{
	const struct insp_container_info *c;
	struct insp_container_ref ref;

	if (insp_container_from_cgroup_path(insp_cgroup_path(cg), &ref) < 0 ||
	    !(c = insp_container_cache_get(run->names, &ref)))
		return;
	row_set_container(row, COL_CONTAINER, c);
}

static void set_hierarchies(struct tree_run *run, struct row *row, const struct insp_cgroup *cg)
{
	char buf[512] = "";

	for (size_t i = 0; i < insp_cgroup_hierarchies_count(run->hs); i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(run->hs, i);

		if (insp_cgroup_path_in(cg, h))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", *buf ? " " : "",
				 h->unified ? "v2" : h->controllers);
	}
	row_set(row, COL_HIERARCHIES, buf);
}

static const char *display_path(const struct tree_run *run, const struct insp_cgroup *cg, unsigned depth)
{
	const char *path = insp_cgroup_path(cg), *slash = strrchr(path, '/');

	return run->o->out.tree && depth && run->o->out.mode == OUT_TABLE ? slash + 1 : path;
}

static int add_cgroup(const struct insp_cgroup *cg, unsigned depth, void *data)
{
	struct tree_run *run = data;
	struct row *row = table_add_row(run->t);

	if (depth >= run->nstack) {
		run->stack = xreallocarray(run->stack, depth + 1, sizeof(*run->stack));
		run->nstack = depth + 1;
	}
	run->stack[depth] = row;
	if (depth && run->o->out.tree)
		row_set_parent(row, run->stack[depth - 1]);
	row_set(row, COL_PATH, display_path(run, cg, depth));
	if (table_has(run->t, COL_PROCS)) {
		pid_t *pids = NULL;
		size_t n = 0;

		if (insp_cgroup_procs(cg, &pids, &n) == 0)
			row_setf(row, COL_PROCS, "%zu", n);
		free(pids);
	}
	set_stats(run, cg, row);
	if (table_has(run->t, COL_CONTAINER))
		set_container(run, row, cg);
	if (table_has(run->t, COL_HIERARCHIES))
		set_hierarchies(run, row, cg);
	return 0;
}

static int parse_args(int argc, char **argv, struct tree_opts *o)
{
	enum { OPT_LIST_COLUMNS = 256, OPT_ROOT };
	static const struct option longopts[] = {
		{ "depth", required_argument, NULL, 'd' }, { "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },	   { "list", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' }, { "noheadings", no_argument, NULL, 'n' },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },	   { 0 }
	};
	char *end;
	int c;

	memcpy(o->cols, default_columns, sizeof(default_columns));
	o->ncols = ARRAY_LEN(default_columns);
	o->out = (struct out_opts){ .tree = true, .json_key = "cgroups" };
	o->depth = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:Jrlo:nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			errno = 0;
			o->depth = (int)strtol(optarg, &end, 10);
			if (errno || *end || o->depth < 0)
				return cli_usage_error(CGROUP_CMD, "--depth '%s': not a number of levels", optarg);
			break;
		case 'J': o->out.mode = OUT_JSON; break;
		case 'r': o->out.mode = OUT_RAW; o->out.tree = false; break;
		case 'l': o->out.tree = false; break;
		case 'n': o->out.noheadings = true; break;
		case 'o':
			if (columns_parse_option(CGROUP_CMD " tree", columns, NCOLS, optarg, o->cols, &o->ncols, NCOLS))
				return EXIT_USAGE;
			break;
		case OPT_LIST_COLUMNS: columns_print_help(columns, NCOLS, stdout); return CLI_DONE;
		case OPT_ROOT: o->state_root = optarg; break;
		case 'h': usage(stdout); return CLI_DONE;
		default: return cli_usage_error(CGROUP_CMD, "invalid option");
		}
	}
	o->path = optind < argc ? argv[optind++] : "/";
	if (optind < argc)
		return cli_usage_error(CGROUP_CMD, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static int tree_main(int argc, char **argv)
{
	struct tree_opts o;
	struct tree_run run = { .o = &o };
	struct insp_cgroup_hierarchies *hs;
	struct insp_error err = { 0 };
	int r = parse_args(argc, argv, &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	if (o.path[0] != '/')
		return cli_usage_error(CGROUP_CMD, "tree: '%s' is not a cgroup path (start it with /)", o.path);
	if ((r = cgroup_cli_hierarchies(&hs)) != EXIT_OK)
		return r;
	run.hs = hs;
	run.exact = o.out.mode != OUT_TABLE;
	run.t = table_new(columns, o.cols, o.ncols);
	if (insp_container_cache_new(&run.names, o.state_root, &err) < 0)
		r = cli_insp_error(CGROUP_CMD, &err);
	else if (insp_cgroup_walk(hs, o.path, o.depth, add_cgroup, &run, &err) < 0)
		r = cli_insp_error(CGROUP_CMD, &err);
	else if (table_print(run.t, stdout, &o.out) < 0 || fflush(stdout) != 0)
		r = (cli_error(CGROUP_CMD, "writing output: %s", strerror(errno)), EXIT_FAIL);
	table_free(run.t);
	insp_container_cache_free(run.names);
	free(run.stack);
	insp_cgroup_hierarchies_free(hs);
	return r;
}

const struct command cmd_cgroup_tree = {
	.name = "tree",
	.summary = "every cgroup below a path, with usage and limits",
	.run = tree_main,
	.usage = usage,
};
