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
	      "user namespace and id maps.\n"
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

static int inspect(const char *spec, const char *root, bool json)
{
	struct insp_error err = { 0 };
	struct report r = { 0 };
	int ret;

	ret = cli_resolve_target(CMD, spec, root, &r.target);
	if (ret != EXIT_OK)
		return ret;
	ret = report_collect(&r, &err);
	if (ret < 0) {
		report_free(&r);
		return cli_insp_error(CMD, &err);
	}
	if (json)
		report_print_json(&r, stdout);
	else
		report_print_text(&r, stdout);
	report_free(&r);
	return EXIT_OK;
}

static int inspect_main(int argc, char **argv)
{
	enum { OPT_ROOT = 256, OPT_CAPS };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "caps-decode", required_argument, NULL, OPT_CAPS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *root = NULL, *decode = NULL;
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case OPT_ROOT:
			root = optarg;
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
	if (decode)
		return optind == argc ? caps_decode(decode, json)
				      : cli_usage_error(CMD, "--caps-decode takes no target");
	if (optind + 1 != argc)
		return cli_usage_error(CMD, optind == argc ? "a pid or container is required"
							   : "one target at a time");
	return inspect(argv[optind], root, json);
}

const struct command cmd_inspect = {
	.name = "inspect",
	.summary = "everything about one process or container",
	.run = inspect_main,
	.usage = usage,
};
