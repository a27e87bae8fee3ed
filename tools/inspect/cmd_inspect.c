// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl inspect: what is this process, really? */
#include <getopt.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include <inspect/caps.h>

#include "cli.h"
#include "json.h"
#include "report.h"

#define CMD "inspect"

static void usage(FILE *out)
{
	fputs("Usage: nsctl inspect [options] <pid|container>\n"
	      "       nsctl inspect --caps-decode <mask>\n"
	      "\n"
	      "Everything about one process or container, seen from the host: identity,\n"
	      "container and pod, namespaces (shared with the host? with the parent?),\n"
	      "cgroups with limits and usage, and the security context: capability sets\n"
	      "compared with known profiles, no_new_privs, seccomp, LSM label, securebits,\n"
	      "user namespace and id maps; the mounts (root, counts, warnings).\n"
	      "\n"
	      "Target:\n"
	      "  4242               a pid (as the host sees it)\n"
	      "  3f2a1c             a container id or unique id prefix\n"
	      "  web                a container name (docker, podman, kubernetes container)\n"
	      "  docker:3f2a        limit the match to one runtime; pid:4242 forces a pid\n"
	      "  A container stands for its first process (the one whose parent is outside).\n"
	      "\n"
	      "Options:\n"
	      "  -J, --json             one JSON document\n"
	      "      --root DIR         read runtime state files below DIR (e.g. /host when\n"
	      "                         the host's / is mounted there)\n"
	      "      --seccomp          the seccomp table: for every chain of filters (threads\n"
	      "                         can differ), what each syscall of x86_64 and i386 meets:\n"
	      "                         allow, errno(N), kill_process, kill_thread, trap, log,\n"
	      "                         trace, user_notif, or the worst case and what else the\n"
	      "                         arguments can meet when the filters read them\n"
	      "      --mounts           the mount table instead: every mount as the target\n"
	      "                         sees it, with the host path of the same directory,\n"
	      "                         overlay layers, ro/rw/masked, propagation, and\n"
	      "                         warnings (runtime sockets, the host's /, writable\n"
	      "                         /proc/sys or /sys, the host's /dev)\n"
	      "      --seccomp-source S how to read filters: auto (default: eBPF, else ptrace),\n"
	      "                         bpf (nothing stops), ptrace (each thread read is stopped\n"
	      "                         for about 0.1 ms; needs CAP_SYS_ADMIN and nsctl itself\n"
	      "                         outside any seccomp filter)\n"
	      "      --caps-decode MASK decode a capability mask (hex, as in /proc/PID/status)\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Exit status: 0 ok, 1 target missing or unreadable, 2 usage error or an\n"
	      "ambiguous container prefix (the candidates are listed).\n"
	      "See nsctl-inspect(8).\n",
	      out);
}

static int caps_decode(const char *text, bool json)
{
	uint64_t mask;
	char *names, *desc;

	if (insp_caps_parse(text, &mask) < 0)
		return cli_usage_error(CMD, "--caps-decode: '%s' is not a capability mask", text);
	if (json) {
		json_print(stdout, caps_json(mask), true);
		return EXIT_OK;
	}
	names = insp_caps_names(mask);
	desc = insp_caps_describe(mask);
	printf("0x%016llx=%s\nprofile: %s\n", (unsigned long long)mask, names ? names : "?",
	       desc ? desc : "?");
	free(names);
	free(desc);
	return EXIT_OK;
}

struct inspect_opts {
	const char *root;
	bool json, seccomp_table, mounts_table;
	enum insp_seccomp_source seccomp_source;
};

/* One table instead of the report: --seccomp or --mounts. */
static int inspect_table(const char *spec, const struct inspect_opts *o)
{
	struct insp_error err = { 0 };
	struct insp_target t;
	int ret = cli_resolve_target(CMD, spec, o->root, &t);

	if (ret != EXIT_OK)
		return ret;
	ret = o->mounts_table ? mounts_report(&t, o->json, stdout, &err)
			      : seccomp_report(&t, o->seccomp_source, o->json, stdout, &err);
	insp_target_release(&t);
	return ret < 0 ? cli_insp_error(CMD, &err) : EXIT_OK;
}

static int inspect(const char *spec, const struct inspect_opts *o)
{
	struct insp_error err = { 0 };
	struct report r = { .seccomp_source = o->seccomp_source };
	int ret;

	if (o->seccomp_table || o->mounts_table)
		return inspect_table(spec, o);
	ret = cli_resolve_target(CMD, spec, o->root, &r.target);
	if (ret != EXIT_OK)
		return ret;
	ret = report_collect(&r, &err);
	if (ret < 0) {
		report_free(&r);
		return cli_insp_error(CMD, &err);
	}
	if (o->json)
		report_print_json(&r, stdout);
	else
		report_print_text(&r, stdout);
	report_free(&r);
	return EXIT_OK;
}

static int inspect_main(int argc, char **argv)
{
	enum { OPT_ROOT = 256, OPT_CAPS, OPT_SECCOMP, OPT_SECCOMP_SOURCE, OPT_MOUNTS };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "caps-decode", required_argument, NULL, OPT_CAPS },
		{ "seccomp", no_argument, NULL, OPT_SECCOMP },
		{ "mounts", no_argument, NULL, OPT_MOUNTS },
		{ "seccomp-source", required_argument, NULL, OPT_SECCOMP_SOURCE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static const char *const sources[] = { "auto", "bpf", "ptrace" };
	struct inspect_opts o = { 0 };
	const char *decode = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			o.json = true;
			break;
		case OPT_ROOT:
			o.root = optarg;
			break;
		case OPT_SECCOMP:
			o.seccomp_table = true;
			break;
		case OPT_MOUNTS:
			o.mounts_table = true;
			break;
		case OPT_SECCOMP_SOURCE:
			for (c = 0; c < 3 && strcmp(optarg, sources[c]); c++)
				;
			if (c == 3)
				return cli_usage_error(CMD, "--seccomp-source: '%s' is not auto, bpf or ptrace", optarg);
			o.seccomp_source = (enum insp_seccomp_source)c;
			break;
		case OPT_CAPS:
			decode = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return cli_usage_error(CMD, "unknown option");
		}
	}
	if (o.seccomp_table && o.mounts_table)
		return cli_usage_error(CMD, "--seccomp and --mounts: one table at a time");
	if (decode)
		return optind == argc ? caps_decode(decode, o.json)
				      : cli_usage_error(CMD, "--caps-decode takes no target");
	if (optind + 1 != argc)
		return cli_usage_error(CMD, optind == argc ? "a pid or container is required"
							   : "one target at a time");
	return inspect(argv[optind], &o);
}

const struct command cmd_inspect = {
	.name = "inspect",
	.summary = "everything about one process or container",
	.run = inspect_main,
	.usage = usage,
};
