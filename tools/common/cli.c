// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <inspect/ns.h>
#include <inspect/target.h>

#include "cli.h"
#include "text.h"
#include "xalloc.h"

/* Messages echo names from the host and its containers: one escaped line, whatever they hold. */
__attribute__((format(printf, 2, 0)))
static void vreport(const char *cmd, const char *fmt, va_list ap)
{
	struct text_buf b = { 0 };
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	text_format(&b, "nsctl: %s: %s", cmd, msg);
	fprintf(stderr, "%s\n", b.p);
	text_buf_free(&b);
	free(msg);
}

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
}

int cli_exit_status(const struct insp_error *err)
{
	return err->kind == INSP_ERROR_INPUT ? EXIT_USAGE : EXIT_FAIL;
}

int cli_insp_error(const char *cmd, const struct insp_error *err)
{
	cli_error(cmd, "%s", err->msg[0] ? err->msg : "unknown error");
	return cli_exit_status(err);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'nsctl %s --help' for more information.\n", cmd);
	return EXIT_USAGE;
}

int cli_parse_pid(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v <= 0 || v > INT_MAX)
		return -1;
	return (int)v;
}

int cli_parse_uint(const char *cmd, const char *opt, const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *out > max)
		return cli_usage_error(cmd, "%s: '%s' is not a number up to %lu", opt, s, max);
	return 0;
}

int cli_resolve_target(const char *cmd, const char *spec, const char *state_root,
		       struct insp_target *out)
{
	struct insp_resolve_opts opts = { .state_root = state_root };
	struct insp_error err = { 0 };
	int r = insp_target_resolve(spec, &opts, out, &err);

	return r == 0 ? EXIT_OK : cli_insp_error(cmd, &err);
}

int cli_parse_ns_types(const char *cmd, const char *arg, unsigned *types)
{
	char *copy = xstrdup(arg), *save = NULL;
	int r = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok && !r; tok = strtok_r(NULL, ",", &save)) {
		int t = insp_ns_type_from_name(tok);

		if (t < 0)
			r = cli_usage_error(cmd, "unknown namespace type '%s'", tok);
		else
			*types |= 1u << t;
	}
	free(copy);
	return r;
}

int cli_parse_seconds(const char *cmd, const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 86400 * 365)
		return cli_usage_error(cmd, "%s '%s': not a positive number of seconds", opt, s);
	*out = v;
	return 0;
}

double cli_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

volatile sig_atomic_t cli_stop_signal;

void cli_on_stop_signal(int sig)
{
	cli_stop_signal = sig;
}

void cli_catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = cli_on_stop_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
