/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every subcommand shares: exit codes, error lines, the command table. */
#ifndef NSCTL_CLI_H
#define NSCTL_CLI_H

#include <signal.h>
#include <stdio.h>

#include <inspect/error.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

/*
 * Every command's parse_args returns 0 to go on, CLI_DONE when it has done
 * all that was asked (--help, --list-columns: exit 0), or an exit status.
 */
#define CLI_DONE (-1)

struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *out);
};

extern const struct command cmd_ls;
extern const struct command cmd_inspect;
extern const struct command cmd_enter;
extern const struct command cmd_cgroup;
extern const struct command cmd_run;
extern const struct command cmd_top;
extern const struct command cmd_watch;
extern const struct command cmd_sockets;
extern const struct command cmd_exporter;

/* nsctl --complete containers|cgroups [--root DIR] (complete.c): words for the shell completions. */
int complete_main(int argc, char **argv);

/*
 * "nsctl: <cmd>: <message>" on stderr, for errors and warnings alike: one
 * line, escaped by the presentation layer (text.h), since it names things.
 */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The one mapping from a library error to an exit status: 2 for bad input, else 1. */
int cli_exit_status(const struct insp_error *err);
/* A libinspect error, as one line; returns cli_exit_status(err). */
int cli_insp_error(const char *cmd, const struct insp_error *err);
/* A usage error with a pointer to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct insp_target;
/*
 * Resolve a target as every command does; on failure print one line and
 * return the exit status (2 for an ambiguous or malformed spec, else 1).
 */
int cli_resolve_target(const char *cmd, const char *spec, const char *state_root,
		       struct insp_target *out);

/* A positive pid from a string, or -1. */
int cli_parse_pid(const char *s);

/* A decimal number up to max for option opt; else a usage error (EXIT_USAGE). */
int cli_parse_uint(const char *cmd, const char *opt, const char *s, unsigned long max, unsigned long *out);

/* "net,uts": bits per enum insp_ns_type added to *types; else a usage error. */
int cli_parse_ns_types(const char *cmd, const char *arg, unsigned *types);

/* A positive number of seconds ("0.5") for option opt; else a usage error. */
int cli_parse_seconds(const char *cmd, const char *opt, const char *s, double *out);

/* CLOCK_MONOTONIC in seconds, for deadlines and rates. */
double cli_monotonic(void);

/* Set by cli_on_stop_signal: loops that run until interrupted end cleanly. */
extern volatile sig_atomic_t cli_stop_signal;
void cli_on_stop_signal(int sig);
/* SIGINT, SIGTERM and SIGHUP set cli_stop_signal (no SA_RESTART: blocking calls return). */
void cli_catch_stop_signals(void);

#endif
