/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_PROC_H
#define INSPECT_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <inspect/error.h>
#include <inspect/ns.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Groups of process fields; a scan collects what it is asked for. */
enum insp_proc_field {
	INSP_PROC_NS = 1 << 0,		/* ns_ino[] (and ns_id[] on the bpf backend) */
	INSP_PROC_STAT = 1 << 1,	/* ppid, comm, start_time */
	INSP_PROC_UID = 1 << 2,		/* uid */
	INSP_PROC_CMDLINE = 1 << 3,	/* cmdline */
	INSP_PROC_NSPID = 1 << 4,	/* nspid[] */
	INSP_PROC_CGROUP = 1 << 5,	/* cgroup, cgroup_file */
	INSP_PROC_CGROUP_IDS = 1 << 6,	/* cgroup_id[]: bpf backend only; none for named v1 hierarchies */
};

/* Cgroup hierarchies cgroup_id[] covers, by the kernel's hierarchy id (0 is cgroup2). */
#define INSP_PROC_CGROUP_SLOTS 16

struct insp_proc {
	pid_t pid;
	pid_t ppid;
	uid_t uid;			/* effective uid */
	char comm[16];
	unsigned long long start_time;	/* clock ticks after boot (stat field 22) */
	char *cmdline;			/* arguments joined by spaces; "" for kernel threads */
	char *cgroup;			/* cgroup v2 path, e.g. "/system.slice/x.service" */
	char *cgroup_file;		/* all of /proc/PID/cgroup (v1 hierarchies too) */
	pid_t *nspid;			/* pid in each nested pid namespace, outermost first */
	unsigned nnspid;
	unsigned fields;		/* enum insp_proc_field: what is filled in */
	unsigned ns_denied;		/* bit per slot: link not readable (EACCES) */
	ino_t ns_ino[INSP_NS_NSLOTS];	/* 0 = unknown (exited, denied, not asked) */
	uint64_t ns_id[INSP_NS_NSLOTS];	/* kernel 64-bit ids; 0 = unknown */
	uint64_t cgroup_id[INSP_PROC_CGROUP_SLOTS];	/* its cgroup in each hierarchy (kernfs id); 0 = none */
};

enum insp_backend {
	INSP_BACKEND_AUTO,	/* bpf when it loads, else proc, silently */
	INSP_BACKEND_PROC,	/* walk /proc: always works */
	INSP_BACKEND_BPF,	/* one iter/task read; needs CAP_BPF+CAP_PERFMON or root */
};

struct insp_scan_opts {
	enum insp_backend backend;
	unsigned fields;	/* enum insp_proc_field wanted for every process */
	unsigned ns_slots;	/* bit per enum insp_ns_slot to read; 0 = all */
	pid_t only_pid;		/* > 0: scan just this process */
	struct insp_scanner *scanner;	/* repeated scans: reuse its loaded iterator */
};

struct insp_scan_stats {
	unsigned vanished;	/* exited while we read them */
	unsigned denied;	/* processes with a namespace link we may not read */
	pid_t first_denied;
};

struct insp_procs;

/*
 * For a tool that scans every second: the eBPF iterator loaded once rather
 * than at each scan (its verification costs more than the scan itself).
 * -errno when eBPF is not available; scans then fall back as usual.
 */
struct insp_scanner;
int insp_scanner_open(struct insp_scanner **out, struct insp_error *err);
void insp_scanner_close(struct insp_scanner *s);

/* Snapshot every process (thread-group leaders only), sorted by pid. */
int insp_procs_scan(struct insp_procs **out, const struct insp_scan_opts *opts,
		    struct insp_error *err);
void insp_procs_free(struct insp_procs *procs);

size_t insp_procs_count(const struct insp_procs *procs);
struct insp_proc *insp_procs_at(struct insp_procs *procs, size_t i);
struct insp_proc *insp_procs_find(struct insp_procs *procs, pid_t pid);
enum insp_backend insp_procs_backend(const struct insp_procs *procs);
/* Why auto fell back to /proc (NULL if it did not). */
const char *insp_procs_fallback_reason(const struct insp_procs *procs);
struct insp_scan_stats insp_procs_stats(const struct insp_procs *procs);

/*
 * Fill more fields of one process after the scan (only what a caller needs,
 * for the few processes it shows). A process that exited gives -ESRCH.
 */
int insp_proc_fill(struct insp_proc *proc, unsigned fields, struct insp_error *err);

/* /proc/PID as an O_PATH directory fd for the *_read functions that take one; -ESRCH if gone. */
int insp_proc_dir_open(pid_t pid, struct insp_error *err);

/* Free what a process filled by insp_proc_fill outside a snapshot holds. */
void insp_proc_release(struct insp_proc *proc);

/*
 * The name of uid in /etc/passwd, into buf ("" and -ENOENT when it has
 * none). Read directly, without NSS.
 */
int insp_user_name(uid_t uid, char *buf, size_t size);

const char *insp_backend_name(enum insp_backend backend);
int insp_backend_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif
