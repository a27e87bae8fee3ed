/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Record written by nstask.bpf.c for every process; read by libinspect. */
#ifndef NSTASK_H
#define NSTASK_H

/* Same order as enum insp_ns_slot. */
enum nstask_slot {
	NSTASK_MNT,
	NSTASK_NET,
	NSTASK_PID,
	NSTASK_UTS,
	NSTASK_IPC,
	NSTASK_USER,
	NSTASK_CGROUP,
	NSTASK_TIME,
	NSTASK_PID_FOR_CHILDREN,
	NSTASK_TIME_FOR_CHILDREN,
	NSTASK_NSLOTS
};

/* Cgroup hierarchies a record covers, by the kernel's hierarchy id: 0 is cgroup2. */
#define NSTASK_CGROUP_SLOTS 16

/* A set of namespace ids, by slot. */
struct nstask_ns_ids {
	unsigned int inum[NSTASK_NSLOTS];
	unsigned long long id[NSTASK_NSLOTS];
};

struct nstask_rec {
	unsigned int pid;
	unsigned int ppid;
	unsigned int euid;
	unsigned int securebits;
	unsigned long long start_boottime;	/* ns since boot */
	unsigned long long cap_permitted;
	unsigned int ns_inum[NSTASK_NSLOTS];
	unsigned long long ns_id[NSTASK_NSLOTS];
	char comm[16];
	unsigned long long cgroup_id[NSTASK_CGROUP_SLOTS];	/* kernfs ids; 0: not asked, or none */
};

/*
 * The walk's record (nstaskwalk.bpf.c): a process, its nsproxy's namespaces
 * and its css_set's cgroups given as indexes into arrays of sets that the
 * processes sharing them share.
 */
#define NSTASK_NO_SET 0xffffffffu	/* a zombie's: it has dropped its nsproxy */

struct nstask_proc {
	unsigned int pid;
	unsigned int ppid;
	unsigned int euid;
	unsigned int securebits;
	unsigned long long start_boottime;
	unsigned long long cap_permitted;
	unsigned int user_inum, pid_inum;
	unsigned long long user_id, pid_id;
	unsigned int ns_set;		/* into the nstask_ns_ids array; user and pid slots unused */
	unsigned int cgroup_set;	/* into the nstask_cgroup_ids array */
	char comm[16];
};

struct nstask_cgroup_ids {
	unsigned long long id[NSTASK_CGROUP_SLOTS];
};

#endif
