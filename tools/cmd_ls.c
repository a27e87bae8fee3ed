// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl ls: every namespace on the host and who is in it (an lsns superset). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <inspect/container.h>
#include <inspect/ns.h>
#include <inspect/proc.h>

#include "cli.h"
#include "json.h"
#include "output.h"
#include "procinfo.h"
#include "xalloc.h"

enum {
	COL_NS,
	COL_TYPE,
	COL_PATH,
	COL_NPROCS,
	COL_PID,
	COL_PPID,
	COL_COMMAND,
	COL_UID,
	COL_USER,
	COL_NETNSID,
	COL_NSFS,
	COL_PNS,
	COL_ONS,
	COL_NSID,
	COL_CONTAINER,
	COL_CONTAINER_ID,
	NCOLS
};

static const struct column columns[NCOLS] = {
	[COL_NS] = { "NS", "namespace identifier (inode number)", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_TYPE] = { "TYPE", "kind of namespace", 0, COL_JSON_STRING, NULL },
	[COL_PATH] = { "PATH", "path to the namespace", 0, COL_JSON_STRING, NULL },
	[COL_NPROCS] = { "NPROCS", "number of processes in the namespace", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_PID] = { "PID", "lowest PID in the namespace", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_PPID] = { "PPID", "PPID of the PID", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_COMMAND] = { "COMMAND", "command line of the PID", COL_TRUNC, COL_JSON_STRING, NULL },
	[COL_UID] = { "UID", "UID of the PID", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_USER] = { "USER", "username of the PID", 0, COL_JSON_STRING, NULL },
	[COL_NETNSID] = { "NETNSID", "namespace ID as used by network subsystem", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_NSFS] = { "NSFS", "nsfs mountpoints (e.g. ip netns add)", 0, COL_JSON_STRING, NULL },
	[COL_PNS] = { "PNS", "parent namespace identifier (inode number)", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_ONS] = { "ONS", "owner namespace identifier (inode number)", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_NSID] = { "NSID", "the kernel's 64-bit namespace id (never reused)", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[COL_CONTAINER] = { "CONTAINER", "container of the member processes (runtime:name; JSON: the container object)", 0,
			    COL_JSON_STRING, NULL },
	[COL_CONTAINER_ID] = { "CONTAINER_ID", "its id (12 digits; JSON: all of it)", 0, COL_JSON_STRING, NULL },
};

static const int default_columns[] = { COL_NS, COL_TYPE, COL_NPROCS, COL_PID, COL_USER, COL_COMMAND };

enum tree_rel {
	TREE_NONE,
	TREE_PROCESS,
	TREE_OWNER,
	TREE_PARENT,
};

struct ls_opts {
	int cols[NCOLS * 4];
	size_t ncols;
	struct out_opts out;
	unsigned types;		/* bit per enum insp_ns_type; 0 = all */
	pid_t task;
	ino_t only_ns;
	enum tree_rel tree;
	bool persistent;
	enum insp_backend backend;
	const char *state_root;
};

/* Container identity of a namespace, accumulated over its members. */
struct container_acc {
	struct insp_container_ref first;
	unsigned distinct;
	unsigned uncontained;	/* members outside any container: the host's namespace */
	bool one_pod;
};

/* One run: the snapshot, the namespace index and the rows shown. */
struct ls_run {
	const struct ls_opts *o;
	struct insp_procs *procs;
	struct insp_ns_table *table;
	struct table *out;
	struct row **rows;		/* by namespace index; NULL when not shown */
	struct container_acc *containers;	/* by namespace index, with CONTAINER or CONTAINER_ID */
	struct insp_container_cache *names;
	struct user_cache users;
};

static void usage(FILE *out)
{
	fputs("Usage: nsctl ls [options] [NAMESPACE]\n"
	      "\n"
	      "List the namespaces on this host: one line per namespace, with the\n"
	      "number of processes in it and the one with the lowest pid.\n"
	      "NAMESPACE is an inode number (as in /proc/PID/ns links) to show just one.\n"
	      "\n"
	      "Options:\n"
	      " -t, --type TYPE        only this type: mnt, net, pid, uts, ipc, user, cgroup,\n"
	      "                        time (repeat, or give a comma list)\n"
	      " -p, --task PID         only the namespaces of this process\n"
	      " -P, --persistent       also namespaces with no process: nsfs bind mounts\n"
	      "                        (ip netns add), open fds, pid/time_for_children\n"
	      " -o, --output COLS      columns to show; +COLS adds to the default ones\n"
	      "     --output-all       every column\n"
	      " -H, --list-columns     describe the columns and exit\n"
	      " -T, --tree[=REL]       nest lines by REL: process (default), owner (user\n"
	      "                        namespace) or parent (pid/user parent, else owner)\n"
	      " -J, --json             JSON output: {\"namespaces\": [...]}, flat unless -T\n"
	      " -r, --raw              raw output (space separated, escaped)\n"
	      " -n, --noheadings       no header line\n"
	      " -u, --notruncate       never cut columns to the terminal width\n"
	      " -l, --list, -W, --nowrap\n"
	      "                        accepted for lsns compatibility (output is flat already)\n"
	      "     --backend=KIND     auto (default), proc, or bpf (one eBPF task-iterator read)\n"
	      "     --root DIR         read runtime state files (container names) below DIR\n"
	      " -h, --help             this help\n"
	      "\n"
	      "Default columns: NS TYPE NPROCS PID USER COMMAND.\n"
	      "Examples:\n"
	      "  nsctl ls -t net -o +NETNSID,NSFS,CONTAINER\n"
	      "  nsctl ls -p 4242 -J\n"
	      "  nsctl ls -T owner -o NS,TYPE,NPROCS,PID,COMMAND\n",
	      out);
}

static bool is_tree_rel(const char *arg)
{
	return strcmp(arg, "process") == 0 || strcmp(arg, "owner") == 0 || strcmp(arg, "parent") == 0;
}

static int parse_tree(const char *arg, enum tree_rel *rel)
{
	if (arg && *arg == '=')
		arg++;	/* -T=owner, as lsns accepts */
	if (!arg || strcmp(arg, "process") == 0)
		*rel = TREE_PROCESS;
	else if (strcmp(arg, "owner") == 0)
		*rel = TREE_OWNER;
	else if (strcmp(arg, "parent") == 0)
		*rel = TREE_PARENT;
	else
		return cli_usage_error("ls", "unknown tree relation '%s' (process, owner or parent)", arg);
	return 0;
}

static int parse_namespace_arg(const char *arg, ino_t *ino)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || !v || v > 0xffffffffULL)
		return cli_usage_error("ls", "'%s' is not a namespace inode number", arg);
	*ino = (ino_t)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct ls_opts *o)
{
	enum { OPT_OUTPUT_ALL = 256, OPT_BACKEND, OPT_ROOT };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },	   { "list", no_argument, NULL, 'l' },
		{ "noheadings", no_argument, NULL, 'n' },  { "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "task", required_argument, NULL, 'p' },  { "raw", no_argument, NULL, 'r' },
		{ "notruncate", no_argument, NULL, 'u' },  { "nowrap", no_argument, NULL, 'W' },
		{ "type", required_argument, NULL, 't' },  { "tree", optional_argument, NULL, 'T' },
		{ "persistent", no_argument, NULL, 'P' },  { "list-columns", no_argument, NULL, 'H' },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },	   { 0 }
	};
	int c, r;

	memcpy(o->cols, default_columns, sizeof(default_columns));
	o->ncols = ARRAY_LEN(default_columns);
	o->out.json_key = "namespaces";
	optind = 1;
	while ((c = getopt_long(argc, argv, "Jlno:p:ruWt:T::PHh", longopts, NULL)) != -1) {
		r = 0;
		switch (c) {
		case 'J': o->out.mode = OUT_JSON; break;
		case 'r': o->out.mode = OUT_RAW; break;
		case 'n': o->out.noheadings = true; break;
		case 'u': o->out.notruncate = true; break;
		case 'l': case 'W': break;
		case 'o':
			r = columns_parse_option("ls", columns, NCOLS, optarg, o->cols, &o->ncols, ARRAY_LEN(o->cols));
			break;
		case OPT_OUTPUT_ALL:
			for (int i = 0; i < NCOLS; i++)
				o->cols[i] = i;
			o->ncols = NCOLS;
			break;
		case 'p':
			o->task = cli_parse_pid(optarg);
			if (o->task < 0)
				r = cli_usage_error("ls", "'%s' is not a pid", optarg);
			break;
		case 't': r = cli_parse_ns_types("ls", optarg, &o->types); break;
		case 'T':
			/* Also "-T owner": take the next word when it names a relation. */
			if (!optarg && optind < argc && is_tree_rel(argv[optind]))
				optarg = argv[optind++];
			r = parse_tree(optarg, &o->tree);
			break;
		case 'P': o->persistent = true; break;
		case 'H': columns_print_help(columns, NCOLS, stdout); return CLI_DONE;
		case OPT_BACKEND:
			r = insp_backend_from_name(optarg);
			if (r < 0)
				return cli_usage_error("ls", "unknown backend '%s' (auto, proc or bpf)", optarg);
			o->backend = (enum insp_backend)r;
			r = 0;
			break;
		case OPT_ROOT: o->state_root = optarg; break;
		case 'h': usage(stdout); return CLI_DONE;
		default: return cli_usage_error("ls", "invalid option");
		}
		if (r)
			return r;
	}
	if (optind < argc && (r = parse_namespace_arg(argv[optind++], &o->only_ns)))
		return r;
	if (optind < argc)
		return cli_usage_error("ls", "unexpected argument '%s'", argv[optind]);
	o->out.tree = o->tree != TREE_NONE;
	return 0;
}

static bool shows(const struct ls_opts *o, int col)
{
	for (size_t i = 0; i < o->ncols; i++)
		if (o->cols[i] == col)
			return true;
	return false;
}

static struct insp_scan_opts scan_opts(const struct ls_opts *o)
{
	struct insp_scan_opts s = { .backend = o->backend, .fields = INSP_PROC_NS };
	unsigned types = o->types ? o->types : (1u << INSP_NS_NTYPES) - 1;

	/* Owner and parent trees nest under user namespaces, which must be read too. */
	if (o->tree == TREE_OWNER || o->tree == TREE_PARENT)
		types |= 1u << INSP_NS_USER;
	s.ns_slots = types;
	if (o->persistent) {
		if (types & (1u << INSP_NS_PID))
			s.ns_slots |= 1u << INSP_NS_SLOT_PID_FOR_CHILDREN;
		if (types & (1u << INSP_NS_TIME))
			s.ns_slots |= 1u << INSP_NS_SLOT_TIME_FOR_CHILDREN;
	}
	if (o->tree == TREE_PROCESS)
		s.fields |= INSP_PROC_STAT;
	return s;
}

static unsigned ns_wants(const struct ls_opts *o)
{
	unsigned want = 0;

	if (shows(o, COL_ONS) || o->tree == TREE_OWNER || o->tree == TREE_PARENT)
		want |= INSP_NS_WANT_OWNER;
	if (shows(o, COL_PNS) || o->tree == TREE_PARENT)
		want |= INSP_NS_WANT_PARENT;
	if (shows(o, COL_NSFS))
		want |= INSP_NS_WANT_NSFS;
	if (shows(o, COL_NETNSID))
		want |= INSP_NS_WANT_NETNSID;
	if (shows(o, COL_NSID))
		want |= INSP_NS_WANT_ID;
	if (o->persistent)
		want |= INSP_NS_WANT_ORPHANS | INSP_NS_WANT_NSFS;
	return want;
}

static bool ns_selected(const struct ls_opts *o, const struct insp_ns *ns, const struct insp_proc *task)
{
	if (o->types && !(o->types & (1u << ns->type)))
		return false;
	if (o->only_ns && ns->ino != o->only_ns)
		return false;
	if (!ns->nprocs && !o->persistent)
		return false;
	if (task) {
		for (unsigned s = 0; s < INSP_NS_NTYPES; s++)
			if (task->ns_ino[s] == ns->ino)
				return true;
		return false;
	}
	return true;
}

static void set_ino(struct row *row, int col, ino_t ino)
{
	if (ino)
		row_setf(row, col, "%lu", (unsigned long)ino);
}

static void set_netnsid(struct row *row, const struct insp_ns *ns)
{
	if (ns->type != INSP_NS_NET || ns->netnsid == INSP_NETNSID_UNKNOWN)
		return;
	if (ns->netnsid == INSP_NETNSID_UNASSIGNED)
		row_set(row, COL_NETNSID, "unassigned");
	else
		row_setf(row, COL_NETNSID, "%d", ns->netnsid);
}

static size_t ns_index(struct ls_run *run, const struct insp_ns *ns)
{
	return (size_t)(ns - insp_ns_table_at(run->table, 0));
}

static void set_process_cells(struct ls_run *run, struct row *row, struct insp_proc *p)
{
	row_setf(row, COL_PID, "%d", (int)p->pid);
	if (table_has(run->out, COL_PPID) && insp_proc_fill(p, INSP_PROC_STAT, NULL) == 0)
		row_setf(row, COL_PPID, "%d", (int)p->ppid);
	if (table_has(run->out, COL_COMMAND))
		row_set(row, COL_COMMAND, proc_command(p));
	if ((table_has(run->out, COL_UID) || table_has(run->out, COL_USER)) &&
	    insp_proc_fill(p, INSP_PROC_UID, NULL) == 0) {
		row_setf(row, COL_UID, "%u", (unsigned)p->uid);
		row_set(row, COL_USER, user_cache_name(&run->users, p->uid));
	}
}

/*
 * A namespace of one container names it; one shared by the containers of a
 * pod names the pod; else the first container and how many more. JSON has
 * the first container's object.
 */
static void set_container(struct ls_run *run, struct row *row, size_t index)
{
	const struct container_acc *acc = &run->containers[index];
	const struct insp_container_info *c;
	char buf[320];

	if (!acc->distinct || acc->uncontained || !(c = insp_container_cache_get(run->names, &acc->first)))
		return;
	row_set_json(row, COL_CONTAINER, json_container(c));
	row_set(row, COL_CONTAINER_ID, c->ref.id);
	if (insp_container_short(&c->ref, buf, sizeof(buf)) == 0 && run->o->out.mode != OUT_JSON)
		row_set(row, COL_CONTAINER_ID, strchr(buf, ':') + 1);
	if (acc->distinct > 1 && acc->one_pod) {
		row_setf(row, COL_CONTAINER, "pod:%s", c->pod_name[0] ? c->pod_name : acc->first.pod_uid);
		return;
	}
	container_label(c, buf, sizeof(buf));
	if (acc->distinct > 1)
		row_setf(row, COL_CONTAINER, "%s+%u", buf, acc->distinct - 1);
	else
		row_set(row, COL_CONTAINER, buf);
}

static void fill_row(struct ls_run *run, struct row *row, struct insp_ns *ns)
{
	char path[4096];

	set_ino(row, COL_NS, ns->ino);
	row_set(row, COL_TYPE, insp_ns_type_name(ns->type));
	if (insp_ns_path(ns, path, sizeof(path)) == 0)
		row_set(row, COL_PATH, path);
	row_setf(row, COL_NPROCS, "%u", ns->nprocs);
	if (ns->proc)
		set_process_cells(run, row, ns->proc);
	set_netnsid(row, ns);
	row_set_nsfs(row, COL_NSFS, ns);
	set_ino(row, COL_PNS, ns->parent);
	set_ino(row, COL_ONS, ns->owner);
	if (ns->id)
		row_setf(row, COL_NSID, "%llu", (unsigned long long)ns->id);
	if (run->containers)
		set_container(run, row, ns_index(run, ns));
}

static void add_container(struct container_acc *acc, const struct insp_container_ref *ref)
{
	if (!acc->distinct) {
		acc->first = *ref;
		acc->distinct = 1;
		acc->one_pod = ref->pod_uid[0] != '\0';
		return;
	}
	/* Members of one container come in runs; count changes from the first, cheaply. */
	if (strcmp(acc->first.id, ref->id) == 0)
		return;
	acc->distinct++;
	acc->one_pod = acc->one_pod && strcmp(acc->first.pod_uid, ref->pod_uid) == 0;
}

/* CONTAINER: the containers that the members of each shown namespace run in. */
static void collect_containers(struct ls_run *run)
{
	size_t nprocs = insp_procs_count(run->procs);

	run->containers = xcalloc(insp_ns_table_count(run->table), sizeof(*run->containers));
	for (size_t i = 0; i < nprocs; i++) {
		struct insp_proc *p = insp_procs_at(run->procs, i);
		struct insp_container_ref ref;
		int have = -1;

		for (unsigned s = 0; s < INSP_NS_NTYPES; s++) {
			struct insp_ns *ns = p->ns_ino[s] ? insp_ns_table_find(run->table, p->ns_ino[s]) : NULL;

			if (!ns || !run->rows[ns_index(run, ns)])
				continue;
			if (have < 0)
				have = proc_container(p, &ref) == 0;
			if (have)
				add_container(&run->containers[ns_index(run, ns)], &ref);
			else
				run->containers[ns_index(run, ns)].uncontained++;
		}
	}
}

static struct row *row_of_ns(struct ls_run *run, ino_t ino)
{
	struct insp_ns *ns = ino ? insp_ns_table_find(run->table, ino) : NULL;

	return ns ? run->rows[ns_index(run, ns)] : NULL;
}

/* -T process: a namespace nests under the one its process's nearest shown ancestor represents. */
static void link_process_tree(struct ls_run *run)
{
	size_t nprocs = insp_procs_count(run->procs), nns = insp_ns_table_count(run->table);
	struct row **row_of_proc = xcalloc(nprocs, sizeof(*row_of_proc));
	struct insp_proc *base = insp_procs_at(run->procs, 0);

	for (size_t i = 0; i < nns; i++) {
		struct insp_ns *ns = insp_ns_table_at(run->table, i);

		if (run->rows[i] && ns->proc && !row_of_proc[ns->proc - base])
			row_of_proc[ns->proc - base] = run->rows[i];
	}
	for (size_t i = 0; i < nns; i++) {
		struct insp_ns *ns = insp_ns_table_at(run->table, i);
		struct insp_proc *p = ns->proc;
		struct row *parent = NULL;

		if (!run->rows[i] || !p)
			continue;
		if (row_of_proc[p - base] != run->rows[i]) {
			/* A later namespace of the same process nests under its first one. */
			parent = row_of_proc[p - base];
		}
		for (unsigned depth = 0; !parent && p && depth < nprocs; depth++) {
			p = p->ppid > 0 && p->ppid != p->pid ? insp_procs_find(run->procs, p->ppid) : NULL;
			if (p)
				parent = row_of_proc[p - base];
		}
		row_set_parent(run->rows[i], parent);
	}
	free(row_of_proc);
}

static void link_ns_tree(struct ls_run *run)
{
	for (size_t i = 0; i < insp_ns_table_count(run->table); i++) {
		struct insp_ns *ns = insp_ns_table_at(run->table, i);
		ino_t up = ns->owner;
		struct row *parent;

		if (!run->rows[i])
			continue;
		if (run->o->tree == TREE_PARENT && (ns->type == INSP_NS_PID || ns->type == INSP_NS_USER))
			up = ns->parent;
		parent = row_of_ns(run, up);
		if (parent && parent != run->rows[i])
			row_set_parent(run->rows[i], parent);
	}
}

static void report_skipped(const struct insp_scan_stats *st)
{
	if (st->denied == 1)
		cli_error("ls", "pid %d: namespaces not readable (Permission denied); not counted",
			  (int)st->first_denied);
	else if (st->denied > 1)
		cli_error("ls", "%u processes (first: pid %d): namespaces not readable (Permission denied); not counted",
			  st->denied, (int)st->first_denied);
}

static int build_rows(struct ls_run *run)
{
	const struct ls_opts *o = run->o;
	struct insp_proc *task = NULL;
	size_t nns = insp_ns_table_count(run->table);
	bool any = false;

	if (o->task > 0 && !(task = insp_procs_find(run->procs, o->task))) {
		cli_error("ls", "pid %d: No such process", (int)o->task);
		return EXIT_FAIL;
	}
	run->rows = xcalloc(nns, sizeof(*run->rows));
	for (size_t i = 0; i < nns; i++) {
		if (ns_selected(o, insp_ns_table_at(run->table, i), task)) {
			run->rows[i] = table_add_row(run->out);
			any = true;
		}
	}
	if (o->only_ns && !any) {
		cli_error("ls", "namespace %lu: not found", (unsigned long)o->only_ns);
		return EXIT_FAIL;
	}
	if (table_has(run->out, COL_CONTAINER) || table_has(run->out, COL_CONTAINER_ID))
		collect_containers(run);
	for (size_t i = 0; i < nns; i++)
		if (run->rows[i])
			fill_row(run, run->rows[i], insp_ns_table_at(run->table, i));
	if (o->tree == TREE_PROCESS)
		link_process_tree(run);
	else if (o->tree != TREE_NONE)
		link_ns_tree(run);
	return EXIT_OK;
}

static int ls_list(const struct ls_opts *o)
{
	struct insp_scan_opts scan = scan_opts(o);
	struct insp_error err = { 0 };
	struct ls_run run = { .o = o };
	struct insp_scan_stats st;
	int ret = EXIT_FAIL;

	if (insp_procs_scan(&run.procs, &scan, &err) < 0)
		return cli_insp_error("ls", &err);
	if (insp_ns_table_build(&run.table, run.procs, ns_wants(o), &err) < 0) {
		cli_insp_error("ls", &err);
		goto out;
	}
	if (insp_container_cache_new(&run.names, o->state_root, &err) < 0) {
		cli_insp_error("ls", &err);
		goto out;
	}
	run.out = table_new(columns, o->cols, o->ncols);
	ret = build_rows(&run);
	if (ret != EXIT_OK)
		goto out;
	st = insp_procs_stats(run.procs);
	if (o->out.mode == OUT_JSON)
		table_json_extra_int(run.out, "inaccessible", st.denied);
	if (table_print(run.out, stdout, &o->out) < 0 || fflush(stdout) != 0) {
		cli_error("ls", "writing output: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
	report_skipped(&st);
out:
	table_free(run.out);
	free(run.rows);
	free(run.containers);
	insp_container_cache_free(run.names);
	user_cache_free(&run.users);
	insp_ns_table_free(run.table);
	insp_procs_free(run.procs);
	return ret;
}

static int ls_main(int argc, char **argv)
{
	struct ls_opts o = { .backend = INSP_BACKEND_AUTO };
	int r = parse_args(argc, argv, &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	return ls_list(&o);
}

const struct command cmd_ls = {
	.name = "ls",
	.summary = "list namespaces and the processes in them (an lsns superset)",
	.run = ls_main,
	.usage = usage,
};
