/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef INSPECT_EVENTS_H
#define INSPECT_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <inspect/error.h>
#include <inspect/ns.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Namespace creation and entry, and cgroup changes, traced by eBPF as they
 * happen: an event per call, and counters per namespace type. Needs
 * CAP_BPF and CAP_PERFMON (or root) and a kernel with BTF.
 */

enum insp_event_kind {
	INSP_EVENT_UNSHARE,
	INSP_EVENT_CLONE,
	INSP_EVENT_CLONE3,
	INSP_EVENT_SETNS,
	INSP_EVENT_CGROUP_MKDIR,
	INSP_EVENT_CGROUP_RMDIR,
	INSP_EVENT_CGROUP_ATTACH,
	INSP_EVENT_NKINDS
};

struct insp_event {
	uint64_t time_ns;		/* CLOCK_REALTIME */
	enum insp_event_kind kind;
	pid_t pid, tid;			/* the caller */
	uid_t uid;			/* its effective uid */
	char comm[16];
	/*
	 * The caller's cgroups when it made the call, so that a caller gone by
	 * now is still placed: its cgroup2 id, and on hosts where the memory
	 * controller is on a v1 hierarchy, its cgroup there (hierarchy -1: none).
	 */
	uint64_t cgroup2_id;
	int cgroup1_hierarchy;
	uint64_t cgroup1_id;
	uint64_t flags;			/* CLONE_* flags asked; setns: nstype */
	long long result;		/* the return value; -errno on failure */
	unsigned types;			/* bit per enum insp_ns_type: created (entered for setns) */
	pid_t child;			/* clone: the new process; cgroup attach: the moved one */
	ino_t ns_ino[INSP_NS_NTYPES];	/* for each bit of types: the namespace now in use */
	uint64_t ns_id[INSP_NS_NTYPES];	/* its 64-bit id; 0 on kernels without */
	uint64_t cgroup_id;		/* cgroup events: the directory's id (inode) */
	int hierarchy;			/* cgroup events: hierarchy id, 0 for cgroup2 */
	char path[192];			/* cgroup events: path inside the hierarchy */
};

/* Totals since the tracer was opened. */
struct insp_event_counters {
	uint64_t created[INSP_NS_NTYPES];	/* namespaces made by unshare and clone */
	uint64_t entered[INSP_NS_NTYPES];	/* namespaces joined by setns */
	uint64_t calls[INSP_EVENT_NKINDS];
	uint64_t failed[INSP_EVENT_NKINDS];
	uint64_t dropped;			/* events lost because the ring buffer was full */
};

struct insp_events_opts {
	pid_t only_pid;		/* > 0: this process only (filtered in the kernel) */
	/*
	 * Counting mode, for scrapers: insp_events_counters only, no record per
	 * event (nothing to poll, nothing dropped), so a host that makes
	 * namespaces quickly pays for a counter, not for an event.
	 */
	bool count_only;
};

struct insp_events;

int insp_events_open(struct insp_events **out, const struct insp_events_opts *opts,
		     struct insp_error *err);
void insp_events_close(struct insp_events *ev);
/* Readable when the tracer wakes its reader: for poll(2) beside other fds. */
int insp_events_fd(const struct insp_events *ev);

/* Called for each event; a negative return stops the poll and is returned. */
typedef int (*insp_event_fn)(const struct insp_event *e, void *data);
/*
 * Wait up to timeout_ms (-1: forever) and hand over what arrived; the number
 * of events, or <0. A busy tracer wakes its reader only now and then: callers
 * that wait on insp_events_fd themselves sleep at most insp_events_timeout().
 */
int insp_events_poll(struct insp_events *ev, int timeout_ms, insp_event_fn fn, void *data,
		     struct insp_error *err);
/* How long a wait on insp_events_fd may last instead of timeout_ms (-1: forever). */
int insp_events_timeout(const struct insp_events *ev, int timeout_ms);
int insp_events_counters(const struct insp_events *ev, struct insp_event_counters *out,
			 struct insp_error *err);

const char *insp_event_kind_name(enum insp_event_kind kind);
int insp_event_kind_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif
