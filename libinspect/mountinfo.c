// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "mountinfo.h"
#include "util.h"

/* The kernel escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static char *next_field(char **cursor)
{
	char *s = *cursor, *end;

	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	end = strchr(s, ' ');
	if (end) {
		*end = '\0';
		*cursor = end + 1;
	} else {
		*cursor = s + strlen(s);
	}
	return s;
}

static int parse_int(const char *s, int *out)
{
	uint64_t v;

	if (util_parse_u64(s, &v) < 0 || v > 0x7fffffff)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int parse_devno(char *s, unsigned *major, unsigned *minor)
{
	char *colon = strchr(s, ':');
	int ma, mi;

	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (parse_int(s, &ma) < 0 || parse_int(colon + 1, &mi) < 0)
		return -EINVAL;
	*major = (unsigned)ma;
	*minor = (unsigned)mi;
	return 0;
}

int mountinfo_parse_line(char *line, struct mountinfo_entry *e)
{
	char *cur = line, *f[6], *sep;
	size_t n;

	n = strcspn(line, "\n");
	line[n] = '\0';
	for (int i = 0; i < 6; i++)
		if (!(f[i] = next_field(&cur)))
			return -EINVAL;
	if (parse_int(f[0], &e->id) < 0 || parse_int(f[1], &e->parent) < 0 ||
	    parse_devno(f[2], &e->major, &e->minor) < 0)
		return -EINVAL;
	e->root = f[3];
	e->target = f[4];
	e->options = f[5];
	/* Optional fields ("shared:1", "master:2"...) end at a lone "-". */
	e->shared = e->master = 0;
	e->unbindable = false;
	while ((sep = next_field(&cur)) && strcmp(sep, "-") != 0) {
		if (!strncmp(sep, "shared:", 7))
			parse_int(sep + 7, &e->shared);
		else if (!strncmp(sep, "master:", 7))
			parse_int(sep + 7, &e->master);
		else if (!strcmp(sep, "unbindable"))
			e->unbindable = true;
	}
	if (!sep || !(e->fstype = next_field(&cur)) || !(e->source = next_field(&cur)))
		return -EINVAL;
	e->super_options = next_field(&cur);
	if (!e->super_options)
		e->super_options = cur;
	unescape(e->root);
	unescape(e->target);
	unescape(e->source);
	return 0;
}

int mountinfo_foreach_buf(char *buf, mountinfo_cb cb, void *data)
{
	char *line = buf;

	while (line && *line) {
		char *eol = strchr(line, '\n');
		struct mountinfo_entry e;
		int r;

		if (eol)
			*eol = '\0';
		if (mountinfo_parse_line(line, &e) == 0 && (r = cb(&e, data)) != 0)
			return r;
		line = eol ? eol + 1 : NULL;
	}
	return 0;
}

int mountinfo_foreach(const char *path, mountinfo_cb cb, void *data)
{
	_cleanup_free_ char *buf = NULL;
	int r = util_read_all_at(AT_FDCWD, path, &buf, NULL);

	if (r < 0)
		return r;
	return mountinfo_foreach_buf(buf, cb, data);
}
