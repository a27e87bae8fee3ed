// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Users from passwd files, read directly: a container's below its root,
 * without leaving that root (its /etc/passwd must not be able to point us at
 * a file of the host); the host's for names. No NSS: nsctl is linked
 * statically, and the host's NSS modules cannot be loaded into it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_in_root.h"
#include "inspect/proc.h"
#include "join_internal.h"
#include "util.h"

enum { PW_NAME, PW_PASSWD, PW_UID, PW_GID, PW_GECOS, PW_HOME, PW_SHELL, PW_NFIELDS };

/* Split "name:password:uid:gid:gecos:home:shell" in place; 1 if it is uid's. */
static int split_entry(char *line, uid_t uid, char *field[PW_NFIELDS])
{
	char *p = line;
	uint64_t id;

	for (int i = 0; i < PW_NFIELDS; i++) {
		field[i] = p;
		p = strchr(p, ':');
		if (!p && i < PW_NFIELDS - 1)
			return 0;
		if (p)
			*p++ = '\0';
	}
	return util_parse_u64(field[PW_UID], &id) == 0 && id == uid;
}

/* The fields of uid's entry in a passwd text (modified in place). */
static int find_entry(char *text, uid_t uid, char *field[PW_NFIELDS])
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (split_entry(line, uid, field))
			return 0;
	return -ENOENT;
}

int passwd_parse(char *text, uid_t uid, char **shell, char **home)
{
	char *field[PW_NFIELDS];
	int r = find_entry(text, uid, field);

	if (r < 0)
		return r;
	if (field[PW_SHELL][0] == '/')
		*shell = strdup(field[PW_SHELL]);
	if (field[PW_HOME][0] == '/')
		*home = strdup(field[PW_HOME]);
	return 0;
}

int passwd_lookup(int root_fd, uid_t uid, char **shell, char **home, struct insp_error *err)
{
	_cleanup_free_ char *text = NULL;
	int r = file_in_root_read(root_fd, "/etc/passwd", FILE_CAP_PASSWD, &text, NULL, err);

	return r < 0 ? r : passwd_parse(text, uid, shell, home);
}

INSP_EXPORT int insp_user_name(uid_t uid, char *buf, size_t size)
{
	_cleanup_close_ int root = file_root_open("/", NULL);
	_cleanup_free_ char *text = NULL;
	char *field[PW_NFIELDS];
	int r = root < 0 ? root : file_in_root_read(root, "/etc/passwd", FILE_CAP_PASSWD, &text, NULL, NULL);

	if (r == 0)
		r = find_entry(text, uid, field);
	snprintf(buf, size, "%s", r == 0 && field[PW_NAME][0] ? field[PW_NAME] : "");
	return r == 0 && field[PW_NAME][0] ? 0 : -ENOENT;
}
