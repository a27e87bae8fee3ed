// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl top: containers, cgroups and namespaces live, on a screen or as a stream. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "top.h"
#include "top_screen.h"

#define CMD "top"

struct top_opts {
	struct top_screen_opts screen;
	bool batch, json, bpf;
	const char *state_root;
};

static void usage(FILE *out)
{
	fputs("Usage: nsctl top [options]\n"
	      "\n"
	      "Containers, cgroups or namespaces, refreshed live: cpu, memory, tasks,\n"
	      "io rates and pressure from the cgroups, namespace counts, and (eBPF)\n"
	      "namespaces created and setns calls per second.\n"
	      "\n"
	      "  -v, --view VIEW        containers (default), cgroups or namespaces\n"
	      "  -d, --delay SECS       seconds between refreshes (default 1)\n"
	      "  -n, --iterations N     stop after N refreshes\n"
	      "  -s, --sort COLUMN      sort by a column (default CPU%, PROCS for namespaces)\n"
	      "  -r, --reverse          reverse the order\n"
	      "  -f, --filter TEXT      only rows whose text columns contain TEXT\n"
	      "      --flat             cgroups view: full paths, sorted like other views\n"
	      "  -b, --batch            no screen: a table per refresh on standard output\n"
	      "  -J, --json             with --batch: one JSON object per refresh (NDJSON)\n"
	      "      --no-bpf           leave the eBPF columns empty\n"
	      "      --root DIR         read runtime state files (container names) below DIR\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Keys: q quit, v/Tab next view (c containers, C cgroups, n namespaces),\n"
	      "< > sort column, r reverse, P/M/N sort by CPU%/MEM/NEWNS, / filter (Esc clears),\n"
	      "t tree, arrows and PgUp/PgDn select, Enter inspect the row, e show the\n"
	      "`nsctl enter` command for it (printed again on exit). NO_COLOR turns colors off.\n"
	      "\n"
	      "Examples:\n"
	      "  nsctl top\n"
	      "  nsctl top -v cgroups -s MEM\n"
	      "  nsctl top -b -J -n 10 -d 5 | jq -c '.rows[] | {name, cpu_percent}'\n",
	      out);
}

static int parse_sort(const char *name, int *col)
{
	for (int c = 0; c < NCOLS; c++)
		if (strcasecmp(top_columns[c].name, name) == 0 || strcasecmp(top_columns[c].key, name) == 0) {
			*col = c;
			return 0;
		}
	return cli_usage_error(CMD, "--sort '%s': no such column", name);
}

static int parse_args(int argc, char **argv, struct top_opts *o)
{
	enum { OPT_FLAT = 256, OPT_NO_BPF, OPT_ROOT };
	static const struct option longopts[] = {
		{ "view", required_argument, NULL, 'v' },   { "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' }, { "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },	     { "filter", required_argument, NULL, 'f' },
		{ "flat", no_argument, NULL, OPT_FLAT },     { "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'J' },	     { "no-bpf", no_argument, NULL, OPT_NO_BPF },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },	     { 0 }
	};
	bool sorted = false;
	int c, r = 0, v;

	optind = 1;
	while (!r && (c = getopt_long(argc, argv, "v:d:n:s:rf:bJh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if ((v = top_view_from_name(optarg)) < 0)
				return cli_usage_error(CMD, "--view '%s': containers, cgroups or namespaces", optarg);
			o->screen.view = (enum top_view)v;
			break;
		case 'd': r = cli_parse_seconds(CMD, "--delay", optarg, &o->screen.delay); break;
		case 'n': r = cli_parse_uint(CMD, "--iterations", optarg, 1UL << 30, &o->screen.iterations); break;
		case 's': r = parse_sort(optarg, &o->screen.sort_col); sorted = true; break;
		case 'r': o->screen.reverse = true; break;
		case 'f':
			if (strlen(optarg) >= sizeof(o->screen.filter))
				return cli_usage_error(CMD, "--filter: longer than %zu characters", sizeof(o->screen.filter) - 1);
			strcpy(o->screen.filter, optarg);
			break;
		case OPT_FLAT: o->screen.tree = false; break;
		case 'b': o->batch = true; break;
		case 'J': o->json = o->batch = true; break;
		case OPT_NO_BPF: o->bpf = false; break;
		case OPT_ROOT: o->state_root = optarg; break;
		case 'h': usage(stdout); return CLI_DONE;
		default: return cli_usage_error(CMD, "invalid option");
		}
	}
	if (!r && optind < argc)
		r = cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	if (!r && !sorted)
		o->screen.sort_col = o->screen.view == VIEW_NAMESPACES ? TC_PROCS : TC_CPU;
	if (!r && !(top_view_visible(o->screen.view) & (1ULL << o->screen.sort_col)))
		r = cli_usage_error(CMD, "--sort %s: not a column of the %s view", top_columns[o->screen.sort_col].name,
				    top_view_name(o->screen.view));
	return r;
}

/* Sleep until due, taking eBPF events as they come so short-lived callers are still placed. */
static void wait_until(struct top_collector *c, double due)
{
	struct pollfd fd = { .fd = top_collector_events_fd(c), .events = POLLIN };

	for (double left; !cli_stop_signal && (left = due - cli_monotonic()) > 0;) {
		poll(&fd, 1, top_collector_events_timeout(c, (int)(left * 1000) + 1));
		top_collector_drain(c);
	}
}

static int batch(struct top_collector *c, struct top_opts *o)
{
	struct top_screen_opts *so = &o->screen;
	struct sigaction sa = { .sa_handler = cli_on_stop_signal };
	struct top_snapshot snap;
	int r = 0;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Rates need two samples: the first refresh is one delay away, like top -b. */
	if (top_collect(c, so->view, top_view_visible(so->view), &snap) == 0)
		top_snapshot_free(&snap);
	for (unsigned long i = 0; !cli_stop_signal && (!so->iterations || i < so->iterations); i++) {
		wait_until(c, cli_monotonic() + so->delay);
		if (cli_stop_signal)
			break;
		if ((r = top_collect(c, so->view, top_view_visible(so->view), &snap)) < 0) {
			cli_error(CMD, "collecting: %s", strerror(-r));
			return EXIT_FAIL;
		}
		top_sort(&snap, so->sort_col, so->reverse, so->tree);
		r = o->json ? top_print_json(stdout, &snap, so->filter) : top_print_text(stdout, &snap, so->filter, so->tree);
		top_snapshot_free(&snap);
		if (r != 0)
			return errno == EPIPE ? EXIT_OK : (cli_error(CMD, "writing output: %s", strerror(errno)), EXIT_FAIL);
	}
	return EXIT_OK;
}

static int top_main(int argc, char **argv)
{
	struct top_opts o = { .screen = { .delay = 1, .tree = true }, .bpf = true };
	struct top_collector *c;
	int r = parse_args(argc, argv, &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	c = top_collector_new(o.bpf, o.state_root);
	if (!c) {
		cli_error(CMD, "reading the cgroup hierarchies: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (o.batch) {
		r = batch(c, &o);
	} else {
		r = top_screen_run(c, &o.screen);
		if (r == -ENOTTY)
			cli_error(CMD, "the screen needs a terminal; use --batch (or --json) in pipes");
		else if (r < 0)
			cli_error(CMD, "collecting: %s", strerror(-r));
		r = r < 0 ? EXIT_FAIL : EXIT_OK;
	}
	top_collector_free(c);
	return r;
}

const struct command cmd_top = {
	.name = "top",
	.summary = "containers, cgroups and namespaces live (ncurses, or batch/JSON)",
	.run = top_main,
	.usage = usage,
};
