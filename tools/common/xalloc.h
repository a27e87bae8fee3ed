/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Allocation for the frontends: running out of memory ends the command. */
#ifndef NSCTL_XALLOC_H
#define NSCTL_XALLOC_H

#include <stddef.h>

__attribute__((noreturn)) void xalloc_die(void);
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
void *xmemdup(const void *p, size_t size);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
