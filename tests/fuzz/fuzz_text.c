// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the presentation layer: whatever the input, escaped text holds only
 * printable ASCII and printable UTF-8, its width is what text_width says,
 * cutting never splits an escape, JSON written for a terminal decodes
 * to the original bytes, and an exposition label value is printable, with
 * every quote, backslash and newline escaped.
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_printable(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t cp;
		size_t n;

		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				abort();
			p++;
			continue;
		}
		n = text_utf8_decode(p, &cp);
		if (!n || text_is_format_char(cp))
			abort();
		p += n;
	}
}

static void check_escape(const char *s, unsigned flags)
{
	struct text_buf b = { 0 };
	size_t w = text_escape(&b, s, flags), cuts[] = { 0, 1, 3, w / 2, w };

	check_printable(b.p);
	if (w != text_width(s, flags))
		abort();
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		char *copy = strdup(b.p);

		if (text_cut(copy, cuts[i]) > cuts[i] || text_cut(copy, (size_t)-1) > cuts[i])
			abort();
		check_printable(copy);
		/* A cut ends before an escape or after it, never inside: the rest is a whole escape. */
		if (strncmp(b.p, copy, strlen(copy)) != 0)
			abort();
		free(copy);
	}
	text_buf_free(&b);
}

static void check_fit(const char *s)
{
	struct text_buf b = { 0 };

	for (size_t width = 0; width < 12; width += 5) {
		char *copy = strdup(text_fit(&b, s, width, width & 1));

		if (text_cut(copy, (size_t)-1) != width)
			abort();
		free(copy);
	}
	text_buf_free(&b);
}

static void check_json(const char *s, size_t len)
{
	json_object *o = json_object_new_string_len(s, (int)len), *back;
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	json_write_text(f, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), 0);
	fclose(f);
	back = json_tokener_parse(text);
	if (!back || (size_t)json_object_get_string_len(back) != len || memcmp(json_object_get_string(back), s, len))
		abort();
	json_object_put(back);
	json_object_put(o);
	free(text);
}

/*
 * Unescaped as Prometheus reads it, a label value has no control byte but
 * the newlines, and text with nothing to show escaped comes back unchanged.
 */
static void check_label(const char *s)
{
	struct text_buf label = { 0 }, shown = { 0 };
	char *back = malloc(strlen(s) * 5 + 1), *o = back;

	text_escape_label(&label, s);
	check_printable(label.p);
	for (const char *p = label.p; *p; p++) {
		if (*p == '"')
			abort();
		if (*p == '\\') {
			p++;
			if (*p != '\\' && *p != '"' && *p != 'n')
				abort();
			*o++ = *p == 'n' ? '\n' : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	for (const unsigned char *p = (const unsigned char *)back; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			abort();
	text_escape(&shown, s, 0);
	if (strcmp(shown.p, s) == 0 && strcmp(back, s) != 0)
		abort();
	free(back);
	text_buf_free(&label);
	text_buf_free(&shown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	char *s = strndup((const char *)data, size);

	if (!once++)
		setlocale(LC_CTYPE, "C.UTF-8");
	if (!s)
		return 0;
	check_escape(s, 0);
	check_escape(s, TEXT_RAW);
	check_fit(s);
	check_label(s);
	check_json(s, strlen(s));
	free(s);
	return 0;
}
