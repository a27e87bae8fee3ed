// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Prometheus text format 0.0.4 and OpenMetrics 1.0.0: the same samples,
 * told apart by how families are declared (a counter's family drops _total,
 * info is a type of its own) and by the "# EOF" that ends OpenMetrics.
 * No timestamps: a sample is as old as the scrape that asked for it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"

const char *expo_content_type(enum expo_format f)
{
	return f == EXPO_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
				     : "text/plain; version=0.0.4; charset=utf-8";
}

static void append(struct expo *e, const char *s)
{
	text_append(&e->b, s);
}

/* HELP text is ours, but keep it valid: the formats escape backslash and newline there. */
static void append_help(struct expo *e, const char *help)
{
	char one[2] = { 0 };

	for (; *help; help++) {
		one[0] = *help;
		append(e, *help == '\\' ? "\\\\" : *help == '\n' ? "\\n" : one);
	}
}

void expo_family(struct expo *e, const char *name, enum metric_type type, const char *help)
{
	size_t len = strlen(name);
	const char *type_name = type == MT_COUNTER ? "counter" : "gauge";
	char family[128];

	snprintf(family, sizeof(family), "%s", name);
	if (e->format == EXPO_OPENMETRICS && type == MT_COUNTER && len > 6 && !strcmp(name + len - 6, "_total"))
		family[len - 6] = '\0';
	if (e->format == EXPO_OPENMETRICS && type == MT_INFO) {
		if (len > 5 && !strcmp(name + len - 5, "_info"))
			family[len - 5] = '\0';
		type_name = "info";
	}
	append(e, "# HELP ");
	append(e, family);
	append(e, " ");
	append_help(e, help);
	append(e, "\n# TYPE ");
	append(e, family);
	append(e, " ");
	append(e, type_name);
	append(e, "\n");
}

/* Most samples are integers: written without printf's floating-point path. */
static void format_integer(double v, char *buf)
{
	uint64_t u = (uint64_t)fabs(v);
	char digits[24];
	size_t n = 0;

	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*buf++ = '-';
	while (n)
		*buf++ = digits[--n];
	*buf = '\0';
}

/* Integers exactly (counters of bytes and periods are), others as short as round-trips. */
static void format_value(double v, char *buf, size_t size)
{
	if (isnan(v))
		snprintf(buf, size, "NaN");
	else if (isinf(v))
		snprintf(buf, size, v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 9007199254740992.0)
		format_integer(v, buf);
	else {
		snprintf(buf, size, "%.15g", v);
		if (strtod(buf, NULL) != v)
			snprintf(buf, size, "%.17g", v);
	}
}

void expo_sample(struct expo *e, const char *name, const struct expo_label *labels, size_t n, double value)
{
	char num[40];

	if (isnan(value))
		return;
	append(e, name);
	for (size_t i = 0; i < n; i++) {
		append(e, i ? "," : "{");
		append(e, labels[i].name);
		append(e, "=\"");
		text_escape_label(&e->b, labels[i].value ? labels[i].value : "");
		append(e, "\"");
	}
	if (n)
		append(e, "}");
	format_value(value, num, sizeof(num));
	append(e, " ");
	append(e, num);
	append(e, "\n");
}

void expo_end(struct expo *e)
{
	if (e->format == EXPO_OPENMETRICS)
		append(e, "# EOF\n");
}
