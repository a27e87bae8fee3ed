/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the parent and the sandbox's init share, and the steps between them. */
#ifndef INSPECT_SANDBOX_INTERNAL_H
#define INSPECT_SANDBOX_INTERNAL_H

#include <linux/filter.h>
#include <stdbool.h>

#include "inspect/cgroup.h"
#include "inspect/sandbox.h"
#include "join_internal.h"

/* A report from the sandbox to the parent, through the report pipe. */
enum sandbox_report_kind { SANDBOX_REPORT_ERROR, SANDBOX_REPORT_WARNING, SANDBOX_REPORT_NAMESPACES };

struct sandbox_namespaces {
	ino_t ino[INSP_NS_NTYPES];	/* 0: could not be opened */
	uint64_t id[INSP_NS_NTYPES];	/* 0: kernel without NS_GET_ID */
};

struct sandbox_report {
	enum sandbox_report_kind kind;
	int exit_status;		/* for errors: what the sandbox exits with */
	struct insp_error err;		/* errors and warnings */
	struct sandbox_namespaces ns;	/* SANDBOX_REPORT_NAMESPACES */
};

struct insp_sandbox {
	const struct insp_sandbox_spec *spec;
	unsigned new_ns;		/* INSP_JOIN_NS bits created */
	pid_t pid;
	int pidfd;
	int go_fd[2];			/* parent -> init: ids are mapped, cgroup joined */
	int report_fd[2];		/* init and command -> parent; EOF once exec'd */
	struct sock_fprog seccomp;	/* .len 0: none */
	uint64_t landlock_handled;	/* filesystem rights the kernel's Landlock knows */
	uint64_t landlock_handled_net;	/* TCP rights the ports given restrict */
	struct join_creds creds;
	char **warnings;		/* from the sandbox, for the caller to print */
	size_t n_warnings;
	struct insp_cgroup_hierarchies *hierarchies;
	char *cgroup;			/* created by us, removed by destroy */
	struct sandbox_namespaces ns;	/* as init reported them, final before the command starts */
};

/* sandbox_init.c: the child side, from clone to exec; never returns. */
__attribute__((noreturn)) void sandbox_init_run(struct insp_sandbox *sb);
/* Send a report to the parent; a warning returns, an error exits. */
void sandbox_warn(struct insp_sandbox *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) void sandbox_fail(struct insp_sandbox *sb, const struct insp_error *err,
					    int exit_status);

/* sandbox_mount.c: the new root with /proc, /dev, /tmp and the user's mounts, then pivot_root. */
struct sandbox_trees {
	int root;			/* a detached copy of the rootfs (or of /) */
	int *sources;			/* of each bind mount; -1 for a tmpfs */
	bool *dirs;
	size_t n;
};

int sandbox_mount_prepare(const struct insp_sandbox *sb, struct sandbox_trees *t, struct insp_error *err);
int sandbox_mount_root(struct insp_sandbox *sb, const struct sandbox_trees *t, struct insp_error *err);
void sandbox_mount_release(struct sandbox_trees *t);

/* sandbox_seccomp.c: the built-in filter or one from a file, ready before the clone; .len 0 for none. */
int sandbox_seccomp_prepare(struct insp_sandbox *sb, struct insp_error *err);
void sandbox_seccomp_free(struct insp_sandbox *sb);

/* sandbox_landlock.c: the kernel's ABI probed before the clone; the rules made in the command. */
int sandbox_landlock_prepare(struct insp_sandbox *sb, struct insp_error *err);
int sandbox_landlock_apply(const struct insp_sandbox *sb, struct insp_error *err);

/* sandbox_idmap.c: the uid and gid maps of the new user namespace, from the parent. */
int sandbox_idmap_write(const struct insp_sandbox *sb, struct insp_error *err);

#endif
