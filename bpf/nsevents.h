/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records and counters shared by nsevents.bpf.c and libinspect's event reader. */
#ifndef NSEVENTS_H
#define NSEVENTS_H

/* Same order as enum insp_event_kind. */
enum nsev_kind {
	NSEV_UNSHARE,
	NSEV_CLONE,
	NSEV_CLONE3,
	NSEV_SETNS,
	NSEV_CGROUP_MKDIR,
	NSEV_CGROUP_RMDIR,
	NSEV_CGROUP_ATTACH,
	NSEV_NKINDS
};

/* Namespace types, in the order of the first eight NSTASK slots. */
#define NSEV_NTYPES 8
#define NSEV_PATH_MAX 192

/*
 * A busy producer wakes the reader at most once per interval and leaves the
 * rest for it to collect; a reader that saw events lately looks again within
 * twice the interval (a wakeup costs the traced task microseconds).
 */
#define NSEV_WAKEUP_INTERVAL_MS 10

struct nsev_head {
	unsigned long long time_ns;	/* CLOCK_BOOTTIME */
	unsigned int kind;
	unsigned int pid;		/* thread group of the caller */
	unsigned int tid;
	unsigned int uid;		/* the caller's euid */
	char comm[16];
	/* The caller's cgroups at the call (it may be gone when the event is read). */
	unsigned long long cgroup2_id;
	unsigned long long cgroup1_id;	/* where memory is on a v1 hierarchy: that one's */
	int cgroup1_hierarchy;		/* its id; 0 when not asked */
};

/* unshare, clone, clone3, setns */
struct nsev_ns_event {
	struct nsev_head head;
	unsigned long long flags;	/* CLONE_* asked; setns: its nstype */
	long long result;		/* the syscall's return value (clone: the child as the caller sees it) */
	unsigned int types;		/* bit per type: namespaces now new (or entered) */
	unsigned int child;		/* clone: the new process */
	unsigned int ns_inum[NSEV_NTYPES];
	unsigned long long ns_id[NSEV_NTYPES];
};

struct nsev_cgroup_event {
	struct nsev_head head;
	unsigned long long cgroup_id;	/* kernfs id of the directory */
	int hierarchy;			/* 0 for cgroup2 */
	unsigned int moved;		/* attach: the moved process */
	char path[NSEV_PATH_MAX];	/* path inside the hierarchy */
};

/* One per-CPU element, summed by the reader. */
struct nsev_counters {
	unsigned long long created[NSEV_NTYPES];	/* by unshare and clone */
	unsigned long long entered[NSEV_NTYPES];	/* by setns */
	unsigned long long calls[NSEV_NKINDS];		/* calls and cgroup events seen */
	unsigned long long failed[NSEV_NKINDS];		/* calls that returned an error */
	unsigned long long dropped;			/* events the ring buffer had no room for */
};

#endif
