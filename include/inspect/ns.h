/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_NS_H
#define INSPECT_NS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <inspect/error.h>

#ifdef __cplusplus
extern "C" {
#endif

enum insp_ns_type {
	INSP_NS_MNT,
	INSP_NS_NET,
	INSP_NS_PID,
	INSP_NS_UTS,
	INSP_NS_IPC,
	INSP_NS_USER,
	INSP_NS_CGROUP,
	INSP_NS_TIME,
	INSP_NS_NTYPES
};

/*
 * The namespace links of a process: one per type, plus the two "for
 * children" links that differ from the process's own after unshare(2) of a
 * pid or time namespace.
 */
enum insp_ns_slot {
	INSP_NS_SLOT_PID_FOR_CHILDREN = INSP_NS_NTYPES,
	INSP_NS_SLOT_TIME_FOR_CHILDREN,
	INSP_NS_NSLOTS
};

const char *insp_ns_type_name(enum insp_ns_type type);
/* "net" -> INSP_NS_NET; -EINVAL for an unknown name. */
int insp_ns_type_from_name(const char *name);
/* CLONE_NEW* flag of a type. */
int insp_ns_type_clone_flag(enum insp_ns_type type);
/* Link name under /proc/PID/ns ("net", "pid_for_children"...). */
const char *insp_ns_slot_name(enum insp_ns_slot slot);
/* The namespace type a slot refers to. */
enum insp_ns_type insp_ns_slot_type(enum insp_ns_slot slot);

#define INSP_NETNSID_UNKNOWN (-3)	/* not asked for, or not readable */
#define INSP_NETNSID_UNASSIGNED (-1)	/* the kernel's NETNSA_NSID_NOT_ASSIGNED */

enum insp_ns_flags {
	INSP_NS_F_NSFS = 1 << 0,	/* bind-mounted on an nsfs mount point */
	INSP_NS_F_FD = 1 << 1,		/* held open by a file descriptor */
	INSP_NS_F_CHILDREN = 1 << 2,	/* only a pid/time_for_children link refers to it */
};

struct insp_proc;

struct insp_ns {
	enum insp_ns_type type;
	dev_t dev;
	ino_t ino;
	uint64_t id;		/* kernel's 64-bit id (NS_GET_ID); 0 if unknown */
	unsigned nprocs;	/* member processes (not threads) */
	struct insp_proc *proc;	/* member with the lowest pid; NULL if none */
	ino_t owner;		/* owning user namespace; 0 if unknown */
	ino_t parent;		/* pid/user: parent namespace; 0 if none or unknown */
	int netnsid;		/* net only: see INSP_NETNSID_* */
	unsigned flags;		/* enum insp_ns_flags */
	char **nsfs;		/* nsfs mount points, nnsfs of them */
	size_t nnsfs;
	pid_t holder_pid;	/* no members: who holds it (fd, or *_for_children link) */
	int holder_fd;		/* INSP_NS_F_FD: the fd number */
};

/* What insp_ns_table_build collects beyond membership. */
enum insp_ns_want {
	INSP_NS_WANT_OWNER = 1 << 0,	/* NS_GET_USERNS */
	INSP_NS_WANT_PARENT = 1 << 1,	/* NS_GET_PARENT (pid, user) */
	INSP_NS_WANT_NSFS = 1 << 2,	/* nsfs mount points of the namespaces */
	INSP_NS_WANT_ORPHANS = 1 << 3,	/* also namespaces no process is in: nsfs mounts,
					   fds held open (scans every fd), *_for_children */
	INSP_NS_WANT_NETNSID = 1 << 4,	/* RTM_GETNSID */
	INSP_NS_WANT_ID = 1 << 5,	/* 64-bit id when the backend did not give it */
	INSP_NS_WANT_MOUNTED = 1 << 6,	/* also namespaces no process is in that an nsfs
					   mount keeps (ip netns add): one mountinfo read */
};

struct insp_procs;
struct insp_ns_table;

/*
 * Index the namespaces of a process snapshot: one entry per namespace, with
 * member count and lowest-pid member. Lookups are O(1); iteration is in
 * ascending inode order (like lsns). The table points into procs, which must
 * outlive it.
 */
int insp_ns_table_build(struct insp_ns_table **out, struct insp_procs *procs,
			unsigned want, struct insp_error *err);
void insp_ns_table_free(struct insp_ns_table *table);

size_t insp_ns_table_count(const struct insp_ns_table *table);
struct insp_ns *insp_ns_table_at(struct insp_ns_table *table, size_t i);
struct insp_ns *insp_ns_table_find(struct insp_ns_table *table, ino_t ino);
struct insp_ns *insp_ns_table_find_id(struct insp_ns_table *table, uint64_t id);

/*
 * Open a namespace file for ns: /proc/PID/ns/TYPE of its lowest member, else
 * its nsfs mount point, else the holder's fd or *_for_children link. Checks
 * the inode still matches.
 */
int insp_ns_open(const struct insp_ns *ns, struct insp_error *err);

/* Path a user would pass to nsenter for this namespace. */
int insp_ns_path(const struct insp_ns *ns, char *buf, size_t size);

/* Facts about a namespace file descriptor; missing kernel support -> 0. */
int insp_ns_fd_type(int fd);			/* enum insp_ns_type or -errno */
uint64_t insp_ns_fd_id(int fd);			/* NS_GET_ID, NS_GET_MNTNS_ID */
ino_t insp_ns_fd_owner(int fd);			/* NS_GET_USERNS */
uint64_t insp_ns_fd_owner_id(int fd);		/* the owner's 64-bit id */
ino_t insp_ns_fd_parent(int fd);		/* NS_GET_PARENT */
int insp_ns_fd_netnsid(int fd);			/* RTM_GETNSID; INSP_NETNSID_* */

#ifdef __cplusplus
}
#endif
#endif
