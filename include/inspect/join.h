/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_JOIN_H
#define INSPECT_JOIN_H

#include <stdbool.h>
#include <sys/types.h>

#include <inspect/error.h>
#include <inspect/ns.h>
#include <inspect/target.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A set of namespace types: one bit per enum insp_ns_type. */
#define INSP_JOIN_NS(type) (1u << (type))
#define INSP_JOIN_NS_ALL ((1u << INSP_NS_NTYPES) - 1)

enum insp_join_flags {
	INSP_JOIN_CGROUP = 1 << 0,	/* move into the target's cgroups, every hierarchy */
	INSP_JOIN_CREDS = 1 << 1,	/* take its uid, gid and supplementary groups */
	INSP_JOIN_CAPS = 1 << 2,	/* take its capability sets and no_new_privs */
	INSP_JOIN_ROOT = 1 << 3,	/* take its root directory (when its mount ns is joined) */
	INSP_JOIN_CWD = 1 << 4,		/* take its working directory (likewise) */
	INSP_JOIN_HOST_ROOT = 1 << 5,	/* keep our mounts: a private mount ns of our own
					   with a /proc of the target's pid namespace */
	INSP_JOIN_ENV = 1 << 6,		/* read its environment */
	INSP_JOIN_NS_FILES = 1 << 7,	/* join through /proc/PID/ns files, not setns(pidfd):
					   what kernels before 5.8 need */
};

#define INSP_JOIN_ID_TARGET ((unsigned)-1)

struct insp_join_opts {
	unsigned ns;			/* INSP_JOIN_NS bits; 0: each one that differs from ours */
	const char *ns_file[INSP_NS_NTYPES]; /* join this namespace file instead of the target's */
	unsigned flags;			/* enum insp_join_flags */
	unsigned uid, gid;		/* as seen inside; INSP_JOIN_ID_TARGET: the target's */
	const char *workdir;		/* inside the new root; overrides INSP_JOIN_CWD */
};

struct insp_join;

/*
 * Entering a target happens in three steps, because a pid namespace only
 * applies to children:
 *
 *   insp_join_prepare()     gather everything from the target while we still
 *                           see the host (fds, ids, cgroups, passwd entry)
 *   insp_join_namespaces()  setns into the chosen namespaces
 *   fork()
 *   insp_join_finish()      in the child: cgroups, private /proc, root, cwd,
 *                           credentials and capabilities, in that order
 *
 * prepare makes the caller non-dumpable first, so that nothing in the
 * target can ptrace it or open its /proc files once it is inside. The
 * caller must be single-threaded. A failure names its step ("setns(net)").
 */
int insp_join_prepare(struct insp_join **out, const struct insp_target *target,
		      const struct insp_join_opts *opts, struct insp_error *err);
int insp_join_namespaces(struct insp_join *join, struct insp_error *err);
int insp_join_finish(struct insp_join *join, struct insp_error *err);
void insp_join_free(struct insp_join *join);

/* The namespace types that will be (or were) joined. */
unsigned insp_join_ns_set(const struct insp_join *join);
/* The login shell and home directory of the user we end up as, from the
   passwd file of the root we end up in; NULL when not known. */
const char *insp_join_shell(const struct insp_join *join);
const char *insp_join_home(const struct insp_join *join);
/* Why the passwd file was not used ("/etc/passwd: a FIFO, not a regular file"); NULL if it was, or had no entry. */
const char *insp_join_user_warning(const struct insp_join *join);
/* The target's environment (INSP_JOIN_ENV), NULL-terminated; else NULL. */
char **insp_join_environ(const struct insp_join *join);

#define INSP_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * execve argv, searching argv[0] in the PATH of envp (execvpe(3) searches
 * the caller's, and the command runs somewhere else). Returns the errno.
 */
int insp_exec_in_path(char *const argv[], char *const envp[]);

/*
 * Run fn(arg) in a child that shares our memory until it execs or exits,
 * which it must do (with _exit); we wait until then. Returns its pid, or
 * -1 with errno.
 */
pid_t insp_spawn(int (*fn)(void *), void *arg);

#ifdef __cplusplus
}
#endif
#endif
