// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The parent side of a sandbox: check the spec, compile the filter and
 * create the cgroup before anything runs, clone into the new namespaces,
 * map ids and join the cgroup while the child waits, then let it go and
 * read its reports until the command is exec'd. Any failure undoes it all.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inspect/caps.h"
#include "sandbox_internal.h"
#include "util.h"

/* Types the child creates itself after the parent let it go (sandbox_init.c). */
#define LATE_NS (INSP_JOIN_NS(INSP_NS_CGROUP) | INSP_JOIN_NS(INSP_NS_TIME))

static int check_spec(const struct insp_sandbox_spec *s, unsigned new_ns, struct insp_error *err)
{
	if (!s->argv || !s->argv[0])
		return insp_error_input(err, EINVAL, "no command");
	if (s->join_ns[INSP_NS_USER] || s->join_ns[INSP_NS_MNT])
		return insp_error_input(err, EINVAL, "joining a %s namespace is not supported (use nsctl enter)",
					  s->join_ns[INSP_NS_USER] ? "user" : "mount");
	if (!(new_ns & INSP_JOIN_NS(INSP_NS_MNT)) && (s->rootfs || s->n_mounts))
		return insp_error_input(err, EINVAL, "a root or mounts need a new mount namespace");
	if (s->overlay && !s->rootfs)
		return insp_error_input(err, EINVAL, "--overlay needs a rootfs");
	if (s->hostname && !(new_ns & INSP_JOIN_NS(INSP_NS_UTS)))
		return insp_error_input(err, EINVAL, "a hostname needs a new uts namespace");
	if ((s->monotonic_offset || s->boottime_offset) && !(new_ns & INSP_JOIN_NS(INSP_NS_TIME)))
		return insp_error_input(err, EINVAL, "time offsets need a new time namespace");
	if ((s->n_uid_map || s->n_gid_map) && !(new_ns & INSP_JOIN_NS(INSP_NS_USER)))
		return insp_error_input(err, EINVAL, "id maps need a new user namespace");
	if (s->n_uid_map > INSP_SANDBOX_MAX_IDMAP || s->n_gid_map > INSP_SANDBOX_MAX_IDMAP)
		return insp_error_input(err, EINVAL, "more than %d id map lines", INSP_SANDBOX_MAX_IDMAP);
	if (s->workdir && s->workdir[0] != '/')
		return insp_error_input(err, EINVAL, "working directory %s: not absolute", s->workdir);
	return 0;
}

static bool maps_id(const struct insp_sandbox_idmap *map, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= map[i].inside && id - map[i].inside < map[i].count)
			return true;
	return n == 0;
}

/* What the command becomes: docker's 14 capabilities for root inside, none for others. */
static void prepare_creds(struct insp_sandbox *sb)
{
	const struct insp_sandbox_spec *s = sb->spec;
	uint64_t caps = s->caps_given ? s->caps :
			s->uid == 0 ? insp_caps_profile_mask(INSP_CAPS_DOCKER_DEFAULT) : 0;
	struct join_creds *c = &sb->creds;

	*c = (struct join_creds){ .set_ids = true, .uid = s->uid, .gid = s->gid, .set_groups = true,
				  .set_caps = true, .no_new_privs = true };
	c->caps[INSP_CAP_BOUNDING] = c->caps[INSP_CAP_PERMITTED] = caps;
	c->caps[INSP_CAP_EFFECTIVE] = c->caps[INSP_CAP_INHERITABLE] = caps;
	/* Only ambient capabilities survive exec for a non-root uid. */
	c->caps[INSP_CAP_AMBIENT] = s->uid ? caps : 0;
}

static int create_cgroup(struct insp_sandbox *sb, struct insp_error *err)
{
	const struct insp_sandbox_spec *s = sb->spec;
	char name[64];
	struct insp_cgroup_changes changes;
	/* No controllers named: v2 and the hierarchies the limits need, not every one. */
	struct insp_cgroup_create_opts opts = { "", s->limits, s->n_limits };
	int r;

	if (!s->n_limits)
		return 0;
	if ((r = insp_cgroup_hierarchies_read(&sb->hierarchies, err)) < 0)
		return r;
	snprintf(name, sizeof(name), "/nsctl-run-%d", (int)getpid());
	if (!(sb->cgroup = strdup(s->cgroup ? s->cgroup : name)))
		return insp_error_set(err, ENOMEM, "cgroup");
	r = insp_cgroup_create(sb->hierarchies, sb->cgroup, &opts, &changes, err);
	if (r < 0) {
		free(sb->cgroup);
		sb->cgroup = NULL;
		return r;
	}
	insp_cgroup_changes_free(&changes);
	return 0;
}

/*
 * Joined namespaces are entered by us, before the clone, so that the child
 * is born in them: once in a new user namespace it would have no right to
 * enter namespaces the host owns. Ours come back right after.
 */
static int join_for_clone(const struct insp_sandbox_spec *s, int saved[INSP_NS_NTYPES],
			  struct insp_error *err)
{
	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		char own[64];
		_cleanup_close_ int fd = -1;

		if (!s->join_ns[t])
			continue;
		snprintf(own, sizeof(own), "/proc/self/ns/%s", insp_ns_type_name((enum insp_ns_type)t));
		if ((saved[t] = open(own, O_RDONLY | O_CLOEXEC)) < 0)
			return insp_error_set(err, errno, "%s", own);
		if ((fd = open(s->join_ns[t], O_RDONLY | O_CLOEXEC)) < 0)
			return insp_error_set(err, errno, "%s namespace %s", insp_ns_type_name((enum insp_ns_type)t),
					      s->join_ns[t]);
		if (setns(fd, insp_ns_type_clone_flag((enum insp_ns_type)t)) < 0)
			return insp_error_set(err, errno, "setns(%s, %s)", s->join_ns[t],
					      insp_ns_type_name((enum insp_ns_type)t));
	}
	return 0;
}

static void restore_namespaces(int saved[INSP_NS_NTYPES])
{
	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (saved[t] >= 0) {
			if (setns(saved[t], 0) < 0)
				abort(); /* we would go on in a namespace not ours */
			close(saved[t]);
			saved[t] = -1;
		}
}

static pid_t clone_child(struct insp_sandbox *sb, uint64_t flags)
{
	struct clone_args args = {
		.flags = flags | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)&sb->pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));

	if (pid < 0 && errno == ENOSYS) {
		/* Before Linux 5.3: no pidfd; the pid is ours to reap, so it cannot be reused. */
		sb->pidfd = -1;
		pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, 0, 0, 0, 0);
	}
	return pid;
}

static int start_child(struct insp_sandbox *sb, struct insp_error *err)
{
	int saved[INSP_NS_NTYPES];
	int r;

	for (int t = 0; t < INSP_NS_NTYPES; t++)
		saved[t] = -1;
	if (pipe2(sb->go_fd, O_CLOEXEC) < 0 || pipe2(sb->report_fd, O_CLOEXEC) < 0)
		return insp_error_set(err, errno, "pipe");
	r = join_for_clone(sb->spec, saved, err);
	if (r == 0) {
		sb->pid = clone_child(sb, (uint64_t)join_ns_clone_flags(sb->new_ns & ~LATE_NS));
		if (sb->pid == 0)
			sandbox_init_run(sb);
		if (sb->pid < 0)
			r = insp_error_set(err, errno, "clone");
	}
	restore_namespaces(saved);
	close(sb->go_fd[0]);
	close(sb->report_fd[1]);
	sb->go_fd[0] = sb->report_fd[1] = -1;
	return r;
}

/* Reports until EOF, which comes when the command has been exec'd (or init died). */
static int read_reports(struct insp_sandbox *sb, int *exit_status, struct insp_error *err)
{
	struct sandbox_report rep;
	ssize_t n;

	while ((n = read(sb->report_fd[0], &rep, sizeof(rep))) == (ssize_t)sizeof(rep)) {
		rep.err.msg[sizeof(rep.err.msg) - 1] = '\0';
		if (rep.kind == SANDBOX_REPORT_NAMESPACES) {
			sb->ns = rep.ns;
			continue;
		}
		if (rep.kind != SANDBOX_REPORT_WARNING) {
			*err = rep.err;
			*exit_status = rep.exit_status;
			return -(rep.err.code ? rep.err.code : EIO);
		}
		if (util_strv_append(&sb->warnings, &sb->n_warnings, rep.err.msg) < 0)
			return insp_error_set(err, ENOMEM, "warnings");
	}
	return n < 0 ? insp_error_set(err, errno, "reading the sandbox's reports") : 0;
}

static int release_child(struct insp_sandbox *sb, int *exit_status, struct insp_error *err)
{
	int r = 0;

	if (sb->cgroup)
		r = insp_cgroup_move(sb->hierarchies, &sb->pid, 1, sb->cgroup, err);
	if (r == 0 && (sb->new_ns & INSP_JOIN_NS(INSP_NS_USER)))
		r = sandbox_idmap_write(sb, err);
	if (r == 0 && write(sb->go_fd[1], "g", 1) != 1)
		r = insp_error_set(err, errno, "starting the sandbox");
	close(sb->go_fd[1]);
	sb->go_fd[1] = -1;
	return r < 0 ? r : read_reports(sb, exit_status, err);
}

static void sandbox_free(struct insp_sandbox *sb)
{
	for (int i = 0; i < 2; i++) {
		if (sb->go_fd[i] >= 0)
			close(sb->go_fd[i]);
		if (sb->report_fd[i] >= 0)
			close(sb->report_fd[i]);
	}
	if (sb->pidfd >= 0)
		close(sb->pidfd);
	for (size_t i = 0; i < sb->n_warnings; i++)
		free(sb->warnings[i]);
	free(sb->warnings);
	sandbox_seccomp_free(sb);
	insp_cgroup_hierarchies_free(sb->hierarchies);
	free(sb->cgroup);
	free(sb);
}

/* Kill and reap a child that never got to its command. */
static void kill_child(struct insp_sandbox *sb)
{
	if (sb->pid <= 0)
		return;
	if (sb->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, sb->pidfd, SIGKILL, NULL, 0);
	else
		kill(sb->pid, SIGKILL);
	while (waitpid(sb->pid, NULL, 0) < 0 && errno == EINTR)
		;
	sb->pid = 0;
}

INSP_EXPORT int insp_sandbox_start(struct insp_sandbox **out, const struct insp_sandbox_spec *spec,
				   int *exit_status, struct insp_error *err)
{
	struct insp_sandbox *sb = calloc(1, sizeof(*sb));
	struct insp_error ignored;
	int r;

	*out = NULL;
	*exit_status = 1;
	if (!sb)
		return insp_error_set(err, ENOMEM, "sandbox");
	*sb = (struct insp_sandbox){ .spec = spec, .pidfd = -1, .go_fd = { -1, -1 }, .report_fd = { -1, -1 } };
	sb->new_ns = INSP_JOIN_NS_ALL & ~spec->share_ns;
	for (int t = 0; t < INSP_NS_NTYPES; t++)
		if (spec->join_ns[t])
			sb->new_ns &= ~INSP_JOIN_NS(t);
	r = check_spec(spec, sb->new_ns, err);
	if (r == 0 && (!maps_id(spec->uid_map, spec->n_uid_map, spec->uid) ||
		       !maps_id(spec->gid_map, spec->n_gid_map, spec->gid)))
		r = insp_error_input(err, EINVAL, "uid %u or gid %u is not in the id maps", spec->uid, spec->gid);
	if (r == 0)
		prepare_creds(sb);
	if (r == 0)
		r = sandbox_seccomp_prepare(sb, err);
	if (r == 0)
		r = sandbox_landlock_prepare(sb, err);
	if (r == 0)
		r = create_cgroup(sb, err);
	if (r == 0)
		r = start_child(sb, err);
	if (r == 0)
		r = release_child(sb, exit_status, err);
	if (r < 0) {
		kill_child(sb);
		insp_sandbox_destroy(sb, &ignored);
		return r;
	}
	*out = sb;
	return 0;
}

INSP_EXPORT pid_t insp_sandbox_pid(const struct insp_sandbox *sb)
{
	return sb->pid;
}

INSP_EXPORT int insp_sandbox_pidfd(const struct insp_sandbox *sb)
{
	return sb->pidfd;
}

INSP_EXPORT const char *insp_sandbox_cgroup(const struct insp_sandbox *sb)
{
	return sb->cgroup;
}

INSP_EXPORT size_t insp_sandbox_warnings(const struct insp_sandbox *sb, const char *const **out)
{
	*out = (const char *const *)sb->warnings;
	return sb->n_warnings;
}

/* The command's time namespace is init's time_for_children: init made it for its child. */
INSP_EXPORT int insp_sandbox_namespaces(const struct insp_sandbox *sb, ino_t inos[INSP_NS_NTYPES],
					uint64_t ids[INSP_NS_NTYPES])
{
	int missing = 0;

	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		inos[t] = sb->ns.ino[t];
		ids[t] = sb->ns.id[t];
		if (!inos[t])
			missing = -ENOENT;
	}
	return missing;
}

INSP_EXPORT int insp_sandbox_destroy(struct insp_sandbox *sb, struct insp_error *err)
{
	int r = 0;

	if (!sb)
		return 0;
	if (sb->cgroup)
		r = insp_cgroup_remove(sb->hierarchies, sb->cgroup, INSP_CGROUP_RM_KILL | INSP_CGROUP_RM_RECURSIVE,
				       err);
	sandbox_free(sb);
	return r;
}
