/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What insp_join_prepare gathers, shared by the join_*.c steps. */
#ifndef INSPECT_JOIN_INTERNAL_H
#define INSPECT_JOIN_INTERNAL_H

#include <stdint.h>

#include "inspect/caps.h"
#include "inspect/join.h"

struct join_cgroup {
	char *name;		/* "memory", "cpu,cpuacct", "unified": for messages */
	int procs_fd;		/* its cgroup.procs, opened with the host's view */
};

struct join_creds {
	bool set_ids;
	uid_t uid;
	gid_t gid;
	bool set_groups;
	gid_t *groups;
	unsigned ngroups;
	bool set_caps;
	uint64_t caps[INSP_CAP_NSETS];
	bool no_new_privs;
};

struct insp_join {
	unsigned flags;
	int pidfd;			/* ours (a dup), -1 without pidfd support */
	int proc_fd;			/* /proc/PID, opened while the pidfd pinned it */
	unsigned ns_target;		/* types joined from the target itself */
	unsigned ns_file;		/* types joined from a given file */
	int ns_fd[INSP_NS_NTYPES];	/* the files; the target's too on the fallback path */
	int root_fd, cwd_fd;		/* -1: keep ours */
	char *workdir;
	struct join_cgroup *cgroups;
	size_t ncgroups;
	struct join_creds creds;
	char *shell, *home;
	char *user_warning;		/* why the passwd entry was not used */
	char *environ_buf;
	char **environ;
};

/* join_ns.c */
int join_ns_select(struct insp_join *j, const struct insp_join_opts *opts, struct insp_error *err);
int join_ns_enter(struct insp_join *j, struct insp_error *err);
/* CLONE_NEW* flags of a set of INSP_JOIN_NS bits. */
int join_ns_clone_flags(unsigned set);

/* join_cgroup.c */
int join_cgroup_open(struct insp_join *j, struct insp_error *err);
int join_cgroup_enter(struct insp_join *j, struct insp_error *err);
void join_cgroup_close(struct insp_join *j);

/* join_creds.c */
int join_creds_prepare(struct insp_join *j, const struct insp_join_opts *opts,
		       struct insp_error *err);
int join_creds_apply(const struct join_creds *c, struct insp_error *err);

/* passwd.c: the login shell and home of uid in <root>/etc/passwd, or in a
   passwd text (modified in place). -ENOENT when uid has no entry. */
int passwd_lookup(int root_fd, uid_t uid, char **shell, char **home, struct insp_error *err);
int passwd_parse(char *text, uid_t uid, char **shell, char **home);

#endif
