// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl cgroup: read the cgroup tree and change limits, all or nothing. */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_cli.h"
#include "cli.h"
#include "json.h"
#include "text.h"
#include "xalloc.h"

static const struct command cmd_cgroup_get, cmd_cgroup_set, cmd_cgroup_create, cmd_cgroup_rm,
	cmd_cgroup_move, cmd_cgroup_knobs;

static const struct command *const verbs[] = {
	&cmd_cgroup_tree, &cmd_cgroup_show,   &cmd_cgroup_get,	&cmd_cgroup_set,
	&cmd_cgroup_create, &cmd_cgroup_rm, &cmd_cgroup_move, &cmd_cgroup_knobs,
};

static void usage(FILE *out)
{
	fputs("Usage: nsctl cgroup <verb> [options] [args]\n"
	      "\n"
	      "Read the cgroup tree and change limits safely, on cgroup v2, v1 and\n"
	      "hybrid hosts alike. Knobs have their v2 names everywhere (memory.max,\n"
	      "cpu.max, io.max...); on a v1 hierarchy they are translated to its files.\n"
	      "Values take units: 512M, 1.5G, max, cpu.max=50% or 1.5 (CPUs), 0-3,6.\n"
	      "A set is checked whole before the first write and undone if one fails.\n"
	      "\n"
	      "Verbs:\n",
	      out);
	for (size_t i = 0; i < ARRAY_LEN(verbs); i++)
		fprintf(out, "  %-8s %s\n", verbs[i]->name, verbs[i]->summary);
	fputs("\n"
	      "A TARGET is a cgroup path (starting with /), a pid or a container;\n"
	      "--root DIR reads container state files below DIR (get, set, show).\n"
	      "Changes are logged to syslog (authpriv) with who made them.\n"
	      "'nsctl cgroup <verb> --help' for a verb's options; see nsctl-cgroup(8).\n",
	      out);
}

/* Options shared by the verbs below; help, json and dry-run are all they take. */
struct verb_opts {
	bool json, dry_run, kill, recursive;
	const char *controllers;
	const char *state_root;	/* --root: where a container target's state files are */
};

static int parse_verb(int argc, char **argv, const struct command *verb, const char *shortopts,
		      struct verb_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },	  { "dry-run", no_argument, NULL, 'N' },
		{ "kill", no_argument, NULL, 'k' },	  { "recursive", no_argument, NULL, 'r' },
		{ "controllers", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ "root", required_argument, NULL, 'R' },	  { 0 }
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'J': o->json = true; break;
		case 'N': o->dry_run = true; break;
		case 'k': o->kill = true; break;
		case 'r': o->recursive = true; break;
		case 'c': o->controllers = optarg; break;
		case 'R': o->state_root = optarg; break;
		case 'h': verb->usage(stdout); return CLI_DONE;
		default: return cli_usage_error(CGROUP_CMD, "%s: invalid option", verb->name);
		}
	}
	return 0;
}

static void print_json(json_object *o)
{
	json_print(stdout, o, true);
}

/* ---- get */

static void get_usage(FILE *out)
{
	fputs("Usage: nsctl cgroup get [-J] TARGET KNOB...\n"
	      "\n"
	      "Print knobs as v2 text, translated from v1 files where needed: one\n"
	      "knob prints its bare value (for scripts); several print KNOB=VALUE.\n"
	      "Stat files (memory.current, cpu.stat, io.stat, cpu.pressure...) work\n"
	      "too, and so do raw file names of a controller (memory.swappiness).\n"
	      "\n"
	      "  -J, --json             {\"knob\": value}, typed\n",
	      out);
}

static int get_main(int argc, char **argv)
{
	struct verb_opts o = { 0 };
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup *cg;
	struct insp_error err = { 0 };
	json_object *out = NULL;
	int r = parse_verb(argc, argv, &cmd_cgroup_get, "Jh", &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	if (argc - optind < 2)
		return cli_usage_error(CGROUP_CMD, "get: expected TARGET KNOB...");
	if ((r = cgroup_cli_hierarchies(&hs)) != EXIT_OK)
		return r;
	if ((r = cgroup_cli_open(argv[optind], o.state_root, hs, &cg)) != EXIT_OK)
		goto out;
	out = o.json ? json_object_new_object() : NULL;
	for (int i = optind + 1; i < argc && r == EXIT_OK; i++) {
		char *v;

		if (insp_cgroup_get(cg, argv[i], &v, &err) < 0) {
			r = cli_insp_error(CGROUP_CMD, &err);
			break;
		}
		if (out)
			json_object_object_add(out, argv[i], cgroup_cli_json(argv[i], v));
		else if (argc - optind == 2)
			text_line(stdout, "%s", v);
		else
			text_line(stdout, "%s=%s", argv[i], v);
		free(v);
	}
	if (out && r == EXIT_OK)
		print_json(out);
	else
		json_object_put(out);
	insp_cgroup_close(cg);
out:
	insp_cgroup_hierarchies_free(hs);
	return r;
}

static const struct command cmd_cgroup_get = {
	.name = "get", .summary = "print knobs (v2 names, v1 translated)", .run = get_main, .usage = get_usage,
};

/* ---- set */

static void set_usage(FILE *out)
{
	fputs("Usage: nsctl cgroup set [-N] [-J] TARGET KNOB=VALUE...\n"
	      "\n"
	      "Change limits in order, all or nothing: every value is checked against\n"
	      "the kernel's rules first (units, page rounding, cpu.max bounds, weights\n"
	      "1..10000, cpus within the parent's); if a write still fails, the knobs\n"
	      "already written get their old values back. Prints old -> new.\n"
	      "\n"
	      "  memory.max=512M  memory.high=1.5G  memory.swap.max=0  pids.max=100\n"
	      "  cpu.max=50%  cpu.max=1.5  cpu.max=\"50000 100000\"  cpu.weight=200\n"
	      "  io.max=\"8:0 rbps=10M wiops=100\"  io.max=\"/dev/vda wbps=max\"\n"
	      "  cpuset.cpus=0-1  cgroup.freeze=1  cgroup.max.descendants=10\n"
	      "\n"
	      "  -N, --dry-run          check and print, write nothing\n"
	      "  -J, --json             the changes as JSON\n"
	      "See 'nsctl cgroup knobs' for every knob and its v1 translation.\n",
	      out);
}

static void print_changes(const char *path, const struct insp_cgroup_changes *c, bool json, bool dry_run)
{
	json_object *root, *list;

	if (!json) {
		for (size_t i = 0; i < c->n; i++) {
			char a[96], b[96];

			text_line(stdout, "%s%s: %s -> %s", dry_run ? "would set " : "", c->v[i].knob,
				  cgroup_cli_human(c->v[i].knob, c->v[i].old_value, a, sizeof(a)),
				  cgroup_cli_human(c->v[i].knob, c->v[i].new_value, b, sizeof(b)));
		}
		return;
	}
	root = json_object_new_object();
	list = json_object_new_array();
	for (size_t i = 0; i < c->n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "knob", json_object_new_string(c->v[i].knob));
		json_object_object_add(o, "old", cgroup_cli_json(c->v[i].knob, c->v[i].old_value));
		json_object_object_add(o, "new", cgroup_cli_json(c->v[i].knob, c->v[i].new_value));
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "path", json_object_new_string(path));
	json_object_object_add(root, "dry_run", json_object_new_boolean(dry_run));
	json_object_object_add(root, "changes", list);
	print_json(root);
}

static void audit_changes(const char *verb, const char *path, const struct insp_cgroup_changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		cgroup_cli_audit("cgroup %s %s %s: %s -> %s", verb, path, c->v[i].knob, c->v[i].old_value,
				 c->v[i].new_value);
}

static int change_failed(const char *verb, const char *path, const struct insp_error *err)
{
	cgroup_cli_audit("cgroup %s %s failed: %s", verb, path, err->msg);
	return cli_insp_error(CGROUP_CMD, err);
}

static int set_main(int argc, char **argv)
{
	struct verb_opts o = { 0 };
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup *cg;
	struct insp_cgroup_changes changes;
	struct insp_error err = { 0 };
	int r = parse_verb(argc, argv, &cmd_cgroup_set, "NJh", &o);
	char *const *assignments;
	size_t n;

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	if (argc - optind < 2)
		return cli_usage_error(CGROUP_CMD, "set: expected TARGET KNOB=VALUE...");
	assignments = argv + optind + 1;
	n = (size_t)(argc - optind - 1);
	if ((r = cgroup_cli_hierarchies(&hs)) != EXIT_OK)
		return r;
	if ((r = cgroup_cli_open(argv[optind], o.state_root, hs, &cg)) != EXIT_OK)
		goto out;
	/* A dry run first: bad input never reaches the log. */
	if (insp_cgroup_set(cg, assignments, n, INSP_CGROUP_DRY_RUN, &changes, &err) < 0) {
		r = cli_insp_error(CGROUP_CMD, &err);
	} else if (!o.dry_run && (insp_cgroup_changes_free(&changes),
				  insp_cgroup_set(cg, assignments, n, 0, &changes, &err) < 0)) {
		r = change_failed("set", insp_cgroup_path(cg), &err);
	} else {
		print_changes(insp_cgroup_path(cg), &changes, o.json, o.dry_run);
		if (!o.dry_run)
			audit_changes("set", insp_cgroup_path(cg), &changes);
		insp_cgroup_changes_free(&changes);
	}
	insp_cgroup_close(cg);
out:
	insp_cgroup_hierarchies_free(hs);
	return r;
}

static const struct command cmd_cgroup_set = {
	.name = "set", .summary = "change knobs, all or nothing (--dry-run)", .run = set_main, .usage = set_usage,
};

/* ---- create, rm, move */

static void create_usage(FILE *out)
{
	fputs("Usage: nsctl cgroup create [-c LIST] [-J] PATH [KNOB=VALUE...]\n"
	      "\n"
	      "Create PATH (and missing parents) in the v2 hierarchy and in the v1\n"
	      "hierarchies, then apply the knobs. On v2 the controllers the knobs need\n"
	      "(or -c names) are enabled in every ancestor's cgroup.subtree_control.\n"
	      "All or nothing: on failure the directories and controllers are undone.\n"
	      "\n"
	      "  -c, --controllers LIST only these controllers' hierarchies (memory,pids)\n"
	      "  -J, --json             the knobs set, as JSON\n",
	      out);
}

static int create_main(int argc, char **argv)
{
	struct verb_opts o = { 0 };
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup_changes changes;
	struct insp_cgroup_create_opts co;
	struct insp_error err = { 0 };
	int r = parse_verb(argc, argv, &cmd_cgroup_create, "c:Jh", &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	if (argc - optind < 1 || argv[optind][0] != '/')
		return cli_usage_error(CGROUP_CMD, "create: expected PATH (starting with /) [KNOB=VALUE...]");
	if ((r = cgroup_cli_hierarchies(&hs)) != EXIT_OK)
		return r;
	co = (struct insp_cgroup_create_opts){ o.controllers, argv + optind + 1, (size_t)(argc - optind - 1) };
	if (insp_cgroup_create(hs, argv[optind], &co, &changes, &err) < 0) {
		r = err.kind == INSP_ERROR_INPUT ? cli_insp_error(CGROUP_CMD, &err) : change_failed("create", argv[optind], &err);
	} else {
		cgroup_cli_audit("cgroup create %s", argv[optind]);
		if (!o.json)
			text_line(stdout, "created %s", argv[optind]);
		print_changes(argv[optind], &changes, o.json, false);
		audit_changes("create", argv[optind], &changes);
		insp_cgroup_changes_free(&changes);
	}
	insp_cgroup_hierarchies_free(hs);
	return r;
}

static const struct command cmd_cgroup_create = {
	.name = "create", .summary = "make a cgroup, enable controllers, set knobs", .run = create_main,
	.usage = create_usage,
};

static void rm_usage(FILE *out)
{
	fputs("Usage: nsctl cgroup rm [-k] [-r] PATH\n"
	      "\n"
	      "Remove a cgroup from every hierarchy. A cgroup with processes is\n"
	      "refused unless --kill; one with child cgroups unless --recursive.\n"
	      "\n"
	      "  -k, --kill             kill its processes first (cgroup.kill on v2,\n"
	      "                         SIGKILL through pidfds on v1), wait up to 5 s\n"
	      "  -r, --recursive        remove child cgroups too\n",
	      out);
}

static int rm_main(int argc, char **argv)
{
	struct verb_opts o = { 0 };
	struct insp_cgroup_hierarchies *hs;
	struct insp_error err = { 0 };
	int r = parse_verb(argc, argv, &cmd_cgroup_rm, "krh", &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	if (argc - optind != 1 || argv[optind][0] != '/')
		return cli_usage_error(CGROUP_CMD, "rm: expected one PATH (starting with /)");
	if ((r = cgroup_cli_hierarchies(&hs)) != EXIT_OK)
		return r;
	if (insp_cgroup_remove(hs, argv[optind], (o.kill ? INSP_CGROUP_RM_KILL : 0) |
							 (o.recursive ? INSP_CGROUP_RM_RECURSIVE : 0), &err) < 0) {
		r = cli_insp_error(CGROUP_CMD, &err);
	} else {
		cgroup_cli_audit("cgroup rm %s%s%s", argv[optind], o.kill ? " --kill" : "", o.recursive ? " --recursive" : "");
	}
	insp_cgroup_hierarchies_free(hs);
	return r;
}

static const struct command cmd_cgroup_rm = {
	.name = "rm", .summary = "remove a cgroup (--kill its processes)", .run = rm_main, .usage = rm_usage,
};

static void move_usage(FILE *out)
{
	fputs("Usage: nsctl cgroup move PID... PATH\n"
	      "\n"
	      "Move processes (with all their threads) into PATH in every hierarchy\n"
	      "that has it. All or nothing: if one move fails, the others go back.\n",
	      out);
}

static int move_main(int argc, char **argv)
{
	struct verb_opts o = { 0 };
	struct insp_cgroup_hierarchies *hs;
	struct insp_error err = { 0 };
	pid_t *pids;
	int n, r = parse_verb(argc, argv, &cmd_cgroup_move, "h", &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	n = argc - optind - 1;
	if (n < 1 || argv[argc - 1][0] != '/')
		return cli_usage_error(CGROUP_CMD, "move: expected PID... PATH (starting with /)");
	pids = xcalloc((size_t)n, sizeof(*pids));
	for (int i = 0; i < n; i++)
		if ((pids[i] = cli_parse_pid(argv[optind + i])) < 0) {
			free(pids);
			return cli_usage_error(CGROUP_CMD, "move: '%s' is not a pid", argv[optind + i]);
		}
	if ((r = cgroup_cli_hierarchies(&hs)) != EXIT_OK) {
		free(pids);
		return r;
	}
	if (insp_cgroup_move(hs, pids, (size_t)n, argv[argc - 1], &err) < 0) {
		r = cli_insp_error(CGROUP_CMD, &err);
	} else {
		for (int i = 0; i < n; i++)
			cgroup_cli_audit("cgroup move pid %d -> %s", (int)pids[i], argv[argc - 1]);
	}
	free(pids);
	insp_cgroup_hierarchies_free(hs);
	return r;
}

static const struct command cmd_cgroup_move = {
	.name = "move", .summary = "move processes into a cgroup", .run = move_main, .usage = move_usage,
};

/* ---- knobs */

static void knobs_usage(FILE *out)
{
	fputs("Usage: nsctl cgroup knobs\n\nEvery knob nsctl knows: name, controller, writable, meaning.\n", out);
}

static int knobs_main(int argc, char **argv)
{
	const struct insp_cgroup_knob_info *k;
	struct verb_opts o = { 0 };
	int r = parse_verb(argc, argv, &cmd_cgroup_knobs, "h", &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	printf("%-24s %-10s %-3s %s\n", "KNOB", "CONTROLLER", "RW", "MEANING");
	for (size_t i = 0; (k = insp_cgroup_knob_at(i)); i++)
		printf("%-24s %-10s %-3s %s\n", k->name, k->controller ? k->controller : "(core)",
		       k->writable ? "rw" : "ro", k->help);
	printf("%-24s %-10s %-3s %s\n", "hugetlb.SIZE.max", "hugetlb", "rw", "huge page limit, e.g. hugetlb.2MB.max");
	return EXIT_OK;
}

static const struct command cmd_cgroup_knobs = {
	.name = "knobs", .summary = "list the knobs and what they mean", .run = knobs_main, .usage = knobs_usage,
};

/* ---- dispatch */

static int cgroup_main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_LEN(verbs); i++)
		if (strcmp(verbs[i]->name, argv[1]) == 0)
			return verbs[i]->run(argc - 1, argv + 1);
	return cli_usage_error(CGROUP_CMD, "'%s' is not a verb (tree, show, get, set, create, rm, move, knobs)",
			       argv[1]);
}

const struct command cmd_cgroup = {
	.name = "cgroup",
	.summary = "read the cgroup tree, change limits safely",
	.run = cgroup_main,
	.usage = usage,
};
