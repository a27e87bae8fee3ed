/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one path from text we did not write to a terminal. Process names,
 * command lines, cgroup paths, container names and anything else a
 * container chose are shown with control bytes (C0, DEL, C1), bytes that
 * are not UTF-8, and invisible or bidirectional formatting characters
 * escaped, so that nothing in them can move the cursor, retitle the window
 * or reorder what is shown. Printable UTF-8 stays readable when the locale
 * is UTF-8; in any other locale every non-ASCII byte is escaped.
 *
 *   ESC             \x1b        a byte that is not UTF-8    \xff
 *   U+202E (RLO)    \u202e      a backslash before x or u   \x5c
 *
 * Escaped text never contains a backslash followed by x or u that was in
 * the original, so what is shown reads back unambiguously. JSON is not
 * escaped here: it carries the original bytes (see json.h).
 */
#ifndef NSCTL_TEXT_H
#define NSCTL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum text_flags {
	TEXT_RAW = 1 << 0,	/* also escape space and backslash: one field per word */
};

/* A growing buffer; text_buf_free releases it. */
struct text_buf {
	char *p;
	size_t len, cap;
};

void text_buf_free(struct text_buf *b);

/* Append s as it is: text of ours (tree lines, padding), never a name. */
void text_append(struct text_buf *b, const char *s);
/* Append the escaped form of s to b (NUL-terminated); returns its width in columns. */
size_t text_escape(struct text_buf *b, const char *s, unsigned flags);
/* The escaped form of s in b, replacing what b held. */
const char *text_escaped(struct text_buf *b, const char *s, unsigned flags);
/* Columns the escaped form of s takes. */
size_t text_width(const char *s, unsigned flags);
/* Cut escaped text in place to at most width columns, never inside an escape; returns its width. */
size_t text_cut(char *escaped, size_t width);
/* The escaped form of s, cut and padded to exactly width columns, in b. */
const char *text_fit(struct text_buf *b, const char *s, size_t width, bool right);
/* The same, padded to at least width columns but never cut. */
const char *text_pad(struct text_buf *b, const char *s, size_t width, bool right);

/*
 * s as a label value of the Prometheus and OpenMetrics text formats (the
 * part between the quotes): backslash, quote and newline in the formats'
 * own escapes, which parsers undo; everything text_escape would escape
 * otherwise as the same \xHH and \uXXXX, written as text, whatever the
 * locale. The result is valid UTF-8 and safe on a terminal.
 */
void text_escape_label(struct text_buf *b, const char *s);

/* Print s escaped. */
void text_put(FILE *out, const char *s);
/* Format a line, escape all of it (newlines too) and print it with a newline. */
void text_line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same into b, without the newline. */
const char *text_format(struct text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether the terminal's locale is UTF-8 (loaded at the first use). */
bool text_utf8(void);

/* A valid UTF-8 sequence at s: its length (2 to 4) and code point; 0 if not valid. */
size_t text_utf8_decode(const unsigned char *s, uint32_t *cp);
/* C1 controls, bidirectional controls and invisible characters: never shown as they are. */
bool text_is_format_char(uint32_t cp);

#endif
