// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * textcheck: is standard input safe to put on a terminal? Exit 0 if it
 * holds no control byte but newline (and, with -t, tab), is valid UTF-8, and
 * has no C1 control, bidirectional control or invisible formatting
 * character; else exit 1 and name the first offender and its offset.
 * Written apart from nsctl's escaper, so that it can judge it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *bad_code_point(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0x9f)
		return "a C1 control";
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061c || cp == 0x200e ||
	    cp == 0x200f)
		return "a bidirectional control";
	if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0x2060)
		return "an invisible formatting character";
	return NULL;
}

/* Length of the UTF-8 sequence at s (n bytes left) and its code point; 0 if invalid. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, v = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, v = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, v = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

int main(int argc, char **argv)
{
	static unsigned char buf[64 << 20];
	int tabs = argc > 1 && strcmp(argv[1], "-t") == 0;
	size_t n = 0, off = 0;
	ssize_t r;

	while (n < sizeof(buf) && (r = read(0, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)r;
	while (off < n) {
		uint32_t cp;
		size_t len = decode(buf + off, n - off, &cp);
		const char *why = NULL;

		if (!len)
			why = "a byte that is not UTF-8";
		else if ((cp < 0x20 && cp != '\n' && !(tabs && cp == '\t')) || cp == 0x7f)
			why = "a control byte";
		else
			why = bad_code_point(cp);
		if (why) {
			fprintf(stderr, "textcheck: %s (0x%02x) at offset %zu: ...%.*s\n", why, buf[off], off,
				(int)(off < 24 ? off : 24), (const char *)buf + off - (off < 24 ? off : 24));
			return 1;
		}
		off += len;
	}
	return 0;
}
