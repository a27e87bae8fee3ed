/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_MOUNTINFO_H
#define INSPECT_MOUNTINFO_H

#include <stdbool.h>

struct mountinfo_entry {
	int id;
	int parent;
	unsigned major, minor;
	char *root;		/* unescaped */
	char *target;		/* unescaped */
	char *options;
	char *fstype;
	char *source;
	char *super_options;
	int shared, master;	/* peer groups from the optional fields; 0 for none */
	bool unbindable;
};

/*
 * Parse one line of /proc/PID/mountinfo in place (the entry points into
 * line). Returns 0 or -EINVAL.
 */
int mountinfo_parse_line(char *line, struct mountinfo_entry *e);

typedef int (*mountinfo_cb)(const struct mountinfo_entry *e, void *data);

/*
 * Call cb for every entry of a mountinfo file; a non-zero return from cb
 * stops the walk and is returned. Lines that do not parse are skipped.
 */
int mountinfo_foreach(const char *path, mountinfo_cb cb, void *data);
int mountinfo_foreach_buf(char *buf, mountinfo_cb cb, void *data);

#endif
