// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The event tracer: loads nsevents.bpf.c, hands over its ring buffer
 * records as struct insp_event and sums its per-CPU counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <inspect/events.h>

#include "nsevents.h"
#include "nsevents.lskel.h"
#include "util.h"

_Static_assert((int)NSEV_NKINDS == (int)INSP_EVENT_NKINDS, "kind order");
_Static_assert((int)NSEV_CGROUP_ATTACH == (int)INSP_EVENT_CGROUP_ATTACH, "kind order");
_Static_assert((int)NSEV_NTYPES == (int)INSP_NS_NTYPES, "type order");
_Static_assert(sizeof(((struct insp_event *)0)->path) == NSEV_PATH_MAX, "path size");
_Static_assert((int)NSEV_CGROUP_MKDIR == (int)INSP_EVENT_CGROUP_MKDIR, "kind order");

#define KERNEL_BTF "/sys/kernel/btf/vmlinux"

struct insp_events {
	struct nsevents *skel;
	struct ring_buffer *rb;
	int64_t boot_to_real_ns;
	insp_event_fn fn;
	void *data;
	unsigned delivered;
	bool busy;	/* the last poll delivered: more may wait without a wakeup */
};

static const char *const kind_names[INSP_EVENT_NKINDS] = {
	[INSP_EVENT_UNSHARE] = "unshare",	[INSP_EVENT_CLONE] = "clone",
	[INSP_EVENT_CLONE3] = "clone3",		[INSP_EVENT_SETNS] = "setns",
	[INSP_EVENT_CGROUP_MKDIR] = "mkdir",	[INSP_EVENT_CGROUP_RMDIR] = "rmdir",
	[INSP_EVENT_CGROUP_ATTACH] = "attach",
};

INSP_EXPORT const char *insp_event_kind_name(enum insp_event_kind kind)
{
	return (unsigned)kind < INSP_EVENT_NKINDS ? kind_names[kind] : "?";
}

INSP_EXPORT int insp_event_kind_from_name(const char *name)
{
	for (int k = 0; k < INSP_EVENT_NKINDS; k++)
		if (strcmp(kind_names[k], name) == 0)
			return k;
	return -EINVAL;
}

static int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void head_from_record(const struct insp_events *ev, const struct nsev_head *h, struct insp_event *e)
{
	memset(e, 0, sizeof(*e));
	e->time_ns = (uint64_t)((int64_t)h->time_ns + ev->boot_to_real_ns);
	e->kind = (enum insp_event_kind)h->kind;
	e->pid = (pid_t)h->pid;
	e->tid = (pid_t)h->tid;
	e->uid = h->uid;
	memcpy(e->comm, h->comm, sizeof(e->comm));
	e->comm[sizeof(e->comm) - 1] = '\0';
	e->cgroup2_id = h->cgroup2_id;
	e->cgroup1_hierarchy = h->cgroup1_hierarchy > 0 ? h->cgroup1_hierarchy : -1;
	e->cgroup1_id = h->cgroup1_id;
}

/* Is the memory controller on a v1 hierarchy here ("4:memory:/...")? */
static bool memory_on_v1(void)
{
	char buf[4096];

	if (util_read_at(AT_FDCWD, "/proc/self/cgroup", buf, sizeof(buf)) <= 0)
		return false;
	for (const char *line = buf; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *m = c1 ? strstr(c1, "memory") : NULL;

		if (atoi(line) > 0 && m && c2 && m < c2)
			return true;
	}
	return false;
}

static void ns_event_from_record(const struct nsev_ns_event *r, struct insp_event *e)
{
	e->flags = r->flags;
	e->result = r->result;
	e->types = r->types;
	e->child = (pid_t)r->child;
	for (int t = 0; t < INSP_NS_NTYPES; t++) {
		e->ns_ino[t] = r->ns_inum[t];
		e->ns_id[t] = r->ns_id[t];
	}
}

static void cgroup_event_from_record(const struct nsev_cgroup_event *r, struct insp_event *e)
{
	e->child = (pid_t)r->moved;
	e->cgroup_id = r->cgroup_id;
	e->hierarchy = r->hierarchy;
	memcpy(e->path, r->path, sizeof(e->path));
	e->path[sizeof(e->path) - 1] = '\0';
}

static bool is_cgroup_kind(unsigned kind)
{
	return kind >= NSEV_CGROUP_MKDIR && kind < NSEV_NKINDS;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct insp_events *ev = ctx;
	const struct nsev_head *h = data;
	struct insp_event e;

	if (size < sizeof(*h) || h->kind >= NSEV_NKINDS ||
	    size < (is_cgroup_kind(h->kind) ? sizeof(struct nsev_cgroup_event) : sizeof(struct nsev_ns_event)))
		return 0;
	head_from_record(ev, h, &e);
	if (is_cgroup_kind(h->kind))
		cgroup_event_from_record(data, &e);
	else
		ns_event_from_record(data, &e);
	ev->delivered++;
	return ev->fn ? ev->fn(&e, ev->data) : 0;
}

static int load_error(int code, struct insp_error *err)
{
	if (code == EPERM || code == EACCES)
		return insp_error_set(err, code, "eBPF needs CAP_BPF and CAP_PERFMON (or root)");
	return insp_error_set(err, code, "eBPF: loading the namespace tracer");
}

static struct nsevents *load(const struct insp_events_opts *opts, struct insp_error *err)
{
	struct nsevents *skel = nsevents__open();
	int r;

	if (!skel) {
		load_error(errno ? errno : ENOMEM, err);
		return NULL;
	}
	skel->rodata->nr_unshare = SYS_unshare;
	skel->rodata->nr_clone = SYS_clone;
	skel->rodata->nr_clone3 = SYS_clone3;
	skel->rodata->nr_setns = SYS_setns;
	skel->rodata->only_tgid = opts && opts->only_pid > 0 ? (unsigned)opts->only_pid : 0;
	skel->rodata->count_only = opts && opts->count_only;
	skel->rodata->want_cgroup1 = memory_on_v1();
	r = nsevents__load(skel);
	if (r == 0 && (r = nsevents__attach(skel)) < 0)
		insp_error_set(err, -r, "eBPF: attaching raw tracepoints (sys_enter, sys_exit, sched_process_fork, cgroup)");
	else if (r < 0)
		load_error(-r, err);
	if (r < 0) {
		nsevents__destroy(skel);
		return NULL;
	}
	return skel;
}

INSP_EXPORT int insp_events_open(struct insp_events **out, const struct insp_events_opts *opts,
				 struct insp_error *err)
{
	struct insp_events *ev;

	*out = NULL;
	if (access(KERNEL_BTF, R_OK) < 0)
		return insp_error_set(err, errno == ENOENT ? ENOTSUP : errno,
				      "eBPF: kernel BTF (" KERNEL_BTF ")");
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return insp_error_set(err, ENOMEM, "events");
	ev->skel = load(opts, err);
	if (!ev->skel) {
		free(ev);
		return -err->code;
	}
	ev->rb = ring_buffer__new(ev->skel->maps.events.map_fd, on_record, ev, NULL);
	if (!ev->rb) {
		int code = errno ? errno : ENOMEM;

		insp_events_close(ev);
		return insp_error_set(err, code, "eBPF: ring buffer");
	}
	ev->boot_to_real_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	*out = ev;
	return 0;
}

INSP_EXPORT void insp_events_close(struct insp_events *ev)
{
	if (!ev)
		return;
	ring_buffer__free(ev->rb);
	nsevents__destroy(ev->skel);
	free(ev);
}

INSP_EXPORT int insp_events_fd(const struct insp_events *ev)
{
	return ring_buffer__epoll_fd(ev->rb);
}

INSP_EXPORT int insp_events_timeout(const struct insp_events *ev, int timeout_ms)
{
	const int window = 2 * NSEV_WAKEUP_INTERVAL_MS;

	return ev->busy && (timeout_ms < 0 || timeout_ms > window) ? window : timeout_ms;
}

INSP_EXPORT int insp_events_poll(struct insp_events *ev, int timeout_ms, insp_event_fn fn, void *data,
				 struct insp_error *err)
{
	int r;

	ev->fn = fn;
	ev->data = data;
	ev->delivered = 0;
	timeout_ms = insp_events_timeout(ev, timeout_ms);
	r = timeout_ms ? ring_buffer__poll(ev->rb, timeout_ms) : 0;
	if (r >= 0)
		r = ring_buffer__consume(ev->rb);
	ev->busy = ev->delivered > 0;
	if (r == -EINTR)
		return (int)ev->delivered;
	if (r < 0 && ev->delivered == 0 && r != -ECANCELED)
		return insp_error_set(err, -r, "eBPF: reading events");
	return r < 0 ? r : (int)ev->delivered;
}

INSP_EXPORT int insp_events_counters(const struct insp_events *ev, struct insp_event_counters *out,
				     struct insp_error *err)
{
	struct nsev_counters *per_cpu;
	int ncpus = util_percpu_read(ev->skel->maps.counters.map_fd, sizeof(*per_cpu), (void **)&per_cpu);

	memset(out, 0, sizeof(*out));
	if (ncpus < 0)
		return insp_error_set(err, -ncpus, "eBPF: reading counters");
	for (int c = 0; c < ncpus; c++) {
		for (int t = 0; t < INSP_NS_NTYPES; t++) {
			out->created[t] += per_cpu[c].created[t];
			out->entered[t] += per_cpu[c].entered[t];
		}
		for (int k = 0; k < INSP_EVENT_NKINDS; k++) {
			out->calls[k] += per_cpu[c].calls[k];
			out->failed[k] += per_cpu[c].failed[k];
		}
		out->dropped += per_cpu[c].dropped;
	}
	free(per_cpu);
	return 0;
}
