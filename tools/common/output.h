/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One column table feeds every output format: an aligned table for people,
 * raw lines for shell scripts, and JSON (flat, or nested for trees).
 */
#ifndef NSCTL_OUTPUT_H
#define NSCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum col_json {
	COL_JSON_STRING,
	COL_JSON_NUMBER,
	COL_JSON_BOOL,
};

enum col_flags {
	COL_RIGHT = 1 << 0,	/* right-aligned (numbers) */
	COL_TRUNC = 1 << 1,	/* may be cut to fit the terminal */
};

struct column {
	const char *name;	/* header */
	const char *help;
	unsigned flags;
	enum col_json json;
	const char *key;	/* JSON key; NULL: the header in lower case */
};

enum out_mode {
	OUT_TABLE,
	OUT_RAW,
	OUT_JSON,
};

struct out_opts {
	enum out_mode mode;
	bool noheadings;
	bool notruncate;
	bool tree;		/* draw/nest rows under their parents */
	const char *json_key;	/* {"<json_key>": [...]} */
};

struct table;
struct row;

/* A table showing cols[ids[0..n-1]] (ids index the caller's column array). */
struct table *table_new(const struct column *cols, const int *ids, size_t n);
void table_free(struct table *t);
/* Rows keep insertion order; a parent makes a tree (children follow it). */
struct row *table_add_row(struct table *t);
void row_set_parent(struct row *row, struct row *parent);
/* Set a cell by the caller's column id; ignored when that column is hidden. */
void row_set(struct row *row, int col_id, const char *value);
void row_setf(struct row *row, int col_id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The cell's JSON value instead of its text (an object, say); the row takes the reference. */
struct json_object;
void row_set_json(struct row *row, int col_id, struct json_object *value);
bool table_has(const struct table *t, int col_id);
/* Extra top-level JSON members printed after the rows, e.g. "inaccessible": 1. */
void table_json_extra_int(struct table *t, const char *key, long long value);
int table_print(struct table *t, FILE *out, const struct out_opts *o);

/*
 * Parse a column list ("NS,TYPE" or "+PATH" to extend the defaults),
 * case-insensitively. ids must hold max entries. Returns 0, or -EINVAL with
 * *bad pointing at the unknown name (caller frees).
 */
int columns_parse(const struct column *cols, size_t ncols, const char *spec, int *ids,
		  size_t *n, size_t max, char **bad);
/* The same for an --output option: 0, or a usage error naming the column (exit 2). */
int columns_parse_option(const char *cmd, const struct column *cols, size_t ncols, const char *spec, int *ids,
			 size_t *n, size_t max);
void columns_print_help(const struct column *cols, size_t ncols, FILE *out);

#endif
