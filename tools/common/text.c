// SPDX-License-Identifier: GPL-2.0-or-later
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "xalloc.h"

/*
 * The locale is loaded at the first non-ASCII byte, not at start: a sandbox
 * start or a JSON dump needs no locale files.
 */
bool text_utf8(void)
{
	static int utf8 = -1;

	if (utf8 < 0) {
		setlocale(LC_CTYPE, "");
		utf8 = MB_CUR_MAX > 1 && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	}
	return utf8;
}

void text_buf_free(struct text_buf *b)
{
	free(b->p);
	*b = (struct text_buf){ 0 };
}

static void reserve(struct text_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	b->cap = (b->len + more + 1) * 2;
	b->p = xreallocarray(b->p, b->cap, 1);
}

size_t text_utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t v, min;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, v = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, v = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, v = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

bool text_is_format_char(uint32_t cp)
{
	return cp <= 0x9f || cp == 0x061c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

/* Width of a printable code point, or -1 when it must be escaped. */
static int printable_width(uint32_t cp)
{
	return text_is_format_char(cp) ? -1 : wcwidth((wchar_t)cp);
}

static bool needs_escape(const char *s, unsigned flags)
{
	unsigned char c = (unsigned char)s[0];

	if (c < 0x20 || c == 0x7f)
		return true;
	if (flags & TEXT_RAW)
		return c == ' ' || c == '\\';
	/* "\x", "\u" and "\U" would read as our escapes. */
	return c == '\\' && (s[1] == 'x' || s[1] == 'u' || s[1] == 'U');
}

void text_append(struct text_buf *b, const char *s)
{
	size_t n = strlen(s);

	reserve(b, n);
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

size_t text_escape(struct text_buf *b, const char *s, unsigned flags)
{
	size_t width = 0;

	/* No escape is longer than four times what it replaces ("\x1b", "\U000e0041"). */
	reserve(b, strlen(s) * 4);
	while (*s) {
		unsigned char c = (unsigned char)*s;
		uint32_t cp = 0;
		size_t n;
		int w;

		if (c < 0x80 && !needs_escape(s, flags)) {
			b->p[b->len++] = *s++;
			width++;
			continue;
		}
		if (c < 0x80 || !text_utf8() || !(n = text_utf8_decode((const unsigned char *)s, &cp))) {
			b->len += (size_t)sprintf(b->p + b->len, "\\x%02x", c);
			width += 4;
			s++;
			continue;
		}
		if ((w = printable_width(cp)) < 0) {
			w = sprintf(b->p + b->len, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned)cp);
			b->len += (size_t)w;
		} else {
			memcpy(b->p + b->len, s, n);
			b->len += n;
		}
		width += (size_t)w;
		s += n;
	}
	b->p[b->len] = '\0';
	return width;
}

void text_escape_label(struct text_buf *b, const char *s)
{
	/* The longest is a control byte: five bytes ("\\x1b") for one. */
	reserve(b, strlen(s) * 5);
	while (*s) {
		unsigned char c = (unsigned char)*s;
		uint32_t cp = 0;
		size_t n = 1;

		if (c == '\n' || c == '"' || (c == '\\' && !needs_escape(s, 0))) {
			b->p[b->len++] = '\\';
			b->p[b->len++] = c == '\n' ? 'n' : (char)c;
		} else if (c < 0x80 && !needs_escape(s, 0)) {
			b->p[b->len++] = (char)c;
		} else if (c < 0x80 || !(n = text_utf8_decode((const unsigned char *)s, &cp))) {
			b->len += (size_t)sprintf(b->p + b->len, "\\\\x%02x", c);
			n = 1;
		} else if (text_is_format_char(cp)) {
			b->len += (size_t)sprintf(b->p + b->len, cp > 0xffff ? "\\\\U%08x" : "\\\\u%04x", (unsigned)cp);
		} else {
			memcpy(b->p + b->len, s, n);
			b->len += n;
		}
		s += n;
	}
	b->p[b->len] = '\0';
}

const char *text_escaped(struct text_buf *b, const char *s, unsigned flags)
{
	b->len = 0;
	text_escape(b, s, flags);
	return b->p;
}

size_t text_width(const char *s, unsigned flags)
{
	static struct text_buf scratch;
	size_t w;

	/* Plain ASCII, the common case, needs no buffer. */
	for (w = 0; s[w] && (unsigned char)s[w] < 0x80 && !needs_escape(s + w, flags); w++)
		;
	if (!s[w])
		return w;
	scratch.len = 0;
	return text_escape(&scratch, s, flags);
}

/* One unit of escaped text: its bytes and its columns. */
static size_t escaped_unit(const char *s, size_t *cols)
{
	uint32_t cp;
	size_t n;

	if (s[0] == '\\' && (s[1] == 'x' || s[1] == 'u' || s[1] == 'U')) {
		n = s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : 10;
		*cols = n;
		return strnlen(s, n);
	}
	if ((unsigned char)s[0] < 0x80 || !(n = text_utf8_decode((const unsigned char *)s, &cp))) {
		*cols = 1;
		return 1;
	}
	*cols = (size_t)(wcwidth((wchar_t)cp) > 0 ? wcwidth((wchar_t)cp) : 0);
	return n;
}

size_t text_cut(char *escaped, size_t width)
{
	size_t w = 0;
	char *p = escaped;

	while (*p) {
		size_t cols, n = escaped_unit(p, &cols);

		if (w + cols > width)
			break;
		w += cols;
		p += n;
	}
	*p = '\0';
	return w;
}

static const char *fit(struct text_buf *b, const char *s, size_t width, bool right, bool cut)
{
	size_t w, pad;

	b->len = 0;
	w = text_escape(b, s, 0);
	if (cut && w > width) {
		w = text_cut(b->p, width);
		b->len = strlen(b->p);
	}
	pad = w < width ? width - w : 0;
	reserve(b, pad);
	if (right) {
		memmove(b->p + pad, b->p, b->len + 1);
		memset(b->p, ' ', pad);
	} else {
		memset(b->p + b->len, ' ', pad);
		b->p[b->len + pad] = '\0';
	}
	b->len += pad;
	return b->p;
}

const char *text_fit(struct text_buf *b, const char *s, size_t width, bool right)
{
	return fit(b, s, width, right, true);
}

const char *text_pad(struct text_buf *b, const char *s, size_t width, bool right)
{
	return fit(b, s, width, right, false);
}

void text_put(FILE *out, const char *s)
{
	struct text_buf b = { 0 };

	text_escape(&b, s, 0);
	fputs(b.p, out);
	text_buf_free(&b);
}

__attribute__((format(printf, 2, 0)))
static const char *vformat(struct text_buf *b, const char *fmt, va_list ap)
{
	char *raw;

	if (vasprintf(&raw, fmt, ap) < 0)
		xalloc_die();
	b->len = 0;
	text_escape(b, raw, 0);
	free(raw);
	return b->p;
}

void text_line(FILE *out, const char *fmt, ...)
{
	struct text_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	vformat(&b, fmt, ap);
	va_end(ap);
	fputs(b.p, out);
	fputc('\n', out);
	text_buf_free(&b);
}

const char *text_format(struct text_buf *b, const char *fmt, ...)
{
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	s = vformat(b, fmt, ap);
	va_end(ap);
	return s;
}
