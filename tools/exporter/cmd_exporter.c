// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl exporter: containers, namespaces and cgroups as Prometheus metrics. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exporter.h"

#define CMD "exporter"
#define STR(x) #x
#define XSTR(x) STR(x)

static void usage(FILE *out)
{
	fputs("Usage: nsctl exporter [options]\n"
	      "\n"
	      "Serve the host's containers, namespaces and cgroups as Prometheus metrics:\n"
	      "/metrics in the Prometheus text format 0.0.4, or OpenMetrics 1.0.0 when the\n"
	      "scraper's Accept header asks for it (gzip when asked), and /healthz.\n"
	      "Collected at scrape time, without timestamps; scrapes that come together\n"
	      "share one collection. Container series carry only container_id and runtime;\n"
	      "nsctl_container_info has the names for joins.\n"
	      "\n"
	      "  -l, --listen ADDR:PORT  where to listen (default 127.0.0.1:" XSTR(EXPORTER_PORT) "); [ADDR6]:PORT,\n"
	      "                          or unix:PATH for a unix socket\n"
	      "      --once              print one exposition on stdout and exit (for\n"
	      "                          node_exporter's textfile collector)\n"
	      "      --deadline SECS     stop a collection after SECS (default 5; Prometheus's\n"
	      "                          X-Prometheus-Scrape-Timeout-Seconds shortens it):\n"
	      "                          what it has is served, with nsctl_exporter_scrape_partial 1\n"
	      "      --root DIR          read runtime state files (container names) below DIR\n"
	      "      --no-bpf            no eBPF: /proc scans, no namespace or cgroup counters\n"
	      "      --list-metrics      the metric table: name, type, labels, source, meaning\n"
	      "  -h, --help              this help\n"
	      "\n"
	      "Needs root (or CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH).\n"
	      "SIGTERM and SIGINT end it cleanly.\n"
	      "\n"
	      "Examples:\n"
	      "  nsctl exporter                                  serve on loopback\n"
	      "  nsctl exporter --listen 0.0.0.0:" XSTR(EXPORTER_PORT) "                serve the network\n"
	      "  nsctl exporter --once > /var/lib/node_exporter/nsctl.prom\n",
	      out);
}

static int parse_args(int argc, char **argv, struct exporter_opts *o)
{
	enum { OPT_ONCE = 256, OPT_DEADLINE, OPT_ROOT, OPT_NO_BPF, OPT_LIST };
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },	     { "once", no_argument, NULL, OPT_ONCE },
		{ "deadline", required_argument, NULL, OPT_DEADLINE }, { "root", required_argument, NULL, OPT_ROOT },
		{ "no-bpf", no_argument, NULL, OPT_NO_BPF },	     { "list-metrics", no_argument, NULL, OPT_LIST },
		{ "help", no_argument, NULL, 'h' },		     { 0 }
	};
	int c, r = 0;

	optind = 1;
	while (!r && (c = getopt_long(argc, argv, "l:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': o->listen = optarg; break;
		case OPT_ONCE: o->once = true; break;
		case OPT_DEADLINE: r = cli_parse_seconds(CMD, "--deadline", optarg, &o->deadline); break;
		case OPT_ROOT: o->state_root = optarg; break;
		case OPT_NO_BPF: o->with_bpf = false; break;
		case OPT_LIST: exp_list_metrics(stdout); return CLI_DONE;
		case 'h': usage(stdout); return CLI_DONE;
		default: return cli_usage_error(CMD, "invalid option");
		}
	}
	if (!r && optind < argc)
		r = cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	return r;
}

static int once(struct exp_collector *c, struct exporter_errors *errors, double deadline)
{
	struct exp_snapshot snap;
	struct expo e = { 0 };
	bool failed;

	exp_collect(c, cli_monotonic() + deadline, &snap);
	exp_render(&snap, errors, EXPO_TEXT, &e);
	fwrite(e.b.p, 1, e.b.len, stdout);
	failed = snap.failed;
	exp_snapshot_free(&snap);
	text_buf_free(&e.b);
	return fflush(stdout) == 0 && !failed ? EXIT_OK : EXIT_FAIL;
}

static int exporter_main(int argc, char **argv)
{
	struct exporter_opts o = { .listen = "127.0.0.1:" XSTR(EXPORTER_PORT), .deadline = 5, .with_bpf = true };
	static struct exporter_errors errors;
	struct exp_collector *c;
	int r = parse_args(argc, argv, &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	if (!(c = exp_collector_new(&o, &errors)))
		return EXIT_FAIL;
	r = o.once ? once(c, &errors, o.deadline) : exp_serve(&o, c, &errors);
	exp_collector_free(c);
	return r;
}

const struct command cmd_exporter = {
	.name = "exporter",
	.summary = "serve containers, namespaces and cgroups as Prometheus metrics",
	.run = exporter_main,
	.usage = usage,
};
