// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>

#include <inspect/target.h>

#include "cli.h"

static void vreport(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "nsctl: %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
}

int cli_insp_error(const char *cmd, const struct insp_error *err)
{
	cli_error(cmd, "%s", err->msg[0] ? err->msg : "unknown error");
	return EXIT_FAIL;
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

	if (r == 0)
		return EXIT_OK;
	cli_insp_error(cmd, &err);
	return r == -ENOTUNIQ || r == -EINVAL ? EXIT_USAGE : EXIT_FAIL;
}
