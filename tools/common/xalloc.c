// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void xalloc_die(void)
{
	fputs("nsctl: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		xalloc_die();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		xalloc_die();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	void *np = reallocarray(p, n ? n : 1, size ? size : 1);

	if (!np)
		xalloc_die();
	return np;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		xalloc_die();
	return d;
}

void *xmemdup(const void *p, size_t size)
{
	void *d = xmalloc(size);

	memcpy(d, p, size);
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		xalloc_die();
	return s;
}
