// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl cgroup show: one cgroup, every limit beside its usage, events and pressure. */
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_cli.h"
#include "cli.h"
#include "json.h"
#include "text.h"
#include "units.h"
#include "xalloc.h"

struct knob_value {
	const struct insp_cgroup_knob_info *info;
	char *text;
};

struct show {
	const struct insp_cgroup_hierarchies *hs;
	const struct insp_cgroup *cg;
	pid_t *pids;
	size_t npids;
	struct knob_value *v;	/* the knobs this cgroup has, in table order */
	size_t n;
};

static void usage(FILE *out)
{
	fputs("Usage: nsctl cgroup show [options] <path|pid|container>\n"
	      "\n"
	      "One cgroup: where it lives in each hierarchy, its processes, every\n"
	      "limit beside its usage, events (OOM kills, throttling, refused forks)\n"
	      "and pressure (PSI). v1 files are shown under their v2 names.\n"
	      "\n"
	      "  -J, --json             one JSON document; values typed (numbers, \"max\")\n"
	      "      --root DIR         read a container target's state files below DIR\n"
	      "  -h, --help             this help\n",
	      out);
}

static void collect(struct show *s)
{
	const struct insp_cgroup_knob_info *k;

	insp_cgroup_procs(s->cg, &s->pids, &s->npids);
	for (size_t i = 0; (k = insp_cgroup_knob_at(i)); i++) {
		char *text;

		/* A knob this host or hierarchy lacks is simply not shown. */
		if (insp_cgroup_get(s->cg, k->name, &text, NULL) < 0)
			continue;
		s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
		s->v[s->n++] = (struct knob_value){ k, text };
	}
}

/* "k v" lines as "k v, k v" on one line. */
static char *keyed_line(const char *text)
{
	char *line = xmalloc(strlen(text) * 2 + 1), *q = line;

	for (const char *p = text; *p; p++) {
		if (*p != '\n')
			*q++ = *p;
		else if (p[1])
			q = stpcpy(q, ", ");
	}
	*q = '\0';
	return line;
}

static void print_psi(const char *name, const char *text)
{
	struct insp_cgroup_psi psi;
	char total[32];

	if (insp_cgroup_psi_parse(text, &psi) < 0)
		return;
	printf("  %-22s some %5.2f %5.2f %5.2f %9s", name, psi.some.avg10, psi.some.avg60, psi.some.avg300,
	       units_usec(psi.some.total_us, total, sizeof(total)));
	if (psi.full.present)
		printf("   full %5.2f %5.2f %5.2f %9s", psi.full.avg10, psi.full.avg60, psi.full.avg300,
		       units_usec(psi.full.total_us, total, sizeof(total)));
	putchar('\n');
}

static void print_section(const struct show *s, const char *title, bool writable, bool multi)
{
	bool first = true;
	char buf[96];

	for (size_t i = 0; i < s->n; i++) {
		const struct insp_cgroup_knob_info *k = s->v[i].info;
		bool keyed = k->unit == INSP_CGROUP_KEYED || k->unit == INSP_CGROUP_PSI ||
			     strchr(s->v[i].text, '\n') || strcmp(k->name, "io.stat") == 0;

		/* memory.stat has dozens of lines: get and --json have it. */
		if (k->writable != writable || keyed != multi || k->unit == INSP_CGROUP_TEXT ||
		    strcmp(k->name, "memory.stat") == 0)
			continue;
		if (first)
			printf("%s\n", title);
		first = false;
		if (k->unit == INSP_CGROUP_PSI) {
			print_psi(k->name, s->v[i].text);
			continue;
		}
		if (multi) {
			char *line = keyed_line(s->v[i].text);

			text_line(stdout, "  %-22s %s", k->name, line);
			free(line);
		} else {
			text_line(stdout, "  %-22s %s", k->name,
				  *s->v[i].text ? cgroup_cli_human(k->name, s->v[i].text, buf, sizeof(buf)) : "-");
		}
	}
}

static void print_text(const struct show *s)
{
	text_line(stdout, "cgroup %s", insp_cgroup_path(s->cg));
	for (size_t i = 0; i < insp_cgroup_hierarchies_count(s->hs); i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(s->hs, i);
		const char *path = insp_cgroup_path_in(s->cg, h);

		if (path)
			text_line(stdout, "  %-22s %s%s", h->unified ? "v2" : h->controllers, h->mount,
				  strcmp(path, "/") == 0 ? "" : path);
	}
	printf("  %-22s %zu", "processes", s->npids);
	for (size_t i = 0; i < s->npids && i < 16; i++)
		printf("%s%d", i ? " " : ": ", (int)s->pids[i]);
	printf("%s\n", s->npids > 16 ? " ..." : "");
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].info->unit == INSP_CGROUP_TEXT && *s->v[i].text && strcmp(s->v[i].info->name, "io.stat"))
			text_line(stdout, "  %-22s %s", s->v[i].info->name, s->v[i].text);
	print_section(s, "limits", true, false);
	print_section(s, "usage", false, false);
	print_section(s, "statistics and events", false, true);
}

static void print_json(const struct show *s)
{
	json_object *root = json_object_new_object(), *hier = json_object_new_array(),
		    *pids = json_object_new_array(), *knobs = json_object_new_object();

	for (size_t i = 0; i < insp_cgroup_hierarchies_count(s->hs); i++) {
		const struct insp_cgroup_hierarchy *h = insp_cgroup_hierarchies_at(s->hs, i);
		const char *path = insp_cgroup_path_in(s->cg, h);
		json_object *o;

		if (!path)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "hierarchy", json_object_new_string(h->unified ? "v2" : h->controllers));
		json_object_object_add(o, "mount", json_object_new_string(h->mount));
		json_object_object_add(o, "path", json_object_new_string(path));
		json_object_array_add(hier, o);
	}
	for (size_t i = 0; i < s->npids; i++)
		json_object_array_add(pids, json_object_new_int(s->pids[i]));
	for (size_t i = 0; i < s->n; i++)
		json_object_object_add(knobs, s->v[i].info->name, cgroup_cli_json(s->v[i].info->name, s->v[i].text));
	json_object_object_add(root, "path", json_object_new_string(insp_cgroup_path(s->cg)));
	json_object_object_add(root, "hierarchies", hier);
	json_object_object_add(root, "pids", pids);
	json_object_object_add(root, "knobs", knobs);
	json_print(stdout, root, true);
}

static int show_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' }, { "help", no_argument, NULL, 'h' },
		{ "root", required_argument, NULL, 'R' }, { 0 }
	};
	const char *state_root = NULL;
	struct insp_cgroup_hierarchies *hs;
	struct insp_cgroup *cg;
	struct show s = { 0 };
	bool json = false;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = true; break;
		case 'R': state_root = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return cli_usage_error(CGROUP_CMD, "invalid option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(CGROUP_CMD, "show takes one cgroup path, pid or container");
	if ((r = cgroup_cli_hierarchies(&hs)) != EXIT_OK)
		return r;
	if ((r = cgroup_cli_open(argv[optind], state_root, hs, &cg)) == EXIT_OK) {
		s = (struct show){ .hs = hs, .cg = cg };
		collect(&s);
		json ? print_json(&s) : print_text(&s);
		if (fflush(stdout) != 0)
			r = EXIT_FAIL;
		for (size_t i = 0; i < s.n; i++)
			free(s.v[i].text);
		free(s.v);
		free(s.pids);
		insp_cgroup_close(cg);
	}
	insp_cgroup_hierarchies_free(hs);
	return r;
}

const struct command cmd_cgroup_show = {
	.name = "show",
	.summary = "one cgroup: limits beside usage, events, pressure",
	.run = show_main,
	.usage = usage,
};
