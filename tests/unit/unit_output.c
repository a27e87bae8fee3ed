// SPDX-License-Identifier: GPL-2.0-or-later
/* The column table behind ls and cgroup tree: table, raw, JSON and trees; units; top's order. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <inspect/cgroup.h>

#include "output.h"
#include "top.h"
#include "units.h"

#include "../lib/tap.h"

enum { C_NAME, C_COUNT, C_SIZE, NC };

static const struct column cols[NC] = {
	[C_NAME] = { "NAME", "a name", COL_TRUNC, COL_JSON_STRING, NULL },
	[C_COUNT] = { "COUNT", "a number", COL_RIGHT, COL_JSON_NUMBER, NULL },
	[C_SIZE] = { "MEM-MAX", "bytes or max", COL_RIGHT, COL_JSON_NUMBER, "memory_max_bytes" },
};

static char *render(struct table *t, const struct out_opts *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	table_print(t, f, o);
	fclose(f);
	return text;
}

static struct table *sample(void)
{
	static const int ids[] = { C_NAME, C_COUNT, C_SIZE };
	struct table *t = table_new(cols, ids, 3);
	struct row *root = table_add_row(t), *a = table_add_row(t), *b = table_add_row(t);

	row_set(root, C_NAME, "/");
	row_set(root, C_COUNT, "12");
	row_set(root, C_SIZE, "max");
	row_set(a, C_NAME, "a\033[2J");
	row_set(a, C_COUNT, "3");
	row_set(a, C_SIZE, "1024");
	row_set_parent(a, root);
	row_set(b, C_NAME, "b b");
	row_set_parent(b, root);
	return t;
}

TEST(table_escapes_aligns_and_draws_trees)
{
	struct table *t = sample();
	char *text = render(t, &(struct out_opts){ .tree = true });

	CHECK_STR(text, "NAME       COUNT MEM-MAX\n"
			"/             12     max\n"
			"├─a\\x1b[2J     3    1024\n"
			"└─b b                   \n");
	free(text);
	text = render(t, &(struct out_opts){ .mode = OUT_RAW, .noheadings = true });
	CHECK_STR(text, "/ 12 max\na\\x1b[2J 3 1024\nb\\x20b  \n");
	free(text);
	table_free(t);
}

TEST(json_types_keys_and_nesting)
{
	struct table *t = sample();
	char *text = render(t, &(struct out_opts){ .mode = OUT_JSON, .tree = true, .json_key = "things" });

	CHECK_STR(text, "{\n  \"things\": [\n    {\n      \"name\": \"/\",\n      \"count\": 12,\n"
			"      \"memory_max_bytes\": \"max\",\n      \"children\": [\n        {\n"
			"          \"name\": \"a\\u001b[2J\",\n          \"count\": 3,\n"
			"          \"memory_max_bytes\": 1024\n        },\n        {\n          \"name\": \"b b\",\n"
			"          \"count\": null,\n          \"memory_max_bytes\": null\n        }\n      ]\n"
			"    }\n  ]\n}\n");
	free(text);
	table_free(t);
}

TEST(columns_parse_names_and_extends)
{
	int ids[8] = { C_NAME };
	size_t n = 1;
	char *bad = NULL;

	CHECK_INT(columns_parse(cols, NC, "+count,Mem-Max", ids, &n, 8, &bad), 0);
	CHECK_INT(n, 3);
	CHECK_INT(ids[2], C_SIZE);
	CHECK_INT(columns_parse(cols, NC, "NAME,BOGUS", ids, &n, 8, &bad), -EINVAL);
	CHECK_STR(bad, "BOGUS");
	free(bad);
}

TEST(units_for_people)
{
	char buf[32];

	CHECK_STR(units_bytes(512, buf, sizeof(buf)), "512B");
	CHECK_STR(units_bytes(1536, buf, sizeof(buf)), "1.5K");
	CHECK_STR(units_bytes(64ULL << 20, buf, sizeof(buf)), "64M");
	CHECK_STR(units_bytes(INSP_CGROUP_UNLIMITED, buf, sizeof(buf)), "max");
	CHECK_STR(units_bytes(INSP_CGROUP_UNKNOWN, buf, sizeof(buf)), "?");
	CHECK_STR(units_usec(1500000, buf, sizeof(buf)), "1.50s");
	CHECK_STR(units_usec(7384000000ULL, buf, sizeof(buf)), "2h03m");
	CHECK_STR(units_cpu_limit(150000, 100000, buf, sizeof(buf)), "1.50 CPU");
	CHECK_STR(units_cpu_limit(INSP_CGROUP_UNLIMITED, 100000, buf, sizeof(buf)), "max");
}

static struct top_row row(const char *name, double cpu)
{
	struct top_row r = { .name = (char *)name };

	for (int c = 0; c < NCOLS; c++)
		r.num[c] = NAN;
	r.num[TC_CPU] = cpu;
	return r;
}

TEST(top_sorts_unknown_last_and_formats_cells)
{
	struct top_row rows[] = { row("a", 5), row("b", NAN), row("c", 50), row("d", INFINITY) };
	struct top_snapshot s = { .view = VIEW_CONTAINERS, .rows = rows, .nrows = 4 };
	char buf[32];

	top_sort(&s, TC_CPU, false, false);
	CHECK_STR(rows[0].name, "d");
	CHECK_STR(rows[1].name, "c");
	CHECK_STR(rows[2].name, "a");
	CHECK_STR(rows[3].name, "b");
	top_sort(&s, TC_CPU, true, false);
	CHECK_STR(rows[3].name, "b");
	CHECK_STR(rows[0].name, "a");
	CHECK_STR(top_cell(&rows[0], TC_CPU, buf, sizeof(buf)), "5.0");
	CHECK_STR(top_cell(&rows[3], TC_CPU, buf, sizeof(buf)), "-");
	rows[1].num[TC_MEM_MAX] = INFINITY;
	CHECK_STR(top_cell(&rows[1], TC_MEM_MAX, buf, sizeof(buf)), "max");
	CHECK(top_row_matches(&rows[0], "A"));
	CHECK(!top_row_matches(&rows[0], "zz"));
}

TAP_MAIN("unit_output", TEST_ENTRY(table_escapes_aligns_and_draws_trees), TEST_ENTRY(json_types_keys_and_nesting),
	 TEST_ENTRY(columns_parse_names_and_extends), TEST_ENTRY(units_for_people),
	 TEST_ENTRY(top_sorts_unknown_last_and_formats_cells))
