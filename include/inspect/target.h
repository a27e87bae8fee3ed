/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_TARGET_H
#define INSPECT_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include <inspect/container.h>
#include <inspect/error.h>
#include <inspect/proc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What a user named on the command line, pinned: a process, or a container
 * and its init process. The pidfd keeps a recycled pid from being mistaken
 * for the target.
 */
struct insp_target {
	pid_t pid;
	int pidfd;
	unsigned long long start_time;	/* clock ticks after boot, from stat */
	bool by_container;		/* named as a container rather than a pid */
	bool in_container;		/* the process runs in a container (info is set) */
	struct insp_container_info container;
	struct insp_proc proc;		/* what resolution read: stat and cgroup (more with insp_target_fill) */
};

struct insp_resolve_opts {
	const char *state_root;		/* where runtime state files live; NULL = "/" */
};

/*
 * Resolve "4242", "pid:4242", a container id or unique id prefix (optionally
 * "docker:3f2a"), or a container name. An ambiguous prefix gives
 * -ENOTUNIQ with the candidates in err's message; nothing found, -ESRCH.
 */
int insp_target_resolve(const char *spec, const struct insp_resolve_opts *opts,
			struct insp_target *out, struct insp_error *err);

/* 0 while the pinned process lives, -ESRCH once it has exited. */
int insp_target_alive(const struct insp_target *t);

/*
 * Read more of the target's fields (enum insp_proc_field) into t->proc,
 * only those not read yet; -ESRCH if it exited meanwhile, so what was read
 * is the pinned process's and not a successor's.
 */
int insp_target_fill(struct insp_target *t, unsigned fields, struct insp_error *err);

void insp_target_release(struct insp_target *t);

#ifdef __cplusplus
}
#endif
#endif
