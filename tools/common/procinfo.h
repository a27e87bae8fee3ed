/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How the frontends name a process (its command line, user, container) and a namespace's mounts. */
#ifndef NSCTL_PROCINFO_H
#define NSCTL_PROCINFO_H

#include <sys/types.h>

#include <inspect/container.h>
#include <inspect/ns.h>
#include <inspect/proc.h>

/* uid -> user name, looked up once per uid. */
struct user_cache {
	struct {
		uid_t uid;
		char *name;
	} *v;
	size_t n;
};

const char *user_cache_name(struct user_cache *c, uid_t uid);
void user_cache_free(struct user_cache *c);

/* Command line, or the comm name for kernel threads and zombies; NULL if gone. */
const char *proc_command(struct insp_proc *p);

/* How people name a container: "docker:web", or "docker:3f2a1c9e8b7d" while its name is unknown. */
const char *container_label(const struct insp_container_info *c, char *buf, size_t size);

struct row;
/* A container cell: its label for people, the container object in JSON. */
void row_set_container(struct row *row, int col, const struct insp_container_info *c);

/* The nsfs mount points that keep a namespace (ip netns add), comma-separated. */
void row_set_nsfs(struct row *row, int col, const struct insp_ns *ns);

/* The container a process runs in; -ENOENT if none. */
int proc_container(struct insp_proc *p, struct insp_container_ref *ref);

#endif
