// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A user's login shell and home in a passwd file below some root, read
 * without leaving that root: the container's /etc/passwd must not be able to
 * point us at a file of the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join_internal.h"
#include "util.h"

/* name:password:uid:gid:gecos:home:shell */
static int parse_entry(char *line, uid_t uid, char **shell, char **home)
{
	char *field[7];
	char *p = line;
	uint64_t id;

	for (int i = 0; i < 7; i++) {
		field[i] = p;
		p = strchr(p, ':');
		if (!p && i < 6)
			return 0;
		if (p)
			*p++ = '\0';
	}
	if (util_parse_u64(field[2], &id) < 0 || id != uid)
		return 0;
	if (field[6][0] == '/')
		*shell = strdup(field[6]);
	if (field[5][0] == '/')
		*home = strdup(field[5]);
	return 1;
}

int passwd_parse(char *text, uid_t uid, char **shell, char **home)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (parse_entry(line, uid, shell, home))
			return 0;
	return -ENOENT;
}

int passwd_lookup(int root_fd, uid_t uid, char **shell, char **home)
{
	_cleanup_close_ int fd = util_open_in_root(root_fd, "/etc/passwd", O_RDONLY);
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	if (fd < 0)
		return fd;
	r = util_read_all_fd(fd, &text, &len);
	return r < 0 ? r : passwd_parse(text, uid, shell, home);
}
