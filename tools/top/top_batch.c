// SPDX-License-Identifier: GPL-2.0-or-later
/* nsctl top without a screen: a table per refresh, or one JSON object per line. */
#include <math.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "json.h"
#include "text.h"
#include "top.h"

static size_t rates_text(const double *rates, char *buf, size_t size)
{
	size_t len = 0;

	for (int t = 0; t < INSP_NS_NTYPES && len < size; t++)
		len += (size_t)snprintf(buf + len, size - len, " %s %.1f", insp_ns_type_name((enum insp_ns_type)t),
					isnan(rates[t]) ? 0.0 : rates[t]);
	return len;
}

void top_header_lines(const struct top_snapshot *s, char *l1, char *l2, size_t size)
{
	const struct top_totals *t = &s->totals;
	time_t secs = (time_t)(s->time_ns / 1000000000);
	char clock[16], created[160], entered[160];
	struct tm tm;

	localtime_r(&secs, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	snprintf(l1, size, "nsctl top - %s  %s view: %zu rows  cgroups %zu  containers %zu", clock,
		 top_view_name(s->view), s->nrows, t->cgroups, t->containers);
	if (t->procs)
		snprintf(l1 + strlen(l1), size - strlen(l1), "  processes %zu", t->procs);
	if (t->namespaces)
		snprintf(l1 + strlen(l1), size - strlen(l1), "  namespaces %zu", t->namespaces);
	if (!t->events_on) {
		snprintf(l2, size, "eBPF: %s", t->events_error);
		return;
	}
	rates_text(t->created_rate, created, sizeof(created));
	rates_text(t->entered_rate, entered, sizeof(entered));
	snprintf(l2, size, "new/s:%s | setns/s:%s", created, entered);
	if (t->dropped)
		snprintf(l2 + strlen(l2), size - strlen(l2), " | dropped %llu", (unsigned long long)t->dropped);
}

/* Widths from the content, so that long cgroup paths never shift the numbers. */
static void measure(const struct top_snapshot *s, const int *cols, size_t n, const char *filter, bool tree,
		    size_t *widths)
{
	char buf[4096];

	for (size_t i = 0; i < n; i++)
		widths[i] = strlen(top_columns[cols[i]].name);
	for (size_t r = 0; r < s->nrows; r++)
		for (size_t i = 0; i < n && top_row_matches(&s->rows[r], filter); i++) {
			size_t w = text_width(top_cell_text(&s->rows[r], cols[i], tree, buf, sizeof(buf)), 0);

			if (w > widths[i])
				widths[i] = w;
		}
}

/* Every cell goes through the presentation layer: names are the container's to choose. */
static void print_line(FILE *out, const int *cols, size_t n, const size_t *widths, const char *const *cells)
{
	struct text_buf b = { 0 };

	for (size_t i = 0; i < n; i++) {
		if (i + 1 == n)
			fprintf(out, "%s\n", text_escaped(&b, cells[i], 0));
		else
			fprintf(out, "%s ", text_fit(&b, cells[i], widths[i], !top_columns[cols[i]].text));
	}
	text_buf_free(&b);
}

int top_print_text(FILE *out, const struct top_snapshot *s, const char *filter, bool tree)
{
	const int *cols;
	size_t n = top_view_columns(s->view, &cols);
	char l1[512], l2[512], bufs[NCOLS][4096];
	const char *cells[NCOLS];
	size_t widths[NCOLS];

	tree = tree && s->view == VIEW_CGROUPS;
	top_header_lines(s, l1, l2, sizeof(l1));
	fprintf(out, "%s\n%s\n\n", l1, l2);
	measure(s, cols, n, filter, tree, widths);
	for (size_t i = 0; i < n; i++)
		cells[i] = top_columns[cols[i]].name;
	print_line(out, cols, n, widths, cells);
	for (size_t r = 0; r < s->nrows; r++) {
		if (!top_row_matches(&s->rows[r], filter))
			continue;
		for (size_t i = 0; i < n; i++)
			cells[i] = top_cell_text(&s->rows[r], cols[i], tree, bufs[i], sizeof(bufs[i]));
		print_line(out, cols, n, widths, cells);
	}
	fputc('\n', out);
	return fflush(out);
}

/* Unknown is null, unlimited "max". */
static json_object *json_double(double v)
{
	if (isnan(v))
		return NULL;
	if (isinf(v))
		return json_object_new_string("max");
	if (v == floor(v) && fabs(v) < 9e15)
		return json_object_new_int64((int64_t)v);
	return json_object_new_double(round(v * 100) / 100);
}

static json_object *json_rates(const double *rates)
{
	json_object *o = json_object_new_object();

	for (int t = 0; t < INSP_NS_NTYPES; t++)
		json_object_object_add(o, insp_ns_type_name((enum insp_ns_type)t), json_double(rates[t]));
	return o;
}

static json_object *json_host(const struct top_snapshot *s)
{
	const struct top_totals *t = &s->totals;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "cgroups", json_object_new_int64((int64_t)t->cgroups));
	json_object_object_add(o, "containers", json_object_new_int64((int64_t)t->containers));
	json_object_object_add(o, "processes", t->procs ? json_object_new_int64((int64_t)t->procs) : NULL);
	json_object_object_add(o, "ebpf", json_object_new_boolean(t->events_on));
	json_object_object_add(o, "ebpf_error", t->events_on ? NULL : json_object_new_string(t->events_error));
	json_object_object_add(o, "ns_created_per_second", t->events_on ? json_rates(t->created_rate) : NULL);
	json_object_object_add(o, "setns_per_second", t->events_on ? json_rates(t->entered_rate) : NULL);
	json_object_object_add(o, "dropped_events", json_object_new_uint64(t->dropped));
	return o;
}

/*
 * Rows are streamed with fprintf, not built as json-c objects: the
 * namespaces view of a big host has thousands of them every refresh.
 */
static void put_number(FILE *out, double v)
{
	if (isnan(v))
		fputs("null", out);
	else if (isinf(v))
		fputs("\"max\"", out);
	else if (v == floor(v) && fabs(v) < 9e15)
		fprintf(out, "%.0f", v);
	else
		fprintf(out, "%.2f", round(v * 100) / 100);
}

static void put_object(FILE *out, json_object *o)
{
	if (!o) {
		fputs("null", out);
		return;
	}
	json_write_text(out, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), 0);
	json_object_put(o);
}

static void put_counts(FILE *out, const char *key, const unsigned *counts)
{
	bool first = true;

	fprintf(out, ",\"%s\":{", key);
	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (counts[t]) {
			fprintf(out, "%s\"%s\":%u", first ? "" : ",", insp_ns_type_name((enum insp_ns_type)t), counts[t]);
			first = false;
		}
	fputc('}', out);
}

static void put_row(FILE *out, const struct top_snapshot *s, const struct top_row *r)
{
	const int *cols;
	size_t n = top_view_columns(s->view, &cols);

	fputc('{', out);
	for (size_t i = 0; i < n; i++) {
		int col = cols[i];
		const char *key = col == TC_NAME && s->view == VIEW_NAMESPACES ? "ns" : top_columns[col].key;

		fprintf(out, "%s\"%s\":", i ? "," : "", key);
		if (col == TC_NAME && s->view == VIEW_NAMESPACES)
			put_object(out, json_ns(r->ns_ino, r->ns_id));
		else if (col == TC_CONTAINER)
			put_object(out, r->info ? json_container(r->info) : NULL);
		else if (col == TC_ID)
			json_put_string(out, r->info ? r->info->ref.id : NULL);
		else if (top_columns[col].text)
			json_put_string(out, top_text(r, col));
		else
			put_number(out, r->num[col]);
	}
	if (s->view == VIEW_CONTAINERS) {
		fputs(",\"container\":", out);
		put_object(out, r->info ? json_container(r->info) : NULL);
	}
	put_counts(out, "ns_created", r->new_by_type);
	put_counts(out, "setns", r->setns_by_type);
	fputs(",\"target\":", out);
	json_put_string(out, r->target);
	fputc('}', out);
}

int top_print_json(FILE *out, const struct top_snapshot *s, const char *filter)
{
	json_object *head = json_object_new_object();
	const char *text;
	bool first = true;

	json_object_object_add(head, "time", json_time(s->time_ns));
	json_object_object_add(head, "view", json_object_new_string(top_view_name(s->view)));
	json_object_object_add(head, "interval_seconds", json_double(s->totals.interval));
	json_object_object_add(head, "host", json_host(s));
	text = json_object_to_json_string_ext(head, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	/* The head without its closing brace, then the rows. */
	fwrite(text, 1, strlen(text) - 1, out);
	fputs(",\"rows\":[", out);
	json_object_put(head);
	for (size_t r = 0; r < s->nrows; r++)
		if (top_row_matches(&s->rows[r], filter)) {
			if (!first)
				fputc(',', out);
			first = false;
			put_row(out, s, &s->rows[r]);
		}
	fputs("]}\n", out);
	return fflush(out);
}
