// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>


#include "cli.h"
#include "json.h"
#include "output.h"
#include "text.h"
#include "xalloc.h"

struct row {
	struct table *table;
	char **cells;
	json_object **json;	/* NULL unless row_set_json was used */
	struct row *parent;
	struct row **children;
	size_t nchildren;
};

struct json_extra {
	char *key;
	long long value;
};

struct table {
	const struct column *cols;
	int *ids;
	size_t ncols;
	int *pos;		/* caller's column id -> position, -1 if hidden */
	int npos;
	struct row **rows;
	size_t nrows;
	struct json_extra *extras;
	size_t nextras;
};

struct table *table_new(const struct column *cols, const int *ids, size_t n)
{
	struct table *t = xcalloc(1, sizeof(*t));
	int max = 0;

	for (size_t i = 0; i < n; i++)
		if (ids[i] >= max)
			max = ids[i] + 1;
	t->cols = cols;
	t->ids = xmemdup(ids, n * sizeof(*ids));
	t->ncols = n;
	t->npos = max;
	t->pos = xmalloc((size_t)max * sizeof(*t->pos) + 1);
	for (int i = 0; i < max; i++)
		t->pos[i] = -1;
	for (size_t i = 0; i < n; i++)
		t->pos[ids[i]] = (int)i;
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			free(t->rows[r]->cells[c]);
			if (t->rows[r]->json)
				json_object_put(t->rows[r]->json[c]);
		}
		free(t->rows[r]->cells);
		free(t->rows[r]->json);
		free(t->rows[r]->children);
		free(t->rows[r]);
	}
	for (size_t i = 0; i < t->nextras; i++)
		free(t->extras[i].key);
	free(t->extras);
	free(t->rows);
	free(t->ids);
	free(t->pos);
	free(t);
}

struct row *table_add_row(struct table *t)
{
	struct row *row = xcalloc(1, sizeof(*row));

	row->table = t;
	row->cells = xcalloc(t->ncols ? t->ncols : 1, sizeof(*row->cells));
	if ((t->nrows & (t->nrows - 1)) == 0)
		t->rows = xreallocarray(t->rows, t->nrows ? t->nrows * 2 : 64, sizeof(*t->rows));
	t->rows[t->nrows++] = row;
	return row;
}

void row_set_parent(struct row *row, struct row *parent)
{
	if (!parent || row->parent)
		return;
	row->parent = parent;
	if ((parent->nchildren & (parent->nchildren - 1)) == 0)
		parent->children = xreallocarray(parent->children,
						 parent->nchildren ? parent->nchildren * 2 : 4,
						 sizeof(*parent->children));
	parent->children[parent->nchildren++] = row;
}

bool table_has(const struct table *t, int col_id)
{
	return col_id >= 0 && col_id < t->npos && t->pos[col_id] >= 0;
}

void row_set(struct row *row, int col_id, const char *value)
{
	struct table *t = row->table;
	int pos;

	if (!table_has(t, col_id))
		return;
	pos = t->pos[col_id];
	free(row->cells[pos]);
	row->cells[pos] = value ? xstrdup(value) : NULL;
}

void row_set_json(struct row *row, int col_id, json_object *value)
{
	struct table *t = row->table;

	if (!table_has(t, col_id)) {
		json_object_put(value);
		return;
	}
	if (!row->json)
		row->json = xcalloc(t->ncols, sizeof(*row->json));
	json_object_put(row->json[t->pos[col_id]]);
	row->json[t->pos[col_id]] = value;
}

void row_setf(struct row *row, int col_id, const char *fmt, ...)
{
	char *s;
	va_list ap;

	if (!table_has(row->table, col_id))
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	row_set(row, col_id, s);
	free(s);
}

void table_json_extra_int(struct table *t, const char *key, long long value)
{
	t->extras = xreallocarray(t->extras, t->nextras + 1, sizeof(*t->extras));
	t->extras[t->nextras].key = xstrdup(key);
	t->extras[t->nextras].value = value;
	t->nextras++;
}

/* ---- text rendering */

struct line {
	struct row *row;
	char *prefix;		/* tree drawing for the first column */
	size_t prefix_width;
};

static void add_line(struct line **lines, size_t *n, struct row *row, char *prefix, size_t width)
{
	if ((*n & (*n - 1)) == 0)
		*lines = xreallocarray(*lines, *n ? *n * 2 : 64, sizeof(**lines));
	(*lines)[(*n)++] = (struct line){ .row = row, .prefix = prefix, .prefix_width = width };
}

static void flatten(struct row *row, const char *indent, size_t depth, bool last, bool top,
		    struct line **lines, size_t *n)
{
	char *prefix = NULL, *child_indent;

	if (!top && asprintf(&prefix, "%s%s", indent, last ? "└─" : "├─") < 0)
		xalloc_die();
	if (asprintf(&child_indent, "%s%s", indent, top ? "" : (last ? "  " : "│ ")) < 0)
		xalloc_die();
	add_line(lines, n, row, prefix, top ? 0 : depth * 2);
	for (size_t i = 0; i < row->nchildren; i++)
		flatten(row->children[i], child_indent, depth + 1, i + 1 == row->nchildren, false, lines, n);
	free(child_indent);
}

static struct line *display_order(struct table *t, bool tree, size_t *n)
{
	struct line *lines = NULL;

	*n = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		if (!tree)
			add_line(&lines, n, t->rows[i], NULL, 0);
		else if (!t->rows[i]->parent)
			flatten(t->rows[i], "", 0, true, true, &lines, n);
	}
	return lines;
}

static size_t terminal_width(FILE *out)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && atoi(env) > 0)
		return (size_t)atoi(env);
	return 0;	/* not a terminal: never truncate */
}

/* Shrink truncatable columns until the table fits the terminal. */
static void fit_widths(struct table *t, size_t *widths, size_t term)
{
	size_t total = 0;

	for (size_t c = 0; c < t->ncols; c++)
		total += widths[c] + (c + 1 < t->ncols);
	for (size_t c = 0; c < t->ncols && total > term; c++) {
		const struct column *col = &t->cols[t->ids[c]];
		size_t min = strlen(col->name), excess = total - term;

		if (!(col->flags & COL_TRUNC) || widths[c] <= min)
			continue;
		if (widths[c] - min < excess)
			excess = widths[c] - min;
		widths[c] -= excess;
		total -= excess;
	}
}

static unsigned text_flags(bool raw)
{
	return raw ? TEXT_RAW : 0;
}

static size_t cell_width(const struct line *l, size_t c, bool raw)
{
	const char *v = l->row->cells[c];

	return (v ? text_width(v, text_flags(raw)) : 0) + (c == 0 ? l->prefix_width : 0);
}

/* The printable cell, tree prefix included, in a buffer reused across cells. */
static char *cell_text(struct text_buf *b, const struct line *l, size_t c, bool raw)
{
	const char *v = l->row->cells[c] ? l->row->cells[c] : "";
	const char *prefix = c == 0 && l->prefix ? l->prefix : "";

	b->len = 0;
	text_append(b, prefix);
	text_escape(b, v, text_flags(raw));
	return b->p;
}

static void print_padded(FILE *out, const char *s, size_t w, size_t width, bool right, bool last)
{
	size_t pad = width > w ? width - w : 0;

	if (right)
		fprintf(out, "%*s%s", (int)pad, "", s);
	else if (last)
		fputs(s, out);
	else
		fprintf(out, "%s%*s", s, (int)pad, "");
}

static void print_header(struct table *t, FILE *out, const size_t *widths, bool raw)
{
	for (size_t c = 0; c < t->ncols; c++) {
		const struct column *col = &t->cols[t->ids[c]];

		if (c)
			fputc(' ', out);
		if (raw)
			fputs(col->name, out);
		else
			print_padded(out, col->name, strlen(col->name), widths[c], col->flags & COL_RIGHT,
				     c + 1 == t->ncols);
	}
	fputc('\n', out);
}

static void print_line(struct table *t, FILE *out, const struct line *l, const size_t *widths,
		       bool raw, struct text_buf *buf)
{
	for (size_t c = 0; c < t->ncols; c++) {
		const struct column *col = &t->cols[t->ids[c]];
		char *s = cell_text(buf, l, c, raw);
		size_t w;

		if (c)
			fputc(' ', out);
		if (raw) {
			fputs(s, out);
			continue;
		}
		w = cell_width(l, c, raw);
		if (w > widths[c])
			w = text_cut(s, widths[c]);
		print_padded(out, s, w, widths[c], col->flags & COL_RIGHT, c + 1 == t->ncols);
	}
	fputc('\n', out);
}

static int print_text(struct table *t, FILE *out, const struct out_opts *o)
{
	bool raw = o->mode == OUT_RAW;
	size_t nlines, term = raw || o->notruncate ? 0 : terminal_width(out);
	struct line *lines = display_order(t, o->tree && !raw, &nlines);
	size_t *widths = xcalloc(t->ncols + 1, sizeof(*widths));
	struct text_buf buf = { 0 };

	for (size_t c = 0; c < t->ncols && !raw; c++) {
		widths[c] = o->noheadings ? 0 : strlen(t->cols[t->ids[c]].name);
		for (size_t i = 0; i < nlines; i++) {
			size_t w = cell_width(&lines[i], c, raw);

			if (w > widths[c])
				widths[c] = w;
		}
	}
	if (term)
		fit_widths(t, widths, term);
	if (!o->noheadings)
		print_header(t, out, widths, raw);
	for (size_t i = 0; i < nlines; i++)
		print_line(t, out, &lines[i], widths, raw, &buf);
	for (size_t i = 0; i < nlines; i++)
		free(lines[i].prefix);
	text_buf_free(&buf);
	free(lines);
	free(widths);
	return ferror(out) ? -EIO : 0;
}

/* ---- JSON */

static char *json_key(const struct column *col)
{
	char *k = xstrdup(col->key ? col->key : col->name);

	for (char *p = k; *p; p++)
		*p = (char)(*p == '-' || *p == '%' ? '_' : tolower((unsigned char)*p));
	return k;
}

static json_object *json_cell(const struct column *col, const char *v)
{
	if (!v)
		return NULL;
	if (col->json == COL_JSON_NUMBER) {
		char *end;

		errno = 0;
		if (*v == '-') {
			long long n = strtoll(v, &end, 10);

			if (!errno && !*end)
				return json_object_new_int64(n);
		} else {
			unsigned long long n = strtoull(v, &end, 10);

			if (!errno && !*end && *v)
				return json_object_new_uint64(n);
		}
		double d = strtod(v, &end);

		/* "max" and other words in a number column stay strings. */
		if (end != v && !*end)
			return json_object_new_double(d);
		return json_object_new_string(v);
	}
	if (col->json == COL_JSON_BOOL)
		return json_object_new_boolean(strcmp(v, "1") == 0 || strcasecmp(v, "yes") == 0 ||
					       strcasecmp(v, "true") == 0);
	return json_object_new_string(v);
}

/* Print a json-c value pretty, indented by depth levels of two spaces. */
static void print_indented(FILE *out, json_object *obj, int depth)
{
	json_write_text(out, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
								  JSON_C_TO_STRING_NOSLASHESCAPE), depth * 2);
}

/* Rows are streamed value by value, so memory stays flat however many rows there are. */
static void print_json_row(struct table *t, FILE *out, struct row *row, char **keys, bool tree, int depth)
{
	fprintf(out, "%*s{", depth * 2, "");
	for (size_t c = 0; c < t->ncols; c++) {
		json_object *v = row->json && row->json[c] ? json_object_get(row->json[c])
							 : json_cell(&t->cols[t->ids[c]], row->cells[c]);

		fprintf(out, "%s\n%*s\"%s\": ", c ? "," : "", depth * 2 + 2, "", keys[c]);
		if (v) {
			print_indented(out, v, depth + 1);
			json_object_put(v);
		} else {
			fputs("null", out);
		}
	}
	if (tree && row->nchildren) {
		fprintf(out, ",\n%*s\"children\": [\n", depth * 2 + 2, "");
		for (size_t i = 0; i < row->nchildren; i++) {
			print_json_row(t, out, row->children[i], keys, tree, depth + 2);
			fputs(i + 1 < row->nchildren ? ",\n" : "\n", out);
		}
		fprintf(out, "%*s]", depth * 2 + 2, "");
	}
	fprintf(out, "\n%*s}", depth * 2, "");
}

static int print_json(struct table *t, FILE *out, const struct out_opts *o)
{
	char **keys = xcalloc(t->ncols + 1, sizeof(*keys));
	bool first = true;

	/* Keys are our own lower-case ASCII names: printed as they are. */
	for (size_t c = 0; c < t->ncols; c++)
		keys[c] = json_key(&t->cols[t->ids[c]]);
	fprintf(out, "{\n  \"%s\": [\n", o->json_key ? o->json_key : "rows");
	for (size_t i = 0; i < t->nrows; i++) {
		if (o->tree && t->rows[i]->parent)
			continue;
		if (!first)
			fputs(",\n", out);
		first = false;
		print_json_row(t, out, t->rows[i], keys, o->tree, 2);
	}
	fputs(first ? "  ]" : "\n  ]", out);
	for (size_t i = 0; i < t->nextras; i++)
		fprintf(out, ",\n  \"%s\": %lld", t->extras[i].key, t->extras[i].value);
	fputs("\n}\n", out);
	for (size_t c = 0; c < t->ncols; c++)
		free(keys[c]);
	free(keys);
	return ferror(out) ? -EIO : 0;
}

int table_print(struct table *t, FILE *out, const struct out_opts *o)
{
	return o->mode == OUT_JSON ? print_json(t, out, o) : print_text(t, out, o);
}

/* ---- column lists */

static int column_by_name(const struct column *cols, size_t ncols, const char *name, size_t len)
{
	for (size_t i = 0; i < ncols; i++)
		if (strlen(cols[i].name) == len && strncasecmp(cols[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

int columns_parse(const struct column *cols, size_t ncols, const char *spec, int *ids,
		  size_t *n, size_t max, char **bad)
{
	const char *p = spec;

	if (*p == '+')
		p++;
	else
		*n = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int id = column_by_name(cols, ncols, p, len);

		if (id < 0) {
			*bad = strndup(p, len);
			return -EINVAL;
		}
		if (*n >= max)
			return -E2BIG;
		ids[(*n)++] = id;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

int columns_parse_option(const char *cmd, const struct column *cols, size_t ncols, const char *spec, int *ids,
			 size_t *n, size_t max)
{
	char *bad = NULL;
	int r = columns_parse(cols, ncols, spec, ids, n, max, &bad);

	if (r == -EINVAL)
		r = cli_usage_error(cmd, "unknown column '%s' (see nsctl %s --list-columns)", bad, cmd);
	else if (r < 0)
		r = cli_usage_error(cmd, "too many columns in '%s'", spec);
	free(bad);
	return r;
}

void columns_print_help(const struct column *cols, size_t ncols, FILE *out)
{
	fputs("Available output columns:\n", out);
	for (size_t i = 0; i < ncols; i++)
		fprintf(out, " %12s  %s\n", cols[i].name, cols[i].help);
}
