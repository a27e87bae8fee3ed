// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl watch: namespace and cgroup events as they happen, a line each. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <inspect/container.h>
#include <inspect/events.h>
#include <inspect/proc.h>
#include <inspect/target.h>

#include "cli.h"
#include "event_line.h"
#include "procinfo.h"
#include "xalloc.h"

#define CMD "watch"
#define MAX_HIERARCHIES 64

struct watch_opts {
	bool json;
	bool stats;
	unsigned types;		/* bit per namespace type; 0 = all */
	unsigned kinds;		/* bit per enum insp_event_kind; 0 = all */
	const char *pid_spec;
	const char *container_spec;
	const char *state_root;
	unsigned long count;	/* 0 = no limit */
	double duration;	/* 0 = no limit */
};

struct watch {
	const struct watch_opts *o;
	struct insp_container_cache *containers;
	struct insp_target target;
	bool have_target;
	unsigned long shown;
	uint64_t dropped_reported;
	char *controllers[MAX_HIERARCHIES];	/* hierarchy id -> its controllers */
};

static void usage(FILE *out)
{
	fputs("Usage: nsctl watch [options]\n"
	      "\n"
	      "Trace namespace creation (unshare, clone, clone3 with CLONE_NEW* flags),\n"
	      "namespace entry (setns) and cgroup mkdir, rmdir and attach as they happen,\n"
	      "with eBPF: one line per event, flushed at once so pipes see it.\n"
	      "\n"
	      "  -J, --json             one JSON object per line (NDJSON)\n"
	      "  -t, --type LIST        only namespace events of these types (net,uts,...)\n"
	      "  -e, --event LIST       only these events: unshare, clone, clone3, setns,\n"
	      "                         mkdir, rmdir, attach; 'ns' and 'cgroup' name groups\n"
	      "  -p, --pid PID          only calls made by this process (filtered in the kernel)\n"
	      "  -C, --container C      only processes of this container (id, prefix or name)\n"
	      "  -c, --count N          stop after N events\n"
	      "  -d, --duration SECS    stop after SECS seconds\n"
	      "  -s, --stats            at the end, print the counters per namespace type\n"
	      "      --root DIR         read runtime state files (container names) below DIR\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "TYPES are the namespaces a call created or entered; DETAIL gives their\n"
	      "new inode numbers (the ids of /proc/PID/ns/*), or the cgroup path.\n"
	      "Needs CAP_BPF and CAP_PERFMON (or root) and a kernel with BTF.\n"
	      "\n"
	      "Examples:\n"
	      "  nsctl watch -e ns                      every namespace change on the host\n"
	      "  nsctl watch -J -t net | jq .new_ids    new network namespaces\n"
	      "  nsctl watch -C web -c 10               the next 10 events from container web\n",
	      out);
}

static int parse_kinds(const char *arg, unsigned *kinds)
{
	char *copy = xstrdup(arg), *save = NULL;
	int r = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok && !r; tok = strtok_r(NULL, ",", &save)) {
		int k = insp_event_kind_from_name(tok);

		if (strcmp(tok, "ns") == 0)
			*kinds |= (1u << INSP_EVENT_CGROUP_MKDIR) - 1;
		else if (strcmp(tok, "cgroup") == 0)
			*kinds |= ((1u << INSP_EVENT_NKINDS) - 1) & ~((1u << INSP_EVENT_CGROUP_MKDIR) - 1);
		else if (k < 0)
			r = cli_usage_error(CMD, "unknown event '%s'", tok);
		else
			*kinds |= 1u << k;
	}
	free(copy);
	return r;
}

static int parse_args(int argc, char **argv, struct watch_opts *o)
{
	enum { OPT_ROOT = 256 };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },	       { "type", required_argument, NULL, 't' },
		{ "event", required_argument, NULL, 'e' },     { "pid", required_argument, NULL, 'p' },
		{ "container", required_argument, NULL, 'C' }, { "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },  { "stats", no_argument, NULL, 's' },
		{ "root", required_argument, NULL, OPT_ROOT }, { "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c, r = 0;

	optind = 1;
	while (!r && (c = getopt_long(argc, argv, "Jt:e:p:C:c:d:sh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': o->json = true; break;
		case 't': r = cli_parse_ns_types(CMD, optarg, &o->types); break;
		case 'e': r = parse_kinds(optarg, &o->kinds); break;
		case 'p':
			if (cli_parse_pid(optarg) < 0)
				return cli_usage_error(CMD, "--pid '%s': not a pid", optarg);
			o->pid_spec = optarg;
			break;
		case 'C': o->container_spec = optarg; break;
		case 'c': r = cli_parse_uint(CMD, "--count", optarg, 1UL << 40, &o->count); break;
		case 'd': r = cli_parse_seconds(CMD, "--duration", optarg, &o->duration); break;
		case 's': o->stats = true; break;
		case OPT_ROOT: o->state_root = optarg; break;
		case 'h': usage(stdout); return CLI_DONE;
		default: return cli_usage_error(CMD, "invalid option");
		}
	}
	if (!r && optind < argc)
		r = cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	if (!r && o->pid_spec && o->container_spec)
		r = cli_usage_error(CMD, "--pid and --container exclude each other");
	return r;
}

/* Hierarchy ids name controllers in /proc/self/cgroup ("4:memory:/x"). */
static void read_controllers(struct watch *w)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *end;
		long id = strtol(line, NULL, 10);

		if (!colon || id < 0 || id >= MAX_HIERARCHIES || !(end = strchr(colon + 1, ':')))
			continue;
		*end = '\0';
		free(w->controllers[id]);
		w->controllers[id] = xstrdup(id == 0 ? "cgroup2" : colon + 1);
	}
	fclose(f);
}

static bool container_of(pid_t pid, struct insp_container_ref *ref)
{
	return pid > 0 && insp_container_of_pid(pid, ref) == 0;
}

static bool same_container(const struct insp_container_ref *a, const struct insp_container_ref *b)
{
	return strcmp(a->runtime, b->runtime) == 0 && strcmp(a->id, b->id) == 0;
}

static bool in_target_container(const struct watch *w, const struct insp_event *e, bool have,
				const struct insp_container_ref *ref)
{
	const struct insp_container_ref *want = &w->target.container.ref;
	struct insp_container_ref other;

	if (have && same_container(ref, want))
		return true;
	if (!event_is_cgroup(e))
		return false;
	return (insp_container_from_cgroup_path(e->path, &other) == 0 && same_container(&other, want)) ||
	       (container_of(e->child, &other) && same_container(&other, want));
}

static bool selected(const struct watch *w, const struct insp_event *e)
{
	if (w->o->kinds && !(w->o->kinds & (1u << e->kind)))
		return false;
	if (w->o->types && (event_is_cgroup(e) || !((e->types | event_asked_types(e)) & w->o->types)))
		return false;
	return true;
}

static int on_event(const struct insp_event *e, void *data)
{
	struct watch *w = data;
	struct insp_container_ref ref;
	const struct insp_container_info *container = NULL;
	const char *controllers = NULL;
	bool have;

	if (!selected(w, e))
		return 0;
	have = insp_container_of_event(w->containers, e, &ref) == 0;
	if (w->o->container_spec && !in_target_container(w, e, have, &ref))
		return 0;
	if (have)
		container = insp_container_cache_get(w->containers, &ref);
	if (event_is_cgroup(e) && e->hierarchy >= 0 && e->hierarchy < MAX_HIERARCHIES)
		controllers = w->controllers[e->hierarchy];
	if (w->o->json)
		event_print_json(stdout, e, container, controllers);
	else
		event_print_text(stdout, e, container, controllers);
	if (fflush(stdout) != 0)
		return -EPIPE;
	w->shown++;
	return w->o->count && w->shown >= w->o->count ? -ECANCELED : 0;
}

static void report_drops(struct watch *w, const struct insp_event_counters *c)
{
	uint64_t lost = c->dropped - w->dropped_reported;

	if (!lost)
		return;
	w->dropped_reported = c->dropped;
	cli_error(CMD, "%llu events dropped: the ring buffer was full", (unsigned long long)lost);
	if (w->o->json) {
		printf("{\"event\":\"dropped\",\"count\":%llu}\n", (unsigned long long)lost);
		fflush(stdout);
	}
}

static void print_kind_counts(const char *name, const uint64_t *counts)
{
	printf(",\"%s\":{", name);
	for (int k = 0; k < INSP_EVENT_NKINDS; k++)
		printf("%s\"%s\":%llu", k ? "," : "", insp_event_kind_name((enum insp_event_kind)k),
		       (unsigned long long)counts[k]);
	printf("}");
}

static void print_stats(const struct watch *w, const struct insp_event_counters *c)
{
	if (w->o->json) {
		printf("{\"event\":\"counters\"");
		for (int t = 0; t < INSP_NS_NTYPES; t++)
			printf(",\"%s\":{\"created\":%llu,\"entered\":%llu}", insp_ns_type_name((enum insp_ns_type)t),
			       (unsigned long long)c->created[t], (unsigned long long)c->entered[t]);
		print_kind_counts("calls", c->calls);
		print_kind_counts("failed", c->failed);
		printf(",\"dropped\":%llu}\n", (unsigned long long)c->dropped);
		return;
	}
	printf("%-8s %8s %8s\n", "TYPE", "CREATED", "ENTERED");
	for (int t = 0; t < INSP_NS_NTYPES; t++)
		printf("%-8s %8llu %8llu\n", insp_ns_type_name((enum insp_ns_type)t),
		       (unsigned long long)c->created[t], (unsigned long long)c->entered[t]);
	printf("\n%-8s %8s %8s\n", "EVENT", "CALLS", "FAILED");
	for (int k = 0; k < INSP_EVENT_NKINDS; k++)
		printf("%-8s %8llu %8llu\n", insp_event_kind_name((enum insp_event_kind)k),
		       (unsigned long long)c->calls[k], (unsigned long long)c->failed[k]);
	printf("dropped %llu\n", (unsigned long long)c->dropped);
}

static int resolve(struct watch *w)
{
	const char *spec = w->o->pid_spec ? w->o->pid_spec : w->o->container_spec;
	int r;

	if (!spec)
		return EXIT_OK;
	r = cli_resolve_target(CMD, spec, w->o->state_root, &w->target);
	if (r != EXIT_OK)
		return r;
	w->have_target = true;
	if (w->o->container_spec && !w->target.in_container) {
		cli_error(CMD, "'%s' is not a container", spec);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Wait for events until a limit, a signal, or the watched process's exit. */
static int loop(struct watch *w, struct insp_events *ev)
{
	struct pollfd fds[2] = { { .fd = insp_events_fd(ev), .events = POLLIN },
				 { .fd = w->o->pid_spec ? w->target.pidfd : -1, .events = POLLIN } };
	double deadline = w->o->duration ? cli_monotonic() + w->o->duration : 0, last_check = cli_monotonic();
	struct insp_event_counters c;
	struct insp_error err = { 0 };

	while (!cli_stop_signal) {
		int timeout = 1000, r;

		if (deadline) {
			double left = deadline - cli_monotonic();

			if (left <= 0)
				break;
			if (left * 1000 < timeout)
				timeout = (int)(left * 1000) + 1;
		}
		if (poll(fds, 2, insp_events_timeout(ev, timeout)) < 0 && errno != EINTR)
			return (cli_error(CMD, "poll: %s", strerror(errno)), EXIT_FAIL);
		r = insp_events_poll(ev, 0, on_event, w, &err);
		if (r == -ECANCELED)
			break;
		if (r == -EPIPE)
			return EXIT_OK;
		if (r < 0)
			return cli_insp_error(CMD, &err);
		if (cli_monotonic() - last_check >= 1 && insp_events_counters(ev, &c, NULL) == 0) {
			report_drops(w, &c);
			last_check = cli_monotonic();
		}
		if (fds[1].revents & POLLIN) {
			/* Its last calls are already in the ring buffer. */
			insp_events_poll(ev, 0, on_event, w, NULL);
			cli_error(CMD, "pid %d exited", (int)w->target.pid);
			break;
		}
	}
	if (insp_events_counters(ev, &c, &err) < 0)
		return cli_insp_error(CMD, &err);
	report_drops(w, &c);
	if (w->o->stats)
		print_stats(w, &c);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int watch_main(int argc, char **argv)
{
	struct watch_opts o = { 0 };
	struct watch w = { .o = &o, .target = { .pidfd = -1 } };
	struct insp_events_opts eo = { 0 };
	struct insp_events *ev = NULL;
	struct insp_error err = { 0 };
	int r = parse_args(argc, argv, &o);

	if (r)
		return r == CLI_DONE ? EXIT_OK : r;
	if ((r = resolve(&w)) != EXIT_OK)
		goto out;
	if (insp_container_cache_new(&w.containers, o.state_root, &err) < 0) {
		r = cli_insp_error(CMD, &err);
		goto out;
	}
	if (o.pid_spec)
		eo.only_pid = w.target.pid;
	cli_catch_stop_signals();
	signal(SIGPIPE, SIG_IGN);
	if (insp_events_open(&ev, &eo, &err) < 0) {
		r = cli_insp_error(CMD, &err);
		goto out;
	}
	read_controllers(&w);
	if (!o.json) {
		event_print_text_header(stdout);
		fflush(stdout);
	}
	r = loop(&w, ev);
out:
	insp_events_close(ev);
	insp_container_cache_free(w.containers);
	if (w.have_target)
		insp_target_release(&w.target);
	for (size_t i = 0; i < MAX_HIERARCHIES; i++)
		free(w.controllers[i]);
	return r;
}

const struct command cmd_watch = {
	.name = "watch",
	.summary = "namespace and cgroup events as they happen (eBPF)",
	.run = watch_main,
	.usage = usage,
};
