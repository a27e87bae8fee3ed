// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The new user namespace's uid and gid maps. Root writes them; anyone may
 * map their own id alone (gid only once setgroups is denied); other ranges
 * need the setuid newuidmap/newgidmap and an entry in /etc/subuid, subgid.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox_internal.h"
#include "util.h"

struct idmap_file {
	const char *name;		/* "uid_map" */
	const char *helper;		/* "newuidmap" */
	uint32_t self;			/* our euid or egid */
	const struct insp_sandbox_idmap *lines;
	size_t n;
};

static int write_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	_cleanup_close_ int fd = -1;
	ssize_t len = (ssize_t)strlen(text);

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return write(fd, text, (size_t)len) == len ? 0 : -errno;
}

static int run_helper(pid_t pid, const struct idmap_file *f, struct insp_error *err)
{
	char args[INSP_SANDBOX_MAX_IDMAP * 3 + 2][16];
	char *argv[INSP_SANDBOX_MAX_IDMAP * 3 + 3];
	size_t n = 0;
	pid_t child;
	int r, status;

	argv[n++] = (char *)f->helper;
	snprintf(args[0], sizeof(args[0]), "%d", (int)pid);
	argv[n++] = args[0];
	for (size_t i = 0; i < f->n; i++) {
		const uint32_t v[3] = { f->lines[i].inside, f->lines[i].outside, f->lines[i].count };

		for (int k = 0; k < 3; k++) {
			snprintf(args[n], sizeof(args[n]), "%u", v[k]);
			argv[n] = args[n];
			n++;
		}
	}
	argv[n] = NULL;
	r = posix_spawnp(&child, f->helper, NULL, NULL, argv, environ);
	if (r)
		return insp_error_set(err, r, "%s: %s (map more than our own id needs it)", f->name, f->helper);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return insp_error_set(err, errno, "%s: waiting for %s", f->name, f->helper);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return insp_error_set_msg(err, EPERM, "%s: %s failed (are the ranges in /etc/sub%cid?)",
					  f->name, f->helper, f->name[0]);
	return 0;
}

static int write_map(pid_t pid, const struct idmap_file *f, struct insp_error *err)
{
	char text[INSP_SANDBOX_MAX_IDMAP * 36 + 1];
	size_t len = 0;
	int r;

	for (size_t i = 0; i < f->n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%u %u %u\n", f->lines[i].inside,
					f->lines[i].outside, f->lines[i].count);
	r = write_file(pid, f->name, text);
	if (r == -EPERM && f->n == 1 && f->lines[0].outside == f->self && f->lines[0].count == 1 &&
	    f->name[0] == 'g') {
		/* An unprivileged gid map needs setgroups denied, or we could drop groups. */
		if ((r = write_file(pid, "setgroups", "deny")) == 0)
			r = write_file(pid, f->name, text);
	}
	if (r == -EPERM)
		return run_helper(pid, f, err);
	return r < 0 ? insp_error_set(err, -r, "writing /proc/%d/%s", (int)pid, f->name) : 0;
}

int sandbox_idmap_write(const struct insp_sandbox *sb, struct insp_error *err)
{
	const struct insp_sandbox_spec *s = sb->spec;
	const struct insp_sandbox_idmap own_uid = { s->uid, (uint32_t)geteuid(), 1 };
	const struct insp_sandbox_idmap own_gid = { s->gid, (uint32_t)getegid(), 1 };
	const struct idmap_file files[] = {
		{ "uid_map", "newuidmap", own_uid.outside, s->n_uid_map ? s->uid_map : &own_uid,
		  s->n_uid_map ? s->n_uid_map : 1 },
		{ "gid_map", "newgidmap", own_gid.outside, s->n_gid_map ? s->gid_map : &own_gid,
		  s->n_gid_map ? s->n_gid_map : 1 },
	};
	int r = 0;

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(files); i++)
		r = write_map(sb->pid, &files[i], err);
	return r;
}
