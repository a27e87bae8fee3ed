// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl: namespace and cgroup introspection for Linux; one subcommand per file. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command *const commands[] = {
	&cmd_ls,
	&cmd_inspect,
	&cmd_enter,
	&cmd_cgroup,
	&cmd_run,
	&cmd_top,
	&cmd_watch,
	&cmd_sockets,
	&cmd_exporter,
};

static void usage(FILE *out)
{
	fputs("Usage: nsctl [--version] [--help] <command> [<args>]\n"
	      "\n"
	      "Inspect the namespaces, cgroups and security context of processes and\n"
	      "containers on this host.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\n"
	      "'nsctl help <command>' or 'nsctl <command> --help' shows a command's options;\n"
	      "man nsctl-<command> has the details.\n",
	      out);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "nsctl: '%s' is not a command; see 'nsctl --help'.\n", name);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("nsctl %s\n", NSCTL_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	/* For the shell completions: quiet, and never an error message. */
	if (strcmp(argv[1], "--complete") == 0) {
		if (argc > 2 && strcmp(argv[2], "commands") == 0) {
			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				puts(commands[i]->name);
			return EXIT_OK;
		}
		return complete_main(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return EXIT_OK;
		}
		cmd = find_command(argv[2]);
		if (!cmd)
			return unknown_command(argv[2]);
		cmd->usage(stdout);
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return unknown_command(argv[1]);
	return cmd->run(argc - 1, argv + 1);
}
