// SPDX-License-Identifier: GPL-2.0-or-later
/* The presentation layer: one table of what reaches a terminal, and how wide it is. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "text.h"

#include "../lib/tap.h"

struct escape_case {
	const char *in;
	unsigned flags;
	const char *out;
	size_t width;
};

static const struct escape_case cases[] = {
	{ "plain", 0, "plain", 5 },
	{ "ev\033]0;pwned\a\033[31mred", 0, "ev\\x1b]0;pwned\\x07\\x1b[31mred", 29 },
	{ "cr\rlf\ntab\t", 0, "cr\\x0dlf\\x0atab\\x09", 19 },
	{ "del\x7f", 0, "del\\x7f", 7 },
	{ "c1 raw\x9b", 0, "c1 raw\\x9b", 10 },
	{ "c1 utf8\xc2\x9b", 0, "c1 utf8\\u009b", 13 },
	{ "not utf8 \xff\xfe\xc3", 0, "not utf8 \\xff\\xfe\\xc3", 21 },
	{ "overlong \xc0\xaf surrogate \xed\xa0\x80", 0, "overlong \\xc0\\xaf surrogate \\xed\\xa0\\x80", 40 },
	{ "rlo\xe2\x80\xae" "evil", 0, "rlo\\u202eevil", 13 },
	{ "isolate\xe2\x81\xa6x\xe2\x81\xa9", 0, "isolate\\u2066x\\u2069", 20 },
	{ "zero width\xe2\x80\x8b bom\xef\xbb\xbf", 0, "zero width\\u200b bom\\ufeff", 26 },
	{ "tag\xf3\xa0\x80\x81", 0, "tag\\U000e0001", 13 },
	{ "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87", 0, "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87", 9 },
	{ "whale \xf0\x9f\x90\xb3", 0, "whale \xf0\x9f\x90\xb3", 8 },
	{ "a\\x1b is text", 0, "a\\x5cx1b is text", 16 },
	{ "a\\u202e too", 0, "a\\x5cu202e too", 14 },
	{ "a\\b stays", 0, "a\\b stays", 9 },
	{ "raw: a b\\c", TEXT_RAW, "raw:\\x20a\\x20b\\x5cc", 19 },
};

TEST(escape_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct text_buf b = { 0 };
		size_t w = text_escape(&b, cases[i].in, cases[i].flags);

		CHECK_STR(b.p, cases[i].out);
		CHECK_INT(w, cases[i].width);
		CHECK_INT(text_width(cases[i].in, cases[i].flags), cases[i].width);
		text_buf_free(&b);
	}
}

/* Exposition label values: the format's own escapes, then the terminal layer's as text. */
TEST(label_escape_table)
{
	static const char *const in_out[][2] = {
		{ "web", "web" },
		{ "q\"b\\s\nl", "q\\\"b\\\\s\\nl" },
		{ "esc\033[2J bel\a", "esc\\\\x1b[2J bel\\\\x07" },
		{ "rlo\xe2\x80\xae" "x", "rlo\\\\u202ex" },
		{ "bad \xff", "bad \\\\xff" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
	};

	for (size_t i = 0; i < sizeof(in_out) / sizeof(in_out[0]); i++) {
		struct text_buf b = { 0 };

		text_escape_label(&b, in_out[i][0]);
		CHECK_STR(b.p, in_out[i][1]);
		text_buf_free(&b);
	}
}

TEST(cut_never_splits_an_escape)
{
	char s[] = "ab\\x1bcd\\u202eef";

	CHECK_INT(text_cut(s, 5), 2);
	CHECK_STR(s, "ab");
	{
		char t[] = "ab\\x1bcd";

		CHECK_INT(text_cut(t, 6), 6);
		CHECK_STR(t, "ab\\x1b");
	}
	{
		char wide[] = "\xe4\xb8\xad\xe6\x96\x87x";

		CHECK_INT(text_cut(wide, 3), 2);
		CHECK_STR(wide, "\xe4\xb8\xad");
	}
}

TEST(fit_and_pad)
{
	struct text_buf b = { 0 };

	CHECK_STR(text_fit(&b, "ab\033", 8, false), "ab\\x1b  ");
	CHECK_STR(text_fit(&b, "ab\033", 3, false), "ab ");
	CHECK_STR(text_fit(&b, "42", 5, true), "   42");
	CHECK_STR(text_pad(&b, "ab\033", 3, false), "ab\\x1b");
	CHECK_STR(text_format(&b, "nsctl: %s: %s", "x", "two\nlines"), "nsctl: x: two\\x0alines");
	text_buf_free(&b);
}

TEST(json_escapes_for_terminals_and_keeps_bytes)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_object *o = json_object_new_string("a\x7f\xc2\x9b\xe2\x80\xae\xf3\xa0\x80\x81\xff");

	json_write_text(f, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), 0);
	fclose(f);
	CHECK_STR(text, "\"a\\u007f\\u009b\\u202e\\udb40\\udc01\xff\"");
	json_object_put(o);
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	json_put_string(f, "q\"b\\\n\x01\xe2\x80\xae");
	fclose(f);
	CHECK_STR(text, "\"q\\\"b\\\\\\u000a\\u0001\\u202e\"");
	free(text);
}

/* First of all: a child decides its locale anew, before any text was escaped here. */
TEST(non_utf8_locales_escape_every_non_ascii_byte)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		struct text_buf b = { 0 };

		setenv("LC_ALL", "C", 1);
		text_escape(&b, "caf\xc3\xa9", 0);
		_exit(strcmp(b.p, "caf\\xc3\\xa9") == 0 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK_INT(status, 0);
}

int main(void)
{
	static const struct tap_test tests[] = {
		TEST_ENTRY(non_utf8_locales_escape_every_non_ascii_byte), TEST_ENTRY(escape_table),
		TEST_ENTRY(label_escape_table), TEST_ENTRY(cut_never_splits_an_escape), TEST_ENTRY(fit_and_pad),
		TEST_ENTRY(json_escapes_for_terminals_and_keeps_bytes),
	};

	setenv("LC_ALL", "C.UTF-8", 1);
	return tap_run("unit_text", tests, sizeof(tests) / sizeof(tests[0]));
}
